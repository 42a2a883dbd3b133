/* SPDX-License-Identifier: Apache-2.0 */
/* KMIP object types and algorithms in PKCS#11 terms. */
#include "attrmap.h"
#include "eddsa.h"
#include "mech_params.h"

#include "kmip/tags.h"

static const struct {
    uint32_t object_type;
    CK_OBJECT_CLASS object_class;
} classes[] = {
    {KMIP_OBJECT_TYPE_PUBLIC_KEY, CKO_PUBLIC_KEY},
    {KMIP_OBJECT_TYPE_PRIVATE_KEY, CKO_PRIVATE_KEY},
    {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, CKO_SECRET_KEY},
    {KMIP_OBJECT_TYPE_CERTIFICATE, CKO_CERTIFICATE},
    {KMIP_OBJECT_TYPE_SECRET_DATA, CKO_DATA},
    {KMIP_OBJECT_TYPE_OPAQUE_DATA, CKO_DATA},
};

/* First match wins when mapping CKK_* to KMIP for new keys. */
static const struct {
    uint32_t algorithm;
    CK_KEY_TYPE key_type;
} key_types[] = {
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, CKK_RSA},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, CKK_EC},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA, CKK_EC},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDH, CKK_EC},
    /* Read back, ECDH is CKK_EC until the key shows its curve
     * (p11_key_subtype). */
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDH, CKK_EC_MONTGOMERY},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519, CKK_EC_EDWARDS},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_ED448, CKK_EC_EDWARDS},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, CKK_AES},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256, CKK_GENERIC_SECRET},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA1, CKK_GENERIC_SECRET},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA224, CKK_GENERIC_SECRET},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA384, CKK_GENERIC_SECRET},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA512, CKK_GENERIC_SECRET},
    /* The PKCS#11 HMAC key types, whose hash the KMIP algorithm fixes; read
     * back, such a key is a generic secret of that algorithm. */
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA1, CKK_SHA_1_HMAC},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA224, CKK_SHA224_HMAC},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256, CKK_SHA256_HMAC},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA384, CKK_SHA384_HMAC},
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA512, CKK_SHA512_HMAC},
};

#define COUNT(table) (sizeof(table) / sizeof((table)[0]))

bool p11_class_from_kmip(uint32_t object_type, CK_OBJECT_CLASS *out)
{
    for (size_t i = 0; i < COUNT(classes); i++) {
        if (classes[i].object_type == object_type) {
            *out = classes[i].object_class;
            return true;
        }
    }
    return false;
}

CK_ULONG p11_subtype_from_kmip(CK_OBJECT_CLASS object_class, uint32_t algorithm)
{
    if (object_class == CKO_CERTIFICATE)
        return CKC_X_509;
    if (object_class != CKO_PUBLIC_KEY && object_class != CKO_PRIVATE_KEY &&
        object_class != CKO_SECRET_KEY)
        return CK_UNAVAILABLE_INFORMATION;
    for (size_t i = 0; i < COUNT(key_types); i++)
        if (key_types[i].algorithm == algorithm)
            return key_types[i].key_type;
    /* A symmetric key of another algorithm is still a secret. */
    return object_class == CKO_SECRET_KEY ? CKK_GENERIC_SECRET
                                          : CK_UNAVAILABLE_INFORMATION;
}

CK_ULONG p11_key_subtype(CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                         const EVP_PKEY *key)
{
    const p11_raw_curve *curve = p11_raw_curve_of_key(key);

    return (object_class == CKO_PUBLIC_KEY ||
            object_class == CKO_PRIVATE_KEY) &&
                   curve != NULL
               ? curve->key_type
               : subtype;
}

uint32_t p11_kmip_algorithm(CK_KEY_TYPE key_type)
{
    for (size_t i = 0; i < COUNT(key_types); i++)
        if (key_types[i].key_type == key_type)
            return key_types[i].algorithm;
    return 0;
}

bool p11_mac_key_type(CK_KEY_TYPE key_type)
{
    return p11_hmac_algorithm_fixed(p11_kmip_algorithm(key_type));
}
