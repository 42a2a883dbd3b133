/* SPDX-License-Identifier: Apache-2.0 */
/* Full TLS handshakes against an HTTPS server: THREADS connections at a
 * time, each a new TCP connection and a new TLS session (no resumption, no
 * tickets) that verifies the server's chain and name, sends GET / and
 * reads the whole response, which must be HTTP 200.
 *
 * Usage: bench_handshakes -a HOST:PORT -C CA_FILE [-n NUMBER | -s SECONDS]
 *                         [-j THREADS] [-t TLS_VERSION]
 *   -n  stop after NUMBER handshakes in all (default 1000)
 *   -s  count the handshakes of SECONDS instead, once every thread has
 *       made one (the server's own first connections, to a KMIP server
 *       say, are then open: cold_ms says how long that took)
 *   -t  1.2 or 1.3 (default: negotiate)
 * Prints "handshakes N failed F seconds T per_second R" (and "cold_ms C"
 * with -s). Exits with 0 when
 * no handshake failed, 1 otherwise; every failure is printed to stderr. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench_threads.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_THREADS 256
#define IO_TIMEOUT_S 10

typedef struct run {
    SSL_CTX *ctx;
    struct sockaddr_in addr;
    long limit; /* handshakes to start in all, without a window */
    bench_window window;
    atomic_long started;
    bench_counts counts;
} run;

static int connect_tcp(const struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {.tv_sec = IO_TIMEOUT_S};
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads the response to its end; true when it is an HTTP 200. */
static bool read_ok_response(SSL *ssl)
{
    char buf[4096];
    size_t len = 0;
    int n;
    while (len < sizeof(buf) - 1 &&
           (n = SSL_read(ssl, buf + len, (int)(sizeof(buf) - 1 - len))) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    return strncmp(buf, "HTTP/1.1 200", 12) == 0 ||
           strncmp(buf, "HTTP/1.0 200", 12) == 0;
}

/* One connection, one full handshake, one request. */
static bool handshake_once(const run *r, const char **why)
{
    static const char request[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
    bool ok = false;
    int fd = connect_tcp(&r->addr);
    if (fd < 0) {
        *why = "connect";
        return false;
    }
    SSL *ssl = SSL_new(r->ctx);
    if (ssl == NULL || SSL_set_fd(ssl, fd) != 1 ||
        SSL_set_tlsext_host_name(ssl, "localhost") != 1 ||
        SSL_set1_host(ssl, "localhost") != 1)
        *why = "setup";
    else if (SSL_connect(ssl) != 1)
        *why = "handshake";
    else if (SSL_session_reused(ssl))
        *why = "session resumed";
    else if (SSL_write(ssl, request, sizeof(request) - 1) !=
             (int)sizeof(request) - 1)
        *why = "write";
    else if (!read_ok_response(ssl))
        *why = "response";
    else
        ok = true;
    if (ok)
        SSL_shutdown(ssl);
    SSL_free(ssl);
    close(fd);
    return ok;
}

/* One handshake; a failure is counted and said, a success counted when
 * it is in the measured window. */
static void attempt(void *arg, bool counted)
{
    run *r = arg;
    const char *why = NULL;
    if (handshake_once(r, &why)) {
        if (counted)
            atomic_fetch_add(&r->counts.done, 1);
        return;
    }
    atomic_fetch_add(&r->counts.failed, 1);
    unsigned long err = ERR_get_error();
    fprintf(stderr, "handshake failed: %s: %s\n", why,
            err != 0 ? ERR_reason_error_string(err) : "-");
    ERR_clear_error();
}

static void *client_thread(void *arg)
{
    run *r = arg;
    bench_work(&r->window, &r->started, r->limit, attempt, r);
    ERR_clear_error();
    return NULL;
}

static SSL_CTX *client_ctx(const char *ca_file, const char *version)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL)
        return NULL;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    int v = 0;
    if (version != NULL)
        v = strcmp(version, "1.3") == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1 ||
        (v != 0 && (SSL_CTX_set_min_proto_version(ctx, v) != 1 ||
                    SSL_CTX_set_max_proto_version(ctx, v) != 1))) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static bool parse_address(const char *text, struct sockaddr_in *addr)
{
    char host[64];
    const char *colon = strrchr(text, ':');
    if (colon == NULL || (size_t)(colon - text) >= sizeof(host))
        return false;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)atoi(colon + 1));
    return inet_pton(AF_INET, host, &addr->sin_addr) == 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_handshakes -a HOST:PORT -C CA_FILE "
                    "[-n NUMBER | -s SECONDS] [-j THREADS] [-t 1.2|1.3]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *address = NULL, *ca_file = NULL, *version = NULL;
    long number = 1000;
    double seconds = 0;
    int threads = 4, opt;
    while ((opt = getopt(argc, argv, "a:C:n:s:j:t:")) != -1) {
        switch (opt) {
        case 'a':
            address = optarg;
            break;
        case 'C':
            ca_file = optarg;
            break;
        case 'n':
            number = atol(optarg);
            break;
        case 's':
            seconds = atof(optarg);
            break;
        case 'j':
            threads = atoi(optarg);
            break;
        case 't':
            version = optarg;
            break;
        default:
            return usage();
        }
    }
    run r = {.limit = number};
    if (address == NULL || ca_file == NULL || threads < 1 ||
        threads > MAX_THREADS || number < 1 || seconds < 0 ||
        !parse_address(address, &r.addr))
        return usage();
    r.ctx = client_ctx(ca_file, version);
    if (r.ctx == NULL) {
        fprintf(stderr, "bench_handshakes: cannot set up TLS with %s\n",
                ca_file);
        return 2;
    }
    bench_window_init(&r.window, seconds);
    int status = bench_run_threads(threads, client_thread, &r, &r.counts,
                                   &r.window, "handshakes");
    SSL_CTX_free(r.ctx);
    return status;
}
