/* SPDX-License-Identifier: Apache-2.0 */
/* Facts about TTLV shared by the codec's files; not part of the API. */
#ifndef KMIP_TTLV_INTERNAL_H
#define KMIP_TTLV_INTERNAL_H

#include "kmip/ttlv.h"

#define TTLV_HEADER_LEN 8
#define TTLV_ALIGN 8

/* Tags live in the KMIP range 0x42xxxx or the vendor range 0x54xxxx. */
bool ttlv_tag_is_valid(uint32_t tag);

/* True for the eleven type codes 0x01..0x0B. */
bool ttlv_type_is_known(uint32_t type);

/* A short label for type in error messages ("Integer"); "unknown type"
 * for a code outside 0x01..0x0B. */
const char *ttlv_type_label(uint32_t type);

/* The length field every item of type must carry, or 0 when the type's
 * length varies (Structure, Big Integer, Text String, Byte String). */
uint32_t ttlv_fixed_length(kmip_type type);

/* value_len rounded up to the 8-byte boundary; computed in 64 bits so
 * that a 32-bit length field never wraps. */
static inline uint64_t ttlv_padded(uint64_t value_len)
{
    return (value_len + (TTLV_ALIGN - 1)) & ~(uint64_t)(TTLV_ALIGN - 1);
}

/* Index of the first byte of s that does not start a valid UTF-8
 * sequence (RFC 3629: no overlong forms, surrogates or code points past
 * U+10FFFF), or len when all of s is valid. */
size_t ttlv_utf8_invalid_at(const uint8_t *s, size_t len);

/* Appends child to structure without any check; the decoder's path. */
void ttlv_append_child(kmip_item *structure, kmip_item *child);

/* True for the types whose value lives in v.bytes. */
static inline bool ttlv_type_has_bytes(kmip_type type)
{
    return type == KMIP_TYPE_TEXT_STRING || type == KMIP_TYPE_BYTE_STRING ||
           type == KMIP_TYPE_BIG_INTEGER;
}

#endif
