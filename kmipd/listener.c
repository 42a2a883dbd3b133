/* SPDX-License-Identifier: Apache-2.0 */
/* The listening socket: accepts connections and gives each a thread; the
 * TLS handshake runs within the budget of kmipd/handshakes.h. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kmipd/handshakes.h"
#include "kmipd/streams.h"
#include "kmipd/log.h"
#include "kmipd/server.h"

/* How often blocked loops look at server->stopping. */
#define LISTEN_POLL_MS 200
/* How long a stopping server waits for its connections, and how often it
 * looks. */
#define STOP_GRACE_MS 3000
#define STOP_TICK_MS 10

static int listen_socket(const kmipd_config *config)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *addrs = NULL;
    int rc =
        getaddrinfo(config->listen_host, config->listen_port, &hints, &addrs);
    if (rc != 0) {
        kmipd_log(KMIPD_LOG_ERROR, "listen %s:%s: %s", config->listen_host,
                  config->listen_port, gai_strerror(rc));
        return -1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *a = addrs; a != NULL && fd < 0; a = a->ai_next) {
        fd =
            socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 128) != 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(addrs);
    if (fd < 0)
        kmipd_log(KMIPD_LOG_ERROR, "listen %s:%s: %s", config->listen_host,
                  config->listen_port, strerror(err));
    return fd;
}

typedef struct connection_start {
    kmipd_server *server;
    int fd;
    uint64_t handshake;
} connection_start;

static void *connection_thread(void *arg)
{
    connection_start start = *(connection_start *)arg;
    free(arg);
    kmipd_connection_serve(start.server, start.fd, start.handshake);
    atomic_fetch_sub(&start.server->threads, 1);
    return NULL;
}

/* Serves fd on a new thread; false (fd untouched) when there is none. */
static bool start_thread(kmipd_server *server, int fd, const char *peer)
{
    connection_start *start = malloc(sizeof(*start));
    if (start == NULL)
        return false;
    *start = (connection_start){.server = server, .fd = fd};
    start->handshake = kmipd_handshakes_enter(server->handshakes, fd, peer);
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    bool started =
        pthread_create(&thread, &attr, connection_thread, start) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        kmipd_handshakes_leave(server->handshakes, start->handshake);
        free(start);
    }
    return started;
}

/* Threads are bounded too: the authenticated connections, the handshakes
 * and as many cut handshakes still ending. */
static bool threads_full(const kmipd_server *server)
{
    const kmipd_config *config = server->config;
    return atomic_load(&server->threads) >=
           config->max_connections + 2u * config->max_handshakes;
}

/* Each answer goes out at once. With Nagle's algorithm the first answer
 * on a connection waited behind the unacknowledged session tickets for the
 * client's delayed ACK: 40 ms. */
static void send_at_once(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void accept_one(kmipd_server *server)
{
    struct sockaddr_storage addr;
    socklen_t addr_len = sizeof(addr);
    int fd = accept4(server->listen_fd, (struct sockaddr *)&addr, &addr_len,
                     SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
            return;
        kmipd_log(KMIPD_LOG_WARN, "accept: %s", strerror(errno));
        /* Out of descriptors or memory: the pending connection stays
         * pending, so pause rather than spin on it. */
        struct timespec pause = {.tv_nsec = LISTEN_POLL_MS * 1000000L};
        nanosleep(&pause, NULL);
        return;
    }
    send_at_once(fd);
    char peer[48] = "?";
    getnameinfo((struct sockaddr *)&addr, addr_len, peer, sizeof(peer), NULL, 0,
                NI_NUMERICHOST);
    if (threads_full(server)) {
        kmipd_log(KMIPD_LOG_WARN, "%s: refused: %u connection threads", peer,
                  atomic_load(&server->threads));
        close(fd);
        return;
    }
    atomic_fetch_add(&server->threads, 1);
    if (!start_thread(server, fd, peer)) {
        kmipd_log(KMIPD_LOG_ERROR, "no thread for a new connection");
        close(fd);
        atomic_fetch_sub(&server->threads, 1);
    }
}

/* Every connection notices server->stopping within one poll interval and
 * every wait it does is bounded, so this normally ends at once. A thread
 * still busy after STOP_GRACE_MS (a handler stuck in the store, say) is
 * abandoned: the caller then leaves the store, the TLS context and the log
 * open and exits without freeing them. */
static void wait_for_connections(kmipd_server *server)
{
    struct timespec tick = {.tv_nsec = STOP_TICK_MS * 1000000L};
    for (int waited = 0; atomic_load(&server->threads) > 0;
         waited += STOP_TICK_MS) {
        if (waited >= STOP_GRACE_MS) {
            kmipd_log(KMIPD_LOG_WARN,
                      "stopping: abandoning %u connections still open",
                      atomic_load(&server->threads));
            return;
        }
        nanosleep(&tick, NULL);
    }
}

/* Frees what kmipd_listen set up for the connections. */
static void listen_end(kmipd_server *server)
{
    kmipd_handshakes_free(server->handshakes);
    server->handshakes = NULL;
    kmipd_streams_free(server->streams);
    server->streams = NULL;
    kmipd_budget_destroy(&server->buffered);
}

bool kmipd_listen(kmipd_server *server)
{
    kmipd_budget_init(&server->buffered, server->config->max_buffered);
    server->handshakes =
        kmipd_handshakes_new(server->config->max_handshakes,
                             server->config->max_handshakes_per_peer);
    const kmipd_config *config = server->config;
    server->streams = kmipd_streams_new(config->max_streams_per_client,
                                        config->max_streams_per_client *
                                            config->max_connections,
                                        config->stream_timeout_ms);
    server->listen_fd = server->handshakes != NULL && server->streams != NULL
                            ? listen_socket(server->config)
                            : -1;
    if (server->listen_fd < 0) {
        listen_end(server);
        return false;
    }
    kmipd_log(KMIPD_LOG_INFO, "listening on %s:%s (pid %ld)",
              server->config->listen_host, server->config->listen_port,
              (long)getpid());
    while (!atomic_load(&server->stopping)) {
        struct pollfd pfd = {.fd = server->listen_fd, .events = POLLIN};
        if (poll(&pfd, 1, LISTEN_POLL_MS) > 0)
            accept_one(server);
    }
    close(server->listen_fd);
    server->listen_fd = -1;
    wait_for_connections(server);
    if (atomic_load(&server->threads) == 0)
        listen_end(server);
    return true;
}
