/* SPDX-License-Identifier: Apache-2.0 */
/* Handlers of the operations that make, import, export and use keys:
 * Create and Create Key Pair (ops_create.c), Register (ops_register.c),
 * Get (ops_get.c), Encrypt, Decrypt, Sign, Signature Verify, MAC, MAC
 * Verify and RNG Retrieve (ops_crypto.c), Hash (ops_hash.c), Derive Key
 * (ops_derive.c). */
#ifndef KMIPD_OPS_CRYPTO_H
#define KMIPD_OPS_CRYPTO_H

#include <stdbool.h>

#include "kmipd/dispatch.h"

bool kmipd_op_create(kmipd_call *call);
bool kmipd_op_create_key_pair(kmipd_call *call);
bool kmipd_op_register(kmipd_call *call);
bool kmipd_op_get(kmipd_call *call);
bool kmipd_op_encrypt(kmipd_call *call);
bool kmipd_op_decrypt(kmipd_call *call);
bool kmipd_op_sign(kmipd_call *call);
bool kmipd_op_signature_verify(kmipd_call *call);
bool kmipd_op_mac(kmipd_call *call);
bool kmipd_op_mac_verify(kmipd_call *call);
bool kmipd_op_rng_retrieve(kmipd_call *call);
bool kmipd_op_derive_key(kmipd_call *call);
bool kmipd_op_hash(kmipd_call *call);

#endif
