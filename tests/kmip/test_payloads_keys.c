/* SPDX-License-Identifier: Apache-2.0 */
/* Create, Create Key Pair and Register payloads against the vectors. */
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

static kmip_item *decode_attrs(const kmip_item *container)
{
    kmip_item *attrs = NULL;
    kmip_status status;
    if (kmip_attrs_decode(container, &attrs, &status) != KMIP_OK)
        fail_msg("%s", status.message);
    return attrs;
}

static kmip_item *state_pre_active(void)
{
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(kmip_attrs_add_state(attrs, KMIP_STATE_PRE_ACTIVE));
    return attrs;
}

static void test_create_request_v1_matches_vector(void **state)
{
    (void)state;
    kmip_item *attrs = aes_128_encrypt_decrypt();
    kmip_create_args args = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs, 0};
    assert_encodes_to_vector(kmip_create_request(v11, &args),
                             "payload-create-request.hex");
    kmip_item_free(attrs);
}

static void test_create_request_v2_matches_vector(void **state)
{
    (void)state;
    kmip_item *attrs = aes_128_encrypt_decrypt();
    kmip_create_args args = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs, 3};
    assert_encodes_to_vector(kmip_create_request(v20, &args),
                             "payload-create-request-v20.hex");
    kmip_item_free(attrs);
}

static void test_create_request_message_matches_vector(void **state)
{
    (void)state;
    kmip_item *attrs = aes_128_encrypt_decrypt();
    kmip_create_args args = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs, 0};
    kmip_request_item item = {KMIP_OPERATION_CREATE,
                              kmip_create_request(v11, &args)};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(
        kmip_request_build(v11, NULL, NULL, &item, 1, false, &msg, &status),
        KMIP_OK);
    assert_encodes_to_vector(msg, "msg-create-request.hex");
    kmip_item_free(attrs);
}

static void assert_create_request_parses(const char *vector, int32_t psm)
{
    kmip_item *payload = decode_vector(vector);
    kmip_create_args args;
    kmip_status status;
    assert_int_equal(kmip_create_request_parse(payload, &args, &status),
                     KMIP_OK);
    assert_int_equal(args.object_type, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(args.protection_storage_mask, psm);
    kmip_item *attrs = decode_attrs(args.attributes);
    uint32_t alg = 0, mask = 0;
    int32_t length = 0;
    assert_int_equal(kmip_attrs_get_algorithm(attrs, &alg, &status), KMIP_OK);
    assert_int_equal(alg, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES);
    assert_int_equal(kmip_attrs_get_length(attrs, &length, &status), KMIP_OK);
    assert_int_equal(length, 128);
    assert_int_equal(kmip_attrs_get_usage_mask(attrs, &mask, &status), KMIP_OK);
    assert_int_equal(mask, 12);
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

static void test_create_request_parses_in_both_forms(void **state)
{
    (void)state;
    assert_create_request_parses("payload-create-request.hex", 0);
    assert_create_request_parses("payload-create-request-v20.hex", 3);
}

static void test_create_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-create-response.hex");
    kmip_create_result result;
    kmip_status status;
    assert_int_equal(kmip_create_response(payload, &result, &status), KMIP_OK);
    assert_int_equal(result.object_type, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_string_equal(result.uid, "fb4b5b9c-6188-4c63-8142-fe9c328129fc");
    kmip_item *attrs = decode_attrs(result.attributes);
    uint32_t st = 0;
    assert_int_equal(kmip_attrs_get_state(attrs, &st, &status), KMIP_OK);
    assert_int_equal(st, KMIP_STATE_PRE_ACTIVE);
    assert_encodes_to_vector(
        kmip_create_response_build(v11, result.object_type, result.uid, attrs),
        "payload-create-response.hex");
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

static void test_create_response_without_uid_names_the_field(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-create-response.hex");
    kmip_item *uid = must_find(payload, KMIP_TAG_UNIQUE_IDENTIFIER);
    kmip_item_remove(payload, uid);
    kmip_item_free(uid);
    kmip_create_result result;
    kmip_status status;
    assert_int_equal(kmip_create_response(payload, &result, &status),
                     KMIP_E_NOT_FOUND);
    assert_message_has(&status, "Create response: missing UniqueIdentifier");
    kmip_item_free(payload);
}

static void test_create_request_with_integer_object_type_fails(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-create-request.hex");
    must_find(payload, KMIP_TAG_OBJECT_TYPE)->type = KMIP_TYPE_INTEGER;
    kmip_create_args args;
    kmip_status status;
    assert_int_equal(kmip_create_request_parse(payload, &args, &status),
                     KMIP_E_DECODE);
    assert_message_has(&status, "Create request: bad Object Type");
    kmip_item_free(payload);
}

/* The Create Key Pair sets of the 8.1.0 test case. */
typedef struct key_pair_sets {
    kmip_item *common, *private_key, *public_key;
} key_pair_sets;

static key_pair_sets rsa_1024_sets(void)
{
    key_pair_sets sets = {kmip_attrs_new(), kmip_attrs_new(), kmip_attrs_new()};
    assert_non_null(kmip_attrs_add_algorithm(sets.common,
                                             KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA));
    assert_non_null(kmip_attrs_add_length(sets.common, 1024));
    assert_non_null(kmip_attrs_add_name(sets.private_key, "PrivateKey1"));
    assert_non_null(kmip_attrs_add_usage_mask(
        sets.private_key, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN));
    assert_non_null(kmip_attrs_add_name(sets.public_key, "PublicKey1"));
    assert_non_null(kmip_attrs_add_usage_mask(
        sets.public_key, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY));
    return sets;
}

static void assert_key_pair_request(kmip_version v, const char *vector)
{
    key_pair_sets sets = rsa_1024_sets();
    kmip_create_key_pair_args args = {sets.common, sets.private_key,
                                      sets.public_key};
    assert_encodes_to_vector(kmip_create_key_pair_request(v, &args), vector);
    kmip_item_free(sets.common);
    kmip_item_free(sets.private_key);
    kmip_item_free(sets.public_key);
}

static void test_create_key_pair_request_v1_matches_vector(void **state)
{
    (void)state;
    assert_key_pair_request(v11, "payload-create-key-pair-request.hex");
}

static void test_create_key_pair_request_v2_matches_vector(void **state)
{
    (void)state;
    assert_key_pair_request(v20, "payload-create-key-pair-request-v20.hex");
}

static void assert_key_pair_request_parses(const char *vector)
{
    kmip_item *payload = decode_vector(vector);
    kmip_create_key_pair_args args;
    kmip_status status;
    assert_int_equal(
        kmip_create_key_pair_request_parse(payload, &args, &status), KMIP_OK);
    kmip_item *common = decode_attrs(args.common);
    kmip_item *priv = decode_attrs(args.private_key);
    kmip_item *pub = decode_attrs(args.public_key);
    int32_t length = 0;
    const char *name;
    assert_int_equal(kmip_attrs_get_length(common, &length, &status), KMIP_OK);
    assert_int_equal(length, 1024);
    assert_int_equal(kmip_attrs_get_name(priv, &name, &status), KMIP_OK);
    assert_string_equal(name, "PrivateKey1");
    assert_int_equal(kmip_attrs_get_name(pub, &name, &status), KMIP_OK);
    assert_string_equal(name, "PublicKey1");
    kmip_item_free(common);
    kmip_item_free(priv);
    kmip_item_free(pub);
    kmip_item_free(payload);
}

static void test_create_key_pair_request_parses_in_both_forms(void **state)
{
    (void)state;
    assert_key_pair_request_parses("payload-create-key-pair-request.hex");
    assert_key_pair_request_parses("payload-create-key-pair-request-v20.hex");
}

static void test_create_key_pair_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-create-key-pair-response.hex");
    kmip_create_key_pair_result result;
    kmip_status status;
    assert_int_equal(kmip_create_key_pair_response(payload, &result, &status),
                     KMIP_OK);
    assert_string_equal(result.private_uid,
                        "7f7ee394-40f9-444c-818c-fb1ae57bdf15");
    assert_string_equal(result.public_uid,
                        "79c0eb55-d020-43de-b72f-5e18c862647c");
    assert_non_null(result.private_attributes);
    assert_non_null(result.public_attributes);
    kmip_item *attrs = state_pre_active();
    assert_encodes_to_vector(
        kmip_create_key_pair_response_build(v11, result.private_uid,
                                            result.public_uid, attrs, attrs),
        "payload-create-key-pair-response.hex");
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

static void test_register_request_matches_vector(void **state)
{
    (void)state;
    /* The certificate bytes come from the vector itself. */
    kmip_item *expected = decode_vector("payload-register-request.hex");
    kmip_register_args parsed;
    kmip_status status;
    assert_int_equal(kmip_register_request_parse(expected, &parsed, &status),
                     KMIP_OK);
    assert_int_equal(parsed.object_type, KMIP_OBJECT_TYPE_CERTIFICATE);
    kmip_object cert;
    assert_int_equal(kmip_object_parse(parsed.object, &cert, &status), KMIP_OK);
    assert_int_equal(cert.format, KMIP_CERTIFICATE_TYPE_X_509);
    assert_int_equal(cert.value.len, 790);

    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(kmip_attrs_add_usage_mask(
        attrs, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN |
                   KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY));
    kmip_item *object = kmip_object_build(&cert);
    kmip_register_args args = {KMIP_OBJECT_TYPE_CERTIFICATE, attrs, object};
    assert_encodes_to_vector(kmip_register_request(v11, &args),
                             "payload-register-request.hex");
    kmip_item_free(object);
    kmip_item_free(attrs);
    kmip_item_free(expected);
}

static void test_register_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-register-response.hex");
    kmip_register_result result;
    kmip_status status;
    assert_int_equal(kmip_register_response(payload, &result, &status),
                     KMIP_OK);
    assert_string_equal(result.uid, "7091d0bf-548a-4d4a-93a6-6dd71cf75221");
    kmip_item *attrs = state_pre_active();
    assert_encodes_to_vector(
        kmip_register_response_build(v11, result.uid, attrs),
        "payload-register-response.hex");
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

/* msg-register-request registers a Template, an object KMIP 1.3
 * deprecated and this library does not model: the parser says so. */
static void test_register_of_a_template_is_refused(void **state)
{
    (void)state;
    kmip_item *msg = decode_vector("msg-register-request.hex");
    kmip_item *payload = must_find(must_find(msg, KMIP_TAG_BATCH_ITEM),
                                   KMIP_TAG_REQUEST_PAYLOAD);
    kmip_register_args args;
    kmip_status status;
    assert_int_equal(kmip_register_request_parse(payload, &args, &status),
                     KMIP_E_NOT_FOUND);
    assert_message_has(&status, "Register request: no object of type 0x6");
    kmip_item_free(msg);
}

static void assert_derive_request_round_trips(kmip_version v)
{
    static const uint8_t point[] = {4, 1, 2, 3}, info[] = {9, 8};
    kmip_item *attrs = aes_128_encrypt_decrypt();
    kmip_derive_key_args args = {
        .object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
        .uid = "ec-1",
        .derivation_method = KMIP_DERIVATION_METHOD_ASYMMETRIC_KEY,
        .params = {.crypto = {.present = true,
                              .hashing_algorithm =
                                  KMIP_HASHING_ALGORITHM_SHA_256},
                   .data = {point, sizeof(point)},
                   .salt = {info, sizeof(info)}},
        .attributes = attrs};
    kmip_item *payload = kmip_derive_key_request(v, &args);
    assert_non_null(payload);
    kmip_derive_key_args back;
    kmip_status status;
    assert_int_equal(kmip_derive_key_request_parse(payload, &back, &status),
                     KMIP_OK);
    assert_int_equal(back.object_type, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_string_equal(back.uid, "ec-1");
    assert_int_equal(back.uids.count, 1);
    assert_int_equal(back.derivation_method,
                     KMIP_DERIVATION_METHOD_ASYMMETRIC_KEY);
    assert_int_equal(back.params.crypto.hashing_algorithm,
                     KMIP_HASHING_ALGORITHM_SHA_256);
    assert_memory_equal(back.params.data.data, point, sizeof(point));
    assert_int_equal(back.params.salt.len, sizeof(info));
    assert_null(back.params.iv.data);
    kmip_item *decoded = decode_attrs(back.attributes);
    int32_t length;
    assert_int_equal(kmip_attrs_get_length(decoded, &length, &status), KMIP_OK);
    assert_int_equal(length, 128);
    kmip_item_free(decoded);
    kmip_item_free(attrs);
    kmip_item_free(payload);
}

static void test_derive_key_request_round_trips_in_both_forms(void **state)
{
    (void)state;
    assert_derive_request_round_trips(v11);
    assert_derive_request_round_trips(v20);
}

static void test_derive_key_request_needs_a_method(void **state)
{
    (void)state;
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    assert_non_null(kmip_add_enum(payload, KMIP_TAG_OBJECT_TYPE,
                                  KMIP_OBJECT_TYPE_SYMMETRIC_KEY));
    kmip_derive_key_args args;
    kmip_status status;
    assert_int_equal(kmip_derive_key_request_parse(payload, &args, &status),
                     KMIP_E_NOT_FOUND);
    assert_message_has(&status, "missing DerivationMethod");
    kmip_item_free(payload);
}

static void test_derive_key_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload = kmip_derive_key_response_build(v20, "new-1", NULL);
    kmip_derive_key_result result;
    kmip_status status;
    assert_int_equal(kmip_derive_key_response(payload, &result, &status),
                     KMIP_OK);
    assert_string_equal(result.uid, "new-1");
    kmip_item_free(payload);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_request_v1_matches_vector),
        cmocka_unit_test(test_create_request_v2_matches_vector),
        cmocka_unit_test(test_create_request_message_matches_vector),
        cmocka_unit_test(test_create_request_parses_in_both_forms),
        cmocka_unit_test(test_create_response_parses_and_builds),
        cmocka_unit_test(test_create_response_without_uid_names_the_field),
        cmocka_unit_test(test_create_request_with_integer_object_type_fails),
        cmocka_unit_test(test_create_key_pair_request_v1_matches_vector),
        cmocka_unit_test(test_create_key_pair_request_v2_matches_vector),
        cmocka_unit_test(test_create_key_pair_request_parses_in_both_forms),
        cmocka_unit_test(test_create_key_pair_response_parses_and_builds),
        cmocka_unit_test(test_register_request_matches_vector),
        cmocka_unit_test(test_register_response_parses_and_builds),
        cmocka_unit_test(test_register_of_a_template_is_refused),
        cmocka_unit_test(test_derive_key_request_round_trips_in_both_forms),
        cmocka_unit_test(test_derive_key_request_needs_a_method),
        cmocka_unit_test(test_derive_key_response_parses_and_builds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
