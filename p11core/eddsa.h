// SPDX-License-Identifier: Apache-2.0
/* EdDSA (PKCS#11 3.0 CKK_EC_EDWARDS, CKM_EDDSA): the curves a
 * CKA_EC_PARAMS names, the signature length, and local verification. */
#ifndef P11CORE_EDDSA_H
#define P11CORE_EDDSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

/* The KMIP Cryptographic Algorithm (Ed25519, Ed448) of an Edwards curve's
 * CKA_EC_PARAMS: its OID (1.3.101.112, 1.3.101.113) or the PrintableString
 * "edwards25519" / "edwards448", both DER; 0 for anything else. */
uint32_t p11_eddsa_params_algorithm(const uint8_t *der, size_t len);

/* Bytes of a pure EdDSA signature with a key of key_bits (64 for
 * Ed25519, 114 for Ed448). */
size_t p11_eddsa_signature_bytes(CK_ULONG key_bits);

/* Whether signature is a pure EdDSA signature of data by key. */
bool p11_eddsa_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
                      const uint8_t *signature, size_t signature_len);

#endif
