/* SPDX-License-Identifier: Apache-2.0 */
/* C_VerifyInit, C_Verify, C_VerifyUpdate, C_VerifyFinal: locally with
 * OpenSSL on the cached public key, no KMIP request. HMAC, whose key never
 * leaves the server, is the exception: one KMIP MAC, compared here. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto_ops.h"
#include "ecdsa_sig.h"
#include "eddsa.h"
#include "kmip/tags.h"

typedef struct verify_ctx {
    p11_kmip_params params;
    const p11_hash *message_hash; /* hashing mechanisms and HMAC */
    EVP_MD_CTX *digest_verify;    /* hashing mechanisms (not HMAC) */
    size_t signature_len;
} verify_ctx;

static void verify_ctx_free(void *opaque)
{
    verify_ctx *ctx = opaque;
    if (ctx == NULL)
        return;
    p11_kmip_params_clear(&ctx->params);
    EVP_MD_CTX_free(ctx->digest_verify);
    free(ctx);
}

static CK_KEY_TYPE key_type(const verify_ctx *ctx)
{
    return ctx->params.mech->key_type;
}

static const EVP_MD *md_of(const p11_hash *hash)
{
    return hash != NULL ? EVP_get_digestbyname(hash->ossl_name) : NULL;
}

/* Padding, PSS salt and MGF1 hash of an RSA verification. */
static bool configure_rsa(EVP_PKEY_CTX *pkey_ctx, const p11_kmip_params *p)
{
    if (p->padding != KMIP_PADDING_METHOD_PSS)
        return EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) > 0;
    return EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, p->salt_length) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(
               pkey_ctx, md_of(p11_hash_by_kmip(p->mask_generator_hash))) > 0;
}

static CK_RV verify_init(p11_session *session, CK_MECHANISM_PTR mechanism,
                         CK_OBJECT_HANDLE key)
{
    p11_object *object;
    CK_RV rv = p11_op_key(session, P11_OP_VERIFY, mechanism, CKF_VERIFY, key,
                          CKO_PUBLIC_KEY, CKA_VERIFY, &object);
    if (rv != CKR_OK)
        return rv;
    verify_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return CKR_HOST_MEMORY;
    rv = p11_kmip_params_from_mechanism(mechanism, &ctx->params);
    if (rv == CKR_OK && key_type(ctx) != CKK_GENERIC_SECRET &&
        object->public_key == NULL)
        rv = CKR_KEY_FUNCTION_NOT_PERMITTED;
    if (rv != CKR_OK) {
        verify_ctx_free(ctx);
        return rv;
    }
    if (ctx->params.mech->input == P11_INPUT_MESSAGE)
        ctx->message_hash = p11_hash_by_kmip(ctx->params.hash);
    if (key_type(ctx) == CKK_GENERIC_SECRET)
        ctx->signature_len = ctx->params.mac_length;
    else if (key_type(ctx) == CKK_EC)
        ctx->signature_len = 2 * p11_key_bytes(object);
    else if (key_type(ctx) == CKK_EC_EDWARDS)
        ctx->signature_len = p11_eddsa_signature_bytes(object->key_bits);
    else
        ctx->signature_len = p11_key_bytes(object);

    if (ctx->message_hash != NULL && key_type(ctx) != CKK_GENERIC_SECRET) {
        EVP_PKEY_CTX *pkey_ctx = NULL;
        ctx->digest_verify = EVP_MD_CTX_new();
        if (ctx->digest_verify == NULL ||
            EVP_DigestVerifyInit_ex(ctx->digest_verify, &pkey_ctx,
                                    ctx->message_hash->ossl_name, NULL, NULL,
                                    object->public_key, NULL) != 1 ||
            (key_type(ctx) == CKK_RSA &&
             !configure_rsa(pkey_ctx, &ctx->params))) {
            verify_ctx_free(ctx);
            return CKR_GENERAL_ERROR;
        }
    }
    p11_op_start(session, P11_OP_VERIFY, mechanism->mechanism, object, ctx,
                 verify_ctx_free);
    return CKR_OK;
}

/* A signature in the form OpenSSL verifies: DER for ECDSA (*der set, freed
 * by the caller), the signature itself otherwise. */
static CK_RV openssl_signature(const verify_ctx *ctx, const uint8_t *signature,
                               size_t len, uint8_t **der, const uint8_t **out,
                               size_t *out_len)
{
    if (len != ctx->signature_len)
        return CKR_SIGNATURE_LEN_RANGE;
    *out = signature;
    *out_len = len;
    if (key_type(ctx) != CKK_EC)
        return CKR_OK;
    CK_RV rv = p11_ecdsa_raw_to_der(signature, len, len / 2, der, out_len);
    *out = *der;
    return rv;
}

/* Verifies a signature over a hash or DigestInfo (CKM_ECDSA, CKM_RSA_PKCS,
 * CKM_RSA_PKCS_PSS) with EVP_PKEY_verify. */
static int verify_raw(verify_ctx *ctx, EVP_PKEY *key, const uint8_t *data,
                      size_t len, const uint8_t *signature, size_t sig_len)
{
    EVP_PKEY_CTX *pkey_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    int ok = pkey_ctx != NULL && EVP_PKEY_verify_init(pkey_ctx) == 1;
    if (ok && key_type(ctx) == CKK_RSA) {
        ok = configure_rsa(pkey_ctx, &ctx->params);
        if (ok && ctx->params.padding == KMIP_PADDING_METHOD_PSS)
            ok = EVP_PKEY_CTX_set_signature_md(
                     pkey_ctx, md_of(p11_hash_by_kmip(ctx->params.hash))) > 0;
    }
    ok = ok && EVP_PKEY_verify(pkey_ctx, signature, sig_len, data, len) == 1;
    EVP_PKEY_CTX_free(pkey_ctx);
    return ok;
}

static CK_RV verify_hmac(p11_session *session, verify_ctx *ctx,
                         const p11_object *key, const uint8_t *data, size_t len,
                         const uint8_t *signature, size_t sig_len)
{
    if (sig_len != ctx->signature_len)
        return CKR_SIGNATURE_LEN_RANGE;
    uint8_t *mac = NULL;
    size_t mac_len = 0;
    CK_RV rv =
        p11_kmip_mac(session, key, &ctx->params, data, len, &mac, &mac_len).rv;
    if (rv == CKR_OK && (mac_len != ctx->message_hash->length ||
                         CRYPTO_memcmp(mac, signature, sig_len) != 0))
        rv = CKR_SIGNATURE_INVALID;
    kmip_buffer_free(mac, mac_len);
    return rv;
}

/* Whether an RSA mechanism that takes no message can have signed len
 * bytes: CKM_RSA_PKCS_PSS a hash of its parameters' algorithm, CKM_RSA_PKCS
 * a block that fits the modulus with its padding. */
static bool input_length_ok(const verify_ctx *ctx, const p11_object *key,
                            size_t len)
{
    if (key_type(ctx) != CKK_RSA)
        return true;
    if (ctx->params.mech->input == P11_INPUT_HASH)
        return len == p11_hash_by_kmip(ctx->params.hash)->length;
    if (ctx->params.mech->input == P11_INPUT_DIGEST_INFO)
        return len + 11 <= p11_key_bytes(key);
    return true;
}

/* The whole verification; after multi-part calls, the input went to the
 * running hash or to op->input. */
static CK_RV verify_finish(p11_session *session, p11_operation *op,
                           const uint8_t *data, size_t len,
                           const uint8_t *signature, size_t sig_len)
{
    verify_ctx *ctx = op->ctx;
    if (op->multipart) {
        data = op->input.data;
        len = op->input.len;
    }
    if (key_type(ctx) == CKK_GENERIC_SECRET)
        return verify_hmac(session, ctx, op->key_object, data, len, signature,
                           sig_len);

    if (!input_length_ok(ctx, op->key_object, len))
        return CKR_DATA_LEN_RANGE;
    uint8_t *der = NULL;
    const uint8_t *sig;
    size_t der_len;
    CK_RV rv = openssl_signature(ctx, signature, sig_len, &der, &sig, &der_len);
    if (rv != CKR_OK)
        return rv;
    int ok;
    if (ctx->digest_verify != NULL && op->multipart)
        ok = EVP_DigestVerifyFinal(ctx->digest_verify, sig, der_len) == 1;
    else if (ctx->digest_verify != NULL)
        ok = EVP_DigestVerify(ctx->digest_verify, sig, der_len, data, len) == 1;
    else if (key_type(ctx) == CKK_EC_EDWARDS)
        ok = p11_eddsa_verify(op->key_object->public_key, data, len, sig,
                              der_len);
    else
        ok = verify_raw(ctx, op->key_object->public_key, data, len, sig,
                        der_len);
    OPENSSL_free(der);
    ERR_clear_error();
    return ok ? CKR_OK : CKR_SIGNATURE_INVALID;
}

static CK_RV verify_update(p11_session *session, p11_operation *op,
                           const uint8_t *part, size_t len)
{
    verify_ctx *ctx = op->ctx;
    (void)session;
    if (ctx->digest_verify == NULL)
        return p11_bytes_append(&op->input, part, len);
    return EVP_DigestVerifyUpdate(ctx->digest_verify, part, len) == 1
               ? CKR_OK
               : CKR_GENERAL_ERROR;
}

/* C_Verify (data, len) and C_VerifyFinal (final). */
static CK_RV verify_call(CK_SESSION_HANDLE handle, bool final,
                         const uint8_t *data, size_t len,
                         const uint8_t *signature, size_t sig_len)
{
    p11_session *session;
    p11_operation *op;
    CK_RV rv = p11_op_enter(
        handle, P11_OP_VERIFY, final ? P11_STEP_FINAL : P11_STEP_SINGLE,
        (data != NULL || len == 0) && signature != NULL, &session, &op);
    if (rv != CKR_OK)
        return rv;
    if (final)
        op->multipart = true;
    rv = verify_finish(session, op, data, len, signature, sig_len);
    p11_operation_end(op);
    p11_session_release(session);
    return rv;
}

P11_EXPORT CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession,
                              CK_MECHANISM_PTR pMechanism,
                              CK_OBJECT_HANDLE hKey)
{
    return p11_op_init_call(hSession, pMechanism, hKey, verify_init);
}

P11_EXPORT CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                          CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                          CK_ULONG ulSignatureLen)
{
    return verify_call(hSession, false, pData, ulDataLen, pSignature,
                       ulSignatureLen);
}

P11_EXPORT CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                CK_ULONG ulPartLen)
{
    return p11_op_update_call(hSession, P11_OP_VERIFY, pPart, ulPartLen,
                              verify_update);
}

P11_EXPORT CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession,
                               CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    return verify_call(hSession, true, NULL, 0, pSignature, ulSignatureLen);
}
