/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's key generation, import, export and key cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

#include "crypto_test.h"

/* One RSA-2048 and one P-256 pair for the whole run (generation is slow). */
static kmipd_buf rsa_private, rsa_public, ec_private, ec_public;

static int generate_pairs(void **state)
{
    (void)state;
    kmipd_key_info info;
    kmip_status st;
    if (kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0,
                                &rsa_private, &rsa_public, &info,
                                &st) != KMIP_OK)
        return -1;
    return kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 0,
                                   KMIP_RECOMMENDED_CURVE_P_256, &ec_private,
                                   &ec_public, &info, &st) == KMIP_OK
               ? 0
               : -1;
}

static int free_pairs(void **state)
{
    (void)state;
    kmipd_buf_clear(&rsa_private);
    kmipd_buf_clear(&rsa_public);
    kmipd_buf_clear(&ec_private);
    kmipd_buf_clear(&ec_public);
    kmipd_key_cache_clear();
    return 0;
}

/* DER of pkey in structure, for comparisons with OpenSSL's own output. */
static kmipd_buf openssl_der(EVP_PKEY *pkey, int selection,
                             const char *structure)
{
    kmipd_buf out = {0};
    OSSL_ENCODER_CTX *ctx =
        OSSL_ENCODER_CTX_new_for_pkey(pkey, selection, "DER", structure, NULL);
    assert_non_null(ctx);
    assert_int_equal(OSSL_ENCODER_to_data(ctx, &out.data, &out.len), 1);
    OSSL_ENCODER_CTX_free(ctx);
    return out;
}

static EVP_PKEY *load(uint32_t object_type, const kmipd_buf *der)
{
    EVP_PKEY *pkey = NULL;
    kmip_status st;
    assert_int_equal(
        kmipd_key_load(object_type, der->data, der->len, &pkey, &st), KMIP_OK);
    return pkey;
}

/* ---- Generation. ---- */

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

/* ---- Import. ---- */

static void pkcs1_private_key_imports_as_pkcs8(void **state)
{
    (void)state;
    EVP_PKEY *pkey = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &rsa_private);
    kmipd_buf pkcs1 = openssl_der(pkey, EVP_PKEY_KEYPAIR, "type-specific");
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(kmipd_key_import(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                      KMIP_KEY_FORMAT_TYPE_PKCS_1,
                                      KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA,
                                      pkcs1.data, pkcs1.len, &canonical, &info,
                                      &st),
                     KMIP_OK);
    assert_int_equal(canonical.len, rsa_private.len);
    assert_memory_equal(canonical.data, rsa_private.data, canonical.len);
    assert_int_equal(info.length, 2048);
    kmipd_buf_clear(&canonical);
    kmipd_buf_clear(&pkcs1);
    EVP_PKEY_free(pkey);
}

static void ec_private_key_format_imports_as_pkcs8(void **state)
{
    (void)state;
    EVP_PKEY *pkey = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    kmipd_buf sec1 = openssl_der(pkey, EVP_PKEY_KEYPAIR, "type-specific");
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(kmipd_key_import(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                      KMIP_KEY_FORMAT_TYPE_EC_PRIVATE_KEY, 0,
                                      sec1.data, sec1.len, &canonical, &info,
                                      &st),
                     KMIP_OK);
    assert_int_equal(info.curve, KMIP_RECOMMENDED_CURVE_P_256);
    EVP_PKEY *back = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &canonical);
    assert_int_equal(EVP_PKEY_eq(pkey, back), 1);
    EVP_PKEY_free(back);
    kmipd_buf_clear(&canonical);
    kmipd_buf_clear(&sec1);
    EVP_PKEY_free(pkey);
}

static void pkcs1_public_key_imports_as_spki(void **state)
{
    (void)state;
    EVP_PKEY *pkey = load(KMIP_OBJECT_TYPE_PUBLIC_KEY, &rsa_public);
    kmipd_buf pkcs1 = openssl_der(pkey, EVP_PKEY_PUBLIC_KEY, "type-specific");
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(kmipd_key_import(KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                      KMIP_KEY_FORMAT_TYPE_PKCS_1, 0,
                                      pkcs1.data, pkcs1.len, &canonical, &info,
                                      &st),
                     KMIP_OK);
    assert_int_equal(canonical.len, rsa_public.len);
    assert_memory_equal(canonical.data, rsa_public.data, canonical.len);
    kmipd_buf_clear(&canonical);
    kmipd_buf_clear(&pkcs1);
    EVP_PKEY_free(pkey);
}

static void garbage_private_key_is_invalid_field(void **state)
{
    (void)state;
    const uint8_t garbage[] = {0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x00};
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(kmipd_key_import(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                               KMIP_KEY_FORMAT_TYPE_PKCS_8, 0,
                                               garbage, sizeof(garbage),
                                               &canonical, &info, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(canonical.data);
}

static void truncated_private_key_is_invalid_field(void **state)
{
    (void)state;
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_key_import(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                         KMIP_KEY_FORMAT_TYPE_PKCS_8, 0, rsa_private.data,
                         rsa_private.len - 1, &canonical, &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void key_with_trailing_bytes_is_invalid_field(void **state)
{
    (void)state;
    uint8_t padded[512];
    assert_true(ec_public.len + 2 <= sizeof(padded));
    memcpy(padded, ec_public.data, ec_public.len);
    padded[ec_public.len] = 0;
    padded[ec_public.len + 1] = 0;
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(kmipd_key_import(KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                               KMIP_KEY_FORMAT_TYPE_X_509, 0,
                                               padded, ec_public.len + 2,
                                               &canonical, &info, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void
key_of_another_algorithm_than_declared_is_invalid_field(void **state)
{
    (void)state;
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(kmipd_key_import(KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                               KMIP_KEY_FORMAT_TYPE_X_509,
                                               KMIP_CRYPTOGRAPHIC_ALGORITHM_EC,
                                               rsa_public.data, rsa_public.len,
                                               &canonical, &info, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void pkcs1_format_for_an_ec_key_is_invalid_field(void **state)
{
    (void)state;
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(kmipd_key_import(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                               KMIP_KEY_FORMAT_TYPE_PKCS_1, 0,
                                               ec_private.data, ec_private.len,
                                               &canonical, &info, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void aes_key_of_20_bytes_is_invalid_field(void **state)
{
    (void)state;
    uint8_t raw[20] = {0};
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(kmipd_key_import(KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                                               KMIP_KEY_FORMAT_TYPE_RAW,
                                               KMIP_CRYPTOGRAPHIC_ALGORITHM_AES,
                                               raw, sizeof(raw), &canonical,
                                               &info, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void rsa_public_key_rebuilds_from_its_transparent_parts(void **state)
{
    (void)state;
    kmipd_buf n = {0}, e = {0}, canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(kmipd_key_rsa_public_parts(rsa_public.data, rsa_public.len,
                                                &n, &e, &st),
                     KMIP_OK);
    assert_int_equal(n.len, 256);
    assert_int_equal(e.len, 3);
    assert_int_equal(kmipd_key_from_rsa_public(n.data, n.len, e.data, e.len,
                                               &canonical, &info, &st),
                     KMIP_OK);
    assert_int_equal(canonical.len, rsa_public.len);
    assert_memory_equal(canonical.data, rsa_public.data, canonical.len);
    kmipd_buf_clear(&n);
    kmipd_buf_clear(&e);
    kmipd_buf_clear(&canonical);
}

static void ec_public_key_rebuilds_from_its_point(void **state)
{
    (void)state;
    kmipd_buf point = {0}, canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    uint32_t curve = 0;
    assert_int_equal(kmipd_key_ec_public_parts(ec_public.data, ec_public.len,
                                               &curve, &point, &st),
                     KMIP_OK);
    assert_int_equal(curve, KMIP_RECOMMENDED_CURVE_P_256);
    assert_int_equal(point.len, 65);
    assert_int_equal(point.data[0], 0x04);
    assert_int_equal(kmipd_key_from_ec_point(curve, point.data, point.len,
                                             &canonical, &info, &st),
                     KMIP_OK);
    assert_int_equal(canonical.len, ec_public.len);
    assert_memory_equal(canonical.data, ec_public.data, canonical.len);
    kmipd_buf_clear(&point);
    kmipd_buf_clear(&canonical);
}

static void ec_point_off_the_curve_is_invalid_field(void **state)
{
    (void)state;
    uint8_t point[65];
    memset(point, 0x11, sizeof(point));
    point[0] = 0x04;
    kmipd_buf canonical = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_key_from_ec_point(KMIP_RECOMMENDED_CURVE_P_256, point,
                                sizeof(point), &canonical, &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

/* A self-signed certificate for the P-256 key, DER (OPENSSL_free). */
static kmipd_buf self_signed_certificate(void)
{
    EVP_PKEY *pkey = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    X509 *cert = X509_new();
    assert_non_null(cert);
    X509_NAME *name = X509_get_subject_name(cert);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)"kmipd",
                                                -1, -1, 0),
                     1);
    assert_int_equal(X509_set_issuer_name(cert, name), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), 0));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), 3600));
    assert_int_equal(X509_set_pubkey(cert, pkey), 1);
    assert_true(X509_sign(cert, pkey, EVP_sha256()) > 0);
    kmipd_buf der = {0};
    int len = i2d_X509(cert, &der.data);
    assert_true(len > 0);
    der.len = (size_t)len;
    X509_free(cert);
    EVP_PKEY_free(pkey);
    return der;
}

static void certificate_check_describes_the_public_key(void **state)
{
    (void)state;
    kmipd_buf der = self_signed_certificate();
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(kmipd_certificate_check(der.data, der.len, &info, &st),
                     KMIP_OK);
    assert_int_equal(info.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC);
    assert_int_equal(info.curve, KMIP_RECOMMENDED_CURVE_P_256);
    crypto_test_assert_reason(
        kmipd_certificate_check(der.data, der.len - 1, &info, &st), &st,
        KMIP_RESULT_REASON_INVALID_FIELD);
    kmipd_buf_clear(&der);
}

/* ---- Export. ---- */

static void rsa_private_key_exports_as_pkcs1(void **state)
{
    (void)state;
    EVP_PKEY *pkey = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &rsa_private);
    kmipd_buf expected = openssl_der(pkey, EVP_PKEY_KEYPAIR, "type-specific");
    kmipd_buf out = {0};
    kmip_status st;
    assert_int_equal(kmipd_key_export(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                      rsa_private.data, rsa_private.len,
                                      KMIP_KEY_FORMAT_TYPE_PKCS_1, &out, &st),
                     KMIP_OK);
    assert_int_equal(out.len, expected.len);
    assert_memory_equal(out.data, expected.data, out.len);
    kmipd_buf_clear(&out);
    kmipd_buf_clear(&expected);
    EVP_PKEY_free(pkey);
}

static void ec_public_key_exports_raw_as_its_point(void **state)
{
    (void)state;
    kmipd_buf out = {0};
    kmip_status st;
    assert_int_equal(kmipd_key_export(KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                      ec_public.data, ec_public.len,
                                      KMIP_KEY_FORMAT_TYPE_RAW, &out, &st),
                     KMIP_OK);
    assert_int_equal(out.len, 65);
    assert_int_equal(out.data[0], 0x04);
    kmipd_buf_clear(&out);
}

static void rsa_public_key_has_no_raw_format(void **state)
{
    (void)state;
    kmipd_buf out = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_key_export(KMIP_OBJECT_TYPE_PUBLIC_KEY, rsa_public.data,
                         rsa_public.len, KMIP_KEY_FORMAT_TYPE_RAW, &out, &st),
        &st, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED);
}

static void ec_private_key_has_no_pkcs1_format(void **state)
{
    (void)state;
    kmipd_buf out = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_key_export(KMIP_OBJECT_TYPE_PRIVATE_KEY, ec_private.data,
                         ec_private.len, KMIP_KEY_FORMAT_TYPE_PKCS_1, &out,
                         &st),
        &st, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED);
}

static void public_key_exports_x509_unchanged(void **state)
{
    (void)state;
    kmipd_buf out = {0};
    kmip_status st;
    assert_int_equal(kmipd_key_export(KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                      rsa_public.data, rsa_public.len,
                                      KMIP_KEY_FORMAT_TYPE_X_509, &out, &st),
                     KMIP_OK);
    assert_int_equal(out.len, rsa_public.len);
    assert_memory_equal(out.data, rsa_public.data, out.len);
    kmipd_buf_clear(&out);
}

/* ---- Cache. ---- */

static void loading_the_same_material_twice_hits_the_cache(void **state)
{
    (void)state;
    EVP_PKEY *first = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    EVP_PKEY *second = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    assert_ptr_equal(first, second);
    EVP_PKEY_free(first);
    EVP_PKEY_free(second);
}

static void forgotten_material_is_parsed_again(void **state)
{
    (void)state;
    EVP_PKEY *first = load(KMIP_OBJECT_TYPE_PUBLIC_KEY, &ec_public);
    kmipd_key_forget(ec_public.data, ec_public.len);
    EVP_PKEY *second = load(KMIP_OBJECT_TYPE_PUBLIC_KEY, &ec_public);
    assert_ptr_not_equal(first, second);
    assert_int_equal(EVP_PKEY_eq(first, second), 1);
    EVP_PKEY_free(first);
    EVP_PKEY_free(second);
}

/* A destroyed key's prepared signature contexts go with its parsed key. */
static void forgotten_material_drops_its_prepared_contexts(void **state)
{
    (void)state;
    EVP_PKEY *key = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    const uintptr_t setup[KMIPD_CTX_SETUP_WORDS] = {1, 2, 3};
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    assert_non_null(ctx);
    kmipd_ctx_cache_put(key, setup, ctx);
    EVP_PKEY_CTX *copy = kmipd_ctx_cache_dup(key, setup);
    assert_non_null(copy);
    EVP_PKEY_CTX_free(copy);
    kmipd_key_forget(ec_private.data, ec_private.len);
    assert_null(kmipd_ctx_cache_dup(key, setup));
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
}

static void public_material_does_not_load_as_private(void **state)
{
    (void)state;
    EVP_PKEY *pkey = NULL;
    kmip_status st;
    crypto_test_assert_reason(kmipd_key_load(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                             ec_public.data, ec_public.len,
                                             &pkey, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(pkey);
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
        cmocka_unit_test(pkcs1_private_key_imports_as_pkcs8),
        cmocka_unit_test(ec_private_key_format_imports_as_pkcs8),
        cmocka_unit_test(pkcs1_public_key_imports_as_spki),
        cmocka_unit_test(garbage_private_key_is_invalid_field),
        cmocka_unit_test(truncated_private_key_is_invalid_field),
        cmocka_unit_test(key_with_trailing_bytes_is_invalid_field),
        cmocka_unit_test(
            key_of_another_algorithm_than_declared_is_invalid_field),
        cmocka_unit_test(pkcs1_format_for_an_ec_key_is_invalid_field),
        cmocka_unit_test(aes_key_of_20_bytes_is_invalid_field),
        cmocka_unit_test(rsa_public_key_rebuilds_from_its_transparent_parts),
        cmocka_unit_test(ec_public_key_rebuilds_from_its_point),
        cmocka_unit_test(ec_point_off_the_curve_is_invalid_field),
        cmocka_unit_test(certificate_check_describes_the_public_key),
        cmocka_unit_test(rsa_private_key_exports_as_pkcs1),
        cmocka_unit_test(ec_public_key_exports_raw_as_its_point),
        cmocka_unit_test(rsa_public_key_has_no_raw_format),
        cmocka_unit_test(ec_private_key_has_no_pkcs1_format),
        cmocka_unit_test(public_key_exports_x509_unchanged),
        cmocka_unit_test(loading_the_same_material_twice_hits_the_cache),
        cmocka_unit_test(forgotten_material_is_parsed_again),
        cmocka_unit_test(forgotten_material_drops_its_prepared_contexts),
        cmocka_unit_test(public_material_does_not_load_as_private),
    };
    return cmocka_run_group_tests(tests, generate_pairs, free_pairs);
}
