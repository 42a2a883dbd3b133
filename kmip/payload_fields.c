/* SPDX-License-Identifier: Apache-2.0 */
/* The builder and parser behind every payload field table. */
#include "payload_fields.h"

#include <stdio.h>
#include <string.h>

#include "kmip/tags.h"

#define FIELD_NAME_MAX 64

const char *kmip_field_name(uint32_t tag, char *buf, size_t len)
{
    const char *name = kmip_tag_name(tag);
    if (name != NULL)
        return name;
    snprintf(buf, len, "tag 0x%06x", (unsigned)tag);
    return buf;
}

static const void *member(const void *base, const kmip_field *field)
{
    return (const char *)base + field->offset;
}

static void *member_mut(void *base, const kmip_field *field)
{
    return (char *)base + field->offset;
}

static bool field_present(const kmip_field *field, const void *src)
{
    const void *at = member(src, field);
    switch (field->kind) {
    case KMIP_FIELD_TEXT:
        return *(const char *const *)at != NULL;
    case KMIP_FIELD_BYTES:
        return ((const kmip_bytes *)at)->data != NULL;
    case KMIP_FIELD_ENUM:
        return *(const uint32_t *)at != 0;
    case KMIP_FIELD_INT:
        return ((const kmip_opt_int *)at)->present;
    case KMIP_FIELD_BOOL:
        return ((const kmip_opt_bool *)at)->present;
    case KMIP_FIELD_DATETIME:
        return *(const int64_t *)at != 0;
    case KMIP_FIELD_STRUCT:
        return *(const kmip_item *const *)at != NULL;
    case KMIP_FIELD_NESTED:
        return *(const bool *)at;
    }
    return false;
}

static kmip_item *field_new(const kmip_field *field, const void *src)
{
    const void *at = member(src, field);
    switch (field->kind) {
    case KMIP_FIELD_TEXT:
        return kmip_item_new_text(field->tag, *(const char *const *)at);
    case KMIP_FIELD_BYTES: {
        const kmip_bytes *bytes = at;
        return kmip_item_new_bytes(field->tag, bytes->data, bytes->len);
    }
    case KMIP_FIELD_ENUM:
        return kmip_item_new_enum(field->tag, *(const uint32_t *)at);
    case KMIP_FIELD_INT:
        return kmip_item_new_integer(field->tag,
                                     ((const kmip_opt_int *)at)->value);
    case KMIP_FIELD_BOOL:
        return kmip_item_new_bool(field->tag,
                                  ((const kmip_opt_bool *)at)->value);
    case KMIP_FIELD_DATETIME:
        return kmip_item_new_datetime(field->tag, *(const int64_t *)at);
    case KMIP_FIELD_STRUCT: {
        kmip_item *copy = kmip_item_dup(*(const kmip_item *const *)at);
        if (copy != NULL)
            copy->tag = field->tag;
        return copy;
    }
    case KMIP_FIELD_NESTED:
        return kmip_fields_build_new(field->tag, field->nested, at);
    }
    return NULL;
}

kmip_rc kmip_fields_build(kmip_item *parent, const kmip_field_table *table,
                          const void *src, kmip_status *status)
{
    char buf[FIELD_NAME_MAX];
    for (size_t i = 0; i < table->count; i++) {
        const kmip_field *field = &table->fields[i];
        if (!field_present(field, src)) {
            if (field->required)
                return kmip_fail(status, KMIP_E_INVALID_ARG,
                                 "%s: %s is required", table->name,
                                 kmip_field_name(field->tag, buf, sizeof(buf)));
            continue;
        }
        if (kmip_item_add(parent, field_new(field, src)) == NULL)
            return kmip_fail(status, KMIP_E_NOMEM, "%s: out of memory",
                             table->name);
    }
    return KMIP_OK;
}

kmip_item *kmip_fields_build_new(uint32_t tag, const kmip_field_table *table,
                                 const void *src)
{
    kmip_item *item = kmip_item_new_structure(tag);
    if (item == NULL || kmip_fields_build(item, table, src, NULL) != KMIP_OK) {
        kmip_item_free(item);
        return NULL;
    }
    return item;
}

static kmip_type field_type(const kmip_field *field)
{
    static const kmip_type types[] = {
        [KMIP_FIELD_TEXT] = KMIP_TYPE_TEXT_STRING,
        [KMIP_FIELD_BYTES] = KMIP_TYPE_BYTE_STRING,
        [KMIP_FIELD_ENUM] = KMIP_TYPE_ENUMERATION,
        [KMIP_FIELD_INT] = KMIP_TYPE_INTEGER,
        [KMIP_FIELD_BOOL] = KMIP_TYPE_BOOLEAN,
        [KMIP_FIELD_DATETIME] = KMIP_TYPE_DATE_TIME,
        [KMIP_FIELD_STRUCT] = KMIP_TYPE_STRUCTURE,
        [KMIP_FIELD_NESTED] = KMIP_TYPE_STRUCTURE,
    };
    return types[field->kind];
}

static kmip_rc field_read(const kmip_field *field, const kmip_item *item,
                          void *dst, kmip_status *status)
{
    void *at = member_mut(dst, field);
    switch (field->kind) {
    case KMIP_FIELD_TEXT:
        *(const char **)at = (const char *)item->v.bytes.data;
        break;
    case KMIP_FIELD_BYTES:
        *(kmip_bytes *)at = (kmip_bytes){item->v.bytes.data, item->v.bytes.len};
        break;
    case KMIP_FIELD_ENUM:
        *(uint32_t *)at = item->v.enumeration;
        break;
    case KMIP_FIELD_INT:
        *(kmip_opt_int *)at = KMIP_INT(item->v.integer);
        break;
    case KMIP_FIELD_BOOL:
        *(kmip_opt_bool *)at = KMIP_BOOL(item->v.boolean);
        break;
    case KMIP_FIELD_DATETIME:
        *(int64_t *)at = item->v.long_integer;
        break;
    case KMIP_FIELD_STRUCT:
        *(const kmip_item **)at = item;
        break;
    case KMIP_FIELD_NESTED: {
        kmip_rc rc = kmip_fields_parse(item, field->nested, at, status);
        if (rc != KMIP_OK)
            return rc;
        *(bool *)at = true;
        break;
    }
    }
    return KMIP_OK;
}

kmip_rc kmip_fields_parse(const kmip_item *parent,
                          const kmip_field_table *table, void *dst,
                          kmip_status *status)
{
    char buf[FIELD_NAME_MAX];
    for (size_t i = 0; i < table->count; i++) {
        const kmip_field *field = &table->fields[i];
        const kmip_item *item = kmip_item_find(parent, field->tag);
        if (item == NULL) {
            if (field->required)
                return kmip_fail(status, KMIP_E_NOT_FOUND, "%s: missing %s",
                                 table->name,
                                 kmip_field_name(field->tag, buf, sizeof(buf)));
            continue;
        }
        if (item->type != field_type(field))
            return kmip_fail(status, KMIP_E_DECODE, "%s: %s must be a %s",
                             table->name,
                             kmip_field_name(field->tag, buf, sizeof(buf)),
                             kmip_type_name(field_type(field)));
        kmip_rc rc = field_read(field, item, dst, status);
        if (rc != KMIP_OK)
            return rc;
    }
    return KMIP_OK;
}

kmip_rc kmip_fields_parse_payload(const kmip_item *payload, uint32_t tag,
                                  const kmip_field_table *table, void *out,
                                  size_t out_size, kmip_status *status)
{
    memset(out, 0, out_size);
    kmip_rc rc = kmip_payload_check(payload, tag, table->name, status);
    if (rc == KMIP_OK)
        rc = kmip_fields_parse(payload, table, out, status);
    return rc;
}

kmip_rc kmip_payload_check(const kmip_item *parent, uint32_t tag,
                           const char *what, kmip_status *status)
{
    if (parent == NULL || parent->tag != tag ||
        parent->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE, "%s: not a %s structure", what,
                         tag == KMIP_TAG_REQUEST_PAYLOAD ? "Request Payload"
                                                         : "Response Payload");
    return KMIP_OK;
}

kmip_rc kmip_payload_object_type(const kmip_item *payload, const char *what,
                                 uint32_t *object_type, kmip_status *status)
{
    kmip_rc rc =
        kmip_payload_check(payload, KMIP_TAG_REQUEST_PAYLOAD, what, status);
    if (rc == KMIP_OK)
        rc = kmip_get_enum(payload, KMIP_TAG_OBJECT_TYPE, object_type, status);
    if (rc == KMIP_E_NOT_FOUND || rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "%s: %s Object Type", what,
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    return rc;
}

kmip_rc kmip_list_collect(const kmip_item *parent, uint32_t tag, kmip_type type,
                          const char *what, kmip_list *out, kmip_status *status)
{
    char buf[FIELD_NAME_MAX];
    *out = (kmip_list){kmip_item_find(parent, tag), 0, tag};
    for (const kmip_item *it = out->first; it != NULL;
         it = kmip_item_next_with_tag(it, tag)) {
        if (it->type != type)
            return kmip_fail(status, KMIP_E_DECODE, "%s: %s must be a %s", what,
                             kmip_field_name(tag, buf, sizeof(buf)),
                             kmip_type_name(type));
        out->count++;
    }
    return KMIP_OK;
}

kmip_rc kmip_payload_add_attrs(kmip_item *payload, kmip_version v,
                               const kmip_item *attrs, kmip_attrs_role role,
                               kmip_status *status)
{
    kmip_item *container = NULL;
    kmip_rc rc = kmip_attrs_encode(attrs, v, role, &container, status);
    if (rc != KMIP_OK)
        return rc;
    if (kmip_item_add(payload, container) == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "payload: out of memory");
    return KMIP_OK;
}

kmip_rc kmip_payload_find_attrs(const kmip_item *payload, kmip_attrs_role role,
                                const char *what, const kmip_item **out,
                                kmip_status *status)
{
    char buf[FIELD_NAME_MAX];
    const kmip_version forms[] = {KMIP_VERSION(1, 0), KMIP_VERSION(2, 0)};
    *out = NULL;
    for (size_t i = 0; i < 2 && *out == NULL; i++) {
        uint32_t tag = kmip_attrs_container_tag(forms[i], role);
        *out = kmip_item_find(payload, tag);
        if (*out != NULL && (*out)->type != KMIP_TYPE_STRUCTURE)
            return kmip_fail(status, KMIP_E_DECODE,
                             "%s: %s must be a Structure", what,
                             kmip_field_name(tag, buf, sizeof(buf)));
    }
    return KMIP_OK;
}

kmip_rc kmip_payload_object_attrs(const kmip_item *payload, const char *what,
                                  const kmip_item **out, kmip_status *status)
{
    kmip_rc rc =
        kmip_payload_find_attrs(payload, KMIP_ATTRS_OBJECT, what, out, status);
    if (rc == KMIP_OK && *out == NULL)
        *out = payload;
    return rc;
}
