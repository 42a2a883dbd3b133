/* SPDX-License-Identifier: Apache-2.0 */
/* Get's key wrapping and Register's unwrapping (ops_key_wrap.c). */
#ifndef KMIPD_OPS_KEY_WRAP_H
#define KMIPD_OPS_KEY_WRAP_H

#include "kmip/payloads.h"
#include "kmipd/crypto.h"
#include "kmipd/dispatch.h"

/* Whether obj's key may leave wrapped: it holds a secret and is
 * Extractable (Sensitive or not). */
bool kmipd_get_wrap_allowed(const kmipd_object *obj);

/* Replaces out->value, the key's bytes, by them wrapped as spec (a Key
 * Wrapping Specification) asks, in *wrapped, and sets out->wrapping_data
 * to *wrapping_data, the Key Wrapping Data made; the caller clears and
 * frees both, also on failure. */
bool kmipd_get_wrap(kmipd_call *call, const kmip_item *spec, kmip_object *out,
                    kmipd_buf *wrapped, kmip_item **wrapping_data);

/* Replaces object->value, wrapped as its Key Wrapping Data says, by the
 * key's bytes in *plain (the caller clears it, also on failure), and
 * clears object->wrapping_data. */
bool kmipd_register_unwrap(kmipd_call *call, kmip_object *object,
                           kmipd_buf *plain);

#endif
