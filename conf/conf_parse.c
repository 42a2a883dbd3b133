/* SPDX-License-Identifier: Apache-2.0 */
/* JSON -> p11kmip_conf, strict: unknown keys and wrong types are errors
 * that name the source, the key and what was expected. */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

int conf_error(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && err_len > 0) {
        va_start(ap, fmt);
        vsnprintf(err, err_len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int get_string(json_object *value, const char *source, const char *key,
                      char **out, char *err, size_t err_len)
{
    if (!json_object_is_type(value, json_type_string))
        return conf_error(err, err_len, "%s: \"%s\" must be a string", source,
                          key);
    free(*out);
    *out = strdup(json_object_get_string(value));
    return *out == NULL ? conf_error(err, err_len, "out of memory") : 0;
}

static int get_uint(json_object *value, const char *source, const char *key,
                    uint32_t min, uint32_t max, uint32_t *out, char *err,
                    size_t err_len)
{
    int64_t v;

    if (!json_object_is_type(value, json_type_int))
        return conf_error(err, err_len, "%s: \"%s\" must be an integer", source,
                          key);
    errno = 0;
    v = json_object_get_int64(value);
    if (errno != 0 || v < (int64_t)min || v > (int64_t)max)
        return conf_error(err, err_len, "%s: \"%s\" must be between %u and %u",
                          source, key, min, max);
    *out = (uint32_t)v;
    return 0;
}

int conf_parse_version(const char *text, int32_t *major, int32_t *minor)
{
    static const char *const known[] = {"1.0", "1.1", "1.2", "1.3",
                                        "1.4", "2.0", "2.1"};
    size_t i;

    if (strcmp(text, "auto") == 0) {
        *major = *minor = 0;
        return 0;
    }
    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(text, known[i]) == 0) {
            *major = text[0] - '0';
            *minor = text[2] - '0';
            return 0;
        }
    }
    return -1;
}

int conf_parse_log_level(const char *text, p11kmip_log_level *level)
{
    static const p11kmip_log_level levels[] = {
        P11KMIP_LOG_ERROR, P11KMIP_LOG_WARN, P11KMIP_LOG_INFO,
        P11KMIP_LOG_DEBUG};
    size_t i;

    for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (strcmp(text, p11kmip_log_level_name(levels[i])) == 0) {
            *level = levels[i];
            return 0;
        }
    }
    return -1;
}

static int parse_servers(json_object *value, const char *source,
                         const char *key, p11kmip_slot_conf *slot, char *err,
                         size_t err_len)
{
    size_t i, n;

    if (!json_object_is_type(value, json_type_array) ||
        json_object_array_length(value) == 0)
        return conf_error(err, err_len,
                          "%s: \"%s\" must be a non-empty array of "
                          "\"host:port\" strings",
                          source, key);
    n = json_object_array_length(value);
    slot->servers = calloc(n, sizeof(*slot->servers));
    if (slot->servers == NULL)
        return conf_error(err, err_len, "out of memory");
    for (i = 0; i < n; i++) {
        json_object *entry = json_object_array_get_idx(value, i);
        char name[128];

        snprintf(name, sizeof(name), "%s[%zu]", key, i);
        if (get_string(entry, source, name, &slot->servers[i], err, err_len) !=
            0)
            return -1;
        slot->server_count++;
        if (conf_check_server(slot->servers[i]) != 0)
            return conf_error(err, err_len,
                              "%s: \"%s\" is \"%s\", expected \"host:port\"",
                              source, name, slot->servers[i]);
    }
    return 0;
}

static int parse_login(json_object *value, const char *source, const char *key,
                       p11kmip_slot_conf *slot, char *err, size_t err_len)
{
    const char *text;

    if (!json_object_is_type(value, json_type_string))
        return conf_error(err, err_len, "%s: \"%s\" must be a string", source,
                          key);
    text = json_object_get_string(value);
    if (strcmp(text, "none") == 0)
        slot->login = P11KMIP_LOGIN_NONE;
    else if (strcmp(text, "key-passphrase") == 0)
        slot->login = P11KMIP_LOGIN_KEY_PASSPHRASE;
    else if (strcmp(text, "credential") == 0)
        slot->login = P11KMIP_LOGIN_CREDENTIAL;
    else
        return conf_error(err, err_len,
                          "%s: \"%s\" is \"%s\", expected \"none\", "
                          "\"key-passphrase\" or \"credential\"",
                          source, key, text);
    return 0;
}

static int parse_slot(json_object *obj, const char *source, size_t index,
                      p11kmip_slot_conf *slot, char *err, size_t err_len)
{
    char key[96];
    int rc = 0;

    conf_slot_defaults(slot);
    if (!json_object_is_type(obj, json_type_object))
        return conf_error(err, err_len, "%s: \"slots[%zu]\" must be an object",
                          source, index);
    json_object_object_foreach(obj, name, value)
    {
        if (rc != 0)
            break;
        snprintf(key, sizeof(key), "slots[%zu].%.64s", index, name);
        if (strcmp(name, "label") == 0)
            rc = get_string(value, source, key, &slot->label, err, err_len);
        else if (strcmp(name, "servers") == 0)
            rc = parse_servers(value, source, key, slot, err, err_len);
        else if (strcmp(name, "ca") == 0)
            rc = get_string(value, source, key, &slot->ca, err, err_len);
        else if (strcmp(name, "cert") == 0)
            rc = get_string(value, source, key, &slot->cert, err, err_len);
        else if (strcmp(name, "key") == 0)
            rc = get_string(value, source, key, &slot->key, err, err_len);
        else if (strcmp(name, "ciphers") == 0)
            rc = get_string(value, source, key, &slot->ciphers, err, err_len);
        else if (strcmp(name, "verify_name") == 0)
            rc = get_string(value, source, key, &slot->verify_name, err,
                            err_len);
        else if (strcmp(name, "username") == 0)
            rc = get_string(value, source, key, &slot->username, err, err_len);
        else if (strcmp(name, "login") == 0)
            rc = parse_login(value, source, key, slot, err, err_len);
        else if (strcmp(name, "timeout_ms") == 0)
            rc = get_uint(value, source, key, 1, 3600000, &slot->timeout_ms,
                          err, err_len);
        else if (strcmp(name, "pool") == 0)
            rc =
                get_uint(value, source, key, 1, 256, &slot->pool, err, err_len);
        else if (strcmp(name, "kmip_version") == 0) {
            if (!json_object_is_type(value, json_type_string) ||
                conf_parse_version(json_object_get_string(value),
                                   &slot->kmip_major, &slot->kmip_minor) != 0)
                rc = conf_error(err, err_len,
                                "%s: \"%s\" must be \"auto\" or a version "
                                "from \"1.0\" to \"2.1\"",
                                source, key);
        } else
            rc =
                conf_error(err, err_len, "%s: unknown key \"%s\"", source, key);
    }
    if (rc != 0)
        return rc;
    return conf_check_slot(slot, source, index, err, err_len);
}

static int parse_log(json_object *obj, const char *source, p11kmip_conf *conf,
                     char *err, size_t err_len)
{
    char key[64];

    if (!json_object_is_type(obj, json_type_object))
        return conf_error(err, err_len, "%s: \"log\" must be an object",
                          source);
    json_object_object_foreach(obj, name, value)
    {
        snprintf(key, sizeof(key), "log.%.56s", name);
        if (strcmp(name, "level") == 0) {
            if (!json_object_is_type(value, json_type_string) ||
                conf_parse_log_level(json_object_get_string(value),
                                     &conf->log_level) != 0)
                return conf_error(err, err_len,
                                  "%s: \"%s\" must be \"error\", \"warn\", "
                                  "\"info\" or \"debug\"",
                                  source, key);
        } else if (strcmp(name, "file") == 0) {
            if (json_object_is_type(value, json_type_null))
                continue;
            if (get_string(value, source, key, &conf->log_file, err, err_len) !=
                0)
                return -1;
        } else
            return conf_error(err, err_len, "%s: unknown key \"%s\"", source,
                              key);
    }
    return 0;
}

static int parse_root(json_object *root, const char *source, p11kmip_conf *conf,
                      char *err, size_t err_len)
{
    json_object *slots = NULL;
    size_t i;

    if (!json_object_is_type(root, json_type_object))
        return conf_error(err, err_len, "%s: the top level must be an object",
                          source);
    json_object_object_foreach(root, name, value)
    {
        if (strcmp(name, "slots") == 0)
            slots = value;
        else if (strcmp(name, "log") == 0) {
            if (parse_log(value, source, conf, err, err_len) != 0)
                return -1;
        } else
            return conf_error(err, err_len, "%s: unknown key \"%s\"", source,
                              name);
    }
    if (slots == NULL || !json_object_is_type(slots, json_type_array) ||
        json_object_array_length(slots) == 0)
        return conf_error(err, err_len,
                          "%s: \"slots\" must be a non-empty array", source);
    conf->slots = calloc(json_object_array_length(slots), sizeof(*conf->slots));
    if (conf->slots == NULL)
        return conf_error(err, err_len, "out of memory");
    for (i = 0; i < json_object_array_length(slots); i++) {
        conf->slot_count++;
        if (parse_slot(json_object_array_get_idx(slots, i), source, i,
                       &conf->slots[i], err, err_len) != 0)
            return -1;
    }
    return 0;
}

p11kmip_conf *p11kmip_conf_parse(const char *json_text, const char *source,
                                 char *err, size_t err_len)
{
    json_tokener *tok;
    json_object *root;
    p11kmip_conf *conf;

    tok = json_tokener_new();
    if (tok == NULL) {
        conf_error(err, err_len, "out of memory");
        return NULL;
    }
    root = json_tokener_parse_ex(tok, json_text, (int)strlen(json_text));
    if (root == NULL || json_tokener_get_error(tok) != json_tokener_success ||
        json_text[tok->char_offset +
                  strspn(json_text + tok->char_offset, " \t\r\n")] != '\0') {
        conf_error(err, err_len, "%s: invalid JSON near byte %d: %s", source,
                   tok->char_offset,
                   root == NULL
                       ? json_tokener_error_desc(json_tokener_get_error(tok))
                       : "trailing text");
        json_object_put(root);
        json_tokener_free(tok);
        return NULL;
    }
    json_tokener_free(tok);
    conf = conf_new(source);
    if (conf == NULL || parse_root(root, source, conf, err, err_len) != 0) {
        if (conf == NULL)
            conf_error(err, err_len, "out of memory");
        p11kmip_conf_free(conf);
        conf = NULL;
    }
    json_object_put(root);
    return conf;
}
