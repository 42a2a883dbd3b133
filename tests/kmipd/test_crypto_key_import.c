/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's key import: PKCS#1 and EC private key formats to PKCS#8,
 * PKCS#1 public keys to SubjectPublicKeyInfo, transparent parts, and every
 * malformed or mismatched key refused with Invalid Field. */
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

/* kmipd_describe_key refuses an RSA key outside the size bounds (both
 * inclusive), an EC key on a curve kmipd does not serve and a key of
 * another type, with Invalid Field; an asymmetric key is no symmetric
 * key's (Invalid Object Type). */
static void keys_kmipd_does_not_serve_are_invalid_field(void **state)
{
    (void)state;
    EVP_PKEY *rsa = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &rsa_private);
    EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp160r1");
    static const uint8_t secret[16] = {1};
    EVP_PKEY *hmac =
        EVP_PKEY_new_raw_private_key(EVP_PKEY_HMAC, NULL, secret, 16);
    assert_non_null(ec);
    assert_non_null(hmac);
    kmipd_key_info info;
    kmip_status st;
    assert_int_equal(kmipd_describe_key(rsa, 0, 2048, 2048, &info, &st),
                     KMIP_OK);
    assert_int_equal(info.length, 2048);
    crypto_test_assert_reason(
        kmipd_describe_key(rsa, 0, 2049, 4096, &info, &st), &st,
        KMIP_RESULT_REASON_INVALID_FIELD);
    crypto_test_assert_reason(
        kmipd_describe_key(rsa, 0, 1024, 2047, &info, &st), &st,
        KMIP_RESULT_REASON_INVALID_FIELD);
    crypto_test_assert_reason(kmipd_describe_key(ec, 0, 0, 0, &info, &st), &st,
                              KMIP_RESULT_REASON_INVALID_FIELD);
    crypto_test_assert_reason(kmipd_describe_key(hmac, 0, 0, 0, &info, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
    assert_non_null(strstr(st.message, "not supported"));
    EVP_PKEY *parsed = NULL;
    crypto_test_assert_reason(kmipd_key_parse(KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                                              rsa_private.data, rsa_private.len,
                                              &parsed, &st),
                              &st, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE);
    assert_null(parsed);
    EVP_PKEY_free(hmac);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(rsa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        cmocka_unit_test(keys_kmipd_does_not_serve_are_invalid_field),
    };
    return cmocka_run_group_tests(tests, generate_pairs, free_pairs);
}
