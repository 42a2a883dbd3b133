/* SPDX-License-Identifier: Apache-2.0 */
/* What kmipd's key files share: the supported curves, DER encoding and
 * decoding with OpenSSL's encoders and decoders, and what a key is. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

static const kmipd_curve curves[] = {
    {KMIP_RECOMMENDED_CURVE_P_224, NID_secp224r1, "P-224", 224, true},
    {KMIP_RECOMMENDED_CURVE_P_256, NID_X9_62_prime256v1, "P-256", 256, true},
    {KMIP_RECOMMENDED_CURVE_P_384, NID_secp384r1, "P-384", 384, true},
    {KMIP_RECOMMENDED_CURVE_P_521, NID_secp521r1, "P-521", 521, true},
    {KMIP_RECOMMENDED_CURVE_SECP256K1, NID_secp256k1, "secp256k1", 256, false},
    {KMIP_RECOMMENDED_CURVE_BRAINPOOLP256R1, NID_brainpoolP256r1,
     "brainpoolP256r1", 256, false},
    {KMIP_RECOMMENDED_CURVE_BRAINPOOLP384R1, NID_brainpoolP384r1,
     "brainpoolP384r1", 384, false},
    {KMIP_RECOMMENDED_CURVE_BRAINPOOLP512R1, NID_brainpoolP512r1,
     "brainpoolP512r1", 512, false},
};

#define CURVE_COUNT (sizeof(curves) / sizeof(*curves))

const kmipd_curve *kmipd_curve_by_kmip(uint32_t kmip)
{
    for (size_t i = 0; i < CURVE_COUNT; i++) {
        if (curves[i].kmip == kmip)
            return &curves[i];
    }
    return NULL;
}

const kmipd_curve *kmipd_curve_by_bits(int32_t bits)
{
    for (size_t i = 0; i < CURVE_COUNT; i++) {
        if (curves[i].nist && curves[i].bits == bits)
            return &curves[i];
    }
    return NULL;
}

const kmipd_curve *kmipd_curve_of_key(const EVP_PKEY *pkey)
{
    char group[64];
    if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                        sizeof(group), NULL))
        return NULL;
    int nid = OBJ_txt2nid(group);
    if (nid == NID_undef)
        nid = EC_curve_nist2nid(group);
    for (size_t i = 0; i < CURVE_COUNT; i++) {
        if (curves[i].nid == nid)
            return &curves[i];
    }
    return NULL;
}

static const kmipd_raw_curve raw_curves[] = {
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, KMIP_RECOMMENDED_CURVE_CURVE25519,
     "ED25519", EVP_PKEY_ED25519, 255, true},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ED448, KMIP_RECOMMENDED_CURVE_CURVE448,
     "ED448", EVP_PKEY_ED448, 448, true},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDH, KMIP_RECOMMENDED_CURVE_CURVE25519,
     "X25519", EVP_PKEY_X25519, 255, false},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDH, KMIP_RECOMMENDED_CURVE_CURVE448, "X448",
     EVP_PKEY_X448, 448, false},
};

#define RAW_CURVE_COUNT (sizeof(raw_curves) / sizeof(*raw_curves))

const kmipd_raw_curve *kmipd_raw_curve_find(uint32_t algorithm, uint32_t curve)
{
    for (size_t i = 0; i < RAW_CURVE_COUNT; i++) {
        if (raw_curves[i].algorithm == algorithm &&
            (curve == 0 || raw_curves[i].curve == curve))
            return &raw_curves[i];
    }
    return NULL;
}

bool kmipd_key_is(const EVP_PKEY *pkey, int id, const char *name)
{
    int pkey_id = EVP_PKEY_get_id(pkey);

    return pkey_id > 0 ? pkey_id == id : EVP_PKEY_is_a(pkey, name);
}

const kmipd_raw_curve *kmipd_raw_curve_of_key(const EVP_PKEY *pkey)
{
    for (size_t i = 0; i < RAW_CURVE_COUNT; i++) {
        if (kmipd_key_is(pkey, raw_curves[i].id, raw_curves[i].keytype))
            return &raw_curves[i];
    }
    return NULL;
}

bool kmipd_is_ec_algorithm(uint32_t algorithm)
{
    return algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_EC ||
           algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA;
}

/* ---- Encoding and decoding. ---- */

/* DER encoding of the selection of pkey in structure ("PrivateKeyInfo",
 * "SubjectPublicKeyInfo", "type-specific"). */
kmip_rc kmipd_encode_der(const EVP_PKEY *pkey, int selection,
                         const char *structure, kmipd_buf *out,
                         kmip_status *status)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    OSSL_ENCODER_CTX *ctx =
        OSSL_ENCODER_CTX_new_for_pkey(pkey, selection, "DER", structure, NULL);
    int ok = ctx != NULL && OSSL_ENCODER_CTX_get_num_encoders(ctx) > 0 &&
             OSSL_ENCODER_to_data(ctx, &der, &der_len);
    OSSL_ENCODER_CTX_free(ctx);
    if (!ok)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
            "cannot encode the key as %s", structure);
    out->data = der;
    out->len = der_len;
    return KMIP_OK;
}

/* Decodes exactly len bytes of DER in structure holding a keytype key
 * (NULL: any) into *out. */
kmip_rc kmipd_decode_der(const uint8_t *der, size_t len, int selection,
                         const char *structure, const char *keytype,
                         EVP_PKEY **out, kmip_status *status)
{
    EVP_PKEY *pkey = NULL;
    const unsigned char *cursor = der;
    size_t left = len;
    OSSL_DECODER_CTX *ctx = OSSL_DECODER_CTX_new_for_pkey(
        &pkey, "DER", structure, keytype, selection, NULL, NULL);
    int ok = ctx != NULL && OSSL_DECODER_CTX_get_num_decoders(ctx) > 0 &&
             OSSL_DECODER_from_data(ctx, &cursor, &left);
    OSSL_DECODER_CTX_free(ctx);
    if (!ok || pkey == NULL || left != 0) {
        EVP_PKEY_free(pkey);
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "key material is not a valid %s %s",
                                 keytype != NULL ? keytype : "", structure);
    }
    *out = pkey;
    return KMIP_OK;
}

kmip_rc kmipd_encode_private(const EVP_PKEY *pkey, kmipd_buf *out,
                             kmip_status *status)
{
    return kmipd_encode_der(pkey, EVP_PKEY_KEYPAIR, "PrivateKeyInfo", out,
                            status);
}

kmip_rc kmipd_encode_public(const EVP_PKEY *pkey, kmipd_buf *out,
                            kmip_status *status)
{
    return kmipd_encode_der(pkey, EVP_PKEY_PUBLIC_KEY, "SubjectPublicKeyInfo",
                            out, status);
}

kmip_rc kmipd_key_parse(uint32_t object_type, const uint8_t *der, size_t len,
                        EVP_PKEY **out, kmip_status *status)
{
    if (object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY)
        return kmipd_decode_der(der, len, EVP_PKEY_KEYPAIR, "PrivateKeyInfo",
                                NULL, out, status);
    if (object_type == KMIP_OBJECT_TYPE_PUBLIC_KEY)
        return kmipd_decode_der(der, len, EVP_PKEY_PUBLIC_KEY,
                                "SubjectPublicKeyInfo", NULL, out, status);
    return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                             "object type %u has no asymmetric key",
                             object_type);
}

/* ---- What a key is. ---- */

/* Describes pkey (RSA, EC on a supported curve, or a raw-key curve) in info and
 * checks it against the declared algorithm (0: any) and the RSA size bounds. */
kmip_rc kmipd_describe_key(const EVP_PKEY *pkey, uint32_t declared, int rsa_min,
                           int rsa_max, kmipd_key_info *info,
                           kmip_status *status)
{
    memset(info, 0, sizeof(*info));
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        int bits = EVP_PKEY_get_bits(pkey);
        if (bits < rsa_min || bits > rsa_max)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "RSA key of %d bits (%d to %d allowed)",
                                     bits, rsa_min, rsa_max);
        info->algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA;
        info->length = bits;
        if (declared != 0 && declared != KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "an RSA key declared as algorithm %u",
                                     declared);
        return KMIP_OK;
    }
    if (EVP_PKEY_is_a(pkey, "EC")) {
        const kmipd_curve *curve = kmipd_curve_of_key(pkey);
        if (curve == NULL)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "EC key on a curve kmipd does not "
                                     "serve (see doc/kmipd.md)");
        info->algorithm = declared == KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA
                              ? KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA
                              : KMIP_CRYPTOGRAPHIC_ALGORITHM_EC;
        info->length = curve->bits;
        info->curve = curve->kmip;
        if (declared != 0 && !kmipd_is_ec_algorithm(declared))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "an EC key declared as algorithm %u",
                                     declared);
        return KMIP_OK;
    }
    const kmipd_raw_curve *ed = kmipd_raw_curve_of_key(pkey);
    if (ed != NULL) {
        info->algorithm = ed->algorithm;
        info->length = ed->bits;
        info->curve = ed->curve;
        if (declared != 0 && declared != ed->algorithm)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "an %s key declared as algorithm %u",
                                     ed->keytype, declared);
        return KMIP_OK;
    }
    return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                             "key type %s is not supported",
                             EVP_PKEY_get0_type_name(pkey));
}

/* Runs OpenSSL's consistency checks on an imported key. */
kmip_rc kmipd_check_key(EVP_PKEY *pkey, bool private_key, kmip_status *status)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = ctx != NULL && (private_key ? EVP_PKEY_check(ctx)
                                         : EVP_PKEY_public_check(ctx)) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "the key fails OpenSSL's key checks");
    return KMIP_OK;
}
