/* SPDX-License-Identifier: Apache-2.0 */
/* RSA-PSS salt lengths as the token's signatures carry them: each
 * signature is opened with the public key (RSA without padding) and the
 * salt measured as RFC 8017 (9.1.2) lays out the encoded message, not
 * only verified. For a 2048-bit key and SHA-256, "auto" and "max" are the
 * largest salt, 222 bytes, and "digest" the digest length, 32. Runs under
 * test_evp_ops.sh, on its "rsa" key pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "token_keys.h"

#define RSA_BYTES 256 /* the test key's modulus */
#define SHA256_LEN 32
#define MAX_SALT (RSA_BYTES - SHA256_LEN - 2)
#define NO_SALTLEN (-100) /* leave the parameter unset */

static const unsigned char message[] = "a message to sign with RSA-PSS";

/* MGF1 with SHA-256 (RFC 8017 B.2.1): len bytes of mask from seed. */
static void mgf1_sha256(unsigned char *mask, size_t len,
                        const unsigned char *seed)
{
    unsigned char block[SHA256_LEN + 4], out[SHA256_LEN];
    uint32_t counter = 0;

    memcpy(block, seed, SHA256_LEN);
    for (size_t done = 0; done < len; done += SHA256_LEN, counter++) {
        for (int i = 0; i < 4; i++)
            block[SHA256_LEN + i] = (unsigned char)(counter >> (24 - 8 * i));
        assert_int_equal(
            EVP_Digest(block, sizeof(block), out, NULL, EVP_sha256(), NULL), 1);
        memcpy(mask + done, out,
               len - done < SHA256_LEN ? len - done : SHA256_LEN);
    }
}

/* The salt length of the PSS signature sig, read from its encoded
 * message: maskedDB || H || 0xbc, DB = zeros || 0x01 || salt. */
static size_t salt_length(const unsigned char *sig, size_t siglen)
{
    EVP_PKEY *pub = load("rsa", "public");
    EVP_PKEY_CTX *ctx =
        EVP_PKEY_CTX_new_from_pkey(NULL, pub, "provider=default");
    unsigned char em[RSA_BYTES], mask[RSA_BYTES];
    size_t em_len = sizeof(em), db_len = RSA_BYTES - SHA256_LEN - 1, i;

    assert_int_equal(EVP_PKEY_verify_recover_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
    assert_int_equal(EVP_PKEY_verify_recover(ctx, em, &em_len, sig, siglen), 1);
    assert_int_equal(em_len, RSA_BYTES);
    assert_int_equal(em[RSA_BYTES - 1], 0xbc);
    mgf1_sha256(mask, db_len, em + db_len);
    for (i = 0; i < db_len; i++)
        em[i] ^= mask[i];
    em[0] &= 0x7f; /* emBits = 2047 */
    for (i = 0; i < db_len && em[i] == 0; i++)
        ;
    assert_true(i < db_len);
    assert_int_equal(em[i], 0x01);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pub);
    return db_len - i - 1;
}

/* The salt length of a PSS SHA-256 signature by the token with the
 * salt length parameter saltlen (NO_SALTLEN: not set). */
static size_t signed_salt_length(int saltlen)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char sig[RSA_BYTES];
    size_t siglen = sizeof(sig);

    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, &pctx, "SHA256", NULL, NULL, key, NULL),
        1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    if (saltlen != NO_SALTLEN)
        assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen), 1);
    assert_int_equal(
        EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)), 1);
    assert_int_equal(siglen, RSA_BYTES);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
    return salt_length(sig, siglen);
}

static void test_pss_salt_unset_is_the_maximum(void **state)
{
    (void)state;
    assert_int_equal(signed_salt_length(NO_SALTLEN), MAX_SALT);
}

static void test_pss_salt_auto_is_the_maximum(void **state)
{
    (void)state;
    assert_int_equal(signed_salt_length(RSA_PSS_SALTLEN_AUTO), MAX_SALT);
}

static void test_pss_salt_max_is_the_maximum(void **state)
{
    (void)state;
    assert_int_equal(signed_salt_length(RSA_PSS_SALTLEN_MAX), MAX_SALT);
}

static void test_pss_salt_digest_is_the_digest_length(void **state)
{
    (void)state;
    assert_int_equal(signed_salt_length(RSA_PSS_SALTLEN_DIGEST), SHA256_LEN);
}

static void test_pss_salt_number_is_taken_as_it_is(void **state)
{
    (void)state;
    assert_int_equal(signed_salt_length(20), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pss_salt_unset_is_the_maximum),
        cmocka_unit_test(test_pss_salt_auto_is_the_maximum),
        cmocka_unit_test(test_pss_salt_max_is_the_maximum),
        cmocka_unit_test(test_pss_salt_digest_is_the_digest_length),
        cmocka_unit_test(test_pss_salt_number_is_taken_as_it_is),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
