/* SPDX-License-Identifier: Apache-2.0 */
/* The KMIP client: mutual TLS, 8-byte-header framing with a size limit,
 * timeouts, a thread-safe connection pool, failover across a server group
 * with a back-off for servers that failed, version negotiation, and
 * batches. Fork safe: a child process never uses a connection its parent
 * opened; it reconnects lazily. */
#ifndef KMIP_CLIENT_H
#define KMIP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "kmip/message.h"
#include "kmip/status.h"

typedef struct kmip_client_config {
    /* "host:port" or "[v6]:port" entries, tried in order; port defaults
     * to 5696. At least one, at most 32. */
    const char *const *servers;
    size_t server_count;
    const char *ca_file;   /* PEM CA bundle that verifies the servers */
    const char *cert_file; /* PEM client certificate (chain) */
    const char *key_file;  /* PEM client private key */
    /* PKCS#12 bundle of the client certificate (chain) and key, instead
     * of cert_file and key_file; its CA certificates are trusted too when
     * ca_file is NULL. key_passphrase opens it. */
    const char *p12_file;
    /* Passphrase of an encrypted key_file or of p12_file, or NULL. Not
     * kept after kmip_client_new returns. */
    const char *key_passphrase;
    /* OpenSSL TLS 1.2 cipher list, NULL for OpenSSL's default. */
    const char *cipher_list;
    int tls_min_version; /* e.g. TLS1_2_VERSION; 0 for TLS 1.2 */
    /* Server name to verify instead of the host part of each server
     * entry (IP addresses are verified as IP SANs); NULL: the host. */
    const char *verify_name;
    /* The bound of all a call does on one server: connect, handshake,
     * request and response together. A server that does not answer
     * within it is put in back-off and an idempotent call moves to the
     * next server (with a bound of its own). 0: 10000. */
    uint32_t timeout_ms;
    /* The most idle connections kept (as many are kept as were in use at
     * once lately); 0: 32. Set it to the number of threads that sign at
     * once, or more. */
    size_t pool_size;
    uint32_t idle_timeout_ms; /* idle connections closed after; 0: 30000 */
    size_t max_message;       /* largest response accepted; 0: default */
    /* Protocol version: {0,0} negotiates with Discover Versions on first
     * use, preferring the newest version both sides speak. */
    kmip_version version;
    const kmip_credential *credential; /* sent in each header, or NULL */
} kmip_client_config;

typedef struct kmip_client kmip_client;

/* Validates cfg, loads the certificates and key, and copies what it needs
 * (the passphrase is used then wiped from the client's memory). Opens no
 * connection. On failure returns NULL with status filled. Free with
 * kmip_client_free. */
kmip_client *kmip_client_new(const kmip_client_config *cfg,
                             kmip_status *status);
void kmip_client_free(kmip_client *client);

/* A client of base's servers and settings that shares base's TLS context
 * (certificate, decrypted key, CA store: no file is read again) and starts
 * from what base learned (each server's health, the server that answered
 * last, the negotiated version, the TLS sessions to resume), with
 * credential (copied; NULL: none)
 * instead of base's. It opens connections of its own. For a forked child,
 * which may no longer be allowed to read the files (a server dropping
 * privileges), and for a login that changes the credential. base may be
 * in use meanwhile: only its TLS context is shared, which OpenSSL allows.
 * Free with kmip_client_free. */
kmip_client *kmip_client_derive(kmip_client *base,
                                const kmip_credential *credential,
                                kmip_status *status);

/* The protocol version in use, negotiating it first when needed. */
kmip_rc kmip_client_version(kmip_client *client, kmip_version *out,
                            kmip_status *status);

/* Sends items as one request message (one batch) and waits for the
 * response. The payloads are consumed. *resp (free with
 * kmip_response_free) holds every batch item's result: a failed batch item
 * is not an error of this call; check each with kmip_response_item_check.
 * When idempotent is true, the request is sent once more after a pooled
 * connection is found closed (on a fresh connection) or after a server
 * does not answer within timeout_ms (on another server not in back-off,
 * when there is one); otherwise the failure is returned. Thread safe. */
kmip_rc kmip_client_call(kmip_client *client, kmip_request_item *items,
                         size_t n, int idempotent, kmip_response **resp,
                         kmip_status *status);

/* One operation: calls, checks the single result, and hands back the
 * response (whose items[0].payload is the Response Payload). */
kmip_rc kmip_client_call_one(kmip_client *client, uint32_t operation,
                             kmip_item *payload, int idempotent,
                             kmip_response **resp, kmip_status *status);

/* Counters, for tests and benchmarks. */
typedef struct kmip_client_stats {
    uint64_t requests;  /* request messages sent */
    uint64_t connects;  /* TLS connections established */
    uint64_t failovers; /* moves to another server after a failure */
    uint64_t retries;   /* idempotent requests sent again */
} kmip_client_stats;

void kmip_client_get_stats(kmip_client *client, kmip_client_stats *out);

#endif
