/* SPDX-License-Identifier: Apache-2.0 */
/* RSA asymmetric cipher: decryption on the token (CKM_RSA_PKCS_OAEP with
 * the OAEP digest, MGF1 digest and label; CKM_RSA_PKCS for PKCS#1 v1.5;
 * CKM_RSA_X_509 without padding), encryption locally on the key's public half.
 *
 * PKCS#1 v1.5 decryption has no implicit rejection: OpenSSL 3.0 does not
 * define it (3.2 does), so a padding failure returns 0 with an error.
 * libssl's RSA key exchange (RSA_PKCS1_WITH_TLS_PADDING) gets what
 * OpenSSL 3.0 gives it: 48 bytes always, the premaster secret when the
 * token's plaintext is 48 bytes starting with the client's version, and
 * random bytes otherwise (also when the token reports a padding failure,
 * which a token cannot hide from the timing of its own answer). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/prov_ssl.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "operation.h"
#include "rsa_pad.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_asym_cipher_newctx_fn asym_newctx;
static OSSL_FUNC_asym_cipher_freectx_fn asym_freectx;
static OSSL_FUNC_asym_cipher_dupctx_fn asym_dupctx;
static OSSL_FUNC_asym_cipher_encrypt_init_fn asym_encrypt_init;
static OSSL_FUNC_asym_cipher_encrypt_fn asym_encrypt;
static OSSL_FUNC_asym_cipher_decrypt_init_fn asym_decrypt_init;
static OSSL_FUNC_asym_cipher_decrypt_fn asym_decrypt;
static OSSL_FUNC_asym_cipher_get_ctx_params_fn asym_get_ctx_params;
static OSSL_FUNC_asym_cipher_gettable_ctx_params_fn asym_gettable_ctx_params;
static OSSL_FUNC_asym_cipher_set_ctx_params_fn asym_set_ctx_params;
static OSSL_FUNC_asym_cipher_settable_ctx_params_fn asym_settable_ctx_params;

/* OpenSSL's default OAEP digest. */
#define DEFAULT_OAEP_DIGEST "SHA1"

typedef struct asym_ctx {
    p11prov_ctx *provctx;
    p11prov_key *key;
    int operation; /* EVP_PKEY_OP_ENCRYPT or EVP_PKEY_OP_DECRYPT */
    int pad_mode;
    EVP_MD *oaep_md; /* NULL: the default */
    const p11prov_digest *oaep;
    EVP_MD *mgf1_md; /* NULL: the OAEP digest */
    const p11prov_digest *mgf1;
    unsigned char *label; /* OAEP label (OPENSSL_malloc'd) or NULL */
    size_t label_len;
    /* RSA_PKCS1_WITH_TLS_PADDING: the versions a premaster secret may
     * start with (0: none). */
    unsigned int tls_client_version;
    unsigned int tls_negotiated_version;
} asym_ctx;

static void *asym_newctx(void *provctx)
{
    asym_ctx *ctx = calloc(1, sizeof(*ctx));

    if (ctx == NULL) {
        p11prov_raise(provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    ctx->provctx = provctx;
    ctx->pad_mode = RSA_PKCS1_PADDING;
    return ctx;
}

static void asym_freectx(void *vctx)
{
    asym_ctx *ctx = vctx;

    if (ctx == NULL)
        return;
    p11prov_key_free(ctx->key);
    EVP_MD_free(ctx->oaep_md);
    EVP_MD_free(ctx->mgf1_md);
    OPENSSL_free(ctx->label);
    free(ctx);
}

static void *asym_dupctx(void *vctx)
{
    asym_ctx *src = vctx;
    asym_ctx *dst = malloc(sizeof(*dst));

    if (dst == NULL) {
        p11prov_raise(src->provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    *dst = *src;
    dst->label = NULL;
    if (src->label != NULL) {
        dst->label = OPENSSL_memdup(src->label, src->label_len);
        if (dst->label == NULL) {
            free(dst);
            p11prov_raise(src->provctx, P11PROV_R_INTERNAL, "out of memory");
            return NULL;
        }
    }
    if (dst->key != NULL)
        p11prov_key_ref(dst->key);
    if (dst->oaep_md != NULL)
        EVP_MD_up_ref(dst->oaep_md);
    if (dst->mgf1_md != NULL)
        EVP_MD_up_ref(dst->mgf1_md);
    return dst;
}

static int init(asym_ctx *ctx, void *provkey, int operation,
                const OSSL_PARAM params[])
{
    p11prov_key *key = provkey;
    bool decrypting = operation == EVP_PKEY_OP_DECRYPT;

    if (!p11prov_op_key_check(ctx->provctx, key, CKK_RSA, decrypting,
                              decrypting ? "decrypting" : "encrypting"))
        return 0;
    p11prov_key_ref(key);
    p11prov_key_free(ctx->key);
    ctx->key = key;
    ctx->operation = operation;
    return asym_set_ctx_params(ctx, params);
}

static int asym_encrypt_init(void *ctx, void *provkey,
                             const OSSL_PARAM params[])
{
    return init(ctx, provkey, EVP_PKEY_OP_ENCRYPT, params);
}

static int asym_decrypt_init(void *ctx, void *provkey,
                             const OSSL_PARAM params[])
{
    return init(ctx, provkey, EVP_PKEY_OP_DECRYPT, params);
}

static size_t rsa_size(const asym_ctx *ctx)
{
    return ((size_t)ctx->key->bits + 7) / 8;
}

/* The OAEP digest, fetched when first needed (the default is SHA-1). */
static const EVP_MD *oaep_md(asym_ctx *ctx)
{
    if (ctx->oaep_md == NULL)
        p11prov_op_fetch_digest(ctx->provctx, DEFAULT_OAEP_DIGEST,
                                &ctx->oaep_md, &ctx->oaep);
    return ctx->oaep_md;
}

static const EVP_MD *mgf1_md(asym_ctx *ctx)
{
    return ctx->mgf1_md != NULL ? ctx->mgf1_md : oaep_md(ctx);
}

static int asym_encrypt(void *vctx, unsigned char *out, size_t *outlen,
                        size_t outsize, const unsigned char *in, size_t inlen)
{
    asym_ctx *ctx = vctx;
    EVP_PKEY_CTX *encrypter;
    unsigned char *label = NULL;
    int ok;

    if (out == NULL) {
        *outlen = rsa_size(ctx);
        return 1;
    }
    encrypter = EVP_PKEY_CTX_new_from_pkey(
        ctx->provctx->libctx, ctx->key->public_key, P11PROV_INTERNAL_PROPQ);
    ok = encrypter != NULL && EVP_PKEY_encrypt_init(encrypter) == 1 &&
         EVP_PKEY_CTX_set_rsa_padding(encrypter, ctx->pad_mode) == 1;
    if (ok && ctx->pad_mode == RSA_PKCS1_OAEP_PADDING) {
        ok = oaep_md(ctx) != NULL &&
             EVP_PKEY_CTX_set_rsa_oaep_md(encrypter, oaep_md(ctx)) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(encrypter, mgf1_md(ctx)) == 1;
        if (ok && ctx->label != NULL) {
            label = OPENSSL_memdup(ctx->label, ctx->label_len);
            ok = label != NULL &&
                 EVP_PKEY_CTX_set0_rsa_oaep_label(encrypter, label,
                                                  (int)ctx->label_len) == 1;
            if (!ok)
                OPENSSL_free(label);
        }
    }
    *outlen = outsize;
    ok = ok && EVP_PKEY_encrypt(encrypter, out, outlen, in, inlen) == 1;
    EVP_PKEY_CTX_free(encrypter);
    return ok;
}

/* The decryption mechanism; its OAEP parameter points into oaep. */
static int decrypt_mechanism(asym_ctx *ctx, CK_MECHANISM *mech,
                             CK_RSA_PKCS_OAEP_PARAMS *oaep)
{
    *mech = (CK_MECHANISM){0};
    switch (ctx->pad_mode) {
    case RSA_PKCS1_PADDING:
    case RSA_PKCS1_WITH_TLS_PADDING:
        mech->mechanism = CKM_RSA_PKCS;
        return 1;
    case RSA_NO_PADDING:
        mech->mechanism = CKM_RSA_X_509;
        return 1;
    case RSA_PKCS1_OAEP_PADDING:
        if (oaep_md(ctx) == NULL)
            return 0;
        mgf1_md(ctx);
        *oaep = (CK_RSA_PKCS_OAEP_PARAMS){
            .hashAlg = ctx->oaep->digest,
            .mgf = (ctx->mgf1 != NULL ? ctx->mgf1 : ctx->oaep)->mgf1,
            .source = CKZ_DATA_SPECIFIED,
            .pSourceData = ctx->label,
            .ulSourceDataLen = ctx->label_len,
        };
        mech->mechanism = CKM_RSA_PKCS_OAEP;
        mech->pParameter = oaep;
        mech->ulParameterLen = sizeof(*oaep);
        return 1;
    }
    p11prov_raise(ctx->provctx, P11PROV_R_UNSUPPORTED,
                  "RSA padding mode %d is not offered for decryption",
                  ctx->pad_mode);
    return 0;
}

/* Decrypts in on the token into plain (*plain_len: its size, then the
 * length written), the token's answer in *rv. 0 when no session could be
 * had (an error raised). */
static int token_decrypt(asym_ctx *ctx, CK_MECHANISM *mech,
                         const unsigned char *in, size_t inlen, CK_BYTE *plain,
                         CK_ULONG *plain_len, CK_RV *rv)
{
    p11prov_session *session = p11prov_op_session(ctx->key);

    if (session == NULL)
        return 0;
    *rv = p11prov_call_crypt(session, false, mech, ctx->key->handle, in, inlen,
                             plain, plain_len, P11PROV_SITE);
    p11prov_session_end(session, *rv);
    return 1;
}

static bool padding_failure(CK_RV rv)
{
    return rv == CKR_ENCRYPTED_DATA_INVALID ||
           rv == CKR_ENCRYPTED_DATA_LEN_RANGE;
}

/* RSA_PKCS1_WITH_TLS_PADDING: a 48-byte premaster secret, random when the
 * decryption does not give one for the client's version. */
static int tls_premaster(asym_ctx *ctx, CK_RV rv, const CK_BYTE *plain,
                         CK_ULONG plain_len, unsigned char *out, size_t *outlen,
                         size_t outsize)
{
    unsigned char random[SSL_MAX_MASTER_KEY_LENGTH];
    unsigned int version;
    bool good;

    if (outsize < SSL_MAX_MASTER_KEY_LENGTH ||
        RAND_priv_bytes_ex(ctx->provctx->libctx, random, sizeof(random), 0) !=
            1) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "no room or no random bytes for a premaster secret");
        return 0;
    }
    version = plain_len >= 2 ? (unsigned int)(plain[0] << 8 | plain[1]) : 0;
    good = rv == CKR_OK && plain_len == SSL_MAX_MASTER_KEY_LENGTH &&
           (version == ctx->tls_client_version ||
            (ctx->tls_negotiated_version != 0 &&
             version == ctx->tls_negotiated_version));
    memcpy(out, good ? plain : random, SSL_MAX_MASTER_KEY_LENGTH);
    *outlen = SSL_MAX_MASTER_KEY_LENGTH;
    OPENSSL_cleanse(random, sizeof(random));
    return 1;
}

static int asym_decrypt(void *vctx, unsigned char *out, size_t *outlen,
                        size_t outsize, const unsigned char *in, size_t inlen)
{
    asym_ctx *ctx = vctx;
    CK_RSA_PKCS_OAEP_PARAMS oaep;
    CK_MECHANISM mech;
    CK_ULONG plain_size = rsa_size(ctx), plain_len = plain_size;
    CK_BYTE *plain;
    CK_RV rv;
    int ok = 0;

    if (out == NULL) {
        *outlen = ctx->pad_mode == RSA_PKCS1_WITH_TLS_PADDING
                      ? SSL_MAX_MASTER_KEY_LENGTH
                      : plain_size;
        return 1;
    }
    if (!decrypt_mechanism(ctx, &mech, &oaep))
        return 0;
    plain = malloc(plain_size);
    if (plain == NULL) {
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL, "out of memory");
        return 0;
    }
    if (!token_decrypt(ctx, &mech, in, inlen, plain, &plain_len, &rv)) {
        free(plain);
        return 0;
    }
    if (ctx->pad_mode == RSA_PKCS1_WITH_TLS_PADDING &&
        (rv == CKR_OK || padding_failure(rv))) {
        ok = tls_premaster(ctx, rv, plain, plain_len, out, outlen, outsize);
    } else if (rv == CKR_OK && plain_len > outsize) {
        p11prov_raise(ctx->provctx, P11PROV_R_BUFFER_SMALL,
                      "the plaintext has %lu bytes, the buffer %zu",
                      (unsigned long)plain_len, outsize);
    } else if (rv == CKR_OK) {
        memcpy(out, plain, plain_len);
        *outlen = plain_len;
        ok = 1;
    } else {
        p11prov_op_raise(ctx->key, rv, "decrypting");
    }
    OPENSSL_clear_free(plain, plain_size);
    return ok;
}

/* ---- Parameters ---- */

/* Reads a digest parameter named name into *md and *digest. */
static int set_digest(asym_ctx *ctx, const OSSL_PARAM params[],
                      const char *name, EVP_MD **md,
                      const p11prov_digest **digest)
{
    const OSSL_PARAM *p = OSSL_PARAM_locate_const(params, name);
    const char *digest_name;
    EVP_MD *fetched;
    const p11prov_digest *found;

    if (p == NULL)
        return 1;
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &digest_name) ||
        !p11prov_op_fetch_digest(ctx->provctx, digest_name, &fetched, &found))
        return 0;
    EVP_MD_free(*md);
    *md = fetched;
    *digest = found;
    return 1;
}

static int set_label(asym_ctx *ctx, const OSSL_PARAM params[])
{
    const OSSL_PARAM *p =
        OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL);
    void *label = NULL;
    size_t label_len = 0;

    if (p == NULL)
        return 1;
    if (!OSSL_PARAM_get_octet_string(p, &label, 0, &label_len))
        return 0;
    OPENSSL_free(ctx->label);
    ctx->label = label;
    ctx->label_len = label_len;
    return 1;
}

static int asym_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    asym_ctx *ctx = vctx;
    const OSSL_PARAM *p;

    if (params == NULL)
        return 1;
    p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_PAD_MODE);
    if (p != NULL && !p11prov_rsa_pad_mode_get(p, &ctx->pad_mode)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "unknown RSA padding mode");
        return 0;
    }
    p = OSSL_PARAM_locate_const(params,
                                OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION);
    if (p != NULL && !OSSL_PARAM_get_uint(p, &ctx->tls_client_version))
        return 0;
    p = OSSL_PARAM_locate_const(params,
                                OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION);
    if (p != NULL && !OSSL_PARAM_get_uint(p, &ctx->tls_negotiated_version))
        return 0;
    return set_digest(ctx, params, OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST,
                      &ctx->oaep_md, &ctx->oaep) &&
           set_digest(ctx, params, OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST,
                      &ctx->mgf1_md, &ctx->mgf1) &&
           set_label(ctx, params);
}

static int asym_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    asym_ctx *ctx = vctx;
    OSSL_PARAM *p;

    p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_PAD_MODE);
    if (p != NULL && !p11prov_rsa_pad_mode_set(p, ctx->pad_mode))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST);
    if (p != NULL &&
        (oaep_md(ctx) == NULL ||
         !OSSL_PARAM_set_utf8_string(p, EVP_MD_get0_name(oaep_md(ctx)))))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST);
    if (p != NULL &&
        (mgf1_md(ctx) == NULL ||
         !OSSL_PARAM_set_utf8_string(p, EVP_MD_get0_name(mgf1_md(ctx)))))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL);
    return p == NULL || OSSL_PARAM_set_octet_ptr(p, ctx->label, ctx->label_len);
}

static const OSSL_PARAM *asym_gettable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST, NULL, 0),
        OSSL_PARAM_octet_ptr(OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

static const OSSL_PARAM *asym_settable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST_PROPS, NULL,
                               0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST_PROPS, NULL,
                               0),
        OSSL_PARAM_octet_string(OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL, NULL, 0),
        OSSL_PARAM_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, NULL),
        OSSL_PARAM_uint(OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION, NULL),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

const OSSL_DISPATCH p11prov_rsa_asym_cipher_functions[] = {
    {OSSL_FUNC_ASYM_CIPHER_NEWCTX, (void (*)(void))asym_newctx},
    {OSSL_FUNC_ASYM_CIPHER_FREECTX, (void (*)(void))asym_freectx},
    {OSSL_FUNC_ASYM_CIPHER_DUPCTX, (void (*)(void))asym_dupctx},
    {OSSL_FUNC_ASYM_CIPHER_ENCRYPT_INIT, (void (*)(void))asym_encrypt_init},
    {OSSL_FUNC_ASYM_CIPHER_ENCRYPT, (void (*)(void))asym_encrypt},
    {OSSL_FUNC_ASYM_CIPHER_DECRYPT_INIT, (void (*)(void))asym_decrypt_init},
    {OSSL_FUNC_ASYM_CIPHER_DECRYPT, (void (*)(void))asym_decrypt},
    {OSSL_FUNC_ASYM_CIPHER_GET_CTX_PARAMS, (void (*)(void))asym_get_ctx_params},
    {OSSL_FUNC_ASYM_CIPHER_GETTABLE_CTX_PARAMS,
     (void (*)(void))asym_gettable_ctx_params},
    {OSSL_FUNC_ASYM_CIPHER_SET_CTX_PARAMS, (void (*)(void))asym_set_ctx_params},
    {OSSL_FUNC_ASYM_CIPHER_SETTABLE_CTX_PARAMS,
     (void (*)(void))asym_settable_ctx_params},
    {0, NULL},
};
