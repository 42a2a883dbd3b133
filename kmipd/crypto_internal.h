/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by kmipd's crypto_*.c files, not by their callers. */
#ifndef KMIPD_CRYPTO_INTERNAL_H
#define KMIPD_CRYPTO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "kmip/status.h"

#include "kmipd/crypto.h"

/* Fails status with KMIP_E_RESULT and reason (a KMIP Result Reason),
 * clearing OpenSSL's error queue; returns KMIP_E_RESULT. */
kmip_rc kmipd_crypto_fail(kmip_status *status, uint32_t reason, const char *fmt,
                          ...) __attribute__((format(printf, 3, 4)));

/* Allocates buf->data of len bytes (at least 1); false when out of
 * memory. */
bool kmipd_buf_alloc(kmipd_buf *buf, size_t len);

/* The digest for a KMIP Hashing Algorithm (SHA-1, SHA-2 and SHA-3
 * families), fetched once; NULL for one kmipd does not offer. Not to be
 * freed. */
const EVP_MD *kmipd_hash_md(uint32_t hashing_algorithm);

/* The KMIP Hashing Algorithm an HMAC Cryptographic Algorithm uses, or 0
 * when algorithm is not HMAC. */
uint32_t kmipd_hmac_hash(uint32_t algorithm);

/* Parses canonical material (PKCS#8 for object_type Private Key,
 * SubjectPublicKeyInfo for Public Key) without the cache. The caller
 * frees *out with EVP_PKEY_free. */
kmip_rc kmipd_key_parse(uint32_t object_type, const uint8_t *canonical,
                        size_t len, EVP_PKEY **out, kmip_status *status);

#endif
