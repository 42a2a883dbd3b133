/* SPDX-License-Identifier: Apache-2.0 */
/* The request dispatcher's contract with operation handlers: one
 * kmipd_call per batch item, one handler per KMIP operation. */
#ifndef KMIPD_DISPATCH_H
#define KMIPD_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/message.h"
#include "kmip/ttlv.h"

#include "kmipd/store.h"

struct kmipd_server;
struct kmipd_config;

#define KMIPD_CALL_MESSAGE_MAX 256

/* One batch item being served. The dispatcher fills every field before
 * the handler runs; the handler adds children to response and, on
 * failure, sets reason and message (use kmipd_fail). */
typedef struct kmipd_call {
    struct kmipd_server *server;
    const struct kmipd_config *config; /* the server's configuration */
    kmipd_store *store;
    const char *owner;        /* CN of the client certificate */
    kmip_version version;     /* protocol version of the request */
    uint32_t operation;       /* KMIP_OPERATION_* being served */
    const kmip_item *request; /* Request Payload (never NULL: a batch item
                               * without one fails before any handler) */
    kmip_item *response;      /* Response Payload structure to fill */
    /* ID Placeholder: the Unique Identifier the previous batch item
     * produced or used, "" when none. kmipd_call_uid falls back to it. */
    const char *id_placeholder;
    /* Whether the call holds the lock of the object locked_uid
     * (kmipd_call_load_for_update); the dispatcher releases it after the
     * handler. */
    bool locked;
    char locked_uid[KMIPD_UID_MAX];
    /* The journal of a batch sent with Undo (undo.h), NULL otherwise:
     * kmipd_call_save and kmipd_call_insert write into it. */
    struct kmipd_undo *undo;
    uint32_t reason; /* KMIP_RESULT_REASON_* when the handler failed */
    char message[KMIPD_CALL_MESSAGE_MAX]; /* Result Message, no secrets */
} kmipd_call;

/* Serves call. Returns false when the operation failed, with
 * call->reason and call->message set; anything added to call->response
 * is then discarded. A handler that succeeds and answers with a Unique
 * Identifier (Private Key Unique Identifier for Create Key Pair) sets the
 * ID Placeholder of the next batch item; the dispatcher reads it from
 * call->response. */
typedef bool (*kmipd_op_fn)(kmipd_call *call);

/* Sets call->reason and a printf-style call->message; returns false so
 * that handlers read `return kmipd_fail(call, REASON, "...")`. */
bool kmipd_fail(kmipd_call *call, uint32_t reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fails call with General Failure, "out of memory". */
bool kmipd_fail_nomem(kmipd_call *call);

/* Fails call with a reason derived from st (a kmip/ status): decode errors
 * become Invalid Field, allocation failures General Failure. */
bool kmipd_fail_status(kmipd_call *call, const kmip_status *st);

/* The Unique Identifier the request names: the request payload's Unique
 * Identifier, else the ID Placeholder. Fails with Missing Data (NULL)
 * when neither exists, with Invalid Field when it is empty or holds a NUL
 * byte. The string lives as long as the call. */
const char *kmipd_call_uid(kmipd_call *call);

/* Loads the object kmipd_call_uid names, owned by call->owner. Another
 * owner's object, or none, fails with Item Not Found; a destroyed one
 * (whose attributes remain) with Object Destroyed (2.x) or Item Not Found
 * (1.x). The caller frees *out with kmipd_object_free. */
bool kmipd_call_load(kmipd_call *call, kmipd_object **out);

/* kmipd_call_load for reading only (Sign, Encrypt...): the object is
 * shared with the store's cache; end *out with kmipd_object_use_end. */
bool kmipd_call_use(kmipd_call *call, kmipd_object_use **out);

/* kmipd_call_load for a handler that will change the object and save
 * it: no other call changes the object until this call ends. */
bool kmipd_call_load_for_update(kmipd_call *call, kmipd_object **out);

/* Releases the lock kmipd_call_load_for_update took (the dispatcher calls
 * it after every handler). */
void kmipd_call_unlock(kmipd_call *call);

/* kmipd_call_load that also returns destroyed objects (Get Attributes). */
bool kmipd_call_load_any(kmipd_call *call, kmipd_object **out);

/* Writes obj back to the store (kmipd_store_update); a store failure
 * fails call with General Failure (details logged). */
bool kmipd_call_save(kmipd_call *call, kmipd_object *obj);

/* Adds the Unique Identifier uid to call->response. */
bool kmipd_call_answer_uid(kmipd_call *call, const char *uid);

/* Checks that obj may be used for a cryptographic operation now: state
 * Active (else Wrong Key Lifecycle State). */
bool kmipd_call_require_active(kmipd_call *call, const kmipd_object *obj);

/* Checks that obj's Cryptographic Usage Mask has every bit of usage
 * (KMIP_CRYPTOGRAPHIC_USAGE_MASK_*); else Incompatible Cryptographic Usage
 * Mask (2.x) or Permission Denied (1.x). An object without the attribute
 * passes. */
bool kmipd_call_require_usage(kmipd_call *call, const kmipd_object *obj,
                              uint32_t usage);

/* The protocol versions kmipd speaks, newest first. */
extern const kmip_version kmipd_versions[];
extern const size_t kmipd_versions_count;

/* ---- The operation table. ---- */

typedef struct kmipd_operation {
    uint32_t operation;       /* KMIP_OPERATION_* */
    kmip_version min_version; /* oldest protocol version that has it */
    kmipd_op_fn handler;
} kmipd_operation;

/* Every operation kmipd serves, in one table (kmipd/ops_table.c: object
 * operations from kmipd/ops_objects.h, cryptographic operations from
 * kmipd/ops_crypto.h). Query reports this table. */
extern const kmipd_operation kmipd_operations[];
extern const size_t kmipd_operations_count;

/* The object types kmipd stores (KMIP_OBJECT_TYPE_*), for Query. */
extern const uint32_t kmipd_object_types[];
extern const size_t kmipd_object_types_count;

/* The table row for operation, or NULL when kmipd does not serve it. */
const kmipd_operation *kmipd_operation_find(uint32_t operation);

#endif
