/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/attributes.h"

static const uint32_t multi_valued_tags[] = {
    KMIP_TAG_NAME,
    KMIP_TAG_LINK,
    KMIP_TAG_OBJECT_GROUP,
    KMIP_TAG_APPLICATION_SPECIFIC_INFORMATION,
    KMIP_TAG_ALTERNATIVE_NAME,
    KMIP_TAG_KEY_VALUE_LOCATION,
    KMIP_TAG_DIGEST,
    KMIP_TAG_VENDOR_ATTRIBUTE,
};

static bool tag_in(uint32_t tag, const uint32_t *tags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (tags[i] == tag)
            return true;
    }
    return false;
}

bool kmipd_attr_multi_valued(uint32_t tag)
{
    return tag_in(tag, multi_valued_tags,
                  sizeof(multi_valued_tags) / sizeof(multi_valued_tags[0]));
}

bool kmipd_item_equal(const kmip_item *a, const kmip_item *b)
{
    if (a->tag != b->tag || a->type != b->type)
        return false;
    switch (a->type) {
    case KMIP_TYPE_STRUCTURE: {
        const kmip_item *x = a->v.children.first, *y = b->v.children.first;
        for (; x != NULL && y != NULL; x = x->next, y = y->next) {
            if (!kmipd_item_equal(x, y))
                return false;
        }
        return x == NULL && y == NULL;
    }
    case KMIP_TYPE_INTEGER:
        return a->v.integer == b->v.integer;
    case KMIP_TYPE_LONG_INTEGER:
    case KMIP_TYPE_DATE_TIME:
    case KMIP_TYPE_DATE_TIME_EXTENDED:
        return a->v.long_integer == b->v.long_integer;
    case KMIP_TYPE_ENUMERATION:
    case KMIP_TYPE_INTERVAL:
        return a->v.enumeration == b->v.enumeration;
    case KMIP_TYPE_BOOLEAN:
        return a->v.boolean == b->v.boolean;
    default:
        return a->v.bytes.len == b->v.bytes.len &&
               memcmp(a->v.bytes.data, b->v.bytes.data, a->v.bytes.len) == 0;
    }
}

bool kmipd_attrs_put(kmip_item *attrs, kmip_item *attr)
{
    if (attr == NULL)
        return false;
    if (!kmipd_attr_multi_valued(attr->tag))
        kmipd_attrs_remove(attrs, attr->tag);
    return kmip_item_add(attrs, attr) != NULL;
}

bool kmipd_attrs_merge(kmip_item *attrs, const kmip_item *from)
{
    for (const kmip_item *attr = from->v.children.first; attr != NULL;
         attr = attr->next) {
        if (!kmipd_attrs_put(attrs, kmip_item_dup(attr)))
            return false;
    }
    return true;
}

size_t kmipd_attrs_remove(kmip_item *attrs, uint32_t tag)
{
    size_t removed = 0;
    kmip_item *attr = attrs->v.children.first;
    while (attr != NULL) {
        kmip_item *next = attr->next;
        if (attr->tag == tag) {
            kmip_item_remove(attrs, attr);
            kmip_item_free(attr);
            removed++;
        }
        attr = next;
    }
    return removed;
}

const kmip_item *kmipd_attrs_custom(const kmip_item *attrs, const char *name)
{
    return kmip_item_find(kmip_attrs_find_custom(attrs, name),
                          KMIP_TAG_ATTRIBUTE_VALUE);
}
