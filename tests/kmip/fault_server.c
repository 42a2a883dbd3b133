/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "fault_server.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#define MAX_CONNECTIONS 512
#define MAX_REQUEST (1024 * 1024)
#define IO_TIMEOUT_S 5

typedef struct connection {
    pthread_t thread;
    int fd; /* -1 once the connection thread closed it */
    fault_server *server;
} connection;

struct fault_server {
    int listen_fd;
    SSL_CTX *ctx;
    _Atomic fault_mode mode;
    char address[32];
    pthread_t accept_thread;
    atomic_bool stopping;
    atomic_uint connections;
    atomic_uint handshaking, most_handshaking;
    atomic_uint resumptions;
    atomic_uint closed;
    pthread_mutex_t lock; /* guards conns[].fd and conn_count */
    connection conns[MAX_CONNECTIONS];
    size_t conn_count;
};

/* ---- Messages ---- */

static bool read_all(SSL *ssl, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        size_t n = 0;
        if (SSL_read_ex(ssl, buf + got, len - got, &n) != 1)
            return false;
        got += n;
    }
    return true;
}

static bool write_all(SSL *ssl, const uint8_t *buf, size_t len)
{
    size_t n = 0;
    return len == 0 || (SSL_write_ex(ssl, buf, len, &n) == 1 && n == len);
}

/* Reads one framed request; the caller frees *out with kmip_item_free. */
static bool read_request(SSL *ssl, kmip_item **out)
{
    uint8_t header[8];
    if (!read_all(ssl, header, sizeof(header)))
        return false;
    size_t total = 0;
    if (kmip_ttlv_frame_length(header, sizeof(header), MAX_REQUEST, &total,
                               NULL) != KMIP_OK)
        return false;
    uint8_t *msg = malloc(total);
    bool ok = msg != NULL;
    if (ok) {
        memcpy(msg, header, sizeof(header));
        ok = read_all(ssl, msg + sizeof(header), total - sizeof(header)) &&
             kmip_ttlv_decode(msg, total, NULL, out, NULL) == KMIP_OK;
    }
    free(msg);
    return ok;
}

/* What an answer to the request's first batch item says. */
typedef struct answer_spec {
    uint32_t operation; /* 0: the request's own */
    bool failed;        /* Operation Failed, Invalid Message */
    kmip_item *payload; /* Response Payload (consumed); NULL: empty */
} answer_spec;

/* The encoded answer; free with free(). */
static uint8_t *encode_answer(const kmip_item *request, answer_spec spec,
                              size_t *len)
{
    const kmip_item *batch = kmip_item_find(request, KMIP_TAG_BATCH_ITEM);
    uint32_t asked = 0;
    const uint8_t *id = NULL;
    size_t id_len = 0;
    kmip_get_enum(batch, KMIP_TAG_OPERATION, &asked, NULL);
    kmip_get_bytes(batch, KMIP_TAG_UNIQUE_BATCH_ITEM_ID, &id, &id_len, NULL);

    kmip_item *msg = kmip_item_new_structure(KMIP_TAG_RESPONSE_MESSAGE);
    kmip_item *header = kmip_add_structure(msg, KMIP_TAG_RESPONSE_HEADER);
    kmip_item *version = kmip_add_structure(header, KMIP_TAG_PROTOCOL_VERSION);
    kmip_add_integer(version, KMIP_TAG_PROTOCOL_VERSION_MAJOR, 1);
    kmip_add_integer(version, KMIP_TAG_PROTOCOL_VERSION_MINOR, 2);
    kmip_add_datetime(header, KMIP_TAG_TIME_STAMP, 1700000000);
    kmip_add_integer(header, KMIP_TAG_BATCH_COUNT, 1);
    kmip_item *item = kmip_add_structure(msg, KMIP_TAG_BATCH_ITEM);
    kmip_add_enum(item, KMIP_TAG_OPERATION,
                  spec.operation != 0 ? spec.operation : asked);
    if (id != NULL)
        kmip_add_bytes(item, KMIP_TAG_UNIQUE_BATCH_ITEM_ID, id, id_len);
    if (spec.failed) {
        kmip_item_free(spec.payload);
        kmip_add_enum(item, KMIP_TAG_RESULT_STATUS,
                      KMIP_STATUS_OPERATION_FAILED);
        kmip_add_enum(item, KMIP_TAG_RESULT_REASON,
                      KMIP_RESULT_REASON_INVALID_MESSAGE);
    } else {
        kmip_add_enum(item, KMIP_TAG_RESULT_STATUS, KMIP_STATUS_SUCCESS);
        kmip_item_add(item,
                      spec.payload != NULL
                          ? spec.payload
                          : kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD));
    }

    uint8_t *out = NULL;
    *len = 0;
    kmip_ttlv_encode_alloc(msg, &out, len, NULL);
    kmip_item_free(msg);
    return out;
}

static uint8_t *success_response(const kmip_item *request, uint32_t operation,
                                 size_t *len)
{
    return encode_answer(request, (answer_spec){.operation = operation}, len);
}

static kmip_version request_version(const kmip_item *request)
{
    const kmip_item *header = kmip_item_find(request, KMIP_TAG_REQUEST_HEADER);
    const kmip_item *version =
        kmip_item_find(header, KMIP_TAG_PROTOCOL_VERSION);
    kmip_version v = {0, 0};
    kmip_get_integer(version, KMIP_TAG_PROTOCOL_VERSION_MAJOR, &v.major, NULL);
    kmip_get_integer(version, KMIP_TAG_PROTOCOL_VERSION_MINOR, &v.minor, NULL);
    return v;
}

/* Discover Versions as the version modes answer it; other operations
 * succeed. */
static uint8_t *versions_response(fault_mode mode, const kmip_item *request,
                                  size_t *len)
{
    static const kmip_version offers_1_3[] = {{1, 3}, {1, 2}};
    static const kmip_version up_to_1_2[] = {{1, 2}, {1, 1}, {1, 0}};
    uint32_t operation = 0;
    kmip_get_enum(kmip_item_find(request, KMIP_TAG_BATCH_ITEM),
                  KMIP_TAG_OPERATION, &operation, NULL);
    answer_spec spec = {0};
    if (mode == FAULT_ONLY_UP_TO_1_2 &&
        kmip_version_cmp(request_version(request), KMIP_VERSION(1, 2)) > 0)
        spec.failed = true;
    else if (operation == KMIP_OPERATION_DISCOVER_VERSIONS)
        spec.payload = kmip_discover_versions_response_build(
            KMIP_VERSION(1, 2),
            mode == FAULT_OFFERS_1_3_AND_1_2 ? offers_1_3 : up_to_1_2,
            mode == FAULT_OFFERS_1_3_AND_1_2 ? 2
            : mode == FAULT_ONLY_UP_TO_1_2   ? 3
                                             : 0);
    return encode_answer(request, spec, len);
}

/* Reads until the client closes (or the I/O timeout passes). */
static void wait_for_client_close(SSL *ssl)
{
    uint8_t sink[256];
    size_t n;
    while (SSL_read_ex(ssl, sink, sizeof(sink), &n) == 1)
        ;
}

/* Answers one request as the mode says; false ends the connection. */
static bool answer(fault_mode mode, SSL *ssl, const kmip_item *request,
                   unsigned request_number)
{
    static const uint8_t huge_header[] = {0x42, 0x00, 0x7B, 0x01,
                                          0xFF, 0xFF, 0xFF, 0xF0};
    /* A Response Message holding an item of the undefined type 0xEE. */
    static const uint8_t garbage[] = {
        0x42, 0x00, 0x7B, 0x01, 0x00, 0x00, 0x00, 0x10, 0x42, 0x00, 0x7A, 0xEE,
        0x00, 0x00, 0x00, 0x08, 0,    0,    0,    0,    0,    0,    0,    0};
    size_t len = 0;
    uint8_t *response = NULL;
    bool keep_open = false;
    switch (mode) {
    case FAULT_SLOW_PHASES:
        usleep(FAULT_PHASE_DELAY_MS * 1000);
        /* fall through */
    case FAULT_NONE:
    case FAULT_SLOW_HANDSHAKE:
    case FAULT_TLS13_TICKETS:
        response = success_response(request, 0, &len);
        keep_open = write_all(ssl, response, len);
        break;
    case FAULT_OFFERS_1_3_AND_1_2:
    case FAULT_ONLY_UP_TO_1_2:
    case FAULT_NO_COMMON_VERSION:
        response = versions_response(mode, request, &len);
        keep_open = write_all(ssl, response, len);
        break;
    case FAULT_DROP_SECOND_REQUEST:
        if (request_number == 1) {
            response = success_response(request, 0, &len);
            keep_open = write_all(ssl, response, len);
        }
        break;
    case FAULT_WRONG_OPERATION:
        response = success_response(request, KMIP_OPERATION_CREATE, &len);
        keep_open = write_all(ssl, response, len);
        break;
    case FAULT_CLOSE_MID_RESPONSE:
        response = success_response(request, 0, &len);
        write_all(ssl, response, len / 2);
        break;
    case FAULT_HUGE_LENGTH:
        write_all(ssl, huge_header, sizeof(huge_header));
        wait_for_client_close(ssl);
        break;
    case FAULT_GARBAGE:
        write_all(ssl, garbage, sizeof(garbage));
        wait_for_client_close(ssl);
        break;
    case FAULT_CLOSE_WHEN_IDLE:
        response = success_response(request, 0, &len);
        if (write_all(ssl, response, len))
            SSL_shutdown(ssl);
        break;
    case FAULT_NEVER_ANSWER:
        wait_for_client_close(ssl);
        break;
    }
    free(response);
    return keep_open;
}

/* ---- Threads ---- */

/* One more connection in its handshake (from accept to SSL_accept). */
static void note_handshake(fault_server *server)
{
    unsigned now = atomic_fetch_add(&server->handshaking, 1) + 1;
    unsigned most = atomic_load(&server->most_handshaking);
    while (now > most &&
           !atomic_compare_exchange_weak(&server->most_handshaking, &most, now))
        ;
}

static void *serve_connection(void *arg)
{
    connection *conn = arg;
    fault_server *server = conn->server;
    note_handshake(server);
    fault_mode mode = atomic_load(&server->mode);
    if (mode == FAULT_SLOW_PHASES || mode == FAULT_SLOW_HANDSHAKE)
        usleep((mode == FAULT_SLOW_PHASES ? FAULT_PHASE_DELAY_MS
                                          : FAULT_HANDSHAKE_DELAY_MS) *
               1000);
    SSL *ssl = SSL_new(server->ctx);
    bool accepted =
        ssl != NULL && SSL_set_fd(ssl, conn->fd) == 1 && SSL_accept(ssl) == 1;
    atomic_fetch_sub(&server->handshaking, 1);
    if (accepted) {
        atomic_fetch_add(&server->connections, 1);
        if (SSL_session_reused(ssl))
            atomic_fetch_add(&server->resumptions, 1);
        kmip_item *request = NULL;
        unsigned request_number = 0;
        while (read_request(ssl, &request)) {
            bool keep_open = answer(atomic_load(&server->mode), ssl, request,
                                    ++request_number);
            kmip_item_free(request);
            request = NULL;
            if (!keep_open)
                break;
        }
    }
    SSL_free(ssl); /* no close_notify: closing is part of the faults */
    ERR_clear_error();
    pthread_mutex_lock(&server->lock);
    int fd = conn->fd;
    conn->fd = -1;
    pthread_mutex_unlock(&server->lock);
    close(fd);
    atomic_fetch_add(&server->closed, 1);
    return NULL;
}

static void start_connection(fault_server *server, int fd)
{
    struct timeval timeout = {.tv_sec = IO_TIMEOUT_S};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    pthread_mutex_lock(&server->lock);
    connection *conn = server->conn_count < MAX_CONNECTIONS
                           ? &server->conns[server->conn_count]
                           : NULL;
    if (conn != NULL) {
        conn->fd = fd;
        conn->server = server;
        if (pthread_create(&conn->thread, NULL, serve_connection, conn) == 0)
            server->conn_count++;
        else
            conn = NULL;
    }
    pthread_mutex_unlock(&server->lock);
    if (conn == NULL)
        close(fd);
}

static void *accept_loop(void *arg)
{
    fault_server *server = arg;
    while (!atomic_load(&server->stopping)) {
        struct pollfd pfd = {.fd = server->listen_fd, .events = POLLIN};
        if (poll(&pfd, 1, 50) <= 0)
            continue;
        int fd = accept(server->listen_fd, NULL, NULL);
        if (fd >= 0)
            start_connection(server, fd);
    }
    return NULL;
}

/* ---- Setup ---- */

static SSL_CTX *server_ctx(const char *cert, const char *key,
                           const char *client_ca, int tls_version)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, tls_version) ||
        !SSL_CTX_set_max_proto_version(ctx, tls_version) ||
        SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_load_verify_locations(ctx, client_ca, NULL) != 1) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);
    static const unsigned char session_context[] = "fault_server";
    SSL_CTX_set_session_id_context(ctx, session_context,
                                   sizeof(session_context) - 1);
    return ctx;
}

static int listen_loopback(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addr_len = sizeof(addr);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &addr_len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

fault_server *fault_server_start(const char *cert, const char *key,
                                 const char *client_ca, fault_mode mode)
{
    /* A client gone before an alert is written is one of the faults. */
    signal(SIGPIPE, SIG_IGN);
    fault_server *server = calloc(1, sizeof(*server));
    assert_non_null(server);
    atomic_init(&server->mode, mode);
    server->ctx = server_ctx(cert, key, client_ca,
                             mode == FAULT_TLS13_TICKETS ? TLS1_3_VERSION
                                                         : TLS1_2_VERSION);
    if (server->ctx == NULL)
        fail_msg("fault server: cannot load %s / %s / %s", cert, key,
                 client_ca);
    uint16_t port = 0;
    server->listen_fd = listen_loopback(&port);
    assert_true(server->listen_fd >= 0);
    snprintf(server->address, sizeof(server->address), "127.0.0.1:%u",
             (unsigned)port);
    atomic_init(&server->stopping, false);
    atomic_init(&server->connections, 0);
    atomic_init(&server->resumptions, 0);
    atomic_init(&server->handshaking, 0);
    atomic_init(&server->most_handshaking, 0);
    atomic_init(&server->closed, 0);
    pthread_mutex_init(&server->lock, NULL);
    assert_int_equal(
        pthread_create(&server->accept_thread, NULL, accept_loop, server), 0);
    return server;
}

void fault_server_set_mode(fault_server *server, fault_mode mode)
{
    atomic_store(&server->mode, mode);
}

const char *fault_server_address(const fault_server *server)
{
    return server->address;
}

unsigned fault_server_connections(const fault_server *server)
{
    return atomic_load(&((fault_server *)server)->connections);
}

unsigned fault_server_most_handshakes(const fault_server *server)
{
    return atomic_load(&((fault_server *)server)->most_handshaking);
}

unsigned fault_server_resumptions(const fault_server *server)
{
    return atomic_load(&((fault_server *)server)->resumptions);
}

bool fault_server_wait_closed(fault_server *server, unsigned count)
{
    for (int waited_ms = 0; waited_ms < 2000; waited_ms += 10) {
        if (atomic_load(&server->closed) >= count)
            return true;
        usleep(10 * 1000);
    }
    return false;
}

void fault_server_stop(fault_server *server)
{
    if (server == NULL)
        return;
    atomic_store(&server->stopping, true);
    pthread_join(server->accept_thread, NULL);
    close(server->listen_fd);
    pthread_mutex_lock(&server->lock);
    size_t count = server->conn_count;
    for (size_t i = 0; i < count; i++)
        if (server->conns[i].fd >= 0)
            shutdown(server->conns[i].fd, SHUT_RDWR);
    pthread_mutex_unlock(&server->lock);
    for (size_t i = 0; i < count; i++)
        pthread_join(server->conns[i].thread, NULL);
    pthread_mutex_destroy(&server->lock);
    SSL_CTX_free(server->ctx);
    free(server);
}

int fault_silent_listener(char *buf, size_t len)
{
    uint16_t port = 0;
    int fd = listen_loopback(&port);
    assert_true(fd >= 0);
    snprintf(buf, len, "127.0.0.1:%u", (unsigned)port);
    return fd;
}

void fault_closed_address(char *buf, size_t len)
{
    uint16_t port = 0;
    int fd = listen_loopback(&port);
    assert_true(fd >= 0);
    close(fd);
    snprintf(buf, len, "127.0.0.1:%u", (unsigned)port);
}
