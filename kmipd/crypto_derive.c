/* SPDX-License-Identifier: Apache-2.0 */
/* ECDH key agreement (EC keys, X25519 and X448), with the ANSI X9.63 KDF
 * or none. */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

/* The peer's public key: point (octets) on the curve of own, or the
 * RFC 7748 public key of an X25519 / X448 own. */
static EVP_PKEY *peer_key(EVP_PKEY *own, const uint8_t *point, size_t len)
{
    char group[64];
    EVP_PKEY *peer = NULL;
    if (kmipd_raw_curve_of_key(own) != NULL)
        return EVP_PKEY_new_raw_public_key_ex(
            NULL, EVP_PKEY_get0_type_name(own), NULL, point, len);
    if (!EVP_PKEY_get_utf8_string_param(own, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                        sizeof(group), NULL))
        return NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                          (void *)point, len),
        OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &peer, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        peer = NULL;
    EVP_PKEY_CTX_free(ctx);
    return peer;
}

/* The shared secret Z of own and peer. */
static kmip_rc shared_secret(EVP_PKEY *own, EVP_PKEY *peer, kmipd_buf *z,
                             kmip_status *status)
{
    size_t len = 0;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, own, NULL);
    bool ok = ctx != NULL && EVP_PKEY_derive_init(ctx) > 0 &&
              EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) > 0 &&
              EVP_PKEY_derive(ctx, NULL, &len) > 0 && kmipd_buf_alloc(z, len) &&
              EVP_PKEY_derive(ctx, z->data, &z->len) > 0;
    EVP_PKEY_CTX_free(ctx);
    if (ok)
        return KMIP_OK;
    kmipd_buf_clear(z);
    return kmipd_crypto_fail(status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                             "ECDH key agreement failed");
}

/* ANSI X9.63 KDF of z with hash and shared info into out->len bytes. */
static bool x963_kdf(const EVP_MD *md, const kmipd_buf *z, const uint8_t *info,
                     size_t info_len, kmipd_buf *out)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_X963KDF, NULL);
    EVP_KDF_CTX *ctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                         (char *)EVP_MD_get0_name(md), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, z->data, z->len),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info,
                                          info_len),
        OSSL_PARAM_construct_end()};
    bool ok =
        ctx != NULL && EVP_KDF_derive(ctx, out->data, out->len, params) > 0;
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    return ok;
}

/* Without a KDF the key is the last len bytes of Z, as SoftHSM2 takes
 * them. */
static kmip_rc truncate_secret(const kmipd_buf *z, size_t len, kmipd_buf *out,
                               kmip_status *status)
{
    if (len > z->len)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_INVALID_FIELD,
            "a %zu-byte key from a %zu-byte shared secret without a KDF", len,
            z->len);
    return kmipd_buf_set(out, z->data + (z->len - len), len)
               ? KMIP_OK
               : kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                   "out of memory");
}

kmip_rc kmipd_ecdh_derive(EVP_PKEY *own, const kmipd_ecdh_input *in, size_t len,
                          kmipd_buf *out, kmip_status *status)
{
    const EVP_MD *md = NULL;
    if (in->hashing_algorithm != 0 &&
        (md = kmipd_hash_md(in->hashing_algorithm)) == NULL)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "ECDH with KDF hash %u", in->hashing_algorithm);
    if (md == NULL && in->shared_info_len != 0)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "shared data without a KDF");
    EVP_PKEY *peer = peer_key(own, in->peer_point, in->peer_point_len);
    if (peer == NULL)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "the Derivation Data is not a point on the "
                                 "key's curve");
    kmipd_buf z = {0};
    kmip_rc rc = shared_secret(own, peer, &z, status);
    EVP_PKEY_free(peer);
    if (rc == KMIP_OK && md == NULL)
        rc = truncate_secret(&z, len, out, status);
    else if (rc == KMIP_OK &&
             (!kmipd_buf_alloc(out, len) ||
              !x963_kdf(md, &z, in->shared_info, in->shared_info_len, out))) {
        kmipd_buf_clear(out);
        rc = kmipd_crypto_fail(status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                               "the X9.63 KDF failed");
    }
    kmipd_buf_clear(&z);
    return rc;
}
