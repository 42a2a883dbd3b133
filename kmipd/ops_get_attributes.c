/* SPDX-License-Identifier: Apache-2.0 */
/* Get Attributes and Get Attribute List, in the 1.x and 2.x forms. */
#include <stdio.h>
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/attr_ref.h"
#include "kmipd/ops_objects.h"

/* The attributes a Get Attributes request asks for (all when it names
 * none), as a new canonical set; NULL when the call failed. Unknown names
 * select nothing. */
static kmip_item *select_attributes(kmipd_call *call, const kmip_item *attrs)
{
    uint32_t ref_tag = kmip_version_is_v2(call->version)
                           ? KMIP_TAG_ATTRIBUTE_REFERENCE
                           : KMIP_TAG_ATTRIBUTE_NAME;
    const kmip_item *ref = kmip_item_find(call->request, ref_tag);
    kmip_item *selected = ref == NULL ? kmip_item_dup(attrs) : kmip_attrs_new();
    if (selected == NULL) {
        kmipd_fail_nomem(call);
        return NULL;
    }
    for (; ref != NULL; ref = kmip_item_next_with_tag(ref, ref_tag)) {
        kmipd_attr_id id;
        bool known;
        if (!kmipd_attr_id_of_reference(call, ref, &id, &known)) {
            if (!known && ref->type == KMIP_TYPE_TEXT_STRING)
                continue; /* an unknown name: the call has not failed */
            kmip_item_free(selected);
            return NULL;
        }
        for (const kmip_item *attr = attrs->v.children.first; attr != NULL;
             attr = attr->next) {
            if (kmipd_attr_id_matches(&id, attr) &&
                !kmip_item_add(selected, kmip_item_dup(attr))) {
                kmip_item_free(selected);
                kmipd_fail_nomem(call);
                return NULL;
            }
        }
    }
    return selected;
}

static bool answer_attributes(kmipd_call *call, const kmip_item *selected)
{
    if (kmip_version_is_v2(call->version)) {
        kmip_item *container = NULL;
        kmip_status st;
        if (kmip_attrs_encode(selected, call->version, KMIP_ATTRS_OBJECT,
                              &container, &st) != KMIP_OK)
            return kmipd_fail_status(call, &st);
        return kmip_item_add(call->response, container)
                   ? true
                   : kmipd_fail_nomem(call);
    }
    for (const kmip_item *attr = selected->v.children.first; attr != NULL;
         attr = attr->next) {
        if (!kmip_item_add(
                call->response,
                kmipd_attr_v1(attr, kmipd_attr_instance_index(selected, attr))))
            return kmipd_fail_nomem(call);
    }
    return true;
}

bool kmipd_op_get_attributes(kmipd_call *call)
{
    kmipd_object *obj;
    if (!kmipd_call_load_any(call, &obj))
        return false;
    kmip_item *selected = select_attributes(call, obj->attrs);
    bool ok = selected != NULL && kmipd_call_answer_uid(call, obj->uid) &&
              answer_attributes(call, selected);
    kmip_item_free(selected);
    kmipd_object_free(obj);
    return ok;
}

/* One reference to attr in the Get Attribute List form of the version. */
static kmip_item *attribute_reference(const kmipd_call *call,
                                      const kmip_item *attr)
{
    if (!kmip_version_is_v2(call->version)) {
        char name[256];
        if (!kmip_attr_v1_name(attr, name, sizeof(name)))
            return NULL;
        return kmip_item_new_text(KMIP_TAG_ATTRIBUTE_NAME, name);
    }
    if (attr->tag != KMIP_TAG_VENDOR_ATTRIBUTE)
        return kmip_item_new_enum(KMIP_TAG_ATTRIBUTE_REFERENCE, attr->tag);
    kmip_item *ref = kmip_item_new_structure(KMIP_TAG_ATTRIBUTE_REFERENCE);
    if (!kmip_item_add(ref, kmip_item_dup(kmip_item_find(
                                attr, KMIP_TAG_VENDOR_IDENTIFICATION))) ||
        !kmip_item_add(ref, kmip_item_dup(kmip_item_find(
                                attr, KMIP_TAG_ATTRIBUTE_NAME)))) {
        kmip_item_free(ref);
        return NULL;
    }
    return ref;
}

bool kmipd_op_get_attribute_list(kmipd_call *call)
{
    kmipd_object *obj;
    if (!kmipd_call_load_any(call, &obj))
        return false;
    bool ok = kmipd_call_answer_uid(call, obj->uid);
    for (const kmip_item *attr = obj->attrs->v.children.first;
         ok && attr != NULL; attr = attr->next) {
        if (kmipd_attr_instance_index(obj->attrs, attr) == 0 &&
            !kmip_item_add(call->response, attribute_reference(call, attr)))
            ok = kmipd_fail_nomem(call);
    }
    kmipd_object_free(obj);
    return ok;
}
