/* SPDX-License-Identifier: Apache-2.0 */
/* Public key material: KMIP key values to EVP_PKEY, and the DER forms of
 * CKA_EC_PARAMS and CKA_EC_POINT (of EC, Edwards and Montgomery keys). */
#include "attrmap.h"
#include "eddsa.h"

#include <stdio.h>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

EVP_PKEY *p11_public_key_from_kmip(const kmip_object *material)
{
    const unsigned char *der = material->value.data;
    long len = (long)material->value.len;
    EVP_PKEY *key;

    if (der == NULL)
        return NULL;
    key = d2i_PUBKEY(NULL, &der, len);
    if (key == NULL) {
        der = material->value.data;
        key = d2i_PublicKey(EVP_PKEY_RSA, NULL, &der, len);
    }
    ERR_clear_error();
    return key;
}

bool p11_ec_params_der(const EVP_PKEY *key, uint8_t **out, size_t *len)
{
    char curve[80];
    ASN1_OBJECT *oid;
    unsigned char *der = NULL;
    int der_len;

    if (p11_raw_curve_of_key(key) != NULL)
        /* The curve's OID (RFC 8410), whatever form the template had. */
        snprintf(curve, sizeof(curve), "%s", EVP_PKEY_get0_type_name(key));
    else if (key == NULL || !EVP_PKEY_is_a(key, "EC") ||
             !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
                                             curve, sizeof(curve), NULL))
        return false;
    oid = OBJ_nid2obj(OBJ_txt2nid(curve));
    if (oid == NULL)
        return false;
    der_len = i2d_ASN1_OBJECT(oid, &der);
    ASN1_OBJECT_free(oid);
    if (der_len <= 0)
        return false;
    *out = der;
    *len = (size_t)der_len;
    return true;
}

bool p11_ec_point_der(const EVP_PKEY *key, uint8_t **out, size_t *len)
{
    unsigned char point[256];
    size_t point_len = 0;
    ASN1_OCTET_STRING *octets;
    unsigned char *der = NULL;
    int der_len = -1;

    point_len = sizeof(point);
    if (key == NULL ||
        (EVP_PKEY_is_a(key, "EC")
             ? !EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY,
                                                point, sizeof(point),
                                                &point_len)
             : !EVP_PKEY_get_raw_public_key(key, point, &point_len)))
        return false;
    octets = ASN1_OCTET_STRING_new();
    if (octets != NULL && ASN1_OCTET_STRING_set(octets, point, (int)point_len))
        der_len = i2d_ASN1_OCTET_STRING(octets, &der);
    ASN1_OCTET_STRING_free(octets);
    if (der_len <= 0)
        return false;
    *out = der;
    *len = (size_t)der_len;
    return true;
}

int p11_ec_params_nid(const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    ASN1_OBJECT *oid = d2i_ASN1_OBJECT(NULL, &p, (long)len);
    int nid = NID_undef;

    if (oid != NULL && p == der + len)
        nid = OBJ_obj2nid(oid);
    ASN1_OBJECT_free(oid);
    ERR_clear_error();
    return nid;
}
