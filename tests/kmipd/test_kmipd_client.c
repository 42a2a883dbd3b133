/* SPDX-License-Identifier: Apache-2.0 */
/* The kmip/ client against kmipd's object operations: version
 * negotiation, Locate filters and paging, attribute reading and changes,
 * lifecycle, batches with the ID Placeholder and ownership. Run under
 * integration/with_server.py --server kmipd; each test runs in KMIP 1.4
 * and in the negotiated version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/attrs.h"
#include "kmip/client.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "e2e.h"

static unsigned name_counter;

/* A name no other test uses. */
static const char *fresh_name(char *buf, size_t len)
{
    snprintf(buf, len, "client-test-%d.%d-%u", e2e_version.major,
             e2e_version.minor, name_counter++);
    return buf;
}

static kmip_item *checked(kmip_item *payload)
{
    assert_non_null(payload);
    return payload;
}

/* Calls one operation; the caller frees the response. */
static kmip_response *call(kmip_client *client, uint32_t operation,
                           kmip_item *payload)
{
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_client_call(client,
                                      &(kmip_request_item){operation, payload},
                                      1, 0, &resp, &status),
                     KMIP_OK);
    assert_int_equal(resp->count, 1);
    return resp;
}

/* Calls one operation that must succeed. */
static kmip_response *call_ok(kmip_client *client, uint32_t operation,
                              kmip_item *payload)
{
    kmip_response *resp = call(client, operation, payload);
    kmip_status status;
    if (kmip_response_item_check(&resp->items[0], &status) != KMIP_OK)
        fail_msg("operation 0x%x: %s", (unsigned)operation, status.message);
    return resp;
}

/* Calls one operation that must fail with reason. */
static void call_fails(kmip_client *client, uint32_t operation,
                       kmip_item *payload, uint32_t reason)
{
    kmip_response *resp = call(client, operation, payload);
    assert_int_equal(resp->items[0].result_status,
                     KMIP_STATUS_OPERATION_FAILED);
    assert_int_equal(resp->items[0].result_reason, reason);
    kmip_response_free(resp);
}

static kmip_item *create_payload(const char *name, const uint8_t *id,
                                 size_t id_len)
{
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(
        kmip_attrs_add_algorithm(attrs, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES));
    assert_non_null(kmip_attrs_add_length(attrs, 256));
    assert_non_null(kmip_attrs_add_usage_mask(
        attrs, KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                   KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT));
    assert_non_null(kmip_attrs_add_name(attrs, name));
    if (id != NULL)
        assert_non_null(
            kmip_attrs_add_custom_bytes(attrs, "x-pkcs11-id", id, id_len));
    kmip_create_args args = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                             .attributes = attrs};
    kmip_item *payload = checked(kmip_create_request(e2e_version, &args));
    kmip_item_free(attrs);
    return payload;
}

/* Creates an AES key; returns its uid (free with free()). */
static char *create_key(kmip_client *client, const char *name,
                        const uint8_t *id, size_t id_len)
{
    kmip_response *resp = call_ok(client, KMIP_OPERATION_CREATE,
                                  create_payload(name, id, id_len));
    kmip_create_result created;
    assert_int_equal(
        kmip_create_response(resp->items[0].payload, &created, NULL), KMIP_OK);
    char *uid = strdup(created.uid);
    kmip_response_free(resp);
    return uid;
}

/* Locates by filter; returns the response for the caller to read and
 * free. */
static kmip_response *locate(kmip_client *client, kmip_item *filter,
                             kmip_opt_int max, kmip_opt_int offset,
                             kmip_locate_result *out)
{
    kmip_locate_args args = {
        .maximum_items = max, .offset_items = offset, .attributes = filter};
    kmip_response *resp =
        call_ok(client, KMIP_OPERATION_LOCATE,
                checked(kmip_locate_request(e2e_version, &args)));
    kmip_item_free(filter);
    assert_int_equal(kmip_locate_response(resp->items[0].payload, out, NULL),
                     KMIP_OK);
    return resp;
}

static kmip_item *name_filter(const char *name)
{
    kmip_item *filter = kmip_attrs_new();
    assert_non_null(kmip_attrs_add_name(filter, name));
    return filter;
}

/* The object's attributes (all of them) as a canonical set. */
static kmip_item *attributes_of(kmip_client *client, const char *uid)
{
    kmip_response *resp = call_ok(client, KMIP_OPERATION_GET_ATTRIBUTES,
                                  checked(kmip_get_attributes_request(
                                      e2e_version, uid, NULL, 0, NULL, 0)));
    kmip_get_attributes_result got;
    assert_int_equal(
        kmip_get_attributes_response(resp->items[0].payload, &got, NULL),
        KMIP_OK);
    assert_string_equal(got.uid, uid);
    kmip_item *attrs = NULL;
    assert_int_equal(kmip_attrs_decode(got.attributes, &attrs, NULL), KMIP_OK);
    kmip_response_free(resp);
    return attrs;
}

static uint32_t state_of(kmip_client *client, const char *uid)
{
    kmip_item *attrs = attributes_of(client, uid);
    uint32_t state = 0;
    assert_int_equal(kmip_attrs_get_state(attrs, &state, NULL), KMIP_OK);
    kmip_item_free(attrs);
    return state;
}

/* ---- Tests ---- */

static void test_negotiation_settles_on_2_1(void **state)
{
    (void)state;
    assert_int_equal(e2e_version.major, 2);
    assert_int_equal(e2e_version.minor, 1);
}

static void test_locate_by_name_and_custom_id(void **state)
{
    char name[64];
    fresh_name(name, sizeof(name));
    static const uint8_t id[] = {0xca, 0xfe}, other_id[] = {0x01};
    char *wanted = create_key(*state, name, id, sizeof(id));
    char *other = create_key(*state, name, other_id, sizeof(other_id));
    kmip_item *filter = name_filter(name);
    assert_non_null(
        kmip_attrs_add_custom_bytes(filter, "x-pkcs11-id", id, sizeof(id)));
    kmip_locate_result found;
    kmip_response *resp =
        locate(*state, filter, (kmip_opt_int){0}, (kmip_opt_int){0}, &found);
    assert_int_equal(found.uids.count, 1);
    assert_string_equal((const char *)found.uids.first->v.bytes.data, wanted);
    kmip_response_free(resp);
    free(wanted);
    free(other);
}

static void test_locate_pages_and_counts(void **state)
{
    char name[64];
    fresh_name(name, sizeof(name));
    char *uids[4];
    for (size_t i = 0; i < 4; i++)
        uids[i] = create_key(*state, name, NULL, 0);
    kmip_locate_result found;
    kmip_response *resp =
        locate(*state, name_filter(name), KMIP_INT(2), KMIP_INT(1), &found);
    assert_int_equal(found.uids.count, 2);
    const kmip_item *first = found.uids.first;
    assert_string_equal((const char *)first->v.bytes.data, uids[1]);
    assert_string_equal(
        (const char *)kmip_item_next_with_tag(first, found.uids.tag)
            ->v.bytes.data,
        uids[2]);
    assert_true(found.located_items.present);
    assert_int_equal(found.located_items.value, 4);
    kmip_response_free(resp);
    for (size_t i = 0; i < 4; i++)
        free(uids[i]);
}

static void test_new_key_is_pre_active_with_its_attributes(void **state)
{
    char name[64];
    char *uid = create_key(*state, fresh_name(name, sizeof(name)), NULL, 0);
    kmip_item *attrs = attributes_of(*state, uid);
    uint32_t st, algorithm;
    int32_t bits;
    const char *got_name;
    assert_int_equal(kmip_attrs_get_state(attrs, &st, NULL), KMIP_OK);
    assert_int_equal(st, KMIP_STATE_PRE_ACTIVE);
    assert_int_equal(kmip_attrs_get_algorithm(attrs, &algorithm, NULL),
                     KMIP_OK);
    assert_int_equal(algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES);
    assert_int_equal(kmip_attrs_get_length(attrs, &bits, NULL), KMIP_OK);
    assert_int_equal(bits, 256);
    assert_int_equal(kmip_attrs_get_name(attrs, &got_name, NULL), KMIP_OK);
    assert_string_equal(got_name, name);
    assert_non_null(kmip_item_find(attrs, KMIP_TAG_INITIAL_DATE));
    kmip_item_free(attrs);
    free(uid);
}

static void test_custom_attribute_added_changed_and_deleted(void **state)
{
    char name[64];
    char *uid = create_key(*state, fresh_name(name, sizeof(name)), NULL, 0);
    kmip_item *note = kmip_attrs_new();
    kmip_item *first = kmip_attrs_add_custom_text(note, "x-note", "first");
    kmip_response_free(
        call_ok(*state, KMIP_OPERATION_ADD_ATTRIBUTE,
                checked(kmip_add_attribute_request(e2e_version, uid, first))));
    kmip_item *second = kmip_attrs_add_custom_text(note, "x-note", "second");
    kmip_response_free(call_ok(*state, KMIP_OPERATION_MODIFY_ATTRIBUTE,
                               checked(kmip_modify_attribute_request(
                                   e2e_version, uid, first, second))));
    kmip_item *attrs = attributes_of(*state, uid);
    const char *text;
    assert_int_equal(kmip_attrs_get_custom_text(attrs, "x-note", &text, NULL),
                     KMIP_OK);
    assert_string_equal(text, "second");
    kmip_item_free(attrs);
    kmip_response_free(call_ok(
        *state, KMIP_OPERATION_DELETE_ATTRIBUTE,
        checked(kmip_delete_attribute_request(e2e_version, uid, second))));
    attrs = attributes_of(*state, uid);
    assert_null(kmip_attrs_find_custom(attrs, "x-note"));
    kmip_item_free(attrs);
    kmip_item_free(note);
    free(uid);
}

static void test_lifecycle_activate_revoke_destroy(void **state)
{
    char name[64];
    char *uid = create_key(*state, fresh_name(name, sizeof(name)), NULL, 0);
    kmip_response_free(
        call_ok(*state, KMIP_OPERATION_ACTIVATE,
                checked(kmip_activate_request(e2e_version, uid))));
    assert_int_equal(state_of(*state, uid), KMIP_STATE_ACTIVE);
    call_fails(*state, KMIP_OPERATION_DESTROY,
               checked(kmip_destroy_request(e2e_version, uid)),
               kmip_version_is_v2(e2e_version)
                   ? KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE
                   : KMIP_RESULT_REASON_PERMISSION_DENIED);
    kmip_revoke_args revoke = {
        .uid = uid,
        .reason_code = KMIP_REVOCATION_REASON_CODE_CESSATION_OF_OPERATION};
    kmip_response_free(
        call_ok(*state, KMIP_OPERATION_REVOKE,
                checked(kmip_revoke_request(e2e_version, &revoke))));
    assert_int_equal(state_of(*state, uid), KMIP_STATE_DEACTIVATED);
    kmip_response_free(
        call_ok(*state, KMIP_OPERATION_DESTROY,
                checked(kmip_destroy_request(e2e_version, uid))));
    assert_int_equal(state_of(*state, uid), KMIP_STATE_DESTROYED);
    kmip_locate_result found;
    kmip_response *resp = locate(*state, name_filter(name), (kmip_opt_int){0},
                                 (kmip_opt_int){0}, &found);
    assert_int_equal(found.uids.count, 0);
    kmip_response_free(resp);
    free(uid);
}

static void test_batch_follows_the_id_placeholder(void **state)
{
    char name[64];
    static const uint32_t state_tag = KMIP_TAG_STATE;
    kmip_request_item items[3] = {
        {KMIP_OPERATION_CREATE,
         create_payload(fresh_name(name, sizeof(name)), NULL, 0)},
        {KMIP_OPERATION_ACTIVATE,
         checked(kmip_activate_request(e2e_version, NULL))},
        {KMIP_OPERATION_GET_ATTRIBUTES,
         checked(kmip_get_attributes_request(e2e_version, NULL, &state_tag, 1,
                                             NULL, 0))},
    };
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_client_call(*state, items, 3, 0, &resp, &status),
                     KMIP_OK);
    assert_int_equal(resp->count, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(
            kmip_response_item_check(kmip_response_item_for(resp, i), &status),
            KMIP_OK);
    kmip_get_attributes_result got;
    assert_int_equal(kmip_get_attributes_response(
                         kmip_response_item_for(resp, 2)->payload, &got, NULL),
                     KMIP_OK);
    kmip_item *attrs = NULL;
    assert_int_equal(kmip_attrs_decode(got.attributes, &attrs, NULL), KMIP_OK);
    uint32_t st;
    assert_int_equal(kmip_attrs_get_state(attrs, &st, NULL), KMIP_OK);
    assert_int_equal(st, KMIP_STATE_ACTIVE);
    kmip_item_free(attrs);
    kmip_response_free(resp);
}

static void test_another_client_cannot_see_the_key(void **state)
{
    char name[64];
    char *uid = create_key(*state, fresh_name(name, sizeof(name)), NULL, 0);
    kmip_client *other = e2e_client(e2e_version, true);
    call_fails(other, KMIP_OPERATION_GET_ATTRIBUTES,
               checked(kmip_get_attributes_request(e2e_version, uid, NULL, 0,
                                                   NULL, 0)),
               KMIP_RESULT_REASON_ITEM_NOT_FOUND);
    call_fails(other, KMIP_OPERATION_ACTIVATE,
               checked(kmip_activate_request(e2e_version, uid)),
               KMIP_RESULT_REASON_ITEM_NOT_FOUND);
    kmip_locate_result found;
    kmip_response *resp = locate(other, name_filter(name), (kmip_opt_int){0},
                                 (kmip_opt_int){0}, &found);
    assert_int_equal(found.uids.count, 0);
    kmip_response_free(resp);
    kmip_client_free(other);
    free(uid);
}

#define COMMON_TESTS                                                           \
    cmocka_unit_test(test_locate_by_name_and_custom_id),                       \
        cmocka_unit_test(test_locate_pages_and_counts),                        \
        cmocka_unit_test(test_new_key_is_pre_active_with_its_attributes),      \
        cmocka_unit_test(test_custom_attribute_added_changed_and_deleted),     \
        cmocka_unit_test(test_lifecycle_activate_revoke_destroy),              \
        cmocka_unit_test(test_batch_follows_the_id_placeholder),               \
        cmocka_unit_test(test_another_client_cannot_see_the_key)

int main(void)
{
    const struct CMUnitTest v1_4[] = {COMMON_TESTS};
    const struct CMUnitTest negotiated[] = {
        cmocka_unit_test(test_negotiation_settles_on_2_1), COMMON_TESTS};
    int failed = cmocka_run_group_tests_name(
        "KMIP 1.4", v1_4, e2e_setup_client_1_4, e2e_teardown_client);
    failed += cmocka_run_group_tests_name("negotiated", negotiated,
                                          e2e_setup_client_negotiated,
                                          e2e_teardown_client);
    return failed;
}
