/* SPDX-License-Identifier: Apache-2.0 */
/* C_DecryptInit, C_Decrypt, C_DecryptUpdate, C_DecryptFinal: one KMIP
 * Decrypt on the server (RSA PKCS#1 v1.5 and OAEP, AES ECB, CBC, CBC-PAD,
 * CTR, GCM with the tag at the end of the ciphertext). Where only an upper
 * bound of the plaintext length is known before the request (RSA,
 * CBC-PAD), the plaintext is kept after a too-small buffer so that the
 * retry needs no second request. Multi-part ECB, CBC, CBC-PAD and CTR
 * stream (cipher_stream.c), and GCM over the server's KMIP stream, which
 * C_DecryptFinal ends with the tag, where the server has one; RSA input,
 * and GCM input elsewhere, is gathered and decrypted by C_DecryptFinal. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto_ops.h"
#include "kmip/tags.h"

#define AES_BLOCK 16

typedef struct decrypt_ctx {
    p11_kmip_params params;
    uint8_t *plaintext; /* the server's answer, kept for a retry */
    size_t plaintext_len;
} decrypt_ctx;

static void decrypt_ctx_free(void *opaque)
{
    decrypt_ctx *ctx = opaque;
    if (ctx == NULL)
        return;
    p11_kmip_params_clear(&ctx->params);
    kmip_buffer_free(ctx->plaintext, ctx->plaintext_len);
    free(ctx);
}

static CK_RV decrypt_init(p11_session *session, CK_MECHANISM_PTR mechanism,
                          CK_OBJECT_HANDLE key)
{
    p11_object *object;
    CK_RV rv = p11_op_key(session, P11_OP_DECRYPT, mechanism, CKF_DECRYPT, key,
                          CKO_PRIVATE_KEY, CKA_DECRYPT, &object);
    if (rv == CKR_OK)
        rv = p11_session_check_login(session);
    if (rv != CKR_OK)
        return rv;
    decrypt_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return CKR_HOST_MEMORY;
    rv = p11_kmip_params_from_mechanism(mechanism, &ctx->params);
    if (rv != CKR_OK) {
        decrypt_ctx_free(ctx);
        return rv;
    }
    p11_op_start(session, P11_OP_DECRYPT, mechanism->mechanism, object, ctx,
                 decrypt_ctx_free);
    return CKR_OK;
}

/* The plaintext length for len bytes of ciphertext: exact, or an upper
 * bound (*exact false); CKR_ENCRYPTED_DATA_LEN_RANGE for a ciphertext the
 * mechanism cannot have made. */
static CK_RV plaintext_length(const decrypt_ctx *ctx, const p11_object *key,
                              size_t len, size_t *out, bool *exact)
{
    const p11_kmip_params *p = &ctx->params;
    *exact = true;
    *out = len;
    if (p->mech->key_type == CKK_RSA) {
        *exact = p->padding == KMIP_PADDING_METHOD_NONE; /* raw: k bytes */
        return len == p11_key_bytes(key) ? CKR_OK
                                         : CKR_ENCRYPTED_DATA_LEN_RANGE;
    }
    switch (p->mode) {
    case KMIP_BLOCK_CIPHER_MODE_CBC:
    case KMIP_BLOCK_CIPHER_MODE_ECB:
        /* Padded CBC is at least one block: the plaintext is shorter. */
        *exact = p->padding != KMIP_PADDING_METHOD_PKCS5;
        return len % AES_BLOCK == 0 && (*exact || len > 0)
                   ? CKR_OK
                   : CKR_ENCRYPTED_DATA_LEN_RANGE;
    case KMIP_BLOCK_CIPHER_MODE_GCM:
        if (len < (size_t)p->tag_length)
            return CKR_ENCRYPTED_DATA_LEN_RANGE;
        *out = len - (size_t)p->tag_length;
        return CKR_OK;
    default:
        return CKR_OK;
    }
}

/* C_Decrypt and C_DecryptFinal. */
static CK_RV decrypt_finish(p11_session *session, p11_operation *op,
                            const uint8_t *in, size_t len, CK_BYTE_PTR out,
                            CK_ULONG_PTR out_len, bool *keep)
{
    decrypt_ctx *ctx = op->ctx;
    if (op->stream.len > 0)
        return p11_op_stream_final(session, op, false, out, out_len, keep);
    size_t needed;
    bool exact;
    CK_RV rv = plaintext_length(ctx, op->key_object, len, &needed, &exact);
    if (rv != CKR_OK)
        return rv;
    if (ctx->plaintext != NULL) {
        needed = ctx->plaintext_len;
        exact = true;
    }
    /* An upper bound may still be more than the plaintext: a buffer below
     * it is only known to be short once the server has answered. */
    if (out == NULL || exact) {
        rv = p11_output_check(out, out_len, needed, keep);
        if (*keep)
            return rv;
    }
    if (ctx->plaintext == NULL && exact && needed == 0) {
        *out_len = 0; /* nothing left of a stream: no request */
        return CKR_OK;
    }
    if (ctx->plaintext == NULL) {
        rv = p11_kmip_decrypt(session, op->key_object, &ctx->params, in, len,
                              &ctx->plaintext, &ctx->plaintext_len)
                 .rv;
        if (rv != CKR_OK)
            return rv;
        if (ctx->plaintext_len > needed)
            return CKR_DEVICE_ERROR;
    }
    rv = p11_output_check(out, out_len, ctx->plaintext_len, keep);
    if (!*keep)
        p11_output_copy(out, out_len, ctx->plaintext, ctx->plaintext_len);
    return rv;
}

P11_EXPORT CK_RV C_DecryptInit(CK_SESSION_HANDLE hSession,
                               CK_MECHANISM_PTR pMechanism,
                               CK_OBJECT_HANDLE hKey)
{
    return p11_op_init_call(hSession, pMechanism, hKey, decrypt_init);
}

P11_EXPORT CK_RV C_Decrypt(CK_SESSION_HANDLE hSession,
                           CK_BYTE_PTR pEncryptedData,
                           CK_ULONG ulEncryptedDataLen, CK_BYTE_PTR pData,
                           CK_ULONG_PTR pulDataLen)
{
    return p11_op_output_call(hSession, P11_OP_DECRYPT, false, pEncryptedData,
                              ulEncryptedDataLen, pData, pulDataLen,
                              decrypt_finish);
}

P11_EXPORT CK_RV C_DecryptUpdate(CK_SESSION_HANDLE hSession,
                                 CK_BYTE_PTR pEncryptedPart,
                                 CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                 CK_ULONG_PTR pulPartLen)
{
    return p11_op_stream_call(hSession, P11_OP_DECRYPT, pEncryptedPart,
                              ulEncryptedPartLen, pPart, pulPartLen);
}

P11_EXPORT CK_RV C_DecryptFinal(CK_SESSION_HANDLE hSession,
                                CK_BYTE_PTR pLastPart,
                                CK_ULONG_PTR pulLastPartLen)
{
    return p11_op_output_call(hSession, P11_OP_DECRYPT, true, NULL, 0,
                              pLastPart, pulLastPartLen, decrypt_finish);
}
