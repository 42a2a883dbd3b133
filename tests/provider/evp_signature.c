// SPDX-License-Identifier: Apache-2.0
/* The signature operations through EVP (test_evp_ops): RSA PKCS#1 and
 * PSS, ECDSA, Ed25519 by URI and by key file, in parts, abandoned, in
 * threads and across fork; each signature verified by OpenSSL's default
 * provider. */
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

static void pss_digest_salt(EVP_PKEY_CTX *pctx)
{
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    assert_int_equal(
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
}

static void test_digest_sign_rsa_pkcs1_verifies(void **state)
{
    unsigned char sig[512];
    size_t siglen = digest_sign("rsa", "SHA256", NULL, sig, sizeof(sig));

    (void)state;
    assert_int_equal(siglen, 256);
    assert_int_equal(verify_by_default("rsa", "SHA256", NULL, sig, siglen), 1);
    sig[0] ^= 1;
    assert_int_not_equal(verify_by_default("rsa", "SHA256", NULL, sig, siglen),
                         1);
}

static void test_digest_sign_rsa_pss_salt_is_digest_length(void **state)
{
    unsigned char sig[512];
    size_t siglen =
        digest_sign("rsa", "SHA256", pss_digest_salt, sig, sizeof(sig));

    (void)state;
    assert_int_equal(
        verify_by_default("rsa", "SHA256", pss_salt_32, sig, siglen), 1);
}

/* test_evp_ops.sh wrote rsa.key, a key file for the "rsa" key pair. */
#define RSA_KEYFILE "rsa.key"

/* A key file read as nginx reads one signs with the token's key. */
static void test_keyfile_read_by_pem_read_bio_private_key_signs(void **state)
{
    BIO *in = BIO_new_file(RSA_KEYFILE, "r");
    EVP_PKEY *key = NULL;
    unsigned char sig[512];
    size_t siglen;

    (void)state;
    assert_non_null(in);
    key = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
    assert_non_null(key);
    siglen = digest_sign_with(key, "SHA256", NULL, sig, sizeof(sig));
    assert_int_equal(verify_by_default("rsa", "SHA256", NULL, sig, siglen), 1);
    EVP_PKEY_free(key);
    BIO_free(in);
}

/* A key file through OpenSSL's file: store signs with the token's key. */
static void test_keyfile_through_the_file_store_signs(void **state)
{
    EVP_PKEY *key = load_from(RSA_KEYFILE);
    unsigned char sig[512];
    size_t siglen = digest_sign_with(key, "SHA256", NULL, sig, sizeof(sig));

    (void)state;
    assert_int_equal(verify_by_default("rsa", "SHA256", NULL, sig, siglen), 1);
    EVP_PKEY_free(key);
}

static void test_digest_sign_ecdsa_p256_gives_der(void **state)
{
    unsigned char sig[128];
    const unsigned char *der = sig;
    size_t siglen = digest_sign("p256", "SHA256", NULL, sig, sizeof(sig));
    ECDSA_SIG *ecdsa = d2i_ECDSA_SIG(NULL, &der, (long)siglen);

    (void)state;
    assert_non_null(ecdsa);
    assert_ptr_equal(der, sig + siglen);
    ECDSA_SIG_free(ecdsa);
    assert_int_equal(
        verify_by_default("p256", "SHA384", NULL, sig, siglen) == 1, 0);
    assert_int_equal(verify_by_default("p256", "SHA256", NULL, sig, siglen), 1);
}

/* Ed25519 on the token (CKM_EDDSA): EVP_DigestSign with no digest, the
 * signature checked by OpenSSL's default provider. */
static void test_digest_sign_ed25519_verifies(void **state)
{
    unsigned char sig[128];
    size_t siglen = digest_sign("ed", NULL, NULL, sig, sizeof(sig));

    (void)state;
    assert_int_equal(siglen, 64);
    assert_int_equal(verify_by_default("ed", NULL, NULL, sig, siglen), 1);
    sig[10] ^= 0x01;
    assert_int_equal(verify_by_default("ed", NULL, NULL, sig, siglen) == 1, 0);
}

/* EVP_DigestSignFinal finishes on a copy of the context. */
static void test_digest_sign_in_parts_then_final(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t siglen = sizeof(sig);

    (void)state;
    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, NULL, "SHA256", NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestSignUpdate(mdctx, message, 10), 1);
    assert_int_equal(
        EVP_DigestSignUpdate(mdctx, message + 10, sizeof(message) - 10), 1);
    assert_int_equal(EVP_DigestSignFinal(mdctx, sig, &siglen), 1);
    assert_int_equal(verify_by_default("rsa", "SHA256", NULL, sig, siglen), 1);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
}

/* A digest-sign dropped after an update leaves the key usable. */
static void test_digest_sign_abandoned_then_signing_again(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t siglen;

    (void)state;
    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, NULL, "SHA256", NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestSignUpdate(mdctx, message, 10), 1);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
    siglen = digest_sign("rsa", "SHA256", NULL, sig, sizeof(sig));
    assert_int_equal(verify_by_default("rsa", "SHA256", NULL, sig, siglen), 1);
}

static void test_digest_verify_through_provider(void **state)
{
    EVP_PKEY *key = load("p256", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    unsigned char sig[128];
    size_t siglen = digest_sign("p256", "SHA256", NULL, sig, sizeof(sig));

    (void)state;
    assert_int_equal(
        EVP_DigestVerifyInit_ex(mdctx, NULL, "SHA256", NULL, NULL, key, NULL),
        1);
    assert_int_equal(
        EVP_DigestVerify(mdctx, sig, siglen, message, sizeof(message)), 1);
    assert_int_equal(
        EVP_DigestVerifyInit_ex(mdctx, NULL, "SHA256", NULL, NULL, key, NULL),
        1);
    assert_int_not_equal(
        EVP_DigestVerify(mdctx, sig, siglen, message, sizeof(message) - 1), 1);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
}

#define SIGNING_THREADS 4
#define SIGNATURES_PER_THREAD 5

/* Signs with the shared key; returns how many signatures verified. */
/* Runs in threads: no cmocka assertion here, the count tells. */
static void *sign_repeatedly(void *shared_key)
{
    EVP_PKEY *pub = find_key(uri("p256", "public"));
    size_t verified = 0;

    if (pub == NULL) {
        ERR_print_errors_fp(stderr);
        return (void *)verified;
    }

    for (int i = 0; i < SIGNATURES_PER_THREAD; i++) {
        EVP_MD_CTX *sign_ctx = EVP_MD_CTX_new();
        EVP_MD_CTX *verify_ctx = EVP_MD_CTX_new();
        unsigned char sig[128];
        size_t siglen = sizeof(sig);

        if (EVP_DigestSignInit_ex(sign_ctx, NULL, "SHA256", NULL, NULL,
                                  shared_key, NULL) == 1 &&
            EVP_DigestSign(sign_ctx, sig, &siglen, message, sizeof(message)) ==
                1 &&
            EVP_DigestVerifyInit_ex(verify_ctx, NULL, "SHA256", NULL,
                                    DEFAULT_PROPQ, pub, NULL) == 1 &&
            EVP_DigestVerify(verify_ctx, sig, siglen, message,
                             sizeof(message)) == 1)
            verified++;
        EVP_MD_CTX_free(sign_ctx);
        EVP_MD_CTX_free(verify_ctx);
    }
    EVP_PKEY_free(pub);
    return (void *)verified;
}

/* One key, several threads signing at once through the session pool. */
static void test_threads_sign_with_one_key(void **state)
{
    EVP_PKEY *key = load("p256", "private");
    pthread_t threads[SIGNING_THREADS];
    void *verified;

    (void)state;
    for (int i = 0; i < SIGNING_THREADS; i++)
        assert_int_equal(
            pthread_create(&threads[i], NULL, sign_repeatedly, key), 0);
    for (int i = 0; i < SIGNING_THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], &verified), 0);
        assert_int_equal((size_t)verified, SIGNATURES_PER_THREAD);
    }
    EVP_PKEY_free(key);
}

/* A key loaded before a fork signs in the child (which sets up the
 * module afresh) and still in the parent afterwards. */
static void test_fork_child_and_parent_sign_with_one_key(void **state)
{
    unsigned char sig[128];
    size_t siglen = digest_sign("p256", "SHA256", NULL, sig, sizeof(sig));
    EVP_PKEY *key = load("p256", "private");
    pid_t child;
    int status;

    (void)state;
    assert_int_equal(verify_by_default("p256", "SHA256", NULL, sig, siglen), 1);
    child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(sign_repeatedly(key) == (void *)SIGNATURES_PER_THREAD ? 0 : 1);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_ptr_equal(sign_repeatedly(key), (void *)SIGNATURES_PER_THREAD);
    EVP_PKEY_free(key);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_digest_sign_rsa_pkcs1_verifies),
    cmocka_unit_test(test_digest_sign_rsa_pss_salt_is_digest_length),
    cmocka_unit_test(test_keyfile_read_by_pem_read_bio_private_key_signs),
    cmocka_unit_test(test_keyfile_through_the_file_store_signs),
    cmocka_unit_test(test_digest_sign_ecdsa_p256_gives_der),
    cmocka_unit_test(test_digest_sign_ed25519_verifies),
    cmocka_unit_test(test_digest_sign_in_parts_then_final),
    cmocka_unit_test(test_digest_sign_abandoned_then_signing_again),
    cmocka_unit_test(test_digest_verify_through_provider),
    cmocka_unit_test(test_threads_sign_with_one_key),
    cmocka_unit_test(test_fork_child_and_parent_sign_with_one_key),
};

const evp_family evp_signature_family = {tests,
                                         sizeof(tests) / sizeof(tests[0])};
