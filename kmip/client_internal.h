/* SPDX-License-Identifier: Apache-2.0 */
/* The client's parts, each in its own file: server endpoints
 * (endpoint.c), the TLS context (tls.c), the socket BIO (socket_bio.c),
 * one framed TLS connection (transport.c), the idle-connection pool
 * (pool.c) and version negotiation (negotiate.c). */
#ifndef KMIP_CLIENT_INTERNAL_H
#define KMIP_CLIENT_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#include "kmip/client.h"

#define KMIP_DEFAULT_PORT "5696"
#define KMIP_DEFAULT_TIMEOUT_MS 10000u
#define KMIP_DEFAULT_POOL_SIZE 4u

/* ---- endpoint.c ---- */

/* One server of the group: "host:port", "[v6]:port", "host" or "[v6]". */
typedef struct kmip_endpoint {
    char *host;  /* without brackets */
    char *port;  /* KMIP_DEFAULT_PORT when the entry has none */
    char *label; /* "host:port" as errors name the server */
    /* The last TLS session the server gave, for resumption; NULL: none. */
    _Atomic(SSL_SESSION *) session;
} kmip_endpoint;

kmip_rc kmip_endpoint_parse(const char *entry, kmip_endpoint *out,
                            kmip_status *status);
/* Frees the strings and session of endpoint (not endpoint itself). */
void kmip_endpoint_clear(kmip_endpoint *endpoint);

/* ---- tls.c ---- */

/* A client SSL_CTX from cfg: CA, certificate chain, key (decrypted with
 * cfg->key_passphrase when encrypted), minimum version, cipher list. The
 * caller frees *out with SSL_CTX_free. */
kmip_rc kmip_tls_ctx_new(const kmip_client_config *cfg, SSL_CTX **out,
                         kmip_status *status);

/* Offers endpoint's last session on ssl (a new connection to endpoint)
 * and records the sessions the server gives on it. */
void kmip_tls_resume_with(SSL *ssl, kmip_endpoint *endpoint);

/* Makes ssl verify that the server certificate is for name: an IP SAN
 * when name is an IP address, a DNS name (also sent as SNI) otherwise. */
kmip_rc kmip_tls_expect_peer(SSL *ssl, const char *name, kmip_status *status);

/* Appends OpenSSL's queued errors (and verify result) to a message. */
void kmip_tls_describe_error(SSL *ssl, char *buf, size_t len);

/* ---- socket_bio.c ---- */

/* A BIO over a connected non-blocking socket that never raises SIGPIPE
 * (send with MSG_NOSIGNAL). The fd stays owned by the caller. */
BIO *kmip_socket_bio_new(int fd);

/* ---- transport.c ---- */

/* One TLS connection to one server. */
typedef struct kmip_conn {
    int fd;
    SSL *ssl;
    pid_t pid;               /* process that connected */
    kmip_endpoint *endpoint; /* not owned */
    size_t server_index;     /* index of endpoint in the group */
} kmip_conn;

/* Connects (each address of the endpoint in turn), then completes the
 * TLS handshake verifying the server as verify_name (NULL: the host),
 * each within timeout_ms. Free *out with kmip_conn_close. */
kmip_rc kmip_conn_open(SSL_CTX *ctx, kmip_endpoint *endpoint,
                       size_t server_index, const char *verify_name,
                       uint32_t timeout_ms, kmip_conn **out,
                       kmip_status *status);

/* Writes all of msg within timeout_ms. */
kmip_rc kmip_conn_send(kmip_conn *conn, const uint8_t *msg, size_t len,
                       uint32_t timeout_ms, kmip_status *status);

/* Reads one TTLV message (8-byte header, then the length it announces,
 * refused above max_len before anything is allocated) within timeout_ms.
 * The caller frees *out with kmip_buffer_free. */
kmip_rc kmip_conn_recv(kmip_conn *conn, size_t max_len, uint32_t timeout_ms,
                       uint8_t **out, size_t *out_len, kmip_status *status);

/* True when an idle connection still looks usable: opened by this process
 * and nothing (data, EOF, error) is waiting on it. */
bool kmip_conn_idle_usable(const kmip_conn *conn);

/* How kmip_conn_close ends a connection. A connection inherited across
 * fork is always closed without a byte written, whatever the mode. */
typedef enum kmip_close_mode {
    KMIP_CLOSE_NOTIFY, /* sends a TLS close_notify (the reply is not awaited) */
    KMIP_CLOSE_SILENT, /* writes nothing; its session stays resumable */
    KMIP_CLOSE_FAILED, /* writes nothing; its session is not resumed */
} kmip_close_mode;

/* Closes conn and frees it. NULL is a no-op. */
void kmip_conn_close(kmip_conn *conn, kmip_close_mode mode);

/* ---- pool.c ---- */

/* Idle connections in lock-free slots (NULL: empty). */
typedef struct kmip_pool {
    _Atomic(kmip_conn *) *slots;
    size_t capacity;
} kmip_pool;

kmip_rc kmip_pool_init(kmip_pool *pool, size_t capacity, kmip_status *status);
/* Closes the idle connections and frees the pool's memory. */
void kmip_pool_destroy(kmip_pool *pool);
/* An idle connection that still looks usable, or NULL. Connections that
 * do not (closed by the server, inherited across fork) are closed. */
kmip_conn *kmip_pool_take(kmip_pool *pool);
/* Keeps conn for reuse, or closes it when the pool is full. */
void kmip_pool_put(kmip_pool *pool, kmip_conn *conn);

/* ---- negotiate.c ---- */

/* One request/response exchange on an open connection: encoded request
 * out, decoded and parsed response in. Implemented by client.c. */
typedef kmip_rc (*kmip_exchange_fn)(void *ctx, kmip_version header_version,
                                    kmip_request_item *item,
                                    kmip_response **resp, kmip_status *status);

/* The versions the client speaks, newest first. */
extern const kmip_version kmip_client_versions[];
extern const size_t kmip_client_version_count;

/* Runs Discover Versions through exchange and picks the server's first
 * answer that we speak; a server that rejects the request in a 1.4 header
 * is asked again in a 1.2, then a 1.0 header. */
kmip_rc kmip_negotiate_version(kmip_exchange_fn exchange, void *ctx,
                               kmip_version *out, kmip_status *status);

#endif
