/* SPDX-License-Identifier: Apache-2.0 */
/* TTLV: the KMIP binary encoding (tag, type, length, value), as a tree of
 * items. The decoder is strict and bounds-checked by construction: all
 * reads go through kmip_reader, which never reads past its end. */
#ifndef KMIP_TTLV_H
#define KMIP_TTLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/status.h"

typedef enum kmip_type {
    KMIP_TYPE_STRUCTURE = 0x01,
    KMIP_TYPE_INTEGER = 0x02,
    KMIP_TYPE_LONG_INTEGER = 0x03,
    KMIP_TYPE_BIG_INTEGER = 0x04,
    KMIP_TYPE_ENUMERATION = 0x05,
    KMIP_TYPE_BOOLEAN = 0x06,
    KMIP_TYPE_TEXT_STRING = 0x07,
    KMIP_TYPE_BYTE_STRING = 0x08,
    KMIP_TYPE_DATE_TIME = 0x09,
    KMIP_TYPE_INTERVAL = 0x0A,
    KMIP_TYPE_DATE_TIME_EXTENDED = 0x0B,
} kmip_type;

/* ---- Bounds-checked byte reader (in the style of BoringSSL's CBS). ---- */

typedef struct kmip_reader {
    const uint8_t *data;
    size_t len;
} kmip_reader;

void kmip_reader_init(kmip_reader *r, const uint8_t *data, size_t len);
/* Each getter returns false, consuming nothing, when too few bytes remain. */
bool kmip_reader_u8(kmip_reader *r, uint8_t *out);
bool kmip_reader_u32(kmip_reader *r, uint32_t *out); /* big-endian */
bool kmip_reader_u24(kmip_reader *r, uint32_t *out); /* big-endian */
bool kmip_reader_u64(kmip_reader *r, uint64_t *out); /* big-endian */
bool kmip_reader_skip(kmip_reader *r, size_t n);
/* Points sub at the next n bytes (no copy) and consumes them. */
bool kmip_reader_sub(kmip_reader *r, size_t n, kmip_reader *sub);

/* ---- Growable byte writer (in the style of BoringSSL's CBB). ---- */

typedef struct kmip_writer {
    uint8_t *data; /* owned; free with kmip_writer_free */
    size_t len;
    size_t cap;
    bool failed; /* sticky: set by an allocation failure */
} kmip_writer;

void kmip_writer_init(kmip_writer *w);
bool kmip_writer_bytes(kmip_writer *w, const void *data, size_t n);
bool kmip_writer_u8(kmip_writer *w, uint8_t v);
bool kmip_writer_u32(kmip_writer *w, uint32_t v);
bool kmip_writer_u64(kmip_writer *w, uint64_t v);
bool kmip_writer_zeros(kmip_writer *w, size_t n);
/* Overwrites 4 bytes at offset (already written) with v, big-endian. */
void kmip_writer_patch_u32(kmip_writer *w, size_t offset, uint32_t v);
/* Hands the buffer to the caller (free with kmip_buffer_free) and resets
 * w. */
uint8_t *kmip_writer_release(kmip_writer *w, size_t *len);
/* Wipes len bytes of buf and frees it: for every buffer kmip/ hands out
 * from malloc (encoded messages, received frames). NULL is a no-op. Never
 * OPENSSL_free: a program may give OpenSSL allocators of its own. */
void kmip_buffer_free(void *buf, size_t len);
/* Wipes and frees the buffer; the writer may be reused after init. */
void kmip_writer_free(kmip_writer *w);

/* ---- The item tree. ---- */

typedef struct kmip_item kmip_item;
struct kmip_item {
    uint32_t tag; /* 24-bit KMIP tag, e.g. 0x420078 */
    kmip_type type;
    union {
        int32_t integer;      /* KMIP_TYPE_INTEGER */
        int64_t long_integer; /* LONG_INTEGER, DATE_TIME, DATE_TIME_EXTENDED */
        uint32_t enumeration; /* ENUMERATION, INTERVAL */
        bool boolean;         /* BOOLEAN */
        struct {              /* TEXT_STRING, BYTE_STRING, BIG_INTEGER */
            uint8_t *data;    /* owned, NUL-terminated for convenience */
            size_t len;       /* without the terminator */
        } bytes;
        struct { /* STRUCTURE */
            kmip_item *first;
            kmip_item *last;
            size_t count;
        } children;
    } v;
    kmip_item *next; /* next sibling in the parent structure */
};

/* Decoder limits; kmip_decode_limits_default() gives the defaults. */
typedef struct kmip_decode_limits {
    size_t max_depth; /* nesting of structures, default 32 */
    size_t max_items; /* items in the whole message, default 100000 */
} kmip_decode_limits;

#define KMIP_DEFAULT_MAX_DEPTH 32
#define KMIP_DEFAULT_MAX_ITEMS 100000
/* Largest message the client and kmipd accept by default. */
#define KMIP_DEFAULT_MAX_MESSAGE (16u * 1024u * 1024u)

kmip_decode_limits kmip_decode_limits_default(void);

/* Decodes exactly one item filling all of data (len bytes, padding
 * included). Strict: type codes, fixed lengths, zero padding, nested
 * lengths, depth and item count are all checked. Unknown tags are kept.
 * limits may be NULL for the defaults. On success *out is a new tree the
 * caller frees with kmip_item_free. On failure the status says what and at
 * which byte offset. */
kmip_rc kmip_ttlv_decode(const uint8_t *data, size_t len,
                         const kmip_decode_limits *limits, kmip_item **out,
                         kmip_status *status);

/* Length of the item whose 8-byte header starts data (header, value and
 * padding): how many bytes a framed reader must collect. Fails on a header
 * shorter than 8 bytes or a total above max_len. */
kmip_rc kmip_ttlv_frame_length(const uint8_t *header, size_t header_len,
                               size_t max_len, size_t *total,
                               kmip_status *status);

/* Appends the encoding of item (and its children) to w. */
kmip_rc kmip_ttlv_encode(const kmip_item *item, kmip_writer *w,
                         kmip_status *status);

/* Encodes into a new buffer the caller frees with kmip_buffer_free. */
kmip_rc kmip_ttlv_encode_alloc(const kmip_item *item, uint8_t **out,
                               size_t *out_len, kmip_status *status);

/* ---- Building trees. Constructors return NULL when out of memory. ---- */

kmip_item *kmip_item_new_structure(uint32_t tag);
kmip_item *kmip_item_new_integer(uint32_t tag, int32_t v);
kmip_item *kmip_item_new_long(uint32_t tag, int64_t v);
kmip_item *kmip_item_new_enum(uint32_t tag, uint32_t v);
kmip_item *kmip_item_new_bool(uint32_t tag, bool v);
kmip_item *kmip_item_new_text(uint32_t tag, const char *text);
kmip_item *kmip_item_new_text_len(uint32_t tag, const char *text, size_t len);
kmip_item *kmip_item_new_bytes(uint32_t tag, const uint8_t *data, size_t len);
kmip_item *kmip_item_new_datetime(uint32_t tag, int64_t seconds);
kmip_item *kmip_item_new_datetime_ext(uint32_t tag, int64_t microseconds);
kmip_item *kmip_item_new_interval(uint32_t tag, uint32_t seconds);
/* Big Integer from a big-endian two's complement value of any length; it
 * is sign-extended to a multiple of 8 bytes when encoded. */
kmip_item *kmip_item_new_bigint(uint32_t tag, const uint8_t *be, size_t len);
/* Deep copy; NULL when out of memory. */
kmip_item *kmip_item_dup(const kmip_item *item);

/* Appends child to parent (a structure) and takes ownership of child.
 * When child is NULL (a failed constructor) or parent is not a structure,
 * frees child and returns NULL, so builders can chain and check once. */
kmip_item *kmip_item_add(kmip_item *parent, kmip_item *child);
/* Unlinks child from parent without freeing it. */
void kmip_item_remove(kmip_item *parent, kmip_item *child);
/* Frees item and its children, wiping byte and text values first (they
 * may hold key material). NULL is a no-op. */
void kmip_item_free(kmip_item *item);

/* Shorthands: create a child and append it; return the child or NULL. */
kmip_item *kmip_add_structure(kmip_item *parent, uint32_t tag);
kmip_item *kmip_add_integer(kmip_item *parent, uint32_t tag, int32_t v);
kmip_item *kmip_add_long(kmip_item *parent, uint32_t tag, int64_t v);
kmip_item *kmip_add_enum(kmip_item *parent, uint32_t tag, uint32_t v);
kmip_item *kmip_add_bool(kmip_item *parent, uint32_t tag, bool v);
kmip_item *kmip_add_text(kmip_item *parent, uint32_t tag, const char *text);
kmip_item *kmip_add_bytes(kmip_item *parent, uint32_t tag, const uint8_t *data,
                          size_t len);
kmip_item *kmip_add_datetime(kmip_item *parent, uint32_t tag, int64_t s);
kmip_item *kmip_add_interval(kmip_item *parent, uint32_t tag, uint32_t s);

/* ---- Reading trees. ---- */

/* First child of parent with tag, or NULL (also when parent is NULL or
 * not a structure). kmip_item_next_with_tag continues after prev. */
const kmip_item *kmip_item_find(const kmip_item *parent, uint32_t tag);
const kmip_item *kmip_item_next_with_tag(const kmip_item *prev, uint32_t tag);
size_t kmip_item_count(const kmip_item *parent, uint32_t tag);

/* Typed getters on the first child with tag. Each returns KMIP_OK,
 * KMIP_E_NOT_FOUND (absent) or KMIP_E_DECODE (present with another type),
 * naming the tag in status. Strings point into the tree (no copy). */
kmip_rc kmip_get_integer(const kmip_item *parent, uint32_t tag, int32_t *out,
                         kmip_status *status);
kmip_rc kmip_get_long(const kmip_item *parent, uint32_t tag, int64_t *out,
                      kmip_status *status);
kmip_rc kmip_get_enum(const kmip_item *parent, uint32_t tag, uint32_t *out,
                      kmip_status *status);
kmip_rc kmip_get_bool(const kmip_item *parent, uint32_t tag, bool *out,
                      kmip_status *status);
kmip_rc kmip_get_text(const kmip_item *parent, uint32_t tag, const char **out,
                      size_t *len, kmip_status *status);
kmip_rc kmip_get_bytes(const kmip_item *parent, uint32_t tag,
                       const uint8_t **out, size_t *len, kmip_status *status);
kmip_rc kmip_get_datetime(const kmip_item *parent, uint32_t tag, int64_t *out,
                          kmip_status *status);
kmip_rc kmip_get_structure(const kmip_item *parent, uint32_t tag,
                           const kmip_item **out, kmip_status *status);

/* Big Integer value as minimal big-endian two's complement: the caller
 * frees *out with free(). */
kmip_rc kmip_bigint_minimal(const kmip_item *item, uint8_t **out, size_t *len);

#endif
