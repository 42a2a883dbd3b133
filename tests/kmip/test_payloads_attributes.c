// SPDX-License-Identifier: Apache-2.0
/* The attribute operations' payloads (Get Attributes, Get Attribute
 * List, Add, Modify, Delete, Set and Adjust Attribute) against the
 * vectors, in the 1.x and 2.x forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/payloads.h"
#include "msg_test_util.h"

static const kmip_version v11 = {1, 1};
static const kmip_version v20 = {2, 0};
static const char attrs_uid[] = "1703250b-4d40-4de2-93a0-c494a1d4ae40";

static const uint32_t requested_tags[] = {
    KMIP_TAG_OBJECT_GROUP, KMIP_TAG_APPLICATION_SPECIFIC_INFORMATION,
    KMIP_TAG_CONTACT_INFORMATION};
static const char *const requested_custom[] = {"x-Purpose"};

static void test_get_attributes_request_matches_vector(void **state)
{
    (void)state;
    assert_encodes_to_vector(kmip_get_attributes_request(v11, attrs_uid,
                                                         requested_tags, 3,
                                                         requested_custom, 1),
                             "payload-get-attributes-request.hex");
}

/* Both forms of the request name the same four attributes. */
static void assert_refs_name_requested(const kmip_list *refs)
{
    assert_int_equal(refs->count, 4);
    const kmip_item *it = refs->first;
    kmip_status status;
    for (size_t i = 0; i < 4;
         i++, it = kmip_item_next_with_tag(it, refs->tag)) {
        kmip_attr_ref ref;
        assert_int_equal(kmip_attr_ref_read(it, &ref, &status), KMIP_OK);
        if (i < 3) {
            assert_int_equal(ref.tag, requested_tags[i]);
            continue;
        }
        assert_int_equal(ref.tag, KMIP_TAG_VENDOR_ATTRIBUTE);
        assert_int_equal(ref.vendor_len, 1);
        assert_memory_equal(ref.vendor, "x", 1);
        assert_int_equal(ref.name_len, strlen("Purpose"));
        assert_memory_equal(ref.name, "Purpose", ref.name_len);
    }
}

static void test_get_attributes_request_parses_in_both_forms(void **state)
{
    (void)state;
    for (int v2 = 0; v2 < 2; v2++) {
        kmip_item *payload = kmip_get_attributes_request(
            v2 ? v20 : v11, attrs_uid, requested_tags, 3, requested_custom, 1);
        kmip_get_attributes_args args;
        kmip_status status;
        assert_int_equal(
            kmip_get_attributes_request_parse(payload, &args, &status),
            KMIP_OK);
        assert_string_equal(args.uid, attrs_uid);
        assert_int_equal(args.refs.tag, v2 ? KMIP_TAG_ATTRIBUTE_REFERENCE
                                           : KMIP_TAG_ATTRIBUTE_NAME);
        assert_refs_name_requested(&args.refs);
        kmip_item_free(payload);
    }
}

static void test_get_attributes_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-get-attributes-response.hex");
    kmip_get_attributes_result result;
    kmip_status status;
    assert_int_equal(kmip_get_attributes_response(payload, &result, &status),
                     KMIP_OK);
    assert_string_equal(result.uid, attrs_uid);
    kmip_item *attrs = NULL;
    assert_int_equal(kmip_attrs_decode(result.attributes, &attrs, &status),
                     KMIP_OK);
    assert_int_equal(attrs->v.children.count, 4);
    assert_encodes_to_vector(
        kmip_get_attributes_response_build(v11, result.uid, attrs),
        "payload-get-attributes-response.hex");

    /* The 2.x form holds the same set in an Attributes structure. */
    kmip_item *v2 = kmip_get_attributes_response_build(v20, result.uid, attrs);
    kmip_get_attributes_result result2;
    assert_int_equal(kmip_get_attributes_response(v2, &result2, &status),
                     KMIP_OK);
    assert_int_equal(result2.attributes->tag, KMIP_TAG_ATTRIBUTES);
    assert_int_equal(result2.attributes->v.children.count, 4);
    kmip_item_free(v2);
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

static void test_attr_ref_matches_the_attribute_it_names(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *name = kmip_attrs_add_name(attrs, "k");
    kmip_item *id = kmip_attrs_add_custom_text(attrs, "x-pkcs11-id", "01");
    kmip_item *refs = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    assert_non_null(kmip_attr_ref_add(refs, v20, id));
    assert_non_null(kmip_attr_ref_add(refs, v11, name));
    kmip_attr_ref ref;
    kmip_status status;
    assert_int_equal(kmip_attr_ref_read(refs->v.children.first, &ref, &status),
                     KMIP_OK);
    assert_true(kmip_attr_ref_matches(&ref, id));
    assert_false(kmip_attr_ref_matches(&ref, name));
    assert_int_equal(kmip_attr_ref_read(refs->v.children.last, &ref, &status),
                     KMIP_OK);
    assert_true(kmip_attr_ref_matches(&ref, name));
    assert_false(kmip_attr_ref_matches(&ref, id));
    kmip_item_free(refs);
    kmip_item_free(attrs);
}

static void test_get_attribute_list_names_each_attribute_once(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(kmip_attrs_add_name(attrs, "a"));
    assert_non_null(kmip_attrs_add_name(attrs, "b"));
    assert_non_null(kmip_attrs_add_state(attrs, KMIP_STATE_ACTIVE));
    for (int v2 = 0; v2 < 2; v2++) {
        kmip_item *payload = kmip_get_attribute_list_response_build(
            v2 ? v20 : v11, "uid-1", attrs);
        kmip_get_attribute_list_result result;
        kmip_status status;
        assert_int_equal(
            kmip_get_attribute_list_response(payload, &result, &status),
            KMIP_OK);
        assert_string_equal(result.uid, "uid-1");
        assert_int_equal(result.refs.count, 2);
        kmip_attr_ref ref;
        assert_int_equal(kmip_attr_ref_read(result.refs.first, &ref, &status),
                         KMIP_OK);
        assert_int_equal(ref.tag, KMIP_TAG_NAME);
        kmip_item_free(payload);
    }
    kmip_item_free(attrs);
}

static void test_unknown_attribute_name_in_request_is_refused(void **state)
{
    (void)state;
    kmip_item *payload =
        kmip_get_attributes_request(v11, attrs_uid, NULL, 0, NULL, 0);
    assert_non_null(kmip_add_text(payload, KMIP_TAG_ATTRIBUTE_NAME, "Colour"));
    kmip_get_attributes_args args;
    kmip_status status;
    assert_int_equal(kmip_get_attributes_request_parse(payload, &args, &status),
                     KMIP_E_DECODE);
    assert_message_has(&status, "Get Attributes request: reference 0");
    kmip_item_free(payload);
}

static void test_add_attribute_request_in_both_forms(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *id = kmip_attrs_add_custom_text(attrs, "x-pkcs11-id", "01");
    for (int v2 = 0; v2 < 2; v2++) {
        kmip_item *payload =
            kmip_add_attribute_request(v2 ? v20 : v11, "uid-1", id);
        assert_non_null(kmip_item_find(payload, v2 ? KMIP_TAG_NEW_ATTRIBUTE
                                                   : KMIP_TAG_ATTRIBUTE));
        kmip_attribute_change change;
        kmip_status status;
        assert_int_equal(kmip_attribute_change_parse(payload, &change, &status),
                         KMIP_OK);
        assert_string_equal(change.uid, "uid-1");
        kmip_item *canonical = NULL;
        assert_int_equal(
            kmip_attr_decode(change.attribute, &canonical, &status), KMIP_OK);
        kmip_item *set = kmip_attrs_new();
        assert_non_null(kmip_item_add(set, canonical));
        const char *text;
        assert_int_equal(
            kmip_attrs_get_custom_text(set, "x-pkcs11-id", &text, &status),
            KMIP_OK);
        assert_string_equal(text, "01");
        kmip_item_free(set);
        kmip_item_free(payload);
    }
    kmip_item_free(attrs);
}

static void test_modify_delete_and_set_attribute_requests(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *old_name = kmip_attrs_add_name(attrs, "old");
    kmip_item *new_name = kmip_attrs_add_name(attrs, "new");
    kmip_item *payload =
        kmip_modify_attribute_request(v20, "uid-1", old_name, new_name);
    kmip_attribute_change change;
    kmip_status status;
    assert_int_equal(kmip_attribute_change_parse(payload, &change, &status),
                     KMIP_OK);
    assert_int_equal(change.current->tag, KMIP_TAG_NAME);
    assert_int_equal(change.attribute->tag, KMIP_TAG_NAME);
    kmip_item_free(payload);

    payload = kmip_delete_attribute_request(v11, "uid-1", old_name);
    assert_int_equal(kmip_attribute_change_parse(payload, &change, &status),
                     KMIP_OK);
    assert_null(change.attribute);
    kmip_attr_ref ref;
    assert_int_equal(kmip_attr_ref_read(change.ref, &ref, &status), KMIP_OK);
    assert_int_equal(ref.tag, KMIP_TAG_NAME);
    kmip_item_free(payload);

    payload = kmip_delete_attribute_request(v20, "uid-1", old_name);
    assert_int_equal(kmip_attribute_change_parse(payload, &change, &status),
                     KMIP_OK);
    assert_null(change.attribute);
    assert_null(change.ref);
    assert_non_null(change.current);
    const char *text;
    size_t len;
    assert_int_equal(kmip_get_text(change.current, KMIP_TAG_NAME_VALUE, &text,
                                   &len, &status),
                     KMIP_OK);
    assert_string_equal(text, "old");
    kmip_item_free(payload);

    assert_null(kmip_set_attribute_request(v11, "uid-1", new_name));
    payload = kmip_set_attribute_request(v20, "uid-1", new_name);
    assert_non_null(kmip_item_find(payload, KMIP_TAG_NEW_ATTRIBUTE));
    kmip_item_free(payload);

    payload = kmip_attribute_change_response_build(v11, "uid-1", new_name);
    assert_non_null(kmip_item_find(payload, KMIP_TAG_ATTRIBUTE));
    kmip_item_free(payload);
    kmip_item_free(attrs);
}

static void test_adjust_attribute_request_is_2x_only(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *length = kmip_attrs_add_length(attrs, 128);
    kmip_item *step = kmip_item_new_integer(KMIP_TAG_CRYPTOGRAPHIC_LENGTH, 8);
    assert_null(kmip_adjust_attribute_request(
        v11, "uid-1", length, KMIP_ADJUSTMENT_TYPE_INCREMENT, step));
    kmip_item *payload = kmip_adjust_attribute_request(
        v20, "uid-1", length, KMIP_ADJUSTMENT_TYPE_INCREMENT, step);
    kmip_adjust_attribute_args args;
    kmip_status status;
    assert_int_equal(
        kmip_adjust_attribute_request_parse(payload, &args, &status), KMIP_OK);
    assert_string_equal(args.uid, "uid-1");
    assert_int_equal(args.adjustment_type, KMIP_ADJUSTMENT_TYPE_INCREMENT);
    assert_int_equal(args.adjustment_value->v.integer, 8);
    kmip_attr_ref ref;
    assert_int_equal(kmip_attr_ref_read(args.ref, &ref, &status), KMIP_OK);
    assert_int_equal(ref.tag, KMIP_TAG_CRYPTOGRAPHIC_LENGTH);

    kmip_item *type = must_find(payload, KMIP_TAG_ADJUSTMENT_TYPE);
    kmip_item_remove(payload, type);
    kmip_item_free(type);
    assert_int_equal(
        kmip_adjust_attribute_request_parse(payload, &args, &status),
        KMIP_E_NOT_FOUND);
    assert_message_has(&status, "missing Adjustment Type");
    kmip_item_free(payload);
    kmip_item_free(step);
    kmip_item_free(attrs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_attributes_request_matches_vector),
        cmocka_unit_test(test_get_attributes_request_parses_in_both_forms),
        cmocka_unit_test(test_get_attributes_response_parses_and_builds),
        cmocka_unit_test(test_attr_ref_matches_the_attribute_it_names),
        cmocka_unit_test(test_get_attribute_list_names_each_attribute_once),
        cmocka_unit_test(test_unknown_attribute_name_in_request_is_refused),
        cmocka_unit_test(test_add_attribute_request_in_both_forms),
        cmocka_unit_test(test_modify_delete_and_set_attribute_requests),
        cmocka_unit_test(test_adjust_attribute_request_is_2x_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
