/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip-pkcs11.so loaded like an application loads it (dlopen), one
 * slot over a list of servers, and a stream of ECDSA P-256 signatures from
 * several threads that records when each one started and ended and what
 * C_Sign answered. */
#ifndef RELIABILITY_SIGN_STREAM_H
#define RELIABILITY_SIGN_STREAM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

#define SIGN_STREAM_MAX_THREADS 8

/* Writes the module configuration (one slot, label "reliability", the
 * test PKI's client-a, these servers and timeout; errors only in the log)
 * to $P11KMIP_TEST_DIR and points P11KMIP_CONFIG at it. */
void module_configure(const char *const *servers, size_t server_count,
                      unsigned timeout_ms);

/* Loads the module once per process and calls C_Initialize (OS locking)
 * with the configuration in effect; module_finalize calls C_Finalize. */
CK_FUNCTION_LIST_PTR module_initialize(void);
void module_finalize(void);

/* A read-write session on the first slot. */
CK_SESSION_HANDLE module_session(void);

/* An ECDSA P-256 key pair labelled label, made on the server; returns
 * the private key's handle. */
CK_OBJECT_HANDLE module_ec_key(CK_SESSION_HANDLE session, const char *label);

/* The private key labelled label. */
CK_OBJECT_HANDLE module_find_key(CK_SESSION_HANDLE session, const char *label);

/* One CKM_ECDSA signature of a fixed digest in session. */
CK_RV module_sign(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key);

typedef struct sign_record {
    double start, end; /* seconds since the stream began */
    CK_RV rv;
} sign_record;

typedef struct sign_log {
    sign_record *records;
    size_t count, capacity;
} sign_log;

typedef struct sign_stream sign_stream;

/* What one signing thread gets. */
typedef struct sign_stream_thread {
    sign_stream *stream;
    size_t index;
} sign_stream_thread;

struct sign_stream {
    CK_OBJECT_HANDLE key;
    double origin; /* monotonic time of the start */
    atomic_bool stopping;
    size_t threads;
    pthread_t tid[SIGN_STREAM_MAX_THREADS];
    CK_SESSION_HANDLE sessions[SIGN_STREAM_MAX_THREADS];
    sign_log logs[SIGN_STREAM_MAX_THREADS];
    sign_stream_thread args[SIGN_STREAM_MAX_THREADS];
};

/* Every record of every thread of stream (a sign_stream *). */
#define SIGN_STREAM_FOR_EACH(stream, record)                                   \
    for (size_t t_ = 0; t_ < (stream)->threads; t_++)                          \
        for (const sign_record *record = (stream)->logs[t_].records;           \
             record < (stream)->logs[t_].records + (stream)->logs[t_].count;   \
             record++)

/* Starts threads threads, each signing with key in its own session as
 * fast as it can until sign_stream_stop. */
void sign_stream_start(sign_stream *stream, CK_OBJECT_HANDLE key,
                       size_t threads);

/* Stops the threads and joins them; false when one of them did not
 * return within join_timeout_s (a hung thread). */
bool sign_stream_stop(sign_stream *stream, double join_timeout_s);

/* Seconds since the stream began. */
double sign_stream_clock(const sign_stream *stream);

/* Frees the records (NULL-safe per log). */
void sign_stream_free(sign_stream *stream);

/* Sleeps for seconds. */
void sleep_seconds(double seconds);

#endif
