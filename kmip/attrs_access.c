/* SPDX-License-Identifier: Apache-2.0 */
/* Adders and getters for the common attributes of a canonical set. */
#include "kmip/attrs.h"

#include <string.h>

kmip_item *kmip_attrs_add_name(kmip_item *attrs, const char *name)
{
    if (name == NULL)
        return NULL;
    kmip_item *attr = kmip_item_new_structure(KMIP_TAG_NAME);
    if (attr == NULL || !kmip_add_text(attr, KMIP_TAG_NAME_VALUE, name) ||
        !kmip_add_enum(attr, KMIP_TAG_NAME_TYPE,
                       KMIP_NAME_TYPE_UNINTERPRETED_TEXT_STRING)) {
        kmip_item_free(attr);
        return NULL;
    }
    return kmip_item_add(attrs, attr);
}

kmip_item *kmip_attrs_add_object_type(kmip_item *attrs, uint32_t type)
{
    return kmip_add_enum(attrs, KMIP_TAG_OBJECT_TYPE, type);
}

kmip_item *kmip_attrs_add_algorithm(kmip_item *attrs, uint32_t algorithm)
{
    return kmip_add_enum(attrs, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM, algorithm);
}

kmip_item *kmip_attrs_add_length(kmip_item *attrs, int32_t bits)
{
    return kmip_add_integer(attrs, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, bits);
}

kmip_item *kmip_attrs_add_usage_mask(kmip_item *attrs, uint32_t mask)
{
    return kmip_add_integer(attrs, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
                            (int32_t)mask);
}

kmip_item *kmip_attrs_add_state(kmip_item *attrs, uint32_t state)
{
    return kmip_add_enum(attrs, KMIP_TAG_STATE, state);
}

kmip_item *kmip_attrs_add_link(kmip_item *attrs, uint32_t link_type,
                               const char *uid)
{
    if (uid == NULL)
        return NULL;
    kmip_item *attr = kmip_item_new_structure(KMIP_TAG_LINK);
    if (attr == NULL || !kmip_add_enum(attr, KMIP_TAG_LINK_TYPE, link_type) ||
        !kmip_add_text(attr, KMIP_TAG_LINKED_OBJECT_IDENTIFIER, uid)) {
        kmip_item_free(attr);
        return NULL;
    }
    return kmip_item_add(attrs, attr);
}

/* A Vendor Attribute for the 1.x custom name, holding value (consumed). */
static kmip_item *add_custom(kmip_item *attrs, const char *name,
                             kmip_item *value)
{
    if (name == NULL || (name[0] != 'x' && name[0] != 'y') || name[1] != '-' ||
        name[2] == '\0') {
        kmip_item_free(value);
        return NULL;
    }
    const char vendor[2] = {name[0], '\0'};
    kmip_item *attr = kmip_item_new_structure(KMIP_TAG_VENDOR_ATTRIBUTE);
    if (attr == NULL ||
        !kmip_add_text(attr, KMIP_TAG_VENDOR_IDENTIFICATION, vendor) ||
        !kmip_add_text(attr, KMIP_TAG_ATTRIBUTE_NAME, name + 2) ||
        !kmip_item_add(attr, value)) {
        kmip_item_free(attr);
        return NULL;
    }
    return kmip_item_add(attrs, attr);
}

kmip_item *kmip_attrs_add_custom_text(kmip_item *attrs, const char *name,
                                      const char *text)
{
    if (text == NULL)
        return NULL;
    return add_custom(attrs, name,
                      kmip_item_new_text(KMIP_TAG_ATTRIBUTE_VALUE, text));
}

kmip_item *kmip_attrs_add_custom_bytes(kmip_item *attrs, const char *name,
                                       const uint8_t *data, size_t len)
{
    if (data == NULL && len > 0)
        return NULL;
    return add_custom(attrs, name,
                      kmip_item_new_bytes(KMIP_TAG_ATTRIBUTE_VALUE, data, len));
}

kmip_rc kmip_attrs_get_name(const kmip_item *attrs, const char **name,
                            kmip_status *status)
{
    const kmip_item *attr;
    size_t len;
    kmip_rc rc = kmip_get_structure(attrs, KMIP_TAG_NAME, &attr, status);
    if (rc == KMIP_OK)
        rc = kmip_get_text(attr, KMIP_TAG_NAME_VALUE, name, &len, status);
    return rc;
}

kmip_rc kmip_attrs_get_object_type(const kmip_item *attrs, uint32_t *type,
                                   kmip_status *status)
{
    return kmip_get_enum(attrs, KMIP_TAG_OBJECT_TYPE, type, status);
}

kmip_rc kmip_attrs_get_algorithm(const kmip_item *attrs, uint32_t *algorithm,
                                 kmip_status *status)
{
    return kmip_get_enum(attrs, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM, algorithm,
                         status);
}

kmip_rc kmip_attrs_get_length(const kmip_item *attrs, int32_t *bits,
                              kmip_status *status)
{
    return kmip_get_integer(attrs, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, bits, status);
}

kmip_rc kmip_attrs_get_usage_mask(const kmip_item *attrs, uint32_t *mask,
                                  kmip_status *status)
{
    int32_t value;
    kmip_rc rc = kmip_get_integer(attrs, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
                                  &value, status);
    if (rc == KMIP_OK)
        *mask = (uint32_t)value;
    return rc;
}

kmip_rc kmip_attrs_get_state(const kmip_item *attrs, uint32_t *state,
                             kmip_status *status)
{
    return kmip_get_enum(attrs, KMIP_TAG_STATE, state, status);
}

kmip_rc kmip_attrs_get_link(const kmip_item *attrs, uint32_t link_type,
                            const char **uid, kmip_status *status)
{
    for (const kmip_item *link = kmip_item_find(attrs, KMIP_TAG_LINK);
         link != NULL; link = kmip_item_next_with_tag(link, KMIP_TAG_LINK)) {
        uint32_t type;
        size_t len;
        kmip_rc rc = kmip_get_enum(link, KMIP_TAG_LINK_TYPE, &type, status);
        if (rc != KMIP_OK)
            return kmip_fail(status, KMIP_E_DECODE, "Link: bad Link Type");
        if (type != link_type)
            continue;
        rc = kmip_get_text(link, KMIP_TAG_LINKED_OBJECT_IDENTIFIER, uid, &len,
                           status);
        if (rc != KMIP_OK)
            return kmip_fail(status, KMIP_E_DECODE,
                             "Link: bad Linked Object Identifier");
        return KMIP_OK;
    }
    return kmip_fail(status, KMIP_E_NOT_FOUND, "no Link of type 0x%x",
                     (unsigned)link_type);
}

static bool text_is(const kmip_item *parent, uint32_t tag, const char *want,
                    size_t want_len)
{
    const char *text;
    size_t len;
    return kmip_get_text(parent, tag, &text, &len, NULL) == KMIP_OK &&
           len == want_len && memcmp(text, want, len) == 0;
}

const kmip_item *kmip_attrs_find_custom(const kmip_item *attrs,
                                        const char *name)
{
    if (name == NULL || (name[0] != 'x' && name[0] != 'y') || name[1] != '-')
        return NULL;
    for (const kmip_item *attr =
             kmip_item_find(attrs, KMIP_TAG_VENDOR_ATTRIBUTE);
         attr != NULL;
         attr = kmip_item_next_with_tag(attr, KMIP_TAG_VENDOR_ATTRIBUTE)) {
        if (text_is(attr, KMIP_TAG_VENDOR_IDENTIFICATION, name, 1) &&
            text_is(attr, KMIP_TAG_ATTRIBUTE_NAME, name + 2, strlen(name + 2)))
            return attr;
    }
    return NULL;
}

kmip_rc kmip_attrs_get_custom_text(const kmip_item *attrs, const char *name,
                                   const char **text, kmip_status *status)
{
    const kmip_item *attr = kmip_attrs_find_custom(attrs, name);
    size_t len;
    if (attr == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND, "no attribute '%s'",
                         name != NULL ? name : "");
    return kmip_get_text(attr, KMIP_TAG_ATTRIBUTE_VALUE, text, &len, status);
}

kmip_rc kmip_attrs_get_custom_bytes(const kmip_item *attrs, const char *name,
                                    const uint8_t **data, size_t *len,
                                    kmip_status *status)
{
    const kmip_item *attr = kmip_attrs_find_custom(attrs, name);
    if (attr == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND, "no attribute '%s'",
                         name != NULL ? name : "");
    return kmip_get_bytes(attr, KMIP_TAG_ATTRIBUTE_VALUE, data, len, status);
}
