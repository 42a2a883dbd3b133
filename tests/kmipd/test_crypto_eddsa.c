// SPDX-License-Identifier: Apache-2.0
/* kmipd's Ed25519 and Ed448: key pairs, pure EdDSA signatures checked
 * against OpenSSL, the Raw public key in and out, refused parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

static const uint8_t message[] = "kmipd signs the whole message";

static const struct edwards_case {
    uint32_t algorithm;
    const char *keytype;
    size_t public_len, signature_len;
} cases[] = {
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, "ED25519", 32, 64},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ED448, "ED448", 57, 114},
};

static bool openssl_verifies(EVP_PKEY *key, const kmipd_buf *sig)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok =
        ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
        EVP_DigestVerify(ctx, sig->data, sig->len, message, sizeof(message)) ==
            1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static void pairs_are_described_and_signatures_verify(void **state)
{
    (void)state;
    const int32_t lengths[] = {255, 448};
    const uint32_t curves[] = {KMIP_RECOMMENDED_CURVE_CURVE25519,
                               KMIP_RECOMMENDED_CURVE_CURVE448};
    for (size_t i = 0; i < 2; i++) {
        kmipd_buf priv = {0}, pub = {0}, sig = {0};
        kmipd_key_info info;
        kmip_status st;
        assert_int_equal(kmipd_generate_key_pair(cases[i].algorithm, 0, 0,
                                                 &priv, &pub, &info, &st),
                         KMIP_OK);
        assert_int_equal(info.algorithm, cases[i].algorithm);
        assert_int_equal(info.length, lengths[i]);
        assert_int_equal(info.curve, curves[i]);
        EVP_PKEY *key = NULL;
        assert_int_equal(kmipd_key_load(KMIP_OBJECT_TYPE_PRIVATE_KEY, priv.data,
                                        priv.len, &key, &st),
                         KMIP_OK);
        assert_true(EVP_PKEY_is_a(key, cases[i].keytype));
        kmipd_crypto_params p = {0};
        assert_int_equal(
            kmipd_sign(key, &p, message, sizeof(message), false, &sig, &st),
            KMIP_OK);
        assert_int_equal(sig.len, cases[i].signature_len);
        assert_true(openssl_verifies(key, &sig));
        bool valid = false;
        assert_int_equal(kmipd_verify(key, &p, message, sizeof(message), false,
                                      sig.data, sig.len, &valid, &st),
                         KMIP_OK);
        assert_true(valid);
        sig.data[0] ^= 1;
        assert_int_equal(kmipd_verify(key, &p, message, sizeof(message), false,
                                      sig.data, sig.len, &valid, &st),
                         KMIP_OK);
        assert_false(valid);
        EVP_PKEY_free(key);
        kmipd_buf_clear(&sig);
        kmipd_buf_clear(&priv);
        kmipd_buf_clear(&pub);
    }
}

static void wrong_curve_or_length_is_invalid_field(void **state)
{
    (void)state;
    kmipd_buf priv = {0}, pub = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, 256, 0,
                                &priv, &pub, &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
    crypto_test_assert_reason(
        kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, 0,
                                KMIP_RECOMMENDED_CURVE_CURVE448, &priv, &pub,
                                &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void hashes_digests_and_other_algorithms_are_refused(void **state)
{
    (void)state;
    EVP_PKEY *key =
        crypto_test_private_key(KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, 0);
    assert_non_null(key);
    const kmipd_crypto_params bad[] = {
        {.hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_512},
        {.digital_signature_algorithm =
             KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA256},
        {.cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_ED448},
        {.padding_method = KMIP_PADDING_METHOD_PSS},
    };
    kmipd_buf sig = {0};
    kmip_status st;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        crypto_test_assert_reason(
            kmipd_sign(key, &bad[i], message, sizeof(message), false, &sig,
                       &st),
            &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
    kmipd_crypto_params none = {0};
    crypto_test_assert_reason(
        kmipd_sign(key, &none, message, 32, true, &sig, &st), &st,
        KMIP_RESULT_REASON_INVALID_FIELD);
    EVP_PKEY_free(key);
}

static void raw_public_key_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        kmipd_buf priv = {0}, pub = {0}, raw = {0}, canonical = {0};
        kmipd_key_info info;
        kmip_status st;
        assert_int_equal(kmipd_generate_key_pair(cases[i].algorithm, 0, 0,
                                                 &priv, &pub, &info, &st),
                         KMIP_OK);
        assert_int_equal(kmipd_key_export(KMIP_OBJECT_TYPE_PUBLIC_KEY, pub.data,
                                          pub.len, KMIP_KEY_FORMAT_TYPE_RAW,
                                          &raw, &st),
                         KMIP_OK);
        assert_int_equal(raw.len, cases[i].public_len);
        assert_int_equal(kmipd_key_from_raw_public(cases[i].algorithm, 0,
                                                   raw.data, raw.len,
                                                   &canonical, &info, &st),
                         KMIP_OK);
        assert_int_equal(info.algorithm, cases[i].algorithm);
        assert_int_equal(canonical.len, pub.len);
        assert_memory_equal(canonical.data, pub.data, pub.len);
        crypto_test_assert_reason(
            kmipd_key_from_raw_public(cases[i].algorithm, 0, raw.data,
                                      raw.len - 1, &canonical, &info, &st),
            &st, KMIP_RESULT_REASON_INVALID_FIELD);
        kmipd_buf_clear(&priv);
        kmipd_buf_clear(&pub);
        kmipd_buf_clear(&raw);
        kmipd_buf_clear(&canonical);
    }
}

static void pkcs8_declared_as_another_algorithm_is_invalid_field(void **state)
{
    (void)state;
    kmipd_buf priv = {0}, pub = {0}, canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(
        kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, 0, 0,
                                &priv, &pub, &info, &st),
        KMIP_OK);
    assert_int_equal(kmipd_key_import(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                      KMIP_KEY_FORMAT_TYPE_PKCS_8,
                                      KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519,
                                      priv.data, priv.len, &canonical, &info,
                                      &st),
                     KMIP_OK);
    kmipd_buf_clear(&canonical);
    crypto_test_assert_reason(kmipd_key_import(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                               KMIP_KEY_FORMAT_TYPE_PKCS_8,
                                               KMIP_CRYPTOGRAPHIC_ALGORITHM_EC,
                                               priv.data, priv.len, &canonical,
                                               &info, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
    kmipd_buf_clear(&priv);
    kmipd_buf_clear(&pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs_are_described_and_signatures_verify),
        cmocka_unit_test(wrong_curve_or_length_is_invalid_field),
        cmocka_unit_test(hashes_digests_and_other_algorithms_are_refused),
        cmocka_unit_test(raw_public_key_round_trips),
        cmocka_unit_test(pkcs8_declared_as_another_algorithm_is_invalid_field),
    };
    return cmocka_run_group_tests(tests, NULL, crypto_test_clear_cache);
}
