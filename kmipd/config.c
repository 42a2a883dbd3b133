/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kmip/tags.h"
#include "kmip/ttlv.h"

#include "kmipd/config.h"

#define CONFIG_MAX_FILE_SIZE (1024 * 1024)

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

/* A configuration key: its name, how its value is read and where it goes
 * (offset in kmipd_config); integers must lie in [min, max]. */
typedef struct config_key config_key;
typedef bool (*config_parse_fn)(config_ctx *ctx, const config_key *key,
                                json_object *value, void *field);
struct config_key {
    const char *name;
    config_parse_fn parse;
    size_t offset, size; /* of the field */
    uint64_t min, max;
};

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
                     uint64_t min, uint64_t max, uint64_t *out)
{
    if (!json_object_is_type(value, json_type_int))
        return config_fail(ctx, key, "must be an integer");
    int64_t v = json_object_get_int64(value);
    if (v < 0 || (uint64_t)v < min || (uint64_t)v > max) {
        char why[96];
        snprintf(why, sizeof(why), "must be between %llu and %llu",
                 (unsigned long long)min, (unsigned long long)max);
        return config_fail(ctx, key, why);
    }
    *out = (uint64_t)v;
    return true;
}

static bool parse_string(config_ctx *ctx, const config_key *key,
                         json_object *value, void *field)
{
    return get_string(ctx, key->name, value, field);
}

/* An unsigned, uint32_t or size_t field, by its size. */
static bool parse_uint(config_ctx *ctx, const config_key *key,
                       json_object *value, void *field)
{
    uint64_t v;
    if (!get_uint(ctx, key->name, value, key->min, key->max, &v))
        return false;
    uint32_t narrow = (uint32_t)v;
    size_t wide = (size_t)v;
    if (key->size == sizeof(narrow))
        memcpy(field, &narrow, sizeof(narrow));
    else
        memcpy(field, &wide, sizeof(wide));
    return true;
}

static bool parse_bool(config_ctx *ctx, const config_key *key,
                       json_object *value, void *field)
{
    if (!json_object_is_type(value, json_type_boolean))
        return config_fail(ctx, key->name, "must be true or false");
    *(bool *)field = json_object_get_boolean(value);
    return true;
}

static bool parse_log_level(config_ctx *ctx, const config_key *key,
                            json_object *value, void *field)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    if (json_object_is_type(value, json_type_string)) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            if (strcmp(json_object_get_string(value), names[i]) == 0) {
                *(kmipd_log_level *)field = (kmipd_log_level)i;
                return true;
            }
        }
    }
    return config_fail(ctx, key->name, "must be error, warn, info or debug");
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
        get_uint(ctx, key, value, 1, UINT32_MAX, &v)) {
        *out = (uint32_t)v;
        return true;
    }
    return config_fail(ctx, key, "must be a KMIP enumeration name or number");
}

/* A TCP port: digits only, 1 to 65535 (getaddrinfo would take "99999"
 * modulo 65536). */
static bool valid_port(const char *port)
{
    size_t digits = strspn(port, "0123456789");
    if (digits == 0 || digits > 5 || port[digits] != '\0')
        return false;
    long number = strtol(port, NULL, 10);
    return number >= 1 && number <= 65535;
}

/* "host:port" into config's listen_host and listen_port (field is the
 * configuration itself). */
static bool parse_listen(config_ctx *ctx, const config_key *key,
                         json_object *value, void *field)
{
    kmipd_config *config = field;
    char *listen = NULL;
    if (!get_string(ctx, key->name, value, &listen))
        return false;
    char *colon = strrchr(listen, ':');
    if (colon == NULL || colon == listen || !valid_port(colon + 1)) {
        free(listen);
        return config_fail(ctx, key->name,
                           "must be \"host:port\" with a port from 1 to "
                           "65535");
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
        return config_fail(ctx, key->name, "out of memory");
    }
    free(config->listen_host);
    free(config->listen_port);
    config->listen_host = h;
    config->listen_port = p;
    return true;
}

static bool parse_operation(config_ctx *ctx, const config_key *key,
                            json_object *value, void *field)
{
    return get_enum(ctx, key->name, value, KMIP_TAG_OPERATION, field);
}

static bool parse_reason(config_ctx *ctx, const config_key *key,
                         json_object *value, void *field)
{
    return get_enum(ctx, key->name, value, KMIP_TAG_RESULT_REASON, field);
}

#define FAULT(name)                                                            \
    offsetof(kmipd_faults, name), sizeof(((kmipd_faults *)NULL)->name)
#define FAULTS_PREFIX_LEN (sizeof("faults.") - 1)

static const config_key fault_keys[] = {
    {"faults.delay_ms", parse_uint, FAULT(delay_ms), 0, UINT32_MAX},
    {"faults.close_after", parse_uint, FAULT(close_after), 0, UINT32_MAX},
    {"faults.fail_operation", parse_operation, FAULT(fail_operation), 0, 0},
    {"faults.fail_reason", parse_reason, FAULT(fail_reason), 0, 0},
};

/* Reads the value of the key name (found in keys after prefix_len
 * characters) into base. */
static bool load_key(config_ctx *ctx, const config_key *keys, size_t n,
                     size_t prefix_len, const char *name, json_object *value,
                     void *base)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i].name + prefix_len, name) == 0)
            return keys[i].parse(ctx, &keys[i], value,
                                 (char *)base + keys[i].offset);
    }
    return config_fail(ctx, name,
                       prefix_len > 0 ? "unknown key in \"faults\""
                                      : "unknown key");
}

static bool parse_faults(config_ctx *ctx, const config_key *key,
                         json_object *value, void *field)
{
    kmipd_faults *faults = field;
    if (!json_object_is_type(value, json_type_object))
        return config_fail(ctx, key->name, "must be an object");
    json_object_object_foreach(value, name, item)
    {
        if (!load_key(ctx, fault_keys, sizeof(fault_keys) / sizeof(*fault_keys),
                      FAULTS_PREFIX_LEN, name, item, faults))
            return false;
    }
    if ((faults->fail_operation != 0) != (faults->fail_reason != 0))
        return config_fail(ctx, key->name,
                           "fail_operation and fail_reason go together");
    return true;
}

#define FIELD(name)                                                            \
    offsetof(kmipd_config, name), sizeof(((kmipd_config *)NULL)->name)

static const config_key config_keys[] = {
    {"listen", parse_listen, 0, 0, 0, 0},
    {"ca", parse_string, FIELD(ca), 0, 0},
    {"cert", parse_string, FIELD(cert), 0, 0},
    {"key", parse_string, FIELD(key), 0, 0},
    {"database", parse_string, FIELD(database), 0, 0},
    {"master_key", parse_string, FIELD(master_key), 0, 0},
    {"log_level", parse_log_level, FIELD(log_level), 0, 0},
    {"log_file", parse_string, FIELD(log_file), 0, 0},
    {"workers", parse_uint, FIELD(workers), 1, 4096},
    {"max_message", parse_uint, FIELD(max_message), 1024, UINT32_MAX},
    {"max_buffered", parse_uint, FIELD(max_buffered), 1024, UINT32_MAX},
    {"max_connections", parse_uint, FIELD(max_connections), 1, 65536},
    {"max_handshakes", parse_uint, FIELD(max_handshakes), 1, 65536},
    {"max_handshakes_per_peer", parse_uint, FIELD(max_handshakes_per_peer), 1,
     65536},
    {"idle_timeout_ms", parse_uint, FIELD(idle_timeout_ms), 1, 86400000},
    {"handshake_timeout_ms", parse_uint, FIELD(handshake_timeout_ms), 1,
     600000},
    {"max_streams_per_client", parse_uint, FIELD(max_streams_per_client), 1,
     4096},
    {"stream_timeout_ms", parse_uint, FIELD(stream_timeout_ms), 1, 86400000},
    {"export_private_keys", parse_bool, FIELD(export_private_keys), 0, 0},
    {"allow_triple_des", parse_bool, FIELD(allow_triple_des), 0, 0},
    {"faults", parse_faults, FIELD(faults), 0, 0},
};

static bool config_defaults(kmipd_config *config)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    config->listen_host = strdup("127.0.0.1");
    config->listen_port = strdup("5696");
    config->log_level = KMIPD_LOG_INFO;
    config->workers = cpus > 0 ? (unsigned)cpus : 1;
    config->max_message = KMIP_DEFAULT_MAX_MESSAGE;
    config->max_buffered = KMIPD_DEFAULT_MAX_BUFFERED;
    config->max_connections = 256;
    config->max_handshakes = 64;
    config->max_handshakes_per_peer = 8;
    config->idle_timeout_ms = 60000;
    config->handshake_timeout_ms = 5000;
    config->max_streams_per_client = 8;
    config->stream_timeout_ms = 300000;
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
    if (config->max_buffered < config->max_message)
        return config_fail(ctx, "max_buffered",
                           "must be at least \"max_message\"");
    return true;
}

/* The configuration's text, NUL-terminated (free with free()), read as
 * the CLI reads its own: a regular file of at most 1 MiB. */
static char *config_read_text(config_ctx *ctx)
{
    int fd = open(ctx->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    char *text = NULL;
    if (fd < 0)
        kmip_fail(ctx->status, KMIP_E_CONFIG, "%s: %s", ctx->path,
                  strerror(errno));
    else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
             st.st_size > CONFIG_MAX_FILE_SIZE)
        kmip_fail(ctx->status, KMIP_E_CONFIG,
                  "%s: not a regular file of at most %d bytes", ctx->path,
                  CONFIG_MAX_FILE_SIZE);
    else if ((text = malloc((size_t)st.st_size + 1)) == NULL)
        kmip_fail(ctx->status, KMIP_E_NOMEM, "out of memory");
    else if (read(fd, text, (size_t)st.st_size) != (ssize_t)st.st_size ||
             memchr(text, '\0', (size_t)st.st_size) != NULL) {
        kmip_fail(ctx->status, KMIP_E_CONFIG, "%s: cannot be read as text",
                  ctx->path);
        free(text);
        text = NULL;
    } else
        text[st.st_size] = '\0';
    if (fd >= 0)
        close(fd);
    return text;
}

/* The configuration file as a JSON object, or NULL (status set). */
static json_object *config_parse(config_ctx *ctx)
{
    char *text = config_read_text(ctx);
    if (text == NULL)
        return NULL;
    enum json_tokener_error err;
    json_object *root = json_tokener_parse_verbose(text, &err);
    free(text);
    if (root == NULL)
        kmip_fail(ctx->status, KMIP_E_CONFIG, "%s: %s", ctx->path,
                  json_tokener_error_desc(err));
    else if (!json_object_is_type(root, json_type_object)) {
        kmip_fail(ctx->status, KMIP_E_CONFIG, "%s: not a JSON object",
                  ctx->path);
        json_object_put(root);
        root = NULL;
    }
    return root;
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
    json_object *root = config_parse(&ctx);
    bool ok = root != NULL;
    if (ok) {
        json_object_object_foreach(root, key, value)
        {
            if (!(ok = load_key(&ctx, config_keys,
                                sizeof(config_keys) / sizeof(*config_keys), 0,
                                key, value, config)))
                break;
        }
    }
    json_object_put(root);
    if (!ok || !config_check(&ctx, config)) {
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
