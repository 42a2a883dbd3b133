// SPDX-License-Identifier: Apache-2.0
/* A TCP proxy on 127.0.0.1 that adds a round-trip time: every byte is
 * held RTT/2 in each direction, as a link of that latency (and unlimited
 * bandwidth) would. For benchmarks against a KMIP server "far away".
 *
 * Usage: delay_proxy -t 127.0.0.1:PORT -d RTT_MS [-l LISTEN_PORT]
 *   Prints "listening 127.0.0.1:PORT" once it accepts connections, then
 *   serves until killed. Each connection gets one to the target and two
 *   threads per direction (a reader that stamps each chunk, a writer that
 *   sends it when due). */
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
#include <time.h>
#include <unistd.h>

#include "bench_threads.h"

#define CHUNK 16384

typedef struct chunk {
    struct chunk *next;
    double due; /* bench_now() when it may be written */
    size_t len; /* 0: end of stream */
    char data[CHUNK];
} chunk;

/* One direction: from -> to, chunks queued in between. */
typedef struct pipe_dir {
    int from, to;
    double delay_s;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    chunk *head, *tail;
} pipe_dir;

static void enqueue(pipe_dir *p, chunk *c)
{
    pthread_mutex_lock(&p->lock);
    if (p->tail != NULL)
        p->tail->next = c;
    else
        p->head = c;
    p->tail = c;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}

static chunk *dequeue(pipe_dir *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->head == NULL)
        pthread_cond_wait(&p->ready, &p->lock);
    chunk *c = p->head;
    p->head = c->next;
    if (p->head == NULL)
        p->tail = NULL;
    pthread_mutex_unlock(&p->lock);
    return c;
}

static void *read_side(void *arg)
{
    pipe_dir *p = arg;
    for (;;) {
        chunk *c = calloc(1, sizeof(*c));
        if (c == NULL)
            abort();
        ssize_t n = recv(p->from, c->data, sizeof(c->data), 0);
        c->len = n > 0 ? (size_t)n : 0;
        c->due = bench_now() + p->delay_s;
        enqueue(p, c);
        if (n <= 0)
            return NULL;
    }
}

static void sleep_until(double due)
{
    double left = due - bench_now();
    if (left <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)left};
    ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

static bool send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

static void *write_side(void *arg)
{
    pipe_dir *p = arg;
    for (;;) {
        chunk *c = dequeue(p);
        sleep_until(c->due);
        bool more = c->len > 0 && send_all(p->to, c->data, c->len);
        free(c);
        if (!more) {
            shutdown(p->to, SHUT_WR);
            return NULL;
        }
    }
}

typedef struct session {
    pipe_dir up, down;
} session;

static void pipe_init(pipe_dir *p, int from, int to, double delay_s)
{
    *p = (pipe_dir){.from = from, .to = to, .delay_s = delay_s};
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->ready, NULL);
}

/* Runs both directions of one connection to their ends, then closes. */
static void *relay(void *arg)
{
    session *s = arg;
    pthread_t threads[4];
    pthread_create(&threads[0], NULL, read_side, &s->up);
    pthread_create(&threads[1], NULL, write_side, &s->up);
    pthread_create(&threads[2], NULL, read_side, &s->down);
    pthread_create(&threads[3], NULL, write_side, &s->down);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    close(s->up.from);
    close(s->up.to);
    free(s);
    return NULL;
}

static int tcp_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static void proxy(int client, const struct sockaddr_in *target, double delay_s)
{
    int server = tcp_socket();
    session *s = malloc(sizeof(*s));
    pthread_t thread;
    int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (server < 0 || s == NULL ||
        connect(server, (const struct sockaddr *)target, sizeof(*target)) !=
            0) {
        if (server >= 0)
            close(server);
        close(client);
        free(s);
        return;
    }
    pipe_init(&s->up, client, server, delay_s);
    pipe_init(&s->down, server, client, delay_s);
    if (pthread_create(&thread, NULL, relay, s) == 0)
        pthread_detach(thread);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: delay_proxy -t 127.0.0.1:PORT -d RTT_MS [-l PORT]\n");
    exit(2);
}

static void parse_options(int argc, char **argv, struct sockaddr_in *target,
                          struct sockaddr_in *listen_addr, double *rtt_ms)
{
    char host[64];
    unsigned port = 0;
    int c;
    while ((c = getopt(argc, argv, "t:d:l:")) != -1) {
        if (c == 't' && sscanf(optarg, "%63[^:]:%u", host, &port) == 2 &&
            inet_pton(AF_INET, host, &target->sin_addr) == 1 && port > 0 &&
            port < 65536)
            target->sin_port = htons((uint16_t)port);
        else if (c == 'd')
            *rtt_ms = atof(optarg);
        else if (c == 'l')
            listen_addr->sin_port = htons((uint16_t)atoi(optarg));
        else
            usage();
    }
    if (target->sin_port == 0 || *rtt_ms < 0)
        usage();
}

/* A socket listening on addr (its port filled in when 0). */
static int listen_loopback(struct sockaddr_in *addr)
{
    int listener = tcp_socket();
    socklen_t len = sizeof(*addr);
    if (listener < 0 ||
        bind(listener, (struct sockaddr *)addr, sizeof(*addr)) != 0 ||
        listen(listener, 128) != 0 ||
        getsockname(listener, (struct sockaddr *)addr, &len) != 0) {
        perror("delay_proxy");
        exit(1);
    }
    return listener;
}

int main(int argc, char **argv)
{
    struct sockaddr_in target = {.sin_family = AF_INET};
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    double rtt_ms = -1;
    parse_options(argc, argv, &target, &addr, &rtt_ms);
    signal(SIGPIPE, SIG_IGN);
    int listener = listen_loopback(&addr);
    printf("listening 127.0.0.1:%u\n", (unsigned)ntohs(addr.sin_port));
    fflush(stdout);
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client >= 0)
            proxy(client, &target, rtt_ms / 2000.0);
    }
}
