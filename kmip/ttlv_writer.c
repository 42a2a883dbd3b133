/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kmip/ttlv.h"

/* The first buffer holds a Sign request or response whole (300 bytes for
 * P-256, 400 for RSA-2048): growing one of 64 bytes cost four allocations,
 * copies and wipes per message. */
#define WRITER_FIRST_CAP 1024

void kmip_writer_init(kmip_writer *w)
{
    memset(w, 0, sizeof(*w));
}

/* Makes room for n more bytes. The old buffer is wiped rather than left
 * to realloc, since a message may carry key material. */
static bool reserve(kmip_writer *w, size_t n)
{
    if (w->failed)
        return false;
    if (n > SIZE_MAX - w->len) {
        w->failed = true;
        return false;
    }
    size_t need = w->len + n;
    if (need <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : WRITER_FIRST_CAP;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    uint8_t *grown = malloc(cap);
    if (grown == NULL) {
        w->failed = true;
        return false;
    }
    if (w->len > 0)
        memcpy(grown, w->data, w->len);
    kmip_buffer_free(w->data, w->len);
    w->data = grown;
    w->cap = cap;
    return true;
}

bool kmip_writer_bytes(kmip_writer *w, const void *data, size_t n)
{
    if (!reserve(w, n))
        return false;
    if (n > 0)
        memcpy(w->data + w->len, data, n);
    w->len += n;
    return true;
}

bool kmip_writer_zeros(kmip_writer *w, size_t n)
{
    if (!reserve(w, n))
        return false;
    if (n > 0)
        memset(w->data + w->len, 0, n);
    w->len += n;
    return true;
}

static bool write_be(kmip_writer *w, uint64_t v, size_t n)
{
    uint8_t buf[8];
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    return kmip_writer_bytes(w, buf, n);
}

bool kmip_writer_u8(kmip_writer *w, uint8_t v)
{
    return write_be(w, v, 1);
}

bool kmip_writer_u32(kmip_writer *w, uint32_t v)
{
    return write_be(w, v, 4);
}

bool kmip_writer_u64(kmip_writer *w, uint64_t v)
{
    return write_be(w, v, 8);
}

void kmip_writer_patch_u32(kmip_writer *w, size_t offset, uint32_t v)
{
    if (w->failed || offset > w->len || w->len - offset < 4) {
        w->failed = true;
        return;
    }
    for (size_t i = 0; i < 4; i++)
        w->data[offset + i] = (uint8_t)(v >> (8 * (3 - i)));
}

uint8_t *kmip_writer_release(kmip_writer *w, size_t *len)
{
    if (w->failed) {
        kmip_writer_free(w);
        *len = 0;
        return NULL;
    }
    uint8_t *data = w->data;
    *len = w->len;
    kmip_writer_init(w);
    return data;
}

void kmip_writer_free(kmip_writer *w)
{
    kmip_buffer_free(w->data, w->len);
    kmip_writer_init(w);
}

void kmip_buffer_free(void *buf, size_t len)
{
    if (buf == NULL)
        return;
    OPENSSL_cleanse(buf, len);
    free(buf);
}
