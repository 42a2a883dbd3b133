/* SPDX-License-Identifier: Apache-2.0 */
/* The kmip/ layer's error convention: every fallible function returns a
 * kmip_rc and, when given a kmip_status, fills it with the details. */
#ifndef KMIP_STATUS_H
#define KMIP_STATUS_H

#include <stdint.h>

typedef enum kmip_rc {
    KMIP_OK = 0,
    KMIP_E_INVALID_ARG, /* the caller passed something unusable */
    KMIP_E_NOMEM,
    KMIP_E_DECODE,    /* malformed TTLV or a message of the wrong shape */
    KMIP_E_ENCODE,    /* an item that cannot be encoded (bad type, too big) */
    KMIP_E_TOO_BIG,   /* a message past the configured size limit */
    KMIP_E_NOT_FOUND, /* a required child item is missing */
    KMIP_E_TLS,       /* TLS setup or handshake failed */
    KMIP_E_TRANSPORT, /* connect, read or write failed, or the peer closed */
    KMIP_E_TIMEOUT,   /* connect, handshake, read or write timed out */
    KMIP_E_RESULT,    /* the server answered an operation with a failure */
    KMIP_E_CONFIG,    /* a client configuration that cannot work */
} kmip_rc;

/* KMIP Result Status values (spec 9.1.3.2.26). */
enum {
    KMIP_STATUS_SUCCESS = 0,
    KMIP_STATUS_OPERATION_FAILED = 1,
    KMIP_STATUS_OPERATION_PENDING = 2,
    KMIP_STATUS_OPERATION_UNDONE = 3,
};

#define KMIP_STATUS_MESSAGE_MAX 256

typedef struct kmip_status {
    kmip_rc rc;
    uint32_t result_status; /* KMIP Result Status, set with KMIP_E_RESULT */
    uint32_t result_reason; /* KMIP Result Reason, set with KMIP_E_RESULT */
    /* Human-readable detail: the decode error and its offset, the server
     * and the system error, or the server's Result Message. Never holds a
     * secret. */
    char message[KMIP_STATUS_MESSAGE_MAX];
} kmip_status;

/* Sets status (when not NULL) to rc with a printf-style message and
 * returns rc, so that error paths read `return kmip_fail(st, rc, ...)`. */
kmip_rc kmip_fail(kmip_status *status, kmip_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears status to KMIP_OK with an empty message. NULL is a no-op. */
void kmip_status_clear(kmip_status *status);

/* A short constant name for rc, for logs ("decode error", ...). */
const char *kmip_rc_name(kmip_rc rc);

#endif
