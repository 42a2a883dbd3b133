/* SPDX-License-Identifier: Apache-2.0 */
/* Edwards keys in the provider: an Ed448 public key imported into it (no
 * token involved) verifies what OpenSSL's default provider signed and
 * refuses a tampered message; the import and key generation say which
 * parameters they take; an Ed25519 signature context gives its X.509
 * algorithm identifier. Runs under test_evp_ops.sh, on its "ed" key
 * pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "token_keys.h"

#define P11KMIP_PROPQ "provider=p11kmip"
#define URI_PARAM "p11kmip-uri"

static const unsigned char message[] = "signed by the default provider";

/* key's public half, imported into the provider as algorithm. */
static EVP_PKEY *imported(EVP_PKEY *key, const char *algorithm)
{
    EVP_PKEY_CTX *import =
        EVP_PKEY_CTX_new_from_name(NULL, algorithm, P11KMIP_PROPQ);
    OSSL_PARAM *params = NULL;
    EVP_PKEY *public_key = NULL;

    assert_non_null(import);
    assert_int_equal(EVP_PKEY_todata(key, EVP_PKEY_PUBLIC_KEY, &params), 1);
    /* OpenSSL 3.0's EVP_PKEY_fromdata_settable ends a fromdata_init. */
    assert_non_null(OSSL_PARAM_locate_const(
        EVP_PKEY_fromdata_settable(import, EVP_PKEY_PUBLIC_KEY),
        OSSL_PKEY_PARAM_PUB_KEY));
    assert_int_equal(EVP_PKEY_fromdata_init(import), 1);
    assert_int_equal(
        EVP_PKEY_fromdata(import, &public_key, EVP_PKEY_PUBLIC_KEY, params), 1);
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(import);
    return public_key;
}

/* 1 when sig over data verifies with key. */
static int verifies(EVP_PKEY *key, const unsigned char *sig, size_t siglen,
                    const unsigned char *data, size_t len)
{
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    int ok = EVP_DigestVerifyInit_ex(mdctx, NULL, NULL, NULL, NULL, key,
                                     NULL) == 1 &&
             EVP_DigestVerify(mdctx, sig, siglen, data, len) == 1;

    EVP_MD_CTX_free(mdctx);
    return ok;
}

static void test_an_imported_ed448_key_verifies(void **state)
{
    EVP_PKEY *signer = EVP_PKEY_Q_keygen(NULL, "provider=default", "ED448");
    EVP_PKEY *public_key;
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    unsigned char sig[114], tampered[sizeof(message)];
    size_t siglen = sizeof(sig);

    (void)state;
    assert_non_null(signer);
    public_key = imported(signer, "ED448");
    assert_string_equal(
        OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(public_key)), "p11kmip");
    assert_int_equal(EVP_DigestSignInit_ex(mdctx, NULL, NULL, NULL,
                                           "provider=default", signer, NULL),
                     1);
    assert_int_equal(
        EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)), 1);
    assert_int_equal(
        verifies(public_key, sig, siglen, message, sizeof(message)), 1);
    memcpy(tampered, message, sizeof(message));
    tampered[0] ^= 1;
    assert_int_equal(
        verifies(public_key, sig, siglen, tampered, sizeof(tampered)), 0);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(public_key);
    EVP_PKEY_free(signer);
}

static void test_edwards_generation_takes_a_uri(void **state)
{
    EVP_PKEY_CTX *gen =
        EVP_PKEY_CTX_new_from_name(NULL, "ED25519", P11KMIP_PROPQ);

    (void)state;
    assert_non_null(gen);
    assert_int_equal(EVP_PKEY_keygen_init(gen), 1);
    assert_non_null(
        OSSL_PARAM_locate_const(EVP_PKEY_CTX_settable_params(gen), URI_PARAM));
    EVP_PKEY_CTX_free(gen);
}

/* The DER of Ed25519's AlgorithmIdentifier (RFC 8410). */
static const unsigned char ed25519_algorithm[] = {0x30, 0x05, 0x06, 0x03,
                                                  0x2b, 0x65, 0x70};

static void test_an_ed25519_signature_names_its_algorithm(void **state)
{
    EVP_PKEY *key = load("ed", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char der[32];
    OSSL_PARAM params[] = {
        OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, der,
                                sizeof(der)),
        OSSL_PARAM_END,
    };

    (void)state;
    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, &pctx, NULL, NULL, NULL, key, NULL), 1);
    assert_non_null(OSSL_PARAM_locate_const(EVP_PKEY_CTX_gettable_params(pctx),
                                            OSSL_SIGNATURE_PARAM_ALGORITHM_ID));
    assert_int_equal(EVP_PKEY_CTX_get_params(pctx, params), 1);
    assert_int_equal(params[0].return_size, sizeof(ed25519_algorithm));
    assert_memory_equal(der, ed25519_algorithm, sizeof(ed25519_algorithm));
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_imported_ed448_key_verifies),
        cmocka_unit_test(test_edwards_generation_takes_a_uri),
        cmocka_unit_test(test_an_ed25519_signature_names_its_algorithm),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
