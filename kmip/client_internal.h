/* SPDX-License-Identifier: Apache-2.0 */
/* The client's parts, each in its own file: server endpoints and their
 * health (endpoint.c), the TLS context (tls.c), the socket BIO
 * (socket_bio.c), one framed TLS connection (transport.c), the
 * idle-connection pool (pool.c), the choice of server with failover and
 * retries (failover.c), version negotiation (negotiate.c), and the client
 * itself with its messages (client.c). */
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
#define KMIP_DEFAULT_POOL_SIZE 32u
#define KMIP_DEFAULT_IDLE_TIMEOUT_MS 30000u
/* The most servers in a group (the failover keeps a flag per server on
 * the stack). */
#define KMIP_MAX_SERVERS 32u

/* ---- endpoint.c ---- */

/* One server of the group: "host:port", "[v6]:port", "host" or "[v6]". */
typedef struct kmip_endpoint {
    char *host;  /* without brackets */
    char *port;  /* KMIP_DEFAULT_PORT when the entry has none */
    char *label; /* "host:port" as errors name the server */
    /* The last TLS session the server gave, for resumption; NULL: none. */
    _Atomic(SSL_SESSION *) session;
    /* Health: skipped until down_until (kmip_clock_ms) after a failure to
     * connect or to answer in time; the back-off doubles with each
     * failure in a row, from KMIP_BACKOFF_MIN_MS to KMIP_BACKOFF_MAX_MS. */
    atomic_uint_fast64_t down_until;
    atomic_uint failures;
    /* Connections being opened to it now (TCP connect, TLS handshake and
     * first request), at most KMIP_HANDSHAKES_PER_SERVER. */
    atomic_uint opening;
} kmip_endpoint;

/* Connections a process opens to one server at once: a cold start of
 * many threads must not exceed what a server accepts from one address
 * (kmipd cuts handshakes beyond max_handshakes_per_peer, default 8). */
#define KMIP_HANDSHAKES_PER_SERVER 4u
/* How long a call waits for one of those before it opens a connection
 * anyway: a first request that takes long (a key generation) must not
 * hold the others up for longer. */
#define KMIP_OPENING_WAIT_MS 500u

#define KMIP_BACKOFF_MIN_MS 2000u
#define KMIP_BACKOFF_MAX_MS 60000u

kmip_rc kmip_endpoint_parse(const char *entry, kmip_endpoint *out,
                            kmip_status *status);
/* Frees the strings and session of endpoint (not endpoint itself). */
void kmip_endpoint_clear(kmip_endpoint *endpoint);

/* True while endpoint is in its back-off after a failure. */
bool kmip_endpoint_is_down(kmip_endpoint *endpoint, uint64_t now);
/* Starts (or lengthens) endpoint's back-off; a server already down is
 * left as it is, so that the calls in flight when it failed count once. */
void kmip_endpoint_mark_down(kmip_endpoint *endpoint, uint64_t now);
/* Ends endpoint's back-off: it answered. */
void kmip_endpoint_mark_up(kmip_endpoint *endpoint);
/* Waits until fewer than KMIP_HANDSHAKES_PER_SERVER connections to
 * endpoint are being opened and counts one more; false (not counted) when
 * until passed first. kmip_endpoint_opened counts it done. */
bool kmip_endpoint_opening(kmip_endpoint *endpoint, uint64_t until);
void kmip_endpoint_opened(kmip_endpoint *endpoint);
/* Gives to what from knows of the same server's health. */
void kmip_endpoint_copy_health(kmip_endpoint *to, const kmip_endpoint *from);

/* ---- tls.c ---- */

/* A client SSL_CTX from cfg: CA, certificate chain, key (decrypted with
 * cfg->key_passphrase when encrypted), minimum version, cipher list. The
 * caller frees *out with SSL_CTX_free. */
kmip_rc kmip_tls_ctx_new(const kmip_client_config *cfg, SSL_CTX **out,
                         kmip_status *status);

/* Offers endpoint's last session on ssl (a new connection to endpoint)
 * and records the sessions the server gives on it. */
void kmip_tls_resume_with(SSL *ssl, kmip_endpoint *endpoint);

/* Gives to (a new endpoint of the same server) a reference to from's
 * last session, so that to's first connection resumes it. */
void kmip_tls_session_share(kmip_endpoint *to, kmip_endpoint *from);

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

/* Milliseconds of the monotonic clock; every deadline is on it. */
uint64_t kmip_clock_ms(void);

/* One TLS connection to one server. */
typedef struct kmip_conn {
    int fd;
    SSL *ssl;
    pid_t pid;               /* process that connected */
    kmip_endpoint *endpoint; /* not owned */
    size_t server_index;     /* index of endpoint in the group */
    uint64_t idle_since;     /* kmip_clock_ms when last put in the pool */
    bool first_request_sent; /* and a quick ACK asked for (transport.c) */
    bool opening; /* holds an endpoint "opening" count until its first
                     answer: the server's handshake is done by then */
} kmip_conn;

/* Connects (each address of the endpoint in turn), then completes the
 * TLS handshake verifying the server as verify_name (NULL: the host),
 * all before deadline. Free *out with kmip_conn_close. */
kmip_rc kmip_conn_open(SSL_CTX *ctx, kmip_endpoint *endpoint,
                       size_t server_index, const char *verify_name,
                       uint64_t deadline, kmip_conn **out, kmip_status *status);

/* Writes all of msg before deadline. */
kmip_rc kmip_conn_send(kmip_conn *conn, const uint8_t *msg, size_t len,
                       uint64_t deadline, kmip_status *status);

/* Reads one TTLV message (8-byte header, then the length it announces,
 * refused above max_len before anything is allocated) before deadline.
 * The caller frees *out with kmip_buffer_free. */
kmip_rc kmip_conn_recv(kmip_conn *conn, size_t max_len, uint64_t deadline,
                       uint8_t **out, size_t *out_len, kmip_status *status);

/* True when an idle connection still looks usable: opened by this
 * process, to a server not in back-off, and nothing (data, EOF, error) is
 * waiting on it. */
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

/* Idle connections in lock-free slots (NULL: empty). Every connection a
 * call is done with is kept while a slot is free, and closed once idle
 * for idle_timeout_ms: the pool holds as many connections as were in use
 * at once lately, up to capacity. */
typedef struct kmip_pool {
    _Atomic(kmip_conn *) *slots;
    size_t capacity;
    uint32_t idle_timeout_ms;
    atomic_uint_fast64_t last_sweep; /* kmip_clock_ms of the last sweep */
} kmip_pool;

kmip_rc kmip_pool_init(kmip_pool *pool, size_t capacity,
                       uint32_t idle_timeout_ms, kmip_status *status);
/* Closes the idle connections and frees the pool's memory. */
void kmip_pool_destroy(kmip_pool *pool);
/* An idle connection that still looks usable, or NULL. Connections that
 * do not (closed by the server, to a server in back-off, idle too long,
 * inherited across fork) are closed. */
kmip_conn *kmip_pool_take(kmip_pool *pool);
/* Keeps conn for reuse, or closes it when the pool is full; now and then
 * closes the connections idle for too long. */
void kmip_pool_put(kmip_pool *pool, kmip_conn *conn);

/* ---- client.c ---- */

/* What kmip_client (include/kmip/client.h) holds. */
struct kmip_client {
    kmip_endpoint *servers;
    size_t server_count;
    char *verify_name; /* NULL: each server's host */
    uint32_t timeout_ms;
    size_t max_message;
    SSL_CTX *ssl_ctx;
    kmip_pool pool;
    char *username; /* credential copy, NULL when none */
    char *password;
    kmip_credential credential;
    kmip_version configured_version; /* {0,0}: negotiate */
    /* Negotiated version as major << 16 | minor; 0 until negotiated. */
    atomic_uint_fast32_t negotiated_version;
    atomic_size_t preferred_server; /* the last server that answered */
    atomic_uint_fast64_t requests;
    atomic_uint_fast64_t connects;
    atomic_uint_fast64_t failovers;
    atomic_uint_fast64_t retries;
};

/* ---- failover.c ---- */

/* Sends request and reads the reply on a pooled or new connection,
 * choosing the server and retrying as kmip_client_call says; on success
 * *server names the server that answered. The caller frees *reply with
 * kmip_buffer_free. */
kmip_rc kmip_client_transmit(kmip_client *client, const uint8_t *request,
                             size_t request_len, bool idempotent,
                             uint8_t **reply, size_t *reply_len,
                             const kmip_endpoint **server, kmip_status *status);

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
