/* SPDX-License-Identifier: Apache-2.0 */
/* Request Message in, Response Message out: strict parsing of the message
 * and its header, then each batch item handed to its operation handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "kmip/tags.h"

#include "kmipd/dispatch.h"
#include "kmipd/faults.h"
#include "kmipd/log.h"
#include "kmipd/server.h"
#include "kmipd/undo.h"

const kmip_version kmipd_versions[] = {
    {2, 1}, {2, 0}, {1, 4}, {1, 3}, {1, 2}, {1, 1}, {1, 0},
};
const size_t kmipd_versions_count =
    sizeof(kmipd_versions) / sizeof(kmipd_versions[0]);

/* What the Request Header asks for. */
typedef struct request_header {
    kmip_version version;
    int32_t batch_count;
    int32_t max_response_size;   /* 0: no limit */
    uint32_t error_continuation; /* KMIP_BATCH_ERROR_CONTINUATION_OPTION_* */
} request_header;

/* A message-level problem: the whole request is answered with one failed
 * batch item. */
typedef struct message_error {
    uint32_t reason;
    char message[KMIPD_CALL_MESSAGE_MAX];
} message_error;

static bool version_supported(kmip_version v)
{
    for (size_t i = 0; i < kmipd_versions_count; i++) {
        if (kmip_version_cmp(kmipd_versions[i], v) == 0)
            return true;
    }
    return false;
}

/* The newest supported version not newer than v (1.0 when none). */
static kmip_version version_fallback(kmip_version v)
{
    for (size_t i = 0; i < kmipd_versions_count; i++) {
        if (kmip_version_cmp(kmipd_versions[i], v) <= 0)
            return kmipd_versions[i];
    }
    return KMIP_VERSION(1, 0);
}

static bool header_fail(message_error *err, uint32_t reason,
                        const kmip_status *st)
{
    err->reason = reason;
    snprintf(err->message, sizeof(err->message), "request header: %.200s",
             st->message);
    return false;
}

static bool parse_version(const kmip_item *header, kmip_version *version,
                          message_error *err)
{
    kmip_status st;
    const kmip_item *pv;
    if (kmip_get_structure(header, KMIP_TAG_PROTOCOL_VERSION, &pv, &st) !=
            KMIP_OK ||
        kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR, &version->major,
                         &st) != KMIP_OK ||
        kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR, &version->minor,
                         &st) != KMIP_OK)
        return header_fail(err, KMIP_RESULT_REASON_INVALID_MESSAGE, &st);
    return true;
}

/* An optional field: absent leaves *out alone; present must be well
 * typed. */
static bool optional_ok(kmip_rc rc)
{
    return rc == KMIP_OK || rc == KMIP_E_NOT_FOUND;
}

static bool parse_header(const kmip_item *msg, request_header *hdr,
                         message_error *err)
{
    kmip_status st;
    const kmip_item *header;
    if (kmip_get_structure(msg, KMIP_TAG_REQUEST_HEADER, &header, &st) !=
        KMIP_OK)
        return header_fail(err, KMIP_RESULT_REASON_INVALID_MESSAGE, &st);
    if (!parse_version(header, &hdr->version, err))
        return false;
    if (kmip_get_integer(header, KMIP_TAG_BATCH_COUNT, &hdr->batch_count,
                         &st) != KMIP_OK)
        return header_fail(err, KMIP_RESULT_REASON_INVALID_MESSAGE, &st);
    hdr->max_response_size = 0;
    hdr->error_continuation = KMIP_BATCH_ERROR_CONTINUATION_OPTION_STOP;
    bool order = true;
    int64_t stamp;
    if (!optional_ok(kmip_get_integer(header, KMIP_TAG_MAXIMUM_RESPONSE_SIZE,
                                      &hdr->max_response_size, &st)) ||
        !optional_ok(kmip_get_enum(header,
                                   KMIP_TAG_BATCH_ERROR_CONTINUATION_OPTION,
                                   &hdr->error_continuation, &st)) ||
        !optional_ok(
            kmip_get_bool(header, KMIP_TAG_BATCH_ORDER_OPTION, &order, &st)) ||
        !optional_ok(
            kmip_get_datetime(header, KMIP_TAG_TIME_STAMP, &stamp, &st)))
        return header_fail(err, KMIP_RESULT_REASON_INVALID_MESSAGE, &st);
    if (hdr->error_continuation <
            KMIP_BATCH_ERROR_CONTINUATION_OPTION_CONTINUE ||
        hdr->error_continuation > KMIP_BATCH_ERROR_CONTINUATION_OPTION_UNDO) {
        err->reason = KMIP_RESULT_REASON_INVALID_MESSAGE;
        snprintf(err->message, sizeof(err->message),
                 "request header: Batch Error Continuation Option %u is not "
                 "defined",
                 hdr->error_continuation);
        return false;
    }
    return true;
}

static kmip_item *response_new(kmip_version version, kmip_item **header)
{
    kmip_item *msg = kmip_item_new_structure(KMIP_TAG_RESPONSE_MESSAGE);
    kmip_item *hdr = kmip_add_structure(msg, KMIP_TAG_RESPONSE_HEADER);
    kmip_item *pv = kmip_add_structure(hdr, KMIP_TAG_PROTOCOL_VERSION);
    if (kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR, version.major) ==
            NULL ||
        kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR, version.minor) ==
            NULL ||
        kmip_add_datetime(hdr, KMIP_TAG_TIME_STAMP, time(NULL)) == NULL) {
        kmip_item_free(msg);
        return NULL;
    }
    *header = hdr;
    return msg;
}

/* Appends a failed batch item; operation 0 and batch_id NULL are left
 * out. */
static bool response_add_failure(kmip_item *msg, uint32_t operation,
                                 const kmip_item *batch_id, uint32_t reason,
                                 const char *message)
{
    kmip_item *item = kmip_add_structure(msg, KMIP_TAG_BATCH_ITEM);
    if (item == NULL)
        return false;
    if (operation != 0 &&
        kmip_add_enum(item, KMIP_TAG_OPERATION, operation) == NULL)
        return false;
    if (batch_id != NULL &&
        kmip_item_add(item, kmip_item_dup(batch_id)) == NULL)
        return false;
    return kmip_add_enum(item, KMIP_TAG_RESULT_STATUS,
                         KMIP_STATUS_OPERATION_FAILED) != NULL &&
           kmip_add_enum(item, KMIP_TAG_RESULT_REASON, reason) != NULL &&
           (message[0] == '\0' ||
            kmip_add_text(item, KMIP_TAG_RESULT_MESSAGE, message) != NULL);
}

static bool response_add_success(kmip_item *msg, uint32_t operation,
                                 const kmip_item *batch_id, kmip_item *payload)
{
    kmip_item *item = kmip_add_structure(msg, KMIP_TAG_BATCH_ITEM);
    if (item == NULL) {
        kmip_item_free(payload);
        return false;
    }
    if (kmip_add_enum(item, KMIP_TAG_OPERATION, operation) == NULL ||
        (batch_id != NULL &&
         kmip_item_add(item, kmip_item_dup(batch_id)) == NULL) ||
        kmip_add_enum(item, KMIP_TAG_RESULT_STATUS, KMIP_STATUS_SUCCESS) ==
            NULL) {
        kmip_item_free(payload);
        return false;
    }
    return kmip_item_add(item, payload) != NULL;
}

/* The Unique Identifier the next batch item inherits from a successful
 * response payload, or NULL. */
static const char *placeholder_from(const kmip_item *payload)
{
    static const uint32_t tags[] = {KMIP_TAG_PRIVATE_KEY_UNIQUE_IDENTIFIER,
                                    KMIP_TAG_UNIQUE_IDENTIFIER};
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        const char *uid;
        size_t len;
        if (kmip_get_text(payload, tags[i], &uid, &len, NULL) == KMIP_OK &&
            len < KMIPD_UID_MAX)
            return uid;
    }
    return NULL;
}

/* The state one request carries from batch item to batch item. */
typedef struct batch {
    kmipd_server *server;
    kmipd_session *session;
    kmip_version version;
    int32_t count; /* Batch Count */
    char id_placeholder[KMIPD_UID_MAX];
    kmipd_undo *undo; /* with Batch Error Continuation Option Undo */
} batch;

/* Serves one batch item into a new call; false when it failed (reason and
 * message in call). On success call->response holds the payload. */
static bool serve_item(batch *b, const kmip_item *item, kmipd_call *call)
{
    kmip_status st;
    memset(call, 0, sizeof(*call));
    call->server = b->server;
    call->config = b->server->config;
    call->store = b->server->store;
    call->owner = b->session->owner;
    call->version = b->version;
    call->id_placeholder = b->id_placeholder;
    call->undo = b->undo;
    kmip_rc rc = kmip_get_enum(item, KMIP_TAG_OPERATION, &call->operation, &st);
    if (rc != KMIP_OK)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_MESSAGE,
                          "batch item: %s", st.message);
    const uint8_t *batch_id;
    size_t batch_id_len;
    rc = kmip_get_bytes(item, KMIP_TAG_UNIQUE_BATCH_ITEM_ID, &batch_id,
                        &batch_id_len, &st);
    if (rc == KMIP_E_DECODE || (rc == KMIP_E_NOT_FOUND && b->count > 1))
        return kmipd_fail(
            call, KMIP_RESULT_REASON_INVALID_MESSAGE, "batch item: %s",
            rc == KMIP_E_DECODE ? st.message
                                : "a batch of several items needs a Unique "
                                  "Batch Item ID in each");
    if (kmip_get_structure(item, KMIP_TAG_REQUEST_PAYLOAD, &call->request,
                           &st) != KMIP_OK)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_MESSAGE,
                          "batch item: %s", st.message);
    const kmipd_operation *op = kmipd_operation_find(call->operation);
    if (op == NULL || kmip_version_cmp(b->version, op->min_version) < 0) {
        const char *name = kmip_enum_name(KMIP_TAG_OPERATION, call->operation);
        return kmipd_fail(call, KMIP_RESULT_REASON_OPERATION_NOT_SUPPORTED,
                          "%s is not supported in KMIP %d.%d",
                          name != NULL ? name : "this operation",
                          b->version.major, b->version.minor);
    }
    const kmip_item *extension =
        kmip_item_find(item, KMIP_TAG_MESSAGE_EXTENSION);
    bool critical = false;
    if (extension != NULL &&
        kmip_get_bool(extension, KMIP_TAG_CRITICALITY_INDICATOR, &critical,
                      NULL) == KMIP_OK &&
        critical)
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "critical Message Extension not understood");
    if (kmipd_fault_fails(&b->server->config->faults, call))
        return false;
    call->response = kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD);
    if (call->response == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                          "out of memory");
    bool ok = op->handler(call);
    kmipd_call_unlock(call);
    return ok;
}

/* Adds the response to one batch item; false when out of memory.
 * *failed says whether the item failed. */
static bool dispatch_item(batch *b, const kmip_item *item, kmip_item *response,
                          bool *failed)
{
    kmipd_call call;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool ok = serve_item(b, item, &call);
    clock_gettime(CLOCK_MONOTONIC, &end);
    long micros = (long)(end.tv_sec - start.tv_sec) * 1000000L +
                  (end.tv_nsec - start.tv_nsec) / 1000;
    const kmip_item *batch_id =
        kmip_item_find(item, KMIP_TAG_UNIQUE_BATCH_ITEM_ID);
    const char *op = kmip_enum_name(KMIP_TAG_OPERATION, call.operation);
    *failed = !ok;
    if (!ok) {
        kmip_item_free(call.response);
        kmipd_log(KMIPD_LOG_INFO, "%s: %s failed: reason %u: %s",
                  b->session->owner, op != NULL ? op : "request", call.reason,
                  call.message);
        return response_add_failure(response, call.operation, batch_id,
                                    call.reason, call.message);
    }
    const char *uid = placeholder_from(call.response);
    if (uid != NULL) /* placeholder_from checked that it fits */
        memcpy(b->id_placeholder, uid, strlen(uid) + 1);
    kmipd_log(KMIPD_LOG_DEBUG, "%s: %s done in %ld us", b->session->owner,
              op != NULL ? op : "operation", micros);
    return response_add_success(response, call.operation, batch_id,
                                call.response);
}

/* Serves the batch items of a well-formed request. With Undo, the first
 * failure stops the batch and undoes the items before it (undo.h). */
static bool dispatch_batch(batch *b, const kmip_item *msg,
                           const request_header *hdr, kmip_item *response)
{
    bool undo =
        hdr->error_continuation == KMIP_BATCH_ERROR_CONTINUATION_OPTION_UNDO;
    size_t done = 0;
    bool ok = true;
    if (undo && (b->undo = kmipd_undo_new()) == NULL)
        return false;
    for (const kmip_item *item = kmip_item_find(msg, KMIP_TAG_BATCH_ITEM);
         item != NULL && ok;
         item = kmip_item_next_with_tag(item, KMIP_TAG_BATCH_ITEM), done++) {
        bool failed;
        ok = dispatch_item(b, item, response, &failed);
        if (ok && failed && undo) {
            kmipd_undo_run(b->undo, b->server->store, b->session->owner);
            kmipd_undo_mark(response, done);
        }
        if (ok && failed &&
            hdr->error_continuation !=
                KMIP_BATCH_ERROR_CONTINUATION_OPTION_CONTINUE)
            break;
    }
    kmipd_undo_free(b->undo);
    b->undo = NULL;
    return ok;
}

/* Replaces every batch item's outcome with Response Too Large. */
static void response_too_large(kmip_item *response)
{
    for (kmip_item *item = response->v.children.first; item != NULL;
         item = item->next) {
        if (item->tag != KMIP_TAG_BATCH_ITEM)
            continue;
        kmip_item *child = item->v.children.first;
        while (child != NULL) {
            kmip_item *next = child->next;
            if (child->tag == KMIP_TAG_RESPONSE_PAYLOAD ||
                child->tag == KMIP_TAG_RESULT_STATUS ||
                child->tag == KMIP_TAG_RESULT_REASON ||
                child->tag == KMIP_TAG_RESULT_MESSAGE) {
                kmip_item_remove(item, child);
                kmip_item_free(child);
            }
            child = next;
        }
        kmip_add_enum(item, KMIP_TAG_RESULT_STATUS,
                      KMIP_STATUS_OPERATION_FAILED);
        kmip_add_enum(item, KMIP_TAG_RESULT_REASON,
                      KMIP_RESULT_REASON_RESPONSE_TOO_LARGE);
    }
}

/* Finishes the header with the Batch Count and encodes the response. */
static bool response_encode(kmip_item *response, kmip_item *header,
                            int32_t max_size, uint8_t **out, size_t *out_len)
{
    int32_t count = (int32_t)kmip_item_count(response, KMIP_TAG_BATCH_ITEM);
    if (kmip_add_integer(header, KMIP_TAG_BATCH_COUNT, count) == NULL)
        return false;
    kmip_status st;
    if (kmip_ttlv_encode_alloc(response, out, out_len, &st) != KMIP_OK)
        return false;
    if (max_size > 0 && *out_len > (size_t)max_size) {
        OPENSSL_cleanse(*out, *out_len);
        free(*out);
        response_too_large(response);
        return kmip_ttlv_encode_alloc(response, out, out_len, &st) == KMIP_OK;
    }
    return true;
}

/* Parses the message; on a message-level problem fills err. */
static bool parse_message(const uint8_t *msg, size_t len, kmip_item **tree,
                          request_header *hdr, message_error *err)
{
    kmip_status st;
    if (kmip_ttlv_decode(msg, len, NULL, tree, &st) != KMIP_OK) {
        err->reason = KMIP_RESULT_REASON_INVALID_MESSAGE;
        snprintf(err->message, sizeof(err->message), "%s", st.message);
        return false;
    }
    if ((*tree)->tag != KMIP_TAG_REQUEST_MESSAGE ||
        (*tree)->type != KMIP_TYPE_STRUCTURE) {
        err->reason = KMIP_RESULT_REASON_INVALID_MESSAGE;
        snprintf(err->message, sizeof(err->message),
                 "not a Request Message (tag 0x%06X)", (*tree)->tag);
        return false;
    }
    if (!parse_header(*tree, hdr, err))
        return false;
    size_t items = kmip_item_count(*tree, KMIP_TAG_BATCH_ITEM);
    if (hdr->batch_count < 1 || items != (size_t)hdr->batch_count) {
        err->reason = KMIP_RESULT_REASON_INVALID_MESSAGE;
        snprintf(err->message, sizeof(err->message),
                 "Batch Count %d but %zu batch items", hdr->batch_count, items);
        return false;
    }
    return true;
}

bool kmipd_serve_message(kmipd_server *server, kmipd_session *session,
                         const uint8_t *msg, size_t len, uint8_t **out,
                         size_t *out_len, bool *keep_open)
{
    kmip_item *tree = NULL;
    request_header hdr = {.version = session->version};
    message_error err = {0};
    bool parsed = parse_message(msg, len, &tree, &hdr, &err);
    kmip_version version = hdr.version;
    if (parsed && !version_supported(version)) {
        version = version_fallback(version);
        err.reason = kmip_version_is_v2(version)
                         ? KMIP_RESULT_REASON_UNSUPPORTED_PROTOCOL_VERSION
                         : KMIP_RESULT_REASON_INVALID_MESSAGE;
        snprintf(err.message, sizeof(err.message),
                 "protocol version %d.%d is not supported", hdr.version.major,
                 hdr.version.minor);
        parsed = false;
    }
    if (!version_supported(version))
        version = session->version;
    kmip_item *header = NULL;
    kmip_item *response = response_new(version, &header);
    bool ok = response != NULL;
    if (ok && parsed) {
        session->version = version;
        batch b = {.server = server,
                   .session = session,
                   .version = version,
                   .count = hdr.batch_count};
        ok = dispatch_batch(&b, tree, &hdr, response);
    } else if (ok) {
        kmipd_log(KMIPD_LOG_INFO, "%s: malformed request: %s", session->owner,
                  err.message);
        ok = response_add_failure(response, 0, NULL, err.reason, err.message);
    }
    ok = ok &&
         response_encode(response, header, hdr.max_response_size, out, out_len);
    kmip_item_free(response);
    kmip_item_free(tree);
    session->requests++;
    kmipd_log(KMIPD_LOG_DEBUG, "%s: request %u answered", session->owner,
              session->requests);
    *keep_open =
        !kmipd_fault_closes(&server->config->faults, session->requests);
    return ok;
}
