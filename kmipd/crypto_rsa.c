/* SPDX-License-Identifier: Apache-2.0 */
/* RSA Encrypt and Decrypt: OAEP, PKCS#1 v1.5 and raw (Padding Method
 * None, an input of the modulus' length). */
#include <openssl/crypto.h>
#include <openssl/rsa.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

/* Raw RSA takes exactly the modulus' length. */
static bool raw_length_ok(const EVP_PKEY *key, const kmipd_crypto_params *p,
                          size_t len, kmip_status *status)
{
    size_t key_bytes = (size_t)EVP_PKEY_get_size(key);
    if (p->padding_method != KMIP_PADDING_METHOD_NONE || len == key_bytes)
        return true;
    kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                      "raw RSA of %zu bytes with a %zu-byte key", len,
                      key_bytes);
    return false;
}

/* A context for EVP_PKEY_encrypt (encrypt true) or EVP_PKEY_decrypt set
 * up for params and an input of len bytes, or NULL with status filled. */
static EVP_PKEY_CTX *rsa_ctx(EVP_PKEY *key, const kmipd_crypto_params *p,
                             bool encrypt, size_t len, kmip_status *status)
{
    if (!EVP_PKEY_is_a(key, "RSA")) {
        kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                          "a %s key cannot be used for RSA encryption",
                          EVP_PKEY_get0_type_name(key));
        return NULL;
    }
    if (p->cryptographic_algorithm != 0 &&
        p->cryptographic_algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA) {
        kmipd_crypto_fail(status,
                          KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                          "Cryptographic Algorithm does not fit the key");
        return NULL;
    }
    int padding;
    if (p->padding_method == KMIP_PADDING_METHOD_OAEP) {
        padding = RSA_PKCS1_OAEP_PADDING;
    } else if (p->padding_method == KMIP_PADDING_METHOD_PKCS1V15) {
        padding = RSA_PKCS1_PADDING;
    } else if (p->padding_method == KMIP_PADDING_METHOD_NONE) {
        padding = RSA_NO_PADDING;
    } else {
        kmipd_crypto_fail(
            status,
            p->padding_method == 0
                ? KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS
                : KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "RSA encryption needs Padding Method OAEP, PKCS1 v1.5 or None "
            "(got %u)",
            p->padding_method);
        return NULL;
    }
    if (!raw_length_ok(key, p, len, status))
        return NULL;
    const EVP_MD *oaep_md =
        kmipd_hash_md(p->hashing_algorithm != 0 ? p->hashing_algorithm
                                                : KMIP_HASHING_ALGORITHM_SHA_1);
    const EVP_MD *mgf1_md =
        p->mask_generator_hashing_algorithm != 0
            ? kmipd_hash_md(p->mask_generator_hashing_algorithm)
            : oaep_md;
    if (padding == RSA_PKCS1_OAEP_PADDING &&
        (oaep_md == NULL || mgf1_md == NULL ||
         (p->mask_generator != 0 &&
          p->mask_generator != KMIP_MASK_GENERATOR_MGF1))) {
        kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "OAEP with hash %u, mask generator %u, MGF1 hash %u",
            p->hashing_algorithm, p->mask_generator,
            p->mask_generator_hashing_algorithm);
        return NULL;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    bool ok = ctx != NULL &&
              (encrypt ? EVP_PKEY_encrypt_init(ctx)
                       : EVP_PKEY_decrypt_init(ctx)) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(ctx, padding) == 1;
    if (ok && padding == RSA_PKCS1_OAEP_PADDING) {
        ok = EVP_PKEY_CTX_set_rsa_oaep_md(ctx, oaep_md) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, mgf1_md) == 1;
        if (ok && p->p_source_len > 0) {
            void *label = OPENSSL_memdup(p->p_source, p->p_source_len);
            ok = label != NULL && EVP_PKEY_CTX_set0_rsa_oaep_label(
                                      ctx, label, (int)p->p_source_len) == 1;
            if (!ok)
                OPENSSL_free(label);
        }
    }
    if (!ok) {
        EVP_PKEY_CTX_free(ctx);
        kmipd_crypto_fail(status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                          "cannot set up RSA encryption");
        return NULL;
    }
    return ctx;
}

kmip_rc kmipd_rsa_encrypt(EVP_PKEY *key, const kmipd_crypto_params *params,
                          const uint8_t *in, size_t len, kmipd_buf *out,
                          kmip_status *status)
{
    EVP_PKEY_CTX *ctx = rsa_ctx(key, params, true, len, status);
    if (ctx == NULL)
        return KMIP_E_RESULT;
    size_t out_len = 0;
    bool ok = EVP_PKEY_encrypt(ctx, NULL, &out_len, in, len) == 1 &&
              kmipd_buf_alloc(out, out_len) &&
              EVP_PKEY_encrypt(ctx, out->data, &out->len, in, len) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "%zu bytes cannot be RSA-encrypted with "
                                 "this key and padding",
                                 len);
    }
    return KMIP_OK;
}

kmip_rc kmipd_rsa_decrypt(EVP_PKEY *key, const kmipd_crypto_params *params,
                          const uint8_t *in, size_t len, kmipd_buf *out,
                          kmip_status *status)
{
    EVP_PKEY_CTX *ctx = rsa_ctx(key, params, false, len, status);
    if (ctx == NULL)
        return KMIP_E_RESULT;
    size_t out_len = 0;
    bool ok = EVP_PKEY_decrypt(ctx, NULL, &out_len, in, len) == 1 &&
              kmipd_buf_alloc(out, out_len) &&
              EVP_PKEY_decrypt(ctx, out->data, &out->len, in, len) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "RSA decryption failed");
    }
    return KMIP_OK;
}
