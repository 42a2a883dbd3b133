/* SPDX-License-Identifier: Apache-2.0 */
/* Key generation: AES, Triple DES and HMAC keys, RSA, EC and Edwards
 * (Ed25519, Ed448) and Montgomery (X25519, X448) key pairs. */
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

#define RSA_GENERATE_MIN 2048
#define RSA_GENERATE_MAX 4096

/* ---- Generation. ---- */

/* Each byte of a DES key carries odd parity in its low bit. */
static void des_odd_parity(kmipd_buf *key)
{
    for (size_t i = 0; i < key->len; i++) {
        uint8_t b = key->data[i] & 0xFE, ones = 0;
        for (uint8_t v = b; v != 0; v &= (uint8_t)(v - 1))
            ones++;
        key->data[i] = (uint8_t)(b | (ones % 2 == 0 ? 1 : 0));
    }
}

/* Bytes of a Triple DES key of length bits (168: three keys, 112: two),
 * 0 for another length. */
static size_t triple_des_bytes(int32_t length)
{
    return length == 168 ? 24 : length == 112 ? 16 : 0;
}

kmip_rc kmipd_generate_symmetric(uint32_t algorithm, int32_t length,
                                 kmipd_buf *out, kmipd_key_info *info,
                                 kmip_status *status)
{
    size_t bytes = (size_t)(length > 0 ? length : 0) / 8;
    bool des = algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES;
    if (des) {
        if (length == 0)
            length = 168;
        bytes = triple_des_bytes(length);
        if (bytes == 0)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "Triple DES keys are 168 or 112 bits, "
                                     "not %d",
                                     (int)length);
    } else if (algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_AES) {
        if (length != 128 && length != 192 && length != 256)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "AES keys are 128, 192 or 256 bits, "
                                     "not %d",
                                     (int)length);
    } else if (kmipd_hmac_hash(algorithm) != 0) {
        if (length == 0)
            length =
                8 * EVP_MD_get_size(kmipd_hash_md(kmipd_hmac_hash(algorithm)));
        if (length < 8 || length > KMIPD_SECRET_MAX_BITS || length % 8 != 0)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "HMAC keys are 8 to %d bits in whole "
                                     "bytes, not %d",
                                     KMIPD_SECRET_MAX_BITS, (int)length);
        bytes = (size_t)length / 8;
    } else {
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
            "kmipd creates AES, Triple DES and HMAC keys, not algorithm %u",
            algorithm);
    }
    if (!kmipd_buf_alloc(out, bytes))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    if (RAND_priv_bytes(out->data, (int)out->len) != 1) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "the random generator failed");
    }
    if (des)
        des_odd_parity(out);
    info->algorithm = algorithm;
    info->length = length;
    info->curve = 0;
    return KMIP_OK;
}

static EVP_PKEY *generate_rsa(int32_t bits)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) != 1 ||
        EVP_PKEY_generate(ctx, &pkey) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

static EVP_PKEY *generate_ec(const kmipd_curve *curve)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1 ||
        EVP_PKEY_CTX_set_group_name(ctx, curve->group) != 1 ||
        EVP_PKEY_generate(ctx, &pkey) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

kmip_rc kmipd_generate_key_pair(uint32_t algorithm, int32_t length,
                                uint32_t curve_id, kmipd_buf *private_der,
                                kmipd_buf *public_der, kmipd_key_info *info,
                                kmip_status *status)
{
    EVP_PKEY *pkey;
    if (algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA) {
        if (length < RSA_GENERATE_MIN || length > RSA_GENERATE_MAX ||
            length % 8 != 0)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "RSA keys are %d to %d bits, not %d",
                                     RSA_GENERATE_MIN, RSA_GENERATE_MAX,
                                     (int)length);
        pkey = generate_rsa(length);
    } else if (kmipd_is_ec_algorithm(algorithm)) {
        const kmipd_curve *curve = curve_id != 0 ? kmipd_curve_by_kmip(curve_id)
                                                 : kmipd_curve_by_bits(length);
        if (curve == NULL || (length != 0 && length != curve->bits))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "EC keys are on the NIST P, secp256k1 "
                                     "or brainpool r1 curves (curve %u, "
                                     "length %d)",
                                     curve_id, (int)length);
        pkey = generate_ec(curve);
    } else if (kmipd_raw_curve_find(algorithm, 0) != NULL) {
        const kmipd_raw_curve *raw = kmipd_raw_curve_find(algorithm, curve_id);
        if (raw == NULL || (length != 0 && length != raw->bits))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "algorithm %u makes Ed25519, Ed448, "
                                     "X25519 or X448 keys of 255 or 448 bits "
                                     "on their curve (curve %u, length %d "
                                     "asked)",
                                     algorithm, curve_id, (int)length);
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, raw->keytype);
    } else {
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
            "kmipd creates RSA, EC, Ed25519, Ed448, X25519 and X448 key "
            "pairs, not algorithm %u",
            algorithm);
    }
    if (pkey == NULL)
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "key generation failed");
    kmip_rc rc = kmipd_describe_key(pkey, algorithm, RSA_GENERATE_MIN,
                                    RSA_GENERATE_MAX, info, status);
    if (rc == KMIP_OK)
        rc = kmipd_encode_private(pkey, private_der, status);
    if (rc == KMIP_OK)
        rc = kmipd_encode_public(pkey, public_der, status);
    if (rc != KMIP_OK)
        kmipd_buf_clear(private_der);
    EVP_PKEY_free(pkey);
    return rc;
}
