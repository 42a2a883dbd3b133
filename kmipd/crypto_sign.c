/* SPDX-License-Identifier: Apache-2.0 */
/* Sign and Signature Verify: RSA PKCS#1 v1.5 and PSS, ECDSA. The message
 * is hashed here, then the digest is signed with EVP_PKEY_sign, so that
 * Data and Digested Data take the same path. */
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

/* The key kinds a signature scheme applies to. */
enum key_kind { KEY_RSA, KEY_EC };

/* Digital Signature Algorithm -> key kind, padding and hash (0 for PSS:
 * the hash comes from Hashing Algorithm). */
static const struct signature_algorithm {
    uint32_t kmip;
    enum key_kind kind;
    uint32_t padding;
    uint32_t hash;
} signature_algorithms[] = {
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA1_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA_1},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA224_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA_224},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA256_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA_256},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA384_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA_384},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA512_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA_512},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA3_256_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA3_256},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA3_384_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA3_384},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA3_512_WITH_RSA_ENCRYPTION, KEY_RSA,
     KMIP_PADDING_METHOD_PKCS1V15, KMIP_HASHING_ALGORITHM_SHA3_512},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_RSASSA_PSS, KEY_RSA,
     KMIP_PADDING_METHOD_PSS, 0},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA1, KEY_EC, 0,
     KMIP_HASHING_ALGORITHM_SHA_1},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA224, KEY_EC, 0,
     KMIP_HASHING_ALGORITHM_SHA_224},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA256, KEY_EC, 0,
     KMIP_HASHING_ALGORITHM_SHA_256},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA384, KEY_EC, 0,
     KMIP_HASHING_ALGORITHM_SHA_384},
    {KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA512, KEY_EC, 0,
     KMIP_HASHING_ALGORITHM_SHA_512},
};

/* A request's signature parameters, resolved against the key. */
typedef struct sign_scheme {
    enum key_kind kind;
    int rsa_padding;    /* RSA_PKCS1_PADDING, _PSS_PADDING, _NO_PADDING */
    size_t raw_len;     /* RSA_NO_PADDING: the input's length, the key's */
    const EVP_MD *md;   /* NULL: sign the data as given */
    const EVP_MD *mgf1; /* PSS */
    int salt_length;    /* PSS */
    bool any_salt;      /* PSS verify: no Salt Length given */
} sign_scheme;

static kmip_rc bad_params(kmip_status *status, const char *what)
{
    return kmipd_crypto_fail(
        status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS, "%s", what);
}

static kmip_rc key_kind(const EVP_PKEY *key, enum key_kind *kind,
                        kmip_status *status)
{
    if (kmipd_key_is(key, EVP_PKEY_RSA, "RSA"))
        *kind = KEY_RSA;
    else if (kmipd_key_is(key, EVP_PKEY_EC, "EC"))
        *kind = KEY_EC;
    else
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "a %s key cannot sign",
                                 EVP_PKEY_get0_type_name(key));
    return KMIP_OK;
}

static const EVP_MD *hash_or_null(uint32_t hashing_algorithm, bool *known)
{
    *known = true;
    if (hashing_algorithm == 0)
        return NULL;
    const EVP_MD *md = kmipd_hash_md(hashing_algorithm);
    *known = md != NULL;
    return md;
}

/* Fills scheme->rsa_padding, md, mgf1 and salt_length for an RSA key. */
static kmip_rc resolve_rsa(const kmipd_crypto_params *p, uint32_t padding,
                           int key_bytes, sign_scheme *scheme,
                           kmip_status *status)
{
    if (padding == 0 || padding == KMIP_PADDING_METHOD_PKCS1V15) {
        scheme->rsa_padding = RSA_PKCS1_PADDING;
        return KMIP_OK;
    }
    if (padding == KMIP_PADDING_METHOD_NONE) {
        scheme->rsa_padding = RSA_NO_PADDING;
        scheme->raw_len = (size_t)key_bytes;
        return scheme->md == NULL
                   ? KMIP_OK
                   : bad_params(status, "raw RSA takes no Hashing Algorithm");
    }
    if (padding != KMIP_PADDING_METHOD_PSS)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "RSA signatures use PKCS#1 v1.5, PSS or no padding, not %u",
            padding);
    scheme->rsa_padding = RSA_PKCS1_PSS_PADDING;
    if (scheme->md == NULL)
        return bad_params(status, "PSS needs a Hashing Algorithm");
    if (p->mask_generator != 0 && p->mask_generator != KMIP_MASK_GENERATOR_MGF1)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "Mask Generator %u (only MGF1)", p->mask_generator);
    scheme->mgf1 = scheme->md;
    if (p->mask_generator_hashing_algorithm != 0) {
        scheme->mgf1 = kmipd_hash_md(p->mask_generator_hashing_algorithm);
        if (scheme->mgf1 == NULL)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
                "Mask Generator Hashing Algorithm %u",
                p->mask_generator_hashing_algorithm);
    }
    int digest_len = EVP_MD_get_size(scheme->md);
    scheme->salt_length = p->salt_length_set ? p->salt_length : digest_len;
    scheme->any_salt = !p->salt_length_set;
    if (scheme->salt_length < 0 ||
        scheme->salt_length > key_bytes - digest_len - 2)
        return bad_params(status, "Salt Length out of range for this key");
    return KMIP_OK;
}

static kmip_rc resolve_scheme(const EVP_PKEY *key, const kmipd_crypto_params *p,
                              sign_scheme *scheme, kmip_status *status)
{
    memset(scheme, 0, sizeof(*scheme));
    kmip_rc rc = key_kind(key, &scheme->kind, status);
    if (rc != KMIP_OK)
        return rc;
    uint32_t hash = p->hashing_algorithm;
    uint32_t padding = p->padding_method;
    if (p->digital_signature_algorithm != 0) {
        const struct signature_algorithm *alg = NULL;
        for (size_t i = 0;
             i < sizeof(signature_algorithms) / sizeof(*signature_algorithms);
             i++) {
            if (signature_algorithms[i].kmip == p->digital_signature_algorithm)
                alg = &signature_algorithms[i];
        }
        if (alg == NULL)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
                "Digital Signature Algorithm %u",
                p->digital_signature_algorithm);
        if (alg->kind != scheme->kind)
            return bad_params(status,
                              "Digital Signature Algorithm does not fit the "
                              "key");
        if (alg->hash != 0 && hash != 0 && hash != alg->hash)
            return bad_params(status, "Hashing Algorithm contradicts the "
                                      "Digital Signature Algorithm");
        if (padding != 0 && alg->padding != 0 && padding != alg->padding)
            return bad_params(status, "Padding Method contradicts the "
                                      "Digital Signature Algorithm");
        if (alg->hash != 0)
            hash = alg->hash;
        padding = alg->padding;
    }
    uint32_t algorithm = p->cryptographic_algorithm;
    if (algorithm != 0 &&
        (scheme->kind == KEY_RSA
             ? algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA
             : algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA &&
                   algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_EC))
        return bad_params(status, "Cryptographic Algorithm does not fit the "
                                  "key");
    bool known;
    scheme->md = hash_or_null(hash, &known);
    if (!known)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "Hashing Algorithm %u", hash);
    if (scheme->kind == KEY_EC) {
        if (padding != 0 && padding != KMIP_PADDING_METHOD_NONE)
            return bad_params(status, "ECDSA takes no Padding Method");
        return KMIP_OK;
    }
    return resolve_rsa(p, padding, EVP_PKEY_get_size(key), scheme, status);
}

/* What a signature covers: the scheme, and the value to sign (tbs): a
 * fresh digest of the data, held in digest, or the data itself. */
typedef struct to_sign {
    sign_scheme scheme;
    uint8_t digest[EVP_MAX_MD_SIZE];
    const uint8_t *tbs;
    size_t tbs_len;
} to_sign;

/* Sets out->tbs for data under out->scheme. */
static kmip_rc to_be_signed(to_sign *out, const uint8_t *data, size_t len,
                            bool digested, kmip_status *status)
{
    const sign_scheme *scheme = &out->scheme;
    out->tbs = data;
    out->tbs_len = len;
    if (scheme->raw_len != 0 && len != scheme->raw_len)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "raw RSA of %zu bytes with a %zu-byte key",
                                 len, scheme->raw_len);
    if (scheme->md == NULL)
        return KMIP_OK;
    if (digested) {
        if (len != (size_t)EVP_MD_get_size(scheme->md))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "Digested Data of %zu bytes for a "
                                     "%d-byte hash",
                                     len, EVP_MD_get_size(scheme->md));
        return KMIP_OK;
    }
    unsigned int digest_len = 0;
    if (EVP_Digest(data, len, out->digest, &digest_len, scheme->md, NULL) != 1)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE, "hashing failed");
    out->tbs = out->digest;
    out->tbs_len = digest_len;
    return KMIP_OK;
}

/* The scheme of key and params, and the value to sign for data. */
static kmip_rc prepare(const EVP_PKEY *key, const kmipd_crypto_params *params,
                       const uint8_t *data, size_t len, bool digested,
                       to_sign *out, kmip_status *status)
{
    kmip_rc rc = resolve_scheme(key, params, &out->scheme, status);
    return rc == KMIP_OK ? to_be_signed(out, data, len, digested, status) : rc;
}

/* A new context for EVP_PKEY_sign (sign true) or EVP_PKEY_verify set up
 * for scheme; NULL on failure. */
static EVP_PKEY_CTX *new_scheme_ctx(EVP_PKEY *key, const sign_scheme *scheme,
                                    bool sign)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    if (ctx == NULL)
        return NULL;
    bool ok = (sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) == 1;
    if (ok && scheme->kind == KEY_RSA)
        ok = EVP_PKEY_CTX_set_rsa_padding(ctx, scheme->rsa_padding) == 1;
    if (ok && scheme->md != NULL)
        ok = EVP_PKEY_CTX_set_signature_md(ctx, scheme->md) == 1;
    if (ok && scheme->rsa_padding == RSA_PKCS1_PSS_PADDING)
        ok = EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, scheme->mgf1) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(
                 ctx, !sign && scheme->any_salt ? RSA_PSS_SALTLEN_AUTO
                                                : scheme->salt_length) == 1;
    if (!ok) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* A context for EVP_PKEY_sign (sign true) or EVP_PKEY_verify set up for
 * scheme (a copy of one prepared before when there is one); NULL on
 * failure. */
static EVP_PKEY_CTX *scheme_ctx(EVP_PKEY *key, const sign_scheme *scheme,
                                bool sign)
{
    const uintptr_t setup[KMIPD_CTX_SETUP_WORDS] = {
        sign,
        (uintptr_t)scheme->kind,
        (uintptr_t)scheme->rsa_padding,
        (uintptr_t)scheme->md,
        (uintptr_t)scheme->mgf1,
        (uintptr_t)scheme->salt_length,
        scheme->any_salt,
        0};
    EVP_PKEY_CTX *ctx = kmipd_ctx_cache_dup(key, setup);
    if (ctx != NULL)
        return ctx;
    ctx = new_scheme_ctx(key, scheme, sign);
    if (ctx != NULL)
        kmipd_ctx_cache_put(key, setup, ctx);
    return ctx;
}

kmip_rc kmipd_sign(EVP_PKEY *key, const kmipd_crypto_params *params,
                   const uint8_t *data, size_t len, bool digested,
                   kmipd_buf *signature, kmip_status *status)
{
    const kmipd_raw_curve *ed = kmipd_raw_curve_of_key(key);
    if (ed != NULL)
        return kmipd_eddsa_sign(key, ed, params, data, len, digested, signature,
                                status);
    to_sign what;
    kmip_rc rc = prepare(key, params, data, len, digested, &what, status);
    if (rc != KMIP_OK)
        return rc;
    EVP_PKEY_CTX *ctx = scheme_ctx(key, &what.scheme, true);
    size_t sig_len = 0;
    bool ok = ctx != NULL &&
              EVP_PKEY_sign(ctx, NULL, &sig_len, what.tbs, what.tbs_len) == 1 &&
              kmipd_buf_alloc(signature, sig_len) &&
              EVP_PKEY_sign(ctx, signature->data, &signature->len, what.tbs,
                            what.tbs_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    OPENSSL_cleanse(what.digest, sizeof(what.digest));
    if (!ok) {
        kmipd_buf_clear(signature);
        /* The checks above leave only data that does not fit the key
         * (a raw PKCS#1 block too long for the modulus). */
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "signing failed (data too long for the "
                                 "key?)");
    }
    return KMIP_OK;
}

kmip_rc kmipd_verify(EVP_PKEY *key, const kmipd_crypto_params *params,
                     const uint8_t *data, size_t len, bool digested,
                     const uint8_t *signature, size_t signature_len,
                     bool *valid, kmip_status *status)
{
    const kmipd_raw_curve *ed = kmipd_raw_curve_of_key(key);
    if (ed != NULL)
        return kmipd_eddsa_verify(key, ed, params, data, len, digested,
                                  signature, signature_len, valid, status);
    to_sign what;
    *valid = false;
    kmip_rc rc = prepare(key, params, data, len, digested, &what, status);
    if (rc != KMIP_OK)
        return rc;
    EVP_PKEY_CTX *ctx = scheme_ctx(key, &what.scheme, false);
    if (ctx == NULL)
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "cannot set up the verification");
    *valid = EVP_PKEY_verify(ctx, signature, signature_len, what.tbs,
                             what.tbs_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    /* A signature that does not verify leaves errors in the queue. */
    ERR_clear_error();
    return KMIP_OK;
}
