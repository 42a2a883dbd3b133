/* SPDX-License-Identifier: Apache-2.0 */
/* Create, Create Key Pair and Register payloads. */
#include <string.h>

#include "payload_fields.h"

/* ---- Create ---- */

static kmip_item *protection_storage_masks(int32_t mask)
{
    kmip_item *masks =
        kmip_item_new_structure(KMIP_TAG_PROTECTION_STORAGE_MASKS);
    if (!kmip_add_integer(masks, KMIP_TAG_PROTECTION_STORAGE_MASK, mask)) {
        kmip_item_free(masks);
        return NULL;
    }
    return masks;
}

/* The payload {Object Type, attributes} that Create and Register share. */
static kmip_item *typed_request(kmip_version v, uint32_t object_type,
                                const kmip_item *attributes,
                                int32_t protection_storage_mask)
{
    if (object_type == 0)
        return NULL;
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    if (!kmip_add_enum(payload, KMIP_TAG_OBJECT_TYPE, object_type) ||
        kmip_payload_add_attrs(payload, v, attributes, KMIP_ATTRS_OBJECT,
                               NULL) != KMIP_OK)
        goto fail;
    if (protection_storage_mask != 0 && kmip_version_is_v2(v) &&
        !kmip_item_add(payload,
                       protection_storage_masks(protection_storage_mask)))
        goto fail;
    return payload;
fail:
    kmip_item_free(payload);
    return NULL;
}

kmip_item *kmip_create_request(kmip_version v, const kmip_create_args *args)
{
    if (args == NULL)
        return NULL;
    return typed_request(v, args->object_type, args->attributes,
                         args->protection_storage_mask);
}

/* Reads the {Object Type, attributes, Protection Storage Masks} that
 * Create and Register requests share. */
static kmip_rc parse_typed_request(const kmip_item *payload, const char *what,
                                   kmip_create_args *out, kmip_status *status)
{
    memset(out, 0, sizeof(*out));
    kmip_rc rc =
        kmip_payload_object_type(payload, what, &out->object_type, status);
    if (rc == KMIP_OK)
        rc = kmip_payload_find_attrs(payload, KMIP_ATTRS_OBJECT, what,
                                     &out->attributes, status);
    const kmip_item *masks =
        kmip_item_find(payload, KMIP_TAG_PROTECTION_STORAGE_MASKS);
    if (rc == KMIP_OK && masks != NULL &&
        kmip_get_integer(masks, KMIP_TAG_PROTECTION_STORAGE_MASK,
                         &out->protection_storage_mask, status) != KMIP_OK)
        rc = kmip_fail(status, KMIP_E_DECODE,
                       "%s: bad Protection Storage Masks", what);
    return rc;
}

kmip_rc kmip_create_request_parse(const kmip_item *payload,
                                  kmip_create_args *out, kmip_status *status)
{
    return parse_typed_request(payload, "Create request", out, status);
}

static const kmip_field create_result_fields[] = {
    KMIP_FIELD(kmip_create_result, object_type, KMIP_TAG_OBJECT_TYPE,
               KMIP_FIELD_ENUM, true),
    KMIP_FIELD(kmip_create_result, uid, KMIP_TAG_UNIQUE_IDENTIFIER,
               KMIP_FIELD_TEXT, true),
    KMIP_FIELD(kmip_create_result, attributes, KMIP_TAG_TEMPLATE_ATTRIBUTE,
               KMIP_FIELD_STRUCT, false),
};
static const kmip_field_table create_result_table =
    KMIP_FIELD_TABLE("Create response", create_result_fields);

/* Register's response is Create's without the Object Type. */
static const kmip_field_table register_result_table = {
    "Register response", create_result_fields + 1,
    sizeof(create_result_fields) / sizeof(create_result_fields[0]) - 1};

kmip_rc kmip_create_response(const kmip_item *payload, kmip_create_result *out,
                             kmip_status *status)
{
    return kmip_fields_parse_payload(payload, KMIP_TAG_RESPONSE_PAYLOAD,
                                     &create_result_table, out, sizeof(*out),
                                     status);
}

/* A response's implicit attributes: 1.x only, and only when there are
 * some. */
static bool add_response_attrs(kmip_item *payload, kmip_version v,
                               const kmip_item *attrs, kmip_attrs_role role)
{
    if (kmip_version_is_v2(v) || attrs == NULL || attrs->v.children.count == 0)
        return true;
    return kmip_payload_add_attrs(payload, v, attrs, role, NULL) == KMIP_OK;
}

static kmip_item *build_response(kmip_version v, const kmip_field_table *table,
                                 const kmip_create_result *result,
                                 const kmip_item *attrs)
{
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD);
    if (payload == NULL ||
        kmip_fields_build(payload, table, result, NULL) != KMIP_OK ||
        !add_response_attrs(payload, v, attrs, KMIP_ATTRS_OBJECT)) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_item *kmip_create_response_build(kmip_version v, uint32_t object_type,
                                      const char *uid,
                                      const kmip_item *attributes)
{
    const kmip_create_result result = {object_type, uid, NULL};
    return build_response(v, &create_result_table, &result, attributes);
}

/* ---- Create Key Pair ---- */

static const kmip_attrs_role key_pair_roles[] = {
    KMIP_ATTRS_COMMON, KMIP_ATTRS_PRIVATE_KEY, KMIP_ATTRS_PUBLIC_KEY};

kmip_item *kmip_create_key_pair_request(kmip_version v,
                                        const kmip_create_key_pair_args *args)
{
    if (args == NULL)
        return NULL;
    const kmip_item *sets[] = {args->common, args->private_key,
                               args->public_key};
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    for (size_t i = 0; payload != NULL && i < 3; i++) {
        if (sets[i] != NULL &&
            kmip_payload_add_attrs(payload, v, sets[i], key_pair_roles[i],
                                   NULL) != KMIP_OK) {
            kmip_item_free(payload);
            payload = NULL;
        }
    }
    return payload;
}

kmip_rc kmip_create_key_pair_request_parse(const kmip_item *payload,
                                           kmip_create_key_pair_args *out,
                                           kmip_status *status)
{
    static const char what[] = "Create Key Pair request";
    memset(out, 0, sizeof(*out));
    const kmip_item **sets[] = {&out->common, &out->private_key,
                                &out->public_key};
    kmip_rc rc =
        kmip_payload_check(payload, KMIP_TAG_REQUEST_PAYLOAD, what, status);
    for (size_t i = 0; rc == KMIP_OK && i < 3; i++)
        rc = kmip_payload_find_attrs(payload, key_pair_roles[i], what, sets[i],
                                     status);
    return rc;
}

#define CKP(member, tag, kind, required)                                       \
    KMIP_FIELD(kmip_create_key_pair_result, member, tag, kind, required)

static const kmip_field key_pair_result_fields[] = {
    CKP(private_uid, KMIP_TAG_PRIVATE_KEY_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT,
        true),
    CKP(public_uid, KMIP_TAG_PUBLIC_KEY_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT,
        true),
    CKP(private_attributes, KMIP_TAG_PRIVATE_KEY_TEMPLATE_ATTRIBUTE,
        KMIP_FIELD_STRUCT, false),
    CKP(public_attributes, KMIP_TAG_PUBLIC_KEY_TEMPLATE_ATTRIBUTE,
        KMIP_FIELD_STRUCT, false),
};
static const kmip_field_table key_pair_result_table =
    KMIP_FIELD_TABLE("Create Key Pair response", key_pair_result_fields);

kmip_rc kmip_create_key_pair_response(const kmip_item *payload,
                                      kmip_create_key_pair_result *out,
                                      kmip_status *status)
{
    return kmip_fields_parse_payload(payload, KMIP_TAG_RESPONSE_PAYLOAD,
                                     &key_pair_result_table, out, sizeof(*out),
                                     status);
}

kmip_item *kmip_create_key_pair_response_build(
    kmip_version v, const char *private_uid, const char *public_uid,
    const kmip_item *private_attributes, const kmip_item *public_attributes)
{
    const kmip_create_key_pair_result result = {private_uid, public_uid, NULL,
                                                NULL};
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD);
    if (payload == NULL ||
        kmip_fields_build(payload, &key_pair_result_table, &result, NULL) !=
            KMIP_OK ||
        !add_response_attrs(payload, v, private_attributes,
                            KMIP_ATTRS_PRIVATE_KEY) ||
        !add_response_attrs(payload, v, public_attributes,
                            KMIP_ATTRS_PUBLIC_KEY)) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

/* ---- Register ---- */

kmip_item *kmip_register_request(kmip_version v, const kmip_register_args *args)
{
    if (args == NULL || args->object == NULL)
        return NULL;
    kmip_item *payload =
        typed_request(v, args->object_type, args->attributes, 0);
    if (payload != NULL &&
        !kmip_item_add(payload, kmip_item_dup(args->object))) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_rc kmip_register_request_parse(const kmip_item *payload,
                                    kmip_register_args *out,
                                    kmip_status *status)
{
    static const char what[] = "Register request";
    kmip_create_args typed;
    memset(out, 0, sizeof(*out));
    kmip_rc rc = parse_typed_request(payload, what, &typed, status);
    if (rc != KMIP_OK)
        return rc;
    out->object_type = typed.object_type;
    out->attributes = typed.attributes;
    uint32_t tag = kmip_object_tag(typed.object_type);
    out->object = tag != 0 ? kmip_item_find(payload, tag) : NULL;
    if (out->object == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND, "%s: no object of type 0x%x",
                         what, (unsigned)typed.object_type);
    return KMIP_OK;
}

kmip_rc kmip_register_response(const kmip_item *payload,
                               kmip_register_result *out, kmip_status *status)
{
    return kmip_fields_parse_payload(payload, KMIP_TAG_RESPONSE_PAYLOAD,
                                     &register_result_table, out, sizeof(*out),
                                     status);
}

kmip_item *kmip_register_response_build(kmip_version v, const char *uid,
                                        const kmip_item *attributes)
{
    const kmip_create_result result = {0, uid, NULL};
    return build_response(v, &register_result_table, &result, attributes);
}
