/* SPDX-License-Identifier: Apache-2.0 */
/* One KMIP server group as the module knows it (p11_server, one per slot,
 * server.c): its client, the protocol version it speaks, whether the
 * user's credential is in the client, and what the module learned about
 * the server's quirks. And what an answer of the server means (p11_answer,
 * classified by the table of errors.c). Adapting to a new server quirk is
 * a row of the fact table in server.c and its use.
 *
 * Lock order: a server's client_lock comes after session->lock and before
 * object->lock (p11core_internal.h). Facts take no lock. */
#ifndef P11CORE_SERVER_H
#define P11CORE_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "kmip/client.h"
#include "kmip/message.h"
#include "kmip/status.h"
#include "p11kmip/conf.h"

/* What an answer of the server (or its absence) means. */
typedef enum p11_answer {
    P11_ANSWER_DONE,
    /* No request was answered: refused or failed before it was sent. */
    P11_ANSWER_NONE,
    /* The server does not do what was asked: the operation, a feature, a
     * parameter, an attribute or the form of the message (servers say it
     * as Invalid Field or Invalid Message too). */
    P11_ANSWER_UNSUPPORTED,
    P11_ANSWER_NOT_FOUND,      /* no such object (any more) */
    P11_ANSWER_PERMISSION,     /* not for this client, or not in this state */
    P11_ANSWER_AUTHENTICATION, /* the credential was refused */
    P11_ANSWER_REFUSED,        /* the request's values are wrong for it */
    P11_ANSWER_CRYPTO_FAILED,  /* the data does not decrypt or verify */
    P11_ANSWER_TRANSPORT,      /* no answer: connection, TLS or timeout */
    P11_ANSWER_SERVER_FAILURE, /* the server failed, or answered nonsense */
} p11_answer;

/* The outcome of a KMIP request or of one item of a batch, returned by
 * value: what PKCS#11 says of it, what it means, and the KMIP Result
 * Reason (0 when none) for ulDeviceError. */
typedef struct p11_reply {
    CK_RV rv;
    p11_answer answer;
    uint32_t reason;
} p11_reply;

/* What a failed kmip/ call (rc with status) or a success (KMIP_OK) means:
 * the one table of errors.c. */
p11_answer p11_classify(kmip_rc rc, const kmip_status *status);

/* The reply for rc and status: p11_classify, the CK_RV of the table and
 * the Result Reason. */
p11_reply p11_reply_of(kmip_rc rc, const kmip_status *status);

/* The reply of a step that sent nothing: rv, DONE or NONE. */
p11_reply p11_reply_local(CK_RV rv);

/* What the module learns about a server, one fact each, from answers. */
typedef enum p11_fact {
    /* Sign takes Digested Data (PyKMIP: no, it hashes Data itself). */
    P11_FACT_DIGESTED_SIGN,
    /* Activate takes the ID Placeholder of the batch (PyKMIP: no). */
    P11_FACT_ID_PLACEHOLDER,
    /* New objects keep custom attributes: x-pkcs11-id, a private key's
     * public half, x-pkcs11-attrs (PyKMIP: no). */
    P11_FACT_CUSTOM_ID,
    /* New keys take Sensitive and Extractable (KMIP 1.4; PyKMIP: no). */
    P11_FACT_EXPORT_ATTRS,
    /* Locate takes a Get Attributes of its result in the same batch. */
    P11_FACT_LOCATE_BATCH,
    /* Encrypt and Decrypt stream (Init Indicator, Correlation Value, Final
     * Indicator; KMIP 1.3): multi-part AES-GCM goes over it. */
    P11_FACT_STREAMING,
    P11_FACTS
} p11_fact;

/* Room for the module's mechanisms (mechanisms.c). */
#define P11_MECHANISMS_MAX 128

typedef enum p11_support {
    P11_SUPPORT_UNKNOWN = 0,
    P11_SUPPORT_SERVED,
    P11_SUPPORT_REFUSED,
} p11_support;

typedef struct p11_server {
    CK_SLOT_ID slot_id;            /* for the log */
    const p11kmip_slot_conf *conf; /* owned by the module's configuration */
    /* Read: a KMIP call in progress. Write: creating or replacing client,
     * login, logout. */
    pthread_rwlock_t client_lock;
    /* NULL until first use; rebuilt at login (with the key passphrase or
     * the credential) and at logout. In key-passphrase mode there is no
     * client before login. */
    kmip_client *client;
    /* In a forked child, the parent's client (owned by the abandoned
     * module state): the server's clients derive from it (its TLS
     * context, server health and version) and read no file. */
    kmip_client *inherited;
    bool logged_in;               /* under client_lock */
    _Atomic int facts[P11_FACTS]; /* p11_support values */
    /* The CKF_SIGN, CKF_DECRYPT ... the server refused, by index in
     * p11_mechanisms (mech_support.c). */
    _Atomic unsigned long refused_flags[P11_MECHANISMS_MAX];
} p11_server;

/* Prepares server for conf (no connection yet) / frees its client. */
CK_RV p11_server_init(p11_server *server, CK_SLOT_ID slot_id,
                      const p11kmip_slot_conf *conf);
void p11_server_clear(p11_server *server);

/* Sends items as one batch (the payloads consumed, also on failure) with
 * the server's client, built on first use. On DONE *resp (free with
 * kmip_response_free) holds every item's result. The client is missing
 * (CKR_USER_NOT_LOGGED_IN, NONE) in key-passphrase mode before login.
 * idempotent: the request may be sent again after a dropped connection.
 * Failures are logged. */
p11_reply p11_server_call(p11_server *server, kmip_request_item *items,
                          size_t n, bool idempotent, kmip_response **resp);

/* The protocol version the server speaks (Discover Versions on first use,
 * then cached by the client). */
p11_reply p11_server_version(p11_server *server, kmip_version *out);

/* A forked child's server takes what the parent's knew: its client to
 * derive from, and the facts it learned. */
void p11_server_inherit(p11_server *server, const p11_server *parent);

/* What is known of fact; learning logs a change once. */
p11_support p11_server_knows(p11_server *server, p11_fact fact);
void p11_server_learn(p11_server *server, p11_fact fact, bool served);

/* A new client for the server's configuration with the key passphrase
 * and the credential password given (each may be NULL), not installed.
 * On failure logs why. */
CK_RV p11_server_client_new(const p11_server *server,
                            const char *key_passphrase, const char *password,
                            kmip_client **out);

/* Installs client (NULL: keep the one there) as the logged-in user's;
 * CKR_USER_ALREADY_LOGGED_IN (client freed) when another thread won. */
CK_RV p11_server_login(p11_server *server, kmip_client *client);

/* Drops the user's credential: the client built with it goes (the next
 * call builds one without, where the login mode allows). No-op when not
 * logged in. */
void p11_server_logout(p11_server *server);

bool p11_server_logged_in(p11_server *server);

#endif
