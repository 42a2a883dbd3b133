/* SPDX-License-Identifier: Apache-2.0 */
/* The strict TTLV decoder. It walks the input with an explicit stack of
 * open structures rather than by recursion, so no input can exhaust the
 * C stack, and every length is checked against the bytes left before it
 * is used. */
#include <stdio.h>
#include <stdlib.h>

#include "ttlv_internal.h"

typedef struct open_structure {
    kmip_item *structure;
    kmip_reader contents; /* the children not decoded yet */
} open_structure;

typedef struct decoder {
    const uint8_t *base; /* start of the input, for error offsets */
    kmip_decode_limits limits;
    size_t items;
    open_structure *stack;
    size_t depth;
    size_t stack_cap;
    kmip_status *status;
} decoder;

static size_t offset_of(const decoder *d, const kmip_reader *r)
{
    return (size_t)(r->data - d->base);
}

static kmip_rc fail_at(const decoder *d, size_t offset, const char *what,
                       uint32_t tag)
{
    return kmip_fail(d->status, KMIP_E_DECODE,
                     "TTLV offset %zu (tag 0x%06x): %s", offset, tag, what);
}

static kmip_rc out_of_memory(const decoder *d)
{
    return kmip_fail(d->status, KMIP_E_NOMEM, "out of memory decoding TTLV");
}

/* Fails unless every byte left in padding is zero. */
static kmip_rc check_padding(const decoder *d, const kmip_reader *padding,
                             uint32_t tag)
{
    for (size_t i = 0; i < padding->len; i++) {
        if (padding->data[i] != 0)
            return fail_at(d, offset_of(d, padding) + i,
                           "non-zero padding byte", tag);
    }
    return KMIP_OK;
}

/* Fails at value's start: the reads below follow check_value_length, so
 * a short read means the two disagree, and is an error, never a zero. */
static kmip_rc short_value(const decoder *d, const kmip_reader *value,
                           uint32_t tag)
{
    return fail_at(d, offset_of(d, value), "value shorter than its type", tag);
}

static kmip_rc decode_string(const decoder *d, kmip_type type, uint32_t tag,
                             kmip_reader *value, uint32_t length,
                             kmip_item **out)
{
    kmip_reader bytes;
    if (!kmip_reader_sub(value, length, &bytes))
        return short_value(d, value, tag);
    kmip_rc rc = check_padding(d, value, tag);
    if (rc != KMIP_OK)
        return rc;
    if (type == KMIP_TYPE_TEXT_STRING) {
        size_t bad = ttlv_utf8_invalid_at(bytes.data, bytes.len);
        if (bad != bytes.len)
            return fail_at(d, offset_of(d, &bytes) + bad,
                           "Text String is not valid UTF-8", tag);
        *out = kmip_item_new_text_len(tag, (const char *)bytes.data, bytes.len);
    } else if (type == KMIP_TYPE_BYTE_STRING) {
        *out = kmip_item_new_bytes(tag, bytes.data, bytes.len);
    } else {
        *out = kmip_item_new_bigint(tag, bytes.data, bytes.len);
    }
    return *out != NULL ? KMIP_OK : out_of_memory(d);
}

/* Decodes a 4-byte value and its padding: Integer, Enumeration,
 * Interval. */
static kmip_rc decode_four_bytes(const decoder *d, kmip_type type, uint32_t tag,
                                 kmip_reader *value, kmip_item **out)
{
    uint32_t u32;
    if (!kmip_reader_u32(value, &u32))
        return short_value(d, value, tag);
    kmip_rc rc = check_padding(d, value, tag);
    if (rc != KMIP_OK)
        return rc;
    if (type == KMIP_TYPE_INTEGER)
        *out = kmip_item_new_integer(tag, (int32_t)u32);
    else if (type == KMIP_TYPE_ENUMERATION)
        *out = kmip_item_new_enum(tag, u32);
    else
        *out = kmip_item_new_interval(tag, u32);
    return *out != NULL ? KMIP_OK : out_of_memory(d);
}

/* Decodes an 8-byte value: Long Integer, Date-Time (Extended), Boolean. */
static kmip_rc decode_eight_bytes(const decoder *d, kmip_type type,
                                  uint32_t tag, kmip_reader *value,
                                  kmip_item **out)
{
    size_t at = offset_of(d, value);
    uint64_t u64;
    if (!kmip_reader_u64(value, &u64))
        return short_value(d, value, tag);
    if (type == KMIP_TYPE_LONG_INTEGER)
        *out = kmip_item_new_long(tag, (int64_t)u64);
    else if (type == KMIP_TYPE_DATE_TIME)
        *out = kmip_item_new_datetime(tag, (int64_t)u64);
    else if (type == KMIP_TYPE_DATE_TIME_EXTENDED)
        *out = kmip_item_new_datetime_ext(tag, (int64_t)u64);
    else if (u64 > 1)
        return fail_at(d, at, "Boolean value is neither 0 nor 1", tag);
    else
        *out = kmip_item_new_bool(tag, u64 == 1);
    return *out != NULL ? KMIP_OK : out_of_memory(d);
}

/* Decodes the value of a non-structure item; value holds the value and
 * its padding, already checked to fit. */
static kmip_rc decode_value(const decoder *d, kmip_type type, uint32_t tag,
                            kmip_reader *value, uint32_t length,
                            kmip_item **out)
{
    switch (type) {
    case KMIP_TYPE_INTEGER:
    case KMIP_TYPE_ENUMERATION:
    case KMIP_TYPE_INTERVAL:
        return decode_four_bytes(d, type, tag, value, out);
    case KMIP_TYPE_LONG_INTEGER:
    case KMIP_TYPE_DATE_TIME:
    case KMIP_TYPE_DATE_TIME_EXTENDED:
    case KMIP_TYPE_BOOLEAN:
        return decode_eight_bytes(d, type, tag, value, out);
    case KMIP_TYPE_BIG_INTEGER:
    case KMIP_TYPE_TEXT_STRING:
    case KMIP_TYPE_BYTE_STRING:
        return decode_string(d, type, tag, value, length, out);
    default:
        return fail_at(d, offset_of(d, value), "unexpected item type", tag);
    }
}

/* Checks a non-structure item's length field against its type. */
static kmip_rc check_value_length(const decoder *d, size_t at, uint32_t tag,
                                  kmip_type type, uint32_t length)
{
    char what[96];
    uint32_t fixed = ttlv_fixed_length(type);
    if (fixed != 0 && length != fixed) {
        snprintf(what, sizeof(what), "%s length %u, expected %u",
                 ttlv_type_label(type), length, fixed);
        return fail_at(d, at, what, tag);
    }
    if (type == KMIP_TYPE_BIG_INTEGER && (length == 0 || length % 8 != 0)) {
        snprintf(what, sizeof(what),
                 "Big Integer length %u is not a positive multiple of 8",
                 length);
        return fail_at(d, at, what, tag);
    }
    return KMIP_OK;
}

/* Decodes the item at the front of r and consumes it. A structure comes
 * back empty, with its children's bytes in *contents. */
static kmip_rc decode_item(decoder *d, kmip_reader *r, kmip_item **out,
                           kmip_reader *contents)
{
    char what[128];
    size_t at = offset_of(d, r);
    uint32_t tag = 0, length = 0;
    uint8_t type = 0;
    if (!kmip_reader_u24(r, &tag) || !kmip_reader_u8(r, &type) ||
        !kmip_reader_u32(r, &length)) {
        return kmip_fail(d->status, KMIP_E_DECODE,
                         "TTLV offset %zu: truncated item header", at);
    }
    if (!ttlv_tag_is_valid(tag))
        return fail_at(d, at, "tag outside 0x42xxxx and 0x54xxxx", tag);
    if (!ttlv_type_is_known(type)) {
        snprintf(what, sizeof(what), "unknown item type 0x%02x", type);
        return fail_at(d, at, what, tag);
    }
    if (d->items >= d->limits.max_items) {
        snprintf(what, sizeof(what), "more than %zu items",
                 d->limits.max_items);
        return fail_at(d, at, what, tag);
    }
    d->items++;
    kmip_rc rc = KMIP_OK;
    if (type != KMIP_TYPE_STRUCTURE)
        rc = check_value_length(d, at, tag, type, length);
    else if (length % 8 != 0)
        rc = fail_at(d, at, "Structure length is not a multiple of 8", tag);
    if (rc != KMIP_OK)
        return rc;
    uint64_t padded = ttlv_padded(length);
    kmip_reader value;
    if (padded > r->len || !kmip_reader_sub(r, (size_t)padded, &value)) {
        snprintf(what, sizeof(what),
                 "length %u runs past the end (%zu bytes left)", length,
                 r->len);
        return fail_at(d, at, what, tag);
    }
    if (type == KMIP_TYPE_STRUCTURE) {
        *contents = value;
        *out = kmip_item_new_structure(tag);
        return *out != NULL ? KMIP_OK : out_of_memory(d);
    }
    return decode_value(d, (kmip_type)type, tag, &value, length, out);
}

static kmip_rc push_structure(decoder *d, kmip_item *structure,
                              const kmip_reader *contents)
{
    if (d->depth >= d->limits.max_depth) {
        char what[64];
        snprintf(what, sizeof(what), "structures nested deeper than %zu",
                 d->limits.max_depth);
        return fail_at(d, offset_of(d, contents) - TTLV_HEADER_LEN, what,
                       structure->tag);
    }
    if (d->depth == d->stack_cap) {
        size_t cap = d->stack_cap ? d->stack_cap * 2 : 8;
        open_structure *grown = realloc(d->stack, cap * sizeof(*grown));
        if (grown == NULL)
            return out_of_memory(d);
        d->stack = grown;
        d->stack_cap = cap;
    }
    d->stack[d->depth].structure = structure;
    d->stack[d->depth].contents = *contents;
    d->depth++;
    return KMIP_OK;
}

/* Decodes the children of every open structure, depth first. */
static kmip_rc decode_children(decoder *d)
{
    while (d->depth > 0) {
        open_structure *top = &d->stack[d->depth - 1];
        if (top->contents.len == 0) {
            d->depth--;
            continue;
        }
        kmip_item *child = NULL;
        kmip_reader contents;
        kmip_rc rc = decode_item(d, &top->contents, &child, &contents);
        if (rc != KMIP_OK)
            return rc;
        ttlv_append_child(top->structure, child);
        if (child->type == KMIP_TYPE_STRUCTURE) {
            rc = push_structure(d, child, &contents);
            if (rc != KMIP_OK)
                return rc;
        }
    }
    return KMIP_OK;
}

kmip_decode_limits kmip_decode_limits_default(void)
{
    return (kmip_decode_limits){KMIP_DEFAULT_MAX_DEPTH, KMIP_DEFAULT_MAX_ITEMS};
}

kmip_rc kmip_ttlv_decode(const uint8_t *data, size_t len,
                         const kmip_decode_limits *limits, kmip_item **out,
                         kmip_status *status)
{
    if ((data == NULL && len > 0) || out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "kmip_ttlv_decode: no input or output");
    *out = NULL;
    decoder d = {
        .base = data,
        .limits = limits != NULL ? *limits : kmip_decode_limits_default(),
        .status = status,
    };
    kmip_reader input;
    kmip_reader_init(&input, data, len);
    kmip_item *root = NULL;
    kmip_reader contents;
    kmip_rc rc = decode_item(&d, &input, &root, &contents);
    if (rc == KMIP_OK && root->type == KMIP_TYPE_STRUCTURE) {
        rc = push_structure(&d, root, &contents);
        if (rc == KMIP_OK)
            rc = decode_children(&d);
    }
    if (rc == KMIP_OK && input.len != 0)
        rc = kmip_fail(status, KMIP_E_DECODE,
                       "TTLV offset %zu: %zu bytes after the item",
                       offset_of(&d, &input), input.len);
    free(d.stack);
    if (rc != KMIP_OK) {
        kmip_item_free(root);
        return rc;
    }
    *out = root;
    return KMIP_OK;
}

kmip_rc kmip_ttlv_frame_length(const uint8_t *header, size_t header_len,
                               size_t max_len, size_t *total,
                               kmip_status *status)
{
    if (header == NULL || total == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "kmip_ttlv_frame_length: no header or output");
    kmip_reader r;
    kmip_reader_init(&r, header, header_len);
    uint32_t tag = 0, length = 0;
    uint8_t type = 0;
    if (!kmip_reader_u24(&r, &tag) || !kmip_reader_u8(&r, &type) ||
        !kmip_reader_u32(&r, &length))
        return kmip_fail(status, KMIP_E_DECODE,
                         "TTLV header has %zu bytes, 8 needed", header_len);
    if (!ttlv_tag_is_valid(tag))
        return kmip_fail(status, KMIP_E_DECODE,
                         "TTLV tag 0x%06x outside 0x42xxxx and 0x54xxxx", tag);
    if (!ttlv_type_is_known(type))
        return kmip_fail(status, KMIP_E_DECODE,
                         "TTLV tag 0x%06x: unknown item type 0x%02x", tag,
                         type);
    uint64_t value_len =
        type == KMIP_TYPE_STRUCTURE ? length : ttlv_padded(length);
    uint64_t frame = TTLV_HEADER_LEN + value_len;
    if (frame > max_len)
        return kmip_fail(status, KMIP_E_TOO_BIG,
                         "TTLV message of %llu bytes exceeds the limit of "
                         "%zu",
                         (unsigned long long)frame, max_len);
    *total = (size_t)frame;
    return KMIP_OK;
}
