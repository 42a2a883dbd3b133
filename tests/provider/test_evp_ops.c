/* SPDX-License-Identifier: Apache-2.0 */
/* The provider's signature, asymmetric cipher and cipher operations
 * through the EVP API, on the token test_evp_ops.sh prepared (OPENSSL_CONF
 * activates the provider). Every result is checked with OpenSSL's default
 * provider: signatures on the public key the store gives by value,
 * ciphertexts with the AES keys' known values. */
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

#include "token_keys.h"

#define DEFAULT_PROPQ "provider=default"
#define P11KMIP_PROPQ "provider=p11kmip"
#define KEY_URI_PARAM "p11kmip-key-uri"
/* P11PROV_R_* (provider/provider.h) */
#define REASON_NOT_FOUND 3
#define REASON_KEY_USAGE 7
#define REASON_UNSUPPORTED 8
#define REASON_BAD_ARGUMENT 9

static const unsigned char message[] =
    "The quick brown fox jumps over the lazy dog";

/* Signs message with key; configure sets parameters. */
static size_t digest_sign_with(EVP_PKEY *key, const char *md,
                               void (*configure)(EVP_PKEY_CTX *),
                               unsigned char *sig, size_t sigsize)
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
static size_t digest_sign(const char *label, const char *md,
                          void (*configure)(EVP_PKEY_CTX *), unsigned char *sig,
                          size_t sigsize)
{
    EVP_PKEY *key = load(label, "private");
    size_t siglen = digest_sign_with(key, md, configure, sig, sigsize);

    EVP_PKEY_free(key);
    return siglen;
}

/* 1 when the default provider verifies sig over message. */
static int verify_by_default(const char *label, const char *md,
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

static void pss_digest_salt(EVP_PKEY_CTX *pctx)
{
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    assert_int_equal(
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
}

static void pss_salt_32(EVP_PKEY_CTX *pctx)
{
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32), 1);
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

/* ---- AES ---- */

static void hex_key(const char *name, unsigned char *key, size_t len)
{
    const char *hex = getenv(name);

    assert_non_null(hex);
    assert_int_equal(strlen(hex), 2 * len);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &key[i]), 1);
}

/* Encrypts or decrypts in in pieces of step bytes (after aad, if any),
 * with the provider's cipher and the key labelled label, or with the
 * default provider and key bytes; returns the output length and, for
 * GCM, gets (encrypting) or sets (decrypting) tag. Returns -1 when final
 * fails. */
static int run_cipher(const char *name, const char *propq, const char *label,
                      const unsigned char *key_bytes, int enc,
                      const unsigned char *iv, const unsigned char *aad,
                      size_t aad_len, const unsigned char *in, size_t inlen,
                      size_t step, unsigned char *out, unsigned char tag[16])
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, propq);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[2] = {OSSL_PARAM_END, OSSL_PARAM_END};
    bool gcm;
    int outl, total = 0, ok;

    assert_non_null(cipher);
    gcm = EVP_CIPHER_get_mode(cipher) == EVP_CIPH_GCM_MODE;
    if (label != NULL)
        params[0] = OSSL_PARAM_construct_utf8_string(
            KEY_URI_PARAM, uri(label, "secret-key"), 0);
    assert_int_equal(
        EVP_CipherInit_ex2(cctx, cipher, key_bytes, iv, enc, params), 1);
    if (aad != NULL)
        assert_int_equal(EVP_CipherUpdate(cctx, NULL, &outl, aad, (int)aad_len),
                         1);
    for (size_t done = 0; done < inlen; done += step) {
        size_t n = inlen - done < step ? inlen - done : step;

        assert_int_equal(
            EVP_CipherUpdate(cctx, out + total, &outl, in + done, (int)n), 1);
        total += outl;
    }
    if (gcm && !enc)
        assert_int_equal(
            EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_SET_TAG, 16, tag), 1);
    ok = EVP_CipherFinal_ex(cctx, out + total, &outl);
    total += ok ? outl : 0;
    if (ok && gcm && enc)
        assert_int_equal(
            EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_GET_TAG, 16, tag), 1);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
    return ok ? total : -1;
}

static const unsigned char iv16[16] = "initial vector!";
static const unsigned char plaintext[100] =
    "one hundred bytes of plaintext, which is six whole AES blocks and "
    "four bytes more; enough to stream";

/* The provider's cipher in pieces matches OpenSSL's in one go, and
 * decrypts back: with the token key labelled label, or (label NULL) with
 * the key's bytes, as libssl's record layer passes them. */
static void check_cipher(const char *name, const char *label,
                         const char *key_env, size_t key_len, size_t step)
{
    unsigned char key[32], expected[128], ours[128], back[128];
    unsigned char tag_expected[16], tag_ours[16];
    static const unsigned char aad[] = "header";
    bool gcm = strstr(name, "GCM") != NULL;
    const unsigned char *a = gcm ? aad : NULL;
    const unsigned char *ours_key = label == NULL ? key : NULL;
    int expected_len, ours_len, back_len;

    hex_key(key_env, key, key_len);
    expected_len = run_cipher(name, DEFAULT_PROPQ, NULL, key, 1, iv16, a,
                              sizeof(aad), plaintext, sizeof(plaintext),
                              sizeof(plaintext), expected, tag_expected);
    ours_len = run_cipher(name, P11KMIP_PROPQ, label, ours_key, 1, iv16, a,
                          sizeof(aad), plaintext, sizeof(plaintext), step, ours,
                          tag_ours);
    assert_int_equal(ours_len, expected_len);
    assert_memory_equal(ours, expected, (size_t)expected_len);
    if (gcm)
        assert_memory_equal(tag_ours, tag_expected, 16);
    back_len =
        run_cipher(name, P11KMIP_PROPQ, label, ours_key, 0, iv16, a,
                   sizeof(aad), ours, (size_t)ours_len, step, back, tag_ours);
    assert_int_equal(back_len, sizeof(plaintext));
    assert_memory_equal(back, plaintext, sizeof(plaintext));
}

static void test_aes_256_gcm_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-GCM", "aes256", "P11KMIP_TEST_AES256", 32, 7);
}

static void test_aes_128_gcm_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-128-GCM", "aes128", "P11KMIP_TEST_AES128", 16, 100);
}

static void test_aes_256_cbc_in_pieces_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-CBC", "aes256", "P11KMIP_TEST_AES256", 32, 13);
}

static void test_aes_128_cbc_whole_blocks_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-128-CBC", "aes128", "P11KMIP_TEST_AES128", 16, 16);
}

static void test_aes_256_ctr_in_pieces_matches_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-CTR", "aes256", "P11KMIP_TEST_AES256", 32, 5);
}

static void test_aes_gcm_wrong_tag_fails_final(void **state)
{
    unsigned char ct[128], back[128], tag[16];
    int ct_len;

    (void)state;
    ct_len = run_cipher("AES-256-GCM", P11KMIP_PROPQ, "aes256", NULL, 1, iv16,
                        NULL, 0, plaintext, sizeof(plaintext), 50, ct, tag);
    assert_int_equal(ct_len, sizeof(plaintext));
    tag[3] ^= 0x10;
    assert_int_equal(run_cipher("AES-256-GCM", P11KMIP_PROPQ, "aes256", NULL, 0,
                                iv16, NULL, 0, ct, (size_t)ct_len, 50, back,
                                tag),
                     -1);
}

/* The reason of the error an AES-256-CBC encryption init with key_uri
 * raised (it must fail). */
static int aes_init_error(const char *key_uri)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CBC", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(KEY_URI_PARAM, (char *)key_uri, 0),
        OSSL_PARAM_END,
    };

    assert_non_null(cipher);
    ERR_clear_error();
    assert_int_not_equal(EVP_EncryptInit_ex2(cctx, cipher, NULL, iv16, params),
                         1);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
    return ERR_GET_REASON(ERR_peek_last_error());
}

static void test_aes_uri_naming_no_key_is_not_found(void **state)
{
    (void)state;
    assert_int_equal(aes_init_error(uri("no-such-key", "secret-key")),
                     REASON_NOT_FOUND);
}

static void test_aes_key_of_another_size_is_refused(void **state)
{
    (void)state;
    assert_int_equal(aes_init_error(uri("aes128", "secret-key")),
                     REASON_KEY_USAGE);
}

static void test_pss_salt_longer_than_the_key_allows_fails(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char sig[512];
    size_t siglen = sizeof(sig);

    (void)state;
    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, &pctx, "SHA256", NULL, NULL, key, NULL),
        1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    /* 2048 bits with SHA-256: at most 256 - 32 - 2 = 222 bytes. */
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 223), 1);
    ERR_clear_error();
    assert_int_not_equal(
        EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
}

static void test_aes_256_gcm_key_bytes_match_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-GCM", NULL, "P11KMIP_TEST_AES256", 32, 7);
}

static void test_aes_128_cbc_key_bytes_match_openssl(void **state)
{
    (void)state;
    check_cipher("AES-128-CBC", NULL, "P11KMIP_TEST_AES128", 16, 13);
}

static void test_aes_256_ctr_key_bytes_match_openssl(void **state)
{
    (void)state;
    check_cipher("AES-256-CTR", NULL, "P11KMIP_TEST_AES256", 32, 5);
}

/* A copy of a context running on key bytes goes on as the original. */
static void test_aes_key_bytes_context_copy_goes_on(void **state)
{
    static const unsigned char key[32] = "thirty-two bytes of AES-256 key";
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CTR", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new(), *copy = EVP_CIPHER_CTX_new();
    unsigned char out[2][100];
    int outl;

    (void)state;
    assert_non_null(cipher);
    assert_int_equal(EVP_EncryptInit_ex2(cctx, cipher, key, iv16, NULL), 1);
    assert_int_equal(EVP_EncryptUpdate(cctx, out[0], &outl, plaintext, 40), 1);
    assert_int_equal(EVP_CIPHER_CTX_copy(copy, cctx), 1);
    assert_int_equal(
        EVP_EncryptUpdate(cctx, out[0] + 40, &outl, plaintext + 40, 60), 1);
    assert_int_equal(
        EVP_EncryptUpdate(copy, out[1] + 40, &outl, plaintext + 40, 60), 1);
    assert_memory_equal(out[0] + 40, out[1] + 40, 60);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_CTX_free(copy);
    EVP_CIPHER_free(cipher);
}

/* Key bytes and a token key at once are ambiguous. */
static void test_aes_key_bytes_and_uri_are_refused(void **state)
{
    static const unsigned char key[32];
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CBC", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(
                               KEY_URI_PARAM, uri("aes256", "secret-key"), 0),
                           OSSL_PARAM_END};

    (void)state;
    assert_non_null(cipher);
    assert_int_not_equal(EVP_EncryptInit_ex2(cctx, cipher, key, iv16, params),
                         1);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
}

/* A context of the provider's cipher name, initialised for enc with
 * the key labelled label. */
static EVP_CIPHER_CTX *aes_ctx(const char *name, const char *label, int enc)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(KEY_URI_PARAM, uri(label, "secret-key"), 0),
        OSSL_PARAM_END,
    };

    assert_non_null(cipher);
    assert_int_equal(EVP_CipherInit_ex2(cctx, cipher, NULL, iv16, enc, params),
                     1);
    EVP_CIPHER_free(cipher);
    return cctx;
}

static void test_aes_lengths_are_fixed_and_reported(void **state)
{
    EVP_CIPHER_CTX *cctx = aes_ctx("AES-256-GCM", "aes256", 1);
    unsigned char tag[16];

    (void)state;
    assert_int_equal(EVP_CIPHER_CTX_get_key_length(cctx), 32);
    assert_int_equal(EVP_CIPHER_CTX_get_iv_length(cctx), 12);
    assert_int_equal(EVP_CIPHER_CTX_get_tag_length(cctx), 16);
    ERR_clear_error();
    assert_int_not_equal(EVP_CIPHER_CTX_set_key_length(cctx, 16), 1);
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_SET_IVLEN, 16, NULL), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()), REASON_UNSUPPORTED);
    ERR_clear_error();
    assert_true(EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) <= 0);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_CIPHER_CTX_free(cctx);
}

static void test_aes_gcm_tag_of_a_bad_size_or_direction_is_refused(void **state)
{
    EVP_CIPHER_CTX *dec = aes_ctx("AES-256-GCM", "aes256", 0);
    EVP_CIPHER_CTX *enc = aes_ctx("AES-256-GCM", "aes256", 1);
    EVP_CIPHER_CTX *cbc = aes_ctx("AES-256-CBC", "aes256", 0);
    unsigned char tag[17] = {0};

    (void)state;
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(dec, EVP_CTRL_AEAD_SET_TAG, 17, tag), 1);
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_AEAD_SET_TAG, 16, tag), 1);
    assert_int_not_equal(
        EVP_CIPHER_CTX_ctrl(cbc, EVP_CTRL_AEAD_SET_TAG, 16, tag), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_CIPHER_CTX_free(dec);
    EVP_CIPHER_CTX_free(enc);
    EVP_CIPHER_CTX_free(cbc);
}

static void test_aes_without_a_key_refuses_data(void **state)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-CTR", P11KMIP_PROPQ);
    EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
    unsigned char out[128];
    int outl;

    (void)state;
    assert_non_null(cipher);
    assert_int_equal(EVP_EncryptInit_ex2(cctx, cipher, NULL, iv16, NULL), 1);
    ERR_clear_error();
    assert_int_not_equal(EVP_EncryptUpdate(cctx, out, &outl, plaintext, 16), 1);
    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()),
                     REASON_BAD_ARGUMENT);
    EVP_CIPHER_CTX_free(cctx);
    EVP_CIPHER_free(cipher);
}

static void test_aes_cbc_without_padding_refuses_a_partial_block(void **state)
{
    EVP_CIPHER_CTX *cctx = aes_ctx("AES-256-CBC", "aes256", 1);
    unsigned char out[128];
    int outl, total;

    (void)state;
    assert_int_equal(EVP_CIPHER_CTX_set_padding(cctx, 0), 1);
    assert_int_equal(
        EVP_EncryptUpdate(cctx, out, &outl, plaintext, sizeof(plaintext)), 1);
    total = outl;
    assert_int_equal(total, 96);
    assert_int_not_equal(EVP_EncryptFinal_ex(cctx, out + total, &outl), 1);
    EVP_CIPHER_CTX_free(cctx);
}

/* Finishes encrypting plaintext from done on cctx, into out and tag. */
static int aes_finish(EVP_CIPHER_CTX *cctx, size_t done, unsigned char *out,
                      unsigned char tag[16])
{
    int outl, total;

    assert_int_equal(EVP_EncryptUpdate(cctx, out, &outl, plaintext + done,
                                       (int)(sizeof(plaintext) - done)),
                     1);
    total = outl;
    assert_int_equal(EVP_EncryptFinal_ex(cctx, out + total, &outl), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(cctx, EVP_CTRL_AEAD_GET_TAG, 16, tag),
                     1);
    EVP_CIPHER_CTX_free(cctx);
    return total + outl;
}

static void test_aes_gcm_context_copied_midway_finishes_alike(void **state)
{
    EVP_CIPHER_CTX *cctx = aes_ctx("AES-256-GCM", "aes256", 1);
    EVP_CIPHER_CTX *copy = EVP_CIPHER_CTX_new();
    unsigned char head[128], a[128], b[128], tag_a[16], tag_b[16];
    unsigned char expected[128], tag_expected[16], key[32];
    int outl, head_len, a_len, b_len;

    (void)state;
    assert_int_equal(EVP_EncryptUpdate(cctx, NULL, &outl,
                                       (const unsigned char *)"header", 7),
                     1);
    assert_int_equal(EVP_EncryptUpdate(cctx, head, &outl, plaintext, 40), 1);
    head_len = outl;
    assert_int_equal(EVP_CIPHER_CTX_copy(copy, cctx), 1);
    a_len = aes_finish(cctx, 40, a, tag_a);
    b_len = aes_finish(copy, 40, b, tag_b);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, (size_t)a_len);
    assert_memory_equal(tag_a, tag_b, 16);
    hex_key("P11KMIP_TEST_AES256", key, sizeof(key));
    assert_int_equal(run_cipher("AES-256-GCM", DEFAULT_PROPQ, NULL, key, 1,
                                iv16, (const unsigned char *)"header", 7,
                                plaintext, sizeof(plaintext), sizeof(plaintext),
                                expected, tag_expected),
                     head_len + a_len);
    assert_memory_equal(tag_a, tag_expected, 16);
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
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char sig[512];
    size_t siglen = sizeof(sig);

    (void)state;
    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, &pctx, "SHA256", NULL, NULL, key, NULL),
        1);
    ERR_clear_error();
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_NO_PADDING) == 1)
        assert_int_not_equal(
            EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)), 1);
    assert_int_not_equal(ERR_peek_last_error(), 0);
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        cmocka_unit_test(test_decrypt_oaep_on_token),
        cmocka_unit_test(
            test_encrypt_with_a_copied_context_decrypts_on_the_token),
        cmocka_unit_test(test_decrypt_of_a_damaged_ciphertext_fails),
        cmocka_unit_test(test_tls_premaster_of_the_client_version_is_kept),
        cmocka_unit_test(test_tls_premaster_of_another_version_is_random),
        cmocka_unit_test(test_aes_256_gcm_matches_openssl),
        cmocka_unit_test(test_aes_128_gcm_matches_openssl),
        cmocka_unit_test(test_aes_256_cbc_in_pieces_matches_openssl),
        cmocka_unit_test(test_aes_128_cbc_whole_blocks_matches_openssl),
        cmocka_unit_test(test_aes_256_ctr_in_pieces_matches_openssl),
        cmocka_unit_test(test_aes_gcm_wrong_tag_fails_final),
        cmocka_unit_test(test_aes_256_gcm_key_bytes_match_openssl),
        cmocka_unit_test(test_aes_128_cbc_key_bytes_match_openssl),
        cmocka_unit_test(test_aes_256_ctr_key_bytes_match_openssl),
        cmocka_unit_test(test_aes_key_bytes_context_copy_goes_on),
        cmocka_unit_test(test_aes_key_bytes_and_uri_are_refused),
        cmocka_unit_test(test_aes_uri_naming_no_key_is_not_found),
        cmocka_unit_test(test_aes_key_of_another_size_is_refused),
        cmocka_unit_test(test_aes_lengths_are_fixed_and_reported),
        cmocka_unit_test(
            test_aes_gcm_tag_of_a_bad_size_or_direction_is_refused),
        cmocka_unit_test(test_aes_without_a_key_refuses_data),
        cmocka_unit_test(test_aes_cbc_without_padding_refuses_a_partial_block),
        cmocka_unit_test(test_aes_gcm_context_copied_midway_finishes_alike),
        cmocka_unit_test(test_pss_salt_longer_than_the_key_allows_fails),
        cmocka_unit_test(test_rsa_algorithm_identifiers_match_openssls),
        cmocka_unit_test(
            test_pss_salt_length_names_are_kept_and_bad_ones_refused),
        cmocka_unit_test(test_raw_rsa_refuses_a_digest_sign),
        cmocka_unit_test(test_software_key_keeps_the_default_provider),
        cmocka_unit_test(test_default_aes_fetch_is_not_the_provider),
    };

    /* A server that cannot serve every test runs the ones it can. */
    if (getenv("P11KMIP_TEST_FILTER") != NULL)
        cmocka_set_test_filter(getenv("P11KMIP_TEST_FILTER"));
    if (getenv("P11KMIP_TEST_SKIP") != NULL)
        cmocka_set_skip_filter(getenv("P11KMIP_TEST_SKIP"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
