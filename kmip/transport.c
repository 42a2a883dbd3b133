/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "client_internal.h"
#include "kmip/process.h"

#define FRAME_HEADER_LEN 8

uint64_t kmip_clock_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

/* Waits until fd is ready for events (or in error: the next operation on
 * it reports what happened) or the deadline passes. */
static kmip_rc wait_fd(int fd, short events, uint64_t deadline,
                       const char *label, const char *phase,
                       kmip_status *status)
{
    for (;;) {
        uint64_t now = kmip_clock_ms();
        if (now >= deadline)
            return kmip_fail(status, KMIP_E_TIMEOUT, "%s: %s: timed out", label,
                             phase);
        uint64_t left = deadline - now;
        struct pollfd pfd = {.fd = fd, .events = events};
        int ready = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (ready > 0)
            return KMIP_OK;
        if (ready < 0 && errno != EINTR)
            return kmip_fail(status, KMIP_E_TRANSPORT, "%s: %s: poll: %s",
                             label, phase, strerror(errno));
    }
}

/* One non-blocking connect to one address; *fd_out on success. */
static kmip_rc connect_address(const struct addrinfo *ai, uint64_t deadline,
                               const char *label, int *fd_out,
                               kmip_status *status)
{
    int fd =
        socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
               ai->ai_protocol);
    if (fd < 0)
        return kmip_fail(status, KMIP_E_TRANSPORT, "%s: socket: %s", label,
                         strerror(errno));
    kmip_rc rc = KMIP_OK;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS)
            rc = kmip_fail(status, KMIP_E_TRANSPORT, "%s: connect: %s", label,
                           strerror(errno));
        else
            rc = wait_fd(fd, POLLOUT, deadline, label, "connect", status);
        int error = 0;
        socklen_t error_len = sizeof(error);
        if (rc == KMIP_OK &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) != 0)
            error = errno;
        if (rc == KMIP_OK && error != 0)
            rc = kmip_fail(status, KMIP_E_TRANSPORT, "%s: connect: %s", label,
                           strerror(error));
    }
    if (rc != KMIP_OK) {
        close(fd);
        return rc;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    *fd_out = fd;
    return KMIP_OK;
}

static kmip_rc connect_endpoint(const kmip_endpoint *endpoint,
                                uint64_t deadline, int *fd_out,
                                kmip_status *status)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV};
    struct addrinfo *addresses = NULL;
    int gai = getaddrinfo(endpoint->host, endpoint->port, &hints, &addresses);
    if (gai != 0)
        return kmip_fail(status, KMIP_E_TRANSPORT, "%s: resolve: %s",
                         endpoint->label, gai_strerror(gai));
    kmip_rc rc = KMIP_E_TRANSPORT;
    for (const struct addrinfo *ai = addresses; ai != NULL; ai = ai->ai_next) {
        rc = connect_address(ai, deadline, endpoint->label, fd_out, status);
        if (rc == KMIP_OK || rc == KMIP_E_TIMEOUT)
            break;
    }
    freeaddrinfo(addresses);
    return rc;
}

static bool is_unexpected_eof(void)
{
    unsigned long err = ERR_peek_error();
    return ERR_GET_LIB(err) == ERR_LIB_SSL &&
           ERR_GET_REASON(err) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

/* Before an SSL call whose failure SSL_get_error will read: the queue
 * must hold no earlier error. Cheaper than ERR_clear_error when it is
 * empty, as it is on every call that went well before. */
static void ssl_errors_clear(void)
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

/* After an SSL call on conn returned ssl_ret: KMIP_OK when the call should
 * be repeated (the socket became ready in time), otherwise the failure. A
 * failed handshake is always KMIP_E_TLS. */
static kmip_rc ssl_wait(kmip_conn *conn, int ssl_ret, uint64_t deadline,
                        const char *phase, kmip_status *status)
{
    const char *label = conn->endpoint->label;
    bool handshake = !SSL_is_init_finished(conn->ssl);
    kmip_rc closed_rc = handshake ? KMIP_E_TLS : KMIP_E_TRANSPORT;
    int saved_errno = errno;
    switch (SSL_get_error(conn->ssl, ssl_ret)) {
    case SSL_ERROR_WANT_READ:
        return wait_fd(conn->fd, POLLIN, deadline, label, phase, status);
    case SSL_ERROR_WANT_WRITE:
        return wait_fd(conn->fd, POLLOUT, deadline, label, phase, status);
    case SSL_ERROR_ZERO_RETURN:
        return kmip_fail(status, closed_rc,
                         "%s: %s: connection closed by the server", label,
                         phase);
    case SSL_ERROR_SYSCALL:
        ERR_clear_error();
        return kmip_fail(status, closed_rc, "%s: %s: %s", label, phase,
                         saved_errno != 0 ? strerror(saved_errno)
                                          : "connection closed by the server");
    default:
        if (is_unexpected_eof()) {
            ERR_clear_error();
            return kmip_fail(status, closed_rc,
                             "%s: %s: connection closed by the server", label,
                             phase);
        }
        char reason[160];
        kmip_tls_describe_error(conn->ssl, reason, sizeof(reason));
        return kmip_fail(status, KMIP_E_TLS, "%s: %s: %s", label, phase,
                         reason);
    }
}

static kmip_rc handshake(kmip_conn *conn, SSL_CTX *ctx, const char *verify_name,
                         uint64_t deadline, kmip_status *status)
{
    const char *label = conn->endpoint->label;
    conn->ssl = SSL_new(ctx);
    BIO *bio = kmip_socket_bio_new(conn->fd);
    if (conn->ssl == NULL || bio == NULL) {
        BIO_free(bio);
        ERR_clear_error();
        return kmip_fail(status, KMIP_E_NOMEM, "%s: out of memory", label);
    }
    SSL_set_bio(conn->ssl, bio, bio);
    /* A response in one recv(2), not one per record header and body. */
    SSL_set_read_ahead(conn->ssl, 1);
    kmip_tls_resume_with(conn->ssl, conn->endpoint);
    kmip_rc rc = kmip_tls_expect_peer(
        conn->ssl, verify_name != NULL ? verify_name : conn->endpoint->host,
        status);
    if (rc != KMIP_OK)
        return rc;
    SSL_set_connect_state(conn->ssl);
    for (;;) {
        ssl_errors_clear();
        errno = 0;
        int ret = SSL_do_handshake(conn->ssl);
        if (ret == 1)
            return KMIP_OK;
        rc = ssl_wait(conn, ret, deadline, "TLS handshake", status);
        if (rc != KMIP_OK)
            return rc;
    }
}

kmip_rc kmip_conn_open(SSL_CTX *ctx, kmip_endpoint *endpoint,
                       size_t server_index, const char *verify_name,
                       uint64_t deadline, kmip_conn **out, kmip_status *status)
{
    *out = NULL;
    kmip_conn *conn = calloc(1, sizeof(*conn));
    if (conn == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "%s: out of memory",
                         endpoint->label);
    conn->fd = -1;
    conn->pid = kmip_process_id();
    conn->endpoint = endpoint;
    conn->server_index = server_index;
    kmip_rc rc = connect_endpoint(endpoint, deadline, &conn->fd, status);
    if (rc == KMIP_OK)
        rc = handshake(conn, ctx, verify_name, deadline, status);
    if (rc != KMIP_OK) {
        kmip_conn_close(conn, KMIP_CLOSE_FAILED);
        return rc;
    }
    *out = conn;
    return KMIP_OK;
}

/* After a connection's first request, what the server sends first (TLS
 * 1.3 session tickets) is acknowledged at once rather than after the
 * delayed-ACK timeout (40 ms): a server that leaves Nagle's algorithm on
 * holds its first answer until the tickets are acknowledged. */
static void ack_at_once(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

kmip_rc kmip_conn_send(kmip_conn *conn, const uint8_t *msg, size_t len,
                       uint64_t deadline, kmip_status *status)
{
    size_t sent = 0;
    while (sent < len) {
        ssl_errors_clear();
        errno = 0;
        size_t written = 0;
        int ret = SSL_write_ex(conn->ssl, msg + sent, len - sent, &written);
        if (ret == 1) {
            sent += written;
            continue;
        }
        kmip_rc rc = ssl_wait(conn, ret, deadline, "write", status);
        if (rc != KMIP_OK)
            return rc;
    }
    if (!conn->first_request_sent) {
        conn->first_request_sent = true;
        ack_at_once(conn->fd);
    }
    return KMIP_OK;
}

static kmip_rc read_exact(kmip_conn *conn, uint8_t *buf, size_t len,
                          uint64_t deadline, kmip_status *status)
{
    size_t got = 0;
    while (got < len) {
        ssl_errors_clear();
        errno = 0;
        size_t n = 0;
        int ret = SSL_read_ex(conn->ssl, buf + got, len - got, &n);
        if (ret == 1) {
            got += n;
            continue;
        }
        kmip_rc rc = ssl_wait(conn, ret, deadline, "read", status);
        if (rc != KMIP_OK)
            return rc;
    }
    return KMIP_OK;
}

kmip_rc kmip_conn_recv(kmip_conn *conn, size_t max_len, uint64_t deadline,
                       uint8_t **out, size_t *out_len, kmip_status *status)
{
    *out = NULL;
    *out_len = 0;
    uint8_t header[FRAME_HEADER_LEN];
    kmip_rc rc = read_exact(conn, header, sizeof(header), deadline, status);
    if (rc != KMIP_OK)
        return rc;
    size_t total = 0;
    kmip_status frame_status;
    rc = kmip_ttlv_frame_length(header, sizeof(header), max_len, &total,
                                &frame_status);
    if (rc != KMIP_OK)
        return kmip_fail(status, rc, "%s: response: %s", conn->endpoint->label,
                         frame_status.message);
    uint8_t *msg = malloc(total);
    if (msg == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "%s: out of memory",
                         conn->endpoint->label);
    memcpy(msg, header, sizeof(header));
    rc = read_exact(conn, msg + sizeof(header), total - sizeof(header),
                    deadline, status);
    if (rc != KMIP_OK) {
        kmip_buffer_free(msg, total);
        return rc;
    }
    *out = msg;
    *out_len = total;
    return KMIP_OK;
}

bool kmip_conn_idle_usable(const kmip_conn *conn)
{
    if (conn->pid != kmip_process_id() || SSL_has_pending(conn->ssl) ||
        kmip_endpoint_is_down(conn->endpoint, kmip_clock_ms()))
        return false;
    struct pollfd pfd = {.fd = conn->fd, .events = POLLIN};
    return poll(&pfd, 1, 0) == 0;
}

void kmip_conn_close(kmip_conn *conn, kmip_close_mode mode)
{
    if (conn == NULL)
        return;
    if (conn->pid != kmip_process_id())
        mode = KMIP_CLOSE_SILENT;
    if (conn->ssl != NULL) {
        if (mode == KMIP_CLOSE_NOTIFY && SSL_is_init_finished(conn->ssl))
            SSL_shutdown(conn->ssl);
        else if (mode == KMIP_CLOSE_SILENT)
            /* Marks it shut down in memory only, so that SSL_free does not
             * invalidate the session. */
            SSL_set_shutdown(conn->ssl,
                             SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        SSL_free(conn->ssl);
        ERR_clear_error();
    }
    if (conn->fd >= 0)
        close(conn->fd);
    free(conn);
}
