/* SPDX-License-Identifier: Apache-2.0 */
/* AES-GCM, AES-CBC and AES-CTR with a secret key held by the token.
 *
 * EVP_CipherInit's key bytes cannot name a remote key: the key is named
 * by a pkcs11: URI in the cipher parameter "p11kmip-key-uri", and the key
 * argument must be NULL (key bytes, as libssl's record layer passes them
 * when this provider is preferred, run OpenSSL's own cipher from the
 * default provider locally):
 *
 *     OSSL_PARAM params[] = {
 *         OSSL_PARAM_utf8_string("p11kmip-key-uri", uri, 0), OSSL_PARAM_END};
 *     EVP_EncryptInit_ex2(cctx, EVP_CIPHER_fetch(NULL, "AES-256-GCM",
 *                         "provider=p11kmip"), NULL, iv, params);
 *
 * Every update is one token call (C_Encrypt or C_Decrypt) over the whole
 * blocks it completes, so output comes out as OpenSSL's ciphers give it:
 * CBC (CKM_AES_CBC) chains the IV from call to call and pads at final
 * with CKM_AES_CBC_PAD; CTR (CKM_AES_CTR) carries the counter and the
 * part of a keystream block left over. GCM takes 12-byte IVs: its data
 * goes through CKM_AES_CTR from the counter GCM uses (J0 + 1), and the
 * message, kept until final, goes through one CKM_AES_GCM call there for
 * the tag (encrypting) or the tag check (decrypting). As with OpenSSL's
 * own GCM, decrypted data is released before its tag is checked: the
 * caller must discard it when final fails. */
#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "cipher_aes.h"
#include "cipher_key.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_cipher_freectx_fn aes_freectx;
static OSSL_FUNC_cipher_dupctx_fn aes_dupctx;
static OSSL_FUNC_cipher_encrypt_init_fn aes_encrypt_init;
static OSSL_FUNC_cipher_decrypt_init_fn aes_decrypt_init;
static OSSL_FUNC_cipher_update_fn aes_update;
static OSSL_FUNC_cipher_final_fn aes_final;
static OSSL_FUNC_cipher_gettable_params_fn aes_gettable_params;
static OSSL_FUNC_cipher_get_ctx_params_fn aes_get_ctx_params;
static OSSL_FUNC_cipher_gettable_ctx_params_fn aes_gettable_ctx_params;
static OSSL_FUNC_cipher_set_ctx_params_fn aes_set_ctx_params;
static OSSL_FUNC_cipher_settable_ctx_params_fn aes_settable_ctx_params;

#define P11PROV_CIPHER_PARAM_KEY_URI "p11kmip-key-uri"

static void *aes_newctx(void *provctx, const char *name, unsigned int mode,
                        size_t key_bits)
{
    p11prov_aes_ctx *ctx = OPENSSL_zalloc(sizeof(*ctx));

    if (ctx == NULL) {
        p11prov_raise(provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    ctx->provctx = provctx;
    ctx->name = name;
    ctx->mode = mode;
    ctx->key_bytes = key_bits / 8;
    ctx->iv_len = mode == EVP_CIPH_GCM_MODE ? GCM_IV_LEN : AES_BLOCK;
    ctx->padding = 1;
    ctx->tag_len = GCM_TAG_MAX;
    if (mode == EVP_CIPH_GCM_MODE && ((ctx->aad = BUF_MEM_new()) == NULL ||
                                      (ctx->message = BUF_MEM_new()) == NULL)) {
        BUF_MEM_free(ctx->aad);
        OPENSSL_free(ctx);
        p11prov_raise(provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    return ctx;
}

static void aes_freectx(void *vctx)
{
    p11prov_aes_ctx *ctx = vctx;

    if (ctx == NULL)
        return;
    p11prov_key_free(ctx->key);
    EVP_CIPHER_CTX_free(ctx->local);
    BUF_MEM_free(ctx->aad);
    BUF_MEM_free(ctx->message);
    OPENSSL_clear_free(ctx, sizeof(*ctx));
}

static BUF_MEM *buf_dup(const BUF_MEM *src)
{
    BUF_MEM *dst = BUF_MEM_new();

    if (dst != NULL && src->length > 0 &&
        BUF_MEM_grow_clean(dst, src->length) == 0) {
        BUF_MEM_free(dst);
        return NULL;
    }
    if (dst != NULL && src->length > 0)
        memcpy(dst->data, src->data, src->length);
    return dst;
}

static void *aes_dupctx(void *vctx)
{
    p11prov_aes_ctx *src = vctx;
    p11prov_aes_ctx *dst = OPENSSL_memdup(src, sizeof(*src));

    if (dst == NULL) {
        p11prov_raise(src->provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    dst->aad = dst->message = NULL;
    dst->local = NULL;
    if (src->local != NULL && ((dst->local = EVP_CIPHER_CTX_new()) == NULL ||
                               !EVP_CIPHER_CTX_copy(dst->local, src->local))) {
        dst->key = NULL;
        aes_freectx(dst);
        p11prov_raise(src->provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    if (src->mode == EVP_CIPH_GCM_MODE &&
        ((dst->aad = buf_dup(src->aad)) == NULL ||
         (dst->message = buf_dup(src->message)) == NULL)) {
        dst->key = NULL;
        aes_freectx(dst);
        p11prov_raise(src->provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    if (dst->key != NULL)
        p11prov_key_ref(dst->key);
    return dst;
}

/* Forgets the data of the previous message (the IV stays). */
static void restart(p11prov_aes_ctx *ctx)
{
    ctx->started = false;
    ctx->counter_used = 0;
    ctx->held_len = 0;
    ctx->tag_ready = false;
    if (ctx->mode == EVP_CIPH_GCM_MODE) {
        OPENSSL_cleanse(ctx->message->data, ctx->message->length);
        ctx->aad->length = ctx->message->length = 0;
    }
}

/* Runs the cipher on the caller's own key bytes in OpenSSL's default
 * provider: nothing of the token is involved. */
static int init_local(p11prov_aes_ctx *ctx, const unsigned char *key,
                      const unsigned char *iv, const OSSL_PARAM params[],
                      bool encrypting)
{
    EVP_CIPHER *cipher = NULL;
    int ok;

    if (key != NULL) {
        cipher = EVP_CIPHER_fetch(ctx->provctx->libctx, ctx->name,
                                  "provider=default");
        EVP_CIPHER_CTX_free(ctx->local);
        ctx->local = EVP_CIPHER_CTX_new();
        p11prov_key_free(ctx->key);
        ctx->key = NULL;
    }
    ok = ctx->local != NULL && (key == NULL || cipher != NULL) &&
         EVP_CipherInit_ex2(ctx->local, cipher, key, iv, encrypting, params);
    EVP_CIPHER_free(cipher);
    if (!ok)
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL,
                      "%s with a key of the caller's in the default provider "
                      "failed",
                      ctx->name);
    return ok;
}

static int init(p11prov_aes_ctx *ctx, const unsigned char *key, size_t keylen,
                const unsigned char *iv, size_t ivlen,
                const OSSL_PARAM params[], bool encrypting)
{
    if (key != NULL && keylen != ctx->key_bytes) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "a key of %zu bytes where %zu are needed", keylen,
                      ctx->key_bytes);
        return 0;
    }
    if (OSSL_PARAM_locate_const(params, P11PROV_CIPHER_PARAM_KEY_URI) != NULL) {
        if (key != NULL) {
            p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                          "key bytes and \"" P11PROV_CIPHER_PARAM_KEY_URI
                          "\": pass one or the other");
            return 0;
        }
        EVP_CIPHER_CTX_free(ctx->local);
        ctx->local = NULL;
    }
    ctx->encrypting = encrypting;
    if (key != NULL || ctx->local != NULL)
        return init_local(ctx, key, iv, params, encrypting);
    restart(ctx);
    if (!aes_set_ctx_params(ctx, params))
        return 0;
    if (iv != NULL) {
        if (ivlen != ctx->iv_len) {
            p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                          "an IV of %zu bytes where %zu are needed", ivlen,
                          ctx->iv_len);
            return 0;
        }
        memcpy(ctx->iv, iv, ivlen);
        ctx->iv_set = true;
    }
    return 1;
}

static int aes_encrypt_init(void *ctx, const unsigned char *key, size_t keylen,
                            const unsigned char *iv, size_t ivlen,
                            const OSSL_PARAM params[])
{
    return init(ctx, key, keylen, iv, ivlen, params, true);
}

static int aes_decrypt_init(void *ctx, const unsigned char *key, size_t keylen,
                            const unsigned char *iv, size_t ivlen,
                            const OSSL_PARAM params[])
{
    return init(ctx, key, keylen, iv, ivlen, params, false);
}

static int ready(p11prov_aes_ctx *ctx)
{
    if (ctx->key == NULL || !ctx->iv_set) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      ctx->key == NULL
                          ? "no key: set the \"" P11PROV_CIPHER_PARAM_KEY_URI
                            "\" parameter"
                          : "no IV set");
        return 0;
    }
    return 1;
}

/* Adds blocks to the low counter_bits of the big-endian counter block. */
/* ---- Update and final ---- */

static int aes_update(void *vctx, unsigned char *out, size_t *outl,
                      size_t outsize, const unsigned char *in, size_t inl)
{
    p11prov_aes_ctx *ctx = vctx;
    int ok, done = 0;

    if (ctx->local != NULL) {
        ok = inl <= INT_MAX &&
             EVP_CipherUpdate(ctx->local, out, &done, in, (int)inl);
        *outl = ok ? (size_t)done : 0;
        return ok;
    }
    if (!ready(ctx))
        return 0;
    if (out == NULL && ctx->mode != EVP_CIPH_GCM_MODE) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT, "no output");
        return 0;
    }
    if (out != NULL &&
        outsize < inl + (ctx->mode == EVP_CIPH_CBC_MODE ? AES_BLOCK - 1 : 0)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BUFFER_SMALL,
                      "%zu bytes of output room for %zu bytes of input",
                      outsize, inl);
        return 0;
    }
    switch (ctx->mode) {
    case EVP_CIPH_GCM_MODE:
        ok = p11prov_aes_gcm_update(ctx, out, outl, in, inl);
        break;
    case EVP_CIPH_CBC_MODE:
        ok = p11prov_aes_cbc_update(ctx, out, outl, in, inl);
        break;
    default:
        ok = p11prov_aes_ctr_update(ctx, out, outl, in, inl);
    }
    ctx->started |= out != NULL;
    return ok;
}

static int aes_final(void *vctx, unsigned char *out, size_t *outl,
                     size_t outsize)
{
    p11prov_aes_ctx *ctx = vctx;
    int done = 0;

    *outl = 0;
    if (ctx->local != NULL) {
        if (!EVP_CipherFinal_ex(ctx->local, out, &done))
            return 0;
        *outl = (size_t)done;
        return 1;
    }
    if (!ready(ctx))
        return 0;
    switch (ctx->mode) {
    case EVP_CIPH_GCM_MODE:
        return p11prov_aes_gcm_final(ctx);
    case EVP_CIPH_CBC_MODE:
        return p11prov_aes_cbc_final(ctx, out, outl, outsize);
    }
    return 1;
}

/* ---- Parameters ---- */

static int set_key_uri(p11prov_aes_ctx *ctx, const OSSL_PARAM *p)
{
    const char *uri;
    p11prov_key *key;

    if (!OSSL_PARAM_get_utf8_string_ptr(p, &uri)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      P11PROV_CIPHER_PARAM_KEY_URI " is not a string");
        return 0;
    }
    key = p11prov_cipher_key_find(ctx->provctx, uri, CKK_AES);
    if (key == NULL)
        return 0;
    if (key->bits != ctx->key_bytes * 8) {
        p11prov_raise(ctx->provctx, P11PROV_R_KEY_USAGE,
                      "%s is a %lu-bit key; the cipher takes %zu bits", uri,
                      (unsigned long)key->bits, ctx->key_bytes * 8);
        p11prov_key_free(key);
        return 0;
    }
    p11prov_key_free(ctx->key);
    ctx->key = key;
    EVP_CIPHER_CTX_free(ctx->local);
    ctx->local = NULL;
    return 1;
}

static int set_tag(p11prov_aes_ctx *ctx, const OSSL_PARAM *p)
{
    size_t len = p->data_size;
    void *tag = ctx->tag;

    if (ctx->mode != EVP_CIPH_GCM_MODE || len == 0 || len > GCM_TAG_MAX ||
        (p->data != NULL && ctx->encrypting)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "bad GCM tag parameter");
        return 0;
    }
    ctx->tag_len = len;
    if (p->data == NULL) /* encrypting: the tag length only */
        return 1;
    if (!OSSL_PARAM_get_octet_string(p, &tag, GCM_TAG_MAX, &len))
        return 0;
    ctx->tag_ready = true;
    return 1;
}

static int aes_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    p11prov_aes_ctx *ctx = vctx;
    const OSSL_PARAM *p;
    size_t number;

    if (params == NULL)
        return 1;
    if (ctx->local != NULL &&
        OSSL_PARAM_locate_const(params, P11PROV_CIPHER_PARAM_KEY_URI) == NULL)
        return EVP_CIPHER_CTX_set_params(ctx->local, params);
    p = OSSL_PARAM_locate_const(params, P11PROV_CIPHER_PARAM_KEY_URI);
    if (p != NULL && !set_key_uri(ctx, p))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_PADDING);
    if (p != NULL && !OSSL_PARAM_get_uint(p, &ctx->padding))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TAG);
    if (p != NULL && !set_tag(ctx, p))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_KEYLEN);
    if (p != NULL &&
        (!OSSL_PARAM_get_size_t(p, &number) || number != ctx->key_bytes)) {
        p11prov_raise(ctx->provctx, P11PROV_R_UNSUPPORTED,
                      "the key length of this cipher is fixed");
        return 0;
    }
    p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_IVLEN);
    if (p != NULL &&
        (!OSSL_PARAM_get_size_t(p, &number) || number != ctx->iv_len)) {
        p11prov_raise(ctx->provctx, P11PROV_R_UNSUPPORTED,
                      "IVs of %zu bytes only", ctx->iv_len);
        return 0;
    }
    return 1;
}

static int aes_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    p11prov_aes_ctx *ctx = vctx;
    OSSL_PARAM *p;

    if (ctx->local != NULL)
        return EVP_CIPHER_CTX_get_params(ctx->local, params);
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN);
    if (p != NULL && !OSSL_PARAM_set_size_t(p, ctx->key_bytes))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN);
    if (p != NULL && !OSSL_PARAM_set_size_t(p, ctx->iv_len))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_PADDING);
    if (p != NULL && !OSSL_PARAM_set_uint(p, ctx->padding))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IV);
    if (p != NULL && !OSSL_PARAM_set_octet_string(p, ctx->iv, ctx->iv_len))
        return 0;
    /* CBC's IV moves on with the data; CTR's is the counter block. */
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_UPDATED_IV);
    if (p != NULL &&
        !OSSL_PARAM_set_octet_string(
            p,
            ctx->mode == EVP_CIPH_CTR_MODE && ctx->started ? ctx->counter
                                                           : ctx->iv,
            ctx->iv_len))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TAGLEN);
    if (p != NULL && !OSSL_PARAM_set_size_t(p, ctx->tag_len))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TAG);
    if (p == NULL)
        return 1;
    if (ctx->mode != EVP_CIPH_GCM_MODE || !ctx->encrypting || !ctx->tag_ready ||
        p->data_size == 0 || p->data_size > ctx->tag_len) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "the GCM tag is there after an encryption's final");
        return 0;
    }
    return OSSL_PARAM_set_octet_string(p, ctx->tag, p->data_size);
}

static const OSSL_PARAM *aes_gettable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
        OSSL_PARAM_uint(OSSL_CIPHER_PARAM_PADDING, NULL),
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_IV, NULL, 0),
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_UPDATED_IV, NULL, 0),
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_AEAD_TAGLEN, NULL),
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

static const OSSL_PARAM *aes_settable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(P11PROV_CIPHER_PARAM_KEY_URI, NULL, 0),
        OSSL_PARAM_uint(OSSL_CIPHER_PARAM_PADDING, NULL),
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, NULL, 0),
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, NULL),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

/* The cipher's fixed properties, read when it is fetched. */
static int aes_get_params(OSSL_PARAM params[], unsigned int mode,
                          size_t key_bits)
{
    bool gcm = mode == EVP_CIPH_GCM_MODE;
    OSSL_PARAM *p;

    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_MODE);
    if (p != NULL && !OSSL_PARAM_set_uint(p, mode))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN);
    if (p != NULL && !OSSL_PARAM_set_size_t(p, key_bits / 8))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN);
    if (p != NULL && !OSSL_PARAM_set_size_t(p, gcm ? GCM_IV_LEN : AES_BLOCK))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_BLOCK_SIZE);
    if (p != NULL &&
        !OSSL_PARAM_set_size_t(p, mode == EVP_CIPH_CBC_MODE ? AES_BLOCK : 1))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD);
    if (p != NULL && !OSSL_PARAM_set_int(p, gcm))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_CUSTOM_IV);
    if (p != NULL && !OSSL_PARAM_set_int(p, gcm))
        return 0;
    return 1;
}

static const OSSL_PARAM *aes_gettable_params(void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_uint(OSSL_CIPHER_PARAM_MODE, NULL),
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
        OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_BLOCK_SIZE, NULL),
        OSSL_PARAM_int(OSSL_CIPHER_PARAM_AEAD, NULL),
        OSSL_PARAM_int(OSSL_CIPHER_PARAM_CUSTOM_IV, NULL),
        OSSL_PARAM_END,
    };

    (void)provctx;
    return params;
}

/* One dispatch table per mode and key size. */
#define AES_CIPHER(name, algorithm, mode, bits)                                \
    static OSSL_FUNC_cipher_newctx_fn name##_newctx;                           \
    static OSSL_FUNC_cipher_get_params_fn name##_get_params;                   \
    static void *name##_newctx(void *provctx)                                  \
    {                                                                          \
        return aes_newctx(provctx, algorithm, mode, bits);                     \
    }                                                                          \
    static int name##_get_params(OSSL_PARAM params[])                          \
    {                                                                          \
        return aes_get_params(params, mode, bits);                             \
    }                                                                          \
    const OSSL_DISPATCH p11prov_##name##_functions[] = {                       \
        {OSSL_FUNC_CIPHER_NEWCTX, (void (*)(void))name##_newctx},              \
        {OSSL_FUNC_CIPHER_FREECTX, (void (*)(void))aes_freectx},               \
        {OSSL_FUNC_CIPHER_DUPCTX, (void (*)(void))aes_dupctx},                 \
        {OSSL_FUNC_CIPHER_ENCRYPT_INIT, (void (*)(void))aes_encrypt_init},     \
        {OSSL_FUNC_CIPHER_DECRYPT_INIT, (void (*)(void))aes_decrypt_init},     \
        {OSSL_FUNC_CIPHER_UPDATE, (void (*)(void))aes_update},                 \
        {OSSL_FUNC_CIPHER_FINAL, (void (*)(void))aes_final},                   \
        {OSSL_FUNC_CIPHER_GET_PARAMS, (void (*)(void))name##_get_params},      \
        {OSSL_FUNC_CIPHER_GETTABLE_PARAMS,                                     \
         (void (*)(void))aes_gettable_params},                                 \
        {OSSL_FUNC_CIPHER_GET_CTX_PARAMS, (void (*)(void))aes_get_ctx_params}, \
        {OSSL_FUNC_CIPHER_GETTABLE_CTX_PARAMS,                                 \
         (void (*)(void))aes_gettable_ctx_params},                             \
        {OSSL_FUNC_CIPHER_SET_CTX_PARAMS, (void (*)(void))aes_set_ctx_params}, \
        {OSSL_FUNC_CIPHER_SETTABLE_CTX_PARAMS,                                 \
         (void (*)(void))aes_settable_ctx_params},                             \
        {0, NULL},                                                             \
    };

AES_CIPHER(aes_128_gcm, "AES-128-GCM", EVP_CIPH_GCM_MODE, 128)
AES_CIPHER(aes_256_gcm, "AES-256-GCM", EVP_CIPH_GCM_MODE, 256)
AES_CIPHER(aes_128_cbc, "AES-128-CBC", EVP_CIPH_CBC_MODE, 128)
AES_CIPHER(aes_256_cbc, "AES-256-CBC", EVP_CIPH_CBC_MODE, 256)
AES_CIPHER(aes_128_ctr, "AES-128-CTR", EVP_CIPH_CTR_MODE, 128)
AES_CIPHER(aes_256_ctr, "AES-256-CTR", EVP_CIPH_CTR_MODE, 256)
