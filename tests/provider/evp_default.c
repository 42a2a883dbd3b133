// SPDX-License-Identifier: Apache-2.0
/* With the provider loaded, OpenSSL's own keys and default fetches stay
 * with the default provider (test_evp_ops). */
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

/* With the provider loaded, a key of OpenSSL's own signs and decrypts as
 * before (the provider's algorithms never take over a default fetch). */
static void test_software_key_keeps_the_default_provider(void **state)
{
    EVP_PKEY *soft = EVP_PKEY_Q_keygen(NULL, DEFAULT_PROPQ, "RSA", 2048);
    EVP_PKEY_CTX *pctx;
    unsigned char ct[256], plain[256], sig[256];
    size_t ctlen = sizeof(ct), plainlen = sizeof(plain), siglen = sizeof(sig);
    EVP_MD_CTX *mdctx;

    (void)state;
    assert_non_null(soft);
    pctx = EVP_PKEY_CTX_new_from_pkey(NULL, soft, NULL);
    assert_int_equal(EVP_PKEY_encrypt_init(pctx), 1);
    assert_int_equal(
        EVP_PKEY_encrypt(pctx, ct, &ctlen, message, sizeof(message)), 1);
    assert_int_equal(EVP_PKEY_decrypt_init(pctx), 1);
    assert_int_equal(EVP_PKEY_decrypt(pctx, plain, &plainlen, ct, ctlen), 1);
    assert_int_equal(plainlen, sizeof(message));
    assert_memory_equal(plain, message, sizeof(message));
    EVP_PKEY_CTX_free(pctx);
    mdctx = EVP_MD_CTX_new();
    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, NULL, "SHA256", NULL, NULL, soft, NULL),
        1);
    assert_int_equal(
        EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)), 1);
    assert_int_equal(siglen, 256);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(soft);
}

/* A default fetch of AES keeps OpenSSL's own cipher. */
static void test_default_aes_fetch_is_not_the_provider(void **state)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);

    (void)state;
    assert_non_null(cipher);
    assert_string_equal(
        OSSL_PROVIDER_get0_name(EVP_CIPHER_get0_provider(cipher)), "default");
    EVP_CIPHER_free(cipher);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_software_key_keeps_the_default_provider),
    cmocka_unit_test(test_default_aes_fetch_is_not_the_provider),
};

const evp_family evp_default_family = {tests, sizeof(tests) / sizeof(tests[0])};
