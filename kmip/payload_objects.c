/* SPDX-License-Identifier: Apache-2.0 */
/* Payloads about one object or a search: Unique Identifier only
 * (Activate, Destroy), Revoke, Get and Locate. */
#include <string.h>

#include "payload_fields.h"

/* ---- Unique Identifier only ---- */

typedef struct uid_fields {
    const char *uid;
} uid_fields;

static const kmip_field uid_optional[] = {KMIP_FIELD(
    uid_fields, uid, KMIP_TAG_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT, false)};
static const kmip_field uid_required[] = {KMIP_FIELD(
    uid_fields, uid, KMIP_TAG_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT, true)};
static const kmip_field_table uid_request_table =
    KMIP_FIELD_TABLE("request", uid_optional);
static const kmip_field_table uid_response_table =
    KMIP_FIELD_TABLE("response", uid_required);

/* A payload of payload_tag holding the Unique Identifier alone. */
static kmip_item *uid_payload_build(uint32_t payload_tag,
                                    const kmip_field_table *table,
                                    const char *uid)
{
    const uid_fields fields = {uid};
    return kmip_fields_build_new(payload_tag, table, &fields);
}

static kmip_rc uid_payload_parse(const kmip_item *payload, uint32_t payload_tag,
                                 const kmip_field_table *table,
                                 const char **uid, kmip_status *status)
{
    uid_fields fields;
    kmip_rc rc = kmip_fields_parse_payload(payload, payload_tag, table, &fields,
                                           sizeof(fields), status);
    *uid = fields.uid;
    return rc;
}

kmip_item *kmip_uid_request(const char *uid)
{
    return uid_payload_build(KMIP_TAG_REQUEST_PAYLOAD, &uid_request_table, uid);
}

kmip_item *kmip_uid_response_build(const char *uid)
{
    return uid_payload_build(KMIP_TAG_RESPONSE_PAYLOAD, &uid_response_table,
                             uid);
}

kmip_rc kmip_uid_request_parse(const kmip_item *payload, const char **uid,
                               kmip_status *status)
{
    return uid_payload_parse(payload, KMIP_TAG_REQUEST_PAYLOAD,
                             &uid_request_table, uid, status);
}

kmip_rc kmip_uid_response(const kmip_item *payload, const char **uid,
                          kmip_status *status)
{
    return uid_payload_parse(payload, KMIP_TAG_RESPONSE_PAYLOAD,
                             &uid_response_table, uid, status);
}

kmip_item *kmip_activate_request(kmip_version v, const char *uid)
{
    (void)v; /* the same in every version */
    return kmip_uid_request(uid);
}

kmip_item *kmip_destroy_request(kmip_version v, const char *uid)
{
    (void)v; /* the same in every version */
    return kmip_uid_request(uid);
}

/* ---- Revoke ---- */

typedef struct revocation_reason {
    bool present;
    uint32_t code;
    const char *message;
} revocation_reason;

typedef struct revoke_fields {
    const char *uid;
    revocation_reason reason;
    int64_t compromise_occurrence_date;
} revoke_fields;

static const kmip_field revocation_reason_fields[] = {
    KMIP_FIELD(revocation_reason, code, KMIP_TAG_REVOCATION_REASON_CODE,
               KMIP_FIELD_ENUM, true),
    KMIP_FIELD(revocation_reason, message, KMIP_TAG_REVOCATION_MESSAGE,
               KMIP_FIELD_TEXT, false),
};
static const kmip_field_table revocation_reason_table =
    KMIP_FIELD_TABLE("Revocation Reason", revocation_reason_fields);

static const kmip_field revoke_request_fields[] = {
    KMIP_FIELD(revoke_fields, uid, KMIP_TAG_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT,
               false),
    {KMIP_TAG_REVOCATION_REASON, KMIP_FIELD_NESTED, true,
     offsetof(revoke_fields, reason), &revocation_reason_table},
    KMIP_FIELD(revoke_fields, compromise_occurrence_date,
               KMIP_TAG_COMPROMISE_OCCURRENCE_DATE, KMIP_FIELD_DATETIME, false),
};
static const kmip_field_table revoke_request_table =
    KMIP_FIELD_TABLE("Revoke request", revoke_request_fields);

kmip_item *kmip_revoke_request(kmip_version v, const kmip_revoke_args *args)
{
    (void)v; /* the same in every version */
    if (args == NULL || args->reason_code == 0)
        return NULL;
    const revoke_fields fields = {
        args->uid,
        {true, args->reason_code, args->reason_message},
        args->compromise_occurrence_date,
    };
    return kmip_fields_build_new(KMIP_TAG_REQUEST_PAYLOAD,
                                 &revoke_request_table, &fields);
}

kmip_rc kmip_revoke_request_parse(const kmip_item *payload,
                                  kmip_revoke_args *out, kmip_status *status)
{
    revoke_fields fields;
    kmip_rc rc = kmip_fields_parse_payload(payload, KMIP_TAG_REQUEST_PAYLOAD,
                                           &revoke_request_table, &fields,
                                           sizeof(fields), status);
    *out = (kmip_revoke_args){fields.uid, fields.reason.code,
                              fields.reason.message,
                              fields.compromise_occurrence_date};
    return rc;
}

/* ---- Get ---- */

static const kmip_field get_request_fields[] = {
    KMIP_FIELD(kmip_get_args, uid, KMIP_TAG_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT,
               false),
    KMIP_FIELD(kmip_get_args, key_format_type, KMIP_TAG_KEY_FORMAT_TYPE,
               KMIP_FIELD_ENUM, false),
    KMIP_FIELD(kmip_get_args, key_compression_type,
               KMIP_TAG_KEY_COMPRESSION_TYPE, KMIP_FIELD_ENUM, false),
    KMIP_FIELD(kmip_get_args, key_wrapping_specification,
               KMIP_TAG_KEY_WRAPPING_SPECIFICATION, KMIP_FIELD_STRUCT, false),
};
static const kmip_field_table get_request_table =
    KMIP_FIELD_TABLE("Get request", get_request_fields);

kmip_item *kmip_get_request(kmip_version v, const kmip_get_args *args)
{
    (void)v; /* the same in every version */
    if (args == NULL)
        return NULL;
    return kmip_fields_build_new(KMIP_TAG_REQUEST_PAYLOAD, &get_request_table,
                                 args);
}

kmip_rc kmip_get_request_parse(const kmip_item *payload, kmip_get_args *out,
                               kmip_status *status)
{
    return kmip_fields_parse_payload(payload, KMIP_TAG_REQUEST_PAYLOAD,
                                     &get_request_table, out, sizeof(*out),
                                     status);
}

static const kmip_field get_result_fields[] = {
    KMIP_FIELD(kmip_get_result, object_type, KMIP_TAG_OBJECT_TYPE,
               KMIP_FIELD_ENUM, true),
    KMIP_FIELD(kmip_get_result, uid, KMIP_TAG_UNIQUE_IDENTIFIER,
               KMIP_FIELD_TEXT, true),
};
static const kmip_field_table get_result_table =
    KMIP_FIELD_TABLE("Get response", get_result_fields);

kmip_rc kmip_get_response(const kmip_item *payload, kmip_get_result *out,
                          kmip_status *status)
{
    kmip_rc rc =
        kmip_fields_parse_payload(payload, KMIP_TAG_RESPONSE_PAYLOAD,
                                  &get_result_table, out, sizeof(*out), status);
    if (rc != KMIP_OK)
        return rc;
    uint32_t tag = kmip_object_tag(out->object_type);
    out->object_item = tag != 0 ? kmip_item_find(payload, tag) : NULL;
    if (out->object_item == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND,
                         "Get response: no object of type 0x%x",
                         (unsigned)out->object_type);
    return kmip_object_parse(out->object_item, &out->object, status);
}

kmip_item *kmip_get_response_build(kmip_version v, const char *uid,
                                   const kmip_object *object)
{
    (void)v; /* the same in every version */
    if (object == NULL)
        return NULL;
    const kmip_get_result fields = {.object_type = object->object_type,
                                    .uid = uid};
    kmip_item *payload = kmip_fields_build_new(KMIP_TAG_RESPONSE_PAYLOAD,
                                               &get_result_table, &fields);
    if (payload != NULL && !kmip_item_add(payload, kmip_object_build(object))) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

/* ---- Locate ---- */

static const kmip_field locate_request_fields[] = {
    KMIP_FIELD(kmip_locate_args, maximum_items, KMIP_TAG_MAXIMUM_ITEMS,
               KMIP_FIELD_INT, false),
    KMIP_FIELD(kmip_locate_args, offset_items, KMIP_TAG_OFFSET_ITEMS,
               KMIP_FIELD_INT, false),
    KMIP_FIELD(kmip_locate_args, storage_status_mask,
               KMIP_TAG_STORAGE_STATUS_MASK, KMIP_FIELD_INT, false),
    KMIP_FIELD(kmip_locate_args, object_group_member,
               KMIP_TAG_OBJECT_GROUP_MEMBER, KMIP_FIELD_ENUM, false),
};
static const kmip_field_table locate_request_table =
    KMIP_FIELD_TABLE("Locate request", locate_request_fields);

kmip_item *kmip_locate_request(kmip_version v, const kmip_locate_args *args)
{
    if (args == NULL)
        return NULL;
    kmip_item *payload = kmip_fields_build_new(KMIP_TAG_REQUEST_PAYLOAD,
                                               &locate_request_table, args);
    kmip_rc rc = payload != NULL ? KMIP_OK : KMIP_E_NOMEM;
    if (rc == KMIP_OK && kmip_version_is_v2(v))
        rc = kmip_payload_add_attrs(payload, v, args->attributes,
                                    KMIP_ATTRS_OBJECT, NULL);
    else if (rc == KMIP_OK)
        rc = kmip_attrs_append_v1(payload, args->attributes, NULL);
    if (rc != KMIP_OK) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_rc kmip_locate_request_parse(const kmip_item *payload,
                                  kmip_locate_args *out, kmip_status *status)
{
    kmip_rc rc = kmip_fields_parse_payload(payload, KMIP_TAG_REQUEST_PAYLOAD,
                                           &locate_request_table, out,
                                           sizeof(*out), status);
    if (rc != KMIP_OK)
        return rc;
    return kmip_payload_object_attrs(payload, locate_request_table.name,
                                     &out->attributes, status);
}

static const kmip_field locate_result_fields[] = {
    KMIP_FIELD(kmip_locate_result, located_items, KMIP_TAG_LOCATED_ITEMS,
               KMIP_FIELD_INT, false),
};
static const kmip_field_table locate_result_table =
    KMIP_FIELD_TABLE("Locate response", locate_result_fields);

kmip_rc kmip_locate_response(const kmip_item *payload, kmip_locate_result *out,
                             kmip_status *status)
{
    kmip_rc rc = kmip_fields_parse_payload(payload, KMIP_TAG_RESPONSE_PAYLOAD,
                                           &locate_result_table, out,
                                           sizeof(*out), status);
    if (rc == KMIP_OK)
        rc = kmip_list_collect(payload, KMIP_TAG_UNIQUE_IDENTIFIER,
                               KMIP_TYPE_TEXT_STRING, locate_result_table.name,
                               &out->uids, status);
    return rc;
}

kmip_item *kmip_locate_response_build(kmip_version v,
                                      kmip_opt_int located_items,
                                      const char *const *uids, size_t n)
{
    (void)v; /* the same in every version */
    if (uids == NULL && n > 0)
        return NULL;
    const kmip_locate_result fields = {.located_items = located_items};
    kmip_item *payload = kmip_fields_build_new(KMIP_TAG_RESPONSE_PAYLOAD,
                                               &locate_result_table, &fields);
    for (size_t i = 0; payload != NULL && i < n; i++) {
        if (!kmip_add_text(payload, KMIP_TAG_UNIQUE_IDENTIFIER, uids[i])) {
            kmip_item_free(payload);
            payload = NULL;
        }
    }
    return payload;
}
