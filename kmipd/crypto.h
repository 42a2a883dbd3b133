/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's cryptography on OpenSSL 3 EVP: key generation (crypto_keys.c),
 * import (crypto_key_import.c), export (crypto_key_export.c), parsed-key
 * cache (crypto_key_cache.c), and the operations behind Sign and Signature
 * Verify (crypto_sign.c), Encrypt and Decrypt (crypto_rsa.c,
 * crypto_aes.c), MAC, MAC Verify and RNG Retrieve (crypto_mac.c).
 *
 * Key material is held in the store's canonical forms: PKCS#8 DER for
 * private keys, SubjectPublicKeyInfo DER for public keys, raw bytes for
 * symmetric keys. Algorithms, formats and parameters are KMIP enumeration
 * values. Every fallible function returns KMIP_OK or KMIP_E_RESULT with
 * status->result_reason set to the KMIP Result Reason (KMIP 2.x reasons
 * where 2.x has a more precise one; kmipd_crypto_reason_for_version maps
 * them for 1.x clients). */
#ifndef KMIPD_CRYPTO_H
#define KMIPD_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "kmip/status.h"
#include "kmip/ttlv.h"

/* A byte buffer the caller owns: free with kmipd_buf_clear, which wipes
 * it (it may hold key material or plaintext). */
typedef struct kmipd_buf {
    uint8_t *data;
    size_t len;
} kmipd_buf;

/* Wipes and frees buf->data and zeroes buf. NULL is a no-op. */
void kmipd_buf_clear(kmipd_buf *buf);

/* Copies data into a new buffer in buf; false when out of memory. */
bool kmipd_buf_set(kmipd_buf *buf, const uint8_t *data, size_t len);

/* The Result Reason to send a client speaking a version older than 2.0
 * for reason: 2.x-only reasons become their 1.x equivalent. */
uint32_t kmipd_crypto_reason_for_version(uint32_t reason, bool v2);

/* ---- Keys (crypto_keys.c). ---- */

/* What a key is, as KMIP attributes describe it. */
typedef struct kmipd_key_info {
    uint32_t algorithm; /* KMIP_CRYPTOGRAPHIC_ALGORITHM_* */
    int32_t length;     /* Cryptographic Length in bits */
    uint32_t curve;     /* KMIP_RECOMMENDED_CURVE_* for EC keys, else 0 */
} kmipd_key_info;

/* Generates a symmetric key: AES of 128, 192 or 256 bits, Triple DES of
 * 168 (the default) or 112 bits (24 or 16 bytes, odd parity), or an HMAC /
 * generic secret key of length bits (a multiple of 8, 8 to 4096; 0 gives
 * the digest length for HMAC algorithms). *out receives the raw key. */
kmip_rc kmipd_generate_symmetric(uint32_t algorithm, int32_t length,
                                 kmipd_buf *out, kmipd_key_info *info,
                                 kmip_status *status);

/* Generates a key pair: RSA of length 2048 to 4096 bits (a multiple of
 * 8, public exponent 65537), or EC (algorithm EC or ECDSA) on curve (P-256,
 * P-384, P-521; when curve is 0, length 256, 384 or 521 picks it).
 * *private_der receives PKCS#8 DER, *public_der SubjectPublicKeyInfo DER. */
kmip_rc kmipd_generate_key_pair(uint32_t algorithm, int32_t length,
                                uint32_t curve, kmipd_buf *private_der,
                                kmipd_buf *public_der, kmipd_key_info *info,
                                kmip_status *status);

/* Validates key material given in format (KMIP_KEY_FORMAT_TYPE_*) for an
 * object of object_type and returns it in canonical form with what it is.
 * Private keys: PKCS#1 (RSA), PKCS#8, EC Private Key. Public keys: PKCS#1
 * (RSA), X.509 (SubjectPublicKeyInfo). Symmetric keys: Raw. algorithm is
 * the Cryptographic Algorithm the client declared (0: none); a key of
 * another algorithm fails with Invalid Field, as does material that does
 * not parse or fails OpenSSL's key checks. */
kmip_rc kmipd_key_import(uint32_t object_type, uint32_t format,
                         uint32_t algorithm, const uint8_t *in, size_t len,
                         kmipd_buf *canonical, kmipd_key_info *info,
                         kmip_status *status);

/* Checks that der is exactly one X.509 certificate and describes its
 * public key (algorithm 0 when neither RSA nor EC on a supported curve).
 * A certificate that does not parse fails with Invalid Field. */
kmip_rc kmipd_certificate_check(const uint8_t *der, size_t len,
                                kmipd_key_info *info, kmip_status *status);

/* Builds a canonical public key from its transparent parts: an RSA
 * modulus and public exponent (big-endian unsigned), or an EC point
 * (uncompressed or compressed octets) on curve. */
kmip_rc kmipd_key_from_rsa_public(const uint8_t *n, size_t n_len,
                                  const uint8_t *e, size_t e_len,
                                  kmipd_buf *canonical, kmipd_key_info *info,
                                  kmip_status *status);
kmip_rc kmipd_key_from_ec_point(uint32_t curve, const uint8_t *point,
                                size_t len, kmipd_buf *canonical,
                                kmipd_key_info *info, kmip_status *status);
/* A Raw public key: for algorithm Ed25519 or Ed448 the RFC 8032 public
 * key bytes, otherwise an EC point on curve. */
kmip_rc kmipd_key_from_raw_public(uint32_t algorithm, uint32_t curve,
                                  const uint8_t *raw, size_t len,
                                  kmipd_buf *canonical, kmipd_key_info *info,
                                  kmip_status *status);

/* Converts canonical material of object_type into format: PKCS#8,
 * PKCS#1 (RSA) or EC Private Key (EC) for private keys; X.509, PKCS#1
 * (RSA) or Raw (the EC point, uncompressed) for public keys; Raw for
 * symmetric keys. Another format fails with Key Format Type Not
 * Supported. */
kmip_rc kmipd_key_export(uint32_t object_type, const uint8_t *canonical,
                         size_t len, uint32_t format, kmipd_buf *out,
                         kmip_status *status);

/* The transparent parts of a canonical public key: for RSA the modulus
 * and public exponent (big-endian, minimal), for EC the curve and the
 * uncompressed point. */
kmip_rc kmipd_key_rsa_public_parts(const uint8_t *canonical, size_t len,
                                   kmipd_buf *n, kmipd_buf *e,
                                   kmip_status *status);
kmip_rc kmipd_key_ec_public_parts(const uint8_t *canonical, size_t len,
                                  uint32_t *curve, kmipd_buf *point,
                                  kmip_status *status);

/* Loads canonical material of a private or public key as an EVP_PKEY.
 * Parsed keys are cached (by a digest of the material), so a key used
 * again costs a lookup. The caller frees *out with EVP_PKEY_free. */
kmip_rc kmipd_key_load(uint32_t object_type, const uint8_t *canonical,
                       size_t len, EVP_PKEY **out, kmip_status *status);

/* Drops the cached key parsed from canonical (when the object is
 * destroyed); a key not cached is a no-op. */
void kmipd_key_forget(const uint8_t *canonical, size_t len);

/* Drops every cached key and prepared context (at shutdown). */
void kmipd_key_cache_clear(void);

/* ---- Operations. ---- */

/* The Cryptographic Parameters of a request (or of the key's attribute),
 * 0 / false / NULL where absent. */
typedef struct kmipd_crypto_params {
    uint32_t block_cipher_mode;           /* KMIP_BLOCK_CIPHER_MODE_* */
    uint32_t padding_method;              /* KMIP_PADDING_METHOD_* */
    uint32_t hashing_algorithm;           /* KMIP_HASHING_ALGORITHM_* */
    uint32_t digital_signature_algorithm; /* KMIP_DIGITAL_SIGNATURE_... */
    uint32_t cryptographic_algorithm;     /* KMIP_CRYPTOGRAPHIC_ALGORITHM_* */
    bool random_iv_set;
    bool random_iv;
    int32_t iv_length;  /* bits, 0: the mode's default */
    int32_t tag_length; /* bytes, 0: 16 */
    bool salt_length_set;
    int32_t salt_length;                       /* bytes */
    uint32_t mask_generator;                   /* KMIP_MASK_GENERATOR_* */
    uint32_t mask_generator_hashing_algorithm; /* 0: the message hash */
    const uint8_t *p_source;                   /* OAEP label */
    size_t p_source_len;
} kmipd_crypto_params;

/* Signs with a private key. With digested false, data is the message and
 * is hashed with the requested hash; with digested true (or with no hash
 * requested) data is the value to sign as is: a digest (wrapped in a
 * DigestInfo for PKCS#1 v1.5 when a hash is named, its length checked),
 * or for PKCS#1 v1.5 without a hash the raw block to pad and sign.
 * RSA: PKCS#1 v1.5 (default) or PSS (salt length default: digest length,
 * MGF1 hash default: the message hash). EC: ECDSA, DER signature.
 * Ed25519, Ed448: pure EdDSA over the message. */
kmip_rc kmipd_sign(EVP_PKEY *key, const kmipd_crypto_params *params,
                   const uint8_t *data, size_t len, bool digested,
                   kmipd_buf *signature, kmip_status *status);

/* Verifies signature over data as kmipd_sign would have made it, with a
 * public (or private) key. *valid says whether it verified; a signature
 * that does not verify is not an error. */
kmip_rc kmipd_verify(EVP_PKEY *key, const kmipd_crypto_params *params,
                     const uint8_t *data, size_t len, bool digested,
                     const uint8_t *signature, size_t signature_len,
                     bool *valid, kmip_status *status);

/* RSA encryption with a public key and decryption with a private key:
 * OAEP (hash default SHA-1, MGF1 hash default the OAEP hash, label from
 * P Source) or PKCS#1 v1.5. */
kmip_rc kmipd_rsa_encrypt(EVP_PKEY *key, const kmipd_crypto_params *params,
                          const uint8_t *in, size_t len, kmipd_buf *out,
                          kmip_status *status);
kmip_rc kmipd_rsa_decrypt(EVP_PKEY *key, const kmipd_crypto_params *params,
                          const uint8_t *in, size_t len, kmipd_buf *out,
                          kmip_status *status);

/* A symmetric cipher operation's inputs beside the data. */
typedef struct kmipd_cipher_input {
    const uint8_t *iv; /* IV / Counter / Nonce, NULL: none given */
    size_t iv_len;
    const uint8_t *aad; /* GCM Additional Data, NULL: none */
    size_t aad_len;
    const uint8_t *tag; /* GCM tag to check on decryption */
    size_t tag_len;
} kmipd_cipher_input;

/* What a symmetric cipher operation produced. Clear with
 * kmipd_cipher_output_clear. */
typedef struct kmipd_cipher_output {
    kmipd_buf data;
    kmipd_buf iv;  /* the IV the server generated (encryption only) */
    kmipd_buf tag; /* the GCM tag (encryption only) */
} kmipd_cipher_output;

void kmipd_cipher_output_clear(kmipd_cipher_output *out);

/* AES with a raw key in ECB, CBC (PKCS5 padding, or none), CTR or GCM;
 * Triple DES (2 or 3 keys) in ECB or CBC when params' Cryptographic
 * Algorithm says so (AES when unset). On encryption an IV not given is
 * generated (12 bytes for GCM, the block size otherwise) and returned in
 * out->iv; a given IV with Random IV true
 * fails. GCM returns its tag (Tag Length bytes) in out->tag; on
 * decryption a tag that does not match fails with Cryptographic Failure. */
kmip_rc kmipd_aes_encrypt(const uint8_t *key, size_t key_len,
                          const kmipd_crypto_params *params,
                          const kmipd_cipher_input *input, const uint8_t *in,
                          size_t len, kmipd_cipher_output *out,
                          kmip_status *status);
kmip_rc kmipd_aes_decrypt(const uint8_t *key, size_t key_len,
                          const kmipd_crypto_params *params,
                          const kmipd_cipher_input *input, const uint8_t *in,
                          size_t len, kmipd_cipher_output *out,
                          kmip_status *status);

/* The same ciphers run over several requests (KMIP streaming): start
 * resolves params and the IV (one generated goes to generated_iv) and
 * takes the GCM AAD; each update ciphers more input into a new out (what
 * the mode can give: whole blocks for ECB and CBC); finish ciphers the
 * last input and gives the rest and the GCM tag (encryption) or checks the
 * given tag (decryption). A stream holds under a block of input between calls.
 * Free with kmipd_cipher_stream_free, after a failure too. */
typedef struct kmipd_cipher_stream kmipd_cipher_stream;
kmip_rc kmipd_cipher_stream_start(const uint8_t *key, size_t key_len,
                                  const kmipd_crypto_params *params,
                                  const kmipd_cipher_input *input, bool encrypt,
                                  kmipd_cipher_stream **out,
                                  kmipd_buf *generated_iv, kmip_status *status);
kmip_rc kmipd_cipher_stream_update(kmipd_cipher_stream *s, const uint8_t *in,
                                   size_t len, kmipd_buf *out,
                                   kmip_status *status);
kmip_rc kmipd_cipher_stream_finish(kmipd_cipher_stream *s, const uint8_t *in,
                                   size_t len, const uint8_t *tag,
                                   size_t tag_len, kmipd_cipher_output *out,
                                   kmip_status *status);
void kmipd_cipher_stream_free(kmipd_cipher_stream *s);

/* HMAC over data with a raw key. The hash comes from algorithm (the
 * key's HMAC_SHA* Cryptographic Algorithm), else from the parameters'
 * Cryptographic Algorithm or Hashing Algorithm. */
kmip_rc kmipd_mac(const uint8_t *key, size_t key_len, uint32_t algorithm,
                  const kmipd_crypto_params *params, const uint8_t *data,
                  size_t len, kmipd_buf *mac, kmip_status *status);

/* Compares mac with the HMAC of data in constant time. */
kmip_rc kmipd_mac_verify(const uint8_t *key, size_t key_len, uint32_t algorithm,
                         const kmipd_crypto_params *params, const uint8_t *data,
                         size_t len, const uint8_t *mac, size_t mac_len,
                         bool *valid, kmip_status *status);

/* What an ECDH key agreement takes beside the own private key. */
typedef struct kmipd_ecdh_input {
    const uint8_t *peer_point; /* the peer's public point or key, octets */
    size_t peer_point_len;
    uint32_t hashing_algorithm; /* the X9.63 KDF's hash, 0: no KDF */
    const uint8_t *shared_info; /* the KDF's shared info, may be NULL */
    size_t shared_info_len;
} kmipd_ecdh_input;

/* ECDH of own (an EC, X25519 or X448 private key) with the peer's point
 * (its RFC 7748 public key for X25519 / X448), then the ANSI
 * X9.63 KDF into len bytes, or without a KDF the last len bytes of the
 * shared secret. A point not on own's curve fails with Invalid Field. */
kmip_rc kmipd_ecdh_derive(EVP_PKEY *own, const kmipd_ecdh_input *in, size_t len,
                          kmipd_buf *out, kmip_status *status);

/* Largest RNG Retrieve answered. */
#define KMIPD_RNG_MAX 65536

/* len random bytes (1 to KMIPD_RNG_MAX) from OpenSSL's DRBG. */
kmip_rc kmipd_random(int32_t len, kmipd_buf *out, kmip_status *status);

/* The digest of data with a KMIP Hashing Algorithm (the Hash operation;
 * crypto_digest.c). */
kmip_rc kmipd_hash(uint32_t hashing_algorithm, const uint8_t *data, size_t len,
                   kmipd_buf *out, kmip_status *status);

/* Puts into attrs (a KMIP_TAG_ATTRIBUTES structure) the Digest attribute
 * of an object_type's material stored in format (KMIP_KEY_FORMAT_TYPE_*):
 * SHA-256 with the Key Format Type, over PKCS#1 for an RSA key. No
 * material: nothing to do. False when out of memory (crypto_digest.c). */
bool kmipd_digest_attribute(kmip_item *attrs, uint32_t object_type,
                            const uint8_t *material, size_t len,
                            uint32_t format);

#endif
