/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "p11kmip/conf.h"

#define GOOD_SLOT                                                              \
    "{\"label\":\"prod\",\"servers\":[\"kmip1:5696\",\"[::1]:5697\"],"         \
    "\"ca\":\"/ca.pem\",\"cert\":\"/c.pem\",\"key\":\"/c.key\""

static char err[512];

static p11kmip_conf *parse(const char *json)
{
    err[0] = '\0';
    return p11kmip_conf_parse(json, "test.json", err, sizeof(err));
}

static void expect_error(const char *json, const char *fragment)
{
    p11kmip_conf *conf = parse(json);

    assert_null(conf);
    if (strstr(err, fragment) == NULL)
        fail_msg("error \"%s\" lacks \"%s\"", err, fragment);
}

static void full_config_is_read(void **state)
{
    p11kmip_conf *conf;

    (void)state;
    conf = parse("{\"slots\":[" GOOD_SLOT ",\"kmip_version\":\"1.4\","
                 "\"timeout_ms\":250,\"pool\":2,\"login\":\"credential\","
                 "\"username\":\"alice\",\"ciphers\":\"AES128-SHA256\"}],"
                 "\"log\":{\"level\":\"debug\",\"file\":\"/tmp/l\"}}");
    assert_non_null(conf);
    assert_int_equal(conf->slot_count, 1);
    assert_string_equal(conf->slots[0].label, "prod");
    assert_int_equal(conf->slots[0].server_count, 2);
    assert_string_equal(conf->slots[0].servers[1], "[::1]:5697");
    assert_int_equal(conf->slots[0].kmip_major, 1);
    assert_int_equal(conf->slots[0].kmip_minor, 4);
    assert_int_equal(conf->slots[0].timeout_ms, 250);
    assert_int_equal(conf->slots[0].pool, 2);
    assert_int_equal(conf->slots[0].login, P11KMIP_LOGIN_CREDENTIAL);
    assert_string_equal(conf->slots[0].username, "alice");
    assert_int_equal(conf->log_level, P11KMIP_LOG_DEBUG);
    assert_string_equal(conf->log_file, "/tmp/l");
    p11kmip_conf_free(conf);
}

static void defaults_apply(void **state)
{
    p11kmip_conf *conf;

    (void)state;
    conf = parse("{\"slots\":[" GOOD_SLOT "}]}");
    assert_non_null(conf);
    assert_int_equal(conf->slots[0].timeout_ms, 5000);
    assert_int_equal(conf->slots[0].pool, 32);
    assert_int_equal(conf->slots[0].kmip_major, 0);
    assert_int_equal(conf->slots[0].login, P11KMIP_LOGIN_NONE);
    assert_int_equal(conf->log_level, P11KMIP_LOG_WARN);
    p11kmip_conf_free(conf);
}

static void unknown_key_is_named(void **state)
{
    (void)state;
    expect_error("{\"slots\":[" GOOD_SLOT ",\"sever\":1}]}",
                 "test.json: unknown key \"slots[0].sever\"");
    expect_error("{\"slots\":[" GOOD_SLOT "}],\"lgo\":{}}",
                 "unknown key \"lgo\"");
}

static void wrong_types_are_named(void **state)
{
    (void)state;
    expect_error("{\"slots\":[" GOOD_SLOT ",\"pool\":\"4\"}]}",
                 "\"slots[0].pool\" must be an integer");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"timeout_ms\":0}]}",
                 "\"slots[0].timeout_ms\" must be between 1");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"kmip_version\":\"3.0\"}]}",
                 "\"slots[0].kmip_version\" must be \"auto\"");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"login\":\"pin\"}]}",
                 "\"slots[0].login\" is \"pin\"");
    expect_error("{\"slots\":[" GOOD_SLOT "}],\"log\":{\"level\":\"loud\"}}",
                 "\"log.level\" must be");
}

static void bad_servers_are_rejected(void **state)
{
    (void)state;
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[]}]}",
                 "\"slots[0].servers\" must be a non-empty array");
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[\"host\"]}]}",
                 "\"slots[0].servers[0]\" is \"host\"");
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[\"h:70000\"]}]}",
                 "expected \"host:port\"");
}

static void incomplete_slots_are_rejected(void **state)
{
    (void)state;
    expect_error("{\"slots\":[]}", "\"slots\" must be a non-empty array");
    expect_error("{\"slots\":[{\"servers\":[\"h:1\"]}]}",
                 "\"slots[0].label\" is missing");
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[\"h:1\"]}]}",
                 "needs \"ca\", \"cert\" and \"key\"");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"login\":\"credential\"}]}",
                 "\"username\" is missing");
    expect_error("{\"slots\":[{\"label\":\"0123456789012345678901234567890"
                 "12\",\"servers\":[\"h:1\"]}]}",
                 "longer than the 32 bytes");
}

static void invalid_json_gives_position(void **state)
{
    (void)state;
    expect_error("{\"slots\": [", "test.json: invalid JSON near byte");
    expect_error("{} x", "trailing text");
    expect_error("[1]", "the top level must be an object");
}

static void environment_alone_defines_a_slot(void **state)
{
    p11kmip_conf *conf;

    (void)state;
    unsetenv("P11KMIP_CONFIG");
    setenv("P11KMIP_SERVER", "127.0.0.1:1,127.0.0.1:2", 1);
    setenv("P11KMIP_CA", "/ca", 1);
    setenv("P11KMIP_CERT", "/cert", 1);
    setenv("P11KMIP_KEY", "/key", 1);
    setenv("P11KMIP_LOG_LEVEL", "info", 1);
    conf = p11kmip_conf_load(err, sizeof(err));
    assert_non_null(conf);
    assert_string_equal(conf->source, "environment");
    assert_int_equal(conf->slots[0].server_count, 2);
    assert_string_equal(conf->slots[0].servers[1], "127.0.0.1:2");
    assert_string_equal(conf->slots[0].key, "/key");
    assert_int_equal(conf->log_level, P11KMIP_LOG_INFO);
    p11kmip_conf_free(conf);

    setenv("P11KMIP_LOG_LEVEL", "chatty", 1);
    assert_null(p11kmip_conf_load(err, sizeof(err)));
    assert_non_null(strstr(err, "P11KMIP_LOG_LEVEL is \"chatty\""));
    unsetenv("P11KMIP_LOG_LEVEL");
    unsetenv("P11KMIP_SERVER");
    unsetenv("P11KMIP_CA");
    unsetenv("P11KMIP_CERT");
    unsetenv("P11KMIP_KEY");
}

static void file_is_read_and_overridden(void **state)
{
    char path[] = "/tmp/p11kmip-conf-XXXXXX";
    const char *json = "{\"slots\":[" GOOD_SLOT "}]}";
    p11kmip_conf *conf;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    setenv("P11KMIP_CONFIG", path, 1);
    setenv("P11KMIP_KEY", "/other.key", 1);
    conf = p11kmip_conf_load(err, sizeof(err));
    assert_non_null(conf);
    assert_string_equal(conf->source, path);
    assert_string_equal(conf->slots[0].key, "/other.key");
    assert_string_equal(conf->slots[0].cert, "/c.pem");
    p11kmip_conf_free(conf);
    unsetenv("P11KMIP_KEY");
    unlink(path);

    assert_null(p11kmip_conf_load(err, sizeof(err)));
    assert_non_null(strstr(err, "cannot open"));
    assert_non_null(strstr(err, path));
    unsetenv("P11KMIP_CONFIG");
}

static void saved_config_reads_back(void **state)
{
    char path[] = "/tmp/p11kmip-conf-XXXXXX";
    p11kmip_conf *conf, *again;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    conf = parse("{\"slots\":[" GOOD_SLOT ",\"kmip_version\":\"2.0\","
                 "\"login\":\"key-passphrase\"}]}");
    assert_non_null(conf);
    assert_int_equal(p11kmip_conf_save(conf, path, err, sizeof(err)), 0);
    again = p11kmip_conf_load_file(path, err, sizeof(err));
    assert_non_null(again);
    assert_string_equal(again->slots[0].servers[1], "[::1]:5697");
    assert_int_equal(again->slots[0].kmip_major, 2);
    assert_int_equal(again->slots[0].login, P11KMIP_LOGIN_KEY_PASSPHRASE);
    p11kmip_conf_free(conf);
    p11kmip_conf_free(again);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_config_is_read),
        cmocka_unit_test(defaults_apply),
        cmocka_unit_test(unknown_key_is_named),
        cmocka_unit_test(wrong_types_are_named),
        cmocka_unit_test(bad_servers_are_rejected),
        cmocka_unit_test(incomplete_slots_are_rejected),
        cmocka_unit_test(invalid_json_gives_position),
        cmocka_unit_test(environment_alone_defines_a_slot),
        cmocka_unit_test(file_is_read_and_overridden),
        cmocka_unit_test(saved_config_reads_back),
    };

    unsetenv("P11KMIP_SERVER");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
