/* SPDX-License-Identifier: Apache-2.0 */
/* kmip_client_new's validation and kmip_client_call's arguments; no
 * connection is opened. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/client.h"
#include "kmip/tags.h"

/* kmip_client_new of one server entry, with no client certificate. */
static kmip_client *client_for(const char *server, kmip_status *status)
{
    const char *servers[] = {server};
    kmip_client_config cfg = {.servers = servers, .server_count = 1};
    return kmip_client_new(&cfg, status);
}

static void assert_server_refused(const char *server, const char *why)
{
    kmip_status status;
    assert_null(client_for(server, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(status.message, why));
}

static void assert_server_accepted(const char *server)
{
    kmip_status status;
    kmip_client *client = client_for(server, &status);
    if (client == NULL)
        fail_msg("%s: %s", server, status.message);
    assert_int_equal(status.rc, KMIP_OK);
    kmip_client_free(client);
}

static void test_server_forms_are_accepted(void **state)
{
    (void)state;
    assert_server_accepted("kmip.example.com");
    assert_server_accepted("kmip.example.com:5696");
    assert_server_accepted("192.0.2.1:1");
    assert_server_accepted("[2001:db8::1]");
    assert_server_accepted("[2001:db8::1]:65535");
}

static void test_bad_ports_are_refused(void **state)
{
    (void)state;
    assert_server_refused("kmip.example.com:0", "bad port");
    assert_server_refused("kmip.example.com:65536", "bad port");
    assert_server_refused("kmip.example.com:", "bad port");
    assert_server_refused("kmip.example.com:56x", "bad port");
}

static void test_malformed_servers_are_refused(void **state)
{
    (void)state;
    assert_server_refused("", "expected host:port");
    assert_server_refused(":5696", "expected host:port");
    assert_server_refused("2001:db8::1:5696", "expected host:port");
    assert_server_refused("[2001:db8::1", "expected host:port");
    assert_server_refused("[]:5696", "expected host:port");
    assert_server_refused("[2001:db8::1]5696", "expected host:port");
}

static void test_no_server_is_refused(void **state)
{
    (void)state;
    kmip_client_config cfg = {0};
    kmip_status status;
    assert_null(kmip_client_new(&cfg, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
    assert_null(kmip_client_new(NULL, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
}

static void test_unknown_version_is_refused(void **state)
{
    (void)state;
    const char *servers[] = {"kmip.example.com"};
    kmip_client_config cfg = {
        .servers = servers, .server_count = 1, .version = KMIP_VERSION(1, 5)};
    kmip_status status;
    assert_null(kmip_client_new(&cfg, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(status.message, "1.5"));
}

static void test_certificate_without_key_is_refused(void **state)
{
    (void)state;
    const char *servers[] = {"kmip.example.com"};
    kmip_client_config cfg = {
        .servers = servers, .server_count = 1, .cert_file = "client.pem"};
    kmip_status status;
    assert_null(kmip_client_new(&cfg, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
}

static void test_missing_ca_file_is_refused(void **state)
{
    (void)state;
    const char *servers[] = {"kmip.example.com"};
    kmip_client_config cfg = {.servers = servers,
                              .server_count = 1,
                              .ca_file = "/nonexistent/ca.pem"};
    kmip_status status;
    assert_null(kmip_client_new(&cfg, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(status.message, "/nonexistent/ca.pem"));
}

static void test_tls_below_1_2_is_refused(void **state)
{
    (void)state;
    const char *servers[] = {"kmip.example.com"};
    kmip_client_config cfg = {.servers = servers,
                              .server_count = 1,
                              .tls_min_version = 0x0302 /* TLS 1.1 */};
    kmip_status status;
    assert_null(kmip_client_new(&cfg, &status));
    assert_int_equal(status.rc, KMIP_E_CONFIG);
}

static void test_call_without_items_is_invalid(void **state)
{
    (void)state;
    kmip_status status;
    kmip_client *client = client_for("kmip.example.com", &status);
    assert_non_null(client);
    kmip_request_item item = {.operation = KMIP_OPERATION_QUERY};
    kmip_response *resp = NULL;
    assert_int_equal(kmip_client_call(client, &item, 0, 1, &resp, &status),
                     KMIP_E_INVALID_ARG);
    assert_null(resp);
    assert_int_equal(kmip_client_call(client, NULL, 1, 1, &resp, &status),
                     KMIP_E_INVALID_ARG);
    kmip_client_free(client);
}

/* The payload is consumed even when the call is refused (ASan would
 * report it leaked otherwise). */
static void test_refused_call_frees_the_payload(void **state)
{
    (void)state;
    kmip_status status;
    kmip_client *client = client_for("kmip.example.com", &status);
    assert_non_null(client);
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    assert_non_null(payload);
    assert_int_equal(kmip_client_call_one(client, KMIP_OPERATION_QUERY, payload,
                                          1, NULL, &status),
                     KMIP_E_INVALID_ARG);
    kmip_client_free(client);
}

static void test_free_and_stats_accept_null(void **state)
{
    (void)state;
    kmip_client_free(NULL);
    kmip_client_stats stats = {.requests = 7};
    kmip_client_get_stats(NULL, &stats);
    assert_int_equal(stats.requests, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_forms_are_accepted),
        cmocka_unit_test(test_bad_ports_are_refused),
        cmocka_unit_test(test_malformed_servers_are_refused),
        cmocka_unit_test(test_no_server_is_refused),
        cmocka_unit_test(test_unknown_version_is_refused),
        cmocka_unit_test(test_certificate_without_key_is_refused),
        cmocka_unit_test(test_missing_ca_file_is_refused),
        cmocka_unit_test(test_tls_below_1_2_is_refused),
        cmocka_unit_test(test_call_without_items_is_invalid),
        cmocka_unit_test(test_refused_call_frees_the_payload),
        cmocka_unit_test(test_free_and_stats_accept_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
