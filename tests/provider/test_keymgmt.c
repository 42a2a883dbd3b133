/* SPDX-License-Identifier: Apache-2.0 */
/* The RSA key managers (provider/keymgmt_rsa.c, keymgmt.c): generation
 * parameters and their bounds, public parts exported and imported, keys
 * matched by their public half, private parts never exported. Runs under
 * test_evp_ops.sh, on its "rsa" and "p256" key pairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "token_keys.h"

#define P11KMIP_PROPQ "provider=p11kmip"

static EVP_PKEY_CTX *rsa_keygen_ctx(void)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", P11KMIP_PROPQ);

    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
    return ctx;
}

static void test_rsa_keygen_bits_outside_2048_to_16384_are_refused(void **state)
{
    static const int refused[] = {1024, 2047, 16385};
    EVP_PKEY_CTX *ctx = rsa_keygen_ctx();

    (void)state;
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        assert_true(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, refused[i]) <= 0);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 16384), 1);
    EVP_PKEY_CTX_free(ctx);
}

static void
test_rsa_keygen_exponent_longer_than_8_bytes_is_refused(void **state)
{
    EVP_PKEY_CTX *ctx = rsa_keygen_ctx();
    BIGNUM *e = BN_new();

    (void)state;
    assert_int_equal(BN_set_word(e, 3), 1);
    assert_int_equal(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e), 1);
    assert_int_equal(BN_lshift(e, e, 64), 1);
    assert_true(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) <= 0);
    BN_free(e);
    EVP_PKEY_CTX_free(ctx);
}

/* A pair generated with p11kmip-uri: 2048 bits, its public exponent. */
static void test_rsa_keygen_on_the_token(void **state)
{
    char uri_param[] = "p11kmip-uri";
    char *key_uri = uri("generated", "private");
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(uri_param, key_uri, strlen(key_uri)),
        OSSL_PARAM_END,
    };
    EVP_PKEY_CTX *ctx = rsa_keygen_ctx();
    EVP_PKEY *key = NULL;
    BIGNUM *e = NULL;

    (void)state;
    assert_int_equal(EVP_PKEY_CTX_set_params(ctx, params), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048), 1);
    assert_int_equal(EVP_PKEY_keygen(ctx, &key), 1);
    assert_int_equal(EVP_PKEY_get_bits(key), 2048);
    assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e), 1);
    assert_true(BN_is_word(e, 65537));
    BN_free(e);
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(ctx);
}

static void test_token_key_exports_the_public_key_of_the_token(void **state)
{
    EVP_PKEY *key = load("rsa", "private"), *pub = load("rsa", "public");
    BIGNUM *n = NULL, *pub_n = NULL;

    (void)state;
    assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n), 1);
    assert_int_equal(EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_N, &pub_n),
                     1);
    assert_int_equal(BN_cmp(n, pub_n), 0);
    BN_free(n);
    BN_free(pub_n);
    EVP_PKEY_free(key);
    EVP_PKEY_free(pub);
}

static void test_private_part_is_never_exported(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    OSSL_PARAM *params = NULL;

    (void)state;
    assert_true(EVP_PKEY_todata(key, EVP_PKEY_KEYPAIR, &params) <= 0);
    assert_null(params);
    EVP_PKEY_free(key);
}

static void test_token_key_matches_its_public_key_only(void **state)
{
    EVP_PKEY *key = load("rsa", "private"), *pub = load("rsa", "public");
    EVP_PKEY *other = load("p256", "public");

    (void)state;
    assert_int_equal(EVP_PKEY_eq(key, pub), 1);
    assert_int_not_equal(EVP_PKEY_eq(key, other), 1);
    EVP_PKEY_free(key);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(other);
}

/* A public key imported as RSA-PSS stays an RSA-PSS key. */
static void test_rsa_pss_public_key_imports(void **state)
{
    EVP_PKEY *pub = load("rsa", "public"), *imported = NULL;
    EVP_PKEY_CTX *ctx =
        EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", P11KMIP_PROPQ);
    OSSL_PARAM *params = NULL;

    (void)state;
    assert_int_equal(EVP_PKEY_todata(pub, EVP_PKEY_PUBLIC_KEY, &params), 1);
    assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
    assert_int_equal(
        EVP_PKEY_fromdata(ctx, &imported, EVP_PKEY_PUBLIC_KEY, params), 1);
    assert_true(EVP_PKEY_is_a(imported, "RSA-PSS"));
    assert_int_equal(EVP_PKEY_get_bits(imported), 2048);
    OSSL_PARAM_free(params);
    EVP_PKEY_free(imported);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_rsa_keygen_bits_outside_2048_to_16384_are_refused),
        cmocka_unit_test(
            test_rsa_keygen_exponent_longer_than_8_bytes_is_refused),
        cmocka_unit_test(test_rsa_keygen_on_the_token),
        cmocka_unit_test(test_token_key_exports_the_public_key_of_the_token),
        cmocka_unit_test(test_private_part_is_never_exported),
        cmocka_unit_test(test_token_key_matches_its_public_key_only),
        cmocka_unit_test(test_rsa_pss_public_key_imports),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
