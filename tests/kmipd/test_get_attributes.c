/* SPDX-License-Identifier: Apache-2.0 */
/* Get Attributes and Get Attribute List through kmipd_serve_message, in
 * the 1.x and 2.x forms: what each selects, and unknown objects and names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmip/attrs.h"
#include "kmip/message.h"
#include "kmip/tags.h"

#include "kmipd/server.h"

#include "server_fixture.h"

typedef struct fixture {
    server_fixture kmipd;
    char uid[KMIPD_UID_MAX];
    kmip_response *resp;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    server_fixture_open(&f->kmipd, "getattrs");
    kmipd_object *obj =
        kmipd_object_new(KMIP_OBJECT_TYPE_SECRET_DATA, "tester");
    assert_non_null(kmip_attrs_add_name(obj->attrs, "the secret"));
    kmip_status st;
    assert_int_equal(kmipd_store_insert(f->kmipd.server.store, &obj, 1, &st),
                     KMIPD_STORE_OK);
    strcpy(f->uid, obj->uid);
    kmipd_object_free(obj);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kmip_response_free(f->resp);
    server_fixture_close(&f->kmipd);
    free(f);
    return 0;
}

/* Serves operation on uid with the references refs (a TTLV list, NULL
 * for none) in version; the response item (kept in f). */
static const kmip_response_item *serve(fixture *f, kmip_version version,
                                       uint32_t operation, const char *uid,
                                       kmip_item *refs)
{
    kmip_request_item item = {.operation = operation};
    item.payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    assert_true(kmip_item_add(
        item.payload, kmip_item_new_text(KMIP_TAG_UNIQUE_IDENTIFIER, uid)));
    for (kmip_item *ref = refs, *next; ref != NULL; ref = next) {
        next = ref->next;
        ref->next = NULL;
        assert_true(kmip_item_add(item.payload, ref));
    }
    bool keep_open;
    f->resp = server_fixture_serve_item(&f->kmipd, version, &item, &keep_open);
    kmip_request_item_clear(&item);
    assert_int_equal(f->resp->count, 1);
    return &f->resp->items[0];
}

/* The response item of a successful call, with f's uid. */
static const kmip_item *succeeded(fixture *f, const kmip_response_item *item)
{
    assert_int_equal(item->result_status, KMIP_STATUS_SUCCESS);
    const char *uid;
    size_t len;
    assert_int_equal(kmip_get_text(item->payload, KMIP_TAG_UNIQUE_IDENTIFIER,
                                   &uid, &len, NULL),
                     KMIP_OK);
    assert_string_equal(uid, f->uid);
    return item->payload;
}

static const char *attribute_name(const kmip_item *attribute)
{
    const kmip_item *name = kmip_item_find(attribute, KMIP_TAG_ATTRIBUTE_NAME);
    assert_non_null(name);
    return (const char *)name->v.bytes.data;
}

static void test_v1_without_names_returns_every_attribute(void **state)
{
    fixture *f = *state;
    const kmip_item *payload =
        succeeded(f, serve(f, KMIP_VERSION(1, 4), KMIP_OPERATION_GET_ATTRIBUTES,
                           f->uid, NULL));
    assert_true(kmip_item_count(payload, KMIP_TAG_ATTRIBUTE) >= 5);
}

static void test_v1_names_select_only_those_attributes(void **state)
{
    fixture *f = *state;
    const kmip_item *payload = succeeded(
        f, serve(f, KMIP_VERSION(1, 4), KMIP_OPERATION_GET_ATTRIBUTES, f->uid,
                 kmip_item_new_text(KMIP_TAG_ATTRIBUTE_NAME, "Name")));
    assert_int_equal(kmip_item_count(payload, KMIP_TAG_ATTRIBUTE), 1);
    assert_string_equal(
        attribute_name(kmip_item_find(payload, KMIP_TAG_ATTRIBUTE)), "Name");
}

static void test_v1_an_unknown_name_selects_nothing(void **state)
{
    fixture *f = *state;
    kmip_item *refs = kmip_item_new_text(KMIP_TAG_ATTRIBUTE_NAME, "No Such");
    refs->next = kmip_item_new_text(KMIP_TAG_ATTRIBUTE_NAME, "State");
    const kmip_item *payload =
        succeeded(f, serve(f, KMIP_VERSION(1, 4), KMIP_OPERATION_GET_ATTRIBUTES,
                           f->uid, refs));
    assert_int_equal(kmip_item_count(payload, KMIP_TAG_ATTRIBUTE), 1);
    assert_string_equal(
        attribute_name(kmip_item_find(payload, KMIP_TAG_ATTRIBUTE)), "State");
}

static void test_v2_references_answer_an_attributes_container(void **state)
{
    fixture *f = *state;
    const kmip_item *payload = succeeded(
        f, serve(f, KMIP_VERSION(2, 0), KMIP_OPERATION_GET_ATTRIBUTES, f->uid,
                 kmip_item_new_enum(KMIP_TAG_ATTRIBUTE_REFERENCE,
                                    KMIP_TAG_STATE)));
    const kmip_item *attrs = kmip_item_find(payload, KMIP_TAG_ATTRIBUTES);
    assert_non_null(attrs);
    assert_int_equal(kmip_item_count(attrs, KMIP_TAG_STATE), 1);
    assert_int_equal(kmip_item_count(attrs, KMIP_TAG_NAME), 0);
}

static void test_v2_a_malformed_reference_is_an_invalid_field(void **state)
{
    fixture *f = *state;
    const kmip_response_item *item =
        serve(f, KMIP_VERSION(2, 0), KMIP_OPERATION_GET_ATTRIBUTES, f->uid,
              kmip_item_new_structure(KMIP_TAG_ATTRIBUTE_REFERENCE));
    assert_int_equal(item->result_status, KMIP_STATUS_OPERATION_FAILED);
    assert_int_equal(item->result_reason, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void test_an_unknown_object_is_item_not_found(void **state)
{
    fixture *f = *state;
    static const uint32_t ops[] = {KMIP_OPERATION_GET_ATTRIBUTES,
                                   KMIP_OPERATION_GET_ATTRIBUTE_LIST};
    for (size_t i = 0; i < 2; i++) {
        const kmip_response_item *item =
            serve(f, KMIP_VERSION(1, 4), ops[i], "no-such-uid", NULL);
        assert_int_equal(item->result_status, KMIP_STATUS_OPERATION_FAILED);
        assert_int_equal(item->result_reason,
                         KMIP_RESULT_REASON_ITEM_NOT_FOUND);
        kmip_response_free(f->resp);
        f->resp = NULL;
    }
}

static void test_v1_attribute_list_names_each_attribute_once(void **state)
{
    fixture *f = *state;
    const kmip_item *payload =
        succeeded(f, serve(f, KMIP_VERSION(1, 4),
                           KMIP_OPERATION_GET_ATTRIBUTE_LIST, f->uid, NULL));
    bool has_name = false;
    size_t n = 0;
    for (const kmip_item *it = kmip_item_find(payload, KMIP_TAG_ATTRIBUTE_NAME);
         it != NULL;
         it = kmip_item_next_with_tag(it, KMIP_TAG_ATTRIBUTE_NAME)) {
        has_name |= strcmp((const char *)it->v.bytes.data, "Name") == 0;
        n++;
    }
    assert_true(has_name);
    assert_true(n >= 5);
}

static void test_v2_attribute_list_gives_references_by_tag(void **state)
{
    fixture *f = *state;
    const kmip_item *payload =
        succeeded(f, serve(f, KMIP_VERSION(2, 0),
                           KMIP_OPERATION_GET_ATTRIBUTE_LIST, f->uid, NULL));
    bool has_state = false;
    for (const kmip_item *it =
             kmip_item_find(payload, KMIP_TAG_ATTRIBUTE_REFERENCE);
         it != NULL;
         it = kmip_item_next_with_tag(it, KMIP_TAG_ATTRIBUTE_REFERENCE))
        has_state |= it->type == KMIP_TYPE_ENUMERATION &&
                     it->v.enumeration == KMIP_TAG_STATE;
    assert_true(has_state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_v1_without_names_returns_every_attribute),
        T(test_v1_names_select_only_those_attributes),
        T(test_v1_an_unknown_name_selects_nothing),
        T(test_v2_references_answer_an_attributes_container),
        T(test_v2_a_malformed_reference_is_an_invalid_field),
        T(test_an_unknown_object_is_item_not_found),
        T(test_v1_attribute_list_names_each_attribute_once),
        T(test_v2_attribute_list_gives_references_by_tag),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
