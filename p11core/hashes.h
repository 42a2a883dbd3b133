/* SPDX-License-Identifier: Apache-2.0 */
/* The hash algorithms of the module, one table that names each in every
 * vocabulary it meets: PKCS#11 digest mechanism, PKCS#11 MGF1, KMIP
 * Hashing Algorithm, OpenSSL digest name. Also the DigestInfo parser that
 * CKM_RSA_PKCS signing needs. */
#ifndef P11CORE_HASHES_H
#define P11CORE_HASHES_H

#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

typedef struct p11_hash {
    CK_MECHANISM_TYPE mechanism; /* CKM_SHA256 ... */
    CK_RSA_PKCS_MGF_TYPE mgf1;   /* CKG_MGF1_SHA256 ... */
    uint32_t kmip;               /* KMIP_HASHING_ALGORITHM_SHA_256 ... */
    const char *ossl_name;       /* "SHA256" ..., for EVP_MD_fetch */
    size_t length;               /* digest length in bytes */
    /* KMIP Digital Signature Algorithms with this hash. */
    uint32_t rsa_pkcs1_signature;
    uint32_t ecdsa_signature;
} p11_hash;

/* Lookups; each returns NULL when the value names no hash of the table. */
const p11_hash *p11_hash_by_mechanism(CK_MECHANISM_TYPE mechanism);
const p11_hash *p11_hash_by_mgf1(CK_RSA_PKCS_MGF_TYPE mgf1);
const p11_hash *p11_hash_by_length(size_t length);
const p11_hash *p11_hash_by_kmip(uint32_t kmip);

/* Parses a DER DigestInfo (PKCS#1 v2.2, 9.2) strictly: one of the
 * table's hashes with NULL or absent parameters, a digest of that hash's
 * length, no trailing bytes. On success returns the hash and points
 * *digest (into der) at the digest bytes; otherwise returns NULL. */
const p11_hash *p11_digest_info_parse(const uint8_t *der, size_t der_len,
                                      const uint8_t **digest);

#endif
