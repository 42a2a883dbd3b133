/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's cryptographic operations through the kmip/ client: Encrypt,
 * Decrypt, Sign, Signature Verify, MAC, MAC Verify, RNG Retrieve, and the
 * checks in front of them (usage mask, state, owner). Run under
 * integration/with_server.py --server kmipd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <openssl/rsa.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "e2e.h"

static const uint8_t message[] = "signed and sealed by kmipd";

/* The result of a cryptographic operation that must succeed; free the
 * response with kmip_response_free. */
static kmip_response *crypto_call(const e2e_session *s, uint32_t operation,
                                  const kmip_crypto_args *args,
                                  kmip_crypto_result *result)
{
    kmip_client *client = s->client;
    kmip_response *resp = e2e_call(
        client, operation, kmip_crypto_request(operation, s->version, args));
    assert_int_equal(
        kmip_crypto_response(operation, resp->items[0].payload, result, NULL),
        KMIP_OK);
    return resp;
}

static kmip_crypto_params params_hash_padding(uint32_t hash, uint32_t padding)
{
    kmip_crypto_params p = {
        .present = true, .hashing_algorithm = hash, .padding_method = padding};
    return p;
}

/* The Validity Indicator of a Signature Verify of args. */
static uint32_t validity_of(const e2e_session *s, const kmip_crypto_args *args)
{
    kmip_crypto_result verified;
    kmip_response *resp =
        crypto_call(s, KMIP_OPERATION_SIGNATURE_VERIFY, args, &verified);
    uint32_t validity = verified.validity_indicator;
    kmip_response_free(resp);
    return validity;
}

/* ---- Signatures. ---- */

static void rsa_pss_signature_verifies_locally_with_digest_salt(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv, &pub);
    kmip_crypto_args args = {
        .uid = priv,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256,
                                      KMIP_PADDING_METHOD_PSS),
        .data = {message, sizeof(message)}};
    kmip_crypto_result result;
    kmip_response *resp = crypto_call(s, KMIP_OPERATION_SIGN, &args, &result);
    EVP_PKEY *key = e2e_get_public_key(client, pub);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    assert_int_equal(
        EVP_DigestVerifyInit_ex(md, &pctx, "SHA256", NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32), 1);
    assert_int_equal(EVP_DigestVerify(md, result.signature_data.data,
                                      result.signature_data.len, message,
                                      sizeof(message)),
                     1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    kmip_response_free(resp);
    free(priv);
    free(pub);
}

static void ecdsa_signature_verifies_on_the_server(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv, &pub);
    kmip_crypto_args args = {
        .uid = priv,
        .params = {.present = true,
                   .digital_signature_algorithm =
                       KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA256},
        .data = {message, sizeof(message)}};
    kmip_crypto_result signed_result;
    kmip_response *signed_resp =
        crypto_call(s, KMIP_OPERATION_SIGN, &args, &signed_result);
    args.uid = pub;
    args.signature_data = signed_result.signature_data;
    assert_int_equal(validity_of(s, &args), KMIP_VALIDITY_INDICATOR_VALID);
    args.data.len--;
    assert_int_equal(validity_of(s, &args), KMIP_VALIDITY_INDICATOR_INVALID);
    kmip_response_free(signed_resp);
    free(priv);
    free(pub);
}

static void ed25519_pair_signs_and_verifies_here_and_on_the_server(void **state)
{
    e2e_session *s = *state;
    char *priv, *pub;
    e2e_create_pair(s->client, KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, 0,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv, &pub);
    kmip_crypto_args args = {.uid = priv, .data = {message, sizeof(message)}};
    kmip_crypto_result signed_result;
    kmip_response *signed_resp =
        crypto_call(s, KMIP_OPERATION_SIGN, &args, &signed_result);
    assert_int_equal(signed_result.signature_data.len, 64);
    EVP_PKEY *key = e2e_get_public_key(s->client, pub);
    assert_true(EVP_PKEY_is_a(key, "ED25519"));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, NULL, NULL, key), 1);
    assert_int_equal(EVP_DigestVerify(md, signed_result.signature_data.data,
                                      signed_result.signature_data.len, message,
                                      sizeof(message)),
                     1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    args.uid = pub;
    args.signature_data = signed_result.signature_data;
    assert_int_equal(validity_of(s, &args), KMIP_VALIDITY_INDICATOR_VALID);
    args.uid = priv;
    args.params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256, 0);
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_SIGN,
                                    kmip_crypto_request(KMIP_OPERATION_SIGN,
                                                        s->version, &args)),
                     e2e_reason(s,
                                KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                                KMIP_RESULT_REASON_INVALID_FIELD));
    kmip_response_free(signed_resp);
    free(priv);
    free(pub);
}

static void sign_over_digested_data_verifies_over_data(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 384,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv, &pub);
    uint8_t digest[48];
    assert_int_equal(
        EVP_Digest(message, sizeof(message), digest, NULL, EVP_sha384(), NULL),
        1);
    kmip_crypto_args args = {
        .uid = priv,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_384, 0),
        .digested_data = {digest, sizeof(digest)}};
    kmip_crypto_result signed_result;
    kmip_response *signed_resp =
        crypto_call(s, KMIP_OPERATION_SIGN, &args, &signed_result);
    kmip_crypto_args check = {.uid = pub,
                              .params = args.params,
                              .data = {message, sizeof(message)},
                              .signature_data = signed_result.signature_data};
    assert_int_equal(validity_of(s, &check), KMIP_VALIDITY_INDICATOR_VALID);
    kmip_response_free(signed_resp);
    free(priv);
    free(pub);
}

static void sign_without_sign_in_the_usage_mask_is_refused(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv, &pub);
    kmip_crypto_args args = {
        .uid = priv,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256, 0),
        .data = {message, sizeof(message)}};
    assert_int_equal(
        e2e_call_fails(client, KMIP_OPERATION_SIGN,
                       kmip_sign_request(s->version, &args)),
        e2e_reason(s, KMIP_RESULT_REASON_INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK,
                   KMIP_RESULT_REASON_PERMISSION_DENIED));
    free(priv);
    free(pub);
}

static void sign_with_a_pre_active_key_is_wrong_state(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    kmip_item *common = e2e_key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256,
                                      KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
    kmip_create_key_pair_args pair = {common, NULL, NULL};
    kmip_response *resp =
        e2e_call(client, KMIP_OPERATION_CREATE_KEY_PAIR,
                 kmip_create_key_pair_request(s->version, &pair));
    kmip_item_free(common);
    kmip_create_key_pair_result created;
    assert_int_equal(
        kmip_create_key_pair_response(resp->items[0].payload, &created, NULL),
        KMIP_OK);
    kmip_crypto_args args = {
        .uid = created.private_uid,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256, 0),
        .data = {message, sizeof(message)}};
    assert_int_equal(e2e_call_fails(client, KMIP_OPERATION_SIGN,
                                    kmip_sign_request(s->version, &args)),
                     KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE);
    kmip_response_free(resp);
}

static void another_owner_cannot_sign_with_the_key(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv, &pub);
    kmip_client *other = e2e_client(s->version, true);
    kmip_crypto_args args = {
        .uid = priv,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256, 0),
        .data = {message, sizeof(message)}};
    assert_int_equal(e2e_call_fails(other, KMIP_OPERATION_SIGN,
                                    kmip_sign_request(s->version, &args)),
                     KMIP_RESULT_REASON_ITEM_NOT_FOUND);
    kmip_client_free(other);
    free(priv);
    free(pub);
}

static void sign_with_a_public_key_is_invalid_object_type(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256, 0, 0, &priv,
                    &pub);
    kmip_crypto_args args = {
        .uid = pub,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256, 0),
        .data = {message, sizeof(message)}};
    assert_int_equal(e2e_call_fails(client, KMIP_OPERATION_SIGN,
                                    kmip_sign_request(s->version, &args)),
                     e2e_reason(s, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                                KMIP_RESULT_REASON_ILLEGAL_OPERATION));
    free(priv);
    free(pub);
}

static void sign_requests_kmipd_does_not_serve_are_refused(void **state)
{
    e2e_session *s = *state;
    char *priv, *pub;
    e2e_create_pair(s->client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256, 0, 0,
                    &priv, &pub);
    uint8_t digest[32] = {0};
    kmip_crypto_args both = {
        .uid = priv,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256, 0),
        .data = {message, sizeof(message)},
        .digested_data = {digest, sizeof(digest)}};
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_SIGN,
                                    kmip_sign_request(s->version, &both)),
                     KMIP_RESULT_REASON_INVALID_FIELD);
    kmip_crypto_args multi_part = {.uid = priv,
                                   .params = both.params,
                                   .data = {message, sizeof(message)},
                                   .init_indicator = KMIP_BOOL(true)};
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_SIGN,
                                    kmip_sign_request(s->version, &multi_part)),
                     KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED);
    free(priv);
    free(pub);
}

/* ---- Encryption. ---- */

static void aes_gcm_round_trips_with_aad_and_rejects_a_bad_tag(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    static const uint8_t aad[] = "associated";
    char *uid = e2e_create_key(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 256,
                               KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                                   KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT,
                               true);
    kmip_crypto_args args = {
        .uid = uid,
        .params = {.present = true,
                   .block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM,
                   .random_iv = KMIP_BOOL(true)},
        .data = {message, sizeof(message)},
        .aad = {aad, sizeof(aad)}};
    kmip_crypto_result sealed, opened;
    kmip_response *sealed_resp =
        crypto_call(s, KMIP_OPERATION_ENCRYPT, &args, &sealed);
    assert_int_equal(sealed.iv.len, 12);
    assert_int_equal(sealed.tag.len, 16);
    args.params.random_iv.present = false;
    args.data = sealed.data;
    args.iv = sealed.iv;
    args.tag = sealed.tag;
    kmip_response *resp =
        crypto_call(s, KMIP_OPERATION_DECRYPT, &args, &opened);
    assert_int_equal(opened.data.len, sizeof(message));
    assert_memory_equal(opened.data.data, message, sizeof(message));
    kmip_response_free(resp);
    uint8_t bad_tag[16];
    memcpy(bad_tag, sealed.tag.data, sizeof(bad_tag));
    bad_tag[0] ^= 1;
    args.tag = (kmip_bytes){bad_tag, sizeof(bad_tag)};
    assert_int_equal(e2e_call_fails(client, KMIP_OPERATION_DECRYPT,
                                    kmip_decrypt_request(s->version, &args)),
                     KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    kmip_response_free(sealed_resp);
    free(uid);
}

static void
key_past_its_protect_stop_date_decrypts_but_does_not_encrypt(void **state)
{
    e2e_session *s = *state;
    kmip_item *attrs = e2e_key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 128,
                                     KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                                         KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT);
    assert_non_null(
        kmip_add_datetime(attrs, KMIP_TAG_PROTECT_STOP_DATE, time(NULL) - 60));
    kmip_create_args create = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                               .attributes = attrs};
    kmip_response *resp = e2e_call(s->client, KMIP_OPERATION_CREATE,
                                   kmip_create_request(s->version, &create));
    kmip_item_free(attrs);
    kmip_create_result created;
    assert_int_equal(
        kmip_create_response(resp->items[0].payload, &created, NULL), KMIP_OK);
    e2e_activate(s->client, created.uid);
    static const uint8_t block[16] = {0};
    kmip_crypto_args args = {
        .uid = created.uid,
        .params = {.present = true,
                   .block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_ECB},
        .data = {block, sizeof(block)}};
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_ENCRYPT,
                                    kmip_encrypt_request(s->version, &args)),
                     e2e_reason(s, KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
                                KMIP_RESULT_REASON_PERMISSION_DENIED));
    kmip_crypto_result opened;
    kmip_response_free(crypto_call(s, KMIP_OPERATION_DECRYPT, &args, &opened));
    kmip_response_free(resp);
}

static void rsa_oaep_decrypts_what_the_public_key_encrypted(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *priv, *pub;
    e2e_create_pair(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT, &priv, &pub);
    EVP_PKEY *key = e2e_get_public_key(client, pub);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    uint8_t sealed[256];
    size_t sealed_len = sizeof(sealed);
    assert_int_equal(EVP_PKEY_encrypt_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()), 1);
    assert_int_equal(
        EVP_PKEY_encrypt(ctx, sealed, &sealed_len, message, sizeof(message)),
        1);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    kmip_crypto_args args = {
        .uid = priv,
        .params = params_hash_padding(KMIP_HASHING_ALGORITHM_SHA_256,
                                      KMIP_PADDING_METHOD_OAEP),
        .data = {sealed, sealed_len}};
    kmip_crypto_result opened;
    kmip_response *resp =
        crypto_call(s, KMIP_OPERATION_DECRYPT, &args, &opened);
    assert_int_equal(opened.data.len, sizeof(message));
    assert_memory_equal(opened.data.data, message, sizeof(message));
    kmip_response_free(resp);
    free(priv);
    free(pub);
}

/* Raw RSA (Padding Method None): Sign is undone by the public key,
 * Decrypt undoes it; an input of another length is Invalid Field. */
static void
raw_rsa_signs_and_decrypts_blocks_of_the_modulus_length(void **state)
{
    e2e_session *s = *state;
    char *priv, *pub;
    e2e_create_pair(s->client, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN |
                        KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv, &pub);
    EVP_PKEY *key = e2e_get_public_key(s->client, pub);
    uint8_t block[256] = {0, 1, 2, 3}, out[256];
    memcpy(block + 100, message, sizeof(message));
    kmip_crypto_args args = {
        .uid = priv,
        .params = params_hash_padding(0, KMIP_PADDING_METHOD_NONE),
        .data = {block, sizeof(block)}};
    kmip_crypto_result signed_block;
    kmip_response *resp =
        crypto_call(s, KMIP_OPERATION_SIGN, &args, &signed_block);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    size_t out_len = sizeof(out);
    assert_int_equal(EVP_PKEY_verify_recover_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
    assert_int_equal(EVP_PKEY_verify_recover(ctx, out, &out_len,
                                             signed_block.signature_data.data,
                                             signed_block.signature_data.len),
                     1);
    assert_memory_equal(out, block, sizeof(block));
    kmip_response_free(resp);

    /* The signature is the block raised to d: Decrypt does the same. */
    kmip_crypto_result decrypted;
    resp = crypto_call(s, KMIP_OPERATION_DECRYPT, &args, &decrypted);
    kmip_response *again =
        crypto_call(s, KMIP_OPERATION_SIGN, &args, &signed_block);
    assert_int_equal(decrypted.data.len, sizeof(block));
    assert_memory_equal(decrypted.data.data, signed_block.signature_data.data,
                        sizeof(block));
    kmip_response_free(again);
    kmip_response_free(resp);

    args.data = (kmip_bytes){block, sizeof(block) - 1};
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_SIGN,
                                    kmip_sign_request(s->version, &args)),
                     KMIP_RESULT_REASON_INVALID_FIELD);
    assert_int_equal(e2e_call_fails(s->client, KMIP_OPERATION_DECRYPT,
                                    kmip_crypto_request(KMIP_OPERATION_DECRYPT,
                                                        s->version, &args)),
                     KMIP_RESULT_REASON_INVALID_FIELD);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    free(priv);
    free(pub);
}

/* ---- MAC, RNG. ---- */

static void hmac_verifies_its_own_mac_and_rejects_another(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    char *uid =
        e2e_create_key(client, KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256, 256,
                       KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE |
                           KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY,
                       true);
    kmip_crypto_args args = {.uid = uid, .data = {message, sizeof(message)}};
    kmip_crypto_result mac;
    kmip_response *mac_resp = crypto_call(s, KMIP_OPERATION_MAC, &args, &mac);
    assert_int_equal(mac.mac_data.len, 32);
    static const uint8_t other[32] = {0};
    const uint8_t *tags[2] = {mac.mac_data.data, other};
    const uint32_t expected[2] = {KMIP_VALIDITY_INDICATOR_VALID,
                                  KMIP_VALIDITY_INDICATOR_INVALID};
    for (size_t i = 0; i < 2; i++) {
        kmip_item *payload = kmip_mac_request(s->version, &args);
        assert_non_null(
            kmip_add_bytes(payload, KMIP_TAG_MAC_DATA, tags[i], 32));
        kmip_response *resp =
            e2e_call(client, KMIP_OPERATION_MAC_VERIFY, payload);
        uint32_t validity = 0;
        assert_int_equal(kmip_get_enum(resp->items[0].payload,
                                       KMIP_TAG_VALIDITY_INDICATOR, &validity,
                                       NULL),
                         KMIP_OK);
        assert_int_equal(validity, expected[i]);
        kmip_response_free(resp);
    }
    kmip_response_free(mac_resp);
    free(uid);
}

static void rng_retrieve_returns_the_asked_length(void **state)
{
    e2e_session *s = *state;
    kmip_client *client = s->client;
    kmip_crypto_args args = {.data_length = KMIP_INT(48)};
    kmip_crypto_result result;
    kmip_response *resp =
        crypto_call(s, KMIP_OPERATION_RNG_RETRIEVE, &args, &result);
    assert_int_equal(result.data.len, 48);
    kmip_response_free(resp);
    assert_int_equal(e2e_call_fails(client, KMIP_OPERATION_RNG_RETRIEVE,
                                    kmip_rng_retrieve_request(s->version, 0)),
                     KMIP_RESULT_REASON_INVALID_FIELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rsa_pss_signature_verifies_locally_with_digest_salt),
        cmocka_unit_test(ecdsa_signature_verifies_on_the_server),
        cmocka_unit_test(
            ed25519_pair_signs_and_verifies_here_and_on_the_server),
        cmocka_unit_test(sign_over_digested_data_verifies_over_data),
        cmocka_unit_test(sign_without_sign_in_the_usage_mask_is_refused),
        cmocka_unit_test(sign_with_a_pre_active_key_is_wrong_state),
        cmocka_unit_test(another_owner_cannot_sign_with_the_key),
        cmocka_unit_test(sign_with_a_public_key_is_invalid_object_type),
        cmocka_unit_test(sign_requests_kmipd_does_not_serve_are_refused),
        cmocka_unit_test(aes_gcm_round_trips_with_aad_and_rejects_a_bad_tag),
        cmocka_unit_test(
            key_past_its_protect_stop_date_decrypts_but_does_not_encrypt),
        cmocka_unit_test(rsa_oaep_decrypts_what_the_public_key_encrypted),
        cmocka_unit_test(
            raw_rsa_signs_and_decrypts_blocks_of_the_modulus_length),
        cmocka_unit_test(hmac_verifies_its_own_mac_and_rejects_another),
        cmocka_unit_test(rng_retrieve_returns_the_asked_length),
    };
    return cmocka_run_group_tests_name("KMIP 2.1", tests, e2e_setup_v2_1,
                                       e2e_teardown) +
           cmocka_run_group_tests_name("KMIP 1.4", tests, e2e_setup_v1_4,
                                       e2e_teardown);
}
