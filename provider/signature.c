/* SPDX-License-Identifier: Apache-2.0 */
/* Signatures: signing on the token, one C_Sign (or C_SignUpdate...
 * C_SignFinal, the token hashing the message) per signature through a
 * borrowed session; verifying locally on the key's public half.
 *
 * A digest-sign in progress holds its session. OpenSSL duplicates a
 * context to finish a digest-sign (EVP_DigestSignFinal), and a token
 * cannot copy an operation in flight: the copy takes the session and the
 * original can go no further. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "signature.h"
#include "kmip/process.h"

/* The digest of a digest-sign or digest-verify that names none. */
#define DEFAULT_DIGEST "SHA256"

void *p11prov_sig_newctx(void *provctx, const p11prov_sig_family *family)
{
    p11prov_sig_ctx *ctx = calloc(1, sizeof(*ctx));

    if (ctx == NULL) {
        p11prov_raise(provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    ctx->provctx = provctx;
    ctx->family = family;
    return ctx;
}

/* Ends a digest-sign that will not be finished. PKCS#11 2.40 cannot
 * cancel an operation, and closing the session logs the token out when it
 * is the token's last: the token finishes the signature, which is dropped,
 * and the session goes back to the pool. A forked child leaves its
 * parent's session alone (p11prov_session_end). */
static void abandon_message(p11prov_sig_ctx *ctx)
{
    CK_ULONG raw_len;
    CK_BYTE *raw;
    CK_RV rv = CKR_OPERATION_ACTIVE;

    if (ctx->session == NULL)
        return;
    if (ctx->session_pid == kmip_process_id()) {
        raw_len = ctx->family->raw_size(ctx);
        raw = malloc(raw_len);
        if (raw != NULL)
            rv = p11prov_call_sign_final(ctx->session, raw, &raw_len,
                                         P11PROV_SITE);
        free(raw);
    }
    /* A failed C_SignFinal ended the operation, but the session may be
     * what failed: it is closed rather than pooled. */
    p11prov_session_end(ctx->session,
                        rv == CKR_OK ? CKR_OK : CKR_OPERATION_ACTIVE);
    ctx->session = NULL;
}

void p11prov_sig_freectx(void *vctx)
{
    p11prov_sig_ctx *ctx = vctx;

    if (ctx == NULL)
        return;
    abandon_message(ctx);
    EVP_MD_CTX_free(ctx->local_md);
    EVP_MD_free(ctx->md);
    EVP_MD_free(ctx->mgf1_md);
    p11prov_key_free(ctx->key);
    free(ctx);
}

void *p11prov_sig_dupctx(void *vctx)
{
    p11prov_sig_ctx *src = vctx;
    p11prov_sig_ctx *dst = malloc(sizeof(*dst));

    if (dst == NULL) {
        p11prov_raise(src->provctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    *dst = *src;
    dst->local_md = NULL;
    if (src->local_md != NULL) {
        dst->local_md = EVP_MD_CTX_new();
        if (dst->local_md == NULL ||
            !EVP_MD_CTX_copy_ex(dst->local_md, src->local_md)) {
            EVP_MD_CTX_free(dst->local_md);
            free(dst);
            p11prov_raise(src->provctx, P11PROV_R_INTERNAL,
                          "cannot copy the digest state");
            return NULL;
        }
    }
    if (dst->md != NULL)
        EVP_MD_up_ref(dst->md);
    if (dst->mgf1_md != NULL)
        EVP_MD_up_ref(dst->mgf1_md);
    if (dst->key != NULL)
        p11prov_key_ref(dst->key);
    if (src->session != NULL) {
        src->session = NULL;
        src->spent = true;
    }
    return dst;
}

int p11prov_sig_set_digest(p11prov_sig_ctx *ctx, const char *name)
{
    EVP_MD *md = NULL;
    const p11prov_digest *digest = NULL;

    if (ctx->session != NULL || ctx->local_md != NULL) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "the digest cannot change while a message is being "
                      "hashed");
        return 0;
    }
    if (name != NULL && name[0] != '\0' &&
        !p11prov_op_fetch_digest(ctx->provctx, name, &md, &digest))
        return 0;
    EVP_MD_free(ctx->md);
    ctx->md = md;
    ctx->digest = digest;
    return 1;
}

int p11prov_sig_set_digest_param(p11prov_sig_ctx *ctx,
                                 const OSSL_PARAM params[])
{
    const OSSL_PARAM *p =
        OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_DIGEST);
    const char *name = NULL;

    if (p == NULL)
        return 1;
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &name)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "the digest parameter is not a string");
        return 0;
    }
    return p11prov_sig_set_digest(ctx, name);
}

int p11prov_sig_get_digest_param(p11prov_sig_ctx *ctx, OSSL_PARAM params[])
{
    OSSL_PARAM *p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_DIGEST);

    if (p == NULL)
        return 1;
    return OSSL_PARAM_set_utf8_string(
        p, ctx->md != NULL ? EVP_MD_get0_name(ctx->md) : "");
}

int p11prov_sig_get_algorithm_id(OSSL_PARAM params[], X509_ALGOR *algorithm)
{
    OSSL_PARAM *p =
        OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_ALGORITHM_ID);
    unsigned char *der = NULL;
    int der_len, ok;

    if (p == NULL)
        return 1;
    if (algorithm == NULL)
        return 0;
    der_len = i2d_X509_ALGOR(algorithm, &der);
    if (der_len <= 0)
        return 0;
    ok = OSSL_PARAM_set_octet_string(p, der, (size_t)der_len);
    OPENSSL_free(der);
    return ok;
}

/* Starts an operation on key: sign (on the token) or verify (locally). */
static int init(p11prov_sig_ctx *ctx, void *provkey, int operation)
{
    p11prov_key *key = provkey;
    bool signing = operation == EVP_PKEY_OP_SIGN;

    abandon_message(ctx);
    ctx->spent = false;
    EVP_MD_CTX_free(ctx->local_md);
    ctx->local_md = NULL;
    if (key == NULL)
        key = ctx->key;
    if (!p11prov_op_key_check(ctx->provctx, key, ctx->family->key_type, signing,
                              signing ? "signing" : "verifying"))
        return 0;
    if (key != ctx->key) {
        p11prov_key_ref(key);
        p11prov_key_free(ctx->key);
        ctx->key = key;
    }
    ctx->operation = operation;
    return 1;
}

int p11prov_sig_sign_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;

    return init(ctx, provkey, EVP_PKEY_OP_SIGN) &&
           ctx->family->init(ctx, params);
}

int p11prov_sig_verify_init(void *vctx, void *provkey,
                            const OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;

    return init(ctx, provkey, EVP_PKEY_OP_VERIFY) &&
           ctx->family->init(ctx, params);
}

/* Answers a size query, or checks that sig can hold any signature. */
static int check_output(p11prov_sig_ctx *ctx, const unsigned char *sig,
                        size_t *siglen, size_t sigsize)
{
    size_t max = ctx->family->max_size(ctx);

    if (sig == NULL) {
        *siglen = max;
        return 1;
    }
    if (sigsize < max) {
        p11prov_raise(ctx->provctx, P11PROV_R_BUFFER_SMALL,
                      "a signature needs %zu bytes, the buffer has %zu", max,
                      sigsize);
        return 0;
    }
    return 1;
}

/* Puts the token's signature raw into sig in OpenSSL's form. */
static int deliver(p11prov_sig_ctx *ctx, const CK_BYTE *raw, CK_ULONG raw_len,
                   unsigned char *sig, size_t *siglen, size_t sigsize)
{
    if (ctx->family->encode_signature != NULL)
        return ctx->family->encode_signature(ctx, raw, raw_len, sig, siglen,
                                             sigsize);
    if (raw_len > sigsize) {
        p11prov_raise(ctx->provctx, P11PROV_R_BUFFER_SMALL,
                      "the token's signature has %lu bytes, the buffer %zu",
                      (unsigned long)raw_len, sigsize);
        return 0;
    }
    memcpy(sig, raw, raw_len);
    *siglen = raw_len;
    return 1;
}

/* Starts the token signing with mech on a session borrowed into
 * ctx->session. Returns 1 when started, -1 when the token has no such
 * mechanism (nothing raised, no session held), 0 on another error. */
static int begin(p11prov_sig_ctx *ctx, CK_MECHANISM *mech)
{
    CK_RV rv;

    ctx->session = p11prov_op_session(ctx->key);
    if (ctx->session == NULL)
        return 0;
    ctx->session_pid = kmip_process_id();
    rv = p11prov_call_sign_init(ctx->session, mech, ctx->key->handle,
                                P11PROV_SITE);
    if (rv == CKR_OK)
        return 1;
    p11prov_session_end(ctx->session, rv);
    ctx->session = NULL;
    if (rv == CKR_MECHANISM_INVALID)
        return -1;
    p11prov_op_raise(ctx->key, rv, "starting a signature");
    return 0;
}

/* Finishes the signature begun on ctx->session: C_Sign of the whole
 * input in when one_shot, else C_SignFinal. Gives the session back. */
static int finish(p11prov_sig_ctx *ctx, bool one_shot, const unsigned char *in,
                  size_t inlen, unsigned char *sig, size_t *siglen,
                  size_t sigsize)
{
    CK_ULONG raw_len = ctx->family->raw_size(ctx);
    CK_BYTE *raw = malloc(raw_len);
    CK_RV rv;
    int ok = 0;

    if (raw == NULL) {
        abandon_message(ctx);
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL, "out of memory");
        return 0;
    }
    rv = one_shot ? p11prov_call_sign(ctx->session, in, inlen, raw, &raw_len,
                                      P11PROV_SITE)
                  : p11prov_call_sign_final(ctx->session, raw, &raw_len,
                                            P11PROV_SITE);
    p11prov_session_end(ctx->session, rv);
    ctx->session = NULL;
    if (rv == CKR_OK)
        ok = deliver(ctx, raw, raw_len, sig, siglen, sigsize);
    else
        p11prov_op_raise(ctx->key, rv, "signing");
    free(raw);
    return ok;
}

/* Signs a pre-hashed input (a digest when one is set) in one C_Sign. */
static int sign_digest(p11prov_sig_ctx *ctx, const unsigned char *tbs,
                       size_t tbslen, unsigned char *sig, size_t *siglen,
                       size_t sigsize)
{
    const unsigned char *encoded = tbs;
    unsigned char *owned = NULL;
    size_t encoded_len = tbslen;
    CK_MECHANISM mech;
    int ok;

    if (ctx->md != NULL && tbslen != (size_t)EVP_MD_get_size(ctx->md)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "an input of %zu bytes is not a %s digest", tbslen,
                      EVP_MD_get0_name(ctx->md));
        return 0;
    }
    if (!ctx->family->mechanism(ctx, false, &mech))
        return 0;
    if (ctx->family->encode_input != NULL &&
        !ctx->family->encode_input(ctx, tbs, tbslen, &encoded, &encoded_len,
                                   &owned))
        return 0;
    ok = begin(ctx, &mech);
    if (ok < 0)
        p11prov_op_raise(ctx->key, CKR_MECHANISM_INVALID, "signing");
    ok =
        ok > 0 && finish(ctx, true, encoded, encoded_len, sig, siglen, sigsize);
    OPENSSL_free(owned);
    return ok;
}

int p11prov_sig_sign(void *vctx, unsigned char *sig, size_t *siglen,
                     size_t sigsize, const unsigned char *tbs, size_t tbslen)
{
    p11prov_sig_ctx *ctx = vctx;

    if (ctx->operation != EVP_PKEY_OP_SIGN) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "sign called on a context not initialised to sign");
        return 0;
    }
    if (!check_output(ctx, sig, siglen, sigsize))
        return 0;
    return sig == NULL || sign_digest(ctx, tbs, tbslen, sig, siglen, sigsize);
}

/* Sets the digest of a digest-sign or digest-verify: mdname, else the
 * one set before, else the default. */
static int init_digest(p11prov_sig_ctx *ctx, const char *mdname)
{
    if (mdname != NULL && mdname[0] != '\0')
        return p11prov_sig_set_digest(ctx, mdname);
    if (ctx->md != NULL)
        return 1;
    return p11prov_sig_set_digest(ctx, DEFAULT_DIGEST);
}

/* Starts hashing the message locally. */
static int start_local_digest(p11prov_sig_ctx *ctx)
{
    ctx->local_md = EVP_MD_CTX_new();
    if (ctx->local_md == NULL ||
        !EVP_DigestInit_ex2(ctx->local_md, ctx->md, NULL)) {
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL,
                      "cannot start a %s digest", EVP_MD_get0_name(ctx->md));
        return 0;
    }
    return 1;
}

int p11prov_sig_digest_sign_init(void *vctx, const char *mdname, void *provkey,
                                 const OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;

    return init(ctx, provkey, EVP_PKEY_OP_SIGN) && init_digest(ctx, mdname) &&
           ctx->family->init(ctx, params);
}

static int check_not_spent(p11prov_sig_ctx *ctx)
{
    if (ctx->operation != EVP_PKEY_OP_SIGN || ctx->spent) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      ctx->spent ? "this digest-sign was finished by a "
                                   "copy of its context"
                                 : "the context is not initialised to sign");
        return 0;
    }
    return 1;
}

/* Starts a digest-sign, once per signature: the token hashes the message,
 * or, when it has no mechanism for that, the message is hashed locally
 * and the token signs the digest. */
static int start_message(p11prov_sig_ctx *ctx)
{
    CK_MECHANISM mech;
    int started;

    if (ctx->session != NULL || ctx->local_md != NULL)
        return 1;
    if (!ctx->family->mechanism(ctx, true, &mech))
        return 0;
    started = begin(ctx, &mech);
    return started < 0 ? start_local_digest(ctx) : started;
}

/* Signs the digest of the message hashed locally. */
static int sign_local_digest(p11prov_sig_ctx *ctx, unsigned char *sig,
                             size_t *siglen, size_t sigsize)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len;
    int ok = EVP_DigestFinal_ex(ctx->local_md, digest, &digest_len);

    EVP_MD_CTX_free(ctx->local_md);
    ctx->local_md = NULL;
    return ok && sign_digest(ctx, digest, digest_len, sig, siglen, sigsize);
}

int p11prov_sig_digest_sign_update(void *vctx, const unsigned char *data,
                                   size_t datalen)
{
    p11prov_sig_ctx *ctx = vctx;
    CK_RV rv;

    if (!check_not_spent(ctx) || !start_message(ctx))
        return 0;
    if (ctx->local_md != NULL)
        return EVP_DigestUpdate(ctx->local_md, data, datalen);
    rv = p11prov_call_sign_update(ctx->session, data, datalen, P11PROV_SITE);
    if (rv != CKR_OK) {
        p11prov_session_end(ctx->session, rv);
        ctx->session = NULL;
        p11prov_op_raise(ctx->key, rv, "hashing a message to sign");
        return 0;
    }
    return 1;
}

int p11prov_sig_digest_sign_final(void *vctx, unsigned char *sig,
                                  size_t *siglen, size_t sigsize)
{
    p11prov_sig_ctx *ctx = vctx;

    if (!check_not_spent(ctx) || !check_output(ctx, sig, siglen, sigsize))
        return 0;
    if (sig == NULL)
        return 1;
    if (!start_message(ctx))
        return 0;
    if (ctx->local_md != NULL)
        return sign_local_digest(ctx, sig, siglen, sigsize);
    return finish(ctx, false, NULL, 0, sig, siglen, sigsize);
}

int p11prov_sig_digest_sign(void *vctx, unsigned char *sig, size_t *siglen,
                            size_t sigsize, const unsigned char *tbs,
                            size_t tbslen)
{
    p11prov_sig_ctx *ctx = vctx;

    if (!check_not_spent(ctx) || !check_output(ctx, sig, siglen, sigsize))
        return 0;
    if (sig == NULL)
        return 1;
    if (ctx->session != NULL || ctx->local_md != NULL) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "a one-shot digest-sign after digest-sign updates");
        return 0;
    }
    if (!start_message(ctx))
        return 0;
    if (ctx->local_md != NULL)
        return EVP_DigestUpdate(ctx->local_md, tbs, tbslen) &&
               sign_local_digest(ctx, sig, siglen, sigsize);
    return finish(ctx, true, tbs, tbslen, sig, siglen, sigsize);
}

/* Verifies sig over the digest (or raw input) tbs on the public half. */
static int verify_locally(p11prov_sig_ctx *ctx, const unsigned char *sig,
                          size_t siglen, const unsigned char *tbs,
                          size_t tbslen)
{
    EVP_PKEY_CTX *verifier = EVP_PKEY_CTX_new_from_pkey(
        ctx->provctx->libctx, ctx->key->public_key, P11PROV_INTERNAL_PROPQ);
    int ok = verifier != NULL && EVP_PKEY_verify_init(verifier) == 1 &&
             (ctx->md == NULL ||
              EVP_PKEY_CTX_set_signature_md(verifier, ctx->md) == 1) &&
             (ctx->family->verify_params == NULL ||
              ctx->family->verify_params(ctx, verifier)) &&
             EVP_PKEY_verify(verifier, sig, siglen, tbs, tbslen) == 1;

    EVP_PKEY_CTX_free(verifier);
    return ok;
}

int p11prov_sig_verify(void *vctx, const unsigned char *sig, size_t siglen,
                       const unsigned char *tbs, size_t tbslen)
{
    p11prov_sig_ctx *ctx = vctx;

    if (ctx->operation != EVP_PKEY_OP_VERIFY) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "verify called on a context not initialised to "
                      "verify");
        return 0;
    }
    return verify_locally(ctx, sig, siglen, tbs, tbslen);
}

int p11prov_sig_digest_verify_init(void *vctx, const char *mdname,
                                   void *provkey, const OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;

    if (!init(ctx, provkey, EVP_PKEY_OP_VERIFY) || !init_digest(ctx, mdname) ||
        !ctx->family->init(ctx, params))
        return 0;
    return start_local_digest(ctx);
}

int p11prov_sig_digest_verify_update(void *vctx, const unsigned char *data,
                                     size_t datalen)
{
    p11prov_sig_ctx *ctx = vctx;

    return ctx->local_md != NULL &&
           EVP_DigestUpdate(ctx->local_md, data, datalen);
}

int p11prov_sig_digest_verify_final(void *vctx, const unsigned char *sig,
                                    size_t siglen)
{
    p11prov_sig_ctx *ctx = vctx;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len;

    return ctx->local_md != NULL &&
           EVP_DigestFinal_ex(ctx->local_md, digest, &digest_len) &&
           verify_locally(ctx, sig, siglen, digest, digest_len);
}
