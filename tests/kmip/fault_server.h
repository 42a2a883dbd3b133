/* SPDX-License-Identifier: Apache-2.0 */
/* An in-process TLS 1.2 KMIP server on 127.0.0.1 that misbehaves on
 * command, for the client's fault tests (TLS 1.3 in one mode). One thread
 * per connection. */
#ifndef TEST_FAULT_SERVER_H
#define TEST_FAULT_SERVER_H

#include <stdbool.h>
#include <stdint.h>

typedef enum fault_mode {
    FAULT_NONE,                /* answers every request with success */
    FAULT_NEVER_ANSWER,        /* reads the request, never answers */
    FAULT_CLOSE_MID_RESPONSE,  /* sends part of the answer, then closes */
    FAULT_HUGE_LENGTH,         /* announces a 0xFFFFFFF0-byte response */
    FAULT_GARBAGE,             /* a well-framed answer that is not TTLV */
    FAULT_WRONG_OPERATION,     /* answers another operation than asked */
    FAULT_DROP_SECOND_REQUEST, /* answers a connection's first request and
                                  closes it on the second */
    FAULT_CLOSE_WHEN_IDLE,     /* answers, then closes cleanly (close_notify) */
    /* Version modes: Discover Versions gets the answer named, any other
     * operation succeeds. */
    FAULT_OFFERS_1_3_AND_1_2,
    FAULT_ONLY_UP_TO_1_2,    /* refuses headers above 1.2, offers 1.2-1.0 */
    FAULT_NO_COMMON_VERSION, /* offers no version */
    /* Waits FAULT_PHASE_DELAY_MS before the TLS handshake and again before
     * each answer: each phase is quick, all of them together are not. */
    FAULT_SLOW_PHASES,
    /* Waits FAULT_HANDSHAKE_DELAY_MS before the TLS handshake, then
     * answers every request with success. */
    FAULT_SLOW_HANDSHAKE,
    /* TLS 1.3 (every other mode is TLS 1.2): sends its session tickets
     * after the handshake, leaves Nagle's algorithm on, as many servers
     * do, and answers every request with success. */
    FAULT_TLS13_TICKETS,
} fault_mode;

#define FAULT_PHASE_DELAY_MS 300
#define FAULT_HANDSHAKE_DELAY_MS 20

typedef struct fault_server fault_server;

/* Starts a server with cert/key, verifying clients against client_ca.
 * Fails the running test when it cannot. */
fault_server *fault_server_start(const char *cert, const char *key,
                                 const char *client_ca, fault_mode mode);
/* Changes the mode for every request from now on, on open connections
 * too (FAULT_NEVER_ANSWER: a server that stops answering). */
void fault_server_set_mode(fault_server *server, fault_mode mode);
/* "127.0.0.1:PORT"; valid until fault_server_stop. */
const char *fault_server_address(const fault_server *server);
/* TLS connections accepted so far. */
unsigned fault_server_connections(const fault_server *server);
/* The most connections that were in their TLS handshake at once
 * (counted from accept, so FAULT_SLOW_PHASES's wait counts too). */
unsigned fault_server_most_handshakes(const fault_server *server);
/* Of those accepted, the ones that resumed a TLS session. */
unsigned fault_server_resumptions(const fault_server *server);
/* Waits (up to 2 s) until count connections have been closed by the
 * server; false on timeout. */
bool fault_server_wait_closed(fault_server *server, unsigned count);
/* Stops the threads and frees the server. NULL is a no-op. */
void fault_server_stop(fault_server *server);

/* A socket listening on 127.0.0.1 that never accepts nor speaks (the
 * kernel completes TCP handshakes); its "127.0.0.1:PORT" into buf. Close
 * the returned fd when done. */
int fault_silent_listener(char *buf, size_t len);

/* "127.0.0.1:PORT" for a port where nothing listens, into buf. */
void fault_closed_address(char *buf, size_t len);

#endif
