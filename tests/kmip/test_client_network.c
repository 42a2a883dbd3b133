/* SPDX-License-Identifier: Apache-2.0 */
/* The client across servers that stop answering, answer slowly or serve
 * bursts: what one timeout costs, what the pool keeps. Run under
 * integration/with_server.py --server none, which provides the PKI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "client_test_util.h"

#define THREADS 4
#define MAX_CALLS 20000

/* One thread's calls: when each started and ended, what it returned. */
typedef struct call_log {
    kmip_client *client;
    atomic_bool *stopping;
    uint64_t start[MAX_CALLS], end[MAX_CALLS];
    kmip_rc rc[MAX_CALLS];
    size_t count;
} call_log;

static void *query_until_stopped(void *arg)
{
    call_log *log = arg;
    kmip_status status;
    while (!atomic_load(log->stopping) && log->count < MAX_CALLS) {
        size_t i = log->count++;
        log->start[i] = now_ms();
        log->rc[i] = query(log->client, 1, &status);
        log->end[i] = now_ms();
        if (log->rc[i] != KMIP_OK)
            fprintf(stderr, "query: %s\n", status.message);
        usleep(2000);
    }
    return NULL;
}

typedef struct load {
    atomic_bool stopping;
    pthread_t threads[THREADS];
    call_log *logs;
} load;

static void load_start(load *l, kmip_client *client)
{
    atomic_init(&l->stopping, false);
    l->logs = calloc(THREADS, sizeof(*l->logs));
    assert_non_null(l->logs);
    for (size_t t = 0; t < THREADS; t++) {
        l->logs[t].client = client;
        l->logs[t].stopping = &l->stopping;
        assert_int_equal(pthread_create(&l->threads[t], NULL,
                                        query_until_stopped, &l->logs[t]),
                         0);
    }
}

static void load_stop(load *l)
{
    atomic_store(&l->stopping, true);
    for (size_t t = 0; t < THREADS; t++)
        pthread_join(l->threads[t], NULL);
}

/* Servers A (in a_mode) and B (answering), and a client of both that
 * tries A first. */
typedef struct pair {
    fault_server *a, *b; /* NULL once stopped */
    const char *servers[2];
    kmip_client *client;
} pair;

static void pair_start(pair *p, fault_mode a_mode, uint32_t timeout_ms)
{
    p->a = start(a_mode);
    p->b = start(FAULT_NONE);
    p->servers[0] = fault_server_address(p->a);
    p->servers[1] = fault_server_address(p->b);
    kmip_client_config cfg = config_for(p->servers, 2, timeout_ms);
    p->client = new_client(&cfg);
}

static void pair_stop(pair *p)
{
    kmip_client_free(p->client);
    fault_server_stop(p->a);
    fault_server_stop(p->b);
}

#define SILENT_TIMEOUT_MS 800

/* Four threads sign through servers A and B; A stops answering with a
 * request of each thread in flight. Each in-flight request waits one
 * timeout, then goes to B; no later request waits for A again, and A
 * gets no new connection while in back-off. */
static void test_silent_server_costs_one_timeout_and_fails_nothing(void **state)
{
    (void)state;
    pair p;
    pair_start(&p, FAULT_NONE, SILENT_TIMEOUT_MS);
    load l;
    load_start(&l, p.client);
    usleep(300 * 1000);
    unsigned a_connections = fault_server_connections(p.a);
    fault_server_set_mode(p.a, FAULT_NEVER_ANSWER);
    usleep(3 * SILENT_TIMEOUT_MS * 1000);
    load_stop(&l);

    for (size_t t = 0; t < THREADS; t++) {
        size_t slow = 0;
        for (size_t i = 0; i < l.logs[t].count; i++) {
            assert_int_equal(l.logs[t].rc[i], KMIP_OK);
            uint64_t took = l.logs[t].end[i] - l.logs[t].start[i];
            assert_true(took < 2 * SILENT_TIMEOUT_MS);
            slow += took >= SILENT_TIMEOUT_MS / 2;
        }
        assert_true(slow <= 1);
    }
    assert_int_equal(fault_server_connections(p.a), a_connections);
    assert_true(fault_server_connections(p.b) >= 1);
    kmip_client_stats stats = stats_of(p.client);
    assert_true(stats.retries >= 1 && stats.retries <= THREADS);
    free(l.logs);
    pair_stop(&p);
}

/* A in back-off after a timeout, B then lost: B's failure sends the call
 * back to A, which answers again. */
static void test_server_in_back_off_is_tried_when_the_others_fail(void **state)
{
    (void)state;
    pair p;
    pair_start(&p, FAULT_NEVER_ANSWER, 400);
    kmip_status status;
    assert_int_equal(query(p.client, 1, &status), KMIP_OK);
    assert_int_equal(stats_of(p.client).retries, 1);
    fault_server_set_mode(p.a, FAULT_NONE);
    fault_server_stop(p.b);
    p.b = NULL;
    assert_int_equal(query(p.client, 1, &status), KMIP_OK);
    assert_int_equal(fault_server_connections(p.a), 2);
    pair_stop(&p);
}

/* Not idempotent: the timed-out request is not sent again. */
static void test_timeout_is_not_retried_otherwise(void **state)
{
    (void)state;
    pair p;
    pair_start(&p, FAULT_NEVER_ANSWER, 400);
    kmip_status status;
    assert_int_equal(query(p.client, 0, &status), KMIP_E_TIMEOUT);
    assert_int_equal(stats_of(p.client).retries, 0);
    assert_int_equal(fault_server_connections(p.b), 0);
    /* The next call skips A, in back-off. */
    assert_int_equal(query(p.client, 0, &status), KMIP_OK);
    assert_int_equal(fault_server_connections(p.a), 1);
    pair_stop(&p);
}

/* Handshake and answer each take 300 ms: within a 400 ms bound one by
 * one, not together. */
static void test_timeout_bounds_the_whole_call(void **state)
{
    (void)state;
    fault_server *server = start(FAULT_SLOW_PHASES);
    const char *servers[] = {fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 1, 400);
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    uint64_t started = now_ms();
    assert_int_equal(query(client, 1, &status), KMIP_E_TIMEOUT);
    assert_true(now_ms() - started < 400 + FAULT_PHASE_DELAY_MS);
    assert_non_null(strstr(status.message, "read: timed out"));
    kmip_client_free(client);
    fault_server_stop(server);
}

#define BURST_THREADS 8
#define BURSTS 10

typedef struct burst {
    kmip_client *client;
    pthread_barrier_t *barrier;
    kmip_rc worst;
} burst;

/* Each burst: every thread signs at once, then all pause. */
static void *sign_in_bursts(void *arg)
{
    burst *b = arg;
    kmip_status status;
    b->worst = KMIP_OK;
    for (int i = 0; i < BURSTS; i++) {
        pthread_barrier_wait(b->barrier);
        kmip_rc rc = query(b->client, 1, &status);
        if (rc != KMIP_OK)
            b->worst = rc;
        usleep(5000);
    }
    return NULL;
}

/* With the default pool, bursts of 8 threads open at most 8 connections:
 * every connection in use at the peak is kept for the next burst. */
static void test_bursts_open_no_more_connections_than_peak_use(void **state)
{
    (void)state;
    fault_server *server = start(FAULT_NONE);
    const char *servers[] = {fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 1, 10000);
    kmip_client *client = new_client(&cfg);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, BURST_THREADS);
    pthread_t threads[BURST_THREADS];
    burst bursts[BURST_THREADS];
    for (size_t t = 0; t < BURST_THREADS; t++) {
        bursts[t] = (burst){.client = client, .barrier = &barrier};
        assert_int_equal(
            pthread_create(&threads[t], NULL, sign_in_bursts, &bursts[t]), 0);
    }
    for (size_t t = 0; t < BURST_THREADS; t++) {
        pthread_join(threads[t], NULL);
        assert_int_equal(bursts[t].worst, KMIP_OK);
    }
    pthread_barrier_destroy(&barrier);
    assert_int_equal(stats_of(client).requests, BURST_THREADS * BURSTS);
    assert_true(fault_server_connections(server) <= BURST_THREADS);
    kmip_client_free(client);
    fault_server_stop(server);
}

#define COLD_THREADS 12

static void *query_once(void *arg)
{
    burst *b = arg;
    kmip_status status;
    pthread_barrier_wait(b->barrier);
    b->worst = query(b->client, 1, &status);
    return NULL;
}

/* Twelve threads of a new client call at once against a server that
 * takes 20 ms to start a handshake: the client opens no more than
 * KMIP_HANDSHAKES_PER_SERVER (4) connections at once (kmipd cuts those
 * beyond 8 from one address), and every call succeeds. Margin: a thread
 * that waited 500 ms opens its own. */
static void test_cold_start_limits_handshakes_at_once(void **state)
{
    (void)state;
    fault_server *server = start(FAULT_SLOW_HANDSHAKE);
    const char *servers[] = {fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 1, 10000);
    kmip_client *client = new_client(&cfg);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, COLD_THREADS);
    pthread_t threads[COLD_THREADS];
    burst calls[COLD_THREADS];
    for (size_t t = 0; t < COLD_THREADS; t++) {
        calls[t] = (burst){.client = client, .barrier = &barrier};
        assert_int_equal(
            pthread_create(&threads[t], NULL, query_once, &calls[t]), 0);
    }
    for (size_t t = 0; t < COLD_THREADS; t++) {
        pthread_join(threads[t], NULL);
        assert_int_equal(calls[t].worst, KMIP_OK);
    }
    pthread_barrier_destroy(&barrier);
    assert_true(fault_server_most_handshakes(server) <= COLD_THREADS / 2);
    kmip_client_free(client);
    fault_server_stop(server);
}

#define FIRST_ANSWERS 10
#define FIRST_ANSWER_MS 38 /* below the shortest delayed ACK */

/* A server that leaves Nagle's algorithm on sends its TLS 1.3 session
 * tickets, then holds the first answer on a connection until they are
 * acknowledged. The client acknowledges them at once: no new connection's
 * first answer waits for the delayed ACK (40 ms on Linux; a loopback
 * handshake and answer take a few). */
static void test_first_answer_waits_for_no_delayed_ack(void **state)
{
    (void)state;
    fault_server *server = start(FAULT_TLS13_TICKETS);
    const char *servers[] = {fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 1, 5000);
    uint64_t fastest = UINT64_MAX;
    for (int i = 0; i < FIRST_ANSWERS; i++) {
        kmip_client *client = new_client(&cfg);
        uint64_t start = now_ms();
        kmip_status status;
        assert_int_equal(query(client, 1, &status), KMIP_OK);
        uint64_t took = now_ms() - start;
        fastest = took < fastest ? took : fastest;
        kmip_client_free(client);
    }
    if (fastest >= FIRST_ANSWER_MS)
        fail_msg("the fastest of %d new connections took %llu ms to its "
                 "first answer",
                 FIRST_ANSWERS, (unsigned long long)fastest);
    fault_server_stop(server);
}

/* Connections idle longer than idle_timeout_ms are not used again. */
static void test_idle_connections_expire(void **state)
{
    (void)state;
    fault_server *server = start(FAULT_NONE);
    const char *servers[] = {fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 1, 10000);
    cfg.idle_timeout_ms = 100;
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    assert_int_equal(query(client, 1, &status), KMIP_OK);
    assert_int_equal(query(client, 1, &status), KMIP_OK);
    assert_int_equal(stats_of(client).connects, 1);
    usleep(250 * 1000);
    assert_int_equal(query(client, 1, &status), KMIP_OK);
    assert_int_equal(stats_of(client).connects, 2);
    assert_true(fault_server_wait_closed(server, 1));
    kmip_client_free(client);
    fault_server_stop(server);
}

/* A copy of the client key at path (mkstemp template), for a test that
 * removes it. */
static void copy_client_key(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *in = fopen(test_pki.key, "r");
    assert_non_null(in);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(write(fd, buf, n), (ssize_t)n);
    fclose(in);
    close(fd);
}

/* The base negotiated KMIP 1.3 and found the first server silent; a
 * client derived from it, with its key file gone, asks no Discover
 * Versions, goes straight to the second server and resumes the base's
 * TLS session there. */
static void test_derived_client_starts_from_what_its_base_learned(void **state)
{
    (void)state;
    char silent[32], key[] = "/tmp/p11kmip-client-key-XXXXXX";
    int listener = fault_silent_listener(silent, sizeof(silent));
    fault_server *server = start(FAULT_OFFERS_1_3_AND_1_2);
    const char *servers[] = {silent, fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 2, 400);
    cfg.version = KMIP_VERSION(0, 0);
    copy_client_key(key);
    cfg.key_file = key;
    kmip_client *base = new_client(&cfg);
    unlink(key);
    kmip_status status;
    assert_int_equal(query(base, 1, &status), KMIP_OK);

    kmip_client *derived = kmip_client_derive(base, NULL, &status);
    assert_non_null(derived);
    uint64_t started = now_ms();
    assert_int_equal(query(derived, 1, &status), KMIP_OK);
    assert_true(now_ms() - started < 400);
    kmip_version version;
    assert_int_equal(kmip_client_version(derived, &version, &status), KMIP_OK);
    assert_int_equal(version.minor, 3);
    kmip_client_stats stats = stats_of(derived);
    assert_int_equal(stats.requests, 1);
    assert_int_equal(stats.connects, 1);
    assert_int_equal(stats.failovers, 0);
    assert_int_equal(fault_server_resumptions(server), 1);
    kmip_client_free(derived);
    kmip_client_free(base);
    fault_server_stop(server);
    close(listener);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_silent_server_costs_one_timeout_and_fails_nothing),
        cmocka_unit_test(test_server_in_back_off_is_tried_when_the_others_fail),
        cmocka_unit_test(test_timeout_is_not_retried_otherwise),
        cmocka_unit_test(test_timeout_bounds_the_whole_call),
        cmocka_unit_test(test_bursts_open_no_more_connections_than_peak_use),
        cmocka_unit_test(test_cold_start_limits_handshakes_at_once),
        cmocka_unit_test(test_first_answer_waits_for_no_delayed_ack),
        cmocka_unit_test(test_idle_connections_expire),
        cmocka_unit_test(test_derived_client_starts_from_what_its_base_learned),
    };
    return cmocka_run_group_tests(tests, load_pki, NULL);
}
