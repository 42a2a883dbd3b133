/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/attr_ref.h"

bool kmipd_attr_id_of(const kmip_item *attr, kmipd_attr_id *id)
{
    id->tag = attr->tag;
    id->name[0] = '\0';
    return attr->tag != KMIP_TAG_VENDOR_ATTRIBUTE ||
           kmip_attr_v1_name(attr, id->name, sizeof(id->name));
}

bool kmipd_attr_id_of_name(const char *name, kmipd_attr_id *id)
{
    if (kmip_attribute_tag(name, &id->tag)) {
        id->name[0] = '\0';
        return true;
    }
    if ((name[0] != 'x' && name[0] != 'y') || name[1] != '-' ||
        strlen(name) >= sizeof(id->name))
        return false;
    id->tag = KMIP_TAG_VENDOR_ATTRIBUTE;
    strcpy(id->name, name);
    return true;
}

bool kmipd_attr_id_matches(const kmipd_attr_id *id, const kmip_item *attr)
{
    char name[256];
    return attr->tag == id->tag &&
           (id->tag != KMIP_TAG_VENDOR_ATTRIBUTE ||
            (kmip_attr_v1_name(attr, name, sizeof(name)) &&
             strcmp(name, id->name) == 0));
}

const char *kmipd_attr_id_label(const kmipd_attr_id *id)
{
    if (id->tag == KMIP_TAG_VENDOR_ATTRIBUTE)
        return id->name;
    const char *name = kmip_attribute_name(id->tag);
    return name != NULL ? name : "the attribute";
}

kmip_item *kmipd_attr_find_instance(kmip_item *attrs, const kmipd_attr_id *id,
                                    int32_t index)
{
    for (kmip_item *attr = attrs->v.children.first; attr != NULL;
         attr = attr->next) {
        if (kmipd_attr_id_matches(id, attr) && index-- == 0)
            return attr;
    }
    return NULL;
}

int32_t kmipd_attr_instance_index(const kmip_item *attrs,
                                  const kmip_item *instance)
{
    kmipd_attr_id id;
    kmipd_attr_id_of(instance, &id);
    int32_t index = 0;
    for (const kmip_item *attr = attrs->v.children.first;
         attr != NULL && attr != instance; attr = attr->next) {
        if (kmipd_attr_id_matches(&id, attr))
            index++;
    }
    return index;
}

kmip_item *kmipd_attr_v1(const kmip_item *attr, int32_t index)
{
    kmip_item *plain = kmip_attr_to_v1(attr);
    if (plain == NULL || index == 0)
        return plain;
    kmip_item *indexed = kmip_item_new_structure(KMIP_TAG_ATTRIBUTE);
    const kmip_item *name = kmip_item_find(plain, KMIP_TAG_ATTRIBUTE_NAME);
    const kmip_item *value = kmip_item_find(plain, KMIP_TAG_ATTRIBUTE_VALUE);
    if (!kmip_item_add(indexed, kmip_item_dup(name)) ||
        !kmip_add_integer(indexed, KMIP_TAG_ATTRIBUTE_INDEX, index) ||
        !kmip_item_add(indexed, kmip_item_dup(value))) {
        kmip_item_free(indexed);
        indexed = NULL;
    }
    kmip_item_free(plain);
    return indexed;
}

bool kmipd_attr_id_of_reference(kmipd_call *call, const kmip_item *ref,
                                kmipd_attr_id *id, bool *known)
{
    *known = true;
    if (ref->type == KMIP_TYPE_TEXT_STRING) {
        *known = kmipd_attr_id_of_name((const char *)ref->v.bytes.data, id);
        return *known;
    }
    if (ref->type == KMIP_TYPE_ENUMERATION) {
        id->tag = ref->v.enumeration;
        id->name[0] = '\0';
        return true;
    }
    const char *vendor, *name;
    size_t len;
    if (ref->type != KMIP_TYPE_STRUCTURE ||
        kmip_get_text(ref, KMIP_TAG_VENDOR_IDENTIFICATION, &vendor, &len,
                      NULL) != KMIP_OK ||
        kmip_get_text(ref, KMIP_TAG_ATTRIBUTE_NAME, &name, &len, NULL) !=
            KMIP_OK) {
        *known = false;
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "bad Attribute Reference");
    }
    id->tag = KMIP_TAG_VENDOR_ATTRIBUTE;
    /* Named as the stored attributes are matched (kmipd_attr_id_matches). */
    if (!kmip_vendor_attr_v1_name(vendor, name, id->name, sizeof(id->name))) {
        *known = false;
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "Attribute Reference name too long");
    }
    return true;
}
