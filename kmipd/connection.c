/* SPDX-License-Identifier: Apache-2.0 */
/* One client connection: TLS handshake, then framed requests until the
 * peer closes, stays idle too long or the server stops. Every wait is
 * bounded, so a slow or hostile client only ever holds its own thread. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "kmipd/faults.h"
#include "kmipd/handshakes.h"
#include "kmipd/log.h"
#include "kmipd/server.h"

/* How often a blocked connection looks at server->stopping. */
#define CONNECTION_POLL_MS 200
#define FRAME_HEADER_LEN 8

typedef struct connection {
    kmipd_server *server;
    int fd;
    SSL *ssl;
    uint64_t handshake; /* its ticket in server->handshakes */
    char owner[KMIPD_OWNER_MAX];
    char peer[64]; /* for logs */
} connection;

typedef enum io_result { IO_OK, IO_CLOSED, IO_TIMEOUT, IO_ERROR } io_result;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Classifies a failed SSL call. The socket blocks for at most
 * CONNECTION_POLL_MS per call (SO_RCVTIMEO / SO_SNDTIMEO), so a "want"
 * means that much time passed without progress: retry (IO_OK) unless the
 * deadline has passed or the server is stopping. */
static io_result ssl_retry(connection *conn, int ret, int64_t deadline)
{
    int err = SSL_get_error(conn->ssl, ret);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        if (atomic_load(&conn->server->stopping))
            return IO_CLOSED;
        return now_ms() < deadline ? IO_OK : IO_TIMEOUT;
    }
    ERR_clear_error();
    return err == SSL_ERROR_ZERO_RETURN ? IO_CLOSED : IO_ERROR;
}

static io_result read_exact(connection *conn, uint8_t *buf, size_t len,
                            int64_t deadline)
{
    size_t got = 0;
    while (got < len) {
        size_t n = 0;
        int ret = SSL_read_ex(conn->ssl, buf + got, len - got, &n);
        if (ret == 1) {
            got += n;
            continue;
        }
        io_result r = ssl_retry(conn, ret, deadline);
        if (r != IO_OK)
            return r == IO_CLOSED && got > 0 ? IO_ERROR : r;
    }
    return IO_OK;
}

static io_result write_all(connection *conn, const uint8_t *buf, size_t len,
                           int64_t deadline)
{
    size_t sent = 0;
    while (sent < len) {
        size_t n = 0;
        int ret = SSL_write_ex(conn->ssl, buf + sent, len - sent, &n);
        if (ret == 1) {
            sent += n;
            continue;
        }
        io_result r = ssl_retry(conn, ret, deadline);
        if (r != IO_OK)
            return r;
    }
    return IO_OK;
}

static int64_t idle_deadline(const connection *conn)
{
    return now_ms() + conn->server->config->idle_timeout_ms;
}

/* Copies the first CN of cert, the objects' owner, into conn->owner. A
 * CN that would not fit whole is refused: cut, it could name the objects
 * of another certificate. So is one with a NUL byte. Logs why. */
static bool take_owner(connection *conn, X509 *cert)
{
    X509_NAME *subject = cert != NULL ? X509_get_subject_name(cert) : NULL;
    int at = subject != NULL
                 ? X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
                 : -1;
    const ASN1_STRING *cn =
        at >= 0 ? X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at))
                : NULL;
    int len = cn != NULL ? ASN1_STRING_length(cn) : 0;
    const char *why = NULL;
    if (len <= 0)
        why = "without a CN";
    else if ((size_t)len >= sizeof(conn->owner)) {
        _Static_assert(KMIPD_OWNER_MAX == 256, "the message says 255");
        why = "with a CN longer than 255 bytes";
    } else if (memchr(ASN1_STRING_get0_data(cn), '\0', (size_t)len) != NULL)
        why = "with a NUL byte in its CN";
    if (why != NULL) {
        kmipd_log(KMIPD_LOG_WARN, "%s: client certificate %s: refused",
                  conn->peer, why);
        return false;
    }
    memcpy(conn->owner, ASN1_STRING_get0_data(cn), (size_t)len);
    conn->owner[len] = '\0';
    return true;
}

/* Waits for the client's first byte (its ClientHello) without taking
 * it: a client that says nothing is the first whose handshake is cut
 * (kmipd/handshakes.h). */
static io_result wait_first_byte(connection *conn, int64_t deadline)
{
    for (;;) {
        uint8_t byte;
        ssize_t n = recv(conn->fd, &byte, 1, MSG_PEEK);
        if (n > 0)
            return IO_OK;
        if (n == 0)
            return IO_CLOSED;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return IO_ERROR;
        if (atomic_load(&conn->server->stopping))
            return IO_CLOSED;
        if (now_ms() >= deadline)
            return IO_TIMEOUT;
    }
}

/* Takes one of the config->max_connections authenticated slots. */
static bool take_connection_slot(connection *conn)
{
    kmipd_server *server = conn->server;
    if (atomic_fetch_add(&server->connections, 1) <
        server->config->max_connections)
        return true;
    atomic_fetch_sub(&server->connections, 1);
    kmipd_log(KMIPD_LOG_WARN, "%s: refused: %u connections open", conn->peer,
              server->config->max_connections);
    return false;
}

/* Handshakes within config->handshake_timeout_ms, takes the owner from
 * the client certificate's CN and an authenticated connection slot. */
static bool connection_open(connection *conn)
{
    int64_t deadline = now_ms() + conn->server->config->handshake_timeout_ms;
    int ret = 0;
    io_result r = wait_first_byte(conn, deadline);
    if (r == IO_OK) {
        kmipd_handshakes_spoke(conn->server->handshakes, conn->handshake);
        while ((ret = SSL_accept(conn->ssl)) != 1 &&
               (r = ssl_retry(conn, ret, deadline)) == IO_OK)
            ;
    }
    if (ret != 1) {
        kmipd_log(KMIPD_LOG_INFO, "%s: TLS handshake failed%s", conn->peer,
                  r == IO_TIMEOUT ? " (timeout)" : "");
        return false;
    }
    X509 *cert = SSL_get1_peer_certificate(conn->ssl);
    bool owned = take_owner(conn, cert);
    X509_free(cert);
    if (!owned || !take_connection_slot(conn))
        return false;
    kmipd_log(KMIPD_LOG_INFO, "%s: connected as %s (%s)", conn->peer,
              conn->owner, SSL_get_version(conn->ssl));
    return true;
}

/* Waits for a free worker slot (config->workers requests run at once);
 * false when the server stops first. */
static bool worker_acquire(kmipd_server *server)
{
    pthread_mutex_lock(&server->work_lock);
    while (server->working >= server->config->workers &&
           !atomic_load(&server->stopping)) {
        struct timespec tick;
        clock_gettime(CLOCK_REALTIME, &tick);
        tick.tv_nsec += CONNECTION_POLL_MS * 1000000L;
        tick.tv_sec += tick.tv_nsec / 1000000000L;
        tick.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&server->work_done, &server->work_lock, &tick);
    }
    bool acquired = server->working < server->config->workers;
    if (acquired)
        server->working++;
    pthread_mutex_unlock(&server->work_lock);
    return acquired;
}

static void worker_release(kmipd_server *server)
{
    pthread_mutex_lock(&server->work_lock);
    server->working--;
    pthread_cond_signal(&server->work_done);
    pthread_mutex_unlock(&server->work_lock);
}

/* Sends the response to msg (which may be malformed); false when the
 * connection must close. */
static bool connection_answer(connection *conn, kmipd_session *session,
                              const uint8_t *msg, size_t len)
{
    kmipd_server *server = conn->server;
    uint8_t *out = NULL;
    size_t out_len = 0;
    bool keep_open = false;
    if (!worker_acquire(server))
        return false;
    bool ok = kmipd_serve_message(server, session, msg, len, &out, &out_len,
                                  &keep_open);
    worker_release(server);
    if (!ok) {
        kmipd_log(KMIPD_LOG_ERROR, "%s: out of memory building a response",
                  conn->peer);
        return false;
    }
    kmipd_fault_delay(&server->config->faults);
    io_result r = write_all(conn, out, out_len, idle_deadline(conn));
    OPENSSL_cleanse(out, out_len);
    free(out);
    return r == IO_OK && keep_open;
}

/* A request whose frame header cannot be trusted: answer it as the
 * malformed message it is, then close (the stream has lost its framing). */
static void connection_reject_frame(connection *conn, kmipd_session *session,
                                    const uint8_t header[FRAME_HEADER_LEN],
                                    const char *why)
{
    kmipd_log(KMIPD_LOG_INFO, "%s: %s", conn->peer, why);
    connection_answer(conn, session, header, FRAME_HEADER_LEN);
}

/* Takes total bytes of the requests all connections may hold at once
 * (max_buffered), waiting for others' requests to end until deadline; logs
 * a wait, and a connection closed for want of room. */
static bool take_buffer(connection *conn, size_t total, int64_t deadline)
{
    kmipd_server *server = conn->server;
    if (kmipd_budget_take(&server->buffered, total, 0, &server->stopping))
        return true;
    kmipd_log(KMIPD_LOG_WARN,
              "%s: a request of %zu bytes waits: %zu bytes of requests are "
              "held (max_buffered %zu)",
              conn->peer, total, kmipd_budget_used(&server->buffered),
              server->config->max_buffered);
    if (kmipd_budget_take(&server->buffered, total, deadline,
                          &server->stopping))
        return true;
    kmipd_log(KMIPD_LOG_WARN, "%s: closed: no room for its request in time",
              conn->peer);
    return false;
}

/* Reads and answers one request; false when the connection must close. */
static bool connection_request(connection *conn, kmipd_session *session)
{
    uint8_t header[FRAME_HEADER_LEN];
    io_result r = read_exact(conn, header, 1, idle_deadline(conn));
    if (r != IO_OK) {
        if (r == IO_TIMEOUT)
            kmipd_log(KMIPD_LOG_INFO, "%s: idle timeout", conn->peer);
        return false;
    }
    /* From its first byte, a message must arrive within one timeout. */
    int64_t deadline = idle_deadline(conn);
    if (read_exact(conn, header + 1, FRAME_HEADER_LEN - 1, deadline) != IO_OK)
        return false;
    size_t total;
    kmip_status st;
    if (kmip_ttlv_frame_length(header, FRAME_HEADER_LEN,
                               conn->server->config->max_message, &total,
                               &st) != KMIP_OK) {
        connection_reject_frame(conn, session, header, st.message);
        return false;
    }
    if (!take_buffer(conn, total, deadline))
        return false;
    uint8_t *msg = malloc(total);
    if (msg == NULL) {
        kmipd_log(KMIPD_LOG_ERROR, "%s: out of memory for %zu bytes",
                  conn->peer, total);
        kmipd_budget_give(&conn->server->buffered, total);
        return false;
    }
    memcpy(msg, header, FRAME_HEADER_LEN);
    bool open = read_exact(conn, msg + FRAME_HEADER_LEN,
                           total - FRAME_HEADER_LEN, deadline) == IO_OK &&
                connection_answer(conn, session, msg, total);
    OPENSSL_cleanse(msg, total);
    free(msg);
    kmipd_budget_give(&conn->server->buffered, total);
    return open;
}

static void describe_peer(connection *conn)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    char host[48] = "?", port[8] = "?";
    if (getpeername(conn->fd, (struct sockaddr *)&addr, &len) == 0)
        getnameinfo((struct sockaddr *)&addr, len, host, sizeof(host), port,
                    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(conn->peer, sizeof(conn->peer), "%s:%s", host, port);
}

void kmipd_connection_serve(kmipd_server *server, int fd, uint64_t handshake)
{
    connection conn = {.server = server, .fd = fd, .handshake = handshake};
    describe_peer(&conn);
    /* Blocking I/O with a short timeout: a busy connection costs one
     * system call per read or write, an idle one wakes up to notice a
     * stopping server. */
    struct timeval tick = {.tv_usec = CONNECTION_POLL_MS * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tick, sizeof(tick));
    conn.ssl = SSL_new(server->tls);
    bool opened = conn.ssl != NULL && SSL_set_fd(conn.ssl, fd) == 1 &&
                  connection_open(&conn);
    kmipd_handshakes_leave(server->handshakes, handshake);
    if (opened) {
        kmipd_session session = {.owner = conn.owner,
                                 .version = KMIP_VERSION(1, 0)};
        while (!atomic_load(&server->stopping) &&
               connection_request(&conn, &session))
            ;
        SSL_shutdown(conn.ssl);
        kmipd_log(KMIPD_LOG_INFO, "%s: closed after %u requests", conn.peer,
                  session.requests);
        atomic_fetch_sub(&server->connections, 1);
    }
    SSL_free(conn.ssl);
    ERR_clear_error();
    close(fd);
}
