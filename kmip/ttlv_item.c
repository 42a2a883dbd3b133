/* SPDX-License-Identifier: Apache-2.0 */
/* Building, copying and freeing item trees. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ttlv_internal.h"

static kmip_item *item_new(uint32_t tag, kmip_type type)
{
    kmip_item *item = calloc(1, sizeof(*item));
    if (item == NULL)
        return NULL;
    item->tag = tag;
    item->type = type;
    return item;
}

/* An item holding a NUL-terminated copy of len bytes (data may be NULL
 * when len is 0). */
static kmip_item *item_new_bytes(uint32_t tag, kmip_type type, const void *data,
                                 size_t len)
{
    if (data == NULL && len > 0)
        return NULL;
    if (len == SIZE_MAX)
        return NULL;
    kmip_item *item = item_new(tag, type);
    if (item == NULL)
        return NULL;
    item->v.bytes.data = malloc(len + 1);
    if (item->v.bytes.data == NULL) {
        free(item);
        return NULL;
    }
    if (len > 0)
        memcpy(item->v.bytes.data, data, len);
    item->v.bytes.data[len] = 0;
    item->v.bytes.len = len;
    return item;
}

kmip_item *kmip_item_new_structure(uint32_t tag)
{
    return item_new(tag, KMIP_TYPE_STRUCTURE);
}

kmip_item *kmip_item_new_integer(uint32_t tag, int32_t v)
{
    kmip_item *item = item_new(tag, KMIP_TYPE_INTEGER);
    if (item != NULL)
        item->v.integer = v;
    return item;
}

static kmip_item *item_new_int64(uint32_t tag, kmip_type type, int64_t v)
{
    kmip_item *item = item_new(tag, type);
    if (item != NULL)
        item->v.long_integer = v;
    return item;
}

static kmip_item *item_new_uint32(uint32_t tag, kmip_type type, uint32_t v)
{
    kmip_item *item = item_new(tag, type);
    if (item != NULL)
        item->v.enumeration = v;
    return item;
}

kmip_item *kmip_item_new_long(uint32_t tag, int64_t v)
{
    return item_new_int64(tag, KMIP_TYPE_LONG_INTEGER, v);
}

kmip_item *kmip_item_new_datetime(uint32_t tag, int64_t seconds)
{
    return item_new_int64(tag, KMIP_TYPE_DATE_TIME, seconds);
}

kmip_item *kmip_item_new_datetime_ext(uint32_t tag, int64_t microseconds)
{
    return item_new_int64(tag, KMIP_TYPE_DATE_TIME_EXTENDED, microseconds);
}

kmip_item *kmip_item_new_enum(uint32_t tag, uint32_t v)
{
    return item_new_uint32(tag, KMIP_TYPE_ENUMERATION, v);
}

kmip_item *kmip_item_new_interval(uint32_t tag, uint32_t seconds)
{
    return item_new_uint32(tag, KMIP_TYPE_INTERVAL, seconds);
}

kmip_item *kmip_item_new_bool(uint32_t tag, bool v)
{
    kmip_item *item = item_new(tag, KMIP_TYPE_BOOLEAN);
    if (item != NULL)
        item->v.boolean = v;
    return item;
}

kmip_item *kmip_item_new_text(uint32_t tag, const char *text)
{
    if (text == NULL)
        return NULL;
    return item_new_bytes(tag, KMIP_TYPE_TEXT_STRING, text, strlen(text));
}

kmip_item *kmip_item_new_text_len(uint32_t tag, const char *text, size_t len)
{
    return item_new_bytes(tag, KMIP_TYPE_TEXT_STRING, text, len);
}

kmip_item *kmip_item_new_bytes(uint32_t tag, const uint8_t *data, size_t len)
{
    return item_new_bytes(tag, KMIP_TYPE_BYTE_STRING, data, len);
}

kmip_item *kmip_item_new_bigint(uint32_t tag, const uint8_t *be, size_t len)
{
    return item_new_bytes(tag, KMIP_TYPE_BIG_INTEGER, be, len);
}

kmip_item *kmip_item_dup(const kmip_item *item)
{
    if (item == NULL)
        return NULL;
    if (ttlv_type_has_bytes(item->type))
        return item_new_bytes(item->tag, item->type, item->v.bytes.data,
                              item->v.bytes.len);
    kmip_item *copy = item_new(item->tag, item->type);
    if (copy == NULL)
        return NULL;
    if (item->type != KMIP_TYPE_STRUCTURE) {
        copy->v = item->v;
        return copy;
    }
    for (const kmip_item *child = item->v.children.first; child != NULL;
         child = child->next) {
        if (kmip_item_add(copy, kmip_item_dup(child)) == NULL) {
            kmip_item_free(copy);
            return NULL;
        }
    }
    return copy;
}

void ttlv_append_child(kmip_item *structure, kmip_item *child)
{
    child->next = NULL;
    if (structure->v.children.last != NULL)
        structure->v.children.last->next = child;
    else
        structure->v.children.first = child;
    structure->v.children.last = child;
    structure->v.children.count++;
}

kmip_item *kmip_item_add(kmip_item *parent, kmip_item *child)
{
    if (child == NULL)
        return NULL;
    if (parent == NULL || parent->type != KMIP_TYPE_STRUCTURE) {
        kmip_item_free(child);
        return NULL;
    }
    ttlv_append_child(parent, child);
    return child;
}

void kmip_item_remove(kmip_item *parent, kmip_item *child)
{
    if (parent == NULL || child == NULL || parent->type != KMIP_TYPE_STRUCTURE)
        return;
    kmip_item *prev = NULL;
    kmip_item *cur = parent->v.children.first;
    while (cur != NULL && cur != child) {
        prev = cur;
        cur = cur->next;
    }
    if (cur == NULL)
        return;
    if (prev != NULL)
        prev->next = child->next;
    else
        parent->v.children.first = child->next;
    if (parent->v.children.last == child)
        parent->v.children.last = prev;
    parent->v.children.count--;
    child->next = NULL;
}

/* Iterative, so that no tree is too deep to free: each structure's
 * children are spliced into the list of items still to free. */
void kmip_item_free(kmip_item *item)
{
    if (item == NULL)
        return;
    item->next = NULL;
    kmip_item *pending = item;
    while (pending != NULL) {
        kmip_item *cur = pending;
        pending = cur->next;
        if (cur->type == KMIP_TYPE_STRUCTURE) {
            if (cur->v.children.first != NULL) {
                cur->v.children.last->next = pending;
                pending = cur->v.children.first;
            }
        } else if (ttlv_type_has_bytes(cur->type) &&
                   cur->v.bytes.data != NULL) {
            OPENSSL_cleanse(cur->v.bytes.data, cur->v.bytes.len);
            free(cur->v.bytes.data);
        }
        free(cur);
    }
}

kmip_item *kmip_add_structure(kmip_item *parent, uint32_t tag)
{
    return kmip_item_add(parent, kmip_item_new_structure(tag));
}

kmip_item *kmip_add_integer(kmip_item *parent, uint32_t tag, int32_t v)
{
    return kmip_item_add(parent, kmip_item_new_integer(tag, v));
}

kmip_item *kmip_add_long(kmip_item *parent, uint32_t tag, int64_t v)
{
    return kmip_item_add(parent, kmip_item_new_long(tag, v));
}

kmip_item *kmip_add_enum(kmip_item *parent, uint32_t tag, uint32_t v)
{
    return kmip_item_add(parent, kmip_item_new_enum(tag, v));
}

kmip_item *kmip_add_bool(kmip_item *parent, uint32_t tag, bool v)
{
    return kmip_item_add(parent, kmip_item_new_bool(tag, v));
}

kmip_item *kmip_add_text(kmip_item *parent, uint32_t tag, const char *text)
{
    return kmip_item_add(parent, kmip_item_new_text(tag, text));
}

kmip_item *kmip_add_bytes(kmip_item *parent, uint32_t tag, const uint8_t *data,
                          size_t len)
{
    return kmip_item_add(parent, kmip_item_new_bytes(tag, data, len));
}

kmip_item *kmip_add_datetime(kmip_item *parent, uint32_t tag, int64_t s)
{
    return kmip_item_add(parent, kmip_item_new_datetime(tag, s));
}

kmip_item *kmip_add_interval(kmip_item *parent, uint32_t tag, uint32_t s)
{
    return kmip_item_add(parent, kmip_item_new_interval(tag, s));
}
