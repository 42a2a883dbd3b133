/* SPDX-License-Identifier: Apache-2.0 */
/* Finding children and reading their values. */
#include <stdlib.h>
#include <string.h>

#include "ttlv_internal.h"

const kmip_item *kmip_item_find(const kmip_item *parent, uint32_t tag)
{
    if (parent == NULL || parent->type != KMIP_TYPE_STRUCTURE)
        return NULL;
    for (const kmip_item *child = parent->v.children.first; child != NULL;
         child = child->next) {
        if (child->tag == tag)
            return child;
    }
    return NULL;
}

const kmip_item *kmip_item_next_with_tag(const kmip_item *prev, uint32_t tag)
{
    if (prev == NULL)
        return NULL;
    for (const kmip_item *sibling = prev->next; sibling != NULL;
         sibling = sibling->next) {
        if (sibling->tag == tag)
            return sibling;
    }
    return NULL;
}

size_t kmip_item_count(const kmip_item *parent, uint32_t tag)
{
    size_t count = 0;
    for (const kmip_item *child = kmip_item_find(parent, tag); child != NULL;
         child = kmip_item_next_with_tag(child, tag))
        count++;
    return count;
}

/* kmip_fail(status, KMIP_E_NOT_FOUND, "tag 0x%06x missing", tag) without
 * vsnprintf: absent optional fields are asked for on every request, and
 * formatting was a visible part of a Sign's cost. */
static kmip_rc fail_missing(kmip_status *status, uint32_t tag)
{
    static const char hex[] = "0123456789abcdef";
    char text[] = "tag 0x000000 missing";
    if (status == NULL || tag > 0xffffff)
        return kmip_fail(status, KMIP_E_NOT_FOUND, "tag 0x%06x missing", tag);
    for (unsigned i = 0; i < 6; i++)
        text[11 - i] = hex[(tag >> (4 * i)) & 0xf];
    status->rc = KMIP_E_NOT_FOUND;
    memcpy(status->message, text, sizeof(text));
    return KMIP_E_NOT_FOUND;
}

/* The first child of parent with tag, checked to have type; NULL with the
 * status filled when it is absent or of another type. */
static const kmip_item *find_typed(const kmip_item *parent, uint32_t tag,
                                   kmip_type type, kmip_rc *rc,
                                   kmip_status *status)
{
    const kmip_item *item = kmip_item_find(parent, tag);
    if (item == NULL) {
        *rc = fail_missing(status, tag);
        return NULL;
    }
    if (item->type != type) {
        *rc =
            kmip_fail(status, KMIP_E_DECODE, "tag 0x%06x is %s, expected %s",
                      tag, ttlv_type_label(item->type), ttlv_type_label(type));
        return NULL;
    }
    *rc = KMIP_OK;
    return item;
}

/* kmip_get_integer, kmip_get_enum ...: the value of the first child of
 * parent with tag, which must be of type. */
#define SCALAR_GETTER(name, value_type, type, member)                          \
    kmip_rc name(const kmip_item *parent, uint32_t tag, value_type *out,       \
                 kmip_status *status)                                          \
    {                                                                          \
        kmip_rc rc;                                                            \
        const kmip_item *item = find_typed(parent, tag, type, &rc, status);    \
        if (item != NULL)                                                      \
            *out = item->v.member;                                             \
        return rc;                                                             \
    }

SCALAR_GETTER(kmip_get_integer, int32_t, KMIP_TYPE_INTEGER, integer)

SCALAR_GETTER(kmip_get_long, int64_t, KMIP_TYPE_LONG_INTEGER, long_integer)

SCALAR_GETTER(kmip_get_enum, uint32_t, KMIP_TYPE_ENUMERATION, enumeration)

SCALAR_GETTER(kmip_get_bool, bool, KMIP_TYPE_BOOLEAN, boolean)

SCALAR_GETTER(kmip_get_datetime, int64_t, KMIP_TYPE_DATE_TIME, long_integer)

kmip_rc kmip_get_text(const kmip_item *parent, uint32_t tag, const char **out,
                      size_t *len, kmip_status *status)
{
    kmip_rc rc;
    const kmip_item *item =
        find_typed(parent, tag, KMIP_TYPE_TEXT_STRING, &rc, status);
    if (item != NULL) {
        *out = (const char *)item->v.bytes.data;
        if (len != NULL)
            *len = item->v.bytes.len;
    }
    return rc;
}

kmip_rc kmip_get_bytes(const kmip_item *parent, uint32_t tag,
                       const uint8_t **out, size_t *len, kmip_status *status)
{
    kmip_rc rc;
    const kmip_item *item =
        find_typed(parent, tag, KMIP_TYPE_BYTE_STRING, &rc, status);
    if (item != NULL) {
        *out = item->v.bytes.data;
        *len = item->v.bytes.len;
    }
    return rc;
}

kmip_rc kmip_get_structure(const kmip_item *parent, uint32_t tag,
                           const kmip_item **out, kmip_status *status)
{
    kmip_rc rc;
    const kmip_item *item =
        find_typed(parent, tag, KMIP_TYPE_STRUCTURE, &rc, status);
    if (item != NULL)
        *out = item;
    return rc;
}

kmip_rc kmip_bigint_minimal(const kmip_item *item, uint8_t **out, size_t *len)
{
    if (item == NULL || item->type != KMIP_TYPE_BIG_INTEGER || out == NULL ||
        len == NULL)
        return KMIP_E_INVALID_ARG;
    const uint8_t *be = item->v.bytes.data;
    size_t n = item->v.bytes.len;
    static const uint8_t zero = 0;
    if (n == 0) {
        be = &zero;
        n = 1;
    }
    /* A leading byte is redundant when it only repeats the sign bit of the
     * byte after it. */
    while (n > 1 && ((be[0] == 0x00 && !(be[1] & 0x80)) ||
                     (be[0] == 0xFF && (be[1] & 0x80)))) {
        be++;
        n--;
    }
    *out = malloc(n);
    if (*out == NULL)
        return KMIP_E_NOMEM;
    memcpy(*out, be, n);
    *len = n;
    return KMIP_OK;
}
