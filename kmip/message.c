/* SPDX-License-Identifier: Apache-2.0 */
/* Request Message building and Response Message parsing (KMIP 1.0-2.1). */
#include "kmip/message.h"

#include <stdlib.h>
#include <string.h>

#include "kmip/tags.h"

#define BATCH_ID_LEN 4

int kmip_version_cmp(kmip_version a, kmip_version b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    return 0;
}

bool kmip_version_is_v2(kmip_version v)
{
    return v.major >= 2;
}

void kmip_request_item_clear(kmip_request_item *item)
{
    if (item == NULL)
        return;
    kmip_item_free(item->payload);
    item->payload = NULL;
}

static void batch_id_bytes(size_t index, uint8_t out[BATCH_ID_LEN])
{
    out[0] = (uint8_t)(index >> 24);
    out[1] = (uint8_t)(index >> 16);
    out[2] = (uint8_t)(index >> 8);
    out[3] = (uint8_t)index;
}

static kmip_item *add_protocol_version(kmip_item *parent, kmip_version v)
{
    kmip_item *pv = kmip_add_structure(parent, KMIP_TAG_PROTOCOL_VERSION);
    if (pv == NULL ||
        !kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR, v.major) ||
        !kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR, v.minor))
        return NULL;
    return pv;
}

static kmip_item *add_authentication(kmip_item *header,
                                     const kmip_credential *cred)
{
    kmip_item *auth = kmip_add_structure(header, KMIP_TAG_AUTHENTICATION);
    kmip_item *credential = kmip_add_structure(auth, KMIP_TAG_CREDENTIAL);
    if (credential == NULL ||
        !kmip_add_enum(credential, KMIP_TAG_CREDENTIAL_TYPE,
                       KMIP_CREDENTIAL_TYPE_USERNAME_AND_PASSWORD))
        return NULL;
    kmip_item *value =
        kmip_add_structure(credential, KMIP_TAG_CREDENTIAL_VALUE);
    if (value == NULL ||
        !kmip_add_text(value, KMIP_TAG_USERNAME, cred->username))
        return NULL;
    if (cred->password != NULL &&
        !kmip_add_text(value, KMIP_TAG_PASSWORD, cred->password))
        return NULL;
    return auth;
}

/* Fields in the order of the specification's Request Header table. */
static kmip_item *build_header(kmip_item *msg, kmip_version version,
                               const kmip_credential *cred,
                               const kmip_request_options *opts, size_t n)
{
    kmip_item *header = kmip_add_structure(msg, KMIP_TAG_REQUEST_HEADER);
    if (header == NULL || !add_protocol_version(header, version))
        return NULL;
    if (opts != NULL && opts->max_response != 0 &&
        !kmip_add_integer(header, KMIP_TAG_MAXIMUM_RESPONSE_SIZE,
                          (int32_t)opts->max_response))
        return NULL;
    if (cred != NULL && !add_authentication(header, cred))
        return NULL;
    if (opts != NULL && opts->batch_error_continuation != 0 &&
        !kmip_add_enum(header, KMIP_TAG_BATCH_ERROR_CONTINUATION_OPTION,
                       opts->batch_error_continuation))
        return NULL;
    if (opts != NULL && opts->batch_order &&
        !kmip_add_bool(header, KMIP_TAG_BATCH_ORDER_OPTION, true))
        return NULL;
    if (opts != NULL && opts->time_stamp != 0 &&
        !kmip_add_datetime(header, KMIP_TAG_TIME_STAMP, opts->time_stamp))
        return NULL;
    if (!kmip_add_integer(header, KMIP_TAG_BATCH_COUNT, (int32_t)n))
        return NULL;
    return header;
}

static kmip_item *build_batch_item(kmip_item *msg, kmip_request_item *item,
                                   size_t index, bool with_id)
{
    kmip_item *batch = kmip_add_structure(msg, KMIP_TAG_BATCH_ITEM);
    if (batch == NULL ||
        !kmip_add_enum(batch, KMIP_TAG_OPERATION, item->operation))
        return NULL;
    if (with_id) {
        uint8_t id[BATCH_ID_LEN];
        batch_id_bytes(index, id);
        if (!kmip_add_bytes(batch, KMIP_TAG_UNIQUE_BATCH_ITEM_ID, id,
                            sizeof(id)))
            return NULL;
    }
    kmip_item *payload = item->payload;
    item->payload = NULL;
    if (payload == NULL)
        payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    return kmip_item_add(batch, payload);
}

static void clear_items(kmip_request_item *items, size_t n)
{
    for (size_t i = 0; items != NULL && i < n; i++)
        kmip_request_item_clear(&items[i]);
}

kmip_rc kmip_request_build(kmip_version version, const kmip_credential *cred,
                           const kmip_request_options *opts,
                           kmip_request_item *items, size_t n, bool always_ids,
                           kmip_item **out, kmip_status *status)
{
    if (out == NULL || (items == NULL && n > 0) || n == 0 || n > INT32_MAX ||
        (cred != NULL && cred->username == NULL)) {
        clear_items(items, n);
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "request: needs 1 or more batch items%s",
                         cred != NULL && cred->username == NULL
                             ? " and a username in the credential"
                             : "");
    }
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        const kmip_item *payload = items[i].payload;
        if (payload != NULL && (payload->type != KMIP_TYPE_STRUCTURE ||
                                payload->tag != KMIP_TAG_REQUEST_PAYLOAD)) {
            clear_items(items, n);
            return kmip_fail(status, KMIP_E_INVALID_ARG,
                             "request: batch item %zu: the payload is not a "
                             "Request Payload structure",
                             i);
        }
    }
    kmip_item *msg = kmip_item_new_structure(KMIP_TAG_REQUEST_MESSAGE);
    bool ok = msg != NULL && build_header(msg, version, cred, opts, n);
    bool with_ids = n > 1 || always_ids;
    for (size_t i = 0; ok && i < n; i++)
        ok = build_batch_item(msg, &items[i], i, with_ids) != NULL;
    clear_items(items, n);
    if (!ok) {
        kmip_item_free(msg);
        return kmip_fail(status, KMIP_E_NOMEM, "request: out of memory");
    }
    *out = msg;
    return KMIP_OK;
}

/* ---- Response parsing ---- */

static kmip_rc parse_version(const kmip_item *parent, const char *where,
                             kmip_version *out, kmip_status *status)
{
    const kmip_item *pv;
    kmip_rc rc =
        kmip_get_structure(parent, KMIP_TAG_PROTOCOL_VERSION, &pv, status);
    if (rc == KMIP_OK)
        rc = kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR, &out->major,
                              status);
    if (rc == KMIP_OK)
        rc = kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR, &out->minor,
                              status);
    if (rc != KMIP_OK)
        return kmip_fail(status, KMIP_E_DECODE, "%s: %s Protocol Version",
                         where, rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    return KMIP_OK;
}

static kmip_rc parse_header(kmip_response *resp, const kmip_item *header,
                            int32_t *batch_count, kmip_status *status)
{
    kmip_rc rc =
        parse_version(header, "Response Header", &resp->version, status);
    if (rc != KMIP_OK)
        return rc;
    rc = kmip_get_datetime(header, KMIP_TAG_TIME_STAMP, &resp->time_stamp,
                           status);
    if (rc != KMIP_OK)
        return kmip_fail(status, KMIP_E_DECODE,
                         "Response Header: %s Time Stamp",
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    rc = kmip_get_integer(header, KMIP_TAG_BATCH_COUNT, batch_count, status);
    if (rc != KMIP_OK || *batch_count < 1)
        return kmip_fail(status, KMIP_E_DECODE,
                         "Response Header: %s Batch Count",
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    return KMIP_OK;
}

/* Maps a getter's result for one batch item field to the parse result. */
static kmip_rc check_field(kmip_rc rc, bool required, size_t index,
                           const char *field, kmip_status *status)
{
    if (rc == KMIP_OK || (rc == KMIP_E_NOT_FOUND && !required))
        return KMIP_OK;
    return kmip_fail(status, KMIP_E_DECODE, "response batch item %zu: %s %s",
                     index, rc == KMIP_E_NOT_FOUND ? "missing" : "bad", field);
}

static kmip_rc parse_batch_item(const kmip_item *batch, size_t index,
                                kmip_response_item *out, kmip_status *status)
{
    if (batch->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE,
                         "response batch item %zu: not a structure", index);
    size_t len;
    kmip_rc rc = check_field(
        kmip_get_enum(batch, KMIP_TAG_OPERATION, &out->operation, status),
        false, index, "Operation", status);
    if (rc == KMIP_OK)
        rc = check_field(kmip_get_bytes(batch, KMIP_TAG_UNIQUE_BATCH_ITEM_ID,
                                        &out->batch_id, &out->batch_id_len,
                                        status),
                         false, index, "Unique Batch Item ID", status);
    if (rc == KMIP_OK)
        rc = check_field(kmip_get_enum(batch, KMIP_TAG_RESULT_STATUS,
                                       &out->result_status, status),
                         true, index, "Result Status", status);
    if (rc == KMIP_OK)
        rc = check_field(kmip_get_enum(batch, KMIP_TAG_RESULT_REASON,
                                       &out->result_reason, status),
                         false, index, "Result Reason", status);
    if (rc == KMIP_OK)
        rc = check_field(kmip_get_text(batch, KMIP_TAG_RESULT_MESSAGE,
                                       &out->result_message, &len, status),
                         false, index, "Result Message", status);
    if (rc == KMIP_OK)
        rc = check_field(kmip_get_structure(batch, KMIP_TAG_RESPONSE_PAYLOAD,
                                            &out->payload, status),
                         false, index, "Response Payload", status);
    return rc;
}

kmip_rc kmip_response_parse(kmip_item *tree, kmip_response **out,
                            kmip_status *status)
{
    if (out == NULL || tree == NULL) {
        kmip_item_free(tree);
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "response: nothing to parse");
    }
    *out = NULL;
    kmip_response *resp = calloc(1, sizeof(*resp));
    if (resp == NULL) {
        kmip_item_free(tree);
        return kmip_fail(status, KMIP_E_NOMEM, "response: out of memory");
    }
    resp->tree = tree;
    if (tree->tag != KMIP_TAG_RESPONSE_MESSAGE ||
        tree->type != KMIP_TYPE_STRUCTURE) {
        kmip_fail(status, KMIP_E_DECODE,
                  "response: not a Response Message structure (tag 0x%06x)",
                  (unsigned)tree->tag);
        kmip_response_free(resp);
        return KMIP_E_DECODE;
    }
    const kmip_item *header;
    int32_t batch_count = 0;
    kmip_rc rc =
        kmip_get_structure(tree, KMIP_TAG_RESPONSE_HEADER, &header, status);
    if (rc != KMIP_OK)
        rc = kmip_fail(status, KMIP_E_DECODE, "response: %s Response Header",
                       rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    else
        rc = parse_header(resp, header, &batch_count, status);
    size_t present = kmip_item_count(tree, KMIP_TAG_BATCH_ITEM);
    if (rc == KMIP_OK && present != (size_t)batch_count)
        rc = kmip_fail(status, KMIP_E_DECODE,
                       "response: Batch Count says %d, %zu batch items "
                       "present",
                       (int)batch_count, present);
    if (rc == KMIP_OK) {
        resp->items = calloc(present, sizeof(*resp->items));
        if (resp->items == NULL)
            rc = kmip_fail(status, KMIP_E_NOMEM, "response: out of memory");
    }
    const kmip_item *batch = kmip_item_find(tree, KMIP_TAG_BATCH_ITEM);
    for (size_t i = 0; rc == KMIP_OK && i < present; i++) {
        rc = parse_batch_item(batch, i, &resp->items[i], status);
        resp->count = i + 1;
        batch = kmip_item_next_with_tag(batch, KMIP_TAG_BATCH_ITEM);
    }
    if (rc != KMIP_OK) {
        kmip_response_free(resp);
        return rc;
    }
    *out = resp;
    return KMIP_OK;
}

void kmip_response_free(kmip_response *resp)
{
    if (resp == NULL)
        return;
    kmip_item_free(resp->tree);
    free(resp->items);
    free(resp);
}

const kmip_response_item *kmip_response_item_for(const kmip_response *resp,
                                                 size_t index)
{
    if (resp == NULL)
        return NULL;
    uint8_t id[BATCH_ID_LEN];
    batch_id_bytes(index, id);
    bool any_id = false;
    for (size_t i = 0; i < resp->count; i++) {
        const kmip_response_item *item = &resp->items[i];
        if (item->batch_id == NULL)
            continue;
        any_id = true;
        if (item->batch_id_len == sizeof(id) &&
            memcmp(item->batch_id, id, sizeof(id)) == 0)
            return item;
    }
    if (any_id || index >= resp->count)
        return NULL;
    return &resp->items[index];
}

kmip_rc kmip_response_item_check(const kmip_response_item *item,
                                 kmip_status *status)
{
    if (item == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND,
                         "no response to this batch item");
    if (item->result_status == KMIP_STATUS_SUCCESS)
        return KMIP_OK;
    const char *op = kmip_enum_name(KMIP_TAG_OPERATION, item->operation);
    const char *reason =
        kmip_enum_name(KMIP_TAG_RESULT_REASON, item->result_reason);
    const char *state =
        kmip_enum_name(KMIP_TAG_RESULT_STATUS, item->result_status);
    kmip_fail(status, KMIP_E_RESULT, "%s %s: %s%s%s",
              op != NULL ? op : "operation", state != NULL ? state : "failed",
              reason != NULL ? reason : "no result reason",
              item->result_message != NULL ? ": " : "",
              item->result_message != NULL ? item->result_message : "");
    if (status != NULL) {
        status->result_status = item->result_status;
        status->result_reason = item->result_reason;
    }
    return KMIP_E_RESULT;
}
