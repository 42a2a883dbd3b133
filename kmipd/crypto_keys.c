/* SPDX-License-Identifier: Apache-2.0 */
/* Key generation, import (validation into canonical form) and export
 * (format conversion) with OpenSSL 3's EVP, encoder and decoder APIs. */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

#define RSA_GENERATE_MIN 2048
#define RSA_GENERATE_MAX 4096
#define RSA_IMPORT_MIN 1024
#define RSA_IMPORT_MAX 8192
#define SECRET_MAX_BITS 4096

static const struct curve {
    uint32_t kmip;
    int nid;
    const char *group; /* OpenSSL group name */
    int32_t bits;
} curves[] = {
    {KMIP_RECOMMENDED_CURVE_P_256, NID_X9_62_prime256v1, "P-256", 256},
    {KMIP_RECOMMENDED_CURVE_P_384, NID_secp384r1, "P-384", 384},
    {KMIP_RECOMMENDED_CURVE_P_521, NID_secp521r1, "P-521", 521},
};

#define CURVE_COUNT (sizeof(curves) / sizeof(*curves))

static const struct curve *curve_by_kmip(uint32_t kmip)
{
    for (size_t i = 0; i < CURVE_COUNT; i++) {
        if (curves[i].kmip == kmip)
            return &curves[i];
    }
    return NULL;
}

static const struct curve *curve_by_bits(int32_t bits)
{
    for (size_t i = 0; i < CURVE_COUNT; i++) {
        if (curves[i].bits == bits)
            return &curves[i];
    }
    return NULL;
}

static const struct curve *curve_of_key(const EVP_PKEY *pkey)
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

static bool is_ec_algorithm(uint32_t algorithm)
{
    return algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_EC ||
           algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA;
}

/* ---- Encoding and decoding. ---- */

/* DER encoding of the selection of pkey in structure ("PrivateKeyInfo",
 * "SubjectPublicKeyInfo", "type-specific"). */
static kmip_rc encode_der(const EVP_PKEY *pkey, int selection,
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
static kmip_rc decode_der(const uint8_t *der, size_t len, int selection,
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

static kmip_rc encode_private(const EVP_PKEY *pkey, kmipd_buf *out,
                              kmip_status *status)
{
    return encode_der(pkey, EVP_PKEY_KEYPAIR, "PrivateKeyInfo", out, status);
}

static kmip_rc encode_public(const EVP_PKEY *pkey, kmipd_buf *out,
                             kmip_status *status)
{
    return encode_der(pkey, EVP_PKEY_PUBLIC_KEY, "SubjectPublicKeyInfo", out,
                      status);
}

static kmip_rc decode_canonical(uint32_t object_type, const uint8_t *der,
                                size_t len, EVP_PKEY **out, kmip_status *status)
{
    if (object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY)
        return decode_der(der, len, EVP_PKEY_KEYPAIR, "PrivateKeyInfo", NULL,
                          out, status);
    if (object_type == KMIP_OBJECT_TYPE_PUBLIC_KEY)
        return decode_der(der, len, EVP_PKEY_PUBLIC_KEY, "SubjectPublicKeyInfo",
                          NULL, out, status);
    return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                             "object type %u has no asymmetric key",
                             object_type);
}

/* ---- What a key is. ---- */

/* Describes pkey (RSA or EC on a supported curve) in info and checks it
 * against the declared algorithm (0: any) and the RSA size bounds. */
static kmip_rc describe_key(const EVP_PKEY *pkey, uint32_t declared,
                            int rsa_min, int rsa_max, kmipd_key_info *info,
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
        const struct curve *curve = curve_of_key(pkey);
        if (curve == NULL)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "EC key on a curve other than P-256, "
                                     "P-384 or P-521");
        info->algorithm = declared == KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA
                              ? KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA
                              : KMIP_CRYPTOGRAPHIC_ALGORITHM_EC;
        info->length = curve->bits;
        info->curve = curve->kmip;
        if (declared != 0 && !is_ec_algorithm(declared))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "an EC key declared as algorithm %u",
                                     declared);
        return KMIP_OK;
    }
    return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                             "key type %s is not supported",
                             EVP_PKEY_get0_type_name(pkey));
}

/* Runs OpenSSL's consistency checks on an imported key. */
static kmip_rc check_key(EVP_PKEY *pkey, bool private_key, kmip_status *status)
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

/* ---- Generation. ---- */

kmip_rc kmipd_generate_symmetric(uint32_t algorithm, int32_t length,
                                 kmipd_buf *out, kmipd_key_info *info,
                                 kmip_status *status)
{
    if (algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_AES) {
        if (length != 128 && length != 192 && length != 256)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "AES keys are 128, 192 or 256 bits, "
                                     "not %d",
                                     (int)length);
    } else if (kmipd_hmac_hash(algorithm) != 0) {
        if (length == 0)
            length =
                8 * EVP_MD_get_size(kmipd_hash_md(kmipd_hmac_hash(algorithm)));
        if (length < 8 || length > SECRET_MAX_BITS || length % 8 != 0)
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "HMAC keys are 8 to %d bits in whole "
                                     "bytes, not %d",
                                     SECRET_MAX_BITS, (int)length);
    } else {
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
            "kmipd creates AES and HMAC keys, not algorithm %u", algorithm);
    }
    if (!kmipd_buf_alloc(out, (size_t)length / 8))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    if (RAND_priv_bytes(out->data, (int)out->len) != 1) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "the random generator failed");
    }
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

static EVP_PKEY *generate_ec(const struct curve *curve)
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
    } else if (is_ec_algorithm(algorithm)) {
        const struct curve *curve =
            curve_id != 0 ? curve_by_kmip(curve_id) : curve_by_bits(length);
        if (curve == NULL || (length != 0 && length != curve->bits))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                     "EC keys are on P-256, P-384 or P-521 "
                                     "(curve %u, length %d)",
                                     curve_id, (int)length);
        pkey = generate_ec(curve);
    } else {
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
            "kmipd creates RSA and EC key pairs, not algorithm %u", algorithm);
    }
    if (pkey == NULL)
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "key generation failed");
    kmip_rc rc = describe_key(pkey, algorithm, RSA_GENERATE_MIN,
                              RSA_GENERATE_MAX, info, status);
    if (rc == KMIP_OK)
        rc = encode_private(pkey, private_der, status);
    if (rc == KMIP_OK)
        rc = encode_public(pkey, public_der, status);
    if (rc != KMIP_OK)
        kmipd_buf_clear(private_der);
    EVP_PKEY_free(pkey);
    return rc;
}

/* ---- Import. ---- */

static kmip_rc import_symmetric(uint32_t format, uint32_t algorithm,
                                const uint8_t *in, size_t len,
                                kmipd_buf *canonical, kmipd_key_info *info,
                                kmip_status *status)
{
    if (format != KMIP_KEY_FORMAT_TYPE_RAW &&
        format != KMIP_KEY_FORMAT_TYPE_TRANSPARENT_SYMMETRIC_KEY)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
            "symmetric keys are registered as Raw, not format %u", format);
    if (len == 0 || len > SECRET_MAX_BITS / 8)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "a symmetric key of %zu bytes", len);
    if (algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_AES && len != 16 &&
        len != 24 && len != 32)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "an AES key of %zu bytes", len);
    if (!kmipd_buf_set(canonical, in, len))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    info->algorithm = algorithm;
    info->length = (int32_t)(len * 8);
    info->curve = 0;
    return KMIP_OK;
}

/* How a format of an asymmetric object type is decoded. */
static const struct import_format {
    uint32_t object_type;
    uint32_t format;
    int selection;
    const char *structure;
    const char *keytype;
} import_formats[] = {
    {KMIP_OBJECT_TYPE_PRIVATE_KEY, KMIP_KEY_FORMAT_TYPE_PKCS_8,
     EVP_PKEY_KEYPAIR, "PrivateKeyInfo", NULL},
    {KMIP_OBJECT_TYPE_PRIVATE_KEY, KMIP_KEY_FORMAT_TYPE_PKCS_1,
     EVP_PKEY_KEYPAIR, "type-specific", "RSA"},
    {KMIP_OBJECT_TYPE_PRIVATE_KEY, KMIP_KEY_FORMAT_TYPE_EC_PRIVATE_KEY,
     EVP_PKEY_KEYPAIR, "type-specific", "EC"},
    {KMIP_OBJECT_TYPE_PUBLIC_KEY, KMIP_KEY_FORMAT_TYPE_X_509,
     EVP_PKEY_PUBLIC_KEY, "SubjectPublicKeyInfo", NULL},
    {KMIP_OBJECT_TYPE_PUBLIC_KEY, KMIP_KEY_FORMAT_TYPE_PKCS_1,
     EVP_PKEY_PUBLIC_KEY, "type-specific", "RSA"},
};

static kmip_rc canonicalise(EVP_PKEY *pkey, uint32_t object_type,
                            uint32_t algorithm, kmipd_buf *canonical,
                            kmipd_key_info *info, kmip_status *status)
{
    bool private_key = object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY;
    kmip_rc rc = describe_key(pkey, algorithm, RSA_IMPORT_MIN, RSA_IMPORT_MAX,
                              info, status);
    if (rc == KMIP_OK)
        rc = check_key(pkey, private_key, status);
    if (rc == KMIP_OK)
        rc = private_key ? encode_private(pkey, canonical, status)
                         : encode_public(pkey, canonical, status);
    return rc;
}

kmip_rc kmipd_key_import(uint32_t object_type, uint32_t format,
                         uint32_t algorithm, const uint8_t *in, size_t len,
                         kmipd_buf *canonical, kmipd_key_info *info,
                         kmip_status *status)
{
    if (object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY)
        return import_symmetric(format, algorithm, in, len, canonical, info,
                                status);
    const struct import_format *how = NULL;
    for (size_t i = 0; i < sizeof(import_formats) / sizeof(*import_formats);
         i++) {
        if (import_formats[i].object_type == object_type &&
            import_formats[i].format == format)
            how = &import_formats[i];
    }
    if (how == NULL)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
            "key format %u is not accepted for object type %u", format,
            object_type);
    EVP_PKEY *pkey = NULL;
    kmip_rc rc = decode_der(in, len, how->selection, how->structure,
                            how->keytype, &pkey, status);
    if (rc == KMIP_OK)
        rc =
            canonicalise(pkey, object_type, algorithm, canonical, info, status);
    EVP_PKEY_free(pkey);
    return rc;
}

/* A public key built with EVP_PKEY_fromdata from params. */
static kmip_rc public_from_params(const char *keytype, OSSL_PARAM_BLD *bld,
                                  uint32_t algorithm, kmipd_buf *canonical,
                                  kmipd_key_info *info, kmip_status *status)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);
    int ok = params != NULL && ctx != NULL &&
             EVP_PKEY_fromdata_init(ctx) == 1 &&
             EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    kmip_rc rc =
        ok ? canonicalise(pkey, KMIP_OBJECT_TYPE_PUBLIC_KEY, algorithm,
                          canonical, info, status)
           : kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                               "not a valid %s public key", keytype);
    EVP_PKEY_free(pkey);
    return rc;
}

kmip_rc kmipd_key_from_rsa_public(const uint8_t *n, size_t n_len,
                                  const uint8_t *e, size_t e_len,
                                  kmipd_buf *canonical, kmipd_key_info *info,
                                  kmip_status *status)
{
    BIGNUM *bn_n = BN_bin2bn(n, (int)n_len, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, (int)e_len, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    kmip_rc rc;
    if (bn_n == NULL || bn_e == NULL || bld == NULL ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
        rc = kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                               "out of memory");
    else
        rc = public_from_params("RSA", bld, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA,
                                canonical, info, status);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    return rc;
}

kmip_rc kmipd_key_from_ec_point(uint32_t curve_id, const uint8_t *point,
                                size_t len, kmipd_buf *canonical,
                                kmipd_key_info *info, kmip_status *status)
{
    const struct curve *curve = curve_by_kmip(curve_id);
    if (curve == NULL)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "EC keys are on P-256, P-384 or P-521, "
                                 "not curve %u",
                                 curve_id);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    kmip_rc rc;
    if (bld == NULL ||
        !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                         curve->group, 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                          len))
        rc = kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                               "out of memory");
    else
        rc = public_from_params("EC", bld, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC,
                                canonical, info, status);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

kmip_rc kmipd_certificate_check(const uint8_t *der, size_t len,
                                kmipd_key_info *info, kmip_status *status)
{
    const unsigned char *cursor = der;
    X509 *cert = d2i_X509(NULL, &cursor, (long)len);
    if (cert == NULL || cursor != der + len) {
        X509_free(cert);
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "not an X.509 certificate in DER");
    }
    EVP_PKEY *pkey = X509_get0_pubkey(cert);
    kmip_status ignored;
    if (pkey == NULL || describe_key(pkey, 0, RSA_IMPORT_MIN, RSA_IMPORT_MAX,
                                     info, &ignored) != KMIP_OK)
        memset(info, 0, sizeof(*info));
    X509_free(cert);
    return KMIP_OK;
}

/* ---- Export. ---- */

static kmip_rc ec_point(const EVP_PKEY *pkey, kmipd_buf *out,
                        kmip_status *status)
{
    size_t len = 0;
    if (!EVP_PKEY_get_octet_string_param(
            pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0, &len) ||
        !kmipd_buf_alloc(out, len) ||
        !EVP_PKEY_get_octet_string_param(pkey,
                                         OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                         out->data, len, &out->len)) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "cannot read the EC point");
    }
    return KMIP_OK;
}

static kmip_rc export_asymmetric(uint32_t object_type, const EVP_PKEY *pkey,
                                 uint32_t format, kmipd_buf *out,
                                 kmip_status *status)
{
    bool rsa = EVP_PKEY_is_a(pkey, "RSA");
    bool ec = EVP_PKEY_is_a(pkey, "EC");
    bool private_key = object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY;
    int selection = private_key ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    if (format == KMIP_KEY_FORMAT_TYPE_PKCS_8 && private_key)
        return encode_private(pkey, out, status);
    if (format == KMIP_KEY_FORMAT_TYPE_X_509 && !private_key)
        return encode_public(pkey, out, status);
    if ((format == KMIP_KEY_FORMAT_TYPE_PKCS_1 && rsa) ||
        (format == KMIP_KEY_FORMAT_TYPE_EC_PRIVATE_KEY && ec && private_key))
        return encode_der(pkey, selection, "type-specific", out, status);
    if (format == KMIP_KEY_FORMAT_TYPE_RAW && ec && !private_key)
        return ec_point(pkey, out, status);
    return kmipd_crypto_fail(status,
                             KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                             "key format %u is not available for this %s key",
                             format, EVP_PKEY_get0_type_name(pkey));
}

kmip_rc kmipd_key_export(uint32_t object_type, const uint8_t *canonical,
                         size_t len, uint32_t format, kmipd_buf *out,
                         kmip_status *status)
{
    if (object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY) {
        if (format != KMIP_KEY_FORMAT_TYPE_RAW)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                "symmetric keys are exported as Raw, not format %u", format);
        if (!kmipd_buf_set(out, canonical, len))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                     "out of memory");
        return KMIP_OK;
    }
    EVP_PKEY *pkey = NULL;
    kmip_rc rc = kmipd_key_load(object_type, canonical, len, &pkey, status);
    if (rc == KMIP_OK)
        rc = export_asymmetric(object_type, pkey, format, out, status);
    EVP_PKEY_free(pkey);
    return rc;
}

static kmip_rc bn_param(const EVP_PKEY *pkey, const char *name, kmipd_buf *out,
                        kmip_status *status)
{
    BIGNUM *bn = NULL;
    bool ok = EVP_PKEY_get_bn_param(pkey, name, &bn) &&
              kmipd_buf_alloc(out, (size_t)BN_num_bytes(bn));
    if (ok)
        out->len = (size_t)BN_bn2bin(bn, out->data);
    BN_clear_free(bn);
    if (!ok)
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "cannot read the key's %s", name);
    return KMIP_OK;
}

kmip_rc kmipd_key_rsa_public_parts(const uint8_t *canonical, size_t len,
                                   kmipd_buf *n, kmipd_buf *e,
                                   kmip_status *status)
{
    EVP_PKEY *pkey = NULL;
    kmip_rc rc = kmipd_key_load(KMIP_OBJECT_TYPE_PUBLIC_KEY, canonical, len,
                                &pkey, status);
    if (rc == KMIP_OK && !EVP_PKEY_is_a(pkey, "RSA"))
        rc = kmipd_crypto_fail(status,
                               KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                               "Transparent RSA Public Key asked for a %s key",
                               EVP_PKEY_get0_type_name(pkey));
    if (rc == KMIP_OK)
        rc = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, n, status);
    if (rc == KMIP_OK) {
        rc = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, e, status);
        if (rc != KMIP_OK)
            kmipd_buf_clear(n);
    }
    EVP_PKEY_free(pkey);
    return rc;
}

kmip_rc kmipd_key_ec_public_parts(const uint8_t *canonical, size_t len,
                                  uint32_t *curve_id, kmipd_buf *point,
                                  kmip_status *status)
{
    EVP_PKEY *pkey = NULL;
    kmip_rc rc = kmipd_key_load(KMIP_OBJECT_TYPE_PUBLIC_KEY, canonical, len,
                                &pkey, status);
    const struct curve *curve =
        rc == KMIP_OK && EVP_PKEY_is_a(pkey, "EC") ? curve_of_key(pkey) : NULL;
    if (rc == KMIP_OK && curve == NULL)
        rc = kmipd_crypto_fail(status,
                               KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                               "Transparent EC Public Key asked for a %s key",
                               EVP_PKEY_get0_type_name(pkey));
    if (rc == KMIP_OK) {
        *curve_id = curve->kmip;
        rc = ec_point(pkey, point, status);
    }
    EVP_PKEY_free(pkey);
    return rc;
}

/* ---- Loading (behind the cache of crypto_key_cache.c). ---- */

kmip_rc kmipd_key_parse(uint32_t object_type, const uint8_t *canonical,
                        size_t len, EVP_PKEY **out, kmip_status *status)
{
    return decode_canonical(object_type, canonical, len, out, status);
}
