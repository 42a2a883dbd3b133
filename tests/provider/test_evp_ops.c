// SPDX-License-Identifier: Apache-2.0
/* The provider's signature, asymmetric cipher and cipher operations
 * through the EVP API, on the token test_evp_ops.sh prepared (OPENSSL_CONF
 * activates the provider). Every result is checked with OpenSSL's default
 * provider: signatures on the public key the store gives by value,
 * ciphertexts with the AES keys' known values.
 * The tests of each operation family are in evp_*.c; this file holds
 * what they share and runs them, in the order of the families below. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include "evp_ops.h"
#include "token_keys.h"

const unsigned char message[sizeof(MESSAGE_TEXT)] = MESSAGE_TEXT;

/* Signs message with key; configure sets parameters. */
size_t digest_sign_with(EVP_PKEY *key, const char *md,
                        void (*configure)(EVP_PKEY_CTX *), unsigned char *sig,
                        size_t sigsize)
{
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    size_t siglen = 0;

    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, &pctx, md, NULL, NULL, key, NULL), 1);
    if (configure != NULL)
        configure(pctx);
    assert_int_equal(
        EVP_DigestSign(mdctx, NULL, &siglen, message, sizeof(message)), 1);
    assert_true(siglen <= sigsize);
    siglen = sigsize;
    assert_int_equal(
        EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)), 1);
    EVP_MD_CTX_free(mdctx);
    return siglen;
}

/* Signs message with label's private key; configure sets parameters. */
size_t digest_sign(const char *label, const char *md,
                   void (*configure)(EVP_PKEY_CTX *), unsigned char *sig,
                   size_t sigsize)
{
    EVP_PKEY *key = load(label, "private");
    size_t siglen = digest_sign_with(key, md, configure, sig, sigsize);

    EVP_PKEY_free(key);
    return siglen;
}

/* 1 when the default provider verifies sig over message. */
int verify_by_default(const char *label, const char *md,
                      void (*configure)(EVP_PKEY_CTX *),
                      const unsigned char *sig, size_t siglen)
{
    EVP_PKEY *pub = load(label, "public");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok;

    assert_int_equal(EVP_DigestVerifyInit_ex(mdctx, &pctx, md, NULL,
                                             DEFAULT_PROPQ, pub, NULL),
                     1);
    if (configure != NULL)
        configure(pctx);
    ok = EVP_DigestVerify(mdctx, sig, siglen, message, sizeof(message));
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(pub);
    return ok;
}

void pss_salt_32(EVP_PKEY_CTX *pctx)
{
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32), 1);
}

static const evp_family *const families[] = {
    &evp_signature_family, &evp_asym_cipher_family, &evp_aes_family,
    &evp_rsa_params_family, &evp_default_family};

#define MAX_TESTS 64

int main(void)
{
    struct CMUnitTest tests[MAX_TESTS];
    size_t count = 0;

    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        for (size_t j = 0; j < families[i]->count; j++) {
            if (count == MAX_TESTS)
                return 1;
            tests[count++] = families[i]->tests[j];
        }
    }
    /* A server that cannot serve every test runs the ones it can. */
    if (getenv("P11KMIP_TEST_FILTER") != NULL)
        cmocka_set_test_filter(getenv("P11KMIP_TEST_FILTER"));
    if (getenv("P11KMIP_TEST_SKIP") != NULL)
        cmocka_set_skip_filter(getenv("P11KMIP_TEST_SKIP"));
    return _cmocka_run_group_tests("tests", tests, count, NULL, NULL);
}
