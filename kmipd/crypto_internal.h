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

/* ---- Keys (crypto_key_der.c). ---- */

#define KMIPD_RSA_IMPORT_MIN 1024
#define KMIPD_RSA_IMPORT_MAX 8192
#define KMIPD_SECRET_MAX_BITS 4096

/* A curve kmipd supports. */
typedef struct kmipd_curve {
    uint32_t kmip;     /* KMIP_RECOMMENDED_CURVE_* */
    int nid;           /* OpenSSL NID */
    const char *group; /* OpenSSL group name */
    int32_t bits;
    bool nist; /* a NIST P curve: the one a size alone selects */
} kmipd_curve;

/* The supported curve by KMIP value, by size (NIST curves only), or of an
 * EC key; NULL for any other. */
const kmipd_curve *kmipd_curve_by_kmip(uint32_t kmip);
const kmipd_curve *kmipd_curve_by_bits(int32_t bits);
const kmipd_curve *kmipd_curve_of_key(const EVP_PKEY *pkey);

/* A curve whose keys are raw byte strings: Ed25519 and Ed448 sign (EdDSA,
 * RFC 8032), X25519 and X448 agree on secrets (ECDH, RFC 7748). KMIP 2.x
 * names the Edwards keys by their Cryptographic Algorithm; it has none for
 * X25519 or X448, which kmipd names ECDH on Recommended Curve CURVE25519
 * or CURVE448. */
typedef struct kmipd_raw_curve {
    uint32_t algorithm;  /* KMIP_CRYPTOGRAPHIC_ALGORITHM_* */
    uint32_t curve;      /* KMIP_RECOMMENDED_CURVE_* */
    const char *keytype; /* OpenSSL key type */
    int id;              /* and its EVP_PKEY_* id */
    int32_t bits;
    bool signs; /* EdDSA; otherwise ECDH */
} kmipd_raw_curve;

/* Whether pkey is of OpenSSL's key type id, called name: by the id
 * (EVP_PKEY_is_a looks the name up each time, a hundredth of a P-256 Sign
 * in kmipd per call), by the name for a key without an id (another
 * provider's). */
bool kmipd_key_is(const EVP_PKEY *pkey, int id, const char *name);

/* The raw-key curve of a KMIP Cryptographic Algorithm on curve (0: the
 * algorithm's first), or of a key; NULL for any other. */
const kmipd_raw_curve *kmipd_raw_curve_find(uint32_t algorithm, uint32_t curve);
const kmipd_raw_curve *kmipd_raw_curve_of_key(const EVP_PKEY *pkey);

/* Pure EdDSA sign and verify with key on curve ed (crypto_eddsa.c), as
 * kmipd_sign and kmipd_verify describe them; hashes, padding and Digested
 * Data are refused. */
kmip_rc kmipd_eddsa_sign(EVP_PKEY *key, const kmipd_raw_curve *ed,
                         const kmipd_crypto_params *params, const uint8_t *data,
                         size_t len, bool digested, kmipd_buf *signature,
                         kmip_status *status);
kmip_rc kmipd_eddsa_verify(EVP_PKEY *key, const kmipd_raw_curve *ed,
                           const kmipd_crypto_params *params,
                           const uint8_t *data, size_t len, bool digested,
                           const uint8_t *signature, size_t signature_len,
                           bool *valid, kmip_status *status);

/* True for KMIP's EC and ECDSA Cryptographic Algorithms. */
bool kmipd_is_ec_algorithm(uint32_t algorithm);

/* DER of the selection of pkey in structure ("PrivateKeyInfo",
 * "SubjectPublicKeyInfo", "type-specific") into out (free with
 * kmipd_buf_clear); Key Format Type Not Supported when OpenSSL has no
 * such encoder for the key. */
kmip_rc kmipd_encode_der(const EVP_PKEY *pkey, int selection,
                         const char *structure, kmipd_buf *out,
                         kmip_status *status);
/* PKCS#8 and SubjectPublicKeyInfo, the canonical forms. */
kmip_rc kmipd_encode_private(const EVP_PKEY *pkey, kmipd_buf *out,
                             kmip_status *status);
kmip_rc kmipd_encode_public(const EVP_PKEY *pkey, kmipd_buf *out,
                            kmip_status *status);

/* Decodes exactly len bytes of DER in structure holding a keytype key
 * (NULL: any) into *out (free with EVP_PKEY_free); Invalid Field when the
 * bytes are not such a key. */
kmip_rc kmipd_decode_der(const uint8_t *der, size_t len, int selection,
                         const char *structure, const char *keytype,
                         EVP_PKEY **out, kmip_status *status);

/* Describes pkey (RSA of rsa_min to rsa_max bits, EC on a supported
 * curve, Ed25519, Ed448, X25519 or X448) in info, checking it against the
 * declared algorithm (0: any); Invalid Field otherwise. */
kmip_rc kmipd_describe_key(const EVP_PKEY *pkey, uint32_t declared, int rsa_min,
                           int rsa_max, kmipd_key_info *info,
                           kmip_status *status);

/* OpenSSL's consistency checks of an imported key (the full check for a
 * private key, the public check otherwise); Invalid Field on failure. */
kmip_rc kmipd_check_key(EVP_PKEY *pkey, bool private_key, kmip_status *status);

/* Parses canonical material (PKCS#8 for object_type Private Key,
 * SubjectPublicKeyInfo for Public Key) without the cache. The caller
 * frees *out with EVP_PKEY_free. */
kmip_rc kmipd_key_parse(uint32_t object_type, const uint8_t *canonical,
                        size_t len, EVP_PKEY **out, kmip_status *status);

/* Prepared contexts (kmipd/crypto_ctx_cache.c). The set-up a context was
 * made with, described by the caller in KMIPD_CTX_SETUP_WORDS words. */
#define KMIPD_CTX_SETUP_WORDS 8
/* A copy of the context prepared for key and setup, or NULL. */
EVP_PKEY_CTX *kmipd_ctx_cache_dup(EVP_PKEY *key,
                                  const uintptr_t setup[KMIPD_CTX_SETUP_WORDS]);
/* Keeps a copy of ctx, prepared for key and setup. */
void kmipd_ctx_cache_put(EVP_PKEY *key,
                         const uintptr_t setup[KMIPD_CTX_SETUP_WORDS],
                         const EVP_PKEY_CTX *ctx);
/* Drops the contexts prepared for key (with kmipd_key_forget). */
void kmipd_ctx_cache_forget(const EVP_PKEY *key);
/* Drops every prepared context (with kmipd_key_cache_clear). */
void kmipd_ctx_cache_clear(void);

#endif
