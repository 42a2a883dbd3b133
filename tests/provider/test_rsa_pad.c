/* SPDX-License-Identifier: Apache-2.0 */
/* The RSA "pad-mode" parameter, read and written as a number or a name
 * (provider/rsa_pad.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "rsa_pad.h"

static void test_name_gives_mode(void **state)
{
    OSSL_PARAM p = OSSL_PARAM_construct_utf8_string(
        OSSL_SIGNATURE_PARAM_PAD_MODE, (char *)"pss", 0);
    int mode = 0;

    (void)state;
    assert_int_equal(p11prov_rsa_pad_mode_get(&p, &mode), 1);
    assert_int_equal(mode, RSA_PKCS1_PSS_PADDING);
}

static void test_number_gives_mode(void **state)
{
    int number = RSA_PKCS1_OAEP_PADDING, mode = 0;
    OSSL_PARAM p =
        OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PAD_MODE, &number);

    (void)state;
    assert_int_equal(p11prov_rsa_pad_mode_get(&p, &mode), 1);
    assert_int_equal(mode, RSA_PKCS1_OAEP_PADDING);
}

static void test_unknown_name_and_number_are_refused(void **state)
{
    int number = 99, mode = RSA_PKCS1_PADDING;
    OSSL_PARAM name = OSSL_PARAM_construct_utf8_string(
        OSSL_SIGNATURE_PARAM_PAD_MODE, (char *)"pkcs2", 0);
    OSSL_PARAM p =
        OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PAD_MODE, &number);

    (void)state;
    assert_int_equal(p11prov_rsa_pad_mode_get(&name, &mode), 0);
    assert_int_equal(p11prov_rsa_pad_mode_get(&p, &mode), 0);
    assert_int_equal(mode, RSA_PKCS1_PADDING);
}

static void test_tls_mode_is_a_number_only(void **state)
{
    int number = RSA_PKCS1_WITH_TLS_PADDING, mode = 0;
    OSSL_PARAM p =
        OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PAD_MODE, &number);
    char text[16];
    OSSL_PARAM name = OSSL_PARAM_construct_utf8_string(
        OSSL_SIGNATURE_PARAM_PAD_MODE, text, sizeof(text));

    (void)state;
    assert_int_equal(p11prov_rsa_pad_mode_get(&p, &mode), 1);
    assert_int_equal(mode, RSA_PKCS1_WITH_TLS_PADDING);
    assert_int_equal(p11prov_rsa_pad_mode_set(&name, mode), 0);
}

static void test_set_answers_in_the_type_asked(void **state)
{
    char text[16];
    int number = 0;
    OSSL_PARAM name = OSSL_PARAM_construct_utf8_string(
        OSSL_SIGNATURE_PARAM_PAD_MODE, text, sizeof(text));
    OSSL_PARAM p =
        OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PAD_MODE, &number);

    (void)state;
    assert_int_equal(p11prov_rsa_pad_mode_set(&name, RSA_PKCS1_PADDING), 1);
    assert_string_equal(text, "pkcs1");
    assert_int_equal(p11prov_rsa_pad_mode_set(&p, RSA_PKCS1_PSS_PADDING), 1);
    assert_int_equal(number, RSA_PKCS1_PSS_PADDING);
    /* Any number type is answered with the number. */
    unsigned int unsigned_number = 0;
    OSSL_PARAM u = OSSL_PARAM_construct_uint(OSSL_SIGNATURE_PARAM_PAD_MODE,
                                             &unsigned_number);
    assert_int_equal(p11prov_rsa_pad_mode_set(&u, RSA_PKCS1_PSS_PADDING), 1);
    assert_int_equal(unsigned_number, RSA_PKCS1_PSS_PADDING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_gives_mode),
        cmocka_unit_test(test_number_gives_mode),
        cmocka_unit_test(test_unknown_name_and_number_are_refused),
        cmocka_unit_test(test_tls_mode_is_a_number_only),
        cmocka_unit_test(test_set_answers_in_the_type_asked),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
