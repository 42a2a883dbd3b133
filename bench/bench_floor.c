// SPDX-License-Identifier: Apache-2.0
/* The round-trip floor: TLS 1.3 request/response exchanges of KMIP-like
 * sizes between two processes over loopback, with no KMIP in them. What a
 * KMIP signature costs above this is the server's and the client's work.
 *
 * Usage: bench_floor [-j THREADS] [-s SECONDS] [-q REQUEST_BYTES]
 *                    [-r RESPONSE_BYTES] [-a 127.0.0.1:PORT]
 *        bench_floor -l PORT      (a server only, until killed)
 *   Without -a, a server process is forked on an ephemeral port. With -a,
 *   the clients connect there (a bench_floor -l, maybe behind a delay
 *   proxy). Defaults: 1 thread, 3 s, 256-byte requests (a KMIP Sign of a
 *   SHA-256 digest), 224-byte responses (its answer with a P-256
 *   signature). Each thread keeps one connection; the rate is measured
 *   once every thread has made its connection and one exchange (cold_ms
 *   says how long that took). Prints "round_trips N failed F seconds T
 *   per_second R cold_ms C". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "bench_threads.h"

#define MAX_MESSAGE 65536

typedef struct options {
    int threads;
    double seconds;
    size_t request, response;
    struct sockaddr_in server;
} options;

typedef struct run {
    const options *opt;
    SSL_CTX *ctx;
    bench_window window;
    bench_counts counts;
} run;

/* ---- The server ---- */

/* A server context with a fresh self-signed P-256 certificate. */
static SSL_CTX *server_ctx(void)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    bool ok =
        key != NULL && cert != NULL && ctx != NULL &&
        X509_set_version(cert, X509_VERSION_3) &&
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) &&
        X509_gmtime_adj(X509_getm_notBefore(cert), 0) &&
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400) &&
        X509_set_pubkey(cert, key) && X509_sign(cert, key, EVP_sha256()) &&
        SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) &&
        SSL_CTX_use_certificate(ctx, cert) && SSL_CTX_use_PrivateKey(ctx, key);
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

typedef struct server_conn {
    SSL_CTX *ctx;
    int fd;
    const options *opt;
} server_conn;

static bool read_all(SSL *ssl, unsigned char *buf, size_t len)
{
    size_t got = 0, n;
    while (got < len) {
        if (SSL_read_ex(ssl, buf + got, len - got, &n) != 1)
            return false;
        got += n;
    }
    return true;
}

static void *serve_conn(void *arg)
{
    server_conn *conn = arg;
    static unsigned char response[MAX_MESSAGE];
    unsigned char request[MAX_MESSAGE];
    SSL *ssl = SSL_new(conn->ctx);
    size_t n;
    if (ssl != NULL && SSL_set_fd(ssl, conn->fd) == 1 && SSL_accept(ssl) == 1)
        while (read_all(ssl, request, conn->opt->request) &&
               SSL_write_ex(ssl, response, conn->opt->response, &n) == 1)
            ;
    SSL_free(ssl);
    close(conn->fd);
    free(conn);
    return NULL;
}

static int serve(int listen_fd, const options *opt)
{
    SSL_CTX *ctx = server_ctx();
    if (ctx == NULL) {
        fprintf(stderr, "bench_floor: cannot make the server context\n");
        return 1;
    }
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        server_conn *conn = fd >= 0 ? malloc(sizeof(*conn)) : NULL;
        pthread_t thread;
        if (conn == NULL) {
            if (fd >= 0)
                close(fd);
            continue;
        }
        *conn = (server_conn){.ctx = ctx, .fd = fd, .opt = opt};
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (pthread_create(&thread, NULL, serve_conn, conn) == 0)
            pthread_detach(thread);
        else
            serve_conn(conn);
    }
}

/* A socket listening on 127.0.0.1:port (0: any free one, put in *port). */
static int listen_on(uint16_t *port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons(*port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(fd, 128) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        perror("bench_floor: listen");
        exit(1);
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* ---- The clients ---- */

static SSL *client_connect(run *r)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    SSL *ssl = NULL;
    if (fd < 0)
        return NULL;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (const struct sockaddr *)&r->opt->server,
                sizeof(r->opt->server)) == 0)
        ssl = SSL_new(r->ctx);
    if (ssl != NULL && SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1)
        return ssl;
    SSL_free(ssl);
    close(fd);
    return NULL;
}

static bool exchange(run *r, SSL *ssl, unsigned char *request,
                     unsigned char *response)
{
    size_t n;
    return SSL_write_ex(ssl, request, r->opt->request, &n) == 1 &&
           read_all(ssl, response, r->opt->response);
}

static void *exchange_until_deadline(void *arg)
{
    run *r = arg;
    unsigned char request[MAX_MESSAGE] = {0}, response[MAX_MESSAGE];
    SSL *ssl = client_connect(r);
    bool ok = ssl != NULL && exchange(r, ssl, request, response);
    double deadline = bench_window_open(&r->window);
    while (ok && bench_now() < deadline) {
        ok = exchange(r, ssl, request, response);
        if (ok)
            atomic_fetch_add(&r->counts.done, 1);
    }
    if (!ok)
        atomic_fetch_add(&r->counts.failed, 1);
    if (ssl != NULL) {
        int fd = SSL_get_fd(ssl);
        SSL_free(ssl);
        close(fd);
    }
    return NULL;
}

static int measure(const options *opt)
{
    run r = {.opt = opt, .ctx = SSL_CTX_new(TLS_client_method())};
    if (r.ctx == NULL || !SSL_CTX_set_min_proto_version(r.ctx, TLS1_3_VERSION))
        return 1;
    bench_window_init(&r.window, opt->seconds);
    int rc = bench_run_threads(opt->threads, exchange_until_deadline, &r,
                               &r.counts, &r.window, "round_trips");
    SSL_CTX_free(r.ctx);
    return rc;
}

/* ---- Options ---- */

static bool parse_address(const char *text, struct sockaddr_in *out)
{
    char host[64];
    unsigned port;
    if (sscanf(text, "%63[^:]:%u", host, &port) != 2 || port == 0 ||
        port > 65535)
        return false;
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &out->sin_addr) == 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_floor [-j THREADS] [-s SECONDS] "
                    "[-q BYTES] [-r BYTES] [-a HOST:PORT] | -l PORT\n");
    exit(2);
}

static size_t message_size(const char *text)
{
    long value = atol(text);
    if (value < 1 || value > MAX_MESSAGE)
        usage();
    return (size_t)value;
}

/* The options; *listen_port is -1 without -l, and opt->server stays
 * zero without -a. */
static void parse_options(int argc, char **argv, options *opt,
                          long *listen_port)
{
    int c;
    while ((c = getopt(argc, argv, "j:s:q:r:a:l:")) != -1) {
        if (c == 'j')
            opt->threads = atoi(optarg);
        else if (c == 's')
            opt->seconds = atof(optarg);
        else if (c == 'q')
            opt->request = message_size(optarg);
        else if (c == 'r')
            opt->response = message_size(optarg);
        else if (c == 'a' && parse_address(optarg, &opt->server))
            continue;
        else if (c == 'l')
            *listen_port = atol(optarg);
        else
            usage();
    }
    if (opt->threads < 1 || opt->seconds <= 0 || *listen_port > 65535)
        usage();
}

/* Measures against a server process of our own. */
static int measure_with_own_server(options *opt)
{
    uint16_t port = 0;
    int listen_fd = listen_on(&port);
    pid_t server = fork();
    if (server < 0)
        return 1;
    if (server == 0)
        _exit(serve(listen_fd, opt));
    close(listen_fd);
    parse_address("127.0.0.1:1", &opt->server);
    opt->server.sin_port = htons(port);
    int rc = measure(opt);
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    return rc;
}

int main(int argc, char **argv)
{
    options opt = {.threads = 1, .seconds = 3, .request = 256, .response = 224};
    long listen_port = -1;
    parse_options(argc, argv, &opt, &listen_port);
    signal(SIGPIPE, SIG_IGN);
    if (listen_port >= 0) {
        uint16_t port = (uint16_t)listen_port;
        return serve(listen_on(&port), &opt);
    }
    return opt.server.sin_port != 0 ? measure(&opt)
                                    : measure_with_own_server(&opt);
}
