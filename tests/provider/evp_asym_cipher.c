// SPDX-License-Identifier: Apache-2.0
/* The asymmetric cipher through EVP (test_evp_ops): RSA OAEP decryption on
 * the token, a damaged ciphertext, the TLS pre-master secret. */
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

/* OAEP with SHA-256, MGF1-SHA-256 and a label on the core; SoftHSM2 has
 * SHA-1 only and no label. */
static void oaep(EVP_PKEY_CTX *pctx)
{
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    if (strcmp(getenv("P11KMIP_TEST_BACKEND"), "softhsm") == 0)
        return;
    assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(pctx, EVP_sha256()), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()), 1);
    assert_int_equal(
        EVP_PKEY_CTX_set0_rsa_oaep_label(pctx, OPENSSL_memdup("label", 5), 5),
        1);
}

static size_t encrypt_by_default(const unsigned char *plain, size_t len,
                                 unsigned char *out, size_t outsize)
{
    EVP_PKEY *pub = load("rsa", "public");
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, DEFAULT_PROPQ);
    size_t outlen = outsize;

    assert_int_equal(EVP_PKEY_encrypt_init(pctx), 1);
    oaep(pctx);
    assert_int_equal(EVP_PKEY_encrypt(pctx, out, &outlen, plain, len), 1);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(pub);
    return outlen;
}

/* EVP_PKEY_decrypt with the token key; 1 on success. */
static int decrypt(const unsigned char *in, size_t inlen, unsigned char *out,
                   size_t *outlen)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    size_t needed = 0;
    int ok;

    assert_int_equal(EVP_PKEY_decrypt_init(pctx), 1);
    oaep(pctx);
    assert_int_equal(EVP_PKEY_decrypt(pctx, NULL, &needed, in, inlen), 1);
    assert_int_equal(needed, 256);
    ok = EVP_PKEY_decrypt(pctx, out, outlen, in, inlen);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
    return ok;
}

/* The NID of the digest a context's parameter name names. */
static int digest_param_nid(EVP_PKEY_CTX *pctx, const char *param)
{
    char name[32] = "";
    OSSL_PARAM get[] = {
        OSSL_PARAM_utf8_string(param, name, sizeof(name)),
        OSSL_PARAM_END,
    };
    EVP_MD *md;
    int nid;

    assert_int_equal(EVP_PKEY_CTX_get_params(pctx, get), 1);
    md = EVP_MD_fetch(NULL, name, DEFAULT_PROPQ);
    assert_non_null(md);
    nid = EVP_MD_get_type(md);
    EVP_MD_free(md);
    return nid;
}

static void
test_encrypt_with_a_copied_context_decrypts_on_the_token(void **state)
{
    static const unsigned char dek[16] = "sixteen byte dek";
    EVP_PKEY *key = load("rsa", "private");
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL), *copy;
    unsigned char ct[256], plain[256];
    size_t ctlen = 0, plainlen = sizeof(plain);
    int nid = strcmp(getenv("P11KMIP_TEST_BACKEND"), "softhsm") == 0
                  ? NID_sha1
                  : NID_sha256;

    (void)state;
    assert_int_equal(EVP_PKEY_encrypt_init(pctx), 1);
    oaep(pctx);
    copy = EVP_PKEY_CTX_dup(pctx);
    assert_non_null(copy);
    EVP_PKEY_CTX_free(pctx);
    assert_int_equal(digest_param_nid(copy, OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST),
                     nid);
    assert_int_equal(digest_param_nid(copy, OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST),
                     nid);
    assert_int_equal(EVP_PKEY_encrypt(copy, NULL, &ctlen, dek, sizeof(dek)), 1);
    assert_int_equal(ctlen, 256);
    assert_int_equal(EVP_PKEY_encrypt(copy, ct, &ctlen, dek, sizeof(dek)), 1);
    assert_int_equal(ctlen, 256);
    EVP_PKEY_CTX_free(copy);
    EVP_PKEY_free(key);
    assert_int_equal(decrypt(ct, ctlen, plain, &plainlen), 1);
    assert_int_equal(plainlen, sizeof(dek));
    assert_memory_equal(plain, dek, sizeof(dek));
}

static void test_decrypt_oaep_on_token(void **state)
{
    static const unsigned char dek[32] = "a 32-byte data encryption key..";
    unsigned char ct[256], plain[256];
    size_t ctlen = encrypt_by_default(dek, sizeof(dek), ct, sizeof(ct));
    size_t plainlen = sizeof(plain);

    (void)state;
    assert_int_equal(decrypt(ct, ctlen, plain, &plainlen), 1);
    assert_int_equal(plainlen, sizeof(dek));
    assert_memory_equal(plain, dek, sizeof(dek));
}

static void test_decrypt_of_a_damaged_ciphertext_fails(void **state)
{
    static const unsigned char dek[16] = "sixteen bytes!!";
    unsigned char ct[256], plain[256];
    size_t ctlen = encrypt_by_default(dek, sizeof(dek), ct, sizeof(ct));
    size_t plainlen = sizeof(plain);

    (void)state;
    ct[ctlen / 2] ^= 0x40;
    ERR_clear_error();
    assert_int_not_equal(decrypt(ct, ctlen, plain, &plainlen), 1);
    assert_int_not_equal(ERR_peek_last_error(), 0);
}

/* libssl's RSA key exchange: RSA_PKCS1_WITH_TLS_PADDING with the client's
 * version; the result for a premaster secret starting with version. */
static void tls_premaster(unsigned int version, unsigned char got[48])
{
    unsigned char premaster[48], ct[256];
    EVP_PKEY *pub = load("rsa", "public");
    EVP_PKEY *key = load("rsa", "private");
    EVP_PKEY_CTX *enc = EVP_PKEY_CTX_new_from_pkey(NULL, pub, DEFAULT_PROPQ);
    EVP_PKEY_CTX *dec = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    unsigned int client_version = 0x0303;
    OSSL_PARAM params[] = {
        OSSL_PARAM_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION,
                        &client_version),
        OSSL_PARAM_END,
    };
    size_t ctlen = sizeof(ct), gotlen = 48;

    memset(premaster, 0x5a, sizeof(premaster));
    premaster[0] = (unsigned char)(version >> 8);
    premaster[1] = (unsigned char)version;
    assert_int_equal(EVP_PKEY_encrypt_init(enc), 1);
    assert_int_equal(EVP_PKEY_encrypt(enc, ct, &ctlen, premaster, 48), 1);
    assert_int_equal(EVP_PKEY_decrypt_init(dec), 1);
    assert_int_equal(
        EVP_PKEY_CTX_set_rsa_padding(dec, RSA_PKCS1_WITH_TLS_PADDING), 1);
    assert_int_equal(EVP_PKEY_CTX_set_params(dec, params), 1);
    assert_int_equal(EVP_PKEY_decrypt(dec, got, &gotlen, ct, ctlen), 1);
    assert_int_equal(gotlen, 48);
    assert_int_equal(memcmp(got, premaster, 48) == 0, version == 0x0303);
    EVP_PKEY_CTX_free(enc);
    EVP_PKEY_CTX_free(dec);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(key);
}

static void test_tls_premaster_of_the_client_version_is_kept(void **state)
{
    unsigned char got[48];

    (void)state;
    tls_premaster(0x0303, got);
}

/* Not an error (which would be an oracle): random bytes instead. */
static void test_tls_premaster_of_another_version_is_random(void **state)
{
    unsigned char got[48];

    (void)state;
    tls_premaster(0x0301, got);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_decrypt_oaep_on_token),
    cmocka_unit_test(test_encrypt_with_a_copied_context_decrypts_on_the_token),
    cmocka_unit_test(test_decrypt_of_a_damaged_ciphertext_fails),
    cmocka_unit_test(test_tls_premaster_of_the_client_version_is_kept),
    cmocka_unit_test(test_tls_premaster_of_another_version_is_random),
};

const evp_family evp_asym_cipher_family = {tests,
                                           sizeof(tests) / sizeof(tests[0])};
