/* SPDX-License-Identifier: Apache-2.0 */
/* The open streams of KMIP streaming Encrypt and Decrypt (Init Indicator,
 * Correlation Value, Final Indicator): each bound to the client that
 * opened it, its key and its operation. A client holds at most
 * per_client streams (the server at most max_total); a stream idle for
 * timeout_ms is dropped at the next look at the table. */
#ifndef KMIPD_STREAMS_H
#define KMIPD_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmipd/crypto.h"

#define KMIPD_STREAM_ID_LEN 16
/* The most streams a server holds, whatever max_total says. */
#define KMIPD_STREAMS_MAX 65536u

typedef struct kmipd_streams kmipd_streams;

/* What a look at the table found. */
typedef enum kmipd_stream_rc {
    KMIPD_STREAM_OK,
    KMIPD_STREAM_UNKNOWN,  /* no such stream (never, ended or expired) */
    KMIPD_STREAM_FOREIGN,  /* another client's */
    KMIPD_STREAM_MISMATCH, /* this client's, for another key or operation */
    KMIPD_STREAM_FULL,     /* the client (or the server) holds too many */
    KMIPD_STREAM_NO_MEMORY,
} kmipd_stream_rc;

/* NULL when out of memory. */
kmipd_streams *kmipd_streams_new(unsigned per_client, unsigned max_total,
                                 unsigned timeout_ms);
void kmipd_streams_free(kmipd_streams *streams);

/* The key of a stream: who may continue it, and with what. */
typedef struct kmipd_stream_key {
    const char *owner;
    const char *uid;
    uint32_t operation;
} kmipd_stream_key;

/* Adds cipher (taken on KMIPD_STREAM_OK, else left to the caller) under a
 * new random id. */
kmipd_stream_rc kmipd_streams_open(kmipd_streams *streams,
                                   const kmipd_stream_key *key,
                                   kmipd_cipher_stream *cipher,
                                   uint8_t id[KMIPD_STREAM_ID_LEN]);

/* Takes the stream id (len bytes) out of the table for one request: the
 * caller then ends it (kmipd_cipher_stream_free) or puts it back. */
kmipd_stream_rc kmipd_streams_take(kmipd_streams *streams,
                                   const kmipd_stream_key *key,
                                   const uint8_t *id, size_t len,
                                   kmipd_cipher_stream **cipher);

/* Puts back a stream taken under id (its idle time starts again). False
 * (cipher freed) when out of memory. */
bool kmipd_streams_put(kmipd_streams *streams, const kmipd_stream_key *key,
                       const uint8_t id[KMIPD_STREAM_ID_LEN],
                       kmipd_cipher_stream *cipher);

/* The streams open now (all clients). */
size_t kmipd_streams_count(kmipd_streams *streams);

#endif
