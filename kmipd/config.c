/* SPDX-License-Identifier: Apache-2.0 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kmip/tags.h"
#include "kmip/ttlv.h"

#include "kmipd/config.h"

typedef struct config_ctx {
    const char *path;
    kmip_status *status;
} config_ctx;

static bool config_fail(config_ctx *ctx, const char *key, const char *what)
{
    kmip_fail(ctx->status, KMIP_E_CONFIG, "%s: \"%s\": %s", ctx->path, key,
              what);
    return false;
}

static bool get_string(config_ctx *ctx, const char *key, json_object *value,
                       char **out)
{
    if (!json_object_is_type(value, json_type_string))
        return config_fail(ctx, key, "must be a string");
    char *copy = strdup(json_object_get_string(value));
    if (copy == NULL)
        return config_fail(ctx, key, "out of memory");
    free(*out);
    *out = copy;
    return true;
}

static bool get_uint(config_ctx *ctx, const char *key, json_object *value,
                     uint64_t max, uint64_t *out)
{
    if (!json_object_is_type(value, json_type_int))
        return config_fail(ctx, key, "must be an integer");
    int64_t v = json_object_get_int64(value);
    if (v < 0 || (uint64_t)v > max)
        return config_fail(ctx, key, "out of range");
    *out = (uint64_t)v;
    return true;
}

static bool get_unsigned(config_ctx *ctx, const char *key, json_object *value,
                         unsigned *out)
{
    uint64_t v;
    if (!get_uint(ctx, key, value, UINT_MAX, &v))
        return false;
    *out = (unsigned)v;
    return true;
}

static bool get_bool(config_ctx *ctx, const char *key, json_object *value,
                     bool *out)
{
    if (!json_object_is_type(value, json_type_boolean))
        return config_fail(ctx, key, "must be true or false");
    *out = json_object_get_boolean(value);
    return true;
}

static bool get_log_level(config_ctx *ctx, const char *key, json_object *value,
                          kmipd_log_level *out)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    if (json_object_is_type(value, json_type_string)) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if (strcmp(json_object_get_string(value), names[i]) == 0) {
                *out = (kmipd_log_level)i;
                return true;
            }
        }
    }
    return config_fail(ctx, key, "must be error, warn, info or debug");
}

/* An enumeration value given by its KMIP JSON name ("Sign") or number. */
static bool get_enum(config_ctx *ctx, const char *key, json_object *value,
                     uint32_t tag, uint32_t *out)
{
    if (json_object_is_type(value, json_type_string) &&
        kmip_enum_from_name(tag, json_object_get_string(value), out))
        return true;
    uint64_t v;
    if (json_object_is_type(value, json_type_int) &&
        get_uint(ctx, key, value, UINT32_MAX, &v) && v != 0) {
        *out = (uint32_t)v;
        return true;
    }
    return config_fail(ctx, key, "must be a KMIP enumeration name or number");
}

static bool split_listen(config_ctx *ctx, kmipd_config *config,
                         json_object *value)
{
    char *listen = NULL;
    if (!get_string(ctx, "listen", value, &listen))
        return false;
    char *colon = strrchr(listen, ':');
    if (colon == NULL || colon == listen || colon[1] == '\0') {
        free(listen);
        return config_fail(ctx, "listen", "must be \"host:port\"");
    }
    *colon = '\0';
    char *host = listen;
    size_t host_len = strlen(host);
    if (host[0] == '[' && host[host_len - 1] == ']') {
        host[host_len - 1] = '\0';
        host++;
    }
    char *h = strdup(host), *p = strdup(colon + 1);
    free(listen);
    if (h == NULL || p == NULL) {
        free(h);
        free(p);
        return config_fail(ctx, "listen", "out of memory");
    }
    free(config->listen_host);
    free(config->listen_port);
    config->listen_host = h;
    config->listen_port = p;
    return true;
}

static bool load_faults(config_ctx *ctx, kmipd_faults *faults,
                        json_object *value)
{
    if (!json_object_is_type(value, json_type_object))
        return config_fail(ctx, "faults", "must be an object");
    json_object_object_foreach(value, key, item)
    {
        bool ok;
        if (strcmp(key, "delay_ms") == 0)
            ok = get_unsigned(ctx, "faults.delay_ms", item, &faults->delay_ms);
        else if (strcmp(key, "close_after") == 0)
            ok = get_unsigned(ctx, "faults.close_after", item,
                              &faults->close_after);
        else if (strcmp(key, "fail_operation") == 0)
            ok = get_enum(ctx, "faults.fail_operation", item,
                          KMIP_TAG_OPERATION, &faults->fail_operation);
        else if (strcmp(key, "fail_reason") == 0)
            ok = get_enum(ctx, "faults.fail_reason", item,
                          KMIP_TAG_RESULT_REASON, &faults->fail_reason);
        else
            ok = config_fail(ctx, key, "unknown key in \"faults\"");
        if (!ok)
            return false;
    }
    if ((faults->fail_operation != 0) != (faults->fail_reason != 0))
        return config_fail(ctx, "faults",
                           "fail_operation and fail_reason go together");
    return true;
}

static bool load_key(config_ctx *ctx, kmipd_config *config, const char *key,
                     json_object *value)
{
    uint64_t v;
    if (strcmp(key, "listen") == 0)
        return split_listen(ctx, config, value);
    if (strcmp(key, "ca") == 0)
        return get_string(ctx, key, value, &config->ca);
    if (strcmp(key, "cert") == 0)
        return get_string(ctx, key, value, &config->cert);
    if (strcmp(key, "key") == 0)
        return get_string(ctx, key, value, &config->key);
    if (strcmp(key, "database") == 0)
        return get_string(ctx, key, value, &config->database);
    if (strcmp(key, "master_key") == 0)
        return get_string(ctx, key, value, &config->master_key);
    if (strcmp(key, "log_level") == 0)
        return get_log_level(ctx, key, value, &config->log_level);
    if (strcmp(key, "log_file") == 0)
        return get_string(ctx, key, value, &config->log_file);
    if (strcmp(key, "workers") == 0)
        return get_unsigned(ctx, key, value, &config->workers);
    if (strcmp(key, "max_message") == 0) {
        if (!get_uint(ctx, key, value, UINT32_MAX, &v))
            return false;
        if (v < 1024)
            return config_fail(ctx, key, "must be at least 1024");
        config->max_message = (size_t)v;
        return true;
    }
    if (strcmp(key, "max_connections") == 0)
        return get_unsigned(ctx, key, value, &config->max_connections);
    if (strcmp(key, "idle_timeout_ms") == 0)
        return get_unsigned(ctx, key, value, &config->idle_timeout_ms);
    if (strcmp(key, "export_private_keys") == 0)
        return get_bool(ctx, key, value, &config->export_private_keys);
    if (strcmp(key, "allow_triple_des") == 0)
        return get_bool(ctx, key, value, &config->allow_triple_des);
    if (strcmp(key, "faults") == 0)
        return load_faults(ctx, &config->faults, value);
    return config_fail(ctx, key, "unknown key");
}

static bool config_defaults(kmipd_config *config)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    config->listen_host = strdup("127.0.0.1");
    config->listen_port = strdup("5696");
    config->log_level = KMIPD_LOG_INFO;
    config->workers = cpus > 0 ? (unsigned)cpus : 1;
    config->max_message = KMIP_DEFAULT_MAX_MESSAGE;
    config->max_connections = 256;
    config->idle_timeout_ms = 60000;
    return config->listen_host != NULL && config->listen_port != NULL;
}

static bool config_check(config_ctx *ctx, const kmipd_config *config)
{
    struct {
        const char *key;
        const char *value;
    } required[] = {
        {"ca", config->ca},
        {"cert", config->cert},
        {"key", config->key},
        {"database", config->database},
        {"master_key", config->master_key},
    };
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (required[i].value == NULL)
            return config_fail(ctx, required[i].key, "is required");
    }
    if (config->workers == 0)
        return config_fail(ctx, "workers", "must be at least 1");
    if (config->max_connections == 0)
        return config_fail(ctx, "max_connections", "must be at least 1");
    if (config->idle_timeout_ms == 0)
        return config_fail(ctx, "idle_timeout_ms", "must be at least 1");
    return true;
}

kmipd_config *kmipd_config_load(const char *path, kmip_status *status)
{
    config_ctx ctx = {.path = path, .status = status};
    kmipd_config *config = calloc(1, sizeof(*config));
    if (config == NULL || !config_defaults(config)) {
        kmipd_config_free(config);
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return NULL;
    }
    json_object *root = json_object_from_file(path);
    bool ok;
    if (root == NULL) {
        const char *why = json_util_get_last_err();
        ok = kmip_fail(status, KMIP_E_CONFIG, "%s: %s", path,
                       why != NULL ? why : "cannot be read") == KMIP_OK;
    } else if (!json_object_is_type(root, json_type_object))
        ok = kmip_fail(status, KMIP_E_CONFIG, "%s: not a JSON object", path) ==
             KMIP_OK;
    else {
        ok = true;
        json_object_object_foreach(root, key, value)
        {
            if (!(ok = load_key(&ctx, config, key, value)))
                break;
        }
        ok = ok && config_check(&ctx, config);
    }
    json_object_put(root);
    if (!ok) {
        kmipd_config_free(config);
        return NULL;
    }
    return config;
}

void kmipd_config_free(kmipd_config *config)
{
    if (config == NULL)
        return;
    free(config->listen_host);
    free(config->listen_port);
    free(config->ca);
    free(config->cert);
    free(config->key);
    free(config->database);
    free(config->master_key);
    free(config->log_file);
    free(config);
}
