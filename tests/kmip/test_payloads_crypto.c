/* SPDX-License-Identifier: Apache-2.0 */
/* Encrypt, Decrypt, Sign, Signature Verify, MAC and RNG Retrieve payloads,
 * and Cryptographic Parameters, against the vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/payloads.h"
#include "msg_test_util.h"

static const kmip_version v12 = {1, 2};
static const kmip_version v14 = {1, 4};
static const char crypt_uid[] = "b4faee10-aa2a-4446-8ad4-0881f3422959";
static const uint8_t data8[] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
static const uint8_t iv1[] = {0x01};
static const uint8_t aad4[] = {0x01, 0x10, 0x80, 0xff};
static const uint8_t tag3[] = {0x01, 0x90, 0xfe};
static const uint8_t seq16[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                0x09, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16};

#define BYTES(array) ((kmip_bytes){(array), sizeof(array)})

/* The Cryptographic Parameters of the Encrypt and Decrypt vectors. */
static kmip_crypto_params vector_params(void)
{
    return (kmip_crypto_params){
        .present = true,
        .block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC,
        .padding_method = KMIP_PADDING_METHOD_PKCS5,
        .hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_1,
        .key_role_type = KMIP_KEY_ROLE_TYPE_KEK,
        .digital_signature_algorithm =
            KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA256_WITH_RSA_ENCRYPTION,
        .cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_AES,
        .random_iv = KMIP_BOOL(true),
        .iv_length = KMIP_INT(96),
        .tag_length = KMIP_INT(128),
        .fixed_field_length = KMIP_INT(32),
        .invocation_field_length = KMIP_INT(64),
        .counter_length = KMIP_INT(0),
        .initial_counter_value = KMIP_INT(1),
    };
}

static void test_encrypt_request_matches_vector(void **state)
{
    (void)state;
    kmip_crypto_args args = {.uid = crypt_uid,
                             .params = vector_params(),
                             .data = BYTES(data8),
                             .iv = BYTES(iv1),
                             .aad = BYTES(aad4)};
    assert_encodes_to_vector(kmip_encrypt_request(v14, &args),
                             "payload-encrypt-request.hex");
}

static void test_decrypt_request_matches_vector_and_parses(void **state)
{
    (void)state;
    kmip_crypto_args args = {.uid = crypt_uid,
                             .params = vector_params(),
                             .data = BYTES(data8),
                             .iv = BYTES(iv1),
                             .aad = BYTES(aad4),
                             .tag = BYTES(tag3)};
    assert_encodes_to_vector(kmip_decrypt_request(v14, &args),
                             "payload-decrypt-request.hex");
    kmip_item *payload = decode_vector("payload-decrypt-request.hex");
    kmip_crypto_args parsed;
    kmip_status status;
    assert_int_equal(kmip_crypto_request_parse(KMIP_OPERATION_DECRYPT, payload,
                                               &parsed, &status),
                     KMIP_OK);
    assert_string_equal(parsed.uid, crypt_uid);
    assert_true(parsed.params.present);
    assert_int_equal(parsed.params.block_cipher_mode,
                     KMIP_BLOCK_CIPHER_MODE_CBC);
    assert_true(parsed.params.counter_length.present);
    assert_int_equal(parsed.params.counter_length.value, 0);
    assert_false(parsed.params.salt_length.present);
    assert_int_equal(parsed.tag.len, sizeof(tag3));
    assert_memory_equal(parsed.tag.data, tag3, sizeof(tag3));
    assert_int_equal(parsed.aad.len, sizeof(aad4));
    /* and it encodes back to the same bytes */
    assert_encodes_to_vector(kmip_decrypt_request(v14, &parsed),
                             "payload-decrypt-request.hex");
    kmip_item_free(payload);
}

static kmip_crypto_params algorithm_only(uint32_t algorithm)
{
    return (kmip_crypto_params){.present = true,
                                .cryptographic_algorithm = algorithm};
}

static void test_sign_request_matches_vector(void **state)
{
    (void)state;
    kmip_crypto_args args = {
        .uid = crypt_uid,
        .params = algorithm_only(KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA),
        .data = BYTES(seq16)};
    assert_encodes_to_vector(kmip_sign_request(v12, &args),
                             "payload-sign-request.hex");
}

static void test_sign_request_can_carry_digested_data(void **state)
{
    (void)state;
    kmip_crypto_args args = {.uid = crypt_uid, .digested_data = BYTES(seq16)};
    kmip_item *payload = kmip_sign_request(v14, &args);
    assert_null(kmip_item_find(payload, KMIP_TAG_DATA));
    kmip_crypto_args parsed;
    kmip_status status;
    assert_int_equal(kmip_crypto_request_parse(KMIP_OPERATION_SIGN, payload,
                                               &parsed, &status),
                     KMIP_OK);
    assert_null(parsed.data.data);
    assert_int_equal(parsed.digested_data.len, sizeof(seq16));
    assert_false(parsed.params.present);
    kmip_item_free(payload);
}

static void test_signature_verify_request_round_trips(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-signature-verify-request.hex");
    kmip_crypto_args parsed;
    kmip_status status;
    assert_int_equal(kmip_crypto_request_parse(KMIP_OPERATION_SIGNATURE_VERIFY,
                                               payload, &parsed, &status),
                     KMIP_OK);
    assert_int_equal(parsed.data.len, 217);
    assert_int_equal(parsed.signature_data.len, 128);
    assert_int_equal(parsed.digested_data.len, 16);
    assert_true(parsed.init_indicator.value);
    assert_true(parsed.final_indicator.present);
    assert_false(parsed.final_indicator.value);
    assert_encodes_to_vector(kmip_signature_verify_request(v14, &parsed),
                             "payload-signature-verify-request.hex");
    kmip_item_free(payload);
}

static void test_mac_request_and_message_match_vectors(void **state)
{
    (void)state;
    const uint8_t data[16] = {0, 1, 2,  3,  4,  5,  6,  7,
                              8, 9, 10, 11, 12, 13, 14, 15};
    kmip_crypto_args args = {
        .uid = "1",
        .params = algorithm_only(KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA512),
        .data = BYTES(data)};
    assert_encodes_to_vector(kmip_mac_request(v12, &args),
                             "payload-mac-request.hex");
    kmip_request_item item = {KMIP_OPERATION_MAC, kmip_mac_request(v12, &args)};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(
        kmip_request_build(v12, NULL, NULL, &item, 1, false, &msg, &status),
        KMIP_OK);
    assert_encodes_to_vector(msg, "msg-mac-request.hex");
}

/* Parses a response vector for operation and builds it back. */
static kmip_crypto_result assert_response_round_trips(uint32_t operation,
                                                      const char *vector,
                                                      kmip_item **payload)
{
    *payload = decode_vector(vector);
    kmip_crypto_result result;
    kmip_status status;
    assert_int_equal(
        kmip_crypto_response(operation, *payload, &result, &status), KMIP_OK);
    assert_encodes_to_vector(
        kmip_crypto_response_build(operation, v14, &result), vector);
    return result;
}

static void test_encrypt_and_decrypt_responses_parse(void **state)
{
    (void)state;
    kmip_item *payload;
    kmip_crypto_result r = assert_response_round_trips(
        KMIP_OPERATION_ENCRYPT, "payload-encrypt-response.hex", &payload);
    assert_string_equal(r.uid, crypt_uid);
    assert_memory_equal(r.data.data, data8, sizeof(data8));
    assert_memory_equal(r.iv.data, iv1, sizeof(iv1));
    assert_memory_equal(r.tag.data, tag3, sizeof(tag3));
    kmip_item_free(payload);
    r = assert_response_round_trips(KMIP_OPERATION_DECRYPT,
                                    "payload-decrypt-response.hex", &payload);
    assert_int_equal(r.data.len, sizeof(data8));
    assert_null(r.iv.data);
    kmip_item_free(payload);
}

static void test_sign_verify_and_mac_responses_parse(void **state)
{
    (void)state;
    kmip_item *payload;
    kmip_crypto_result r = assert_response_round_trips(
        KMIP_OPERATION_SIGN, "payload-sign-response.hex", &payload);
    assert_memory_equal(r.signature_data.data, seq16, sizeof(seq16));
    kmip_item_free(payload);
    r = assert_response_round_trips(KMIP_OPERATION_SIGNATURE_VERIFY,
                                    "payload-signature-verify-response.hex",
                                    &payload);
    assert_int_equal(r.validity_indicator, KMIP_VALIDITY_INDICATOR_VALID);
    assert_int_equal(r.correlation_value.len, 1);
    kmip_item_free(payload);
    r = assert_response_round_trips(KMIP_OPERATION_MAC,
                                    "payload-mac-response.hex", &payload);
    assert_int_equal(r.mac_data.len, 64);
    assert_string_equal(r.uid, "1");
    kmip_item_free(payload);
}

static void test_mac_response_message_parses(void **state)
{
    (void)state;
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(decode_vector("msg-mac-response.hex"),
                                         &resp, &status),
                     KMIP_OK);
    kmip_crypto_result r;
    assert_int_equal(kmip_crypto_response(KMIP_OPERATION_MAC,
                                          resp->items[0].payload, &r, &status),
                     KMIP_OK);
    assert_int_equal(r.mac_data.len, 64);
    assert_int_equal(r.mac_data.data[0], 0x99);
    kmip_response_free(resp);
}

static void test_signature_verify_response_needs_validity(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-signature-verify-response.hex");
    kmip_item *validity = must_find(payload, KMIP_TAG_VALIDITY_INDICATOR);
    kmip_item_remove(payload, validity);
    kmip_item_free(validity);
    kmip_crypto_result r;
    kmip_status status;
    assert_int_equal(kmip_crypto_response(KMIP_OPERATION_SIGNATURE_VERIFY,
                                          payload, &r, &status),
                     KMIP_E_NOT_FOUND);
    assert_message_has(&status,
                       "Signature Verify response: missing ValidityIndicator");
    kmip_item_free(payload);
}

static void test_encrypt_request_with_text_data_is_refused(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-encrypt-request.hex");
    must_find(payload, KMIP_TAG_DATA)->type = KMIP_TYPE_TEXT_STRING;
    kmip_crypto_args parsed;
    kmip_status status;
    assert_int_equal(kmip_crypto_request_parse(KMIP_OPERATION_ENCRYPT, payload,
                                               &parsed, &status),
                     KMIP_E_DECODE);
    assert_message_has(&status, "Encrypt request: Data must be a ByteString");
    kmip_item_free(payload);
}

static void test_crypto_params_with_bad_field_type_are_refused(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-encrypt-request.hex");
    kmip_item *params = must_find(payload, KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS);
    must_find(params, KMIP_TAG_IV_LENGTH)->type = KMIP_TYPE_ENUMERATION;
    kmip_crypto_params parsed;
    kmip_status status;
    assert_int_equal(kmip_crypto_params_parse(params, &parsed, &status),
                     KMIP_E_DECODE);
    assert_false(parsed.present);
    assert_message_has(&status,
                       "Cryptographic Parameters: IVLength must be a Integer");
    kmip_item_free(payload);
}

static void test_every_crypto_params_field_round_trips(void **state)
{
    (void)state;
    const uint8_t label[] = {'L'};
    kmip_crypto_params params = vector_params();
    params.salt_length = KMIP_INT(32);
    params.mask_generator = KMIP_MASK_GENERATOR_MGF1;
    params.mask_generator_hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_256;
    params.p_source = BYTES(label);
    params.trailer_field = KMIP_INT(1);
    kmip_item *item = kmip_crypto_params_build(&params);
    assert_int_equal(item->v.children.count, 18);
    kmip_crypto_params parsed;
    kmip_status status;
    assert_int_equal(kmip_crypto_params_parse(item, &parsed, &status), KMIP_OK);
    assert_true(parsed.present);
    assert_int_equal(parsed.salt_length.value, 32);
    assert_int_equal(parsed.mask_generator, KMIP_MASK_GENERATOR_MGF1);
    assert_int_equal(parsed.mask_generator_hashing_algorithm,
                     KMIP_HASHING_ALGORITHM_SHA_256);
    assert_memory_equal(parsed.p_source.data, label, 1);
    assert_int_equal(parsed.trailer_field.value, 1);
    assert_int_equal(parsed.initial_counter_value.value, 1);
    assert_true(parsed.random_iv.value);
    kmip_item_free(item);
}

static void test_rng_retrieve_request_and_response(void **state)
{
    (void)state;
    kmip_item *payload = kmip_rng_retrieve_request(v14, 32);
    kmip_crypto_args args;
    kmip_status status;
    assert_int_equal(kmip_crypto_request_parse(KMIP_OPERATION_RNG_RETRIEVE,
                                               payload, &args, &status),
                     KMIP_OK);
    assert_int_equal(args.data_length.value, 32);
    kmip_item_free(payload);

    kmip_crypto_result empty = {0};
    assert_null(
        kmip_crypto_response_build(KMIP_OPERATION_RNG_RETRIEVE, v14, &empty));
    payload = kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD);
    kmip_crypto_result r;
    assert_int_equal(
        kmip_crypto_response(KMIP_OPERATION_RNG_RETRIEVE, payload, &r, &status),
        KMIP_E_NOT_FOUND);
    assert_message_has(&status, "RNG Retrieve response: missing Data");
    kmip_item_free(payload);
}

static void test_other_operations_have_no_crypto_payload(void **state)
{
    (void)state;
    kmip_crypto_args args = {.uid = "1"};
    assert_null(kmip_crypto_request(KMIP_OPERATION_GET, v14, &args));
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD);
    kmip_crypto_result r;
    kmip_status status;
    assert_int_equal(
        kmip_crypto_response(KMIP_OPERATION_GET, payload, &r, &status),
        KMIP_E_INVALID_ARG);
    kmip_item_free(payload);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encrypt_request_matches_vector),
        cmocka_unit_test(test_decrypt_request_matches_vector_and_parses),
        cmocka_unit_test(test_sign_request_matches_vector),
        cmocka_unit_test(test_sign_request_can_carry_digested_data),
        cmocka_unit_test(test_signature_verify_request_round_trips),
        cmocka_unit_test(test_mac_request_and_message_match_vectors),
        cmocka_unit_test(test_encrypt_and_decrypt_responses_parse),
        cmocka_unit_test(test_sign_verify_and_mac_responses_parse),
        cmocka_unit_test(test_mac_response_message_parses),
        cmocka_unit_test(test_signature_verify_response_needs_validity),
        cmocka_unit_test(test_encrypt_request_with_text_data_is_refused),
        cmocka_unit_test(test_crypto_params_with_bad_field_type_are_refused),
        cmocka_unit_test(test_every_crypto_params_field_round_trips),
        cmocka_unit_test(test_rng_retrieve_request_and_response),
        cmocka_unit_test(test_other_operations_have_no_crypto_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
