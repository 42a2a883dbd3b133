/* SPDX-License-Identifier: Apache-2.0 */
/* Lookups in the generated tag and enumeration tables: binary searches
 * over arrays sorted by number, or over their name indexes. */
#include <string.h>

#include "tags_table.h"

static const char *const type_names[] = {
    [KMIP_TYPE_STRUCTURE] = "Structure",
    [KMIP_TYPE_INTEGER] = "Integer",
    [KMIP_TYPE_LONG_INTEGER] = "LongInteger",
    [KMIP_TYPE_BIG_INTEGER] = "BigInteger",
    [KMIP_TYPE_ENUMERATION] = "Enumeration",
    [KMIP_TYPE_BOOLEAN] = "Boolean",
    [KMIP_TYPE_TEXT_STRING] = "TextString",
    [KMIP_TYPE_BYTE_STRING] = "ByteString",
    [KMIP_TYPE_DATE_TIME] = "DateTime",
    [KMIP_TYPE_INTERVAL] = "Interval",
    [KMIP_TYPE_DATE_TIME_EXTENDED] = "DateTimeExtended",
};

#define TYPE_COUNT (sizeof(type_names) / sizeof(type_names[0]))

static const kmip_tag_entry *find_tag(uint32_t tag)
{
    size_t lo = 0, hi = kmip_tag_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kmip_tag_entries[mid].tag == tag)
            return &kmip_tag_entries[mid];
        if (kmip_tag_entries[mid].tag < tag)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Binary search of name among count strings, in strcmp order, that
 * name_at returns for positions 0..count-1; the position or -1. */
static long find_name(const char *name, size_t count,
                      const char *(*name_at)(const void *, size_t),
                      const void *ctx)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(name, name_at(ctx, mid));
        if (cmp == 0)
            return (long)mid;
        if (cmp > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static const char *tag_name_at(const void *ctx, size_t i)
{
    (void)ctx;
    return kmip_tag_entries[kmip_tag_by_name[i]].name;
}

static const char *attribute_name_at(const void *ctx, size_t i)
{
    (void)ctx;
    return kmip_tag_entries[kmip_tag_by_attribute_name[i]].attribute_name;
}

static const char *enum_name_at(const void *ctx, size_t i)
{
    const kmip_enum_table *table = ctx;
    return table->values[table->by_name[i]].name;
}

const char *kmip_tag_name(uint32_t tag)
{
    const kmip_tag_entry *entry = find_tag(tag);
    return entry != NULL ? entry->name : NULL;
}

bool kmip_tag_from_name(const char *name, uint32_t *tag)
{
    if (name == NULL)
        return false;
    long i = find_name(name, kmip_tag_count, tag_name_at, NULL);
    if (i < 0)
        return false;
    if (tag != NULL)
        *tag = kmip_tag_entries[kmip_tag_by_name[i]].tag;
    return true;
}

const char *kmip_attribute_name(uint32_t tag)
{
    const kmip_tag_entry *entry = find_tag(tag);
    return entry != NULL ? entry->attribute_name : NULL;
}

bool kmip_attribute_tag(const char *name, uint32_t *tag)
{
    if (name == NULL)
        return false;
    long i = find_name(name, kmip_attribute_count, attribute_name_at, NULL);
    if (i < 0)
        return false;
    if (tag != NULL)
        *tag = kmip_tag_entries[kmip_tag_by_attribute_name[i]].tag;
    return true;
}

bool kmip_tag_type(uint32_t tag, kmip_type *type)
{
    const kmip_tag_entry *entry = find_tag(tag);
    if (entry == NULL || entry->type == 0)
        return false;
    if (type != NULL)
        *type = (kmip_type)entry->type;
    return true;
}

const kmip_enum_table *kmip_tag_enum_table(uint32_t tag)
{
    const kmip_tag_entry *entry = find_tag(tag);
    return entry != NULL ? entry->enumeration : NULL;
}

/* Tag and Attribute Reference enumerate tags by their names. */
static bool enumerates_tags(uint32_t tag)
{
    return tag == KMIP_TAG_TAG || tag == KMIP_TAG_ATTRIBUTE_REFERENCE;
}

const char *kmip_enum_name(uint32_t tag, uint32_t value)
{
    if (enumerates_tags(tag))
        return kmip_tag_name(value);
    const kmip_enum_table *table = kmip_tag_enum_table(tag);
    if (table == NULL)
        return NULL;
    size_t lo = 0, hi = table->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table->values[mid].value == value)
            return table->values[mid].name;
        if (table->values[mid].value < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool kmip_enum_from_name(uint32_t tag, const char *name, uint32_t *value)
{
    if (name == NULL)
        return false;
    if (enumerates_tags(tag))
        return kmip_tag_from_name(name, value);
    const kmip_enum_table *table = kmip_tag_enum_table(tag);
    if (table == NULL)
        return false;
    long i = find_name(name, table->count, enum_name_at, table);
    if (i < 0)
        return false;
    if (value != NULL)
        *value = table->values[table->by_name[i]].value;
    return true;
}

const char *kmip_type_name(kmip_type type)
{
    return (size_t)type < TYPE_COUNT ? type_names[type] : NULL;
}

bool kmip_type_from_name(const char *name, kmip_type *type)
{
    if (name == NULL)
        return false;
    for (size_t t = KMIP_TYPE_STRUCTURE; t < TYPE_COUNT; t++) {
        if (strcmp(name, type_names[t]) == 0) {
            if (type != NULL)
                *type = (kmip_type)t;
            return true;
        }
    }
    return false;
}
