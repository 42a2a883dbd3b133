/* SPDX-License-Identifier: Apache-2.0 */
/* Activate, Destroy, Revoke, Get and Locate payloads against the vectors
 * (the attribute operations' are in test_payloads_attributes.c). */
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
static const char activate_uid[] = "668eff89-3010-4258-bc0e-8c402309c746";
static const char destroy_uid[] = "fb4b5b9c-6188-4c63-8142-fe9c328129fc";
static const char get_uid[] = "49a1ca88-6bea-4fb2-b450-7e58802c3038";

static void assert_uid_response(const char *vector, const char *uid)
{
    kmip_item *payload = decode_vector(vector);
    const char *got = NULL;
    kmip_status status;
    assert_int_equal(kmip_uid_response(payload, &got, &status), KMIP_OK);
    assert_string_equal(got, uid);
    kmip_item_free(payload);
    assert_encodes_to_vector(kmip_uid_response_build(uid), vector);
}

static void test_activate_and_destroy_requests_match_vectors(void **state)
{
    (void)state;
    assert_encodes_to_vector(kmip_activate_request(v11, activate_uid),
                             "payload-activate-request.hex");
    assert_encodes_to_vector(kmip_destroy_request(v11, destroy_uid),
                             "payload-destroy-request.hex");
}

static void test_uid_responses_parse_and_build(void **state)
{
    (void)state;
    assert_uid_response("payload-activate-response.hex", activate_uid);
    assert_uid_response("payload-destroy-response.hex", destroy_uid);
    assert_uid_response("payload-revoke-response.hex", activate_uid);
}

static void test_request_without_uid_uses_the_id_placeholder(void **state)
{
    (void)state;
    kmip_item *payload = kmip_destroy_request(v11, NULL);
    assert_non_null(payload);
    assert_int_equal(payload->v.children.count, 0);
    const char *uid = "unset";
    kmip_status status;
    assert_int_equal(kmip_uid_request_parse(payload, &uid, &status), KMIP_OK);
    assert_null(uid);
    kmip_item_free(payload);
}

static void test_revoke_request_matches_vector_and_parses(void **state)
{
    (void)state;
    kmip_revoke_args args = {
        activate_uid, KMIP_REVOCATION_REASON_CODE_KEY_COMPROMISE, NULL, 6};
    assert_encodes_to_vector(kmip_revoke_request(v11, &args),
                             "payload-revoke-request.hex");
    kmip_item *payload = decode_vector("payload-revoke-request.hex");
    kmip_revoke_args parsed;
    kmip_status status;
    assert_int_equal(kmip_revoke_request_parse(payload, &parsed, &status),
                     KMIP_OK);
    assert_string_equal(parsed.uid, activate_uid);
    assert_int_equal(parsed.reason_code,
                     KMIP_REVOCATION_REASON_CODE_KEY_COMPROMISE);
    assert_null(parsed.reason_message);
    assert_int_equal(parsed.compromise_occurrence_date, 6);
    kmip_item_free(payload);
}

static void test_revoke_request_without_reason_names_it(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-revoke-request.hex");
    kmip_item *reason = must_find(payload, KMIP_TAG_REVOCATION_REASON);
    kmip_item_remove(payload, reason);
    kmip_item_free(reason);
    kmip_revoke_args parsed;
    kmip_status status;
    assert_int_equal(kmip_revoke_request_parse(payload, &parsed, &status),
                     KMIP_E_NOT_FOUND);
    assert_message_has(&status, "Revoke request: missing RevocationReason");
    kmip_item_free(payload);
}

static void test_get_request_matches_vector(void **state)
{
    (void)state;
    kmip_get_args args = {.uid = get_uid};
    assert_encodes_to_vector(kmip_get_request(v11, &args),
                             "payload-get-request.hex");
}

static void test_get_request_with_key_wrapping_round_trips(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-get-request-key-wrapping.hex");
    kmip_get_args args;
    kmip_status status;
    assert_int_equal(kmip_get_request_parse(payload, &args, &status), KMIP_OK);
    assert_string_equal(args.uid, get_uid);
    assert_int_equal(args.key_format_type, KMIP_KEY_FORMAT_TYPE_RAW);
    assert_int_equal(args.key_compression_type, 1);
    assert_non_null(args.key_wrapping_specification);
    assert_encodes_to_vector(kmip_get_request(v11, &args),
                             "payload-get-request-key-wrapping.hex");
    kmip_item_free(payload);
}

static const uint8_t des3_key[24] = {
    0x73, 0x67, 0x57, 0x80, 0x51, 0x01, 0x2a, 0x6d, 0x13, 0x4a, 0x85, 0x5e,
    0x25, 0xc8, 0xcd, 0x5e, 0x4c, 0xa1, 0x31, 0x45, 0x57, 0x29, 0xd3, 0xc8};

static void assert_get_result_is_3des(const kmip_get_result *result)
{
    assert_int_equal(result->object_type, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_string_equal(result->uid, get_uid);
    assert_int_equal(result->object.object_type,
                     KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(result->object.format, KMIP_KEY_FORMAT_TYPE_RAW);
    assert_int_equal(result->object.value.len, sizeof(des3_key));
    assert_memory_equal(result->object.value.data, des3_key, sizeof(des3_key));
    assert_null(result->object.transparent);
    assert_int_equal(result->object.algorithm,
                     KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES);
    assert_int_equal(result->object.length, 168);
}

static void test_get_response_gives_key_block_fields(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-get-response.hex");
    kmip_get_result result;
    kmip_status status;
    assert_int_equal(kmip_get_response(payload, &result, &status), KMIP_OK);
    assert_get_result_is_3des(&result);
    assert_encodes_to_vector(
        kmip_get_response_build(v11, result.uid, &result.object),
        "payload-get-response.hex");
    kmip_item_free(payload);
}

static void test_get_response_message_parses(void **state)
{
    (void)state;
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(decode_vector("msg-get-response.hex"),
                                         &resp, &status),
                     KMIP_OK);
    kmip_get_result result;
    assert_int_equal(
        kmip_get_response(resp->items[0].payload, &result, &status), KMIP_OK);
    assert_get_result_is_3des(&result);
    kmip_response_free(resp);
}

static void test_get_response_without_key_material_names_it(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-get-response.hex");
    kmip_item *value =
        must_find(must_find(must_find(payload, KMIP_TAG_SYMMETRIC_KEY),
                            KMIP_TAG_KEY_BLOCK),
                  KMIP_TAG_KEY_VALUE);
    kmip_item *material = must_find(value, KMIP_TAG_KEY_MATERIAL);
    kmip_item_remove(value, material);
    kmip_item_free(material);
    kmip_get_result result;
    kmip_status status;
    assert_int_equal(kmip_get_response(payload, &result, &status),
                     KMIP_E_NOT_FOUND);
    assert_message_has(&status, "missing Key Material");
    kmip_item_free(payload);
}

static void test_get_response_of_wrong_object_fails(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-get-response.hex");
    must_find(payload, KMIP_TAG_OBJECT_TYPE)->v.enumeration =
        KMIP_OBJECT_TYPE_CERTIFICATE;
    kmip_get_result result;
    kmip_status status;
    assert_int_equal(kmip_get_response(payload, &result, &status),
                     KMIP_E_NOT_FOUND);
    assert_message_has(&status, "Get response: no object of type 0x1");
    kmip_item_free(payload);
}

/* Builds obj, parses it back and checks what came back. */
static void assert_object_round_trips(const kmip_object *obj,
                                      uint32_t expected_tag)
{
    kmip_item *item = kmip_object_build(obj);
    assert_non_null(item);
    assert_int_equal(item->tag, expected_tag);
    assert_int_equal(kmip_object_tag(obj->object_type), expected_tag);
    kmip_object back;
    kmip_status status;
    assert_int_equal(kmip_object_parse(item, &back, &status), KMIP_OK);
    assert_int_equal(back.object_type, obj->object_type);
    assert_int_equal(back.format, obj->format);
    assert_int_equal(back.secret_data_type, obj->secret_data_type);
    assert_int_equal(back.algorithm, obj->algorithm);
    assert_int_equal(back.length, obj->length);
    if (obj->transparent != NULL) {
        assert_non_null(back.transparent);
        assert_int_equal(back.transparent->tag, KMIP_TAG_KEY_MATERIAL);
    } else {
        assert_int_equal(back.value.len, obj->value.len);
        assert_memory_equal(back.value.data, obj->value.data, obj->value.len);
    }
    kmip_item_free(item);
}

static void test_every_object_kind_builds_and_parses(void **state)
{
    (void)state;
    const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    const kmip_bytes value = {der, sizeof(der)};
    const kmip_object cert = {.object_type = KMIP_OBJECT_TYPE_CERTIFICATE,
                              .format = KMIP_CERTIFICATE_TYPE_X_509,
                              .value = value};
    assert_object_round_trips(&cert, KMIP_TAG_CERTIFICATE);
    const kmip_object secret = {.object_type = KMIP_OBJECT_TYPE_SECRET_DATA,
                                .format = KMIP_KEY_FORMAT_TYPE_OPAQUE,
                                .secret_data_type =
                                    KMIP_SECRET_DATA_TYPE_PASSWORD,
                                .value = value};
    assert_object_round_trips(&secret, KMIP_TAG_SECRET_DATA);
    const kmip_object opaque = {.object_type = KMIP_OBJECT_TYPE_OPAQUE_DATA,
                                .format = 0x80000001u,
                                .value = value};
    assert_object_round_trips(&opaque, KMIP_TAG_OPAQUE_OBJECT);
    const kmip_object priv = {.object_type = KMIP_OBJECT_TYPE_PRIVATE_KEY,
                              .format = KMIP_KEY_FORMAT_TYPE_PKCS_8,
                              .value = value,
                              .algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA,
                              .length = 2048};
    assert_object_round_trips(&priv, KMIP_TAG_PRIVATE_KEY);

    kmip_item *material = kmip_item_new_structure(KMIP_TAG_KEY_MATERIAL);
    assert_non_null(kmip_add_bytes(material, KMIP_TAG_KEY, des3_key, 16));
    const kmip_object transparent = {
        .object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
        .format = KMIP_KEY_FORMAT_TYPE_TRANSPARENT_SYMMETRIC_KEY,
        .transparent = material,
        .algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_AES,
        .length = 128};
    assert_object_round_trips(&transparent, KMIP_TAG_SYMMETRIC_KEY);
    kmip_item_free(material);
}

static void test_object_build_refuses_incomplete_input(void **state)
{
    (void)state;
    const kmip_bytes key = {des3_key, sizeof(des3_key)};
    const kmip_object no_value = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                                  .format = KMIP_KEY_FORMAT_TYPE_RAW};
    assert_null(kmip_object_build(&no_value));
    const kmip_object template = {.object_type = KMIP_OBJECT_TYPE_TEMPLATE,
                                  .format = KMIP_KEY_FORMAT_TYPE_RAW,
                                  .value = key};
    assert_null(kmip_object_build(&template));
    const kmip_object no_secret_type = {.object_type =
                                            KMIP_OBJECT_TYPE_SECRET_DATA,
                                        .format = KMIP_KEY_FORMAT_TYPE_OPAQUE,
                                        .value = key};
    assert_null(kmip_object_build(&no_secret_type));
}

static void test_wrapped_key_value_is_given_as_bytes(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-get-response.hex");
    kmip_item *block = must_find(must_find(payload, KMIP_TAG_SYMMETRIC_KEY),
                                 KMIP_TAG_KEY_BLOCK);
    kmip_item *value = must_find(block, KMIP_TAG_KEY_VALUE);
    kmip_item_remove(block, value);
    kmip_item_free(value);
    assert_non_null(
        kmip_add_bytes(block, KMIP_TAG_KEY_VALUE, des3_key, sizeof(des3_key)));
    assert_non_null(kmip_add_structure(block, KMIP_TAG_KEY_WRAPPING_DATA));
    kmip_get_result result;
    kmip_status status;
    assert_int_equal(kmip_get_response(payload, &result, &status), KMIP_OK);
    assert_int_equal(result.object.value.len, sizeof(des3_key));
    assert_non_null(result.object.wrapping_data);
    kmip_item_free(payload);
}

static void
test_wrapped_key_builds_as_bytes_with_its_wrapping_data(void **state)
{
    (void)state;
    kmip_item *data = kmip_item_new_structure(KMIP_TAG_KEY_WRAPPING_DATA);
    assert_non_null(kmip_add_enum(data, KMIP_TAG_WRAPPING_METHOD,
                                  KMIP_WRAPPING_METHOD_ENCRYPT));
    kmip_object obj = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                       .format = KMIP_KEY_FORMAT_TYPE_RAW,
                       .value = {des3_key, sizeof(des3_key)},
                       .algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_AES,
                       .wrapping_data = data};
    kmip_item *item = kmip_object_build(&obj);
    kmip_item_free(data);
    kmip_item *block = must_find(item, KMIP_TAG_KEY_BLOCK);
    assert_int_equal(must_find(block, KMIP_TAG_KEY_VALUE)->type,
                     KMIP_TYPE_BYTE_STRING);
    kmip_object back;
    kmip_status status;
    assert_int_equal(kmip_object_parse(item, &back, &status), KMIP_OK);
    assert_memory_equal(back.value.data, des3_key, sizeof(des3_key));
    assert_int_equal(back.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES);
    assert_non_null(back.wrapping_data);
    assert_non_null(
        kmip_item_find(back.wrapping_data, KMIP_TAG_WRAPPING_METHOD));
    kmip_item_free(item);
}

static void test_locate_request_matches_vector_and_parses(void **state)
{
    (void)state;
    kmip_item *filters = kmip_attrs_new();
    assert_non_null(
        kmip_add_text(filters, KMIP_TAG_OBJECT_GROUP, "RoundRobinTestGroup"));
    kmip_locate_args args = {KMIP_INT(1), KMIP_INT(1), KMIP_INT(3),
                             KMIP_OBJECT_GROUP_MEMBER_GROUP_MEMBER_DEFAULT,
                             filters};
    assert_encodes_to_vector(kmip_locate_request(v11, &args),
                             "payload-locate-request.hex");
    kmip_item_free(filters);

    kmip_item *payload = decode_vector("payload-locate-request.hex");
    kmip_locate_args parsed;
    kmip_status status;
    assert_int_equal(kmip_locate_request_parse(payload, &parsed, &status),
                     KMIP_OK);
    assert_true(parsed.maximum_items.present);
    assert_int_equal(parsed.maximum_items.value, 1);
    assert_int_equal(parsed.offset_items.value, 1);
    assert_int_equal(parsed.storage_status_mask.value, 3);
    assert_int_equal(parsed.object_group_member,
                     KMIP_OBJECT_GROUP_MEMBER_GROUP_MEMBER_DEFAULT);
    kmip_item *attrs = NULL;
    assert_int_equal(kmip_attrs_decode(parsed.attributes, &attrs, &status),
                     KMIP_OK);
    const char *group;
    size_t len;
    assert_int_equal(
        kmip_get_text(attrs, KMIP_TAG_OBJECT_GROUP, &group, &len, &status),
        KMIP_OK);
    assert_string_equal(group, "RoundRobinTestGroup");
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

static void test_locate_request_message_matches_vector(void **state)
{
    (void)state;
    kmip_item *filters = kmip_attrs_new();
    assert_non_null(
        kmip_attrs_add_object_type(filters, KMIP_OBJECT_TYPE_SYMMETRIC_KEY));
    assert_non_null(kmip_attrs_add_name(filters, "Key1"));
    kmip_locate_args args = {.attributes = filters};
    kmip_request_item item = {KMIP_OPERATION_LOCATE,
                              kmip_locate_request(v11, &args)};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(
        kmip_request_build(v11, NULL, NULL, &item, 1, false, &msg, &status),
        KMIP_OK);
    assert_encodes_to_vector(msg, "msg-locate-request.hex");
    kmip_item_free(filters);
}

static void test_locate_request_v2_carries_an_attributes_structure(void **state)
{
    (void)state;
    kmip_item *filters = kmip_attrs_new();
    assert_non_null(kmip_attrs_add_name(filters, "Key1"));
    kmip_locate_args args = {.maximum_items = KMIP_INT(5),
                             .attributes = filters};
    kmip_item *payload = kmip_locate_request(v20, &args);
    kmip_item *container = must_find(payload, KMIP_TAG_ATTRIBUTES);
    assert_non_null(kmip_item_find(container, KMIP_TAG_NAME));
    assert_null(kmip_item_find(payload, KMIP_TAG_ATTRIBUTE));
    kmip_locate_args parsed;
    kmip_status status;
    assert_int_equal(kmip_locate_request_parse(payload, &parsed, &status),
                     KMIP_OK);
    assert_ptr_equal(parsed.attributes, container);
    kmip_item_free(payload);
    kmip_item_free(filters);
}

static void test_locate_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-locate-response.hex");
    kmip_locate_result result;
    kmip_status status;
    assert_int_equal(kmip_locate_response(payload, &result, &status), KMIP_OK);
    assert_true(result.located_items.present);
    assert_int_equal(result.located_items.value, 1);
    assert_int_equal(result.uids.count, 1);
    const char *uid = (const char *)result.uids.first->v.bytes.data;
    assert_string_equal(uid, "8d945322-fd70-495d-bf7f-71481d1401f6");
    assert_encodes_to_vector(
        kmip_locate_response_build(v11, result.located_items, &uid, 1),
        "payload-locate-response.hex");
    kmip_item_free(payload);
}

static void test_locate_response_with_a_numeric_uid_fails(void **state)
{
    (void)state;
    kmip_item *payload =
        kmip_locate_response_build(v11, (kmip_opt_int){0}, NULL, 0);
    assert_non_null(kmip_add_integer(payload, KMIP_TAG_UNIQUE_IDENTIFIER, 7));
    kmip_locate_result result;
    kmip_status status;
    assert_int_equal(kmip_locate_response(payload, &result, &status),
                     KMIP_E_DECODE);
    assert_message_has(&status, "UniqueIdentifier must be a TextString");
    kmip_item_free(payload);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_activate_and_destroy_requests_match_vectors),
        cmocka_unit_test(test_uid_responses_parse_and_build),
        cmocka_unit_test(test_request_without_uid_uses_the_id_placeholder),
        cmocka_unit_test(test_revoke_request_matches_vector_and_parses),
        cmocka_unit_test(test_revoke_request_without_reason_names_it),
        cmocka_unit_test(test_get_request_matches_vector),
        cmocka_unit_test(test_get_request_with_key_wrapping_round_trips),
        cmocka_unit_test(
            test_wrapped_key_builds_as_bytes_with_its_wrapping_data),
        cmocka_unit_test(test_get_response_gives_key_block_fields),
        cmocka_unit_test(test_get_response_message_parses),
        cmocka_unit_test(test_get_response_without_key_material_names_it),
        cmocka_unit_test(test_get_response_of_wrong_object_fails),
        cmocka_unit_test(test_every_object_kind_builds_and_parses),
        cmocka_unit_test(test_object_build_refuses_incomplete_input),
        cmocka_unit_test(test_wrapped_key_value_is_given_as_bytes),
        cmocka_unit_test(test_locate_request_matches_vector_and_parses),
        cmocka_unit_test(test_locate_request_message_matches_vector),
        cmocka_unit_test(
            test_locate_request_v2_carries_an_attributes_structure),
        cmocka_unit_test(test_locate_response_parses_and_builds),
        cmocka_unit_test(test_locate_response_with_a_numeric_uid_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
