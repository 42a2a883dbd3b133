/* SPDX-License-Identifier: Apache-2.0 */
/* What the provider refuses, and the error that says why: a signature
 * buffer too small, an input that is not the digest set, a digest-sign
 * that a copy of its context finished, a digest changed mid-message or
 * given as a number, a one-shot digest-sign after updates, RSA padding
 * modes and OAEP digests not offered, a plaintext buffer too small (and
 * the OAEP parameters read back), ECDH without a peer or with a KDF (and
 * a copied ECDH context), an AES update without output, a key URI that
 * is not a string. Also what it says about itself (provider and cipher
 * parameters). Runs under test_evp_ops.sh, on its "rsa" and "p256" key
 * pairs and "aes256" key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>

#include "token_keys.h"

/* P11PROV_R_* (provider/provider.h) */
#define REASON_UNSUPPORTED 8
#define REASON_BAD_ARGUMENT 9
#define REASON_BUFFER_SMALL 10

#define P11KMIP_PROPQ "provider=p11kmip"
#define KEY_URI_PARAM "p11kmip-key-uri"

static const unsigned char message[] = "a message for the refusals";

/* A context signing with the rsa key (SHA-256 digests). */
static EVP_PKEY_CTX *rsa_signer(EVP_PKEY **key)
{
    EVP_PKEY_CTX *pctx;

    *key = load("rsa", "private");
    pctx = EVP_PKEY_CTX_new_from_pkey(NULL, *key, NULL);
    assert_non_null(pctx);
    assert_int_equal(EVP_PKEY_sign_init(pctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()), 1);
    return pctx;
}

static void test_a_signature_buffer_too_small_is_refused(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = rsa_signer(&key);
    unsigned char digest[32] = {1}, sig[256];
    size_t siglen = 16;

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(
        EVP_PKEY_sign(pctx, sig, &siglen, digest, sizeof(digest)), 1);
    expect_last_error(REASON_BUFFER_SMALL,
                      "a signature needs 256 bytes, the buffer has 16");
    siglen = sizeof(sig);
    assert_int_equal(EVP_PKEY_sign(pctx, sig, &siglen, digest, sizeof(digest)),
                     1);
    assert_int_equal(siglen, 256);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

static void test_an_input_that_is_not_the_digest_is_refused(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = rsa_signer(&key);
    unsigned char sig[256];
    size_t siglen = sizeof(sig);
    const EVP_MD *md = NULL;

    (void)state;
    assert_int_equal(EVP_PKEY_CTX_get_signature_md(pctx, &md), 1);
    assert_string_equal(EVP_MD_get0_name(md), "SHA256");
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_sign(pctx, sig, &siglen, message, 20), 1);
    expect_last_error(REASON_BAD_ARGUMENT,
                      "an input of 20 bytes is not a SHA2-256 digest");
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

static void test_a_digest_given_as_a_number_is_refused(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = rsa_signer(&key);
    int number = 256;
    OSSL_PARAM params[] = {
        OSSL_PARAM_int(OSSL_SIGNATURE_PARAM_DIGEST, &number),
        OSSL_PARAM_END,
    };

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_CTX_set_params(pctx, params), 1);
    expect_last_error(REASON_BAD_ARGUMENT,
                      "the digest parameter is not a string");
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

/* The token cannot copy an operation in flight: the copy finishes it and
 * the original can go no further. */
static void test_a_digest_sign_finished_by_a_copy_goes_no_further(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *original =
        digest_sign_begun(key, NULL, message, sizeof(message));
    EVP_MD_CTX *copy = EVP_MD_CTX_new();

    (void)state;
    assert_int_equal(EVP_MD_CTX_copy_ex(copy, original), 1);
    finish_and_verify(copy, key, message, sizeof(message));
    ERR_clear_error();
    assert_int_not_equal(
        EVP_DigestSignUpdate(original, message, sizeof(message)), 1);
    expect_last_error(REASON_BAD_ARGUMENT,
                      "this digest-sign was finished by a copy of its context");
    EVP_MD_CTX_free(copy);
    EVP_MD_CTX_free(original);
    EVP_PKEY_free(key);
}

static void test_the_digest_cannot_change_mid_message(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mdctx = digest_sign_begun(key, &pctx, message, sizeof(message));

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha384()), 1);
    expect_last_error(REASON_BAD_ARGUMENT,
                      "the digest cannot change while a message is being "
                      "hashed");
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
}

static void test_a_one_shot_digest_sign_after_updates_is_refused(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = digest_sign_begun(key, NULL, message, sizeof(message));
    unsigned char sig[256];
    size_t siglen = sizeof(sig);

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(
        EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)), 1);
    expect_last_error(REASON_BAD_ARGUMENT,
                      "a one-shot digest-sign after digest-sign updates");
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
}

/* A context decrypting with the rsa key. */
static EVP_PKEY_CTX *rsa_decrypter(EVP_PKEY **key)
{
    EVP_PKEY_CTX *pctx;

    *key = load("rsa", "private");
    pctx = EVP_PKEY_CTX_new_from_pkey(NULL, *key, NULL);
    assert_non_null(pctx);
    assert_int_equal(EVP_PKEY_decrypt_init(pctx), 1);
    return pctx;
}

static void test_rsa_padding_modes_not_offered_are_refused(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = rsa_decrypter(&key);
    unsigned char in[256] = {0}, out[256];
    size_t outlen = sizeof(out);

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, 99), 1);
    expect_last_error(REASON_BAD_ARGUMENT, "unknown RSA padding mode");
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_X931_PADDING), 1);
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_decrypt(pctx, out, &outlen, in, sizeof(in)),
                         1);
    expect_last_error(REASON_UNSUPPORTED,
                      "RSA padding mode 5 is not offered for decryption");
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

static void test_an_oaep_digest_the_token_cannot_use_is_refused(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = rsa_decrypter(&key);

    (void)state;
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_CTX_set_rsa_oaep_md_name(pctx, "MD4", NULL),
                         1);
    expect_last_error(REASON_UNSUPPORTED, "\"MD4\" is not one the token");
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

static void test_oaep_parameters_are_read_back(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = rsa_decrypter(&key);
    char name[32];
    unsigned char *label = OPENSSL_memdup("a label", 7);
    unsigned char *read_label = NULL;

    (void)state;
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(pctx, EVP_sha384()), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha512()), 1);
    assert_int_equal(EVP_PKEY_CTX_set0_rsa_oaep_label(pctx, label, 7), 1);
    assert_int_equal(
        EVP_PKEY_CTX_get_rsa_oaep_md_name(pctx, name, sizeof(name)), 1);
    assert_string_equal(name, "SHA2-384");
    assert_int_equal(
        EVP_PKEY_CTX_get_rsa_mgf1_md_name(pctx, name, sizeof(name)), 1);
    assert_string_equal(name, "SHA2-512");
    assert_int_equal(EVP_PKEY_CTX_get0_rsa_oaep_label(pctx, &read_label), 7);
    assert_memory_equal(read_label, "a label", 7);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

static void test_a_plaintext_buffer_too_small_is_refused(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = rsa_decrypter(&key);
    EVP_PKEY *public_key = load("rsa", "public");
    EVP_PKEY_CTX *encrypter =
        EVP_PKEY_CTX_new_from_pkey(NULL, public_key, NULL);
    unsigned char ciphertext[256], out[256];
    size_t len = sizeof(ciphertext), outlen = 4;

    (void)state;
    assert_int_equal(EVP_PKEY_encrypt_init(encrypter), 1);
    assert_int_equal(
        EVP_PKEY_encrypt(encrypter, ciphertext, &len, message, sizeof(message)),
        1);
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_decrypt(pctx, out, &outlen, ciphertext, len),
                         1);
    expect_last_error(REASON_BUFFER_SMALL, "bytes, the buffer 4");
    outlen = sizeof(out);
    assert_int_equal(EVP_PKEY_decrypt(pctx, out, &outlen, ciphertext, len), 1);
    assert_int_equal(outlen, sizeof(message));
    assert_memory_equal(out, message, sizeof(message));
    EVP_PKEY_CTX_free(encrypter);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(public_key);
    EVP_PKEY_free(key);
}

/* A derive with the p256 key, not yet given a peer. */
static EVP_PKEY_CTX *ecdh_started(EVP_PKEY **key)
{
    EVP_PKEY_CTX *pctx;

    *key = load("p256", "private");
    pctx = EVP_PKEY_CTX_new_from_pkey(NULL, *key, NULL);
    assert_non_null(pctx);
    assert_int_equal(EVP_PKEY_derive_init(pctx), 1);
    return pctx;
}

static void test_ecdh_without_a_peer_or_with_a_kdf_is_refused(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = ecdh_started(&key);
    unsigned char secret[32];
    size_t len = sizeof(secret);
    OSSL_PARAM kdf[] = {
        OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_TYPE, (char *)"X963KDF",
                               0),
        OSSL_PARAM_END,
    };

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_derive(pctx, secret, &len), 1);
    expect_last_error(REASON_BAD_ARGUMENT, "needs a key and a peer key");
    assert_non_null(OSSL_PARAM_locate_const(EVP_PKEY_CTX_settable_params(pctx),
                                            OSSL_EXCHANGE_PARAM_KDF_TYPE));
    ERR_clear_error();
    assert_int_not_equal(EVP_PKEY_CTX_set_params(pctx, kdf), 1);
    expect_last_error(REASON_UNSUPPORTED,
                      "only the plain shared secret (no KDF) is offered");
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

/* A copy of a derive context with its peer derives the same secret. */
static void test_a_copied_ecdh_context_derives_the_same_secret(void **state)
{
    EVP_PKEY *key;
    EVP_PKEY_CTX *pctx = ecdh_started(&key), *copy;
    EVP_PKEY *peer = EVP_PKEY_Q_keygen(NULL, "provider=default", "EC", "P-256");
    unsigned char secret[32], again[32];
    size_t len = sizeof(secret), again_len = sizeof(again);

    (void)state;
    assert_non_null(peer);
    assert_int_equal(EVP_PKEY_derive_set_peer(pctx, peer), 1);
    copy = EVP_PKEY_CTX_dup(pctx);
    assert_non_null(copy);
    assert_int_equal(EVP_PKEY_derive(pctx, secret, &len), 1);
    assert_int_equal(EVP_PKEY_derive(copy, again, &again_len), 1);
    assert_int_equal(again_len, len);
    assert_memory_equal(again, secret, len);
    EVP_PKEY_CTX_free(copy);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(peer);
    EVP_PKEY_free(key);
}

/* An AES-256-CBC encryption with the aes256 key, started. */
static EVP_CIPHER_CTX *aes_cbc_started(EVP_CIPHER **cipher)
{
    static const unsigned char iv[16];
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(KEY_URI_PARAM, uri("aes256", "secret-key"), 0),
        OSSL_PARAM_END,
    };

    *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CBC", P11KMIP_PROPQ);
    assert_non_null(*cipher);
    assert_int_equal(EVP_CipherInit_ex2(cctx, *cipher, NULL, iv, 1, params), 1);
    return cctx;
}

static void test_an_aes_update_without_output_is_refused(void **state)
{
    EVP_CIPHER *cipher;
    EVP_CIPHER_CTX *cctx = aes_cbc_started(&cipher);
    unsigned char block[16] = {0};
    int outl = 0;

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(
        EVP_CipherUpdate(cctx, NULL, &outl, block, sizeof(block)), 1);
    expect_last_error(REASON_BAD_ARGUMENT, "no output");
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
}

static void test_a_key_uri_that_is_not_a_string_is_refused(void **state)
{
    EVP_CIPHER *cipher;
    EVP_CIPHER_CTX *cctx = aes_cbc_started(&cipher);
    int number = 4;
    OSSL_PARAM params[] = {
        OSSL_PARAM_int(KEY_URI_PARAM, &number),
        OSSL_PARAM_END,
    };

    (void)state;
    ERR_clear_error();
    assert_int_not_equal(EVP_CIPHER_CTX_set_params(cctx, params), 1);
    expect_last_error(REASON_BAD_ARGUMENT, KEY_URI_PARAM " is not a string");
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
}

/* CBC's updated IV is the last ciphertext block. */
static void test_the_cbc_iv_moves_on_with_the_data(void **state)
{
    EVP_CIPHER *cipher;
    EVP_CIPHER_CTX *cctx = aes_cbc_started(&cipher);
    unsigned char block[32] = {0}, out[48], iv[16] = {0};
    int outl = 0;
    OSSL_PARAM params[] = {
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_UPDATED_IV, iv, sizeof(iv)),
        OSSL_PARAM_END,
    };

    (void)state;
    assert_int_equal(EVP_CipherUpdate(cctx, out, &outl, block, sizeof(block)),
                     1);
    assert_int_equal(outl, 32);
    assert_int_equal(EVP_CIPHER_CTX_get_params(cctx, params), 1);
    assert_memory_equal(iv, out + 16, sizeof(iv));
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
}

static void test_the_cipher_says_its_sizes(void **state)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-128-GCM", P11KMIP_PROPQ);

    (void)state;
    assert_non_null(cipher);
    assert_non_null(OSSL_PARAM_locate_const(EVP_CIPHER_gettable_params(cipher),
                                            OSSL_CIPHER_PARAM_KEYLEN));
    assert_int_equal(EVP_CIPHER_get_key_length(cipher), 16);
    assert_int_equal(EVP_CIPHER_get_iv_length(cipher), 12);
    assert_int_equal(EVP_CIPHER_get_mode(cipher), EVP_CIPH_GCM_MODE);
    EVP_CIPHER_free(cipher);
}

static void test_the_provider_names_itself(void **state)
{
    OSSL_PROVIDER *provider = OSSL_PROVIDER_load(NULL, "p11kmip");
    const char *name = NULL, *version = NULL, *build = NULL;
    int status = 0;
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_NAME, (char **)&name, 0),
        OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_VERSION, (char **)&version, 0),
        OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_BUILDINFO, (char **)&build, 0),
        OSSL_PARAM_int(OSSL_PROV_PARAM_STATUS, &status),
        OSSL_PARAM_END,
    };

    (void)state;
    assert_non_null(provider);
    assert_non_null(OSSL_PARAM_locate_const(
        OSSL_PROVIDER_gettable_params(provider), OSSL_PROV_PARAM_STATUS));
    assert_int_equal(OSSL_PROVIDER_get_params(provider, params), 1);
    assert_string_equal(name, "p11kmip (keys in KMIP)");
    assert_non_null(version);
    assert_true(version[0] >= '0' && version[0] <= '9');
    assert_string_equal(build, version);
    assert_int_equal(status, 1);
    OSSL_PROVIDER_unload(provider);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_signature_buffer_too_small_is_refused),
        cmocka_unit_test(test_an_input_that_is_not_the_digest_is_refused),
        cmocka_unit_test(test_a_digest_given_as_a_number_is_refused),
        cmocka_unit_test(test_a_digest_sign_finished_by_a_copy_goes_no_further),
        cmocka_unit_test(test_the_digest_cannot_change_mid_message),
        cmocka_unit_test(test_a_one_shot_digest_sign_after_updates_is_refused),
        cmocka_unit_test(test_rsa_padding_modes_not_offered_are_refused),
        cmocka_unit_test(test_an_oaep_digest_the_token_cannot_use_is_refused),
        cmocka_unit_test(test_oaep_parameters_are_read_back),
        cmocka_unit_test(test_a_plaintext_buffer_too_small_is_refused),
        cmocka_unit_test(test_ecdh_without_a_peer_or_with_a_kdf_is_refused),
        cmocka_unit_test(test_a_copied_ecdh_context_derives_the_same_secret),
        cmocka_unit_test(test_an_aes_update_without_output_is_refused),
        cmocka_unit_test(test_a_key_uri_that_is_not_a_string_is_refused),
        cmocka_unit_test(test_the_cbc_iv_moves_on_with_the_data),
        cmocka_unit_test(test_the_cipher_says_its_sizes),
        cmocka_unit_test(test_the_provider_names_itself),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
