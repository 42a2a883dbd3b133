/* SPDX-License-Identifier: Apache-2.0 */
#include "hashes.h"

#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#define HASH(name, bits, ossl, len)                                            \
    {                                                                          \
        CKM_##name, CKG_MGF1_##name, KMIP_HASHING_ALGORITHM_##bits, ossl, len, \
            KMIP_DIGITAL_SIGNATURE_ALGORITHM_##name##_WITH_RSA_ENCRYPTION,     \
            KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_##name                 \
    }

static const p11_hash hashes[] = {
    {CKM_SHA_1, CKG_MGF1_SHA1, KMIP_HASHING_ALGORITHM_SHA_1, "SHA1", 20,
     KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA1_WITH_RSA_ENCRYPTION,
     KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA1},
    HASH(SHA224, SHA_224, "SHA224", 28),
    HASH(SHA256, SHA_256, "SHA256", 32),
    HASH(SHA384, SHA_384, "SHA384", 48),
    HASH(SHA512, SHA_512, "SHA512", 64),
};

#define HASH_COUNT (sizeof(hashes) / sizeof(hashes[0]))

const p11_hash *p11_hash_by_mechanism(CK_MECHANISM_TYPE mechanism)
{
    for (size_t i = 0; i < HASH_COUNT; i++)
        if (hashes[i].mechanism == mechanism)
            return &hashes[i];
    return NULL;
}

const p11_hash *p11_hash_by_mgf1(CK_RSA_PKCS_MGF_TYPE mgf1)
{
    for (size_t i = 0; i < HASH_COUNT; i++)
        if (hashes[i].mgf1 == mgf1)
            return &hashes[i];
    return NULL;
}

const p11_hash *p11_hash_by_length(size_t length)
{
    for (size_t i = 0; i < HASH_COUNT; i++)
        if (hashes[i].length == length)
            return &hashes[i];
    return NULL;
}

const p11_hash *p11_hash_by_kmip(uint32_t kmip)
{
    for (size_t i = 0; i < HASH_COUNT; i++)
        if (hashes[i].kmip == kmip)
            return &hashes[i];
    return NULL;
}

static const p11_hash *hash_by_nid(int nid)
{
    for (size_t i = 0; nid != NID_undef && i < HASH_COUNT; i++)
        if (OBJ_sn2nid(hashes[i].ossl_name) == nid)
            return &hashes[i];
    return NULL;
}

static int parameters_are_null_or_absent(const X509_ALGOR *algor)
{
    int param_type;
    X509_ALGOR_get0(NULL, &param_type, NULL, algor);
    return param_type == V_ASN1_UNDEF || param_type == V_ASN1_NULL;
}

/* DER is canonical: re-encoding what was parsed must give back exactly the
 * input, which rules out BER forms and trailing bytes. */
static int is_exact_der(const X509_SIG *sig, const uint8_t *der, size_t der_len)
{
    unsigned char *encoded = NULL;
    int encoded_len = i2d_X509_SIG(sig, &encoded);
    int same = encoded_len > 0 && (size_t)encoded_len == der_len &&
               memcmp(encoded, der, der_len) == 0;
    OPENSSL_free(encoded);
    return same;
}

const p11_hash *p11_digest_info_parse(const uint8_t *der, size_t der_len,
                                      const uint8_t **digest)
{
    const unsigned char *cursor = der;
    const p11_hash *hash = NULL;
    const X509_ALGOR *algor;
    const ASN1_OCTET_STRING *octets;
    const ASN1_OBJECT *oid;

    if (der == NULL || der_len == 0 || der_len > 1024)
        return NULL;
    X509_SIG *sig = d2i_X509_SIG(NULL, &cursor, (long)der_len);
    if (sig == NULL)
        return NULL;
    X509_SIG_get0(sig, &algor, &octets);
    X509_ALGOR_get0(&oid, NULL, NULL, algor);
    const p11_hash *candidate = hash_by_nid(OBJ_obj2nid(oid));
    if (candidate != NULL && parameters_are_null_or_absent(algor) &&
        (size_t)ASN1_STRING_length(octets) == candidate->length &&
        is_exact_der(sig, der, der_len)) {
        hash = candidate;
        /* The digest is the last length bytes of a DigestInfo. */
        *digest = der + der_len - candidate->length;
    }
    X509_SIG_free(sig);
    return hash;
}
