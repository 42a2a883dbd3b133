// SPDX-License-Identifier: Apache-2.0
/* The RSA signature parameters through EVP (test_evp_ops): PSS salt
 * lengths, the AlgorithmIdentifiers OpenSSL's own gives, no raw RSA for a
 * digest sign. */
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

/* A SHA-256 signing context of the token's RSA key; *pctx its
 * parameters. Free with EVP_MD_CTX_free. */
static EVP_MD_CTX *rsa_sha256_signing(EVP_PKEY_CTX **pctx)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();

    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, pctx, "SHA256", NULL, NULL, key, NULL), 1);
    EVP_PKEY_free(key); /* the context holds it */
    return mdctx;
}

/* EVP_DigestSign of message with mdctx: 1 when it signs. */
static int signs_message(EVP_MD_CTX *mdctx)
{
    unsigned char sig[512];
    size_t siglen = sizeof(sig);

    return EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message));
}

static void test_pss_salt_longer_than_the_key_allows_fails(void **state)
{
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mdctx = rsa_sha256_signing(&pctx);

    (void)state;
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    /* 2048 bits with SHA-256: at most 256 - 32 - 2 = 222 bytes. */
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 223), 1);
    ERR_clear_error();
    assert_int_not_equal(signs_message(mdctx), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_MD_CTX_free(mdctx);
}

/* The DER AlgorithmIdentifier of pctx's signature, in der. */
static size_t algorithm_id(EVP_PKEY_CTX *pctx, unsigned char *der, size_t cap)
{
    OSSL_PARAM params[] = {
        OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, der, cap),
        OSSL_PARAM_END,
    };

    assert_int_equal(EVP_PKEY_CTX_get_params(pctx, params), 1);
    return params[0].return_size;
}

static void pss_salt_20_mgf1_sha512(EVP_PKEY_CTX *pctx)
{
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 20), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA512", NULL),
                     1);
}

/* The short name of the digest algorithm's OID. */
static const char *digest_name(const X509_ALGOR *algorithm)
{
    return algorithm != NULL ? OBJ_nid2sn(OBJ_obj2nid(algorithm->algorithm))
                             : "default";
}

/* A signature AlgorithmIdentifier's meaning, in text: its algorithm and,
 * for RSA-PSS, the digest, MGF1 digest and salt length (the digests'
 * parameters may be absent or NULL: both are RFC 4055's encodings). */
static const char *describe_algorithm(const unsigned char *der, size_t len,
                                      char text[128])
{
    X509_ALGOR *algorithm = d2i_X509_ALGOR(NULL, &der, (long)len);
    RSA_PSS_PARAMS *pss;
    X509_ALGOR *mgf1 = NULL;

    assert_non_null(algorithm);
    snprintf(text, 128, "%s", OBJ_nid2sn(OBJ_obj2nid(algorithm->algorithm)));
    pss = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS),
                                    algorithm->parameter);
    if (pss != NULL && pss->maskGenAlgorithm != NULL)
        mgf1 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR),
                                         pss->maskGenAlgorithm->parameter);
    if (pss != NULL)
        snprintf(text + strlen(text), 128 - strlen(text), " %s %s %ld",
                 digest_name(pss->hashAlgorithm), digest_name(mgf1),
                 pss->saltLength != NULL ? ASN1_INTEGER_get(pss->saltLength)
                                         : 20);
    X509_ALGOR_free(mgf1);
    RSA_PSS_PARAMS_free(pss);
    X509_ALGOR_free(algorithm);
    return text;
}

/* The AlgorithmIdentifier of the provider's signature context means what
 * OpenSSL's does for the same settings. */
static void check_algorithm_id(const char *md,
                               void (*configure)(EVP_PKEY_CTX *))
{
    EVP_PKEY *key = load("rsa", "private"), *pub = load("rsa", "public");
    EVP_MD_CTX *ours = EVP_MD_CTX_new(), *theirs = EVP_MD_CTX_new();
    EVP_PKEY_CTX *ours_pctx = NULL, *theirs_pctx = NULL;
    unsigned char ours_der[256], theirs_der[256];
    char ours_text[128], theirs_text[128];
    size_t ours_len, theirs_len;

    assert_int_equal(
        EVP_DigestSignInit_ex(ours, &ours_pctx, md, NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestVerifyInit_ex(theirs, &theirs_pctx, md, NULL,
                                             DEFAULT_PROPQ, pub, NULL),
                     1);
    if (configure != NULL) {
        configure(ours_pctx);
        configure(theirs_pctx);
    }
    ours_len = algorithm_id(ours_pctx, ours_der, sizeof(ours_der));
    theirs_len = algorithm_id(theirs_pctx, theirs_der, sizeof(theirs_der));
    assert_string_equal(
        describe_algorithm(ours_der, ours_len, ours_text),
        describe_algorithm(theirs_der, theirs_len, theirs_text));
    EVP_MD_CTX_free(ours);
    EVP_MD_CTX_free(theirs);
    EVP_PKEY_free(key);
    EVP_PKEY_free(pub);
}

static void test_rsa_algorithm_identifiers_match_openssls(void **state)
{
    (void)state;
    check_algorithm_id("SHA256", NULL);
    check_algorithm_id("SHA384", pss_salt_32);
    check_algorithm_id("SHA256", pss_salt_20_mgf1_sha512);
}

/* Sets the PSS salt length of a PSS signing context by name; returns
 * what setting it returned, and the name it reads back in back. */
static int pss_saltlen_by_name(const char *name, char back[16])
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    OSSL_PARAM set[] = {
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, (char *)name,
                               0),
        OSSL_PARAM_END,
    };
    OSSL_PARAM get[] = {
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, back, 16),
        OSSL_PARAM_END,
    };
    int ok;

    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, &pctx, "SHA256", NULL, NULL, key, NULL),
        1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    ERR_clear_error();
    ok = EVP_PKEY_CTX_set_params(pctx, set);
    assert_int_equal(EVP_PKEY_CTX_get_params(pctx, get), 1);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
    return ok;
}

static void
test_pss_salt_length_names_are_kept_and_bad_ones_refused(void **state)
{
    static const char *const kept[] = {"digest", "max", "auto", "30"};
    char back[16];

    (void)state;
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        assert_int_equal(pss_saltlen_by_name(kept[i], back), 1);
        assert_string_equal(back, kept[i]);
    }
    assert_int_not_equal(pss_saltlen_by_name("30x", back), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    assert_int_not_equal(pss_saltlen_by_name("-4", back), 1);
    assert_int_not_equal(pss_saltlen_by_name("65536", back), 1);
}

static void test_raw_rsa_refuses_a_digest_sign(void **state)
{
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mdctx = rsa_sha256_signing(&pctx);

    (void)state;
    ERR_clear_error();
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_NO_PADDING) == 1)
        assert_int_not_equal(signs_message(mdctx), 1);
    assert_int_not_equal(ERR_peek_last_error(), 0);
    EVP_MD_CTX_free(mdctx);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_pss_salt_longer_than_the_key_allows_fails),
    cmocka_unit_test(test_rsa_algorithm_identifiers_match_openssls),
    cmocka_unit_test(test_pss_salt_length_names_are_kept_and_bad_ones_refused),
    cmocka_unit_test(test_raw_rsa_refuses_a_digest_sign),
};

const evp_family evp_rsa_params_family = {tests,
                                          sizeof(tests) / sizeof(tests[0])};
