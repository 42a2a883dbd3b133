/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's key export: the formats each key exports to (PKCS#1, raw EC
 * points, X.509) and those it has not. */
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

/* A private key's X.509 form is its public half, as the public key
 * exports it. */
static void private_key_exports_x509_as_its_public_half(void **state)
{
    (void)state;
    const kmipd_buf *pairs[][2] = {{&rsa_private, &rsa_public},
                                   {&ec_private, &ec_public}};
    for (size_t i = 0; i < 2; i++) {
        kmipd_buf out = {0};
        kmip_status st;
        assert_int_equal(kmipd_key_export(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                          pairs[i][0]->data, pairs[i][0]->len,
                                          KMIP_KEY_FORMAT_TYPE_X_509, &out,
                                          &st),
                         KMIP_OK);
        assert_int_equal(out.len, pairs[i][1]->len);
        assert_memory_equal(out.data, pairs[i][1]->data, out.len);
        kmipd_buf_clear(&out);
    }
}

/* A symmetric key is Raw only; an RSA key has no EC point, an EC key no
 * modulus. */
static void formats_of_another_kind_of_key_are_not_supported(void **state)
{
    (void)state;
    static const uint8_t aes[16] = {1};
    kmipd_buf out = {0}, e = {0};
    uint32_t curve = 0;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_key_export(KMIP_OBJECT_TYPE_SYMMETRIC_KEY, aes, sizeof(aes),
                         KMIP_KEY_FORMAT_TYPE_PKCS_8, &out, &st),
        &st, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED);
    crypto_test_assert_reason(kmipd_key_rsa_public_parts(
                                  ec_public.data, ec_public.len, &out, &e, &st),
                              &st,
                              KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED);
    crypto_test_assert_reason(
        kmipd_key_ec_public_parts(rsa_public.data, rsa_public.len, &curve, &out,
                                  &st),
        &st, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED);
    assert_null(out.data);
    assert_null(e.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rsa_private_key_exports_as_pkcs1),
        cmocka_unit_test(ec_public_key_exports_raw_as_its_point),
        cmocka_unit_test(rsa_public_key_has_no_raw_format),
        cmocka_unit_test(ec_private_key_has_no_pkcs1_format),
        cmocka_unit_test(public_key_exports_x509_unchanged),
        cmocka_unit_test(private_key_exports_x509_as_its_public_half),
        cmocka_unit_test(formats_of_another_kind_of_key_are_not_supported),
    };
    return cmocka_run_group_tests(tests, generate_pairs, free_pairs);
}
