/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's key generation: symmetric and HMAC keys of the requested
 * lengths, RSA and EC pairs, and what it does not generate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

#include "crypto_test.h"
#include "key_pairs.h"

/* AES keys, and Triple DES keys of 168 (the default) or 112 bits in 24 or
 * 16 bytes of odd parity. */
static void symmetric_keys_have_the_requested_length(void **state)
{
    (void)state;
    static const struct {
        uint32_t algorithm;
        int32_t length;
        size_t bytes;
        int32_t bits;
    } rows[] = {
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 128, 16, 128},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 192, 24, 192},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 256, 32, 256},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, 0, 24, 168},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, 168, 24, 168},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, 112, 16, 112},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
        kmipd_buf key = {0};
        kmipd_key_info info;
        kmip_status st;
        assert_int_equal(kmipd_generate_symmetric(rows[i].algorithm,
                                                  rows[i].length, &key, &info,
                                                  &st),
                         KMIP_OK);
        assert_int_equal(key.len, rows[i].bytes);
        assert_int_equal(info.length, rows[i].bits);
        for (size_t b = 0; rows[i].bits % 8 != 0 && b < key.len; b++)
            assert_int_equal(__builtin_popcount(key.data[b]) % 2, 1);
        kmipd_buf_clear(&key);
    }
}

static void symmetric_key_of_a_wrong_length_is_invalid_field(void **state)
{
    (void)state;
    static const struct {
        uint32_t algorithm;
        int32_t length;
    } rows[] = {{KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 100},
                {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, 192}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
        kmipd_buf key = {0};
        kmipd_key_info info;
        kmip_status st;
        crypto_test_assert_reason(kmipd_generate_symmetric(rows[i].algorithm,
                                                           rows[i].length, &key,
                                                           &info, &st),
                                  &st, KMIP_RESULT_REASON_INVALID_FIELD);
        assert_null(key.data);
    }
}

static void hmac_key_defaults_to_the_digest_length(void **state)
{
    (void)state;
    kmipd_buf key = {0};
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(
        kmipd_generate_symmetric(KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA384, 0,
                                 &key, &info, &st),
        KMIP_OK);
    assert_int_equal(key.len, 48);
    assert_int_equal(info.length, 384);
    kmipd_buf_clear(&key);
}

static void rsa_pair_is_pkcs8_and_spki_with_exponent_65537(void **state)
{
    (void)state;
    EVP_PKEY *priv = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &rsa_private);
    EVP_PKEY *pub = load(KMIP_OBJECT_TYPE_PUBLIC_KEY, &rsa_public);
    assert_true(EVP_PKEY_is_a(priv, "RSA"));
    assert_int_equal(EVP_PKEY_get_bits(priv), 2048);
    assert_int_equal(EVP_PKEY_eq(priv, pub), 1);
    BIGNUM *e = NULL;
    assert_true(EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_E, &e));
    assert_true(BN_is_word(e, 65537));
    BN_free(e);
    EVP_PKEY_free(priv);
    EVP_PKEY_free(pub);
}

static void ec_pairs_are_on_the_requested_curve(void **state)
{
    (void)state;
    const uint32_t curves[] = {KMIP_RECOMMENDED_CURVE_P_224,
                               KMIP_RECOMMENDED_CURVE_P_256,
                               KMIP_RECOMMENDED_CURVE_P_384,
                               KMIP_RECOMMENDED_CURVE_P_521,
                               KMIP_RECOMMENDED_CURVE_SECP256K1,
                               KMIP_RECOMMENDED_CURVE_BRAINPOOLP256R1,
                               KMIP_RECOMMENDED_CURVE_BRAINPOOLP384R1,
                               KMIP_RECOMMENDED_CURVE_BRAINPOOLP512R1};
    const int32_t bits[] = {224, 256, 384, 521, 256, 256, 384, 512};
    for (size_t i = 0; i < sizeof(curves) / sizeof(*curves); i++) {
        kmipd_buf priv = {0}, pub = {0};
        kmipd_key_info info;
        kmip_status st;
        assert_int_equal(
            kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA, 0,
                                    curves[i], &priv, &pub, &info, &st),
            KMIP_OK);
        assert_int_equal(info.curve, curves[i]);
        assert_int_equal(info.length, bits[i]);
        assert_int_equal(info.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA);
        EVP_PKEY *pkey = load(KMIP_OBJECT_TYPE_PUBLIC_KEY, &pub);
        assert_int_equal(EVP_PKEY_get_bits(pkey), bits[i]);
        EVP_PKEY_free(pkey);
        kmipd_buf_clear(&priv);
        kmipd_buf_clear(&pub);
    }
}

/* A length alone selects the NIST curve of that size, never another. */
static void ec_curve_follows_from_length_alone(void **state)
{
    (void)state;
    kmipd_buf priv = {0}, pub = {0};
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC,
                                             384, 0, &priv, &pub, &info, &st),
                     KMIP_OK);
    assert_int_equal(info.curve, KMIP_RECOMMENDED_CURVE_P_384);
    kmipd_buf_clear(&priv);
    kmipd_buf_clear(&pub);
    crypto_test_assert_reason(
        kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 512, 0, &priv,
                                &pub, &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void rsa_below_2048_bits_is_not_generated(void **state)
{
    (void)state;
    kmipd_buf priv = {0}, pub = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 1024, 0,
                                &priv, &pub, &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(priv.data);
}

static void dsa_pair_is_not_supported(void **state)
{
    (void)state;
    kmipd_buf priv = {0}, pub = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_DSA, 2048, 0,
                                &priv, &pub, &info, &st),
        &st, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(symmetric_keys_have_the_requested_length),
        cmocka_unit_test(symmetric_key_of_a_wrong_length_is_invalid_field),
        cmocka_unit_test(hmac_key_defaults_to_the_digest_length),
        cmocka_unit_test(rsa_pair_is_pkcs8_and_spki_with_exponent_65537),
        cmocka_unit_test(ec_pairs_are_on_the_requested_curve),
        cmocka_unit_test(ec_curve_follows_from_length_alone),
        cmocka_unit_test(rsa_below_2048_bits_is_not_generated),
        cmocka_unit_test(dsa_pair_is_not_supported),
    };
    return cmocka_run_group_tests(tests, generate_pairs, free_pairs);
}
