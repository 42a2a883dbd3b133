/* SPDX-License-Identifier: Apache-2.0 */
/* KMIP request and response messages: headers, batch items, results. */
#ifndef KMIP_MESSAGE_H
#define KMIP_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/status.h"
#include "kmip/ttlv.h"

typedef struct kmip_version {
    int32_t major;
    int32_t minor;
} kmip_version;

#define KMIP_VERSION(maj, min) ((kmip_version){(maj), (min)})

/* <0, 0, >0 as a is older than, equal to or newer than b. */
int kmip_version_cmp(kmip_version a, kmip_version b);
/* True for the 2.x attribute and payload forms. */
bool kmip_version_is_v2(kmip_version v);

/* Username/Password credential of the request header (may be NULL). */
typedef struct kmip_credential {
    const char *username;
    const char *password; /* never logged; wiped by whoever owns it */
} kmip_credential;

/* One operation of a request. The payload is owned by the request item
 * (freed by kmip_request_item_clear); NULL sends an empty payload. */
typedef struct kmip_request_item {
    uint32_t operation; /* KMIP_OPERATION_* */
    kmip_item *payload; /* Request Payload structure (tag REQUEST_PAYLOAD) */
} kmip_request_item;

void kmip_request_item_clear(kmip_request_item *item);

/* Header options beyond the version and credential. */
typedef struct kmip_request_options {
    int64_t time_stamp;                /* 0: none sent */
    uint32_t max_response;             /* Maximum Response Size, 0: none sent */
    bool batch_order;                  /* Batch Order Option: sent when true */
    uint32_t batch_error_continuation; /* 0: none sent */
} kmip_request_options;

/* Builds a Request Message tree. Each batch item gets a Unique Batch Item
 * ID (its index as 4 big-endian bytes) when n > 1 or always_ids is set.
 * Payloads are moved into the tree (items[i].payload is set to NULL). The
 * caller frees the result with kmip_item_free. cred and opts may be NULL. */
kmip_rc kmip_request_build(kmip_version version, const kmip_credential *cred,
                           const kmip_request_options *opts,
                           kmip_request_item *items, size_t n, bool always_ids,
                           kmip_item **out, kmip_status *status);

/* One batch item of a response. Strings and payload point into the
 * response tree. */
typedef struct kmip_response_item {
    uint32_t operation;         /* 0 when the server sent none */
    uint32_t result_status;     /* KMIP_STATUS_* */
    uint32_t result_reason;     /* 0 when the server sent none */
    const char *result_message; /* NULL when none */
    const uint8_t *batch_id;
    size_t batch_id_len;
    const kmip_item *payload; /* NULL when none */
} kmip_response_item;

typedef struct kmip_response {
    kmip_version version;
    int64_t time_stamp;
    size_t count;
    kmip_response_item *items; /* count entries */
    kmip_item *tree;           /* owned: the decoded Response Message */
} kmip_response;

/* Parses a Response Message tree, taking ownership of tree (freed with
 * the response, also on failure). Checks the Batch Count against the
 * items present. *out is freed with kmip_response_free. */
kmip_rc kmip_response_parse(kmip_item *tree, kmip_response **out,
                            kmip_status *status);
void kmip_response_free(kmip_response *resp);

/* The response item answering request item index (by Unique Batch Item ID
 * when present, else by position); NULL when missing. */
const kmip_response_item *kmip_response_item_for(const kmip_response *resp,
                                                 size_t index);

/* KMIP_OK when item succeeded; otherwise KMIP_E_RESULT with the reason and
 * message copied into status. */
kmip_rc kmip_response_item_check(const kmip_response_item *item,
                                 kmip_status *status);

#endif
