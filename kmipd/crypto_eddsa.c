// SPDX-License-Identifier: Apache-2.0
/* Sign and Signature Verify with Ed25519 and Ed448: pure EdDSA over the
 * whole message (RFC 8032), which takes no hash, padding or digest. */
#include <openssl/err.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

/* Refuses X25519 / X448 keys and parameters that pure EdDSA does not
 * take. */
static kmip_rc check_params(const kmipd_raw_curve *ed,
                            const kmipd_crypto_params *p, bool digested,
                            kmip_status *status)
{
    if (!ed->signs)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK,
            "%s keys agree on secrets; they do not sign", ed->keytype);
    if (digested)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "%s signs the message, not Digested Data",
                                 ed->keytype);
    if (p->hashing_algorithm != 0 || p->digital_signature_algorithm != 0 ||
        (p->padding_method != 0 &&
         p->padding_method != KMIP_PADDING_METHOD_NONE) ||
        (p->cryptographic_algorithm != 0 &&
         p->cryptographic_algorithm != ed->algorithm))
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
            "%s takes no Hashing Algorithm, Digital Signature Algorithm or "
            "Padding Method, and no other Cryptographic Algorithm",
            ed->keytype);
    return KMIP_OK;
}

/* A one-shot EdDSA context on key (NULL digest), or NULL. */
static EVP_MD_CTX *eddsa_ctx(EVP_PKEY *key, bool sign)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx != NULL &&
        (sign ? EVP_DigestSignInit_ex(ctx, NULL, NULL, NULL, NULL, key, NULL)
              : EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, key,
                                        NULL)) != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

kmip_rc kmipd_eddsa_sign(EVP_PKEY *key, const kmipd_raw_curve *ed,
                         const kmipd_crypto_params *params, const uint8_t *data,
                         size_t len, bool digested, kmipd_buf *signature,
                         kmip_status *status)
{
    kmip_rc rc = check_params(ed, params, digested, status);
    if (rc != KMIP_OK)
        return rc;
    EVP_MD_CTX *ctx = eddsa_ctx(key, true);
    size_t sig_len = 0;
    bool ok =
        ctx != NULL && EVP_DigestSign(ctx, NULL, &sig_len, data, len) == 1 &&
        kmipd_buf_alloc(signature, sig_len) &&
        EVP_DigestSign(ctx, signature->data, &signature->len, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        kmipd_buf_clear(signature);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "%s signing failed", ed->keytype);
    }
    return KMIP_OK;
}

kmip_rc kmipd_eddsa_verify(EVP_PKEY *key, const kmipd_raw_curve *ed,
                           const kmipd_crypto_params *params,
                           const uint8_t *data, size_t len, bool digested,
                           const uint8_t *signature, size_t signature_len,
                           bool *valid, kmip_status *status)
{
    *valid = false;
    kmip_rc rc = check_params(ed, params, digested, status);
    if (rc != KMIP_OK)
        return rc;
    EVP_MD_CTX *ctx = eddsa_ctx(key, false);
    if (ctx == NULL)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
            "cannot set up the %s verification", ed->keytype);
    *valid = EVP_DigestVerify(ctx, signature, signature_len, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    /* A signature that does not verify leaves errors in the queue. */
    ERR_clear_error();
    return KMIP_OK;
}
