/* SPDX-License-Identifier: Apache-2.0 */
#include "kmip/ttlv.h"

void kmip_reader_init(kmip_reader *r, const uint8_t *data, size_t len)
{
    r->data = data;
    r->len = len;
}

/* Reads an n-byte big-endian unsigned value (n <= 8). */
static bool read_be(kmip_reader *r, size_t n, uint64_t *out)
{
    if (r->len < n)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | r->data[i];
    r->data += n;
    r->len -= n;
    *out = v;
    return true;
}

bool kmip_reader_u8(kmip_reader *r, uint8_t *out)
{
    uint64_t v;
    if (!read_be(r, 1, &v))
        return false;
    *out = (uint8_t)v;
    return true;
}

bool kmip_reader_u24(kmip_reader *r, uint32_t *out)
{
    uint64_t v;
    if (!read_be(r, 3, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool kmip_reader_u32(kmip_reader *r, uint32_t *out)
{
    uint64_t v;
    if (!read_be(r, 4, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool kmip_reader_u64(kmip_reader *r, uint64_t *out)
{
    return read_be(r, 8, out);
}

bool kmip_reader_skip(kmip_reader *r, size_t n)
{
    if (r->len < n)
        return false;
    r->data += n;
    r->len -= n;
    return true;
}

bool kmip_reader_sub(kmip_reader *r, size_t n, kmip_reader *sub)
{
    if (r->len < n)
        return false;
    kmip_reader_init(sub, r->data, n);
    r->data += n;
    r->len -= n;
    return true;
}
