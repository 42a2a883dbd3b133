/* SPDX-License-Identifier: Apache-2.0 */
/* Mechanism -> KMIP Cryptographic Parameters: one table for every
 * mechanism whose private side runs on the server (Sign, MAC, Encrypt,
 * Decrypt), and the validation of each mechanism's CK_*_PARAMS. */
#ifndef P11CORE_MECH_PARAMS_H
#define P11CORE_MECH_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "hashes.h"

/* Which CK_*_PARAMS a mechanism takes. */
typedef enum p11_mech_param_kind {
    P11_PARAM_NONE,       /* none: pParameter NULL, ulParameterLen 0 */
    P11_PARAM_PSS,        /* CK_RSA_PKCS_PSS_PARAMS */
    P11_PARAM_OAEP,       /* CK_RSA_PKCS_OAEP_PARAMS */
    P11_PARAM_IV,         /* a 16-byte IV (CBC) */
    P11_PARAM_CTR,        /* CK_AES_CTR_PARAMS */
    P11_PARAM_GCM,        /* CK_GCM_PARAMS */
    P11_PARAM_MAC_LENGTH, /* CK_MAC_GENERAL_PARAMS (a CK_ULONG) */
    /* AES key wrap's optional IV: none, or the RFC's default (KMIP has
     * no other for a wrapping) */
    P11_PARAM_KW_IV,
} p11_mech_param_kind;

/* What a signature mechanism is given to sign. */
typedef enum p11_sign_input {
    P11_INPUT_MESSAGE,     /* the message, hashed by the mechanism */
    P11_INPUT_HASH,        /* a hash (CKM_ECDSA, CKM_RSA_PKCS_PSS) */
    P11_INPUT_DIGEST_INFO, /* a DER DigestInfo (CKM_RSA_PKCS) */
    P11_INPUT_RAW,         /* an integer below the modulus (CKM_RSA_X_509) */
} p11_sign_input;

typedef struct p11_mech_kmip {
    CK_MECHANISM_TYPE mechanism;
    CK_KEY_TYPE key_type;
    uint32_t algorithm; /* KMIP Cryptographic Algorithm */
    uint32_t mode;      /* KMIP Block Cipher Mode, 0: none */
    uint32_t padding;   /* KMIP Padding Method, 0: none */
    uint32_t hash;      /* KMIP Hashing Algorithm fixed by it, 0: none */
    p11_mech_param_kind param;
    p11_sign_input input; /* for signature mechanisms */
} p11_mech_kmip;

/* The table entry of mechanism; NULL when none of its operations goes to
 * the server (digests, key generation, unknown mechanisms). */
const p11_mech_kmip *p11_mech_kmip_find(CK_MECHANISM_TYPE mechanism);

/* A request's KMIP Cryptographic Parameters. Zero / -1 values are not
 * sent. Byte strings are owned copies: the application may free its
 * CK_MECHANISM as soon as C_*Init returns. */
typedef struct p11_kmip_params {
    const p11_mech_kmip *mech;
    uint32_t algorithm;
    uint32_t mode;
    uint32_t padding;
    uint32_t hash;
    uint32_t signature;      /* Digital Signature Algorithm */
    uint32_t mask_generator; /* MGF1 for PSS and OAEP */
    uint32_t mask_generator_hash;
    int32_t salt_length;    /* PSS, -1: not sent */
    int32_t tag_length;     /* GCM tag in bytes */
    int32_t counter_length; /* CTR counter in bits */
    uint8_t *iv;            /* IV / Counter / Nonce */
    size_t iv_len;
    uint8_t *aad; /* GCM Authenticated Encryption Additional Data */
    size_t aad_len;
    uint8_t *p_source; /* OAEP label */
    size_t p_source_len;
    size_t mac_length; /* an HMAC's bytes (_GENERAL forms: fewer) */
} p11_kmip_params;

/* Validates mechanism->pParameter for the mechanism and fills *params
 * (which the caller clears with p11_kmip_params_clear, also after a
 * failure). CKR_OK, CKR_MECHANISM_INVALID (not a server mechanism),
 * CKR_MECHANISM_PARAM_INVALID, CKR_HOST_MEMORY. */
CK_RV p11_kmip_params_from_mechanism(const CK_MECHANISM *mechanism,
                                     p11_kmip_params *params);

/* Sets the hash of a signature whose hash is known only from the data
 * (CKM_ECDSA from the hash length, CKM_RSA_PKCS from the DigestInfo), and
 * the matching Digital Signature Algorithm. */
void p11_kmip_params_set_hash(p11_kmip_params *params, const p11_hash *hash);

/* Whether a secret of this KMIP algorithm MACs with one hash only: the
 * algorithm is an HMAC (KMIP names the hash with the algorithm). */
bool p11_hmac_algorithm_fixed(uint32_t algorithm);

/* The HMAC mechanisms (plain and _GENERAL) of an HMAC algorithm, into
 * out (room for 2); their count, 0 for another algorithm. */
size_t p11_hmac_mechanisms(uint32_t algorithm, CK_MECHANISM_TYPE out[2]);

/* Frees the owned byte strings and zeroes params. NULL is a no-op. */
void p11_kmip_params_clear(p11_kmip_params *params);

#endif
