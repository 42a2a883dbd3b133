// SPDX-License-Identifier: Apache-2.0
#include "eddsa.h"

#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "kmip/tags.h"

/* The largest Ed25519 key size anyone reports (255 in KMIP, 253 or 256
 * elsewhere); Ed448 sizes are above it. */
#define ED25519_BITS_MAX 256
#define ED25519_SIGNATURE 64
#define ED448_SIGNATURE 114

#define EDWARDS(nid, name, algorithm, bits, bytes)                             \
    {                                                                          \
        (nid), CKK_EC_EDWARDS, (name),                                         \
            KMIP_CRYPTOGRAPHIC_ALGORITHM_##algorithm, 0, (bits), (bytes)       \
    }
/* KMIP has no algorithm for X25519 / X448: ECDH on the curve. */
#define MONTGOMERY(nid, name, curve, bits, bytes)                              \
    {                                                                          \
        (nid), CKK_EC_MONTGOMERY, (name), KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDH,   \
            KMIP_RECOMMENDED_CURVE_##curve, (bits), (bytes)                    \
    }

static const p11_raw_curve curves[] = {
    EDWARDS(NID_ED25519, "edwards25519", ED25519, 255, 32),
    EDWARDS(NID_ED448, "edwards448", ED448, 448, 57),
    MONTGOMERY(NID_X25519, "curve25519", CURVE25519, 255, 32),
    MONTGOMERY(NID_X448, "curve448", CURVE448, 448, 56),
};

#define CURVE_COUNT (sizeof(curves) / sizeof(curves[0]))

/* Whether a DER PrintableString is name. */
static bool names(const ASN1_PRINTABLESTRING *string, const char *name)
{
    return (size_t)ASN1_STRING_length(string) == strlen(name) &&
           memcmp(ASN1_STRING_get0_data(string), name, strlen(name)) == 0;
}

/* The NID of a DER OID, or of a DER PrintableString naming a curve. */
static int params_nid(const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    ASN1_OBJECT *oid = d2i_ASN1_OBJECT(NULL, &p, (long)len);
    int nid = oid != NULL && p == der + len ? OBJ_obj2nid(oid) : NID_undef;
    ASN1_OBJECT_free(oid);
    p = der;
    ASN1_PRINTABLESTRING *name =
        oid == NULL ? d2i_ASN1_PRINTABLESTRING(NULL, &p, (long)len) : NULL;
    for (size_t i = 0; name != NULL && p == der + len && i < CURVE_COUNT; i++) {
        if (names(name, curves[i].name))
            nid = curves[i].nid;
    }
    ASN1_PRINTABLESTRING_free(name);
    ERR_clear_error();
    return nid;
}

static const p11_raw_curve *curve_of_nid(int nid)
{
    for (size_t i = 0; i < CURVE_COUNT; i++) {
        if (curves[i].nid == nid)
            return &curves[i];
    }
    return NULL;
}

const p11_raw_curve *p11_raw_curve_of_params(CK_KEY_TYPE key_type,
                                             const uint8_t *der, size_t len)
{
    const p11_raw_curve *curve =
        der != NULL ? curve_of_nid(params_nid(der, len)) : NULL;
    return curve != NULL && curve->key_type == key_type ? curve : NULL;
}

const p11_raw_curve *p11_raw_curve_of_key(const EVP_PKEY *key)
{
    return key != NULL ? curve_of_nid(OBJ_txt2nid(EVP_PKEY_get0_type_name(key)))
                       : NULL;
}

size_t p11_eddsa_signature_bytes(CK_ULONG key_bits)
{
    return key_bits > ED25519_BITS_MAX ? ED448_SIGNATURE : ED25519_SIGNATURE;
}

bool p11_eddsa_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
                      const uint8_t *signature, size_t signature_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok =
        ctx != NULL &&
        EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, key, NULL) == 1 &&
        EVP_DigestVerify(ctx, signature, signature_len, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}
