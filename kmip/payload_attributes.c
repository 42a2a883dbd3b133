/* SPDX-License-Identifier: Apache-2.0 */
/* Attribute references and the attribute operations' payloads: Get
 * Attributes, Get Attribute List, Add, Modify, Delete and Set Attribute. */
#include <string.h>

#include "payload_fields.h"

/* ---- Attribute references ---- */

static kmip_rc read_v1_name(const kmip_item *ref, kmip_attr_ref *out,
                            kmip_status *status)
{
    const char *name = (const char *)ref->v.bytes.data;
    if (kmip_attribute_tag(name, &out->tag))
        return KMIP_OK;
    if ((name[0] == 'x' || name[0] == 'y') && name[1] == '-' &&
        name[2] != '\0') {
        *out = (kmip_attr_ref){KMIP_TAG_VENDOR_ATTRIBUTE, name, 1, name + 2,
                               ref->v.bytes.len - 2};
        return KMIP_OK;
    }
    return kmip_fail(status, KMIP_E_DECODE, "unknown attribute '%s'", name);
}

static kmip_rc read_vendor_ref(const kmip_item *ref, kmip_attr_ref *out,
                               kmip_status *status)
{
    out->tag = KMIP_TAG_VENDOR_ATTRIBUTE;
    kmip_rc rc = kmip_get_text(ref, KMIP_TAG_VENDOR_IDENTIFICATION,
                               &out->vendor, &out->vendor_len, status);
    if (rc == KMIP_OK)
        rc = kmip_get_text(ref, KMIP_TAG_ATTRIBUTE_NAME, &out->name,
                           &out->name_len, status);
    if (rc != KMIP_OK)
        return kmip_fail(status, rc,
                         "Attribute Reference: needs Vendor Identification "
                         "and Attribute Name");
    return KMIP_OK;
}

kmip_rc kmip_attr_ref_read(const kmip_item *ref, kmip_attr_ref *out,
                           kmip_status *status)
{
    if (ref == NULL || out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "attribute reference: no input");
    memset(out, 0, sizeof(*out));
    if (ref->tag == KMIP_TAG_ATTRIBUTE_NAME &&
        ref->type == KMIP_TYPE_TEXT_STRING)
        return read_v1_name(ref, out, status);
    if (ref->tag == KMIP_TAG_ATTRIBUTE_REFERENCE &&
        ref->type == KMIP_TYPE_STRUCTURE)
        return read_vendor_ref(ref, out, status);
    if (ref->tag == KMIP_TAG_ATTRIBUTE_REFERENCE &&
        ref->type == KMIP_TYPE_ENUMERATION) {
        out->tag = ref->v.enumeration;
        if (kmip_attribute_name(out->tag) != NULL)
            return KMIP_OK;
        return kmip_fail(status, KMIP_E_DECODE,
                         "Attribute Reference: tag 0x%06x is not an "
                         "attribute",
                         (unsigned)out->tag);
    }
    return kmip_fail(status, KMIP_E_DECODE,
                     "attribute reference: expected an Attribute Name text "
                     "or an Attribute Reference");
}

static bool text_equals(const kmip_item *parent, uint32_t tag, const char *want,
                        size_t want_len)
{
    const char *text;
    size_t len;
    return kmip_get_text(parent, tag, &text, &len, NULL) == KMIP_OK &&
           len == want_len && memcmp(text, want, len) == 0;
}

bool kmip_attr_ref_matches(const kmip_attr_ref *ref, const kmip_item *attr)
{
    if (ref == NULL || attr == NULL || ref->tag != attr->tag)
        return false;
    if (ref->tag != KMIP_TAG_VENDOR_ATTRIBUTE)
        return true;
    return text_equals(attr, KMIP_TAG_VENDOR_IDENTIFICATION, ref->vendor,
                       ref->vendor_len) &&
           text_equals(attr, KMIP_TAG_ATTRIBUTE_NAME, ref->name, ref->name_len);
}

/* A 2.x vendor reference {Vendor Identification, Attribute Name}. */
static kmip_item *add_vendor_ref(kmip_item *parent, const char *vendor,
                                 const char *name)
{
    kmip_item *ref = kmip_add_structure(parent, KMIP_TAG_ATTRIBUTE_REFERENCE);
    if (ref == NULL ||
        !kmip_add_text(ref, KMIP_TAG_VENDOR_IDENTIFICATION, vendor) ||
        !kmip_add_text(ref, KMIP_TAG_ATTRIBUTE_NAME, name))
        return NULL;
    return ref;
}

kmip_item *kmip_attr_ref_add(kmip_item *parent, kmip_version v,
                             const kmip_item *attr)
{
    char name[256];
    if (attr == NULL || !kmip_attr_v1_name(attr, name, sizeof(name)))
        return NULL;
    if (!kmip_version_is_v2(v))
        return kmip_add_text(parent, KMIP_TAG_ATTRIBUTE_NAME, name);
    if (attr->tag != KMIP_TAG_VENDOR_ATTRIBUTE)
        return kmip_add_enum(parent, KMIP_TAG_ATTRIBUTE_REFERENCE, attr->tag);
    const char *vendor, *attr_name;
    size_t len;
    kmip_get_text(attr, KMIP_TAG_VENDOR_IDENTIFICATION, &vendor, &len, NULL);
    kmip_get_text(attr, KMIP_TAG_ATTRIBUTE_NAME, &attr_name, &len, NULL);
    return add_vendor_ref(parent, vendor, attr_name);
}

/* Collects and checks the references of payload: the 2.x Attribute
 * References when there are some, else the 1.x Attribute Names. */
static kmip_rc collect_refs(const kmip_item *payload, const char *what,
                            kmip_list *out, kmip_status *status)
{
    uint32_t tag = kmip_item_find(payload, KMIP_TAG_ATTRIBUTE_REFERENCE)
                       ? KMIP_TAG_ATTRIBUTE_REFERENCE
                       : KMIP_TAG_ATTRIBUTE_NAME;
    *out = (kmip_list){kmip_item_find(payload, tag), 0, tag};
    for (const kmip_item *it = out->first; it != NULL;
         it = kmip_item_next_with_tag(it, tag), out->count++) {
        kmip_attr_ref ref;
        kmip_rc rc = kmip_attr_ref_read(it, &ref, status);
        if (rc != KMIP_OK)
            return kmip_fail(status, rc, "%s: reference %zu is invalid", what,
                             out->count);
    }
    return KMIP_OK;
}

/* ---- Get Attributes ---- */

static kmip_rc add_tag_ref(kmip_item *payload, kmip_version v, uint32_t tag)
{
    const char *name = kmip_attribute_name(tag);
    if (name == NULL)
        return KMIP_E_INVALID_ARG;
    kmip_item *ref =
        kmip_version_is_v2(v)
            ? kmip_add_enum(payload, KMIP_TAG_ATTRIBUTE_REFERENCE, tag)
            : kmip_add_text(payload, KMIP_TAG_ATTRIBUTE_NAME, name);
    return ref != NULL ? KMIP_OK : KMIP_E_NOMEM;
}

static kmip_rc add_custom_ref(kmip_item *payload, kmip_version v,
                              const char *name)
{
    if (name == NULL || (name[0] != 'x' && name[0] != 'y') || name[1] != '-' ||
        name[2] == '\0')
        return KMIP_E_INVALID_ARG;
    const char vendor[2] = {name[0], '\0'};
    kmip_item *ref =
        kmip_version_is_v2(v)
            ? add_vendor_ref(payload, vendor, name + 2)
            : kmip_add_text(payload, KMIP_TAG_ATTRIBUTE_NAME, name);
    return ref != NULL ? KMIP_OK : KMIP_E_NOMEM;
}

kmip_item *kmip_get_attributes_request(kmip_version v, const char *uid,
                                       const uint32_t *tags, size_t n_tags,
                                       const char *const *custom,
                                       size_t n_custom)
{
    if ((tags == NULL && n_tags > 0) || (custom == NULL && n_custom > 0))
        return NULL;
    kmip_item *payload = kmip_uid_request(uid);
    kmip_rc rc = payload != NULL ? KMIP_OK : KMIP_E_NOMEM;
    for (size_t i = 0; rc == KMIP_OK && i < n_tags; i++)
        rc = add_tag_ref(payload, v, tags[i]);
    for (size_t i = 0; rc == KMIP_OK && i < n_custom; i++)
        rc = add_custom_ref(payload, v, custom[i]);
    if (rc != KMIP_OK) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_rc kmip_get_attributes_request_parse(const kmip_item *payload,
                                          kmip_get_attributes_args *out,
                                          kmip_status *status)
{
    memset(out, 0, sizeof(*out));
    kmip_rc rc = kmip_uid_request_parse(payload, &out->uid, status);
    if (rc == KMIP_OK)
        rc =
            collect_refs(payload, "Get Attributes request", &out->refs, status);
    return rc;
}

kmip_rc kmip_get_attributes_response(const kmip_item *payload,
                                     kmip_get_attributes_result *out,
                                     kmip_status *status)
{
    memset(out, 0, sizeof(*out));
    kmip_rc rc = kmip_uid_response(payload, &out->uid, status);
    if (rc == KMIP_OK)
        rc = kmip_payload_object_attrs(payload, "Get Attributes response",
                                       &out->attributes, status);
    return rc;
}

kmip_item *kmip_get_attributes_response_build(kmip_version v, const char *uid,
                                              const kmip_item *attributes)
{
    kmip_item *payload = kmip_uid_response_build(uid);
    kmip_rc rc = payload != NULL ? KMIP_OK : KMIP_E_NOMEM;
    if (rc == KMIP_OK && kmip_version_is_v2(v))
        rc = kmip_payload_add_attrs(payload, v, attributes, KMIP_ATTRS_OBJECT,
                                    NULL);
    else if (rc == KMIP_OK)
        rc = kmip_attrs_append_v1(payload, attributes, NULL);
    if (rc != KMIP_OK) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

/* ---- Get Attribute List ---- */

kmip_item *kmip_get_attribute_list_request(kmip_version v, const char *uid)
{
    (void)v; /* the same in every version */
    return kmip_uid_request(uid);
}

kmip_rc kmip_get_attribute_list_response(const kmip_item *payload,
                                         kmip_get_attribute_list_result *out,
                                         kmip_status *status)
{
    memset(out, 0, sizeof(*out));
    kmip_rc rc = kmip_uid_response(payload, &out->uid, status);
    if (rc == KMIP_OK)
        rc = collect_refs(payload, "Get Attribute List response", &out->refs,
                          status);
    return rc;
}

/* True when an attribute before attr in its set has the same name. */
static bool named_before(const kmip_item *attrs, const kmip_item *attr)
{
    char name[256], other[256];
    if (!kmip_attr_v1_name(attr, name, sizeof(name)))
        return false;
    for (const kmip_item *it = attrs->v.children.first; it != attr;
         it = it->next)
        if (kmip_attr_v1_name(it, other, sizeof(other)) &&
            strcmp(name, other) == 0)
            return true;
    return false;
}

kmip_item *kmip_get_attribute_list_response_build(kmip_version v,
                                                  const char *uid,
                                                  const kmip_item *attributes)
{
    kmip_item *payload = kmip_uid_response_build(uid);
    if (payload == NULL || attributes == NULL ||
        attributes->type != KMIP_TYPE_STRUCTURE)
        return payload;
    for (const kmip_item *attr = attributes->v.children.first; attr != NULL;
         attr = attr->next) {
        if (named_before(attributes, attr))
            continue;
        if (kmip_attr_ref_add(payload, v, attr) == NULL) {
            kmip_item_free(payload);
            return NULL;
        }
    }
    return payload;
}

/* ---- Add, Modify, Delete, Set Attribute ---- */

/* Appends attr (a canonical attribute) as 1.x Attribute or inside the 2.x
 * wrapper tag (New Attribute, Current Attribute). */
static bool add_attribute(kmip_item *payload, kmip_version v, uint32_t wrapper,
                          const kmip_item *attr)
{
    if (!kmip_version_is_v2(v))
        return kmip_item_add(payload, kmip_attr_to_v1(attr)) != NULL;
    kmip_item *outer = kmip_add_structure(payload, wrapper);
    return outer != NULL && kmip_item_add(outer, kmip_item_dup(attr)) != NULL;
}

/* {uid, [Current Attribute (2.x)], attr in wrapper (2.x) or as a 1.x
 * Attribute}. */
static kmip_item *change_request(kmip_version v, const char *uid,
                                 const kmip_item *current, uint32_t wrapper,
                                 const kmip_item *attr)
{
    if (attr == NULL)
        return NULL;
    kmip_item *payload = kmip_uid_request(uid);
    bool ok = payload != NULL;
    if (ok && current != NULL && kmip_version_is_v2(v))
        ok = add_attribute(payload, v, KMIP_TAG_CURRENT_ATTRIBUTE, current);
    if (ok)
        ok = add_attribute(payload, v, wrapper, attr);
    if (!ok) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_item *kmip_add_attribute_request(kmip_version v, const char *uid,
                                      const kmip_item *attr)
{
    return change_request(v, uid, NULL, KMIP_TAG_NEW_ATTRIBUTE, attr);
}

kmip_item *kmip_modify_attribute_request(kmip_version v, const char *uid,
                                         const kmip_item *current,
                                         const kmip_item *attr)
{
    return change_request(v, uid, current, KMIP_TAG_NEW_ATTRIBUTE, attr);
}

kmip_item *kmip_set_attribute_request(kmip_version v, const char *uid,
                                      const kmip_item *attr)
{
    if (!kmip_version_is_v2(v))
        return NULL;
    return change_request(v, uid, NULL, KMIP_TAG_NEW_ATTRIBUTE, attr);
}

kmip_item *kmip_delete_attribute_request(kmip_version v, const char *uid,
                                         const kmip_item *attr)
{
    if (kmip_version_is_v2(v))
        return change_request(v, uid, NULL, KMIP_TAG_CURRENT_ATTRIBUTE, attr);
    kmip_item *payload = kmip_uid_request(uid);
    if (payload != NULL && kmip_attr_ref_add(payload, v, attr) == NULL) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_item *kmip_adjust_attribute_request(kmip_version v, const char *uid,
                                         const kmip_item *attr,
                                         uint32_t adjustment,
                                         const kmip_item *value)
{
    if (!kmip_version_is_v2(v) || adjustment == 0)
        return NULL;
    kmip_item *payload = kmip_uid_request(uid);
    bool ok = payload != NULL && kmip_attr_ref_add(payload, v, attr) &&
              kmip_add_enum(payload, KMIP_TAG_ADJUSTMENT_TYPE, adjustment);
    if (ok && value != NULL) {
        kmip_item *copy = kmip_item_dup(value);
        if (copy != NULL)
            copy->tag = KMIP_TAG_ADJUSTMENT_VALUE;
        ok = kmip_item_add(payload, copy) != NULL;
    }
    if (!ok) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_rc kmip_adjust_attribute_request_parse(const kmip_item *payload,
                                            kmip_adjust_attribute_args *out,
                                            kmip_status *status)
{
    static const char what[] = "Adjust Attribute request";
    memset(out, 0, sizeof(*out));
    kmip_rc rc = kmip_uid_request_parse(payload, &out->uid, status);
    kmip_list refs;
    if (rc == KMIP_OK)
        rc = collect_refs(payload, what, &refs, status);
    if (rc == KMIP_OK && refs.count != 1)
        return kmip_fail(status, KMIP_E_NOT_FOUND,
                         "%s: needs one Attribute Reference", what);
    if (rc == KMIP_OK)
        rc = kmip_get_enum(payload, KMIP_TAG_ADJUSTMENT_TYPE,
                           &out->adjustment_type, status);
    if (rc == KMIP_E_NOT_FOUND || rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "%s: %s Adjustment Type", what,
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    if (rc == KMIP_OK) {
        out->ref = refs.first;
        out->adjustment_value =
            kmip_item_find(payload, KMIP_TAG_ADJUSTMENT_VALUE);
    }
    return rc;
}

/* The single attribute inside a 2.x wrapper (New / Current Attribute). */
static kmip_rc unwrap(const kmip_item *payload, uint32_t wrapper,
                      const kmip_item **out, kmip_status *status)
{
    const kmip_item *outer = kmip_item_find(payload, wrapper);
    *out = NULL;
    if (outer == NULL)
        return KMIP_OK;
    if (outer->type != KMIP_TYPE_STRUCTURE || outer->v.children.count != 1)
        return kmip_fail(status, KMIP_E_DECODE,
                         "%s must be a Structure holding one attribute",
                         wrapper == KMIP_TAG_NEW_ATTRIBUTE
                             ? "New Attribute"
                             : "Current Attribute");
    *out = outer->v.children.first;
    return KMIP_OK;
}

kmip_rc kmip_attribute_change_parse(const kmip_item *payload,
                                    kmip_attribute_change *out,
                                    kmip_status *status)
{
    memset(out, 0, sizeof(*out));
    if (payload == NULL || payload->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE,
                         "attribute change: payload is not a structure");
    kmip_rc rc = kmip_get_text(payload, KMIP_TAG_UNIQUE_IDENTIFIER, &out->uid,
                               &(size_t){0}, status);
    if (rc == KMIP_E_DECODE)
        return kmip_fail(status, rc,
                         "attribute change: bad Unique "
                         "Identifier");
    rc = unwrap(payload, KMIP_TAG_NEW_ATTRIBUTE, &out->attribute, status);
    if (rc == KMIP_OK)
        rc = unwrap(payload, KMIP_TAG_CURRENT_ATTRIBUTE, &out->current, status);
    if (rc == KMIP_OK && out->attribute == NULL)
        out->attribute = kmip_item_find(payload, KMIP_TAG_ATTRIBUTE);
    kmip_list refs;
    if (rc == KMIP_OK)
        rc = collect_refs(payload, "attribute change", &refs, status);
    if (rc == KMIP_OK)
        out->ref = refs.first;
    return rc;
}

kmip_item *kmip_attribute_change_response_build(kmip_version v, const char *uid,
                                                const kmip_item *attr)
{
    kmip_item *payload = kmip_uid_response_build(uid);
    if (payload != NULL && attr != NULL && !kmip_version_is_v2(v) &&
        !kmip_item_add(payload, kmip_attr_to_v1(attr))) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}
