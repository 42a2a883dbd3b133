/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's configuration file: defaults, every key, and errors that name
 * the file and the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmip/tags.h"

#include "kmipd/config.h"

#define REQUIRED                                                               \
    "\"ca\": \"ca.pem\", \"cert\": \"c.pem\", \"key\": \"k.pem\", "            \
    "\"database\": \"db\", \"master_key\": \"mk\""

static char path[64];

/* Writes json to a temporary file and loads it. */
static kmipd_config *load(const char *json, kmip_status *st)
{
    strcpy(path, "/tmp/kmipd-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    kmipd_config *config = kmipd_config_load(path, st);
    unlink(path);
    return config;
}

static void test_absent_keys_get_defaults(void **state)
{
    (void)state;
    kmip_status st;
    kmipd_config *config = load("{" REQUIRED "}", &st);
    assert_non_null(config);
    assert_string_equal(config->listen_host, "127.0.0.1");
    assert_string_equal(config->listen_port, "5696");
    assert_int_equal(config->max_message, KMIP_DEFAULT_MAX_MESSAGE);
    assert_int_equal(config->log_level, KMIPD_LOG_INFO);
    assert_true(config->workers >= 1);
    assert_false(config->export_private_keys);
    assert_false(config->allow_triple_des);
    assert_int_equal(config->faults.delay_ms, 0);
    assert_int_equal(config->handshake_timeout_ms, 5000);
    assert_true(config->max_handshakes < config->max_connections);
    assert_true(config->max_handshakes_per_peer < config->max_handshakes);
    assert_true(config->max_buffered >= config->max_message);
    kmipd_config_free(config);
}

static void test_every_key_is_read(void **state)
{
    (void)state;
    kmip_status st;
    kmipd_config *config = load(
        "{" REQUIRED ", \"listen\": \"[::1]:7000\", \"log_level\": \"debug\","
        " \"log_file\": \"/tmp/x.log\", \"workers\": 3, \"max_message\": "
        "65536, \"max_connections\": 9, \"idle_timeout_ms\": 1500, "
        "\"max_buffered\": 131072, \"max_handshakes\": 7, "
        "\"max_handshakes_per_peer\": 2, \"handshake_timeout_ms\": 900, "
        "\"export_private_keys\": true, \"allow_triple_des\": true, "
        "\"faults\": {\"delay_ms\": 5, "
        "\"close_after\": 2, \"fail_operation\": \"Sign\", \"fail_reason\": "
        "\"CryptographicFailure\"}}",
        &st);
    assert_non_null(config);
    assert_string_equal(config->listen_host, "::1");
    assert_string_equal(config->listen_port, "7000");
    assert_int_equal(config->log_level, KMIPD_LOG_DEBUG);
    assert_string_equal(config->log_file, "/tmp/x.log");
    assert_int_equal(config->workers, 3);
    assert_int_equal(config->max_message, 65536);
    assert_int_equal(config->max_connections, 9);
    assert_int_equal(config->idle_timeout_ms, 1500);
    assert_int_equal(config->max_buffered, 131072);
    assert_int_equal(config->max_handshakes, 7);
    assert_int_equal(config->max_handshakes_per_peer, 2);
    assert_int_equal(config->handshake_timeout_ms, 900);
    assert_true(config->export_private_keys);
    assert_true(config->allow_triple_des);
    assert_int_equal(config->faults.delay_ms, 5);
    assert_int_equal(config->faults.close_after, 2);
    assert_int_equal(config->faults.fail_operation, KMIP_OPERATION_SIGN);
    assert_int_equal(config->faults.fail_reason,
                     KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    kmipd_config_free(config);
}

static void test_unknown_key_names_the_file_and_the_key(void **state)
{
    (void)state;
    kmip_status st;
    assert_null(load("{" REQUIRED ", \"listne\": \"x:1\"}", &st));
    assert_int_equal(st.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(st.message, path));
    assert_non_null(strstr(st.message, "\"listne\""));
}

static void test_unknown_fault_is_an_error(void **state)
{
    (void)state;
    kmip_status st;
    assert_null(load("{" REQUIRED ", \"faults\": {\"explode\": 1}}", &st));
    assert_non_null(strstr(st.message, "explode"));
}

static void test_a_missing_required_key_is_named(void **state)
{
    (void)state;
    kmip_status st;
    assert_null(load("{\"ca\": \"a\", \"cert\": \"b\", \"key\": \"c\", "
                     "\"database\": \"d\"}",
                     &st));
    assert_non_null(strstr(st.message, "master_key"));
}

static void test_a_value_of_the_wrong_type_is_an_error(void **state)
{
    (void)state;
    kmip_status st;
    assert_null(load("{" REQUIRED ", \"workers\": \"4\"}", &st));
    assert_non_null(strstr(st.message, "workers"));
    assert_null(load("{" REQUIRED ", \"max_message\": 10}", &st));
    assert_non_null(strstr(st.message, "max_message"));
}

static void test_malformed_json_is_an_error(void **state)
{
    (void)state;
    kmip_status st;
    assert_null(load("{\"ca\": ", &st));
    assert_int_equal(st.rc, KMIP_E_CONFIG);
}

static void refused(const char *json, const char *key, const char *why)
{
    kmip_status st;
    assert_null(load(json, &st));
    assert_int_equal(st.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(st.message, key));
    assert_non_null(strstr(st.message, why));
}

static void test_a_listen_port_out_of_range_is_an_error(void **state)
{
    (void)state;
    refused("{" REQUIRED ", \"listen\": \"127.0.0.1:99999\"}", "listen",
            "1 to 65535");
    refused("{" REQUIRED ", \"listen\": \"127.0.0.1:0\"}", "listen",
            "1 to 65535");
    refused("{" REQUIRED ", \"listen\": \"127.0.0.1:80a\"}", "listen",
            "1 to 65535");
    refused("{" REQUIRED ", \"listen\": \"127.0.0.1:\"}", "listen",
            "1 to 65535");
    kmip_status st;
    kmipd_config *config =
        load("{" REQUIRED ", \"listen\": \"127.0.0.1:65535\"}", &st);
    assert_non_null(config);
    assert_string_equal(config->listen_port, "65535");
    kmipd_config_free(config);
}

static void test_numbers_are_checked_at_both_bounds(void **state)
{
    (void)state;
    refused("{" REQUIRED ", \"workers\": 0}", "workers", "between 1 and");
    refused("{" REQUIRED ", \"handshake_timeout_ms\": 0}",
            "handshake_timeout_ms", "between 1 and");
    refused("{" REQUIRED ", \"max_handshakes_per_peer\": 65537}",
            "max_handshakes_per_peer", "and 65536");
    refused("{" REQUIRED ", \"max_message\": 2048, \"max_buffered\": 1500}",
            "max_buffered", "at least \"max_message\"");
    refused("{" REQUIRED ", \"faults\": {\"delay_ms\": -1}}", "faults.delay_ms",
            "between 0 and");
}

/* Each number at its largest value is kept and one more is refused. */
static void test_numbers_at_their_upper_bound_are_kept(void **state)
{
    static const struct {
        const char *key;
        unsigned long max;
    } uppers[] = {
        {"workers", 4096},
        {"max_connections", 65536},
        {"idle_timeout_ms", 86400000},
        {"handshake_timeout_ms", 600000},
    };
    char json[512];
    kmip_status st;

    (void)state;
    for (size_t i = 0; i < sizeof uppers / sizeof uppers[0]; i++) {
        snprintf(json, sizeof json, "{" REQUIRED ", \"%s\": %lu}",
                 uppers[i].key, uppers[i].max);
        kmipd_config *config = load(json, &st);
        if (config == NULL)
            fail_msg("%s refused: %s", json, st.message);
        kmipd_config_free(config);
        snprintf(json, sizeof json, "{" REQUIRED ", \"%s\": %lu}",
                 uppers[i].key, uppers[i].max + 1);
        refused(json, uppers[i].key, "between 1 and");
    }
}

static void test_only_a_regular_file_of_at_most_1_mib_is_read(void **state)
{
    (void)state;
    kmip_status st;
    assert_null(kmipd_config_load("/dev/zero", &st));
    assert_int_equal(st.rc, KMIP_E_CONFIG);
    assert_non_null(strstr(st.message, "not a regular file"));
    assert_null(kmipd_config_load("/nonexistent/kmipd.json", &st));
    assert_non_null(strstr(st.message, "/nonexistent/kmipd.json"));
    size_t big = 1024 * 1024 + 1;
    char *json = malloc(big + 1);
    assert_non_null(json);
    memset(json, ' ', big);
    json[0] = '{';
    json[big - 1] = '}';
    json[big] = '\0';
    assert_null(load(json, &st));
    free(json);
    assert_non_null(strstr(st.message, "at most 1048576 bytes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absent_keys_get_defaults),
        cmocka_unit_test(test_every_key_is_read),
        cmocka_unit_test(test_unknown_key_names_the_file_and_the_key),
        cmocka_unit_test(test_unknown_fault_is_an_error),
        cmocka_unit_test(test_a_missing_required_key_is_named),
        cmocka_unit_test(test_a_value_of_the_wrong_type_is_an_error),
        cmocka_unit_test(test_malformed_json_is_an_error),
        cmocka_unit_test(test_a_listen_port_out_of_range_is_an_error),
        cmocka_unit_test(test_numbers_are_checked_at_both_bounds),
        cmocka_unit_test(test_numbers_at_their_upper_bound_are_kept),
        cmocka_unit_test(test_only_a_regular_file_of_at_most_1_mib_is_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
