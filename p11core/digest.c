/* SPDX-License-Identifier: Apache-2.0 */
/* C_DigestInit, C_Digest, C_DigestUpdate, C_DigestFinal: SHA-1 and SHA-2,
 * locally with OpenSSL. (C_DigestKey is not supported: the keys stay on
 * the server.) */
#include <stdlib.h>

#include <openssl/evp.h>

#include "crypto_ops.h"

typedef struct digest_ctx {
    EVP_MD_CTX *md;
    size_t length;
    bool multipart;
} digest_ctx;

static void digest_ctx_free(void *opaque)
{
    digest_ctx *ctx = opaque;
    if (ctx == NULL)
        return;
    EVP_MD_CTX_free(ctx->md);
    free(ctx);
}

static CK_RV digest_init(p11_session *session, const CK_MECHANISM *mechanism)
{
    if (session->ops[P11_OP_DIGEST].active)
        return CKR_OPERATION_ACTIVE;
    const p11_hash *hash = p11_hash_by_mechanism(mechanism->mechanism);
    if (hash == NULL)
        return CKR_MECHANISM_INVALID;
    if (mechanism->pParameter != NULL || mechanism->ulParameterLen != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    digest_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return CKR_HOST_MEMORY;
    ctx->length = hash->length;
    ctx->md = EVP_MD_CTX_new();
    if (ctx->md == NULL ||
        EVP_DigestInit_ex2(ctx->md, EVP_get_digestbyname(hash->ossl_name),
                           NULL) != 1) {
        digest_ctx_free(ctx);
        return CKR_HOST_MEMORY;
    }
    p11_op_start(session, P11_OP_DIGEST, mechanism->mechanism, NULL, ctx,
                 digest_ctx_free);
    return CKR_OK;
}

/* C_Digest (with its data) and C_DigestFinal (len 0): a length query or a
 * short buffer keeps the operation. Sets *keep accordingly. */
static CK_RV digest_finish(digest_ctx *ctx, const uint8_t *data, size_t len,
                           CK_BYTE_PTR out, CK_ULONG_PTR out_len, bool *keep)
{
    CK_RV rv = p11_output_check(out, out_len, ctx->length, keep);
    if (*keep)
        return rv;
    unsigned written = 0;
    if (EVP_DigestUpdate(ctx->md, data, len) != 1 ||
        EVP_DigestFinal_ex(ctx->md, out, &written) != 1)
        return CKR_GENERAL_ERROR;
    *out_len = written;
    return CKR_OK;
}

P11_EXPORT CK_RV C_DigestInit(CK_SESSION_HANDLE hSession,
                              CK_MECHANISM_PTR pMechanism)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);
    if (rv != CKR_OK)
        return rv;
    rv = pMechanism == NULL ? CKR_ARGUMENTS_BAD
                            : digest_init(session, pMechanism);
    p11_session_release(session);
    return rv;
}

static CK_RV digest_entry(CK_SESSION_HANDLE handle, const uint8_t *data,
                          size_t len, bool final, CK_BYTE_PTR out,
                          CK_ULONG_PTR out_len)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(handle, &session);
    if (rv != CKR_OK)
        return rv;
    p11_operation *op = p11_op_active(session, P11_OP_DIGEST);
    if (op == NULL) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (!final && data == NULL && len > 0) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (!final && ((digest_ctx *)op->ctx)->multipart) {
        rv = CKR_OPERATION_ACTIVE;
    } else {
        bool keep;
        rv = digest_finish(op->ctx, data, len, out, out_len, &keep);
        if (!keep)
            p11_operation_end(op);
    }
    p11_session_release(session);
    return rv;
}

P11_EXPORT CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                          CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
                          CK_ULONG_PTR pulDigestLen)
{
    return digest_entry(hSession, pData, ulDataLen, false, pDigest,
                        pulDigestLen);
}

P11_EXPORT CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                CK_ULONG ulPartLen)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);
    if (rv != CKR_OK)
        return rv;
    p11_operation *op = p11_op_active(session, P11_OP_DIGEST);
    if (op == NULL) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (pPart == NULL && ulPartLen > 0) {
        rv = CKR_ARGUMENTS_BAD;
    } else {
        digest_ctx *ctx = op->ctx;
        ctx->multipart = true;
        if (ulPartLen > 0 && EVP_DigestUpdate(ctx->md, pPart, ulPartLen) != 1)
            rv = CKR_GENERAL_ERROR;
        if (rv != CKR_OK)
            p11_operation_end(op);
    }
    p11_session_release(session);
    return rv;
}

P11_EXPORT CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,
                               CK_ULONG_PTR pulDigestLen)
{
    return digest_entry(hSession, NULL, 0, true, pDigest, pulDigestLen);
}
