/* SPDX-License-Identifier: Apache-2.0 */
/* The TTLV encoder: a structure's length is written once its children
 * are, by patching the header. */
#include <stdlib.h>

#include <openssl/crypto.h>

#include "ttlv_internal.h"

#define TTLV_MAX_TAG 0xFFFFFFu

static kmip_rc encode_item(const kmip_item *item, kmip_writer *w,
                           kmip_status *status);

static kmip_rc out_of_memory(kmip_status *status)
{
    return kmip_fail(status, KMIP_E_NOMEM, "out of memory encoding TTLV");
}

/* Tag (3 bytes), type, length (4 bytes, big-endian), in one write. */
static bool write_header(kmip_writer *w, const kmip_item *item, uint32_t length)
{
    const uint8_t header[8] = {
        (uint8_t)(item->tag >> 16), (uint8_t)(item->tag >> 8),
        (uint8_t)item->tag,         (uint8_t)item->type,
        (uint8_t)(length >> 24),    (uint8_t)(length >> 16),
        (uint8_t)(length >> 8),     (uint8_t)length};
    return kmip_writer_bytes(w, header, sizeof(header));
}

/* Text and Byte String: the bytes, then zeros to the 8-byte boundary.
 * Text must be UTF-8, as the decoder requires. */
static kmip_rc encode_string(const kmip_item *item, kmip_writer *w,
                             kmip_status *status)
{
    size_t len = item->v.bytes.len;
    if (len > UINT32_MAX)
        return kmip_fail(status, KMIP_E_ENCODE,
                         "tag 0x%06x: %zu-byte value exceeds the TTLV limit",
                         item->tag, len);
    if (item->type == KMIP_TYPE_TEXT_STRING &&
        ttlv_utf8_invalid_at(item->v.bytes.data, len) != len)
        return kmip_fail(status, KMIP_E_ENCODE,
                         "tag 0x%06x: Text String is not valid UTF-8",
                         item->tag);
    if (!write_header(w, item, (uint32_t)len) ||
        !kmip_writer_bytes(w, item->v.bytes.data, len) ||
        !kmip_writer_zeros(w, (size_t)(ttlv_padded(len) - len)))
        return out_of_memory(status);
    return KMIP_OK;
}

/* Big Integer: sign-extended on the left to a multiple of 8 bytes (an
 * empty value is zero). */
static kmip_rc encode_bigint(const kmip_item *item, kmip_writer *w,
                             kmip_status *status)
{
    size_t len = item->v.bytes.len;
    uint64_t padded = len == 0 ? TTLV_ALIGN : ttlv_padded(len);
    if (padded > UINT32_MAX)
        return kmip_fail(status, KMIP_E_ENCODE,
                         "tag 0x%06x: %zu-byte Big Integer exceeds the TTLV "
                         "limit",
                         item->tag, len);
    bool negative = len > 0 && (item->v.bytes.data[0] & 0x80);
    size_t fill = (size_t)padded - len;
    if (!write_header(w, item, (uint32_t)padded))
        return out_of_memory(status);
    for (size_t i = 0; i < fill; i++) {
        if (!kmip_writer_u8(w, negative ? 0xFF : 0x00))
            return out_of_memory(status);
    }
    if (!kmip_writer_bytes(w, item->v.bytes.data, len))
        return out_of_memory(status);
    return KMIP_OK;
}

static kmip_rc encode_structure(const kmip_item *item, kmip_writer *w,
                                kmip_status *status)
{
    size_t header_at = w->len;
    if (!write_header(w, item, 0))
        return out_of_memory(status);
    for (const kmip_item *child = item->v.children.first; child != NULL;
         child = child->next) {
        kmip_rc rc = encode_item(child, w, status);
        if (rc != KMIP_OK)
            return rc;
    }
    size_t length = w->len - header_at - TTLV_HEADER_LEN;
    if (length > UINT32_MAX)
        return kmip_fail(status, KMIP_E_ENCODE,
                         "tag 0x%06x: structure of %zu bytes exceeds the "
                         "TTLV limit",
                         item->tag, length);
    kmip_writer_patch_u32(w, header_at + 4, (uint32_t)length);
    return KMIP_OK;
}

/* Integer, Enumeration and Interval: 4 value bytes and 4 of padding. */
static kmip_rc encode_u32(const kmip_item *item, uint32_t v, kmip_writer *w,
                          kmip_status *status)
{
    if (!write_header(w, item, 4) || !kmip_writer_u32(w, v) ||
        !kmip_writer_zeros(w, 4))
        return out_of_memory(status);
    return KMIP_OK;
}

static kmip_rc encode_u64(const kmip_item *item, uint64_t v, kmip_writer *w,
                          kmip_status *status)
{
    if (!write_header(w, item, 8) || !kmip_writer_u64(w, v))
        return out_of_memory(status);
    return KMIP_OK;
}

static kmip_rc encode_item(const kmip_item *item, kmip_writer *w,
                           kmip_status *status)
{
    if (item->tag > TTLV_MAX_TAG)
        return kmip_fail(status, KMIP_E_ENCODE,
                         "tag 0x%x does not fit in 3 bytes", item->tag);
    switch (item->type) {
    case KMIP_TYPE_STRUCTURE:
        return encode_structure(item, w, status);
    case KMIP_TYPE_INTEGER:
        return encode_u32(item, (uint32_t)item->v.integer, w, status);
    case KMIP_TYPE_ENUMERATION:
    case KMIP_TYPE_INTERVAL:
        return encode_u32(item, item->v.enumeration, w, status);
    case KMIP_TYPE_LONG_INTEGER:
    case KMIP_TYPE_DATE_TIME:
    case KMIP_TYPE_DATE_TIME_EXTENDED:
        return encode_u64(item, (uint64_t)item->v.long_integer, w, status);
    case KMIP_TYPE_BOOLEAN:
        return encode_u64(item, item->v.boolean ? 1 : 0, w, status);
    case KMIP_TYPE_BIG_INTEGER:
        return encode_bigint(item, w, status);
    case KMIP_TYPE_TEXT_STRING:
    case KMIP_TYPE_BYTE_STRING:
        return encode_string(item, w, status);
    }
    return kmip_fail(status, KMIP_E_ENCODE, "tag 0x%06x: invalid item type %d",
                     item->tag, (int)item->type);
}

/* On failure, the bytes written for item are wiped and dropped, leaving
 * w as it was. */
kmip_rc kmip_ttlv_encode(const kmip_item *item, kmip_writer *w,
                         kmip_status *status)
{
    if (item == NULL || w == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "kmip_ttlv_encode: no item or writer");
    size_t start = w->len;
    kmip_rc rc = encode_item(item, w, status);
    if (rc != KMIP_OK && !w->failed && w->len > start) {
        OPENSSL_cleanse(w->data + start, w->len - start);
        w->len = start;
    }
    return rc;
}

kmip_rc kmip_ttlv_encode_alloc(const kmip_item *item, uint8_t **out,
                               size_t *out_len, kmip_status *status)
{
    if (out == NULL || out_len == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "kmip_ttlv_encode_alloc: no output");
    kmip_writer w;
    kmip_writer_init(&w);
    kmip_rc rc = kmip_ttlv_encode(item, &w, status);
    if (rc != KMIP_OK) {
        kmip_writer_free(&w);
        return rc;
    }
    *out = kmip_writer_release(&w, out_len);
    if (*out == NULL)
        return out_of_memory(status);
    return KMIP_OK;
}
