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
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "kmip/attrs.h"
#include "kmip/client.h"
#include "kmip/tags.h"

static const kmip_version v1_4 = {1, 4};

static const char *env(const char *name)
{
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0')
        fail_msg("%s is not set: run under integration/with_server.py "
                 "--server pykmip",
                 name);
    return value;
}

/* A client of the test server; version {0,0} negotiates. */
static kmip_client *new_client(kmip_version version)
{
    static const char *servers[1];
    servers[0] = env("P11KMIP_TEST_SERVER");
    kmip_client_config cfg = {
        .servers = servers,
        .server_count = 1,
        .ca_file = env("P11KMIP_TEST_CA"),
        .cert_file = env("P11KMIP_TEST_CERT"),
        .key_file = env("P11KMIP_TEST_KEY"),
        .timeout_ms = 20000,
        .version = version,
    };
    kmip_status status;
    kmip_client *client = kmip_client_new(&cfg, &status);
    if (client == NULL)
        fail_msg("kmip_client_new: %s", status.message);
    return client;
}

static int client_setup(void **state)
{
    *state = new_client(v1_4);
    return 0;
}

static int client_teardown(void **state)
{
    kmip_client_free(*state);
    return 0;
}

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

/* The text child tag of payload, copied (free with free()). */
static char *text_copy(const kmip_item *payload, uint32_t tag)
{
    const char *text = NULL;
    size_t len = 0;
    assert_int_equal(kmip_get_text(payload, tag, &text, &len, NULL), KMIP_OK);
    return strndup(text, len);
}

/* ---- Payloads ---- */

static kmip_item *new_payload(void)
{
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    assert_non_null(payload);
    return payload;
}

static kmip_item *uid_payload(const char *uid)
{
    kmip_item *payload = new_payload();
    if (uid != NULL)
        assert_non_null(
            kmip_add_text(payload, KMIP_TAG_UNIQUE_IDENTIFIER, uid));
    return payload;
}

static void add_attrs(kmip_item *payload, kmip_attrs_role role,
                      const kmip_item *attrs)
{
    kmip_item *container = NULL;
    kmip_status status;
    if (kmip_attrs_encode(attrs, v1_4, role, &container, &status) != KMIP_OK)
        fail_msg("attributes: %s", status.message);
    assert_non_null(kmip_item_add(payload, container));
}

static kmip_item *key_attrs(uint32_t algorithm, int32_t bits, uint32_t usage,
                            const char *name)
{
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(attrs);
    if (algorithm != 0)
        assert_non_null(kmip_attrs_add_algorithm(attrs, algorithm));
    if (bits != 0)
        assert_non_null(kmip_attrs_add_length(attrs, bits));
    if (usage != 0)
        assert_non_null(kmip_attrs_add_usage_mask(attrs, usage));
    if (name != NULL)
        assert_non_null(kmip_attrs_add_name(attrs, name));
    return attrs;
}

static kmip_item *create_aes_payload(const char *name)
{
    kmip_item *payload = new_payload();
    assert_non_null(kmip_add_enum(payload, KMIP_TAG_OBJECT_TYPE,
                                  KMIP_OBJECT_TYPE_SYMMETRIC_KEY));
    kmip_item *attrs = key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 256,
                                 KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                                     KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT,
                                 name);
    add_attrs(payload, KMIP_ATTRS_OBJECT, attrs);
    kmip_item_free(attrs);
    return payload;
}

static kmip_item *create_rsa_pair_payload(const char *name)
{
    kmip_item *payload = new_payload();
    kmip_item *common =
        key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0, NULL);
    kmip_item *private_key =
        key_attrs(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN, name);
    char public_name[128];
    snprintf(public_name, sizeof(public_name), "%s-public", name);
    kmip_item *public_key =
        key_attrs(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, public_name);
    add_attrs(payload, KMIP_ATTRS_COMMON, common);
    add_attrs(payload, KMIP_ATTRS_PRIVATE_KEY, private_key);
    add_attrs(payload, KMIP_ATTRS_PUBLIC_KEY, public_key);
    kmip_item_free(common);
    kmip_item_free(private_key);
    kmip_item_free(public_key);
    return payload;
}

static kmip_item *locate_by_name_payload(const char *name)
{
    kmip_item *payload = new_payload();
    kmip_item *filter = key_attrs(0, 0, 0, name);
    assert_int_equal(kmip_attrs_append_v1(payload, filter, NULL), KMIP_OK);
    kmip_item_free(filter);
    return payload;
}

static kmip_item *revoke_payload(const char *uid)
{
    kmip_item *payload = uid_payload(uid);
    kmip_item *reason = kmip_add_structure(payload, KMIP_TAG_REVOCATION_REASON);
    assert_non_null(
        kmip_add_enum(reason, KMIP_TAG_REVOCATION_REASON_CODE,
                      KMIP_REVOCATION_REASON_CODE_CESSATION_OF_OPERATION));
    return payload;
}

static kmip_item *sign_payload(const char *uid, const uint8_t *data, size_t len)
{
    kmip_item *payload = uid_payload(uid);
    kmip_item *params =
        kmip_add_structure(payload, KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS);
    assert_non_null(kmip_add_enum(params, KMIP_TAG_PADDING_METHOD,
                                  KMIP_PADDING_METHOD_PKCS1V15));
    assert_non_null(kmip_add_enum(params, KMIP_TAG_HASHING_ALGORITHM,
                                  KMIP_HASHING_ALGORITHM_SHA_256));
    assert_non_null(kmip_add_enum(params, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                                  KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA));
    assert_non_null(kmip_add_bytes(payload, KMIP_TAG_DATA, data, len));
    return payload;
}

typedef struct gcm_input {
    const uint8_t *data;
    size_t len;
    const uint8_t *iv;
    const uint8_t *aad;
    size_t aad_len;
    const uint8_t *tag; /* Decrypt only */
    size_t tag_len;
} gcm_input;

#define GCM_IV_LEN 12
#define GCM_TAG_LEN 16

static kmip_item *gcm_payload(const char *uid, const gcm_input *in)
{
    kmip_item *payload = uid_payload(uid);
    kmip_item *params =
        kmip_add_structure(payload, KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS);
    assert_non_null(kmip_add_enum(params, KMIP_TAG_BLOCK_CIPHER_MODE,
                                  KMIP_BLOCK_CIPHER_MODE_GCM));
    assert_non_null(kmip_add_enum(params, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                                  KMIP_CRYPTOGRAPHIC_ALGORITHM_AES));
    assert_non_null(kmip_add_integer(params, KMIP_TAG_TAG_LENGTH, GCM_TAG_LEN));
    assert_non_null(kmip_add_bytes(payload, KMIP_TAG_DATA, in->data, in->len));
    assert_non_null(
        kmip_add_bytes(payload, KMIP_TAG_IV_COUNTER_NONCE, in->iv, GCM_IV_LEN));
    assert_non_null(kmip_add_bytes(
        payload, KMIP_TAG_AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, in->aad,
        in->aad_len));
    if (in->tag != NULL)
        assert_non_null(kmip_add_bytes(payload,
                                       KMIP_TAG_AUTHENTICATED_ENCRYPTION_TAG,
                                       in->tag, in->tag_len));
    return payload;
}

/* ---- Objects the tests need ---- */

static char *create_aes(kmip_client *client, const char *name)
{
    kmip_response *resp =
        call_ok(client, KMIP_OPERATION_CREATE, create_aes_payload(name), 0);
    char *uid = text_copy(payload_of(resp), KMIP_TAG_UNIQUE_IDENTIFIER);
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
    key_pair pair = {
        .private_uid =
            text_copy(payload_of(resp), KMIP_TAG_PRIVATE_KEY_UNIQUE_IDENTIFIER),
        .public_uid =
            text_copy(payload_of(resp), KMIP_TAG_PUBLIC_KEY_UNIQUE_IDENTIFIER),
    };
    kmip_response_free(resp);
    return pair;
}

static void simple_call(kmip_client *client, uint32_t operation,
                        kmip_item *payload)
{
    kmip_response_free(call_ok(client, operation, payload, 1));
}

static void activate(kmip_client *client, const char *uid)
{
    simple_call(client, KMIP_OPERATION_ACTIVATE, uid_payload(uid));
}

/* The public key's PKCS#1 DER as an EVP_PKEY (free with EVP_PKEY_free). */
static EVP_PKEY *get_public_key(kmip_client *client, const char *uid)
{
    kmip_response *resp =
        call_ok(client, KMIP_OPERATION_GET, uid_payload(uid), 1);
    const kmip_item *key =
        kmip_item_find(payload_of(resp), KMIP_TAG_PUBLIC_KEY);
    const kmip_item *block = kmip_item_find(key, KMIP_TAG_KEY_BLOCK);
    uint32_t format = 0;
    assert_int_equal(
        kmip_get_enum(block, KMIP_TAG_KEY_FORMAT_TYPE, &format, NULL), KMIP_OK);
    assert_int_equal(format, KMIP_KEY_FORMAT_TYPE_PKCS_1);
    const kmip_item *value = kmip_item_find(block, KMIP_TAG_KEY_VALUE);
    const uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(
        kmip_get_bytes(value, KMIP_TAG_KEY_MATERIAL, &der, &der_len, NULL),
        KMIP_OK);
    const unsigned char *p = der;
    EVP_PKEY *pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)der_len);
    assert_non_null(pkey);
    assert_ptr_equal(p, der + der_len);
    kmip_response_free(resp);
    return pkey;
}

/* ---- Tests ---- */

static void test_discover_versions_negotiates_pykmip_newest(void **state)
{
    (void)state;
    kmip_client *client = new_client(KMIP_VERSION(0, 0));
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

static void test_discover_versions_lists_versions(void **state)
{
    kmip_item *payload = new_payload();
    kmip_item *v = kmip_add_structure(payload, KMIP_TAG_PROTOCOL_VERSION);
    kmip_add_integer(v, KMIP_TAG_PROTOCOL_VERSION_MAJOR, 1);
    kmip_add_integer(v, KMIP_TAG_PROTOCOL_VERSION_MINOR, 4);
    kmip_response *resp =
        call_ok(*state, KMIP_OPERATION_DISCOVER_VERSIONS, payload, 1);
    const kmip_item *answer =
        kmip_item_find(payload_of(resp), KMIP_TAG_PROTOCOL_VERSION);
    int32_t major = 0, minor = 0;
    assert_int_equal(
        kmip_get_integer(answer, KMIP_TAG_PROTOCOL_VERSION_MAJOR, &major, NULL),
        KMIP_OK);
    assert_int_equal(
        kmip_get_integer(answer, KMIP_TAG_PROTOCOL_VERSION_MINOR, &minor, NULL),
        KMIP_OK);
    assert_int_equal(major, 1);
    assert_int_equal(minor, 4);
    assert_int_equal(
        kmip_item_count(payload_of(resp), KMIP_TAG_PROTOCOL_VERSION), 1);
    kmip_response_free(resp);
}

static void test_query_lists_operations_and_vendor(void **state)
{
    kmip_item *payload = new_payload();
    kmip_add_enum(payload, KMIP_TAG_QUERY_FUNCTION,
                  KMIP_QUERY_FUNCTION_QUERY_OPERATIONS);
    kmip_add_enum(payload, KMIP_TAG_QUERY_FUNCTION,
                  KMIP_QUERY_FUNCTION_QUERY_SERVER_INFORMATION);
    kmip_response *resp = call_ok(*state, KMIP_OPERATION_QUERY, payload, 1);
    bool create = false, sign = false;
    for (const kmip_item *op =
             kmip_item_find(payload_of(resp), KMIP_TAG_OPERATION);
         op != NULL; op = kmip_item_next_with_tag(op, KMIP_TAG_OPERATION)) {
        create |= op->v.enumeration == KMIP_OPERATION_CREATE;
        sign |= op->v.enumeration == KMIP_OPERATION_SIGN;
    }
    assert_true(create);
    assert_true(sign);
    char *vendor = text_copy(payload_of(resp), KMIP_TAG_VENDOR_IDENTIFICATION);
    assert_ptr_equal(strstr(vendor, "PyKMIP"), vendor);
    free(vendor);
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
    char *uid = create_aes(*state, "it-locate-me");
    kmip_response *resp = call_ok(*state, KMIP_OPERATION_LOCATE,
                                  locate_by_name_payload("it-locate-me"), 1);
    assert_int_equal(
        kmip_item_count(payload_of(resp), KMIP_TAG_UNIQUE_IDENTIFIER), 1);
    char *found = text_copy(payload_of(resp), KMIP_TAG_UNIQUE_IDENTIFIER);
    assert_string_equal(found, uid);
    free(found);
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

static void test_activate_makes_key_active(void **state)
{
    char *uid = create_aes(*state, "it-activate");
    activate(*state, uid);
    kmip_item *payload = uid_payload(uid);
    kmip_add_text(payload, KMIP_TAG_ATTRIBUTE_NAME, "State");
    kmip_response *resp =
        call_ok(*state, KMIP_OPERATION_GET_ATTRIBUTES, payload, 1);
    kmip_item *attrs = NULL;
    assert_int_equal(kmip_attrs_decode(payload_of(resp), &attrs, NULL),
                     KMIP_OK);
    uint32_t state_value = 0;
    assert_int_equal(kmip_attrs_get_state(attrs, &state_value, NULL), KMIP_OK);
    assert_int_equal(state_value, KMIP_STATE_ACTIVE);
    kmip_item_free(attrs);
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
    const uint8_t *signature = NULL;
    size_t signature_len = 0;
    assert_int_equal(kmip_get_bytes(payload_of(resp), KMIP_TAG_SIGNATURE_DATA,
                                    &signature, &signature_len, NULL),
                     KMIP_OK);
    assert_int_equal(signature_len, 256);

    EVP_PKEY *pkey = get_public_key(*state, pair.public_uid);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey),
                     1);
    assert_int_equal(EVP_DigestVerify(md, signature, signature_len, message,
                                      sizeof(message)),
                     1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    kmip_response_free(resp);
    free(pair.private_uid);
    free(pair.public_uid);
}

static void test_aes_gcm_round_trip_with_aad_and_tag(void **state)
{
    static const uint8_t plaintext[] = "AES-GCM through KMIP 1.4";
    static const uint8_t iv[GCM_IV_LEN] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    static const uint8_t aad[] = {0xA0, 0xA1, 0xA2};
    char *uid = create_aes(*state, "it-gcm");
    activate(*state, uid);

    gcm_input enc = {.data = plaintext,
                     .len = sizeof(plaintext),
                     .iv = iv,
                     .aad = aad,
                     .aad_len = sizeof(aad)};
    kmip_response *encrypted =
        call_ok(*state, KMIP_OPERATION_ENCRYPT, gcm_payload(uid, &enc), 1);
    gcm_input dec = {.iv = iv, .aad = aad, .aad_len = sizeof(aad)};
    assert_int_equal(kmip_get_bytes(payload_of(encrypted), KMIP_TAG_DATA,
                                    &dec.data, &dec.len, NULL),
                     KMIP_OK);
    assert_int_equal(kmip_get_bytes(payload_of(encrypted),
                                    KMIP_TAG_AUTHENTICATED_ENCRYPTION_TAG,
                                    &dec.tag, &dec.tag_len, NULL),
                     KMIP_OK);
    assert_int_equal(dec.len, sizeof(plaintext));
    assert_int_equal(dec.tag_len, GCM_TAG_LEN);
    assert_memory_not_equal(dec.data, plaintext, sizeof(plaintext));

    kmip_response *decrypted =
        call_ok(*state, KMIP_OPERATION_DECRYPT, gcm_payload(uid, &dec), 1);
    const uint8_t *out = NULL;
    size_t out_len = 0;
    assert_int_equal(kmip_get_bytes(payload_of(decrypted), KMIP_TAG_DATA, &out,
                                    &out_len, NULL),
                     KMIP_OK);
    assert_int_equal(out_len, sizeof(plaintext));
    assert_memory_equal(out, plaintext, sizeof(plaintext));
    kmip_response_free(decrypted);
    kmip_response_free(encrypted);
    free(uid);
}

/* Create, Get Attributes and Get in one request, the last two on the ID
 * Placeholder the Create sets. */
static void test_batch_answers_every_item(void **state)
{
    kmip_item *get_state = uid_payload(NULL);
    kmip_add_text(get_state, KMIP_TAG_ATTRIBUTE_NAME, "State");
    kmip_request_item items[] = {
        {KMIP_OPERATION_CREATE, create_aes_payload("it-batch")},
        {KMIP_OPERATION_GET_ATTRIBUTES, get_state},
        {KMIP_OPERATION_GET, uid_payload(NULL)},
    };
    size_t n = sizeof(items) / sizeof(items[0]);
    kmip_response *resp = NULL;
    kmip_status status;
    if (kmip_client_call(*state, items, n, 0, &resp, &status) != KMIP_OK)
        fail_msg("batch: %s", status.message);
    assert_int_equal(resp->count, n);
    char *uids[sizeof(items) / sizeof(items[0])];
    for (size_t i = 0; i < n; i++) {
        const kmip_response_item *item = kmip_response_item_for(resp, i);
        if (kmip_response_item_check(item, &status) != KMIP_OK)
            fail_msg("batch item %zu: %s", i, status.message);
        assert_int_equal(item->operation, items[i].operation);
        uids[i] = text_copy(item->payload, KMIP_TAG_UNIQUE_IDENTIFIER);
    }
    assert_string_equal(uids[1], uids[0]);
    assert_string_equal(uids[2], uids[0]);
    assert_non_null(kmip_item_find(kmip_response_item_for(resp, 2)->payload,
                                   KMIP_TAG_SYMMETRIC_KEY));
    for (size_t i = 0; i < n; i++)
        free(uids[i]);
    kmip_response_free(resp);
}

static void test_revoke_then_destroy_removes_the_key(void **state)
{
    char *uid = create_aes(*state, "it-destroy");
    activate(*state, uid);
    simple_call(*state, KMIP_OPERATION_REVOKE, revoke_payload(uid));
    simple_call(*state, KMIP_OPERATION_DESTROY, uid_payload(uid));
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_client_call_one(*state, KMIP_OPERATION_GET,
                                          uid_payload(uid), 1, &resp, &status),
                     KMIP_E_RESULT);
    assert_int_equal(status.result_reason, KMIP_RESULT_REASON_ITEM_NOT_FOUND);
    assert_null(resp);
    free(uid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discover_versions_negotiates_pykmip_newest),
        cmocka_unit_test(test_discover_versions_lists_versions),
        cmocka_unit_test(test_query_lists_operations_and_vendor),
        cmocka_unit_test(test_create_aes_256_returns_uid),
        cmocka_unit_test(test_create_key_pair_rsa_2048_returns_two_uids),
        cmocka_unit_test(test_locate_by_name_finds_the_key),
        cmocka_unit_test(test_get_public_key_is_rsa_2048_pkcs1),
        cmocka_unit_test(test_activate_makes_key_active),
        cmocka_unit_test(test_sign_rsa_pkcs1_sha256_verifies_locally),
        cmocka_unit_test(test_aes_gcm_round_trip_with_aad_and_tag),
        cmocka_unit_test(test_batch_answers_every_item),
        cmocka_unit_test(test_revoke_then_destroy_removes_the_key),
    };
    return cmocka_run_group_tests(tests, client_setup, client_teardown);
}
