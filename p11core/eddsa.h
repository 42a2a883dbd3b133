// SPDX-License-Identifier: Apache-2.0
/* The PKCS#11 3.0 curves whose keys are raw bytes (CKK_EC_EDWARDS,
 * CKK_EC_MONTGOMERY) as a CKA_EC_PARAMS names them, and EdDSA (CKM_EDDSA):
 * the signature length and local verification. */
#ifndef P11CORE_EDDSA_H
#define P11CORE_EDDSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "p11core_internal.h"

/* A curve of the PKCS#11 3.0 key types whose keys are raw byte strings:
 * CKK_EC_EDWARDS (Ed25519, Ed448) and CKK_EC_MONTGOMERY (X25519, X448). */
typedef struct p11_raw_curve {
    int nid;
    CK_KEY_TYPE key_type;
    const char *name;    /* PKCS#11 3.0's printable curve name */
    uint32_t algorithm;  /* the KMIP Cryptographic Algorithm */
    uint32_t kmip_curve; /* the KMIP Recommended Curve; 0: not sent */
    int32_t bits;
    size_t key_bytes; /* of a public or private key */
} p11_raw_curve;

/* The curve of key_type a CKA_EC_PARAMS names: its OID (RFC 8410:
 * 1.3.101.110 to 113) or its PrintableString ("edwards25519",
 * "curve25519" ...), both DER; NULL for anything else. */
const p11_raw_curve *p11_raw_curve_of_params(CK_KEY_TYPE key_type,
                                             const uint8_t *der, size_t len);

/* The curve of an X25519, X448, Ed25519 or Ed448 key; NULL for others. */
const p11_raw_curve *p11_raw_curve_of_key(const EVP_PKEY *key);

/* Bytes of a pure EdDSA signature with a key of key_bits (64 for
 * Ed25519, 114 for Ed448). */
size_t p11_eddsa_signature_bytes(CK_ULONG key_bits);

/* Whether signature is a pure EdDSA signature of data by key. */
bool p11_eddsa_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
                      const uint8_t *signature, size_t signature_len);

#endif
