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

static const struct {
    int nid;
    const char *name; /* PKCS#11 3.0's printable curve name */
    uint32_t algorithm;
} curves[] = {
    {NID_ED25519, "edwards25519", KMIP_CRYPTOGRAPHIC_ALGORITHM_ED25519},
    {NID_ED448, "edwards448", KMIP_CRYPTOGRAPHIC_ALGORITHM_ED448},
};

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
    for (size_t i = 0; name != NULL && p == der + len &&
                       i < sizeof(curves) / sizeof(curves[0]);
         i++) {
        if ((size_t)ASN1_STRING_length(name) == strlen(curves[i].name) &&
            memcmp(ASN1_STRING_get0_data(name), curves[i].name,
                   strlen(curves[i].name)) == 0)
            nid = curves[i].nid;
    }
    ASN1_PRINTABLESTRING_free(name);
    ERR_clear_error();
    return nid;
}

uint32_t p11_eddsa_params_algorithm(const uint8_t *der, size_t len)
{
    int nid = der != NULL ? params_nid(der, len) : NID_undef;
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
        if (curves[i].nid == nid)
            return curves[i].algorithm;
    }
    return 0;
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
