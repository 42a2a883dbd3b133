/* SPDX-License-Identifier: Apache-2.0 */
/* The client against PyKMIP, run under
 * integration/with_server.py --server pykmip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "kmip/attrs.h"
#include "kmip/client.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "e2e.h"

/* ---- Calls ---- */

/* One successful operation; the caller frees the response. */
static kmip_response *call_ok(kmip_client *client, uint32_t operation,
                              kmip_item *payload, int idempotent)
{
    kmip_response *resp = NULL;
    kmip_status status;
    if (kmip_client_call_one(client, operation, payload, idempotent, &resp,
                             &status) != KMIP_OK)
        fail_msg("operation 0x%x: %s", (unsigned)operation, status.message);
    return resp;
}

static const kmip_item *payload_of(const kmip_response *resp)
{
    assert_non_null(resp->items[0].payload);
    return resp->items[0].payload;
}

/* ---- Payloads (kmip/payloads.h) ---- */

static kmip_item *checked(kmip_item *payload)
{
    assert_non_null(payload);
    return payload;
}

static kmip_item *key_attrs(uint32_t algorithm, int32_t bits, uint32_t usage,
                            const char *name)
{
    kmip_item *attrs = e2e_key_attrs(algorithm, bits, usage);

    if (name != NULL)
        assert_non_null(kmip_attrs_add_name(attrs, name));
    return attrs;
}

static kmip_item *create_aes_payload(const char *name)
{
    kmip_item *attrs = key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 256,
                                 KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                                     KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT,
                                 name);
    kmip_create_args args = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                             .attributes = attrs};
    kmip_item *payload = checked(kmip_create_request(e2e_version, &args));
    kmip_item_free(attrs);
    return payload;
}

static kmip_item *create_rsa_pair_payload(const char *name)
{
    char public_name[128];
    snprintf(public_name, sizeof(public_name), "%s-public", name);
    kmip_item *common =
        key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0, NULL);
    kmip_item *private_key =
        key_attrs(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN, name);
    kmip_item *public_key =
        key_attrs(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, public_name);
    kmip_create_key_pair_args args = {
        .common = common, .private_key = private_key, .public_key = public_key};
    kmip_item *payload =
        checked(kmip_create_key_pair_request(e2e_version, &args));
    kmip_item_free(common);
    kmip_item_free(private_key);
    kmip_item_free(public_key);
    return payload;
}

static kmip_item *locate_by_name_payload(const char *name)
{
    kmip_item *filter = key_attrs(0, 0, 0, name);
    kmip_locate_args args = {.attributes = filter};
    kmip_item *payload = checked(kmip_locate_request(e2e_version, &args));
    kmip_item_free(filter);
    return payload;
}

/* Get Attributes of the State (uid NULL: the ID Placeholder). */
static kmip_item *get_state_payload(const char *uid)
{
    static const uint32_t state_tag = KMIP_TAG_STATE;
    return checked(
        kmip_get_attributes_request(e2e_version, uid, &state_tag, 1, NULL, 0));
}

static kmip_item *get_payload(const char *uid)
{
    kmip_get_args args = {.uid = uid};
    return checked(kmip_get_request(e2e_version, &args));
}

static kmip_item *sign_payload(const char *uid, const uint8_t *data, size_t len)
{
    kmip_crypto_args args = {
        .uid = uid,
        .params = {.present = true,
                   .padding_method = KMIP_PADDING_METHOD_PKCS1V15,
                   .hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_256,
                   .cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA},
        .data = {data, len},
    };
    return checked(kmip_sign_request(e2e_version, &args));
}

#define GCM_IV_LEN 12
#define GCM_TAG_LEN 16

/* Encrypt or Decrypt args for AES-GCM with a 16-byte tag. */
static kmip_crypto_args gcm_args(const char *uid, const uint8_t *iv,
                                 kmip_bytes aad)
{
    return (kmip_crypto_args){
        .uid = uid,
        .params = {.present = true,
                   .block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM,
                   .cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_AES,
                   .tag_length = KMIP_INT(GCM_TAG_LEN)},
        .iv = {iv, GCM_IV_LEN},
        .aad = aad,
    };
}

/* ---- Objects the tests need ---- */

static char *create_aes(kmip_client *client, const char *name)
{
    kmip_response *resp =
        call_ok(client, KMIP_OPERATION_CREATE, create_aes_payload(name), 0);
    kmip_create_result created;
    assert_int_equal(kmip_create_response(payload_of(resp), &created, NULL),
                     KMIP_OK);
    char *uid = strdup(created.uid);
    kmip_response_free(resp);
    return uid;
}

typedef struct key_pair {
    char *private_uid;
    char *public_uid;
} key_pair;

static key_pair create_rsa_pair(kmip_client *client, const char *name)
{
    kmip_response *resp = call_ok(client, KMIP_OPERATION_CREATE_KEY_PAIR,
                                  create_rsa_pair_payload(name), 0);
    kmip_create_key_pair_result created;
    assert_int_equal(
        kmip_create_key_pair_response(payload_of(resp), &created, NULL),
        KMIP_OK);
    key_pair pair = {.private_uid = strdup(created.private_uid),
                     .public_uid = strdup(created.public_uid)};
    kmip_response_free(resp);
    return pair;
}

static void simple_call(kmip_client *client, uint32_t operation,
                        kmip_item *payload)
{
    kmip_response_free(call_ok(client, operation, checked(payload), 1));
}

static void activate(kmip_client *client, const char *uid)
{
    simple_call(client, KMIP_OPERATION_ACTIVATE,
                kmip_activate_request(e2e_version, uid));
}

/* The public key's PKCS#1 DER as an EVP_PKEY (free with EVP_PKEY_free). */
static EVP_PKEY *get_public_key(kmip_client *client, const char *uid)
{
    kmip_response *resp =
        call_ok(client, KMIP_OPERATION_GET, get_payload(uid), 1);
    kmip_get_result got;
    assert_int_equal(kmip_get_response(payload_of(resp), &got, NULL), KMIP_OK);
    assert_int_equal(got.object_type, KMIP_OBJECT_TYPE_PUBLIC_KEY);
    assert_int_equal(got.object.format, KMIP_KEY_FORMAT_TYPE_PKCS_1);
    const unsigned char *der = got.object.value.data;
    EVP_PKEY *pkey =
        d2i_PublicKey(EVP_PKEY_RSA, NULL, &der, (long)got.object.value.len);
    assert_non_null(pkey);
    assert_ptr_equal(der, got.object.value.data + got.object.value.len);
    kmip_response_free(resp);
    return pkey;
}

/* ---- Tests ---- */

static void test_discover_versions_negotiates_pykmip_newest(void **state)
{
    (void)state;
    kmip_client *client = e2e_client(KMIP_VERSION(0, 0), false);
    kmip_version version;
    kmip_status status;
    assert_int_equal(kmip_client_version(client, &version, &status), KMIP_OK);
    assert_int_equal(version.major, 2);
    assert_int_equal(version.minor, 0);
    kmip_client_stats stats;
    kmip_client_get_stats(client, &stats);
    assert_int_equal(stats.requests, 1);
    kmip_client_free(client);
}

static void test_discover_versions_answers_the_common_version(void **state)
{
    static const kmip_version asked[] = {{2, 1}, {1, 4}};
    kmip_response *resp = call_ok(
        *state, KMIP_OPERATION_DISCOVER_VERSIONS,
        checked(kmip_discover_versions_request(e2e_version, asked, 2)), 1);
    kmip_version answered[8];
    size_t n = 0;
    assert_int_equal(
        kmip_discover_versions_parse(payload_of(resp), answered, 8, &n, NULL),
        KMIP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(answered[0].major, 1);
    assert_int_equal(answered[0].minor, 4);
    kmip_response_free(resp);
}

static void test_query_lists_operations_and_vendor(void **state)
{
    static const uint32_t functions[] = {
        KMIP_QUERY_FUNCTION_QUERY_OPERATIONS,
        KMIP_QUERY_FUNCTION_QUERY_SERVER_INFORMATION};
    kmip_response *resp =
        call_ok(*state, KMIP_OPERATION_QUERY,
                checked(kmip_query_request(e2e_version, functions, 2)), 1);
    kmip_query_result info;
    assert_int_equal(kmip_query_response(payload_of(resp), &info, NULL),
                     KMIP_OK);
    bool create = false, sign = false;
    for (const kmip_item *op = info.operations.first; op != NULL;
         op = kmip_item_next_with_tag(op, info.operations.tag)) {
        create |= op->v.enumeration == KMIP_OPERATION_CREATE;
        sign |= op->v.enumeration == KMIP_OPERATION_SIGN;
    }
    assert_true(create);
    assert_true(sign);
    assert_non_null(info.vendor_identification);
    assert_ptr_equal(strstr(info.vendor_identification, "PyKMIP"),
                     info.vendor_identification);
    kmip_response_free(resp);
}

static void test_create_aes_256_returns_uid(void **state)
{
    char *uid = create_aes(*state, "it-create-aes");
    assert_true(strlen(uid) > 0);
    free(uid);
}

static void test_create_key_pair_rsa_2048_returns_two_uids(void **state)
{
    key_pair pair = create_rsa_pair(*state, "it-create-rsa");
    assert_true(strlen(pair.private_uid) > 0);
    assert_true(strlen(pair.public_uid) > 0);
    assert_string_not_equal(pair.private_uid, pair.public_uid);
    free(pair.private_uid);
    free(pair.public_uid);
}

static void test_locate_by_name_finds_the_key(void **state)
{
    char name[64]; /* unique to the group: they share the server */
    snprintf(name, sizeof(name), "it-locate-me-%d.%d", (int)e2e_version.major,
             (int)e2e_version.minor);
    char *uid = create_aes(*state, name);
    kmip_response *resp =
        call_ok(*state, KMIP_OPERATION_LOCATE, locate_by_name_payload(name), 1);
    kmip_locate_result located;
    assert_int_equal(kmip_locate_response(payload_of(resp), &located, NULL),
                     KMIP_OK);
    assert_int_equal(located.uids.count, 1);
    assert_string_equal((const char *)located.uids.first->v.bytes.data, uid);
    free(uid);
    kmip_response_free(resp);
}

static void test_get_public_key_is_rsa_2048_pkcs1(void **state)
{
    key_pair pair = create_rsa_pair(*state, "it-get-public");
    EVP_PKEY *pkey = get_public_key(*state, pair.public_uid);
    assert_int_equal(EVP_PKEY_get_bits(pkey), 2048);
    EVP_PKEY_free(pkey);
    free(pair.private_uid);
    free(pair.public_uid);
}

/* The State of a Get Attributes response payload. */
static uint32_t state_in(const kmip_item *payload)
{
    kmip_get_attributes_result result;
    assert_int_equal(kmip_get_attributes_response(payload, &result, NULL),
                     KMIP_OK);
    kmip_item *attrs = NULL;
    assert_int_equal(kmip_attrs_decode(result.attributes, &attrs, NULL),
                     KMIP_OK);
    uint32_t state = 0;
    assert_int_equal(kmip_attrs_get_state(attrs, &state, NULL), KMIP_OK);
    kmip_item_free(attrs);
    return state;
}

static void test_activate_makes_key_active(void **state)
{
    char *uid = create_aes(*state, "it-activate");
    activate(*state, uid);
    kmip_response *resp = call_ok(*state, KMIP_OPERATION_GET_ATTRIBUTES,
                                  get_state_payload(uid), 1);
    assert_int_equal(state_in(payload_of(resp)), KMIP_STATE_ACTIVE);
    kmip_response_free(resp);
    free(uid);
}

static void test_sign_rsa_pkcs1_sha256_verifies_locally(void **state)
{
    static const uint8_t message[] = "signed by PyKMIP, verified here";
    key_pair pair = create_rsa_pair(*state, "it-sign");
    activate(*state, pair.private_uid);
    kmip_response *resp =
        call_ok(*state, KMIP_OPERATION_SIGN,
                sign_payload(pair.private_uid, message, sizeof(message)), 1);
    kmip_crypto_result signed_result;
    assert_int_equal(kmip_crypto_response(KMIP_OPERATION_SIGN, payload_of(resp),
                                          &signed_result, NULL),
                     KMIP_OK);
    kmip_bytes signature = signed_result.signature_data;
    assert_int_equal(signature.len, 256);

    EVP_PKEY *pkey = get_public_key(*state, pair.public_uid);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey),
                     1);
    assert_int_equal(EVP_DigestVerify(md, signature.data, signature.len,
                                      message, sizeof(message)),
                     1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    kmip_response_free(resp);
    free(pair.private_uid);
    free(pair.public_uid);
}

static void test_aes_gcm_round_trip_with_aad_and_tag(void **state)
{
    static const uint8_t plaintext[] = "AES-GCM through KMIP";
    static const uint8_t iv[GCM_IV_LEN] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    static const uint8_t aad[] = {0xA0, 0xA1, 0xA2};
    char *uid = create_aes(*state, "it-gcm");
    activate(*state, uid);

    kmip_crypto_args enc = gcm_args(uid, iv, (kmip_bytes){aad, sizeof(aad)});
    enc.data = (kmip_bytes){plaintext, sizeof(plaintext)};
    kmip_response *encrypted =
        call_ok(*state, KMIP_OPERATION_ENCRYPT,
                checked(kmip_encrypt_request(e2e_version, &enc)), 1);
    kmip_crypto_result sealed;
    assert_int_equal(kmip_crypto_response(KMIP_OPERATION_ENCRYPT,
                                          payload_of(encrypted), &sealed, NULL),
                     KMIP_OK);
    assert_int_equal(sealed.data.len, sizeof(plaintext));
    assert_int_equal(sealed.tag.len, GCM_TAG_LEN);
    assert_memory_not_equal(sealed.data.data, plaintext, sizeof(plaintext));

    kmip_crypto_args dec = gcm_args(uid, iv, (kmip_bytes){aad, sizeof(aad)});
    dec.data = sealed.data;
    dec.tag = sealed.tag;
    kmip_response *decrypted =
        call_ok(*state, KMIP_OPERATION_DECRYPT,
                checked(kmip_decrypt_request(e2e_version, &dec)), 1);
    kmip_crypto_result opened;
    assert_int_equal(kmip_crypto_response(KMIP_OPERATION_DECRYPT,
                                          payload_of(decrypted), &opened, NULL),
                     KMIP_OK);
    assert_int_equal(opened.data.len, sizeof(plaintext));
    assert_memory_equal(opened.data.data, plaintext, sizeof(plaintext));
    kmip_response_free(decrypted);
    kmip_response_free(encrypted);
    free(uid);
}

/* Create, Get Attributes and Get in one request, the last two on the ID
 * Placeholder the Create sets. */
static void test_batch_answers_every_item(void **state)
{
    kmip_request_item items[] = {
        {KMIP_OPERATION_CREATE, create_aes_payload("it-batch")},
        {KMIP_OPERATION_GET_ATTRIBUTES, get_state_payload(NULL)},
        {KMIP_OPERATION_GET, get_payload(NULL)},
    };
    size_t n = sizeof(items) / sizeof(items[0]);
    kmip_response *resp = NULL;
    kmip_status status;
    if (kmip_client_call(*state, items, n, 0, &resp, &status) != KMIP_OK)
        fail_msg("batch: %s", status.message);
    assert_int_equal(resp->count, n);
    for (size_t i = 0; i < n; i++) {
        const kmip_response_item *item = kmip_response_item_for(resp, i);
        if (kmip_response_item_check(item, &status) != KMIP_OK)
            fail_msg("batch item %zu: %s", i, status.message);
        assert_int_equal(item->operation, items[i].operation);
    }
    kmip_create_result created;
    kmip_get_result got;
    assert_int_equal(
        kmip_create_response(kmip_response_item_for(resp, 0)->payload, &created,
                             NULL),
        KMIP_OK);
    assert_int_equal(state_in(kmip_response_item_for(resp, 1)->payload),
                     KMIP_STATE_PRE_ACTIVE);
    assert_int_equal(
        kmip_get_response(kmip_response_item_for(resp, 2)->payload, &got, NULL),
        KMIP_OK);
    assert_string_equal(got.uid, created.uid);
    assert_int_equal(got.object_type, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(got.object.value.len, 32);
    kmip_response_free(resp);
}

static void test_revoke_then_destroy_removes_the_key(void **state)
{
    char *uid = create_aes(*state, "it-destroy");
    activate(*state, uid);
    kmip_revoke_args revoke = {
        .uid = uid,
        .reason_code = KMIP_REVOCATION_REASON_CODE_CESSATION_OF_OPERATION};
    simple_call(*state, KMIP_OPERATION_REVOKE,
                kmip_revoke_request(e2e_version, &revoke));
    simple_call(*state, KMIP_OPERATION_DESTROY,
                kmip_destroy_request(e2e_version, uid));
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_client_call_one(*state, KMIP_OPERATION_GET,
                                          get_payload(uid), 1, &resp, &status),
                     KMIP_E_RESULT);
    assert_int_equal(status.result_reason, KMIP_RESULT_REASON_ITEM_NOT_FOUND);
    assert_null(resp);
    free(uid);
}

/* Run last in a group: every call of the group went over one pooled
 * connection. */
static void test_one_connection_served_the_group(void **state)
{
    kmip_client_stats stats;
    kmip_client_get_stats(*state, &stats);
    assert_true(stats.requests > 10);
    assert_int_equal(stats.connects, 1);
    assert_int_equal(stats.retries, 0);
}

#define OPERATION_TESTS                                                        \
    cmocka_unit_test(test_query_lists_operations_and_vendor),                  \
        cmocka_unit_test(test_create_aes_256_returns_uid),                     \
        cmocka_unit_test(test_create_key_pair_rsa_2048_returns_two_uids),      \
        cmocka_unit_test(test_locate_by_name_finds_the_key),                   \
        cmocka_unit_test(test_get_public_key_is_rsa_2048_pkcs1),               \
        cmocka_unit_test(test_activate_makes_key_active),                      \
        cmocka_unit_test(test_sign_rsa_pkcs1_sha256_verifies_locally),         \
        cmocka_unit_test(test_aes_gcm_round_trip_with_aad_and_tag),            \
        cmocka_unit_test(test_batch_answers_every_item),                       \
        cmocka_unit_test(test_revoke_then_destroy_removes_the_key),            \
        cmocka_unit_test(test_one_connection_served_the_group)

int main(void)
{
    const struct CMUnitTest kmip_1_4[] = {
        cmocka_unit_test(test_discover_versions_negotiates_pykmip_newest),
        cmocka_unit_test(test_discover_versions_answers_the_common_version),
        OPERATION_TESTS,
    };
    /* The version Discover Versions settles on with PyKMIP: 2.0. */
    const struct CMUnitTest negotiated[] = {OPERATION_TESTS};
    int failed = cmocka_run_group_tests_name(
        "KMIP 1.4", kmip_1_4, e2e_setup_client_1_4, e2e_teardown_client);
    failed += cmocka_run_group_tests_name("negotiated version", negotiated,
                                          e2e_setup_client_negotiated,
                                          e2e_teardown_client);
    return failed;
}
