/* SPDX-License-Identifier: Apache-2.0 */
/* C_SignInit, C_Sign, C_SignUpdate, C_SignFinal: one KMIP Sign (or MAC
 * for HMAC) per signature. Single-part hashing mechanisms send the message
 * as Data and let the server hash it; multi-part ones hash here and send
 * Digested Data where the slot's server takes it, keeping the Data for
 * servers that do not (PyKMIP). */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto_ops.h"
#include "ecdsa_sig.h"
#include "eddsa.h"
#include "kmip/tags.h"

typedef struct sign_ctx {
    p11_kmip_params params;
    /* The message hash of a hashing mechanism (CKM_SHA256_RSA_PKCS ...),
     * NULL for the others. */
    const p11_hash *message_hash;
    EVP_MD_CTX *running_hash; /* multi-part with message_hash */
    bool keep_data;           /* in op->input: it may be sent */
    size_t signature_len;
} sign_ctx;

static void sign_ctx_free(void *opaque)
{
    sign_ctx *ctx = opaque;
    if (ctx == NULL)
        return;
    p11_kmip_params_clear(&ctx->params);
    EVP_MD_CTX_free(ctx->running_hash);
    free(ctx);
}

/* What is known of the slot's server and Digested Data. */
static p11_support digested_sign(const p11_session *session)
{
    return p11_server_knows(&session->slot->server, P11_FACT_DIGESTED_SIGN);
}

static bool is_hmac(const sign_ctx *ctx)
{
    return ctx->params.mech->key_type == CKK_GENERIC_SECRET;
}

static bool is_ecdsa(const sign_ctx *ctx)
{
    return ctx->params.mech->key_type == CKK_EC;
}

static bool is_eddsa(const sign_ctx *ctx)
{
    return ctx->params.mech->key_type == CKK_EC_EDWARDS;
}

static size_t signature_length(const sign_ctx *ctx, const p11_object *key)
{
    if (is_eddsa(ctx))
        return p11_eddsa_signature_bytes(key->key_bits);
    if (is_hmac(ctx))
        return ctx->params.mac_length;
    if (is_ecdsa(ctx))
        return 2 * p11_key_bytes(key);
    return p11_key_bytes(key);
}

static CK_RV sign_init(p11_session *session, CK_MECHANISM_PTR mechanism,
                       CK_OBJECT_HANDLE key)
{
    p11_object *object;
    CK_RV rv = p11_op_key(session, P11_OP_SIGN, mechanism, CKF_SIGN, key,
                          CKO_PRIVATE_KEY, CKA_SIGN, &object);
    if (rv == CKR_OK)
        rv = p11_session_check_login(session);
    if (rv != CKR_OK)
        return rv;

    sign_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return CKR_HOST_MEMORY;
    rv = p11_kmip_params_from_mechanism(mechanism, &ctx->params);
    if (rv != CKR_OK) {
        sign_ctx_free(ctx);
        return rv;
    }
    /* A mechanism that signs a hash needs Digested Data. */
    if ((ctx->params.mech->input == P11_INPUT_HASH ||
         ctx->params.mech->input == P11_INPUT_DIGEST_INFO) &&
        digested_sign(session) == P11_SUPPORT_REFUSED) {
        sign_ctx_free(ctx);
        return CKR_MECHANISM_INVALID;
    }
    if (ctx->params.mech->input == P11_INPUT_MESSAGE)
        ctx->message_hash = p11_hash_by_kmip(ctx->params.hash);
    ctx->signature_len = signature_length(ctx, object);
    p11_op_start(session, P11_OP_SIGN, mechanism->mechanism, object, ctx,
                 sign_ctx_free);
    return CKR_OK;
}

/* A server may send an RSA signature as the integer it is, without the
 * leading zero bytes of its modulus-length form (1 signature in 256 has
 * one). A shorter answer, or one that starts with a zero byte, is broken:
 * more than this many zeros has a chance of 2^-64. */
#define RSA_STRIPPED_MAX 8

/* Whether an RSA signature of len bytes (first byte first) is the
 * modulus-length form or a form stripped of leading zero bytes. */
static bool rsa_signature_ok(const uint8_t *signature, size_t len,
                             size_t modulus_len)
{
    if (len == modulus_len)
        return true;
    return len < modulus_len && len + RSA_STRIPPED_MAX >= modulus_len &&
           len > 0 && signature[0] != 0;
}

/* Whether the server's signature has the form the mechanism gives: an
 * ECDSA DER that parses (written to out as r || s), an HMAC of the
 * hash's length, an RSA signature of the modulus' length. */
static CK_RV check_signature(const sign_ctx *ctx, const uint8_t *signature,
                             size_t len, CK_BYTE_PTR out)
{
    if (is_ecdsa(ctx))
        return p11_ecdsa_der_to_raw(signature, len, ctx->signature_len / 2, out,
                                    ctx->signature_len);
    if (is_eddsa(ctx))
        return len == ctx->signature_len ? CKR_OK : CKR_DEVICE_ERROR;
    if (is_hmac(ctx))
        return len == ctx->message_hash->length ? CKR_OK : CKR_DEVICE_ERROR;
    return rsa_signature_ok(signature, len, ctx->signature_len)
               ? CKR_OK
               : CKR_DEVICE_ERROR;
}

/* Writes the server's signature in PKCS#11 form to out (room for
 * ctx->signature_len bytes): ECDSA as r || s, RSA left-padded to the
 * modulus length. A signature of another form is CKR_DEVICE_ERROR. */
static CK_RV store_signature(const sign_ctx *ctx, const uint8_t *signature,
                             size_t len, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    CK_RV rv = check_signature(ctx, signature, len, out);
    if (rv != CKR_OK) {
        p11_log_error("the server sent a malformed signature (%zu bytes for "
                      "a %zu-byte signature)",
                      len, ctx->signature_len);
        return rv;
    }
    if (is_hmac(ctx))
        memcpy(out, signature, ctx->signature_len); /* _GENERAL: truncated */
    else if (!is_ecdsa(ctx)) {
        size_t pad = ctx->signature_len - len;
        memset(out, 0, pad);
        memcpy(out + pad, signature, len);
    }
    *out_len = ctx->signature_len;
    return CKR_OK;
}

/* The Digested Data and hash for a mechanism whose input is a hash or a
 * DigestInfo: sets the params' hash and points *digest into data. Inputs
 * that name no hash are signed as given, with no hash named: a CKM_RSA_PKCS
 * input that is no DigestInfo (the server pads and signs the raw block),
 * a CKM_ECDSA input of no SHA length (the server truncates it). */
static CK_RV digested_input(sign_ctx *ctx, const p11_object *key,
                            const uint8_t *data, size_t len,
                            const uint8_t **digest, size_t *digest_len)
{
    const p11_hash *hash = NULL;
    *digest = data;
    *digest_len = len;
    if (ctx->params.mech->input == P11_INPUT_DIGEST_INFO) {
        hash = p11_digest_info_parse(data, len, digest);
        if (hash == NULL)
            return len + 11 <= p11_key_bytes(key) ? CKR_OK : CKR_DATA_LEN_RANGE;
        *digest_len = hash->length;
    } else if (is_ecdsa(ctx)) {
        hash = p11_hash_by_length(len);
        if (hash == NULL)
            return len > 0 ? CKR_OK : CKR_DATA_LEN_RANGE;
    } else {
        hash = p11_hash_by_kmip(ctx->params.hash);
        if (hash != NULL && hash->length != len)
            hash = NULL;
    }
    if (hash == NULL)
        return CKR_DATA_LEN_RANGE;
    p11_kmip_params_set_hash(&ctx->params, hash);
    return CKR_OK;
}

/* Signs a hash sent as Digested Data, and records in the slot whether
 * its server does that (when a hash is named: a refusal of a raw block
 * says nothing of hashes). */
static CK_RV sign_digested(p11_session *session, const sign_ctx *ctx,
                           const p11_object *key, const uint8_t *digest,
                           size_t len, uint8_t **signature,
                           size_t *signature_len)
{
    p11_reply reply = p11_kmip_sign(session, key, &ctx->params, digest, len,
                                    true, signature, signature_len);
    p11_server *server = &session->slot->server;
    if (reply.rv == CKR_OK)
        p11_server_learn(server, P11_FACT_DIGESTED_SIGN, true);
    else if (reply.answer == P11_ANSWER_UNSUPPORTED && ctx->params.hash != 0)
        p11_server_learn(server, P11_FACT_DIGESTED_SIGN, false);
    return reply.rv;
}

/* CKM_RSA_X_509: the input, at most the modulus' length, as the
 * modulus-length integer it stands for (leading zero bytes added). */
static CK_RV sign_raw(p11_session *session, const sign_ctx *ctx,
                      const p11_object *key, const uint8_t *data, size_t len,
                      uint8_t **signature, size_t *signature_len)
{
    if (len > ctx->signature_len)
        return CKR_DATA_LEN_RANGE;
    uint8_t *block = calloc(1, ctx->signature_len);
    if (block == NULL)
        return CKR_HOST_MEMORY;
    memcpy(block + ctx->signature_len - len, data, len);
    CK_RV rv =
        p11_kmip_sign(session, key, &ctx->params, block, ctx->signature_len,
                      false, signature, signature_len)
            .rv;
    OPENSSL_clear_free(block, ctx->signature_len);
    return rv;
}

/* Signs one whole input (C_Sign, or C_SignFinal of a mechanism that
 * gathers its input) with one request. *signature is malloc'd. */
static CK_RV sign_whole(p11_session *session, sign_ctx *ctx,
                        const p11_object *key, const uint8_t *data, size_t len,
                        uint8_t **signature, size_t *signature_len)
{
    if (is_hmac(ctx))
        return p11_kmip_mac(session, key, &ctx->params, data, len, signature,
                            signature_len)
            .rv;
    if (ctx->params.mech->input == P11_INPUT_RAW)
        return sign_raw(session, ctx, key, data, len, signature, signature_len);
    if (ctx->params.mech->input == P11_INPUT_MESSAGE)
        return p11_kmip_sign(session, key, &ctx->params, data, len, false,
                             signature, signature_len)
            .rv;
    const uint8_t *digest;
    size_t digest_len;
    CK_RV rv = digested_input(ctx, key, data, len, &digest, &digest_len);
    if (rv != CKR_OK)
        return rv;
    return sign_digested(session, ctx, key, digest, digest_len, signature,
                         signature_len);
}

/* C_SignFinal of a hashing mechanism: Digested Data unless the slot's
 * server is known to refuse it; on a first refusal, the kept Data (data,
 * len). */
static CK_RV sign_running_hash(p11_session *session, sign_ctx *ctx,
                               const p11_object *key, const uint8_t *data,
                               size_t len, uint8_t **signature,
                               size_t *signature_len)
{
    if (digested_sign(session) != P11_SUPPORT_REFUSED) {
        uint8_t digest[EVP_MAX_MD_SIZE];
        unsigned digest_len = 0;
        if (EVP_DigestFinal_ex(ctx->running_hash, digest, &digest_len) != 1)
            return CKR_GENERAL_ERROR;
        CK_RV rv = sign_digested(session, ctx, key, digest, digest_len,
                                 signature, signature_len);
        OPENSSL_cleanse(digest, sizeof(digest));
        if (rv != CKR_MECHANISM_INVALID || !ctx->keep_data)
            return rv;
    }
    return p11_kmip_sign(session, key, &ctx->params, data, len, false,
                         signature, signature_len)
        .rv;
}

static CK_RV sign_update(p11_session *session, p11_operation *op,
                         const uint8_t *part, size_t len)
{
    sign_ctx *ctx = op->ctx;
    if (!op->multipart) {
        p11_support served = digested_sign(session);
        ctx->keep_data = ctx->message_hash == NULL || is_hmac(ctx) ||
                         served != P11_SUPPORT_SERVED;
        if (ctx->message_hash != NULL && !is_hmac(ctx) &&
            served != P11_SUPPORT_REFUSED) {
            ctx->running_hash = EVP_MD_CTX_new();
            if (ctx->running_hash == NULL ||
                EVP_DigestInit_ex2(
                    ctx->running_hash,
                    EVP_get_digestbyname(ctx->message_hash->ossl_name),
                    NULL) != 1)
                return CKR_HOST_MEMORY;
        }
    }
    if (ctx->running_hash != NULL &&
        EVP_DigestUpdate(ctx->running_hash, part, len) != 1)
        return CKR_GENERAL_ERROR;
    return ctx->keep_data ? p11_bytes_append(&op->input, part, len) : CKR_OK;
}

/* C_Sign and C_SignFinal. */
static CK_RV sign_finish(p11_session *session, p11_operation *op,
                         const uint8_t *data, size_t len, CK_BYTE_PTR out,
                         CK_ULONG_PTR out_len, bool *keep)
{
    sign_ctx *ctx = op->ctx;
    CK_RV rv = p11_output_check(out, out_len, ctx->signature_len, keep);
    if (*keep)
        return rv;

    uint8_t *signature = NULL;
    size_t signature_len = 0;
    if (ctx->running_hash != NULL)
        rv = sign_running_hash(session, ctx, op->key_object, data, len,
                               &signature, &signature_len);
    else
        rv = sign_whole(session, ctx, op->key_object, data, len, &signature,
                        &signature_len);
    if (rv == CKR_OK)
        rv = store_signature(ctx, signature, signature_len, out, out_len);
    free(signature);
    return rv;
}

P11_EXPORT CK_RV C_SignInit(CK_SESSION_HANDLE hSession,
                            CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return p11_op_init_call(hSession, pMechanism, hKey, sign_init);
}

P11_EXPORT CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                        CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                        CK_ULONG_PTR pulSignatureLen)
{
    return p11_op_output_call(hSession, P11_OP_SIGN, false, pData, ulDataLen,
                              pSignature, pulSignatureLen, sign_finish);
}

P11_EXPORT CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                              CK_ULONG ulPartLen)
{
    return p11_op_update_call(hSession, P11_OP_SIGN, pPart, ulPartLen,
                              sign_update);
}

/* C_SignFinal without any C_SignUpdate signs the empty message. */
P11_EXPORT CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                             CK_ULONG_PTR pulSignatureLen)
{
    return p11_op_output_call(hSession, P11_OP_SIGN, true, NULL, 0, pSignature,
                              pulSignatureLen, sign_finish);
}
