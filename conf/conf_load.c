/* SPDX-License-Identifier: Apache-2.0 */
/* Finding and reading the configuration, and the environment overrides. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_internal.h"

#define CONF_MAX_FILE_SIZE (1024 * 1024)

static char *read_text_file(const char *path, char *err, size_t err_len)
{
    FILE *file = fopen(path, "rb");
    struct stat st;
    char *text = NULL;

    if (file == NULL) {
        conf_error(err, err_len, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(file), &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > CONF_MAX_FILE_SIZE) {
        conf_error(err, err_len, "%s: not a regular file of at most %d bytes",
                   path, CONF_MAX_FILE_SIZE);
    } else if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
        conf_error(err, err_len, "out of memory");
    } else if (fread(text, 1, (size_t)st.st_size, file) != (size_t)st.st_size) {
        conf_error(err, err_len, "%s: read failed", path);
        free(text);
        text = NULL;
    } else {
        text[st.st_size] = '\0';
        if (strlen(text) != (size_t)st.st_size) {
            conf_error(err, err_len, "%s: contains a NUL byte", path);
            free(text);
            text = NULL;
        }
    }
    fclose(file);
    return text;
}

p11kmip_conf *p11kmip_conf_load_file(const char *path, char *err,
                                     size_t err_len)
{
    char *text = read_text_file(path, err, err_len);
    p11kmip_conf *conf;

    if (text == NULL)
        return NULL;
    conf = p11kmip_conf_parse(text, path, err, err_len);
    free(text);
    return conf;
}

static int set_from_env(char **field, const char *name, char *err,
                        size_t err_len)
{
    const char *value = getenv(name);

    if (value == NULL || value[0] == '\0')
        return 0;
    free(*field);
    *field = strdup(value);
    return *field == NULL ? conf_error(err, err_len, "out of memory") : 0;
}

/* P11KMIP_SERVER is a comma-separated list of "host:port" entries. */
static int servers_from_env(p11kmip_slot_conf *slot, const char *list,
                            char *err, size_t err_len)
{
    char *copy = strdup(list), *save = NULL, *entry;
    size_t i;

    if (copy == NULL)
        return conf_error(err, err_len, "out of memory");
    for (i = 0; i < slot->server_count; i++)
        free(slot->servers[i]);
    free(slot->servers);
    slot->server_count = 0;
    slot->servers = calloc(strlen(list) / 2 + 1, sizeof(*slot->servers));
    if (slot->servers == NULL) {
        free(copy);
        return conf_error(err, err_len, "out of memory");
    }
    for (entry = strtok_r(copy, ",", &save); entry != NULL;
         entry = strtok_r(NULL, ",", &save)) {
        if (conf_check_server(entry) != 0) {
            conf_error(err, err_len,
                       "P11KMIP_SERVER: \"%s\" is not \"host:port\"", entry);
            free(copy);
            return -1;
        }
        slot->servers[slot->server_count] = strdup(entry);
        if (slot->servers[slot->server_count++] == NULL) {
            free(copy);
            return conf_error(err, err_len, "out of memory");
        }
    }
    free(copy);
    if (slot->server_count == 0)
        return conf_error(err, err_len, "P11KMIP_SERVER is empty");
    return 0;
}

static int apply_env(p11kmip_conf *conf, char *err, size_t err_len)
{
    p11kmip_slot_conf *slot = &conf->slots[0];
    const char *value;
    char *end;

    if ((value = getenv("P11KMIP_SERVER")) != NULL &&
        servers_from_env(slot, value, err, err_len) != 0)
        return -1;
    if (set_from_env(&slot->ca, "P11KMIP_CA", err, err_len) != 0 ||
        set_from_env(&slot->cert, "P11KMIP_CERT", err, err_len) != 0 ||
        set_from_env(&slot->key, "P11KMIP_KEY", err, err_len) != 0 ||
        set_from_env(&slot->label, "P11KMIP_LABEL", err, err_len) != 0 ||
        set_from_env(&conf->log_file, "P11KMIP_LOG_FILE", err, err_len) != 0)
        return -1;
    if ((value = getenv("P11KMIP_LOG_LEVEL")) != NULL &&
        conf_parse_log_level(value, &conf->log_level) != 0)
        return conf_error(err, err_len,
                          "P11KMIP_LOG_LEVEL is \"%s\", expected error, "
                          "warn, info or debug",
                          value);
    if ((value = getenv("P11KMIP_KMIP_VERSION")) != NULL &&
        conf_parse_version(value, &slot->kmip_major, &slot->kmip_minor) != 0)
        return conf_error(err, err_len,
                          "P11KMIP_KMIP_VERSION is \"%s\", expected auto or "
                          "1.0 to 2.1",
                          value);
    if ((value = getenv("P11KMIP_TIMEOUT_MS")) != NULL) {
        unsigned long ms = strtoul(value, &end, 10);

        if (*end != '\0' || ms < 1 || ms > 3600000)
            return conf_error(err, err_len,
                              "P11KMIP_TIMEOUT_MS is \"%s\", expected 1 to "
                              "3600000",
                              value);
        slot->timeout_ms = (uint32_t)ms;
    }
    return conf_check_slot(slot, "environment", 0, err, err_len);
}

static p11kmip_conf *conf_from_env_only(char *err, size_t err_len)
{
    p11kmip_conf *conf = conf_new("environment");

    if (conf == NULL ||
        (conf->slots = calloc(1, sizeof(*conf->slots))) == NULL) {
        p11kmip_conf_free(conf);
        conf_error(err, err_len, "out of memory");
        return NULL;
    }
    conf->slot_count = 1;
    conf_slot_defaults(&conf->slots[0]);
    conf->slots[0].label = strdup("p11kmip");
    if (conf->slots[0].label == NULL) {
        p11kmip_conf_free(conf);
        conf_error(err, err_len, "out of memory");
        return NULL;
    }
    return conf;
}

p11kmip_conf *p11kmip_conf_load(char *err, size_t err_len)
{
    const char *path = getenv("P11KMIP_CONFIG");
    p11kmip_conf *conf;

    if (path == NULL || path[0] == '\0') {
        if (access(P11KMIP_DEFAULT_CONFIG, F_OK) == 0)
            path = P11KMIP_DEFAULT_CONFIG;
    }
    if (path != NULL && path[0] != '\0')
        conf = p11kmip_conf_load_file(path, err, err_len);
    else if (getenv("P11KMIP_SERVER") != NULL)
        conf = conf_from_env_only(err, err_len);
    else {
        conf_error(err, err_len,
                   "no configuration: set P11KMIP_CONFIG, create %s, or set "
                   "P11KMIP_SERVER, P11KMIP_CA, P11KMIP_CERT and P11KMIP_KEY",
                   P11KMIP_DEFAULT_CONFIG);
        return NULL;
    }
    if (conf != NULL && apply_env(conf, err, err_len) != 0) {
        p11kmip_conf_free(conf);
        conf = NULL;
    }
    return conf;
}
