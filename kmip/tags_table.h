/* SPDX-License-Identifier: Apache-2.0 */
/* The shape of the generated tables (kmip/tags_table.c, written by
 * tools/gen_tags.py); only kmip/ reads them, through kmip/tags.h. */
#ifndef KMIP_TAGS_TABLE_H
#define KMIP_TAGS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/tags.h"

typedef struct kmip_enum_entry {
    uint32_t value;
    const char *name; /* JSON/XML form: "SymmetricKey" */
} kmip_enum_entry;

typedef struct kmip_enum_table {
    const char *name;              /* "ObjectType" */
    const kmip_enum_entry *values; /* sorted by value */
    const uint16_t *by_name;       /* indexes of values in strcmp order */
    size_t count;
    bool is_mask; /* bits of an Integer, not values of an Enumeration */
} kmip_enum_table;

typedef struct kmip_tag_entry {
    uint32_t tag;
    const char *name;                   /* JSON/XML form: "UniqueIdentifier" */
    const char *attribute_name;         /* KMIP 1.x Attribute Name, or NULL */
    uint8_t type;                       /* kmip_type, or 0 when it varies */
    const kmip_enum_table *enumeration; /* or NULL */
} kmip_tag_entry;

extern const kmip_tag_entry kmip_tag_entries[]; /* sorted by tag */
extern const size_t kmip_tag_count;
/* Indexes of kmip_tag_entries in strcmp order of name. */
extern const uint16_t kmip_tag_by_name[];
/* Indexes of the entries with an attribute name, in strcmp order of it. */
extern const uint16_t kmip_tag_by_attribute_name[];
extern const size_t kmip_attribute_count;

/* The value table of tag, or NULL when its values are not enumerated. */
const kmip_enum_table *kmip_tag_enum_table(uint32_t tag);

#endif
