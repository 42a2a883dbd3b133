/* SPDX-License-Identifier: Apache-2.0 */
/* Canonical (2.x typed) attributes and their 1.x Attribute form. */
#include "kmip/attrs.h"

#include <stdio.h>
#include <string.h>

/* The longest 1.x Attribute Name we produce or accept, terminator included. */
#define ATTR_NAME_MAX 256

static const uint32_t container_tags[2][4] = {
    {KMIP_TAG_TEMPLATE_ATTRIBUTE, KMIP_TAG_COMMON_TEMPLATE_ATTRIBUTE,
     KMIP_TAG_PRIVATE_KEY_TEMPLATE_ATTRIBUTE,
     KMIP_TAG_PUBLIC_KEY_TEMPLATE_ATTRIBUTE},
    {KMIP_TAG_ATTRIBUTES, KMIP_TAG_COMMON_ATTRIBUTES,
     KMIP_TAG_PRIVATE_KEY_ATTRIBUTES, KMIP_TAG_PUBLIC_KEY_ATTRIBUTES},
};

kmip_item *kmip_attrs_new(void)
{
    return kmip_item_new_structure(KMIP_TAG_ATTRIBUTES);
}

uint32_t kmip_attrs_container_tag(kmip_version version, kmip_attrs_role role)
{
    return container_tags[kmip_version_is_v2(version) ? 1 : 0][role & 3];
}

static bool is_v2_container(uint32_t tag)
{
    for (size_t i = 0; i < 4; i++)
        if (container_tags[1][i] == tag)
            return true;
    return false;
}

/* Splits a 1.x custom name "x-rest" into vendor "x" and "rest". */
static bool split_custom_name(const char *name, char vendor[2],
                              const char **rest)
{
    if (name == NULL || (name[0] != 'x' && name[0] != 'y') || name[1] != '-' ||
        name[2] == '\0')
        return false;
    vendor[0] = name[0];
    vendor[1] = '\0';
    *rest = name + 2;
    return true;
}

static bool is_vendor_attribute(const kmip_item *attr)
{
    return attr->tag == KMIP_TAG_VENDOR_ATTRIBUTE &&
           attr->type == KMIP_TYPE_STRUCTURE &&
           kmip_get_text(attr, KMIP_TAG_VENDOR_IDENTIFICATION,
                         &(const char *){0}, &(size_t){0}, NULL) == KMIP_OK &&
           kmip_get_text(attr, KMIP_TAG_ATTRIBUTE_NAME, &(const char *){0},
                         &(size_t){0}, NULL) == KMIP_OK &&
           kmip_item_find(attr, KMIP_TAG_ATTRIBUTE_VALUE) != NULL;
}

bool kmip_vendor_attr_v1_name(const char *vendor, const char *name, char *buf,
                              size_t buf_len)
{
    /* Vendors other than the reserved "x" and "y" have no 1.x form of
     * their own: they are sent as client custom attributes. */
    bool reserved = strcmp(vendor, "x") == 0 || strcmp(vendor, "y") == 0;
    int n = snprintf(buf, buf_len, "%s-%s", reserved ? vendor : "x", name);
    return n >= 0 && (size_t)n < buf_len;
}

bool kmip_attr_v1_name(const kmip_item *attr, char *buf, size_t buf_len)
{
    if (attr == NULL || buf == NULL)
        return false;
    int n;
    if (is_vendor_attribute(attr)) {
        const char *vendor, *name;
        size_t len;
        kmip_get_text(attr, KMIP_TAG_VENDOR_IDENTIFICATION, &vendor, &len,
                      NULL);
        kmip_get_text(attr, KMIP_TAG_ATTRIBUTE_NAME, &name, &len, NULL);
        return kmip_vendor_attr_v1_name(vendor, name, buf, buf_len);
    } else {
        const char *name = kmip_attribute_name(attr->tag);
        if (name == NULL)
            return false;
        n = snprintf(buf, buf_len, "%s", name);
    }
    return n >= 0 && (size_t)n < buf_len;
}

kmip_item *kmip_attr_to_v1(const kmip_item *attr)
{
    char name[ATTR_NAME_MAX];
    if (!kmip_attr_v1_name(attr, name, sizeof(name)))
        return NULL;
    kmip_item *value;
    if (attr->tag == KMIP_TAG_VENDOR_ATTRIBUTE) {
        value = kmip_item_dup(kmip_item_find(attr, KMIP_TAG_ATTRIBUTE_VALUE));
    } else {
        value = kmip_item_dup(attr);
        if (value != NULL)
            value->tag = KMIP_TAG_ATTRIBUTE_VALUE;
    }
    kmip_item *out = kmip_item_new_structure(KMIP_TAG_ATTRIBUTE);
    if (out == NULL || !kmip_add_text(out, KMIP_TAG_ATTRIBUTE_NAME, name) ||
        !kmip_item_add(out, value)) {
        kmip_item_free(out);
        kmip_item_free(value);
        return NULL;
    }
    return out;
}

kmip_rc kmip_attrs_append_v1(kmip_item *parent, const kmip_item *attrs,
                             kmip_status *status)
{
    if (parent == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG, "attributes: no parent");
    const kmip_item *attr = attrs != NULL && attrs->type == KMIP_TYPE_STRUCTURE
                                ? attrs->v.children.first
                                : NULL;
    for (; attr != NULL; attr = attr->next) {
        char name[ATTR_NAME_MAX];
        if (!kmip_attr_v1_name(attr, name, sizeof(name)))
            return kmip_fail(status, KMIP_E_INVALID_ARG,
                             "attributes: tag 0x%06x is not an attribute",
                             (unsigned)attr->tag);
        if (kmip_item_add(parent, kmip_attr_to_v1(attr)) == NULL)
            return kmip_fail(status, KMIP_E_NOMEM, "attributes: out of memory");
    }
    return KMIP_OK;
}

kmip_rc kmip_attrs_encode(const kmip_item *attrs, kmip_version version,
                          kmip_attrs_role role, kmip_item **out,
                          kmip_status *status)
{
    if (out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG, "attributes: no output");
    *out = NULL;
    kmip_item *container =
        kmip_item_new_structure(kmip_attrs_container_tag(version, role));
    if (container == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "attributes: out of memory");
    kmip_rc rc = KMIP_OK;
    if (!kmip_version_is_v2(version)) {
        rc = kmip_attrs_append_v1(container, attrs, status);
    } else if (attrs != NULL && attrs->type == KMIP_TYPE_STRUCTURE) {
        for (const kmip_item *attr = attrs->v.children.first;
             rc == KMIP_OK && attr != NULL; attr = attr->next) {
            if (!is_vendor_attribute(attr) &&
                kmip_attribute_name(attr->tag) == NULL)
                rc = kmip_fail(status, KMIP_E_INVALID_ARG,
                               "attributes: tag 0x%06x is not an attribute",
                               (unsigned)attr->tag);
            else if (!kmip_item_add(container, kmip_item_dup(attr)))
                rc = kmip_fail(status, KMIP_E_NOMEM,
                               "attributes: out of memory");
        }
    }
    if (rc != KMIP_OK) {
        kmip_item_free(container);
        return rc;
    }
    *out = container;
    return KMIP_OK;
}

/* Checks value's type against the attribute's defined type. */
static kmip_rc check_type(const kmip_item *value, uint32_t tag,
                          const char *name, kmip_status *status)
{
    kmip_type want;
    if (kmip_tag_type(tag, &want) && value->type != want)
        return kmip_fail(status, KMIP_E_DECODE,
                         "attribute '%s': value must be a %s, not a %s", name,
                         kmip_type_name(want), kmip_type_name(value->type));
    return KMIP_OK;
}

static kmip_item *new_vendor_attribute(const char *vendor, const char *name,
                                       const kmip_item *value)
{
    kmip_item *attr = kmip_item_new_structure(KMIP_TAG_VENDOR_ATTRIBUTE);
    kmip_item *copy = kmip_item_dup(value);
    if (copy != NULL)
        copy->tag = KMIP_TAG_ATTRIBUTE_VALUE;
    if (attr == NULL ||
        !kmip_add_text(attr, KMIP_TAG_VENDOR_IDENTIFICATION, vendor) ||
        !kmip_add_text(attr, KMIP_TAG_ATTRIBUTE_NAME, name) ||
        !kmip_item_add(attr, copy)) {
        kmip_item_free(attr);
        kmip_item_free(copy);
        return NULL;
    }
    return attr;
}

kmip_rc kmip_attr_from_v1(const kmip_item *attribute, kmip_item **out,
                          kmip_status *status)
{
    if (attribute == NULL || out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG, "attribute: no input");
    *out = NULL;
    if (attribute->tag != KMIP_TAG_ATTRIBUTE ||
        attribute->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE,
                         "attribute: not an Attribute structure");
    const char *name;
    size_t len;
    kmip_rc rc =
        kmip_get_text(attribute, KMIP_TAG_ATTRIBUTE_NAME, &name, &len, status);
    if (rc != KMIP_OK)
        return kmip_fail(status, rc, "attribute: %s Attribute Name",
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    int32_t index;
    rc = kmip_get_integer(attribute, KMIP_TAG_ATTRIBUTE_INDEX, &index, status);
    if (rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "attribute '%s': bad Attribute Index",
                         name);
    const kmip_item *value =
        kmip_item_find(attribute, KMIP_TAG_ATTRIBUTE_VALUE);
    if (value == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND,
                         "attribute '%s': missing Attribute Value", name);
    uint32_t tag;
    char vendor[2];
    const char *rest;
    if (kmip_attribute_tag(name, &tag)) {
        rc = check_type(value, tag, name, status);
        if (rc != KMIP_OK)
            return rc;
        *out = kmip_item_dup(value);
        if (*out != NULL)
            (*out)->tag = tag;
    } else if (split_custom_name(name, vendor, &rest)) {
        *out = new_vendor_attribute(vendor, rest, value);
    } else {
        return kmip_fail(status, KMIP_E_DECODE, "unknown attribute '%s'", name);
    }
    if (*out == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "attribute: out of memory");
    return KMIP_OK;
}

static kmip_rc decode_v2_attribute(const kmip_item *attr, kmip_item **out,
                                   kmip_status *status)
{
    *out = NULL;
    const char *name = kmip_attribute_name(attr->tag);
    if (attr->tag == KMIP_TAG_VENDOR_ATTRIBUTE) {
        if (!is_vendor_attribute(attr))
            return kmip_fail(status, KMIP_E_DECODE,
                             "Vendor Attribute: needs Vendor Identification, "
                             "Attribute Name and Attribute Value");
    } else if (name == NULL) {
        return kmip_fail(status, KMIP_E_DECODE,
                         "attributes: tag 0x%06x is not an attribute",
                         (unsigned)attr->tag);
    } else {
        kmip_rc rc = check_type(attr, attr->tag, name, status);
        if (rc != KMIP_OK)
            return rc;
    }
    *out = kmip_item_dup(attr);
    if (*out == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "attributes: out of memory");
    return KMIP_OK;
}

kmip_rc kmip_attr_decode(const kmip_item *item, kmip_item **out,
                         kmip_status *status)
{
    if (item == NULL || out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG, "attribute: no input");
    if (item->tag == KMIP_TAG_ATTRIBUTE &&
        kmip_item_find(item, KMIP_TAG_VENDOR_IDENTIFICATION) == NULL)
        return kmip_attr_from_v1(item, out, status);
    return decode_v2_attribute(item, out, status);
}

kmip_rc kmip_attrs_decode(const kmip_item *container, kmip_item **out,
                          kmip_status *status)
{
    if (out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG, "attributes: no output");
    *out = kmip_attrs_new();
    if (*out == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "attributes: out of memory");
    if (container == NULL)
        return KMIP_OK;
    if (container->type != KMIP_TYPE_STRUCTURE) {
        kmip_item_free(*out);
        *out = NULL;
        return kmip_fail(status, KMIP_E_DECODE,
                         "attributes: the container is not a structure");
    }
    bool v2 = is_v2_container(container->tag);
    kmip_rc rc = KMIP_OK;
    for (const kmip_item *child = container->v.children.first;
         rc == KMIP_OK && child != NULL; child = child->next) {
        kmip_item *attr = NULL;
        if (v2)
            rc = decode_v2_attribute(child, &attr, status);
        else if (child->tag == KMIP_TAG_ATTRIBUTE)
            rc = kmip_attr_from_v1(child, &attr, status);
        else
            continue;
        if (rc == KMIP_OK && !kmip_item_add(*out, attr))
            rc = kmip_fail(status, KMIP_E_NOMEM, "attributes: out of memory");
    }
    if (rc != KMIP_OK) {
        kmip_item_free(*out);
        *out = NULL;
    }
    return rc;
}
