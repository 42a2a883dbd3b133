/* SPDX-License-Identifier: Apache-2.0 */
/* The running server: configuration, store, TLS context and the entry
 * point that turns one request message into one response message. */
#ifndef KMIPD_SERVER_H
#define KMIPD_SERVER_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "kmip/message.h"

#include "kmipd/budget.h"
#include "kmipd/config.h"
#include "kmipd/store.h"

typedef struct kmipd_server {
    kmipd_config *config;    /* owned */
    kmipd_store *store;      /* owned */
    SSL_CTX *tls;            /* owned */
    int listen_fd;           /* -1 when closed */
    atomic_bool stopping;    /* set by a signal; every loop checks it */
    atomic_uint threads;     /* connection threads running */
    atomic_uint connections; /* authenticated connections */
    /* Connections in their TLS handshake, and the bytes of requests held
     * (both set up by kmipd_listen). */
    struct kmipd_handshakes *handshakes;
    kmipd_budget buffered;
    /* The open KMIP streams (set up by kmipd_listen; NULL: none served). */
    struct kmipd_streams *streams;
    /* Bounds the requests served at once to config->workers. */
    pthread_mutex_t work_lock;
    pthread_cond_t work_done;
    unsigned working;
} kmipd_server;

/* What a connection remembers between its requests. */
typedef struct kmipd_session {
    const char *owner;    /* client certificate CN */
    kmip_version version; /* of the last request understood */
    unsigned requests;    /* answered so far */
} kmipd_session;

/* Serves the request message msg (len bytes, one whole TTLV item) and
 * returns the encoded response in *out (free with free()). Every request,
 * malformed ones included, gets a response. *keep_open is false when the
 * connection must close after the response (the stream cannot be trusted,
 * or a fault says so). Returns false only when out of memory. */
bool kmipd_serve_message(kmipd_server *server, kmipd_session *session,
                         const uint8_t *msg, size_t len, uint8_t **out,
                         size_t *out_len, bool *keep_open);

/* The server's TLS context: TLS 1.2 and 1.3, the configured certificate
 * and key, client certificates required and verified against the
 * configured CA. NULL on failure (logged). */
SSL_CTX *kmipd_tls_context(const kmipd_config *config);

/* Accepts and serves connections until server->stopping is set, then
 * waits a few seconds for the connections to end; server->threads is not
 * 0 afterwards when some had to be abandoned. Returns false when the
 * listener could not be set up (logged). */
bool kmipd_listen(kmipd_server *server);

/* Serves one accepted TCP connection: the TLS handshake (registered in
 * server->handshakes under handshake), then requests until the peer
 * closes, idles out or the server stops. Takes fd. */
void kmipd_connection_serve(kmipd_server *server, int fd, uint64_t handshake);

#endif
