// SPDX-License-Identifier: Apache-2.0
/* A TCP proxy on 127.0.0.1 that adds a round-trip time: every byte is
 * held RTT/2 in each direction, as a link of that latency (and unlimited
 * bandwidth) would. For benchmarks against a KMIP server "far away".
 *
 * Usage: delay_proxy -t 127.0.0.1:PORT -d RTT_MS [-l LISTEN_PORT]
 *        delay_proxy -b [-l LISTEN_PORT]
 *   Prints "listening 127.0.0.1:PORT" once it accepts connections, then
 *   serves until killed; on SIGTERM or SIGINT it prints "late_us_mean M
 *   late_us_max X chunks N": how long after their due time the chunks
 *   went out, the delay it added beyond the RTT. Each connection gets one to
 * the target and a thread per direction. With -b it is a black hole: it accepts
 *   connections and holds them open, never reading or answering (a server
 *   that stopped answering). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_threads.h"

#define CHUNK 16384

/* How late the chunks went out after they were due: the delay the proxy
 * adds beyond the RTT (printed when it is terminated). */
static _Atomic double late_sum_s, late_max_s;
static atomic_long late_count;

static void note_lateness(double late)
{
    double sum = atomic_load(&late_sum_s), max = atomic_load(&late_max_s);
    while (!atomic_compare_exchange_weak(&late_sum_s, &sum, sum + late))
        ;
    while (late > max && !atomic_compare_exchange_weak(&late_max_s, &max, late))
        ;
    atomic_fetch_add(&late_count, 1);
}

typedef struct chunk {
    struct chunk *next;
    double due; /* bench_now() when it may be written */
    size_t len;
    char data[CHUNK];
} chunk;

/* One direction: from -> to, with the chunks read and not yet due. One
 * thread reads and writes it, waiting in ppoll until the next chunk is
 * due or more data comes: no hand-off between threads on the way. */
typedef struct pipe_dir {
    int from, to;
    double delay_s;
    chunk *head, *tail;
    bool ended; /* from reached its end */
} pipe_dir;

/* When the kernel received the data of msg (SO_TIMESTAMPNS), on
 * bench_now()'s clock: a proxy thread that wakes up late does not add its
 * lateness to the delay. */
static double arrival(struct msghdr *msg)
{
    double now = bench_now();
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL;
         c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
            continue;
        struct timespec at, real;
        memcpy(&at, CMSG_DATA(c), sizeof(at));
        clock_gettime(CLOCK_REALTIME, &real);
        double late = (double)(real.tv_sec - at.tv_sec) +
                      (double)(real.tv_nsec - at.tv_nsec) / 1e9;
        return late > 0 ? now - late : now;
    }
    return now;
}

/* Reads what from has into a new chunk at the tail; false at the end of
 * the stream (or an error). */
static bool read_chunk(pipe_dir *p)
{
    chunk *c = malloc(sizeof(*c)); /* not calloc: 16 KiB zeroed per read */
    if (c == NULL)
        abort();
    c->next = NULL;
    char control[CMSG_SPACE(sizeof(struct timespec))];
    struct iovec iov = {.iov_base = c->data, .iov_len = sizeof(c->data)};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control,
                         .msg_controllen = sizeof(control)};
    ssize_t n = recvmsg(p->from, &msg, 0);
    if (n <= 0) {
        free(c);
        return false;
    }
    c->len = (size_t)n;
    c->due = arrival(&msg) + p->delay_s;
    if (p->tail != NULL)
        p->tail->next = c;
    else
        p->head = c;
    p->tail = c;
    return true;
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

/* Sends the chunks that are due; false when to is gone. */
static bool send_due(pipe_dir *p)
{
    double now;
    while (p->head != NULL && p->head->due <= (now = bench_now())) {
        chunk *c = p->head;
        note_lateness(now - c->due);
        p->head = c->next;
        if (p->head == NULL)
            p->tail = NULL;
        bool sent = send_all(p->to, c->data, c->len);
        free(c);
        if (!sent)
            return false;
    }
    return true;
}

/* Waits until from has data (unless it ended) or the next chunk is due. */
static bool wait_input(pipe_dir *p)
{
    struct pollfd pfd = {.fd = p->ended ? -1 : p->from, .events = POLLIN};
    struct timespec left = {0, 0};
    if (p->head != NULL) {
        double wait = p->head->due - bench_now();
        wait = wait > 0 ? wait : 0;
        left.tv_sec = (time_t)wait;
        left.tv_nsec = (long)((wait - (double)left.tv_sec) * 1e9);
    }
    return ppoll(&pfd, 1, p->head != NULL ? &left : NULL, NULL) > 0;
}

static void *pump(void *arg)
{
    pipe_dir *p = arg;
    while (!p->ended || p->head != NULL) {
        if (wait_input(p) && !read_chunk(p))
            p->ended = true;
        if (!send_due(p))
            break;
    }
    while (p->head != NULL) {
        chunk *c = p->head;
        p->head = c->next;
        free(c);
    }
    shutdown(p->to, SHUT_WR);
    return NULL;
}

typedef struct session {
    pipe_dir up, down;
} session;

/* Runs both directions of one connection to their ends, then closes. */
static void *relay(void *arg)
{
    session *s = arg;
    pthread_t down;
    bool two = pthread_create(&down, NULL, pump, &s->down) == 0;
    pump(&s->up);
    if (two)
        pthread_join(down, NULL);
    close(s->up.from);
    close(s->up.to);
    free(s);
    return NULL;
}

/* No Nagle; receive times stamped by the kernel (see arrival). */
static void tune(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
}

static int tcp_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0)
        tune(fd);
    return fd;
}

static void proxy(int client, const struct sockaddr_in *target, double delay_s)
{
    int server = tcp_socket();
    session *s = malloc(sizeof(*s));
    pthread_t thread;
    tune(client);
    if (server < 0 || s == NULL ||
        connect(server, (const struct sockaddr *)target, sizeof(*target)) !=
            0) {
        if (server >= 0)
            close(server);
        close(client);
        free(s);
        return;
    }
    s->up = (pipe_dir){.from = client, .to = server, .delay_s = delay_s};
    s->down = (pipe_dir){.from = server, .to = client, .delay_s = delay_s};
    if (pthread_create(&thread, NULL, relay, s) == 0)
        pthread_detach(thread);
}

static void usage(void)
{
    fprintf(stderr, "usage: delay_proxy -t 127.0.0.1:PORT -d RTT_MS [-l PORT]\n"
                    "       delay_proxy -b [-l PORT]\n");
    exit(2);
}

/* Black hole (-b): rtt_ms stays negative and no target is needed. */
static void parse_options(int argc, char **argv, struct sockaddr_in *target,
                          struct sockaddr_in *listen_addr, double *rtt_ms)
{
    bool black_hole = false;
    char host[64];
    unsigned port = 0;
    int c;
    while ((c = getopt(argc, argv, "t:d:l:b")) != -1) {
        if (c == 't' && sscanf(optarg, "%63[^:]:%u", host, &port) == 2 &&
            inet_pton(AF_INET, host, &target->sin_addr) == 1 && port > 0 &&
            port < 65536)
            target->sin_port = htons((uint16_t)port);
        else if (c == 'd')
            *rtt_ms = atof(optarg);
        else if (c == 'l')
            listen_addr->sin_port = htons((uint16_t)atoi(optarg));
        else if (c == 'b')
            black_hole = true;
        else
            usage();
    }
    bool proxying = target->sin_port != 0 && *rtt_ms >= 0;
    if (black_hole ? target->sin_port != 0 || *rtt_ms >= 0 : !proxying)
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

/* Waits for SIGTERM or SIGINT (blocked in every thread), prints the
 * lateness of the chunks sent, and ends the process. */
static void *report_at_exit(void *arg)
{
    sigset_t *stop = arg;
    int sig;
    sigwait(stop, &sig);
    long n = atomic_load(&late_count);
    printf("late_us_mean %.1f late_us_max %.1f chunks %ld\n",
           n > 0 ? atomic_load(&late_sum_s) / (double)n * 1e6 : 0.0,
           atomic_load(&late_max_s) * 1e6, n);
    fflush(stdout);
    _exit(0);
}

static void report_on_stop(void)
{
    static sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    pthread_t thread;
    if (pthread_create(&thread, NULL, report_at_exit, &stop) == 0)
        pthread_detach(thread);
}

/* A link's latency does not grow with the load on the hosts: the proxy's
 * threads (they inherit it) run first when their chunks fall due, as
 * real-time threads, where the system allows it. */
static void run_first(void)
{
    struct sched_param param = {.sched_priority = 1};
    int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
    if (rc != 0)
        fprintf(stderr,
                "delay_proxy: no real-time scheduling (%s): its sends "
                "wait for the CPU like any thread\n",
                strerror(rc));
}

int main(int argc, char **argv)
{
    struct sockaddr_in target = {.sin_family = AF_INET};
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    double rtt_ms = -1;
    parse_options(argc, argv, &target, &addr, &rtt_ms);
    signal(SIGPIPE, SIG_IGN);
    report_on_stop();
    /* Wake up on time (threads inherit it): the default slack of 50 us
     * per sleep adds up to a visible part of a 1 ms round trip. */
    prctl(PR_SET_TIMERSLACK, 1UL);
    run_first();
    int listener = listen_loopback(&addr);
    printf("listening 127.0.0.1:%u\n", (unsigned)ntohs(addr.sin_port));
    fflush(stdout);
    for (;;) {
        int client = accept(listener, NULL, NULL);
        /* A black hole keeps what it accepted open and unread. */
        if (client >= 0 && rtt_ms >= 0)
            proxy(client, &target, rtt_ms / 2000.0);
    }
}
