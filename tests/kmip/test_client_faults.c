/* SPDX-License-Identifier: Apache-2.0 */
/* The client against a misbehaving in-process server. Run under
 * integration/with_server.py --server none, which provides the PKI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client_test_util.h"
#include "kmip/client.h"
#include "kmip/tags.h"

#define TIMEOUT_MS 400
#define SLACK_MS 1500

/* A fault server and the configuration of a client of it alone, to
 * adjust before the client is made (client NULL until then). Stop with
 * served_stop. */
typedef struct served {
    fault_server *server;
    const char *servers[1];
    kmip_client_config cfg;
    kmip_client *client;
} served;

static void served_start(served *s, fault_mode mode)
{
    s->server = start(mode);
    s->servers[0] = fault_server_address(s->server);
    s->cfg = config_for(s->servers, 1, TIMEOUT_MS);
    s->client = NULL;
}

/* A server in mode and a client of it with the usual configuration. */
static void served_with_client(served *s, fault_mode mode)
{
    served_start(s, mode);
    s->client = new_client(&s->cfg);
}

static void served_stop(served *s)
{
    kmip_client_free(s->client);
    fault_server_stop(s->server);
}

/* Runs one Query against a server in mode and asserts that it ends
 * with expected, with a message containing text unless text is NULL;
 * returns how long the call took. */
static uint64_t query_ends(fault_mode mode, kmip_rc expected, const char *text)
{
    served s;
    kmip_status status;
    served_with_client(&s, mode);
    uint64_t started = now_ms();
    kmip_rc rc = query(s.client, 1, &status);
    uint64_t elapsed_ms = now_ms() - started;
    served_stop(&s);
    assert_int_equal(rc, expected);
    if (text != NULL)
        assert_non_null(strstr(status.message, text));
    return elapsed_ms;
}

static void test_good_server_answers(void **state)
{
    (void)state;
    query_ends(FAULT_NONE, KMIP_OK, NULL);
}

static void test_silent_server_times_out_within_timeout(void **state)
{
    (void)state;
    uint64_t elapsed =
        query_ends(FAULT_NEVER_ANSWER, KMIP_E_TIMEOUT, "read: timed out");
    assert_true(elapsed >= TIMEOUT_MS);
    assert_true(elapsed < TIMEOUT_MS + SLACK_MS);
}

/* A server that did not answer in time is in back-off: with no other
 * server the request is not sent to it again. */
static void test_lone_silent_server_is_not_asked_again(void **state)
{
    (void)state;
    served s;
    kmip_status status;
    served_with_client(&s, FAULT_NEVER_ANSWER);
    assert_int_equal(query(s.client, 1, &status), KMIP_E_TIMEOUT);
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.retries, 0);
    assert_int_equal(stats.connects, 1);
    served_stop(&s);
}

static void test_silent_listener_times_out_in_handshake(void **state)
{
    (void)state;
    char address[32];
    int listener = fault_silent_listener(address, sizeof(address));
    const char *servers[] = {address};
    kmip_client_config cfg = config_for(servers, 1, TIMEOUT_MS);
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    uint64_t started = now_ms();
    assert_int_equal(query(client, 1, &status), KMIP_E_TIMEOUT);
    uint64_t elapsed = now_ms() - started;
    assert_true(elapsed >= TIMEOUT_MS);
    assert_true(elapsed < TIMEOUT_MS + SLACK_MS);
    assert_non_null(strstr(status.message, "TLS handshake: timed out"));
    kmip_client_free(client);
    close(listener);
}

static void test_close_mid_response_is_transport_error(void **state)
{
    (void)state;
    query_ends(FAULT_CLOSE_MID_RESPONSE, KMIP_E_TRANSPORT,
               "closed by the server");
}

/* Refused from the 8-byte header: the client neither allocates nor waits
 * for the 4 GiB it announces. */
static void test_huge_length_is_too_big_at_once(void **state)
{
    (void)state;
    uint64_t elapsed = query_ends(FAULT_HUGE_LENGTH, KMIP_E_TOO_BIG, NULL);
    assert_true(elapsed < TIMEOUT_MS);
}

static void test_response_above_max_message_is_too_big(void **state)
{
    (void)state;
    served s;
    served_start(&s, FAULT_NONE);
    s.cfg.max_message = 64; /* the answer is about 150 bytes */
    s.client = new_client(&s.cfg);
    kmip_status status;
    assert_int_equal(query(s.client, 1, &status), KMIP_E_TOO_BIG);
    served_stop(&s);
}

static void test_garbage_response_is_decode_error(void **state)
{
    (void)state;
    query_ends(FAULT_GARBAGE, KMIP_E_DECODE, NULL);
}

static void test_answer_to_another_operation_is_decode_error(void **state)
{
    (void)state;
    query_ends(FAULT_WRONG_OPERATION, KMIP_E_DECODE, NULL);
}

/* The server answers only the first of two items, and successfully. */
static void test_partly_answered_batch_is_decode_error(void **state)
{
    (void)state;
    served s;
    served_with_client(&s, FAULT_NONE);
    kmip_request_item items[] = {{KMIP_OPERATION_QUERY, NULL},
                                 {KMIP_OPERATION_QUERY, NULL}};
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_client_call(s.client, items, 2, 1, &resp, &status),
                     KMIP_E_DECODE);
    assert_null(resp);
    assert_non_null(strstr(status.message, "answers 1 of 2"));
    served_stop(&s);
}

static void test_refused_client_certificate_is_tls_error(void **state)
{
    (void)state;
    /* The server trusts only its own certificate: client-a is unknown. */
    fault_server *server =
        fault_server_start(test_pki.server_cert, test_pki.server_key,
                           test_pki.server_cert, FAULT_NONE);
    const char *servers[] = {fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 1, TIMEOUT_MS);
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    assert_int_equal(query(client, 1, &status), KMIP_E_TLS);
    kmip_client_free(client);
    fault_server_stop(server);
}

static void test_server_name_mismatch_is_rejected(void **state)
{
    (void)state;
    served s;
    served_start(&s, FAULT_NONE);
    s.cfg.verify_name = "kmip.example.com";
    s.client = new_client(&s.cfg);
    kmip_status status;
    assert_int_equal(query(s.client, 1, &status), KMIP_E_TLS);
    assert_non_null(strstr(status.message, "certificate verify failed"));
    assert_int_equal(fault_server_connections(s.server), 0);
    served_stop(&s);
}

/* The certificate's DNS SAN, checked instead of the IP address. */
static void test_server_verified_by_dns_name(void **state)
{
    (void)state;
    served s;
    served_start(&s, FAULT_NONE);
    s.cfg.verify_name = "localhost";
    s.client = new_client(&s.cfg);
    kmip_status status;
    assert_int_equal(query(s.client, 1, &status), KMIP_OK);
    served_stop(&s);
}

static void test_unreachable_server_error_names_it(void **state)
{
    (void)state;
    char closed[32];
    fault_closed_address(closed, sizeof(closed));
    const char *servers[] = {closed};
    kmip_client_config cfg = config_for(servers, 1, TIMEOUT_MS);
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    assert_int_equal(query(client, 1, &status), KMIP_E_TRANSPORT);
    char expected[64];
    snprintf(expected, sizeof(expected), "%s: connect: Connection refused",
             closed);
    assert_string_equal(status.message, expected);
    kmip_client_free(client);
}

static void test_failover_skips_unreachable_server(void **state)
{
    (void)state;
    fault_server *server = start(FAULT_NONE);
    char closed[32];
    fault_closed_address(closed, sizeof(closed));
    const char *servers[] = {closed, fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 2, TIMEOUT_MS);
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    assert_int_equal(query(client, 0, &status), KMIP_OK);
    kmip_client_stats stats = stats_of(client);
    assert_int_equal(stats.failovers, 1);
    assert_int_equal(stats.connects, 1);
    kmip_client_free(client);
    fault_server_stop(server);
}

static void test_all_servers_down_says_so(void **state)
{
    (void)state;
    char first[32], second[32];
    fault_closed_address(first, sizeof(first));
    fault_closed_address(second, sizeof(second));
    const char *servers[] = {first, second};
    kmip_client_config cfg = config_for(servers, 2, TIMEOUT_MS);
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    assert_int_equal(query(client, 1, &status), KMIP_E_TRANSPORT);
    char expected[128];
    snprintf(expected, sizeof(expected),
             "all 2 servers failed; last: %s: connect: Connection refused",
             second);
    assert_string_equal(status.message, expected);
    kmip_client_stats stats = stats_of(client);
    assert_int_equal(stats.failovers, 1);
    assert_int_equal(stats.connects, 0);
    kmip_client_free(client);
}

static void test_failover_remembers_the_server_that_answered(void **state)
{
    (void)state;
    fault_server *server = start(FAULT_DROP_SECOND_REQUEST);
    char closed[32];
    fault_closed_address(closed, sizeof(closed));
    const char *servers[] = {closed, fault_server_address(server)};
    kmip_client_config cfg = config_for(servers, 2, TIMEOUT_MS);
    kmip_client *client = new_client(&cfg);
    kmip_status status;
    assert_int_equal(query(client, 1, &status), KMIP_OK);
    /* The pooled connection dies on the second request; its replacement
     * goes straight to the server that answered last. */
    assert_int_equal(query(client, 1, &status), KMIP_OK);
    kmip_client_stats stats = stats_of(client);
    assert_int_equal(stats.failovers, 1);
    assert_int_equal(stats.connects, 2);
    kmip_client_free(client);
    fault_server_stop(server);
}

static void test_pooled_connection_is_reused(void **state)
{
    (void)state;
    served s;
    served_with_client(&s, FAULT_NONE);
    kmip_status status;
    assert_int_equal(query(s.client, 0, &status), KMIP_OK);
    assert_int_equal(query(s.client, 0, &status), KMIP_OK);
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.requests, 2);
    assert_int_equal(stats.connects, 1);
    assert_int_equal(fault_server_connections(s.server), 1);
    served_stop(&s);
}

static void
test_stale_pooled_connection_is_retried_when_idempotent(void **state)
{
    (void)state;
    served s;
    served_with_client(&s, FAULT_DROP_SECOND_REQUEST);
    kmip_status status;
    assert_int_equal(query(s.client, 1, &status), KMIP_OK);
    assert_int_equal(query(s.client, 1, &status), KMIP_OK);
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.retries, 1);
    assert_int_equal(stats.requests, 3);
    assert_int_equal(stats.connects, 2);
    served_stop(&s);
}

static void test_stale_pooled_connection_is_not_retried_otherwise(void **state)
{
    (void)state;
    served s;
    served_with_client(&s, FAULT_DROP_SECOND_REQUEST);
    kmip_status status;
    assert_int_equal(query(s.client, 0, &status), KMIP_OK);
    assert_int_equal(query(s.client, 0, &status), KMIP_E_TRANSPORT);
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.retries, 0);
    assert_int_equal(stats.requests, 2);
    served_stop(&s);
}

/* Two Query calls to a server that closes each connection once idle. */
static void query_twice_across_idle_close(served *s)
{
    served_with_client(s, FAULT_CLOSE_WHEN_IDLE);
    kmip_status status;
    assert_int_equal(query(s->client, 0, &status), KMIP_OK);
    assert_true(fault_server_wait_closed(s->server, 1));
    assert_int_equal(query(s->client, 0, &status), KMIP_OK);
}

/* Found dead before use, so even a non-idempotent call goes through. */
static void test_connection_closed_while_idle_is_replaced(void **state)
{
    (void)state;
    served s;
    query_twice_across_idle_close(&s);
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.connects, 2);
    assert_int_equal(stats.requests, 2);
    assert_int_equal(stats.retries, 0);
    served_stop(&s);
}

static void test_reconnection_resumes_the_tls_session(void **state)
{
    (void)state;
    served s;
    query_twice_across_idle_close(&s);
    assert_int_equal(fault_server_connections(s.server), 2);
    assert_int_equal(fault_server_resumptions(s.server), 1);
    served_stop(&s);
}

/* The child reconnects; the parent's pooled connection, untouched by the
 * child, still serves the parent. */
static void test_child_after_fork_never_uses_parent_connection(void **state)
{
    (void)state;
    served s;
    served_with_client(&s, FAULT_NONE);
    kmip_status status;
    assert_int_equal(query(s.client, 1, &status), KMIP_OK);

    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        bool ok = query(s.client, 1, &status) == KMIP_OK;
        kmip_client_stats stats = stats_of(s.client);
        _exit(ok && stats.connects == 2 && stats.retries == 0 ? 0 : 1);
    }
    int child_status = 0;
    assert_int_equal(waitpid(child, &child_status, 0), child);
    assert_true(WIFEXITED(child_status));
    assert_int_equal(WEXITSTATUS(child_status), 0);

    assert_int_equal(query(s.client, 1, &status), KMIP_OK);
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.connects, 1);
    assert_int_equal(stats.retries, 0);
    assert_int_equal(fault_server_connections(s.server), 2);
    served_stop(&s);
}

/* A child that frees the client it inherited closes the parent's
 * connection silently: no close_notify on the shared socket, which would
 * end the parent's TLS session on the server. The parent's next request,
 * not retried, goes over that connection. */
static void
test_child_freeing_the_client_leaves_the_parent_connection(void **state)
{
    (void)state;
    served s;
    served_with_client(&s, FAULT_NONE);
    kmip_status status;
    assert_int_equal(query(s.client, 0, &status), KMIP_OK);

    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        kmip_client_free(s.client);
        _exit(0); /* the rest of the parent's state is the parent's to free:
                     exit() would run LeakSanitizer over it */
    }
    int child_status = 0;
    assert_int_equal(waitpid(child, &child_status, 0), child);
    assert_true(WIFEXITED(child_status));
    assert_int_equal(WEXITSTATUS(child_status), 0);

    usleep(100 * 1000); /* time for a close_notify to reach the server */
    assert_int_equal(query(s.client, 0, &status), KMIP_OK);
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.connects, 1);
    assert_int_equal(fault_server_connections(s.server), 1);
    served_stop(&s);
}

/* A client that negotiates, of a server in mode; *out its version. */
static kmip_rc negotiate_with(fault_mode mode, kmip_version *out,
                              kmip_client_stats *stats, kmip_status *status)
{
    served s;
    served_start(&s, mode);
    s.cfg.version = KMIP_VERSION(0, 0);
    s.client = new_client(&s.cfg);
    kmip_rc rc = kmip_client_version(s.client, out, status);
    if (rc == KMIP_OK)
        rc = query(s.client, 1, status); /* in the negotiated version */
    *stats = stats_of(s.client);
    served_stop(&s);
    return rc;
}

/* Negotiation with a server in mode settles on KMIP 1.minor after
 * requests request messages. */
static void assert_negotiated(fault_mode mode, uint32_t minor,
                              uint64_t requests)
{
    kmip_version version;
    kmip_client_stats stats;
    kmip_status status;
    assert_int_equal(negotiate_with(mode, &version, &stats, &status), KMIP_OK);
    assert_int_equal(version.major, 1);
    assert_int_equal(version.minor, minor);
    assert_int_equal(stats.requests, requests);
}

static void test_negotiation_picks_the_servers_first_answer(void **state)
{
    (void)state;
    assert_negotiated(FAULT_OFFERS_1_3_AND_1_2, 3, 2);
}

/* Discover Versions in a 1.4 header is refused; in 1.2 it is answered,
 * and the calls that follow are sent in 1.2. */
static void test_negotiation_falls_back_to_an_older_header(void **state)
{
    (void)state;
    assert_negotiated(FAULT_ONLY_UP_TO_1_2, 2, 3);
}

static void test_negotiation_without_common_version_fails(void **state)
{
    (void)state;
    kmip_version version;
    kmip_client_stats stats;
    kmip_status status;
    assert_int_equal(
        negotiate_with(FAULT_NO_COMMON_VERSION, &version, &stats, &status),
        KMIP_E_RESULT);
    assert_non_null(strstr(status.message, "speaks none"));
}

#define THREADS 8
#define CALLS_PER_THREAD 25

static void *query_repeatedly(void *client)
{
    kmip_status status;
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
        if (query(client, i % 2, &status) != KMIP_OK) {
            fprintf(stderr, "query: %s\n", status.message);
            return (void *)1;
        }
    }
    return NULL;
}

static void test_threads_share_one_client(void **state)
{
    (void)state;
    served s;
    served_start(&s, FAULT_NONE);
    s.cfg.pool_size = THREADS;
    s.cfg.timeout_ms = 10000; /* eight handshakes at once, maybe sanitized */
    s.client = new_client(&s.cfg);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(
            pthread_create(&threads[i], NULL, query_repeatedly, s.client), 0);
    for (int i = 0; i < THREADS; i++) {
        void *failed = NULL;
        pthread_join(threads[i], &failed);
        assert_null(failed);
    }
    kmip_client_stats stats = stats_of(s.client);
    assert_int_equal(stats.requests, THREADS * CALLS_PER_THREAD);
    assert_true(stats.connects <= THREADS);
    assert_int_equal(stats.retries, 0);
    served_stop(&s);
}

static void test_encrypted_key_with_right_passphrase_connects(void **state)
{
    (void)state;
    served s;
    served_start(&s, FAULT_NONE);
    s.cfg.key_file = test_pki.key_encrypted;
    s.cfg.key_passphrase = test_pki.key_passphrase;
    s.client = new_client(&s.cfg);
    kmip_status status;
    assert_int_equal(query(s.client, 1, &status), KMIP_OK);
    served_stop(&s);
}

static void test_encrypted_key_with_wrong_passphrase_is_refused(void **state)
{
    (void)state;
    const char *servers[] = {"127.0.0.1:5696"};
    kmip_client_config cfg = config_for(servers, 1, TIMEOUT_MS);
    cfg.key_file = test_pki.key_encrypted;
    cfg.key_passphrase = "not the passphrase";
    kmip_status status;
    assert_null(kmip_client_new(&cfg, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(status.message, "wrong passphrase"));
}

static void test_encrypted_key_without_passphrase_is_refused(void **state)
{
    (void)state;
    const char *servers[] = {"127.0.0.1:5696"};
    kmip_client_config cfg = config_for(servers, 1, TIMEOUT_MS);
    cfg.key_file = test_pki.key_encrypted;
    kmip_status status;
    assert_null(kmip_client_new(&cfg, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(status.message, "no passphrase"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_server_answers),
        cmocka_unit_test(test_silent_server_times_out_within_timeout),
        cmocka_unit_test(test_lone_silent_server_is_not_asked_again),
        cmocka_unit_test(test_silent_listener_times_out_in_handshake),
        cmocka_unit_test(test_close_mid_response_is_transport_error),
        cmocka_unit_test(test_huge_length_is_too_big_at_once),
        cmocka_unit_test(test_response_above_max_message_is_too_big),
        cmocka_unit_test(test_garbage_response_is_decode_error),
        cmocka_unit_test(test_answer_to_another_operation_is_decode_error),
        cmocka_unit_test(test_partly_answered_batch_is_decode_error),
        cmocka_unit_test(test_refused_client_certificate_is_tls_error),
        cmocka_unit_test(test_server_name_mismatch_is_rejected),
        cmocka_unit_test(test_server_verified_by_dns_name),
        cmocka_unit_test(test_unreachable_server_error_names_it),
        cmocka_unit_test(test_failover_skips_unreachable_server),
        cmocka_unit_test(test_failover_remembers_the_server_that_answered),
        cmocka_unit_test(test_all_servers_down_says_so),
        cmocka_unit_test(test_pooled_connection_is_reused),
        cmocka_unit_test(
            test_stale_pooled_connection_is_retried_when_idempotent),
        cmocka_unit_test(test_stale_pooled_connection_is_not_retried_otherwise),
        cmocka_unit_test(test_connection_closed_while_idle_is_replaced),
        cmocka_unit_test(test_reconnection_resumes_the_tls_session),
        cmocka_unit_test(test_child_after_fork_never_uses_parent_connection),
        cmocka_unit_test(
            test_child_freeing_the_client_leaves_the_parent_connection),
        cmocka_unit_test(test_negotiation_picks_the_servers_first_answer),
        cmocka_unit_test(test_negotiation_falls_back_to_an_older_header),
        cmocka_unit_test(test_negotiation_without_common_version_fails),
        cmocka_unit_test(test_threads_share_one_client),
        cmocka_unit_test(test_encrypted_key_with_right_passphrase_connects),
        cmocka_unit_test(test_encrypted_key_with_wrong_passphrase_is_refused),
        cmocka_unit_test(test_encrypted_key_without_passphrase_is_refused),
    };
    return cmocka_run_group_tests(tests, load_pki, NULL);
}
