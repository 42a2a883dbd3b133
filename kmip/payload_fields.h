/* SPDX-License-Identifier: Apache-2.0 */
/* Table-driven payload fields: a table lists a structure's fields in the
 * specification's order, each with its tag, kind and place in a C struct;
 * one builder and one parser serve every table. Internal to kmip/. */
#ifndef KMIP_PAYLOAD_FIELDS_H
#define KMIP_PAYLOAD_FIELDS_H

#include <stddef.h>

#include "kmip/payloads.h"

typedef enum kmip_field_kind {
    KMIP_FIELD_TEXT,     /* const char *, NULL: absent */
    KMIP_FIELD_BYTES,    /* kmip_bytes, data NULL: absent */
    KMIP_FIELD_ENUM,     /* uint32_t, 0: absent */
    KMIP_FIELD_INT,      /* kmip_opt_int */
    KMIP_FIELD_BOOL,     /* kmip_opt_bool */
    KMIP_FIELD_DATETIME, /* int64_t, 0: absent */
    KMIP_FIELD_STRUCT,   /* const kmip_item * structure, copied on build */
    KMIP_FIELD_NESTED,   /* a C struct starting with `bool present` */
} kmip_field_kind;

typedef struct kmip_field_table kmip_field_table;

typedef struct kmip_field {
    uint32_t tag;
    kmip_field_kind kind;
    bool required;
    size_t offset;
    const kmip_field_table *nested; /* KMIP_FIELD_NESTED only */
} kmip_field;

struct kmip_field_table {
    const char *name; /* "Encrypt request", for messages */
    const kmip_field *fields;
    size_t count;
};

#define KMIP_FIELD(type, member, tag, kind, required)                          \
    {                                                                          \
        (tag), (kind), (required), offsetof(type, member), NULL                \
    }
#define KMIP_FIELD_TABLE(name, array)                                          \
    {                                                                          \
        (name), (array), sizeof(array) / sizeof((array)[0])                    \
    }

/* Appends the present fields of src to parent in table order. Fails with
 * KMIP_E_INVALID_ARG naming a required field that src lacks. */
kmip_rc kmip_fields_build(kmip_item *parent, const kmip_field_table *table,
                          const void *src, kmip_status *status);

/* Fills the fields of dst that parent holds; callers zero dst first. */
kmip_rc kmip_fields_parse(const kmip_item *parent,
                          const kmip_field_table *table, void *dst,
                          kmip_status *status);

/* Zeroes out (out_size bytes), checks payload is a structure with tag,
 * and fills out from it with table. */
kmip_rc kmip_fields_parse_payload(const kmip_item *payload, uint32_t tag,
                                  const kmip_field_table *table, void *out,
                                  size_t out_size, kmip_status *status);

/* Builds a new structure with tag from table and src; NULL on failure. */
kmip_item *kmip_fields_build_new(uint32_t tag, const kmip_field_table *table,
                                 const void *src);

/* Checks parent is a structure with tag; names what in the message. */
kmip_rc kmip_payload_check(const kmip_item *parent, uint32_t tag,
                           const char *what, kmip_status *status);

/* Checks payload is a Request Payload and reads its required Object Type
 * (Create, Derive Key); names what in messages. */
kmip_rc kmip_payload_object_type(const kmip_item *payload, const char *what,
                                 uint32_t *object_type, kmip_status *status);

/* Collects parent's children with tag into out, checking each has type. */
kmip_rc kmip_list_collect(const kmip_item *parent, uint32_t tag, kmip_type type,
                          const char *what, kmip_list *out,
                          kmip_status *status);

/* Encodes the canonical set attrs as version's container for role and
 * appends it to payload. */
kmip_rc kmip_payload_add_attrs(kmip_item *payload, kmip_version v,
                               const kmip_item *attrs, kmip_attrs_role role,
                               kmip_status *status);

/* The attribute container for role in payload, in the 1.x or the 2.x
 * form: *out is NULL when absent; KMIP_E_DECODE when not a structure. */
kmip_rc kmip_payload_find_attrs(const kmip_item *payload, kmip_attrs_role role,
                                const char *what, const kmip_item **out,
                                kmip_status *status);

/* The object's attributes in payload (Get Attributes, Locate): the 2.x
 * Attributes container, or payload itself, whose own children are the 1.x
 * Attribute items. */
kmip_rc kmip_payload_object_attrs(const kmip_item *payload, const char *what,
                                  const kmip_item **out, kmip_status *status);

/* A field's name for messages: the tag's name, or its number. */
const char *kmip_field_name(uint32_t tag, char *buf, size_t len);

#endif
