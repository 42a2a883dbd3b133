/* SPDX-License-Identifier: Apache-2.0 */
/* Template values -> DER for Register: RSA public keys as PKCS#1, EC,
 * Edwards and Montgomery public keys as SubjectPublicKeyInfo, private keys as
 * PKCS#8, secret keys raw, certificates as given (checked to parse), data as
 * Secret Data. */
#include "key_import.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "attrmap.h"
#include "eddsa.h"

/* The value of a required attribute, or NULL (absent or empty). */
static const CK_ATTRIBUTE *required(const CK_ATTRIBUTE *templ, CK_ULONG count,
                                    CK_ATTRIBUTE_TYPE type)
{
    const CK_ATTRIBUTE *attr = p11_template_find(templ, count, type);

    return attr != NULL && attr->pValue != NULL && attr->ulValueLen > 0 ? attr
                                                                        : NULL;
}

static CK_RV take_der(p11_import *out, uint8_t *der, int len)
{
    if (len <= 0)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    out->der = der;
    out->der_len = (size_t)len;
    return CKR_OK;
}

static CK_RV copy_der(p11_import *out, const CK_ATTRIBUTE *value)
{
    out->der = OPENSSL_memdup(value->pValue, value->ulValueLen);
    out->der_len = value->ulValueLen;
    return out->der != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* Pushes the big-endian integer attribute type of templ as param name;
 * false when absent. The number is a secure BIGNUM so that the OSSL_PARAM
 * array made from bld holds it where OSSL_PARAM_free wipes it (private
 * key parts). */
static bool push_bn(OSSL_PARAM_BLD *bld, const CK_ATTRIBUTE *templ,
                    CK_ULONG count, CK_ATTRIBUTE_TYPE type, const char *name,
                    BIGNUM **keep)
{
    const CK_ATTRIBUTE *attr = required(templ, count, type);

    if (attr == NULL)
        return false;
    *keep = BN_secure_new();
    return *keep != NULL &&
           BN_bin2bn(attr->pValue, (int)attr->ulValueLen, *keep) != NULL &&
           OSSL_PARAM_BLD_push_BN(bld, name, *keep);
}

/* An EVP_PKEY of algorithm from the params bld holds; NULL when the values
 * do not make one. */
static EVP_PKEY *key_from_params(const char *algorithm, int selection,
                                 OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, algorithm, NULL);
    EVP_PKEY *key = NULL;

    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &key, selection, params) <= 0)
        key = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    ERR_clear_error();
    return key;
}

static const struct {
    CK_ATTRIBUTE_TYPE type;
    const char *param;
    bool needed;
} rsa_parts[] = {
    {CKA_MODULUS, OSSL_PKEY_PARAM_RSA_N, true},
    {CKA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E, true},
    {CKA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D, true},
    {CKA_PRIME_1, OSSL_PKEY_PARAM_RSA_FACTOR1, false},
    {CKA_PRIME_2, OSSL_PKEY_PARAM_RSA_FACTOR2, false},
    {CKA_EXPONENT_1, OSSL_PKEY_PARAM_RSA_EXPONENT1, false},
    {CKA_EXPONENT_2, OSSL_PKEY_PARAM_RSA_EXPONENT2, false},
    {CKA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, false},
};

#define RSA_PARTS (sizeof(rsa_parts) / sizeof(rsa_parts[0]))

/* RSA from the template: public parts only, or all of them. */
static CK_RV rsa_key(const CK_ATTRIBUTE *templ, CK_ULONG count, bool private,
                     EVP_PKEY **out)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *parts[RSA_PARTS] = {NULL};
    size_t n = private ? RSA_PARTS : 2;
    CK_RV rv = bld != NULL ? CKR_OK : CKR_HOST_MEMORY;

    for (size_t i = 0; rv == CKR_OK && i < n; i++)
        if (!push_bn(bld, templ, count, rsa_parts[i].type, rsa_parts[i].param,
                     &parts[i]) &&
            rsa_parts[i].needed)
            rv = CKR_TEMPLATE_INCOMPLETE;
    if (rv == CKR_OK) {
        *out = key_from_params(
            "RSA", private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld);
        rv = *out != NULL ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    }
    for (size_t i = 0; i < RSA_PARTS; i++)
        BN_clear_free(parts[i]);
    OSSL_PARAM_BLD_free(bld);
    return rv;
}

/* The curve of CKA_EC_PARAMS as an OpenSSL group name. */
static CK_RV ec_group(const CK_ATTRIBUTE *templ, CK_ULONG count,
                      const char **group)
{
    const CK_ATTRIBUTE *params = required(templ, count, CKA_EC_PARAMS);
    int nid;

    if (params == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    nid = p11_ec_params_nid(params->pValue, params->ulValueLen);
    *group = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;
    return *group != NULL ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
}

/* CKA_EC_POINT is a DER OCTET STRING; some applications pass the raw
 * point. Points *point into attr. */
static void ec_point(const CK_ATTRIBUTE *attr, const uint8_t **point,
                     size_t *len)
{
    const unsigned char *p = attr->pValue;
    ASN1_OCTET_STRING *octets =
        d2i_ASN1_OCTET_STRING(NULL, &p, (long)attr->ulValueLen);

    *point = attr->pValue;
    *len = attr->ulValueLen;
    if (octets != NULL && p == *point + *len) {
        *len = (size_t)ASN1_STRING_length(octets);
        *point = p - *len; /* the contents end where the DER ends */
    }
    ASN1_OCTET_STRING_free(octets);
    ERR_clear_error();
}

/* PKCS#8 carries the public point: computes it from the private scalar
 * into octets (which must outlive bld's parameters) and pushes it. */
static CK_RV push_public_point(OSSL_PARAM_BLD *bld, const char *group_name,
                               const BIGNUM *scalar, unsigned char *octets,
                               size_t octets_size)
{
    EC_GROUP *group = EC_GROUP_new_by_curve_name(OBJ_sn2nid(group_name));
    EC_POINT *point = group != NULL ? EC_POINT_new(group) : NULL;
    size_t len = 0;
    CK_RV rv = CKR_ATTRIBUTE_VALUE_INVALID;

    if (point != NULL && EC_POINT_mul(group, point, scalar, NULL, NULL, NULL))
        len = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED,
                                 octets, octets_size, NULL);
    if (len > 0)
        rv = OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                              octets, len)
                 ? CKR_OK
                 : CKR_HOST_MEMORY;
    EC_POINT_free(point);
    EC_GROUP_free(group);
    ERR_clear_error();
    return rv;
}

static CK_RV ec_key(const CK_ATTRIBUTE *templ, CK_ULONG count, bool private,
                    EVP_PKEY **out)
{
    const CK_ATTRIBUTE *part =
        required(templ, count, private ? CKA_VALUE : CKA_EC_POINT);
    OSSL_PARAM_BLD *bld;
    BIGNUM *scalar = NULL;
    unsigned char point_octets[256];
    const char *group;
    CK_RV rv = ec_group(templ, count, &group);

    if (rv != CKR_OK)
        return rv;
    if (part == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL || !OSSL_PARAM_BLD_push_utf8_string(
                           bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0))
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK && private &&
        !push_bn(bld, templ, count, CKA_VALUE, OSSL_PKEY_PARAM_PRIV_KEY,
                 &scalar))
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK && private)
        rv = push_public_point(bld, group, scalar, point_octets,
                               sizeof(point_octets));
    if (rv == CKR_OK && !private) {
        const uint8_t *point;
        size_t len;

        ec_point(part, &point, &len);
        if (!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                              point, len))
            rv = CKR_HOST_MEMORY;
    }
    if (rv == CKR_OK) {
        *out = key_from_params(
            "EC", private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld);
        rv = *out != NULL ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    }
    BN_clear_free(scalar);
    OSSL_PARAM_BLD_free(bld);
    return rv;
}

/* A key whose material is raw bytes (PKCS#11 3.0 CKK_EC_EDWARDS,
 * CKK_EC_MONTGOMERY): the
 * curve from CKA_EC_PARAMS, the private key in CKA_VALUE, the public key
 * in CKA_EC_POINT (a DER OCTET STRING, or raw). */
static CK_RV raw_key(const CK_ATTRIBUTE *templ, CK_ULONG count, bool private,
                     CK_ULONG subtype, EVP_PKEY **out)
{
    const CK_ATTRIBUTE *params = required(templ, count, CKA_EC_PARAMS);
    const CK_ATTRIBUTE *part =
        required(templ, count, private ? CKA_VALUE : CKA_EC_POINT);
    const p11_raw_curve *curve =
        params != NULL ? p11_raw_curve_of_params(subtype, params->pValue,
                                                 params->ulValueLen)
                       : NULL;
    const uint8_t *bytes;
    size_t len;

    if (params == NULL || part == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    if (curve == NULL)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    bytes = part->pValue;
    len = part->ulValueLen;
    if (!private && len != curve->key_bytes)
        ec_point(part, &bytes, &len);
    *out = private
               ? EVP_PKEY_new_raw_private_key_ex(NULL, OBJ_nid2sn(curve->nid),
                                                 NULL, bytes, len)
               : EVP_PKEY_new_raw_public_key_ex(NULL, OBJ_nid2sn(curve->nid),
                                                NULL, bytes, len);
    ERR_clear_error();
    return *out != NULL && len == curve->key_bytes
               ? CKR_OK
               : CKR_ATTRIBUTE_VALUE_INVALID;
}

static CK_RV asymmetric(const CK_ATTRIBUTE *templ, CK_ULONG count,
                        CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                        p11_import *out)
{
    bool private = object_class == CKO_PRIVATE_KEY;
    EVP_PKEY *key = NULL;
    uint8_t *der = NULL;
    int len = -1;
    CK_RV rv = subtype == CKK_RSA ? rsa_key(templ, count, private, &key)
               : subtype == CKK_EC
                   ? ec_key(templ, count, private, &key)
                   : raw_key(templ, count, private, subtype, &key);
    const p11_raw_curve *curve = p11_raw_curve_of_key(key);

    if (rv != CKR_OK)
        return rv;
    if (private) {
        PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(key);
        int public_len = i2d_PUBKEY(key, &out->public_der);

        out->public_der_len = public_len > 0 ? (size_t)public_len : 0;
        len = info != NULL ? i2d_PKCS8_PRIV_KEY_INFO(info, &der) : -1;
        PKCS8_PRIV_KEY_INFO_free(info);
        out->object.format = KMIP_KEY_FORMAT_TYPE_PKCS_8;
    } else if (subtype == CKK_RSA) {
        len = i2d_PublicKey(key, &der);
        out->object.format = KMIP_KEY_FORMAT_TYPE_PKCS_1;
    } else {
        len = i2d_PUBKEY(key, &der);
        out->object.format = KMIP_KEY_FORMAT_TYPE_X_509;
    }
    out->object.object_type =
        private ? KMIP_OBJECT_TYPE_PRIVATE_KEY : KMIP_OBJECT_TYPE_PUBLIC_KEY;
    /* An Edwards or Montgomery key's KMIP algorithm and length are its
     * curve's (Ed448 is not Ed25519; OpenSSL gives X25519 253 bits). */
    out->object.algorithm =
        curve != NULL ? curve->algorithm : p11_kmip_algorithm(subtype);
    out->object.length = curve != NULL ? curve->bits : EVP_PKEY_get_bits(key);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return take_der(out, der, len);
}

static CK_RV certificate(const CK_ATTRIBUTE *templ, CK_ULONG count,
                         p11_import *out)
{
    const CK_ATTRIBUTE *value = required(templ, count, CKA_VALUE);
    const unsigned char *p;
    X509 *cert;

    if (value == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    p = value->pValue;
    cert = d2i_X509(NULL, &p, (long)value->ulValueLen);
    X509_free(cert);
    ERR_clear_error();
    if (cert == NULL ||
        p != (const unsigned char *)value->pValue + value->ulValueLen)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    out->object.object_type = KMIP_OBJECT_TYPE_CERTIFICATE;
    out->object.format = KMIP_CERTIFICATE_TYPE_X_509;
    return copy_der(out, value);
}

static CK_RV secret(const CK_ATTRIBUTE *templ, CK_ULONG count, CK_ULONG subtype,
                    p11_import *out)
{
    const CK_ATTRIBUTE *value = required(templ, count, CKA_VALUE);

    if (value == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    if (subtype == CKK_AES && value->ulValueLen != 16 &&
        value->ulValueLen != 24 && value->ulValueLen != 32)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    out->object.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY;
    out->object.format = KMIP_KEY_FORMAT_TYPE_RAW;
    out->object.algorithm = p11_kmip_algorithm(subtype);
    out->object.length = (int32_t)(value->ulValueLen * 8);
    return copy_der(out, value);
}

static CK_RV data(const CK_ATTRIBUTE *templ, CK_ULONG count, p11_import *out)
{
    const CK_ATTRIBUTE *value = p11_template_find(templ, count, CKA_VALUE);

    out->object.object_type = KMIP_OBJECT_TYPE_SECRET_DATA;
    out->object.format = KMIP_KEY_FORMAT_TYPE_OPAQUE;
    out->object.secret_data_type = KMIP_SECRET_DATA_TYPE_SEED;
    if (value != NULL && value->ulValueLen > 0)
        return copy_der(out, value);
    /* No CKA_VALUE, or an empty one, is an empty value (CKA_VALUE's
     * default): a Secret Data of an empty Key Material. */
    out->der = OPENSSL_zalloc(1);
    return out->der != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

CK_RV p11_import_build(const CK_ATTRIBUTE *templ, CK_ULONG count,
                       CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                       p11_import *out)
{
    CK_RV rv;

    memset(out, 0, sizeof(*out));
    switch (object_class) {
    case CKO_PUBLIC_KEY:
    case CKO_PRIVATE_KEY:
        rv = asymmetric(templ, count, object_class, subtype, out);
        break;
    case CKO_CERTIFICATE:
        rv = certificate(templ, count, out);
        break;
    case CKO_SECRET_KEY:
        rv = secret(templ, count, subtype, out);
        break;
    case CKO_DATA:
        rv = data(templ, count, out);
        break;
    default:
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    }
    out->object.value.data = out->der;
    out->object.value.len = out->der_len;
    return rv;
}

void p11_import_clear(p11_import *import)
{
    OPENSSL_clear_free(import->der, import->der_len);
    OPENSSL_free(import->public_der);
    memset(import, 0, sizeof(*import));
}
