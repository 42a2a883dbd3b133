/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's RSA encryption (OAEP, PKCS#1 v1.5, raw), checked against
 * OpenSSL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/rsa.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

static EVP_PKEY *rsa_key; /* RSA-2048, private (holds the public part) */

static const uint8_t message[] = "kmipd seals what it is given";

static int generate_key(void **state)
{
    (void)state;
    rsa_key = crypto_test_private_key(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048);
    return rsa_key != NULL ? 0 : -1;
}

static int free_key(void **state)
{
    EVP_PKEY_free(rsa_key);
    return crypto_test_clear_cache(state);
}

/* Encrypts message under p into one modulus' length and decrypts it
 * back. */
static void assert_round_trip(const kmipd_crypto_params *p)
{
    kmipd_buf cipher = {0}, plain = {0};
    kmip_status st;

    assert_int_equal(
        kmipd_rsa_encrypt(rsa_key, p, message, sizeof(message), &cipher, &st),
        KMIP_OK);
    assert_int_equal(cipher.len, 256);
    assert_int_equal(
        kmipd_rsa_decrypt(rsa_key, p, cipher.data, cipher.len, &plain, &st),
        KMIP_OK);
    assert_int_equal(plain.len, sizeof(message));
    assert_memory_equal(plain.data, message, sizeof(message));
    kmipd_buf_clear(&cipher);
    kmipd_buf_clear(&plain);
}

static void oaep_round_trips_with_hash_mgf1_and_label(void **state)
{
    (void)state;
    static const uint8_t label[] = "label";
    kmipd_crypto_params p = {
        .padding_method = KMIP_PADDING_METHOD_OAEP,
        .hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_256,
        .mask_generator_hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_1,
        .p_source = label,
        .p_source_len = sizeof(label)};
    assert_round_trip(&p);
}

static void oaep_with_another_label_fails_to_decrypt(void **state)
{
    (void)state;
    static const uint8_t label[] = "label";
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_OAEP,
                             .p_source = label,
                             .p_source_len = sizeof(label)};
    kmipd_buf cipher = {0}, plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_encrypt(rsa_key, &p, message, sizeof(message), &cipher, &st),
        KMIP_OK);
    p.p_source_len = 0;
    crypto_test_assert_reason(
        kmipd_rsa_decrypt(rsa_key, &p, cipher.data, cipher.len, &plain, &st),
        &st, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    assert_null(plain.data);
    kmipd_buf_clear(&cipher);
}

static void oaep_decrypts_what_openssl_encrypted(void **state)
{
    (void)state;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, rsa_key, NULL);
    uint8_t cipher[256];
    size_t cipher_len = sizeof(cipher);
    assert_int_equal(EVP_PKEY_encrypt_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()), 1);
    assert_int_equal(
        EVP_PKEY_encrypt(ctx, cipher, &cipher_len, message, sizeof(message)),
        1);
    EVP_PKEY_CTX_free(ctx);
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_OAEP,
                             .hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256};
    kmipd_buf plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_decrypt(rsa_key, &p, cipher, cipher_len, &plain, &st),
        KMIP_OK);
    assert_memory_equal(plain.data, message, sizeof(message));
    kmipd_buf_clear(&plain);
}

static void rsa_pkcs1_encryption_round_trips(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_PKCS1V15};

    assert_round_trip(&p);
}

/* Raw RSA decrypts what OpenSSL's raw RSA encrypted, and takes only the
 * modulus' length. */
static void raw_rsa_decrypts_openssl_raw_rsa(void **state)
{
    (void)state;
    uint8_t block[256] = {0};
    memcpy(block + 256 - sizeof(message), message, sizeof(message));
    uint8_t cipher[256];
    size_t cipher_len = sizeof(cipher);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, rsa_key, NULL);
    assert_int_equal(EVP_PKEY_encrypt_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
    assert_int_equal(
        EVP_PKEY_encrypt(ctx, cipher, &cipher_len, block, sizeof(block)), 1);
    EVP_PKEY_CTX_free(ctx);

    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_NONE};
    kmipd_buf plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_decrypt(rsa_key, &p, cipher, cipher_len, &plain, &st),
        KMIP_OK);
    assert_int_equal(plain.len, sizeof(block));
    assert_memory_equal(plain.data, block, sizeof(block));
    kmipd_buf_clear(&plain);
    crypto_test_assert_reason(
        kmipd_rsa_decrypt(rsa_key, &p, cipher, cipher_len - 1, &plain, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void
rsa_encryption_without_padding_method_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {0};
    kmipd_buf cipher = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_rsa_encrypt(rsa_key, &p, message, sizeof(message), &cipher, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(oaep_round_trips_with_hash_mgf1_and_label),
        cmocka_unit_test(oaep_with_another_label_fails_to_decrypt),
        cmocka_unit_test(oaep_decrypts_what_openssl_encrypted),
        cmocka_unit_test(rsa_pkcs1_encryption_round_trips),
        cmocka_unit_test(raw_rsa_decrypts_openssl_raw_rsa),
        cmocka_unit_test(
            rsa_encryption_without_padding_method_is_bad_parameters),
    };
    return cmocka_run_group_tests(tests, generate_key, free_key);
}
