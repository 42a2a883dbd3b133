// SPDX-License-Identifier: Apache-2.0
/* AES through EVP (test_evp_ops): GCM, CBC and CTR on the token's keys,
 * by URI and by key bytes, compared with OpenSSL's own AES; lengths, tags,
 * padding and context copies. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include "evp_ops.h"
#include "token_keys.h"

static void hex_key(const char *name, unsigned char *key, size_t len)
{
    const char *hex = getenv(name);

    assert_non_null(hex);
    assert_int_equal(strlen(hex), 2 * len);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &key[i]), 1);
}

/* Encrypts or decrypts in in pieces of step bytes (after aad, if any),
 * with the provider's cipher and the key labelled label, or with the
 * default provider and key bytes; returns the output length and, for
 * GCM, gets (encrypting) or sets (decrypting) tag. Returns -1 when final
 * fails. */
static int run_cipher(const char *name, const char *propq, const char *label,
                      const unsigned char *key_bytes, int enc,
                      const unsigned char *iv, const unsigned char *aad,
                      size_t aad_len, const unsigned char *in, size_t inlen,
                      size_t step, unsigned char *out, unsigned char tag[16])
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, propq);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[2] = {OSSL_PARAM_END, OSSL_PARAM_END};
    bool gcm;
    int outl, total = 0, ok;

    assert_non_null(cipher);
    gcm = EVP_CIPHER_get_mode(cipher) == EVP_CIPH_GCM_MODE;
    if (label != NULL)
        params[0] = OSSL_PARAM_construct_utf8_string(
            KEY_URI_PARAM, uri(label, "secret-key"), 0);
    assert_int_equal(
        EVP_CipherInit_ex2(cctx, cipher, key_bytes, iv, enc, params), 1);
    if (aad != NULL)
        assert_int_equal(EVP_CipherUpdate(cctx, NULL, &outl, aad, (int)aad_len),
                         1);
    for (size_t done = 0; done < inlen; done += step) {
        size_t n = inlen - done < step ? inlen - done : step;

        assert_int_equal(
            EVP_CipherUpdate(cctx, out + total, &outl, in + done, (int)n), 1);
        total += outl;
    }
    if (gcm && !enc)
        assert_int_equal(
            EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_SET_TAG, 16, tag), 1);
    ok = EVP_CipherFinal_ex(cctx, out + total, &outl);
    total += ok ? outl : 0;
    if (ok && gcm && enc)
        assert_int_equal(
            EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_GET_TAG, 16, tag), 1);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
    return ok ? total : -1;
}

static const unsigned char iv16[16] = "initial vector!";
static const unsigned char plaintext[100] =
    "one hundred bytes of plaintext, which is six whole AES blocks and "
    "four bytes more; enough to stream";

/* The provider's cipher in pieces matches OpenSSL's in one go, and
 * decrypts back: with the token key labelled label, or (label NULL) with
 * the key's bytes, as libssl's record layer passes them. */
static void check_cipher(const char *name, const char *label,
                         const char *key_env, size_t key_len, size_t step)
{
    unsigned char key[32], expected[128], ours[128], back[128];
    unsigned char tag_expected[16], tag_ours[16];
    static const unsigned char aad[] = "header";
    bool gcm = strstr(name, "GCM") != NULL;
    const unsigned char *a = gcm ? aad : NULL;
    const unsigned char *ours_key = label == NULL ? key : NULL;
    int expected_len, ours_len, back_len;

    hex_key(key_env, key, key_len);
    expected_len = run_cipher(name, DEFAULT_PROPQ, NULL, key, 1, iv16, a,
                              sizeof(aad), plaintext, sizeof(plaintext),
                              sizeof(plaintext), expected, tag_expected);
    ours_len = run_cipher(name, P11KMIP_PROPQ, label, ours_key, 1, iv16, a,
                          sizeof(aad), plaintext, sizeof(plaintext), step, ours,
                          tag_ours);
    assert_int_equal(ours_len, expected_len);
    assert_memory_equal(ours, expected, (size_t)expected_len);
    if (gcm)
        assert_memory_equal(tag_ours, tag_expected, 16);
    back_len =
        run_cipher(name, P11KMIP_PROPQ, label, ours_key, 0, iv16, a,
                   sizeof(aad), ours, (size_t)ours_len, step, back, tag_ours);
    assert_int_equal(back_len, sizeof(plaintext));
    assert_memory_equal(back, plaintext, sizeof(plaintext));
}

static void test_aes_256_gcm_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-GCM", "aes256", "P11KMIP_TEST_AES256", 32, 7);
}

static void test_aes_128_gcm_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-128-GCM", "aes128", "P11KMIP_TEST_AES128", 16, 100);
}

static void test_aes_256_cbc_in_pieces_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-CBC", "aes256", "P11KMIP_TEST_AES256", 32, 13);
}

static void test_aes_128_cbc_whole_blocks_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-128-CBC", "aes128", "P11KMIP_TEST_AES128", 16, 16);
}

static void test_aes_256_ctr_in_pieces_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-CTR", "aes256", "P11KMIP_TEST_AES256", 32, 5);
}

static void test_aes_gcm_wrong_tag_fails_final(void **state)
{
    unsigned char ct[128], back[128], tag[16];
    int ct_len;

    (void)state;
    ct_len = run_cipher("AES-256-GCM", P11KMIP_PROPQ, "aes256", NULL, 1, iv16,
                        NULL, 0, plaintext, sizeof(plaintext), 50, ct, tag);
    assert_int_equal(ct_len, sizeof(plaintext));
    tag[3] ^= 0x10;
    assert_int_equal(run_cipher("AES-256-GCM", P11KMIP_PROPQ, "aes256", NULL, 0,
                                iv16, NULL, 0, ct, (size_t)ct_len, 50, back,
                                tag),
                     -1);
}

/* The reason of the error an AES-256-CBC encryption init with key_uri
 * raised (it must fail). */
static int aes_init_error(const char *key_uri)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CBC", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(KEY_URI_PARAM, (char *)key_uri, 0),
        OSSL_PARAM_END,
    };

    assert_non_null(cipher);
    ERR_clear_error();
    assert_int_not_equal(EVP_EncryptInit_ex2(cctx, cipher, NULL, iv16, params),
                         1);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
    return ERR_GET_REASON(ERR_peek_last_error());
}

static void test_aes_uri_naming_no_key_is_not_found(void **state)
{
    (void)state;
    assert_int_equal(aes_init_error(uri("no-such-key", "secret-key")),
                     REASON_NOT_FOUND);
}

static void test_aes_key_of_another_size_is_refused(void **state)
{
    (void)state;
    assert_int_equal(aes_init_error(uri("aes128", "secret-key")),
                     REASON_KEY_USAGE);
}

static void test_aes_256_gcm_key_bytes_match_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-GCM", NULL, "P11KMIP_TEST_AES256", 32, 7);
}

static void test_aes_128_cbc_key_bytes_match_openssl(void **state)
{
    (void)state;
    check_cipher("AES-128-CBC", NULL, "P11KMIP_TEST_AES128", 16, 13);
}

static void test_aes_256_ctr_key_bytes_match_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-CTR", NULL, "P11KMIP_TEST_AES256", 32, 5);
}

/* A copy of a context running on key bytes goes on as the original. */
static void test_aes_key_bytes_context_copy_goes_on(void **state)
{
    static const unsigned char key[32] = "thirty-two bytes of AES-256 key";
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CTR", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new(), *copy = EVP_CIPHER_CTX_new();
    unsigned char out[2][100];
    int outl;

    (void)state;
    assert_non_null(cipher);
    assert_int_equal(EVP_EncryptInit_ex2(cctx, cipher, key, iv16, NULL), 1);
    assert_int_equal(EVP_EncryptUpdate(cctx, out[0], &outl, plaintext, 40), 1);
    assert_int_equal(EVP_CIPHER_CTX_copy(copy, cctx), 1);
    assert_int_equal(
        EVP_EncryptUpdate(cctx, out[0] + 40, &outl, plaintext + 40, 60), 1);
    assert_int_equal(
        EVP_EncryptUpdate(copy, out[1] + 40, &outl, plaintext + 40, 60), 1);
    assert_memory_equal(out[0] + 40, out[1] + 40, 60);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_CTX_free(copy);
    EVP_CIPHER_free(cipher);
}

/* Key bytes and a token key at once are ambiguous. */
static void test_aes_key_bytes_and_uri_are_refused(void **state)
{
    static const unsigned char key[32];
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CBC", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(
                               KEY_URI_PARAM, uri("aes256", "secret-key"), 0),
                           OSSL_PARAM_END};

    (void)state;
    assert_non_null(cipher);
    assert_int_not_equal(EVP_EncryptInit_ex2(cctx, cipher, key, iv16, params),
                         1);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
}

/* A context of the provider's cipher name, initialised for enc with
 * the key labelled label. */
static EVP_CIPHER_CTX *aes_ctx(const char *name, const char *label, int enc)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(KEY_URI_PARAM, uri(label, "secret-key"), 0),
        OSSL_PARAM_END,
    };

    assert_non_null(cipher);
    assert_int_equal(EVP_CipherInit_ex2(cctx, cipher, NULL, iv16, enc, params),
                     1);
    EVP_CIPHER_free(cipher);
    return cctx;
}

static void test_aes_lengths_are_fixed_and_reported(void **state)
{
    EVP_CIPHER_CTX *cctx = aes_ctx("AES-256-GCM", "aes256", 1);
    unsigned char tag[16];

    (void)state;
    assert_int_equal(EVP_CIPHER_CTX_get_key_length(cctx), 32);
    assert_int_equal(EVP_CIPHER_CTX_get_iv_length(cctx), 12);
    assert_int_equal(EVP_CIPHER_CTX_get_tag_length(cctx), 16);
    ERR_clear_error();
    assert_int_not_equal(EVP_CIPHER_CTX_set_key_length(cctx, 16), 1);
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_SET_IVLEN, 16, NULL), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()), REASON_UNSUPPORTED);
    ERR_clear_error();
    assert_true(EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) <= 0);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_CIPHER_CTX_free(cctx);
}

static void test_aes_gcm_tag_of_a_bad_size_or_direction_is_refused(void **state)
{
    EVP_CIPHER_CTX *dec = aes_ctx("AES-256-GCM", "aes256", 0);
    EVP_CIPHER_CTX *enc = aes_ctx("AES-256-GCM", "aes256", 1);
    EVP_CIPHER_CTX *cbc = aes_ctx("AES-256-CBC", "aes256", 0);
    unsigned char tag[17] = {0};

    (void)state;
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(dec, EVP_CTRL_AEAD_SET_TAG, 17, tag), 1);
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_AEAD_SET_TAG, 16, tag), 1);
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(cbc, EVP_CTRL_AEAD_SET_TAG, 16, tag), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_CIPHER_CTX_free(dec);
    EVP_CIPHER_CTX_free(enc);
    EVP_CIPHER_CTX_free(cbc);
}

static void test_aes_without_a_key_refuses_data(void **state)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CTR", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    unsigned char out[128];
    int outl;

    (void)state;
    assert_non_null(cipher);
    assert_int_equal(EVP_EncryptInit_ex2(cctx, cipher, NULL, iv16, NULL), 1);
    ERR_clear_error();
    assert_int_not_equal(EVP_EncryptUpdate(cctx, out, &outl, plaintext, 16), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
}

static void test_aes_cbc_without_padding_refuses_a_partial_block(void **state)
{
    EVP_CIPHER_CTX *cctx = aes_ctx("AES-256-CBC", "aes256", 1);
    unsigned char out[128];
    int outl, total;

    (void)state;
    assert_int_equal(EVP_CIPHER_CTX_set_padding(cctx, 0), 1);
    assert_int_equal(
        EVP_EncryptUpdate(cctx, out, &outl, plaintext, sizeof(plaintext)), 1);
    total = outl;
    assert_int_equal(total, 96);
    assert_int_not_equal(EVP_EncryptFinal_ex(cctx, out + total, &outl), 1);
    EVP_CIPHER_CTX_free(cctx);
}

/* Finishes encrypting plaintext from done on cctx, into out and tag. */
static int aes_finish(EVP_CIPHER_CTX *cctx, size_t done, unsigned char *out,
                      unsigned char tag[16])
{
    int outl, total;

    assert_int_equal(EVP_EncryptUpdate(cctx, out, &outl, plaintext + done,
                                       (int)(sizeof(plaintext) - done)),
                     1);
    total = outl;
    assert_int_equal(EVP_EncryptFinal_ex(cctx, out + total, &outl), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_GET_TAG, 16, tag),
                     1);
    EVP_CIPHER_CTX_free(cctx);
    return total + outl;
}

static void test_aes_gcm_context_copied_midway_finishes_alike(void **state)
{
    EVP_CIPHER_CTX *cctx = aes_ctx("AES-256-GCM", "aes256", 1);
    EVP_CIPHER_CTX *copy = EVP_CIPHER_CTX_new();
    unsigned char head[128], a[128], b[128], tag_a[16], tag_b[16];
    unsigned char expected[128], tag_expected[16], key[32];
    int outl, head_len, a_len, b_len;

    (void)state;
    assert_int_equal(EVP_EncryptUpdate(cctx, NULL, &outl,
                                       (const unsigned char *)"header", 7),
                     1);
    assert_int_equal(EVP_EncryptUpdate(cctx, head, &outl, plaintext, 40), 1);
    head_len = outl;
    assert_int_equal(EVP_CIPHER_CTX_copy(copy, cctx), 1);
    a_len = aes_finish(cctx, 40, a, tag_a);
    b_len = aes_finish(copy, 40, b, tag_b);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, (size_t)a_len);
    assert_memory_equal(tag_a, tag_b, 16);
    hex_key("P11KMIP_TEST_AES256", key, sizeof(key));
    assert_int_equal(run_cipher("AES-256-GCM", DEFAULT_PROPQ, NULL, key, 1,
                                iv16, (const unsigned char *)"header", 7,
                                plaintext, sizeof(plaintext), sizeof(plaintext),
                                expected, tag_expected),
                     head_len + a_len);
    assert_memory_equal(tag_a, tag_expected, 16);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_aes_256_gcm_matches_openssl),
    cmocka_unit_test(test_aes_128_gcm_matches_openssl),
    cmocka_unit_test(test_aes_256_cbc_in_pieces_matches_openssl),
    cmocka_unit_test(test_aes_128_cbc_whole_blocks_matches_openssl),
    cmocka_unit_test(test_aes_256_ctr_in_pieces_matches_openssl),
    cmocka_unit_test(test_aes_gcm_wrong_tag_fails_final),
    cmocka_unit_test(test_aes_256_gcm_key_bytes_match_openssl),
    cmocka_unit_test(test_aes_128_cbc_key_bytes_match_openssl),
    cmocka_unit_test(test_aes_256_ctr_key_bytes_match_openssl),
    cmocka_unit_test(test_aes_key_bytes_context_copy_goes_on),
    cmocka_unit_test(test_aes_key_bytes_and_uri_are_refused),
    cmocka_unit_test(test_aes_uri_naming_no_key_is_not_found),
    cmocka_unit_test(test_aes_key_of_another_size_is_refused),
    cmocka_unit_test(test_aes_lengths_are_fixed_and_reported),
    cmocka_unit_test(test_aes_gcm_tag_of_a_bad_size_or_direction_is_refused),
    cmocka_unit_test(test_aes_without_a_key_refuses_data),
    cmocka_unit_test(test_aes_cbc_without_padding_refuses_a_partial_block),
    cmocka_unit_test(test_aes_gcm_context_copied_midway_finishes_alike),
};

const evp_family evp_aes_family = {tests, sizeof(tests) / sizeof(tests[0])};
