/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's configuration: a JSON file (json-c); an unknown key is an error
 * naming the file and the key. */
#ifndef KMIPD_CONFIG_H
#define KMIPD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/status.h"

typedef enum kmipd_log_level {
    KMIPD_LOG_ERROR = 0,
    KMIPD_LOG_WARN,
    KMIPD_LOG_INFO,
    KMIPD_LOG_DEBUG,
} kmipd_log_level;

/* Test-only fault injection ("faults" object); all off when zero. */
typedef struct kmipd_faults {
    uint32_t delay_ms;       /* "delay_ms": delay every response */
    uint32_t close_after;    /* "close_after": close a connection after
                              * answering this many requests */
    uint32_t fail_operation; /* "fail_operation": KMIP_OPERATION_* ... */
    uint32_t fail_reason;    /* "fail_reason": ... answered with this
                              * KMIP_RESULT_REASON_* */
} kmipd_faults;

typedef struct kmipd_config {
    char *listen_host; /* "listen": "host:port", default
                        * "127.0.0.1:5696" */
    char *listen_port;
    char *ca;                  /* "ca": PEM CA certificates for clients */
    char *cert;                /* "cert": PEM server certificate (chain) */
    char *key;                 /* "key": PEM server private key */
    char *database;            /* "database": SQLite file */
    char *master_key;          /* "master_key": file with 32 bytes (raw, or
                                * 64 hex digits) */
    kmipd_log_level log_level; /* "log_level": error|warn|info|debug */
    char *log_file;            /* "log_file": NULL logs to stderr */
    unsigned workers;          /* "workers": requests served at once,
                                * default: online CPUs */
    size_t max_message;        /* "max_message": bytes, default
                                * KMIP_DEFAULT_MAX_MESSAGE */
    size_t max_buffered;       /* "max_buffered": bytes of partly received
                                * requests held at once, all connections
                                * together; at least max_message */
    unsigned max_connections;  /* "max_connections": authenticated
                                * connections, default 256 */
    unsigned max_handshakes;   /* "max_handshakes": connections not yet
                                * authenticated, default 64 ... */
    unsigned max_handshakes_per_peer; /* ... of which from one address,
                                       * default 8 */
    unsigned idle_timeout_ms;         /* "idle_timeout_ms": default 60000; also
                                       * bounds the arrival of one message */
    unsigned handshake_timeout_ms;    /* "handshake_timeout_ms": default
                                       * 5000 */
    unsigned max_streams_per_client;  /* "max_streams_per_client": KMIP
                                       * streams a client holds open,
                                       * default 8 */
    unsigned stream_timeout_ms;       /* "stream_timeout_ms": an idle
                                       * stream is dropped after this,
                                       * default 300000 */
    bool export_private_keys;         /* "export_private_keys": may Get return
                                       * private keys created on the server;
                                       * default false */
    bool allow_triple_des;            /* "allow_triple_des": may clients
                                       * create or register Triple DES
                                       * keys; default false */
    kmipd_faults faults;              /* "faults" */
} kmipd_config;

#define KMIPD_DEFAULT_MAX_BUFFERED (64u * 1024u * 1024u)

/* Loads path (a regular file of at most 1 MiB) into a new configuration with
 * defaults for absent keys. On failure returns NULL and says why in status
 * (file, key, problem). Free with kmipd_config_free. */
kmipd_config *kmipd_config_load(const char *path, kmip_status *status);
void kmipd_config_free(kmipd_config *config);

#endif
