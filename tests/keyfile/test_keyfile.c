/* SPDX-License-Identifier: Apache-2.0 */
/* The key file format: what p11prov_keyfile_der writes reads back, and
 * p11prov_keyfile_uri refuses anything that is not exactly one such file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/asn1.h>
#include <openssl/crypto.h>

#include "keyfile.h"

#define URI "pkcs11:token=prod;object=web;type=private"

/* DER of SEQUENCE { VisibleString desc, UTF8String uri } with the given
 * parts, written by hand so the reader sees what a foreign writer sends. */
static size_t der_of(const char *desc, const char *uri, size_t uri_len,
                     unsigned char *out)
{
    size_t desc_len = strlen(desc), n = 0;

    out[n++] = 0x30;
    out[n++] = (unsigned char)(2 + desc_len + 2 + uri_len);
    out[n++] = 0x1a; /* VisibleString */
    out[n++] = (unsigned char)desc_len;
    memcpy(out + n, desc, desc_len);
    n += desc_len;
    out[n++] = 0x0c; /* UTF8String */
    out[n++] = (unsigned char)uri_len;
    memcpy(out + n, uri, uri_len);
    return n + uri_len;
}

static void round_trip_gives_the_uri_back(void **state)
{
    unsigned char *der = NULL, hand[128];
    int len = 0;
    char *uri;

    (void)state;
    assert_int_equal(p11prov_keyfile_der(URI, &der, &len), 1);
    assert_int_equal(der_of(P11PROV_KEYFILE_DESC, URI, strlen(URI), hand),
                     (size_t)len);
    assert_memory_equal(der, hand, (size_t)len);
    uri = p11prov_keyfile_uri(der, len);
    assert_string_equal(uri, URI);
    OPENSSL_free(uri);
    OPENSSL_free(der);
}

static void trailing_bytes_are_refused(void **state)
{
    unsigned char der[128];
    size_t len = der_of(P11PROV_KEYFILE_DESC, URI, strlen(URI), der);

    (void)state;
    der[len] = 0;
    assert_null(p11prov_keyfile_uri(der, (long)len + 1));
    assert_null(p11prov_keyfile_uri(der, (long)len - 1)); /* truncated */
}

static void another_description_is_refused(void **state)
{
    static const char *const others[] = {P11PROV_KEYFILE_DESC "x",
                                         "PKCS#11 Provider URI v1.",
                                         "PKCS#11 Provider URI v2.0"};
    unsigned char der[128];

    (void)state;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_null(p11prov_keyfile_uri(
            der, (long)der_of(others[i], URI, strlen(URI), der)));
}

static void uri_with_a_nul_byte_is_refused(void **state)
{
    static const char last[] = "pkcs11:object=a\0";
    static const char middle[] = "pkcs11:\0object=a";
    unsigned char der[128];

    (void)state;
    assert_null(p11prov_keyfile_uri(
        der, (long)der_of(P11PROV_KEYFILE_DESC, last, sizeof last - 1, der)));
    assert_null(
        p11prov_keyfile_uri(der, (long)der_of(P11PROV_KEYFILE_DESC, middle,
                                              sizeof middle - 1, der)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_gives_the_uri_back),
        cmocka_unit_test(trailing_bytes_are_refused),
        cmocka_unit_test(another_description_is_refused),
        cmocka_unit_test(uri_with_a_nul_byte_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
