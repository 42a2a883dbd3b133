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

/* P11KMIP_SERVER is a comma-separated list of "host:port" entries. */
static int servers_from_env(const p11kmip_conf_field *field, void *base,
                            const char *list, char *err, size_t err_len)
{
    char *copy = strdup(list), *save = NULL, *entry;
    int rc = 0;

    if (copy == NULL)
        return conf_error(err, err_len, "out of memory");
    for (entry = strtok_r(copy, ",", &save); entry != NULL && rc == 0;
         entry = strtok_r(NULL, ",", &save))
        rc = p11kmip_conf_field_set(field, base, entry, field->env, err,
                                    err_len);
    free(copy);
    if (rc == 0 && !p11kmip_conf_field_is_set(field, base))
        rc = conf_error(err, err_len, "%s is empty", field->env);
    return rc;
}

/* The environment variables of fields, each replacing the value. */
static int fields_from_env(const p11kmip_conf_field *fields, size_t n,
                           void *base, char *err, size_t err_len)
{
    for (size_t i = 0; i < n; i++) {
        const p11kmip_conf_field *field = &fields[i];
        const char *value = field->env != NULL ? getenv(field->env) : NULL;
        int rc;

        if (value == NULL || value[0] == '\0')
            continue;
        p11kmip_conf_field_clear(field, base);
        rc = field->type == P11KMIP_CONF_SERVERS
                 ? servers_from_env(field, base, value, err, err_len)
                 : p11kmip_conf_field_set(field, base, value, field->env, err,
                                          err_len);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The overrides apply to the first slot. */
static int apply_env(p11kmip_conf *conf, char *err, size_t err_len)
{
    if (fields_from_env(p11kmip_conf_slot_fields, p11kmip_conf_slot_field_count,
                        &conf->slots[0], err, err_len) != 0 ||
        fields_from_env(p11kmip_conf_log_fields, p11kmip_conf_log_field_count,
                        conf, err, err_len) != 0)
        return -1;
    return p11kmip_conf_check_slot(&conf->slots[0], "environment", 0, err,
                                   err_len);
}

static p11kmip_conf *conf_from_env_only(char *err, size_t err_len)
{
    p11kmip_conf *conf = p11kmip_conf_new("environment", 1);

    if (conf == NULL || (conf->slots[0].label = strdup("p11kmip")) == NULL) {
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
