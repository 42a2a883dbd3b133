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
} digest_ctx;

static void digest_ctx_free(void *opaque)
{
    digest_ctx *ctx = opaque;
    if (ctx == NULL)
        return;
    EVP_MD_CTX_free(ctx->md);
    free(ctx);
}

static CK_RV digest_init(p11_session *session, CK_MECHANISM_PTR mechanism,
                         CK_OBJECT_HANDLE no_key)
{
    (void)no_key;
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

/* C_Digest and C_DigestFinal (no data: the parts went to ctx->md). */
static CK_RV digest_finish(p11_session *session, p11_operation *op,
                           const uint8_t *data, size_t len, CK_BYTE_PTR out,
                           CK_ULONG_PTR out_len, bool *keep)
{
    digest_ctx *ctx = op->ctx;
    (void)session;
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

static CK_RV digest_update(p11_session *session, p11_operation *op,
                           const uint8_t *part, size_t len)
{
    digest_ctx *ctx = op->ctx;
    (void)session;
    if (len > 0 && EVP_DigestUpdate(ctx->md, part, len) != 1)
        return CKR_GENERAL_ERROR;
    return CKR_OK;
}

P11_EXPORT CK_RV C_DigestInit(CK_SESSION_HANDLE hSession,
                              CK_MECHANISM_PTR pMechanism)
{
    return p11_op_init_call(hSession, pMechanism, CK_INVALID_HANDLE,
                            digest_init);
}

P11_EXPORT CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                          CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
                          CK_ULONG_PTR pulDigestLen)
{
    return p11_op_output_call(hSession, P11_OP_DIGEST, false, pData, ulDataLen,
                              pDigest, pulDigestLen, digest_finish);
}

P11_EXPORT CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                CK_ULONG ulPartLen)
{
    return p11_op_update_call(hSession, P11_OP_DIGEST, pPart, ulPartLen,
                              digest_update);
}

P11_EXPORT CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,
                               CK_ULONG_PTR pulDigestLen)
{
    return p11_op_output_call(hSession, P11_OP_DIGEST, true, NULL, 0, pDigest,
                              pulDigestLen, digest_finish);
}
