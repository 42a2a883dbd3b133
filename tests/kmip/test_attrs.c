/* SPDX-License-Identifier: Apache-2.0 */
/* Canonical attributes and their 1.x and 2.x wire forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/attrs.h"
#include "msg_test_util.h"

static const kmip_version v11 = {1, 1};
static const kmip_version v20 = {2, 0};

static kmip_item *encode(const kmip_item *attrs, kmip_version v,
                         kmip_attrs_role role)
{
    kmip_item *out = NULL;
    kmip_status status;
    if (kmip_attrs_encode(attrs, v, role, &out, &status) != KMIP_OK)
        fail_msg("encode: %s", status.message);
    return out;
}

static kmip_item *decode(const kmip_item *container)
{
    kmip_item *out = NULL;
    kmip_status status;
    if (kmip_attrs_decode(container, &out, &status) != KMIP_OK)
        fail_msg("decode: %s", status.message);
    return out;
}

static kmip_item *create_payload(kmip_item *container)
{
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    assert_non_null(kmip_add_enum(payload, KMIP_TAG_OBJECT_TYPE,
                                  KMIP_OBJECT_TYPE_SYMMETRIC_KEY));
    assert_non_null(kmip_item_add(payload, container));
    return payload;
}

static void test_v1_template_attribute_matches_create_vector(void **state)
{
    (void)state;
    kmip_item *attrs = aes_128_encrypt_decrypt();
    assert_encodes_to_vector(
        create_payload(encode(attrs, v11, KMIP_ATTRS_OBJECT)),
        "payload-create-request.hex");
    kmip_item_free(attrs);
}

static void test_v2_attributes_match_create_v20_vector(void **state)
{
    (void)state;
    kmip_item *attrs = aes_128_encrypt_decrypt();
    kmip_item *payload = create_payload(encode(attrs, v20, KMIP_ATTRS_OBJECT));
    kmip_item *masks =
        kmip_add_structure(payload, KMIP_TAG_PROTECTION_STORAGE_MASKS);
    assert_non_null(
        kmip_add_integer(masks, KMIP_TAG_PROTECTION_STORAGE_MASK, 3));
    assert_encodes_to_vector(payload, "payload-create-request-v20.hex");
    kmip_item_free(attrs);
}

static const kmip_attrs_role key_pair_roles[] = {
    KMIP_ATTRS_COMMON, KMIP_ATTRS_PRIVATE_KEY, KMIP_ATTRS_PUBLIC_KEY};

/* Decodes the three containers of a Create Key Pair payload vector and
 * encodes them again for version. */
static kmip_item *convert_key_pair_payload(const char *vector,
                                           kmip_version version)
{
    kmip_item *from = decode_vector(vector);
    kmip_item *to = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    const kmip_item *container = from->v.children.first;
    for (size_t i = 0; i < 3; i++, container = container->next) {
        kmip_item *attrs = decode(container);
        assert_non_null(
            kmip_item_add(to, encode(attrs, version, key_pair_roles[i])));
        kmip_item_free(attrs);
    }
    kmip_item_free(from);
    return to;
}

static void test_key_pair_templates_convert_from_v1_to_v2(void **state)
{
    (void)state;
    assert_encodes_to_vector(
        convert_key_pair_payload("payload-create-key-pair-request.hex", v20),
        "payload-create-key-pair-request-v20.hex");
}

static void test_key_pair_attributes_convert_from_v2_to_v1(void **state)
{
    (void)state;
    assert_encodes_to_vector(
        convert_key_pair_payload("payload-create-key-pair-request-v20.hex",
                                 v11),
        "payload-create-key-pair-request.hex");
}

static void test_v1_payload_attributes_decode_to_typed_and_back(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-get-attributes-response.hex");
    kmip_item *attrs = decode(payload);
    assert_int_equal(attrs->v.children.count, 4);
    const char *text;
    size_t len;
    kmip_status status;
    assert_int_equal(
        kmip_get_text(attrs, KMIP_TAG_OBJECT_GROUP, &text, &len, &status),
        KMIP_OK);
    assert_string_equal(text, "Group1");
    const kmip_item *info;
    assert_int_equal(
        kmip_get_structure(attrs, KMIP_TAG_APPLICATION_SPECIFIC_INFORMATION,
                           &info, &status),
        KMIP_OK);
    assert_int_equal(
        kmip_get_text(info, KMIP_TAG_APPLICATION_DATA, &text, &len, &status),
        KMIP_OK);
    assert_string_equal(text, "www.example.com");
    assert_int_equal(
        kmip_attrs_get_custom_text(attrs, "x-Purpose", &text, &status),
        KMIP_OK);
    assert_string_equal(text, "demonstration");

    kmip_item *rebuilt = kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD);
    assert_non_null(kmip_item_add(
        rebuilt,
        kmip_item_dup(must_find(payload, KMIP_TAG_UNIQUE_IDENTIFIER))));
    assert_int_equal(kmip_attrs_append_v1(rebuilt, attrs, &status), KMIP_OK);
    assert_encodes_to_vector(rebuilt, "payload-get-attributes-response.hex");
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

static void test_custom_attribute_is_a_vendor_attribute_x(void **state)
{
    (void)state;
    const uint8_t id[] = {0xde, 0xad, 0xbe, 0xef};
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *attr =
        kmip_attrs_add_custom_bytes(attrs, "x-pkcs11-id", id, sizeof(id));
    assert_non_null(attr);
    assert_int_equal(attr->tag, KMIP_TAG_VENDOR_ATTRIBUTE);
    const char *text;
    size_t len;
    kmip_status status;
    assert_int_equal(kmip_get_text(attr, KMIP_TAG_VENDOR_IDENTIFICATION, &text,
                                   &len, &status),
                     KMIP_OK);
    assert_string_equal(text, "x");
    assert_int_equal(
        kmip_get_text(attr, KMIP_TAG_ATTRIBUTE_NAME, &text, &len, &status),
        KMIP_OK);
    assert_string_equal(text, "pkcs11-id");

    kmip_item *v1 = kmip_attr_to_v1(attr);
    assert_int_equal(
        kmip_get_text(v1, KMIP_TAG_ATTRIBUTE_NAME, &text, &len, &status),
        KMIP_OK);
    assert_string_equal(text, "x-pkcs11-id");
    kmip_item *back = NULL;
    assert_int_equal(kmip_attr_from_v1(v1, &back, &status), KMIP_OK);
    kmip_item *again = kmip_attrs_new();
    assert_non_null(kmip_item_add(again, back));
    const uint8_t *data;
    assert_int_equal(
        kmip_attrs_get_custom_bytes(again, "x-pkcs11-id", &data, &len, &status),
        KMIP_OK);
    assert_int_equal(len, sizeof(id));
    assert_memory_equal(data, id, sizeof(id));
    kmip_item_free(again);
    kmip_item_free(v1);
    kmip_item_free(attrs);
}

static void test_custom_names_need_an_x_or_y_prefix(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    assert_null(kmip_attrs_add_custom_text(attrs, "pkcs11-id", "a"));
    assert_null(kmip_attrs_add_custom_text(attrs, "x-", "a"));
    assert_non_null(kmip_attrs_add_custom_text(attrs, "y-server-note", "a"));
    assert_null(kmip_attrs_find_custom(attrs, "x-server-note"));
    assert_non_null(kmip_attrs_find_custom(attrs, "y-server-note"));
    kmip_item_free(attrs);
}

static void test_common_getters_read_what_adders_wrote(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(kmip_attrs_add_name(attrs, "my key"));
    assert_non_null(
        kmip_attrs_add_object_type(attrs, KMIP_OBJECT_TYPE_PRIVATE_KEY));
    assert_non_null(
        kmip_attrs_add_algorithm(attrs, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA));
    assert_non_null(kmip_attrs_add_length(attrs, 2048));
    assert_non_null(
        kmip_attrs_add_usage_mask(attrs, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN));
    assert_non_null(kmip_attrs_add_state(attrs, KMIP_STATE_ACTIVE));
    assert_non_null(
        kmip_attrs_add_link(attrs, KMIP_LINK_TYPE_PUBLIC_KEY_LINK, "pub-1"));
    kmip_status status;
    const char *text;
    uint32_t u32;
    int32_t i32;
    assert_int_equal(kmip_attrs_get_name(attrs, &text, &status), KMIP_OK);
    assert_string_equal(text, "my key");
    assert_int_equal(kmip_attrs_get_object_type(attrs, &u32, &status), KMIP_OK);
    assert_int_equal(u32, KMIP_OBJECT_TYPE_PRIVATE_KEY);
    assert_int_equal(kmip_attrs_get_algorithm(attrs, &u32, &status), KMIP_OK);
    assert_int_equal(u32, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA);
    assert_int_equal(kmip_attrs_get_length(attrs, &i32, &status), KMIP_OK);
    assert_int_equal(i32, 2048);
    assert_int_equal(kmip_attrs_get_usage_mask(attrs, &u32, &status), KMIP_OK);
    assert_int_equal(u32, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
    assert_int_equal(kmip_attrs_get_state(attrs, &u32, &status), KMIP_OK);
    assert_int_equal(u32, KMIP_STATE_ACTIVE);
    assert_int_equal(kmip_attrs_get_link(attrs, KMIP_LINK_TYPE_PUBLIC_KEY_LINK,
                                         &text, &status),
                     KMIP_OK);
    assert_string_equal(text, "pub-1");
    assert_int_equal(kmip_attrs_get_link(attrs, KMIP_LINK_TYPE_PRIVATE_KEY_LINK,
                                         &text, &status),
                     KMIP_E_NOT_FOUND);
    kmip_item_free(attrs);
}

static kmip_item *v1_attribute(const char *name, kmip_item *value)
{
    kmip_item *attr = kmip_item_new_structure(KMIP_TAG_ATTRIBUTE);
    assert_non_null(kmip_add_text(attr, KMIP_TAG_ATTRIBUTE_NAME, name));
    if (value != NULL)
        assert_non_null(kmip_item_add(attr, value));
    return attr;
}

static void assert_v1_attribute_fails(kmip_item *attr, kmip_rc want,
                                      const char *needle)
{
    kmip_item *out = NULL;
    kmip_status status;
    assert_int_equal(kmip_attr_from_v1(attr, &out, &status), want);
    assert_null(out);
    assert_message_has(&status, needle);
    kmip_item_free(attr);
}

static void test_unknown_v1_attribute_name_is_refused(void **state)
{
    (void)state;
    assert_v1_attribute_fails(
        v1_attribute("Colour",
                     kmip_item_new_text(KMIP_TAG_ATTRIBUTE_VALUE, "blue")),
        KMIP_E_DECODE, "unknown attribute 'Colour'");
}

static void test_v1_y_custom_attribute_becomes_vendor_y(void **state)
{
    (void)state;
    kmip_item *attr = v1_attribute(
        "y-server-note", kmip_item_new_text(KMIP_TAG_ATTRIBUTE_VALUE, "a"));
    kmip_item *out = NULL;
    kmip_status status;
    assert_int_equal(kmip_attr_from_v1(attr, &out, &status), KMIP_OK);
    const char *text;
    size_t len;
    assert_int_equal(kmip_get_text(out, KMIP_TAG_VENDOR_IDENTIFICATION, &text,
                                   &len, &status),
                     KMIP_OK);
    assert_string_equal(text, "y");
    assert_int_equal(
        kmip_get_text(out, KMIP_TAG_ATTRIBUTE_NAME, &text, &len, &status),
        KMIP_OK);
    assert_string_equal(text, "server-note");
    kmip_item_free(out);
    kmip_item_free(attr);
}

static void test_v1_attribute_without_value_is_refused(void **state)
{
    (void)state;
    assert_v1_attribute_fails(v1_attribute("Cryptographic Length", NULL),
                              KMIP_E_NOT_FOUND, "missing Attribute Value");
}

static void test_v1_attribute_of_wrong_type_is_refused(void **state)
{
    (void)state;
    assert_v1_attribute_fails(
        v1_attribute("Cryptographic Length",
                     kmip_item_new_text(KMIP_TAG_ATTRIBUTE_VALUE, "128")),
        KMIP_E_DECODE, "Cryptographic Length");
}

static void test_v2_container_refuses_a_non_attribute(void **state)
{
    (void)state;
    kmip_item *container = kmip_item_new_structure(KMIP_TAG_ATTRIBUTES);
    assert_non_null(kmip_add_integer(container, KMIP_TAG_BATCH_COUNT, 1));
    kmip_item *out = NULL;
    kmip_status status;
    assert_int_equal(kmip_attrs_decode(container, &out, &status),
                     KMIP_E_DECODE);
    assert_null(out);
    assert_message_has(&status, "not an attribute");
    kmip_item_free(container);
}

static void test_encode_refuses_a_non_attribute(void **state)
{
    (void)state;
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(kmip_add_integer(attrs, KMIP_TAG_BATCH_COUNT, 1));
    for (int v2 = 0; v2 < 2; v2++) {
        kmip_item *out = NULL;
        kmip_status status;
        assert_int_equal(kmip_attrs_encode(attrs, v2 ? v20 : v11,
                                           KMIP_ATTRS_OBJECT, &out, &status),
                         KMIP_E_INVALID_ARG);
        assert_null(out);
    }
    kmip_item_free(attrs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_template_attribute_matches_create_vector),
        cmocka_unit_test(test_v2_attributes_match_create_v20_vector),
        cmocka_unit_test(test_key_pair_templates_convert_from_v1_to_v2),
        cmocka_unit_test(test_key_pair_attributes_convert_from_v2_to_v1),
        cmocka_unit_test(test_v1_payload_attributes_decode_to_typed_and_back),
        cmocka_unit_test(test_custom_attribute_is_a_vendor_attribute_x),
        cmocka_unit_test(test_custom_names_need_an_x_or_y_prefix),
        cmocka_unit_test(test_common_getters_read_what_adders_wrote),
        cmocka_unit_test(test_unknown_v1_attribute_name_is_refused),
        cmocka_unit_test(test_v1_y_custom_attribute_becomes_vendor_y),
        cmocka_unit_test(test_v1_attribute_without_value_is_refused),
        cmocka_unit_test(test_v1_attribute_of_wrong_type_is_refused),
        cmocka_unit_test(test_v2_container_refuses_a_non_attribute),
        cmocka_unit_test(test_encode_refuses_a_non_attribute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
