/* SPDX-License-Identifier: Apache-2.0 */
/* C_EncryptInit, C_Encrypt, C_EncryptUpdate, C_EncryptFinal. With an RSA
 * public key, locally (PKCS#1 v1.5, OAEP); with an AES key, one KMIP
 * Encrypt on the server, the GCM tag appended to the ciphertext. Multi-part
 * ECB, CBC, CBC-PAD and CTR stream (cipher_stream.c): C_EncryptFinal
 * encrypts what is left; GCM streams over the server's KMIP stream, which
 * C_EncryptFinal ends, where the server has one; RSA input, and GCM input
 * elsewhere, is gathered and encrypted by C_EncryptFinal. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto_ops.h"
#include "kmip/tags.h"

#define AES_BLOCK 16

typedef struct encrypt_ctx {
    p11_kmip_params params;
} encrypt_ctx;

static void encrypt_ctx_free(void *opaque)
{
    encrypt_ctx *ctx = opaque;
    if (ctx == NULL)
        return;
    p11_kmip_params_clear(&ctx->params);
    free(ctx);
}

static bool is_rsa(const encrypt_ctx *ctx)
{
    return ctx->params.mech->key_type == CKK_RSA;
}

static CK_RV encrypt_init(p11_session *session, CK_MECHANISM_PTR mechanism,
                          CK_OBJECT_HANDLE key)
{
    p11_object *object;
    CK_RV rv = p11_op_key(session, P11_OP_ENCRYPT, mechanism, CKF_ENCRYPT, key,
                          CKO_PUBLIC_KEY, CKA_ENCRYPT, &object);
    if (rv != CKR_OK)
        return rv;
    encrypt_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return CKR_HOST_MEMORY;
    rv = p11_kmip_params_from_mechanism(mechanism, &ctx->params);
    if (rv == CKR_OK && is_rsa(ctx) && object->public_key == NULL)
        rv = CKR_KEY_FUNCTION_NOT_PERMITTED;
    if (rv == CKR_OK && !is_rsa(ctx))
        rv = p11_session_check_login(session);
    if (rv != CKR_OK) {
        encrypt_ctx_free(ctx);
        return rv;
    }
    p11_op_start(session, P11_OP_ENCRYPT, mechanism->mechanism, object, ctx,
                 encrypt_ctx_free);
    return CKR_OK;
}

/* The ciphertext length for len bytes of plaintext, or CKR_DATA_LEN_RANGE
 * for an input the mechanism cannot take. */
static CK_RV ciphertext_length(const encrypt_ctx *ctx, const p11_object *key,
                               size_t len, size_t *out)
{
    const p11_kmip_params *p = &ctx->params;
    size_t k = p11_key_bytes(key);
    if (p->padding == KMIP_PADDING_METHOD_OAEP) {
        size_t hash_len = p11_hash_by_kmip(p->hash)->length;
        *out = k;
        return len + 2 * hash_len + 2 <= k ? CKR_OK : CKR_DATA_LEN_RANGE;
    }
    if (is_rsa(ctx)) {
        *out = k;
        return len + 11 <= k ? CKR_OK : CKR_DATA_LEN_RANGE;
    }
    switch (p->mode) {
    case KMIP_BLOCK_CIPHER_MODE_CBC:
    case KMIP_BLOCK_CIPHER_MODE_ECB:
        if (p->padding == KMIP_PADDING_METHOD_PKCS5) {
            *out = (len / AES_BLOCK + 1) * AES_BLOCK;
            return CKR_OK;
        }
        *out = len;
        return len % AES_BLOCK == 0 ? CKR_OK : CKR_DATA_LEN_RANGE;
    case KMIP_BLOCK_CIPHER_MODE_GCM:
        *out = len + (size_t)p->tag_length;
        return CKR_OK;
    default:
        *out = len;
        return CKR_OK;
    }
}

/* The label goes to OpenSSL as a copy it owns once accepted. */
static bool set_oaep_label(EVP_PKEY_CTX *pkey_ctx, const p11_kmip_params *p)
{
    if (p->p_source_len == 0)
        return true;
    uint8_t *label = OPENSSL_memdup(p->p_source, p->p_source_len);
    if (label == NULL)
        return false;
    if (EVP_PKEY_CTX_set0_rsa_oaep_label(pkey_ctx, label,
                                         (int)p->p_source_len) > 0)
        return true;
    OPENSSL_free(label);
    return false;
}

static bool configure_padding(EVP_PKEY_CTX *pkey_ctx, const p11_kmip_params *p)
{
    if (p->padding != KMIP_PADDING_METHOD_OAEP)
        return EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) > 0;
    const char *hash = p11_hash_by_kmip(p->hash)->ossl_name;
    const char *mgf = p11_hash_by_kmip(p->mask_generator_hash)->ossl_name;
    return EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_oaep_md_name(pkey_ctx, hash, NULL) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md_name(pkey_ctx, mgf, NULL) > 0 &&
           set_oaep_label(pkey_ctx, p);
}

static CK_RV encrypt_locally(const encrypt_ctx *ctx, EVP_PKEY *key,
                             const uint8_t *in, size_t len, uint8_t *out,
                             size_t *out_len)
{
    EVP_PKEY_CTX *pkey_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    int ok = pkey_ctx != NULL && EVP_PKEY_encrypt_init(pkey_ctx) == 1 &&
             configure_padding(pkey_ctx, &ctx->params) &&
             EVP_PKEY_encrypt(pkey_ctx, out, out_len, in, len) == 1;
    EVP_PKEY_CTX_free(pkey_ctx);
    ERR_clear_error();
    return ok ? CKR_OK : CKR_FUNCTION_FAILED;
}

/* Encrypts the whole input into out (room for the ciphertext_length). */
static CK_RV encrypt_whole(p11_session *session, encrypt_ctx *ctx,
                           const p11_object *key, const uint8_t *in, size_t len,
                           CK_BYTE_PTR out, CK_ULONG_PTR out_len,
                           size_t expected)
{
    if (is_rsa(ctx)) {
        size_t written = expected;
        CK_RV rv =
            encrypt_locally(ctx, key->public_key, in, len, out, &written);
        if (rv == CKR_OK)
            *out_len = written;
        return rv;
    }
    if (expected == 0) { /* nothing left of a stream: no request */
        *out_len = 0;
        return CKR_OK;
    }
    uint8_t *ciphertext = NULL;
    size_t ciphertext_len = 0;
    CK_RV rv = p11_kmip_encrypt(session, key, &ctx->params, in, len,
                                &ciphertext, &ciphertext_len)
                   .rv;
    if (rv == CKR_OK && ciphertext_len != expected)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        p11_output_copy(out, out_len, ciphertext, ciphertext_len);
    free(ciphertext);
    return rv;
}

/* C_Encrypt and C_EncryptFinal. */
static CK_RV encrypt_finish(p11_session *session, p11_operation *op,
                            const uint8_t *in, size_t len, CK_BYTE_PTR out,
                            CK_ULONG_PTR out_len, bool *keep)
{
    encrypt_ctx *ctx = op->ctx;
    if (op->stream.len > 0)
        return p11_op_stream_final(session, op, true, out, out_len, keep);
    size_t expected;
    CK_RV rv = ciphertext_length(ctx, op->key_object, len, &expected);
    if (rv == CKR_OK)
        rv = p11_output_check(out, out_len, expected, keep);
    if (*keep || rv != CKR_OK)
        return rv;
    return encrypt_whole(session, ctx, op->key_object, in, len, out, out_len,
                         expected);
}

P11_EXPORT CK_RV C_EncryptInit(CK_SESSION_HANDLE hSession,
                               CK_MECHANISM_PTR pMechanism,
                               CK_OBJECT_HANDLE hKey)
{
    return p11_op_init_call(hSession, pMechanism, hKey, encrypt_init);
}

P11_EXPORT CK_RV C_Encrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                           CK_ULONG ulDataLen, CK_BYTE_PTR pEncryptedData,
                           CK_ULONG_PTR pulEncryptedDataLen)
{
    return p11_op_output_call(hSession, P11_OP_ENCRYPT, false, pData, ulDataLen,
                              pEncryptedData, pulEncryptedDataLen,
                              encrypt_finish);
}

P11_EXPORT CK_RV C_EncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                 CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                 CK_ULONG_PTR pulEncryptedPartLen)
{
    return p11_op_stream_call(hSession, P11_OP_ENCRYPT, pPart, ulPartLen,
                              pEncryptedPart, pulEncryptedPartLen);
}

P11_EXPORT CK_RV C_EncryptFinal(CK_SESSION_HANDLE hSession,
                                CK_BYTE_PTR pLastEncryptedPart,
                                CK_ULONG_PTR pulLastEncryptedPartLen)
{
    return p11_op_output_call(hSession, P11_OP_ENCRYPT, true, NULL, 0,
                              pLastEncryptedPart, pulLastEncryptedPartLen,
                              encrypt_finish);
}
