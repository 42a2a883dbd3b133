/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "p11kmip/conf.h"
#include "p11kmip/conf_client.h"
#include "p11kmip/conf_schema.h"

#include "conf_internal.h"

#define GOOD_SLOT                                                              \
    "{\"label\":\"prod\",\"servers\":[\"kmip1:5696\",\"[::1]:5697\"],"         \
    "\"ca\":\"/ca.pem\",\"cert\":\"/c.pem\",\"key\":\"/c.key\""

static char err[512];

static mode_t file_mode(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static mode_t current_umask(void)
{
    mode_t mask = umask(0);

    umask(mask);
    return mask;
}

static p11kmip_conf *parse(const char *json)
{
    err[0] = '\0';
    return p11kmip_conf_parse(json, "test.json", err, sizeof(err));
}

/* A one-slot configuration from the environment alone. */
static void set_env_slot(const char *servers)
{
    unsetenv("P11KMIP_CONFIG");
    setenv("P11KMIP_SERVER", servers, 1);
    setenv("P11KMIP_CA", "/ca", 1);
    setenv("P11KMIP_CERT", "/cert", 1);
    setenv("P11KMIP_KEY", "/key", 1);
}

static void unset_env_slot(void)
{
    unsetenv("P11KMIP_SERVER");
    unsetenv("P11KMIP_CA");
    unsetenv("P11KMIP_CERT");
    unsetenv("P11KMIP_KEY");
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
                 "\"slots[0].pool\" must be an integer from 1 to 256");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"timeout_ms\":true}]}",
                 "\"slots[0].timeout_ms\" must be an integer");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"kmip_version\":1.4}]}",
                 "\"slots[0].kmip_version\" must be \"auto\", \"1.0\"");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"login\":\"pin\"}]}",
                 "\"slots[0].login\" is \"pin\", expected \"none\", "
                 "\"key-passphrase\" or \"credential\"");
    expect_error("{\"slots\":[" GOOD_SLOT "}],\"log\":{\"level\":\"loud\"}}",
                 "\"log.level\" is \"loud\", expected \"off\", \"error\"");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"ca\":[]}]}",
                 "\"slots[0].ca\" must be the path of a readable file");
}

#define LABEL_32 "\"abcdefghijklmnopqrstuvwxyz012345\""
#define LABEL_33 "\"abcdefghijklmnopqrstuvwxyz0123456\""

/* Each key at a bound and one past it. The bounds are written here, not
 * read from the schema, so that a wrong bound in the schema fails. */
static const struct {
    const char *key, *at_bound, *read_back, *past_bound;
} bounds[] = {
    {"pool", "1", "1", "0"},
    {"pool", "256", "256", "257"},
    {"pool", "256", "256", "-1"},
    {"timeout_ms", "1", "1", "0"},
    {"timeout_ms", "3600000", "3600000", "3600001"},
    {"timeout_ms", "3600000", "3600000", "4294967297"},
    {"kmip_version", "\"1.0\"", "1.0", "\"0.9\""},
    {"kmip_version", "\"2.1\"", "2.1", "\"2.2\""},
    {"kmip_version", "\"auto\"", "auto", "\"3.7\""},
    {"label", LABEL_32, LABEL_32, LABEL_33},
    {"servers", "[\"h:65535\"]", "h:65535", "[\"h:65536\"]"},
    {"servers", "[\"h:1\"]", "h:1", "[\"h:0\"]"},
    {"login", "\"key-passphrase\"", "key-passphrase", "\"\""},
};

static const p11kmip_conf_field *slot_field(const char *name)
{
    for (size_t i = 0; i < p11kmip_conf_slot_field_count; i++)
        if (strcmp(p11kmip_conf_slot_fields[i].name, name) == 0)
            return &p11kmip_conf_slot_fields[i];
    fail_msg("no slot field \"%s\"", name);
    return NULL;
}

static void each_key_is_kept_at_its_bounds_and_refused_past_them(void **state)
{
    char json[512], text[128], key[64];
    p11kmip_conf *conf;

    (void)state;
    for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
        snprintf(json, sizeof(json), "{\"slots\":[" GOOD_SLOT ",\"%s\":%s}]}",
                 bounds[i].key, bounds[i].at_bound);
        conf = parse(json);
        if (conf == NULL)
            fail_msg("%s refused: %s", json, err);
        p11kmip_conf_field_text(slot_field(bounds[i].key), &conf->slots[0],
                                text, sizeof(text));
        snprintf(json, sizeof(json), "%s", bounds[i].read_back);
        if (json[0] == '"') /* a label reads back without its quotes */
            snprintf(json, sizeof(json), "%.*s",
                     (int)strlen(bounds[i].read_back) - 2,
                     bounds[i].read_back + 1);
        assert_string_equal(text, json);
        p11kmip_conf_free(conf);

        snprintf(json, sizeof(json), "{\"slots\":[" GOOD_SLOT ",\"%s\":%s}]}",
                 bounds[i].key, bounds[i].past_bound);
        snprintf(key, sizeof(key), "\"slots[0].%s", bounds[i].key);
        expect_error(json, key);
    }
}

/* The environment overrides take the same bounds as the file. */
static void environment_values_are_bounded_like_the_file(void **state)
{
    static const struct {
        const char *name, *at_bound, *past_bound;
    } env[] = {
        {"P11KMIP_TIMEOUT_MS", "1", "0"},
        {"P11KMIP_TIMEOUT_MS", "3600000", "3600001"},
        {"P11KMIP_KMIP_VERSION", "2.1", "2.2"},
        {"P11KMIP_SERVER", "h:65535", "h:65536"},
        {"P11KMIP_SERVER", "a:1,b:2", "a:1,b"},
        {"P11KMIP_LABEL", "abcdefghijklmnopqrstuvwxyz012345",
         "abcdefghijklmnopqrstuvwxyz0123456"},
        {"P11KMIP_LOG_LEVEL", "off", "trace2"},
    };
    p11kmip_conf *conf;

    (void)state;
    set_env_slot("127.0.0.1:1");
    for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
        setenv(env[i].name, env[i].at_bound, 1);
        conf = p11kmip_conf_load(err, sizeof(err));
        if (conf == NULL)
            fail_msg("%s=%s refused: %s", env[i].name, env[i].at_bound, err);
        p11kmip_conf_free(conf);
        setenv(env[i].name, env[i].past_bound, 1);
        assert_null(p11kmip_conf_load(err, sizeof(err)));
        if (strncmp(err, env[i].name, strlen(env[i].name)) != 0)
            fail_msg("%s=%s: error \"%s\" does not name it", env[i].name,
                     env[i].past_bound, err);
        unsetenv(env[i].name);
        setenv("P11KMIP_SERVER", "127.0.0.1:1", 1);
    }
    unset_env_slot();
}

static void log_level_off_and_defaults_come_from_one_table(void **state)
{
    p11kmip_slot_conf slot;
    p11kmip_conf *conf;

    (void)state;
    conf = parse("{\"slots\":[" GOOD_SLOT "}],\"log\":{\"level\":\"off\"}}");
    assert_non_null(conf);
    assert_int_equal(conf->log_level, P11KMIP_LOG_OFF);
    assert_string_equal(p11kmip_log_level_name(P11KMIP_LOG_OFF), "off");
    p11kmip_conf_free(conf);
    p11kmip_conf_slot_defaults(&slot);
    assert_int_equal(slot.timeout_ms, 5000);
    assert_int_equal(slot.pool, 32);
    assert_null(slot.label);
}

static void bad_servers_are_rejected(void **state)
{
    (void)state;
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[]}]}",
                 "\"slots[0].servers\" must be a non-empty array");
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[\"host\"]}]}",
                 "\"slots[0].servers[0]\" is \"host\", expected \"host:port\"");
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
                 "\"slots[0].ca\" is missing");
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[\"h:1\"],"
                 "\"ca\":\"/ca\",\"cert\":\"/c\"}]}",
                 "\"slots[0].key\" is missing");
    expect_error("{\"slots\":[" GOOD_SLOT ",\"login\":\"credential\"}]}",
                 "\"username\" is missing");
    expect_error("{\"slots\":[{\"label\":\"0123456789012345678901234567890"
                 "12\",\"servers\":[\"h:1\"]}]}",
                 "expected a string of at most 32 bytes");
}

static void a_p12_slot_needs_no_cert_key_or_ca(void **state)
{
    (void)state;
    p11kmip_conf *conf = parse("{\"slots\":[{\"label\":\"x\",\"servers\":"
                               "[\"h:1\"],\"p12\":\"/c.p12\"}]}");

    assert_non_null(conf);
    assert_string_equal(conf->slots[0].p12, "/c.p12");
    assert_null(conf->slots[0].ca);
    p11kmip_conf_free(conf);
    expect_error("{\"slots\":[{\"label\":\"x\",\"servers\":[\"h:1\"],"
                 "\"p12\":\"/c.p12\",\"key\":\"/k\"}]}",
                 "names \"p12\" and \"cert\" or \"key\"");
}

static void vault_settings_are_booleans_and_trace_a_level(void **state)
{
    (void)state;
    p11kmip_conf *conf = parse("{\"slots\":[" GOOD_SLOT "}]}");

    assert_non_null(conf);
    assert_false(conf->slots[0].hardware_slot);
    assert_true(conf->slots[0].attribute_cache);
    p11kmip_conf_free(conf);
    conf = parse("{\"slots\":[" GOOD_SLOT ",\"hardware_slot\":true,"
                 "\"attribute_cache\":false}],\"log\":{\"level\":\"trace\"}}");
    assert_non_null(conf);
    assert_true(conf->slots[0].hardware_slot);
    assert_false(conf->slots[0].attribute_cache);
    assert_int_equal(conf->log_level, P11KMIP_LOG_TRACE);
    p11kmip_conf_free(conf);
    expect_error("{\"slots\":[" GOOD_SLOT ",\"hardware_slot\":\"yes\"}]}",
                 "hardware_slot\" must be true or false");
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
    set_env_slot("127.0.0.1:1,127.0.0.1:2");
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
    unset_env_slot();
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

/* Writes json into a new file of dir with mode; returns its path in
 * path. */
static void write_file(const char *dir, const char *name, const char *json,
                       mode_t mode, char *path, size_t path_len)
{
    FILE *file;

    snprintf(path, path_len, "%s/%s", dir, name);
    file = fopen(path, "w");
    assert_non_null(file);
    assert_int_equal(fputs(json, file) >= 0, 1);
    assert_int_equal(fclose(file), 0);
    assert_int_equal(chmod(path, mode), 0);
}

#define SECRET_SLOT "{\"slots\":[" GOOD_SLOT ",\"key_password\":\"s3cret\"}]}"

static void a_file_others_may_read_holding_a_secret_is_refused(void **state)
{
    char dir[] = "/tmp/p11kmip-conf-XXXXXX", path[256], *text;
    kmip_client_config cfg;
    p11kmip_conf *conf;

    (void)state;
    assert_non_null(mkdtemp(dir));
    write_file(dir, "open.json", SECRET_SLOT, 0644, path, sizeof(path));
    assert_null(p11kmip_conf_load_file(path, err, sizeof(err)));
    assert_non_null(strstr(err, "holds the secret \"slots[0].key_password\""));
    assert_non_null(strstr(err, "chmod 600"));
    unlink(path);

    write_file(dir, "own.json", SECRET_SLOT, 0600, path, sizeof(path));
    conf = p11kmip_conf_load_file(path, err, sizeof(err));
    assert_non_null(conf);
    p11kmip_slot_client_config(&conf->slots[0], &cfg);
    assert_string_equal(cfg.key_passphrase, "s3cret");
    text = p11kmip_conf_text(conf, false);
    assert_null(strstr(text, "s3cret"));
    assert_non_null(strstr(text, "(hidden)"));
    free(text);
    unlink(path);
    assert_int_equal(p11kmip_conf_save(conf, path, err, sizeof(err)), 0);
    assert_int_equal(file_mode(path), 0600);
    p11kmip_conf_free(conf);
    unlink(path);
    rmdir(dir);
}

static void a_file_others_may_write_is_refused(void **state)
{
    char dir[] = "/tmp/p11kmip-conf-XXXXXX", path[256];
    p11kmip_conf *conf;

    (void)state;
    assert_non_null(mkdtemp(dir));
    write_file(dir, "shared.json", "{\"slots\":[" GOOD_SLOT "}]}", 0664, path,
               sizeof(path));
    assert_null(p11kmip_conf_load_file(path, err, sizeof(err)));
    assert_non_null(strstr(err, "other users may write it (mode 0664)"));
    assert_int_equal(chmod(path, 0644), 0);
    conf = p11kmip_conf_load_file(path, err, sizeof(err));
    assert_non_null(conf);
    assert_int_equal(p11kmip_conf_save(conf, path, err, sizeof(err)), 0);
    assert_int_equal(file_mode(path), 0644 & ~current_umask());
    p11kmip_conf_free(conf);
    unlink(path);
    rmdir(dir);
}

/* $XDG_CONFIG_HOME/p11kmip/p11kmip.json, else ~/.config/...; a user's
 * slots come first and hide the system's of the same label. */
static void user_and_system_files_are_read_together(void **state)
{
    char dir[] = "/tmp/p11kmip-conf-XXXXXX", user[256], system[256];
    char expected[600];
    p11kmip_conf *conf;

    (void)state;
    assert_non_null(mkdtemp(dir));
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    assert_int_equal(p11kmip_conf_user_path(user, sizeof(user)), 0);
    assert_string_equal(user, "/xdg/p11kmip/p11kmip.json");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/u", 1);
    assert_int_equal(p11kmip_conf_user_path(user, sizeof(user)), 0);
    assert_string_equal(user, "/home/u/.config/p11kmip/p11kmip.json");
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);

    write_file(dir, "user.json",
               "{\"slots\":[" GOOD_SLOT ",\"label\":\"mine\"}," GOOD_SLOT
               ",\"label\":\"shared\",\"pool\":7}]}",
               0600, user, sizeof(user));
    write_file(dir, "system.json",
               "{\"slots\":[" GOOD_SLOT ",\"label\":\"shared\"}," GOOD_SLOT
               ",\"label\":\"company\"}]}",
               0644, system, sizeof(system));
    conf = conf_load_both(user, system, err, sizeof(err));
    assert_non_null(conf);
    assert_int_equal(conf->slot_count, 3);
    assert_string_equal(conf->slots[0].label, "mine");
    assert_string_equal(conf->slots[1].label, "shared");
    assert_int_equal(conf->slots[1].pool, 7);
    assert_string_equal(conf->slots[1].source, user);
    assert_string_equal(conf->slots[2].label, "company");
    assert_string_equal(conf->slots[2].source, system);
    snprintf(expected, sizeof(expected), "%s and %s", user, system);
    assert_string_equal(conf->source, expected);
    p11kmip_conf_free(conf);

    /* A system file that cannot be read leaves the user's alone. */
    conf = conf_load_both(user, "/nonexistent/p11kmip.json", err, sizeof(err));
    assert_non_null(conf);
    assert_int_equal(conf->slot_count, 2);
    p11kmip_conf_free(conf);
    unlink(user);
    unlink(system);
    rmdir(dir);
}

/* Without P11KMIP_CONFIG the user's file is read; with none, the error
 * says where the files would be. */
static void the_search_finds_the_users_file(void **state)
{
    char dir[] = "/tmp/p11kmip-conf-XXXXXX", folder[64], path[256];
    p11kmip_conf *conf;

    (void)state;
    unsetenv("P11KMIP_CONFIG");
    assert_null(p11kmip_conf_load(err, sizeof(err)));
    assert_non_null(strstr(err, "create /nonexistent/p11kmip/p11kmip.json or "
                                "/etc/p11kmip/p11kmip.json"));
    assert_non_null(mkdtemp(dir));
    snprintf(folder, sizeof(folder), "%s/p11kmip", dir);
    assert_int_equal(mkdir(folder, 0700), 0);
    write_file(folder, "p11kmip.json", "{\"slots\":[" GOOD_SLOT "}]}", 0644,
               path, sizeof(path));
    setenv("XDG_CONFIG_HOME", dir, 1);
    conf = p11kmip_conf_load(err, sizeof(err));
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    assert_non_null(conf);
    assert_string_equal(conf->source, path);
    assert_string_equal(conf->slots[0].source, path);
    p11kmip_conf_free(conf);
    /* A system file that does not parse is named. */
    assert_null(conf_load_both(path, folder, err, sizeof(err)));
    assert_non_null(strstr(err, "not a regular file"));
    unlink(path);
    rmdir(folder);
    rmdir(dir);
}

static void a_file_with_a_nul_byte_is_refused(void **state)
{
    char path[] = "/tmp/p11kmip-conf-XXXXXX";
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "{\"slots\"\0:[]}", 13), 13);
    close(fd);
    assert_null(p11kmip_conf_load_file(path, err, sizeof(err)));
    assert_non_null(strstr(err, "contains a NUL byte"));
    unlink(path);
    set_env_slot(",");
    assert_null(p11kmip_conf_load(err, sizeof(err)));
    assert_string_equal(err, "P11KMIP_SERVER is empty");
    unset_env_slot();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_config_is_read),
        cmocka_unit_test(defaults_apply),
        cmocka_unit_test(unknown_key_is_named),
        cmocka_unit_test(wrong_types_are_named),
        cmocka_unit_test(each_key_is_kept_at_its_bounds_and_refused_past_them),
        cmocka_unit_test(environment_values_are_bounded_like_the_file),
        cmocka_unit_test(log_level_off_and_defaults_come_from_one_table),
        cmocka_unit_test(bad_servers_are_rejected),
        cmocka_unit_test(incomplete_slots_are_rejected),
        cmocka_unit_test(a_p12_slot_needs_no_cert_key_or_ca),
        cmocka_unit_test(vault_settings_are_booleans_and_trace_a_level),
        cmocka_unit_test(invalid_json_gives_position),
        cmocka_unit_test(environment_alone_defines_a_slot),
        cmocka_unit_test(file_is_read_and_overridden),
        cmocka_unit_test(saved_config_reads_back),
        cmocka_unit_test(a_file_others_may_read_holding_a_secret_is_refused),
        cmocka_unit_test(a_file_others_may_write_is_refused),
        cmocka_unit_test(user_and_system_files_are_read_together),
        cmocka_unit_test(the_search_finds_the_users_file),
        cmocka_unit_test(a_file_with_a_nul_byte_is_refused),
    };

    unsetenv("P11KMIP_SERVER");
    /* No user's file of whoever runs the tests. */
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
