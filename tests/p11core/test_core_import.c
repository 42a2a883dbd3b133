/* SPDX-License-Identifier: Apache-2.0 */
/* p11core on its own: template values to the KMIP objects C_CreateObject
 * registers (key_import.c): RSA public keys as PKCS#1, EC private keys as
 * PKCS#8, EC points raw or in DER, AES key lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "attrmap.h"
#include "key_import.h"
#include "kmip/tags.h"
#include "core.h"
#include "p256.h"

static void rsa_public_key_is_registered_as_pkcs1(void **state)
{
    EVP_PKEY *key = EVP_RSA_gen(1024);
    BIGNUM *n = NULL;
    uint8_t modulus[128];
    CK_BYTE exponent[] = {1, 0, 1};
    CK_OBJECT_CLASS public_class = CKO_PUBLIC_KEY;
    CK_KEY_TYPE rsa = CKK_RSA;
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &public_class, sizeof(public_class)},
        {CKA_KEY_TYPE, &rsa, sizeof(rsa)},
        {CKA_MODULUS, modulus, sizeof(modulus)},
        {CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent)},
    };
    p11_import import;
    EVP_PKEY *back;

    (void)state;
    assert_true(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n));
    assert_int_equal(BN_bn2binpad(n, modulus, sizeof(modulus)),
                     sizeof(modulus));
    assert_int_equal(
        p11_import_build(templ, 4, CKO_PUBLIC_KEY, CKK_RSA, &import), CKR_OK);
    assert_int_equal(import.object.format, KMIP_KEY_FORMAT_TYPE_PKCS_1);
    assert_int_equal(import.object.length, 1024);
    back = p11_public_key_from_kmip(&import.object);
    assert_non_null(back);
    assert_int_equal(EVP_PKEY_eq(back, key), 1);
    EVP_PKEY_free(back);
    p11_import_clear(&import);
    BN_free(n);
    EVP_PKEY_free(key);
}

static void ec_private_key_is_registered_as_pkcs8(void **state)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    BIGNUM *d = NULL;
    uint8_t scalar[32];
    CK_ATTRIBUTE templ[] = {
        {CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
        {CKA_VALUE, scalar, sizeof(scalar)},
    };
    p11_import import;
    const unsigned char *der;
    PKCS8_PRIV_KEY_INFO *info;

    (void)state;
    assert_true(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d));
    assert_int_equal(BN_bn2binpad(d, scalar, sizeof(scalar)), sizeof(scalar));
    assert_int_equal(
        p11_import_build(templ, 2, CKO_PRIVATE_KEY, CKK_EC, &import), CKR_OK);
    assert_int_equal(import.object.object_type, KMIP_OBJECT_TYPE_PRIVATE_KEY);
    assert_int_equal(import.object.format, KMIP_KEY_FORMAT_TYPE_PKCS_8);
    der = import.der;
    info = d2i_PKCS8_PRIV_KEY_INFO(NULL, &der, (long)import.der_len);
    assert_non_null(info);
    PKCS8_PRIV_KEY_INFO_free(info);
    p11_import_clear(&import);
    assert_null(import.der);
    BN_clear_free(d);
    EVP_PKEY_free(key);
}

static void ec_point_may_come_raw_or_as_der(void **state)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    uint8_t der[67] = {0x04, 0x41};
    size_t len;
    CK_ATTRIBUTE templ[] = {
        {CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
        {CKA_EC_POINT, der, sizeof(der)},
    };
    p11_import import;

    (void)state;
    assert_true(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY,
                                                der + 2, 65, &len));
    assert_int_equal(
        p11_import_build(templ, 2, CKO_PUBLIC_KEY, CKK_EC, &import), CKR_OK);
    assert_int_equal(import.object.format, KMIP_KEY_FORMAT_TYPE_X_509);
    p11_import_clear(&import);
    templ[1].pValue = der + 2;
    templ[1].ulValueLen = 65;
    assert_int_equal(
        p11_import_build(templ, 2, CKO_PUBLIC_KEY, CKK_EC, &import), CKR_OK);
    p11_import_clear(&import);
    EVP_PKEY_free(key);
}

static void aes_key_of_20_bytes_is_attribute_value_invalid(void **state)
{
    uint8_t value[20] = {0};
    CK_ATTRIBUTE templ[] = {{CKA_VALUE, value, sizeof(value)}};
    p11_import import;

    (void)state;
    assert_int_equal(
        p11_import_build(templ, 1, CKO_SECRET_KEY, CKK_AES, &import),
        CKR_ATTRIBUTE_VALUE_INVALID);
    p11_import_clear(&import);
    assert_int_equal(
        p11_import_build(templ, 1, CKO_SECRET_KEY, CKK_GENERIC_SECRET, &import),
        CKR_OK);
    assert_int_equal(import.object.length, 160);
    p11_import_clear(&import);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rsa_public_key_is_registered_as_pkcs1),
        cmocka_unit_test(ec_private_key_is_registered_as_pkcs8),
        cmocka_unit_test(ec_point_may_come_raw_or_as_der),
        cmocka_unit_test(aes_key_of_20_bytes_is_attribute_value_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
