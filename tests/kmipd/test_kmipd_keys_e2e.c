/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's Create, Create Key Pair, Register and Get through the kmip/
 * client: links, export policy, format conversion and validation of what
 * is registered. Run under integration/with_server.py --server kmipd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "e2e.h"

static const kmip_version v1_2 = {1, 2};

static kmip_item *get_request(kmip_version v, const char *uid, uint32_t format)
{
    kmip_get_args args = {.uid = uid, .key_format_type = format};
    return kmip_get_request(v, &args);
}

/* Gets uid in format; free the response with kmip_response_free. */
static kmip_response *get(const e2e_session *s, const char *uid,
                          uint32_t format, kmip_get_result *result)
{
    kmip_response *resp = e2e_call(s->client, KMIP_OPERATION_GET,
                                   get_request(s->version, uid, format));
    assert_int_equal(kmip_get_response(resp->items[0].payload, result, NULL),
                     KMIP_OK);
    return resp;
}

static void private_key_made_on_the_server_is_not_extractable(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256, 0, 0, &priv,
                    &pub);
    assert_int_equal(e2e_call_fails(client, KMIP_OPERATION_GET,
                                    get_request(s->version, priv, 0)),
                     KMIP_RESULT_REASON_NOT_EXTRACTABLE);
    kmip_client *old = e2e_client(v1_2, false);
    assert_int_equal(
        e2e_call_fails(old, KMIP_OPERATION_GET, get_request(v1_2, priv, 0)),
        KMIP_RESULT_REASON_PERMISSION_DENIED);
    kmip_client_free(old);
    free(priv);
    free(pub);
}

static void sensitive_key_is_not_returned(void **state)
{
    e2e_session *s = *state;
    kmip_item *attrs = e2e_key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 128, 0);
    assert_non_null(kmip_add_bool(attrs, KMIP_TAG_SENSITIVE, true));
    kmip_create_args args = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                             .attributes = attrs};
    kmip_response *resp = e2e_call(s->client, KMIP_OPERATION_CREATE,
                                   kmip_create_request(s->version, &args));
    kmip_item_free(attrs);
    kmip_create_result created;
    assert_int_equal(
        kmip_create_response(resp->items[0].payload, &created, NULL), KMIP_OK);
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_GET,
                                    get_request(s->version, created.uid, 0)),
                     KMIP_RESULT_REASON_SENSITIVE);
    kmip_response_free(resp);
}

/* Secret Data holds a secret like a key: Sensitive keeps it too. */
static void sensitive_secret_data_is_not_returned(void **state)
{
    e2e_session *s = *state;
    static const uint8_t secret[] = "a password";
    const kmip_object object = {.object_type = KMIP_OBJECT_TYPE_SECRET_DATA,
                                .format = KMIP_KEY_FORMAT_TYPE_OPAQUE,
                                .secret_data_type =
                                    KMIP_SECRET_DATA_TYPE_PASSWORD,
                                .value = {secret, sizeof(secret)}};
    kmip_item *attrs = e2e_key_attrs(0, 0, 0);
    assert_non_null(kmip_add_bool(attrs, KMIP_TAG_SENSITIVE, true));
    char *uid = e2e_register(s->client, &object, attrs);
    kmip_item_free(attrs);
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_GET,
                                    get_request(s->version, uid, 0)),
                     KMIP_RESULT_REASON_SENSITIVE);
    free(uid);
}

static void key_pair_members_link_to_each_other(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256, 0, 0, &priv,
                    &pub);
    const uint32_t link = KMIP_TAG_LINK;
    kmip_response *resp = e2e_call(
        client, KMIP_OPERATION_GET_ATTRIBUTES,
        kmip_get_attributes_request(s->version, priv, &link, 1, NULL, 0));
    kmip_get_attributes_result result;
    assert_int_equal(
        kmip_get_attributes_response(resp->items[0].payload, &result, NULL),
        KMIP_OK);
    kmip_item *attrs = NULL;
    assert_int_equal(kmip_attrs_decode(result.attributes, &attrs, NULL),
                     KMIP_OK);
    const char *linked = NULL;
    assert_int_equal(kmip_attrs_get_link(attrs, KMIP_LINK_TYPE_PUBLIC_KEY_LINK,
                                         &linked, NULL),
                     KMIP_OK);
    assert_string_equal(linked, pub);
    kmip_item_free(attrs);
    kmip_response_free(resp);
    free(priv);
    free(pub);
}

static void rsa_public_key_converts_to_pkcs1_and_transparent(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0, 0, &priv,
                    &pub);
    EVP_PKEY *spki = e2e_get_public_key(client, pub);
    kmip_get_result result;
    kmip_response *resp = get(s, pub, KMIP_KEY_FORMAT_TYPE_PKCS_1, &result);
    const unsigned char *der = result.object.value.data;
    EVP_PKEY *pkcs1 =
        d2i_PublicKey(EVP_PKEY_RSA, NULL, &der, (long)result.object.value.len);
    assert_non_null(pkcs1);
    assert_int_equal(EVP_PKEY_eq(spki, pkcs1), 1);
    kmip_response_free(resp);
    resp =
        get(s, pub, KMIP_KEY_FORMAT_TYPE_TRANSPARENT_RSA_PUBLIC_KEY, &result);
    assert_non_null(result.object.transparent);
    uint8_t *n = NULL;
    size_t n_len = 0;
    assert_int_equal(
        kmip_bigint_minimal(
            kmip_item_find(result.object.transparent, KMIP_TAG_MODULUS), &n,
            &n_len),
        KMIP_OK);
    BIGNUM *expected = NULL;
    assert_true(EVP_PKEY_get_bn_param(spki, OSSL_PKEY_PARAM_RSA_N, &expected));
    BIGNUM *got = BN_bin2bn(n, (int)n_len, NULL);
    assert_int_equal(BN_cmp(expected, got), 0);
    BN_free(expected);
    BN_free(got);
    free(n);
    kmip_response_free(resp);
    EVP_PKEY_free(spki);
    EVP_PKEY_free(pkcs1);
    free(priv);
    free(pub);
}

static void ec_public_key_raw_is_its_uncompressed_point(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256, 0, 0, &priv,
                    &pub);
    kmip_get_result result;
    kmip_response *resp = get(s, pub, KMIP_KEY_FORMAT_TYPE_RAW, &result);
    assert_int_equal(result.object.value.len, 65);
    assert_int_equal(result.object.value.data[0], 0x04);
    kmip_response_free(resp);
    free(priv);
    free(pub);
}

static void format_the_key_lacks_is_key_format_type_not_supported(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0, 0, &priv,
                    &pub);
    assert_int_equal(
        e2e_call_fails(client, KMIP_OPERATION_GET,
                       get_request(s->version, pub, KMIP_KEY_FORMAT_TYPE_RAW)),
        KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED);
    free(priv);
    free(pub);
}

/* Transparent public key formats of the other algorithm, and EC points
 * compressed, are not served; asked uncompressed, the point is got. */
static void other_transparent_formats_and_compression_are_refused(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *rsa_priv, *rsa_pub, *ec_priv, *ec_pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0, 0,
                    &rsa_priv, &rsa_pub);
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256, 0, 0,
                    &ec_priv, &ec_pub);
    const char *uids[] = {ec_pub, rsa_pub};
    const uint32_t formats[] = {KMIP_KEY_FORMAT_TYPE_TRANSPARENT_RSA_PUBLIC_KEY,
                                KMIP_KEY_FORMAT_TYPE_TRANSPARENT_EC_PUBLIC_KEY};
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(
            e2e_call_fails(client, KMIP_OPERATION_GET,
                           get_request(s->version, uids[i], formats[i])),
            KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED);
    kmip_get_args args = {
        .uid = ec_pub,
        .key_format_type = KMIP_KEY_FORMAT_TYPE_RAW,
        .key_compression_type =
            KMIP_KEY_COMPRESSION_TYPE_EC_PUBLIC_KEY_TYPE_X9_62_COMPRESSED_PRIME};
    assert_int_equal(e2e_call_fails(client, KMIP_OPERATION_GET,
                                    kmip_get_request(s->version, &args)),
                     KMIP_RESULT_REASON_KEY_COMPRESSION_TYPE_NOT_SUPPORTED);
    args.key_compression_type =
        KMIP_KEY_COMPRESSION_TYPE_EC_PUBLIC_KEY_TYPE_UNCOMPRESSED;
    kmip_response *resp = e2e_call(client, KMIP_OPERATION_GET,
                                   kmip_get_request(s->version, &args));
    kmip_get_result result;
    assert_int_equal(kmip_get_response(resp->items[0].payload, &result, NULL),
                     KMIP_OK);
    assert_int_equal(result.object.value.len, 65);
    kmip_response_free(resp);
    free(rsa_priv);
    free(rsa_pub);
    free(ec_priv);
    free(ec_pub);
}

static void symmetric_key_gets_as_raw_and_transparent(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *uid =
        e2e_create_key(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 192, 0, false);
    kmip_get_result raw, transparent;
    kmip_response *raw_resp = get(s, uid, 0, &raw);
    assert_int_equal(raw.object.format, KMIP_KEY_FORMAT_TYPE_RAW);
    assert_int_equal(raw.object.value.len, 24);
    assert_int_equal(raw.object.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES);
    assert_int_equal(raw.object.length, 192);
    kmip_response *resp = get(
        s, uid, KMIP_KEY_FORMAT_TYPE_TRANSPARENT_SYMMETRIC_KEY, &transparent);
    const uint8_t *key = NULL;
    size_t key_len = 0;
    assert_int_equal(kmip_get_bytes(transparent.object.transparent,
                                    KMIP_TAG_KEY, &key, &key_len, NULL),
                     KMIP_OK);
    assert_int_equal(key_len, 24);
    assert_memory_equal(key, raw.object.value.data, 24);
    kmip_response_free(resp);
    kmip_response_free(raw_resp);
    free(uid);
}

/* ---- Register. ---- */

static void registered_pkcs1_key_signs_and_gets_back_as_pkcs8(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    EVP_PKEY *local = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    assert_non_null(local);
    unsigned char *pkcs1 = NULL;
    int pkcs1_len = i2d_PrivateKey(local, &pkcs1);
    assert_true(pkcs1_len > 0);
    kmip_object object = {.object_type = KMIP_OBJECT_TYPE_PRIVATE_KEY,
                          .format = KMIP_KEY_FORMAT_TYPE_PKCS_1,
                          .value = {pkcs1, (size_t)pkcs1_len},
                          .algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA,
                          .length = 2048};
    kmip_item *attrs = e2e_key_attrs(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
    char *uid = e2e_register(client, &object, attrs);
    kmip_item_free(attrs);
    e2e_activate(client, uid);
    static const uint8_t message[] = "registered";
    kmip_crypto_args args = {
        .uid = uid,
        .params =
            {.present = true,
             .digital_signature_algorithm =
                 KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA256_WITH_RSA_ENCRYPTION},
        .data = {message, sizeof(message)}};
    kmip_response *resp = e2e_call(client, KMIP_OPERATION_SIGN,
                                   kmip_sign_request(s->version, &args));
    kmip_crypto_result signed_result;
    assert_int_equal(kmip_crypto_response(KMIP_OPERATION_SIGN,
                                          resp->items[0].payload,
                                          &signed_result, NULL),
                     KMIP_OK);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(
        EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, local, NULL),
        1);
    assert_int_equal(EVP_DigestVerify(md, signed_result.signature_data.data,
                                      signed_result.signature_data.len, message,
                                      sizeof(message)),
                     1);
    EVP_MD_CTX_free(md);
    kmip_response_free(resp);
    kmip_get_result got;
    resp = get(s, uid, KMIP_KEY_FORMAT_TYPE_PKCS_8, &got);
    const unsigned char *der = got.object.value.data;
    EVP_PKEY *back = d2i_AutoPrivateKey(NULL, &der, (long)got.object.value.len);
    assert_non_null(back);
    assert_int_equal(EVP_PKEY_eq(local, back), 1);
    EVP_PKEY_free(back);
    kmip_response_free(resp);
    OPENSSL_free(pkcs1);
    EVP_PKEY_free(local);
    free(uid);
}

/* A local Ed25519 key registered as PKCS#8 signs on the server; its
 * public key registered Raw gets back Raw and as SubjectPublicKeyInfo. */
static void registered_ed25519_keys_sign_and_get_back_raw(void **state)
{
    e2e_session *s = *state;
    EVP_PKEY *local = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    assert_non_null(local);
    unsigned char *pkcs8 = NULL, raw[32];
    size_t raw_len = sizeof(raw);
    int pkcs8_len = i2d_PrivateKey(local, &pkcs8);
    assert_true(pkcs8_len > 0);
    assert_int_equal(EVP_PKEY_get_raw_public_key(local, raw, &raw_len), 1);
    kmip_object object = {.object_type = KMIP_OBJECT_TYPE_PRIVATE_KEY,
                          .format = KMIP_KEY_FORMAT_TYPE_PKCS_8,
                          .value = {pkcs8, (size_t)pkcs8_len},
                          .algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519};
    kmip_item *attrs = e2e_key_attrs(0, 0, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
    char *priv = e2e_register(s->client, &object, attrs);
    kmip_item_free(attrs);
    e2e_activate(s->client, priv);
    static const uint8_t message[] = "registered Ed25519";
    kmip_crypto_args args = {.uid = priv, .data = {message, sizeof(message)}};
    kmip_response *resp = e2e_call(s->client, KMIP_OPERATION_SIGN,
                                   kmip_sign_request(s->version, &args));
    kmip_crypto_result signed_result;
    assert_int_equal(kmip_crypto_response(KMIP_OPERATION_SIGN,
                                          resp->items[0].payload,
                                          &signed_result, NULL),
                     KMIP_OK);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, NULL, NULL, local), 1);
    assert_int_equal(EVP_DigestVerify(md, signed_result.signature_data.data,
                                      signed_result.signature_data.len, message,
                                      sizeof(message)),
                     1);
    EVP_MD_CTX_free(md);
    kmip_response_free(resp);
    kmip_object public_object = {.object_type = KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                 .format = KMIP_KEY_FORMAT_TYPE_RAW,
                                 .value = {raw, raw_len},
                                 .algorithm =
                                     KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519};
    char *pub = e2e_register(s->client, &public_object, NULL);
    kmip_get_result got;
    resp = get(s, pub, KMIP_KEY_FORMAT_TYPE_RAW, &got);
    assert_int_equal(got.object.value.len, raw_len);
    assert_memory_equal(got.object.value.data, raw, raw_len);
    kmip_response_free(resp);
    EVP_PKEY *back = e2e_get_public_key(s->client, pub);
    assert_int_equal(EVP_PKEY_eq(local, back), 1);
    EVP_PKEY_free(back);
    OPENSSL_free(pkcs8);
    EVP_PKEY_free(local);
    free(priv);
    free(pub);
}

static uint32_t register_fails(const e2e_session *s, const kmip_object *object)
{
    kmip_item *object_item = kmip_object_build(object);
    kmip_register_args args = {.object_type = object->object_type,
                               .object = object_item};
    uint32_t reason = e2e_call_fails(s->client, KMIP_OPERATION_REGISTER,
                                     kmip_register_request(s->version, &args));
    kmip_item_free(object_item);
    return reason;
}

static void garbage_registered_as_a_private_key_is_invalid_field(void **state)
{
    static const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x00, 0xff};
    kmip_object object = {.object_type = KMIP_OBJECT_TYPE_PRIVATE_KEY,
                          .format = KMIP_KEY_FORMAT_TYPE_PKCS_8,
                          .value = {garbage, sizeof(garbage)},
                          .algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA,
                          .length = 2048};
    assert_int_equal(register_fails(*state, &object),
                     KMIP_RESULT_REASON_INVALID_FIELD);
}

static void transparent_ec_public_key_registers_as_spki(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    EVP_PKEY *local = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(local);
    uint8_t point[65];
    size_t point_len = 0;
    assert_true(EVP_PKEY_get_octet_string_param(
        local, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof(point),
        &point_len));
    kmip_item *material = kmip_item_new_structure(KMIP_TAG_KEY_MATERIAL);
    assert_non_null(kmip_add_enum(material, KMIP_TAG_RECOMMENDED_CURVE,
                                  KMIP_RECOMMENDED_CURVE_P_256));
    assert_non_null(
        kmip_add_bytes(material, KMIP_TAG_Q_STRING, point, point_len));
    kmip_object object = {.object_type = KMIP_OBJECT_TYPE_PUBLIC_KEY,
                          .format =
                              KMIP_KEY_FORMAT_TYPE_TRANSPARENT_EC_PUBLIC_KEY,
                          .transparent = material,
                          .algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_EC,
                          .length = 256};
    char *uid = e2e_register(client, &object, NULL);
    EVP_PKEY *back = e2e_get_public_key(client, uid);
    assert_int_equal(EVP_PKEY_eq(local, back), 1);
    EVP_PKEY_free(back);
    kmip_item_free(material);
    EVP_PKEY_free(local);
    free(uid);
}

static void certificate_gets_back_unchanged(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    FILE *file = fopen(getenv("P11KMIP_TEST_CA"), "r");
    assert_non_null(file);
    X509 *cert = PEM_read_X509(file, NULL, NULL, NULL);
    fclose(file);
    assert_non_null(cert);
    unsigned char *der = NULL;
    int der_len = i2d_X509(cert, &der);
    assert_true(der_len > 0);
    kmip_object object = {.object_type = KMIP_OBJECT_TYPE_CERTIFICATE,
                          .format = KMIP_CERTIFICATE_TYPE_X_509,
                          .value = {der, (size_t)der_len}};
    char *uid = e2e_register(client, &object, NULL);
    kmip_get_result got;
    kmip_response *resp = get(s, uid, 0, &got);
    assert_int_equal(got.object.format, KMIP_CERTIFICATE_TYPE_X_509);
    assert_int_equal(got.object.value.len, (size_t)der_len);
    assert_memory_equal(got.object.value.data, der, (size_t)der_len);
    kmip_response_free(resp);
    OPENSSL_free(der);
    X509_free(cert);
    free(uid);
}

static void secret_data_and_opaque_object_keep_their_types(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    static const uint8_t secret[] = "correct horse battery staple";
    const kmip_object objects[] = {
        {.object_type = KMIP_OBJECT_TYPE_SECRET_DATA,
         .format = KMIP_KEY_FORMAT_TYPE_OPAQUE,
         .secret_data_type = KMIP_SECRET_DATA_TYPE_SEED,
         .value = {secret, sizeof(secret)}},
        {.object_type = KMIP_OBJECT_TYPE_OPAQUE_DATA,
         .format = 0x80000001u,
         .value = {secret, sizeof(secret)}},
    };
    for (size_t i = 0; i < 2; i++) {
        char *uid = e2e_register(client, &objects[i], NULL);
        kmip_get_result got;
        kmip_response *resp = get(s, uid, 0, &got);
        assert_int_equal(got.object_type, objects[i].object_type);
        assert_int_equal(got.object.format, objects[i].format);
        assert_int_equal(got.object.secret_data_type,
                         objects[i].secret_data_type);
        assert_int_equal(got.object.value.len, sizeof(secret));
        assert_memory_equal(got.object.value.data, secret, sizeof(secret));
        kmip_response_free(resp);
        free(uid);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(private_key_made_on_the_server_is_not_extractable),
        cmocka_unit_test(sensitive_key_is_not_returned),
        cmocka_unit_test(sensitive_secret_data_is_not_returned),
        cmocka_unit_test(key_pair_members_link_to_each_other),
        cmocka_unit_test(rsa_public_key_converts_to_pkcs1_and_transparent),
        cmocka_unit_test(ec_public_key_raw_is_its_uncompressed_point),
        cmocka_unit_test(format_the_key_lacks_is_key_format_type_not_supported),
        cmocka_unit_test(other_transparent_formats_and_compression_are_refused),
        cmocka_unit_test(symmetric_key_gets_as_raw_and_transparent),
        cmocka_unit_test(registered_pkcs1_key_signs_and_gets_back_as_pkcs8),
        cmocka_unit_test(registered_ed25519_keys_sign_and_get_back_raw),
        cmocka_unit_test(garbage_registered_as_a_private_key_is_invalid_field),
        cmocka_unit_test(transparent_ec_public_key_registers_as_spki),
        cmocka_unit_test(certificate_gets_back_unchanged),
        cmocka_unit_test(secret_data_and_opaque_object_keep_their_types),
    };
    return cmocka_run_group_tests_name("KMIP 2.1", tests, e2e_setup_v2_1,
                                       e2e_teardown) +
           cmocka_run_group_tests_name("KMIP 1.4", tests, e2e_setup_v1_4,
                                       e2e_teardown);
}
