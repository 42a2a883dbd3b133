/* SPDX-License-Identifier: Apache-2.0 */
/* Import: key material a client registers, validated and turned into
 * canonical form; certificates checked. */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

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
    if (len == 0 || len > KMIPD_SECRET_MAX_BITS / 8)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "a symmetric key of %zu bytes", len);
    if (algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_AES && len != 16 &&
        len != 24 && len != 32)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "an AES key of %zu bytes", len);
    bool des = algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES;
    if (des && len != 16 && len != 24)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "a Triple DES key of %zu bytes", len);
    if (!kmipd_buf_set(canonical, in, len))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    info->algorithm = algorithm;
    /* Triple DES lengths count the key bits, not the parity bits. */
    info->length = (int32_t)(len * (des ? 7 : 8));
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
    kmip_rc rc = kmipd_describe_key(pkey, algorithm, KMIPD_RSA_IMPORT_MIN,
                                    KMIPD_RSA_IMPORT_MAX, info, status);
    if (rc == KMIP_OK)
        rc = kmipd_check_key(pkey, private_key, status);
    if (rc == KMIP_OK)
        rc = private_key ? kmipd_encode_private(pkey, canonical, status)
                         : kmipd_encode_public(pkey, canonical, status);
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
    kmip_rc rc = kmipd_decode_der(in, len, how->selection, how->structure,
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
    const kmipd_curve *curve = kmipd_curve_by_kmip(curve_id);
    if (curve == NULL)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "EC keys are on the NIST P, secp256k1 or "
                                 "brainpool r1 curves, not curve %u",
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

kmip_rc kmipd_key_from_raw_public(uint32_t algorithm, uint32_t curve,
                                  const uint8_t *raw, size_t len,
                                  kmipd_buf *canonical, kmipd_key_info *info,
                                  kmip_status *status)
{
    const kmipd_raw_curve *ed = kmipd_raw_curve_find(algorithm, curve);
    if (ed == NULL)
        return kmipd_key_from_ec_point(curve, raw, len, canonical, info,
                                       status);
    EVP_PKEY *pkey =
        EVP_PKEY_new_raw_public_key_ex(NULL, ed->keytype, NULL, raw, len);
    kmip_rc rc =
        pkey != NULL
            ? canonicalise(pkey, KMIP_OBJECT_TYPE_PUBLIC_KEY, algorithm,
                           canonical, info, status)
            : kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                "not a valid %s public key", ed->keytype);
    EVP_PKEY_free(pkey);
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
    if (pkey == NULL ||
        kmipd_describe_key(pkey, 0, KMIPD_RSA_IMPORT_MIN, KMIPD_RSA_IMPORT_MAX,
                           info, &ignored) != KMIP_OK)
        memset(info, 0, sizeof(*info));
    X509_free(cert);
    return KMIP_OK;
}
