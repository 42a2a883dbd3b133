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

/* The file's text; *mode gets its permission bits. */
static char *read_text_file(const char *path, mode_t *mode, char *err,
                            size_t err_len)
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
        *mode = st.st_mode & 07777;
        if (strlen(text) != (size_t)st.st_size) {
            conf_error(err, err_len, "%s: contains a NUL byte", path);
            free(text);
            text = NULL;
        }
    }
    fclose(file);
    return text;
}

/* As ssh does with private keys: a file that other users may change
 * names the client key (they could point it at theirs), and one that
 * holds a secret must be the owner's alone. */
static int check_mode(const p11kmip_conf *conf, mode_t mode, char *err,
                      size_t err_len)
{
    char secret[96];

    if (mode & (S_IWGRP | S_IWOTH))
        return conf_error(err, err_len,
                          "%s: refused: other users may write it (mode "
                          "%04o) and change which client key and servers "
                          "it names; run chmod go-w on it",
                          conf->source, (unsigned)mode);
    if ((mode & (S_IRWXG | S_IRWXO)) &&
        conf_secret_field(conf, secret, sizeof(secret)))
        return conf_error(err, err_len,
                          "%s: refused: it holds the secret \"%s\" and other "
                          "users may read it (mode %04o); run chmod 600 on it",
                          conf->source, secret, (unsigned)mode);
    return 0;
}

p11kmip_conf *p11kmip_conf_load_file(const char *path, char *err,
                                     size_t err_len)
{
    mode_t mode = 0;
    char *text = read_text_file(path, &mode, err, err_len);
    p11kmip_conf *conf;

    if (text == NULL)
        return NULL;
    conf = p11kmip_conf_parse(text, path, err, err_len);
    free(text);
    if (conf != NULL && check_mode(conf, mode, err, err_len) != 0) {
        p11kmip_conf_free(conf);
        conf = NULL;
    }
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

    if (conf == NULL || (conf->slots[0].label = strdup("p11kmip")) == NULL ||
        (conf->slots[0].source = strdup("environment")) == NULL) {
        p11kmip_conf_free(conf);
        conf_error(err, err_len, "out of memory");
        return NULL;
    }
    return conf;
}

int p11kmip_conf_user_path(char *path, size_t path_len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;

    if (xdg != NULL && xdg[0] == '/')
        n = snprintf(path, path_len, "%s/p11kmip/p11kmip.json", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(path, path_len, "%s/.config/p11kmip/p11kmip.json", home);
    else
        return -1;
    return n > 0 && (size_t)n < path_len ? 0 : -1;
}

/* Moves the slots of system whose labels user lacks into user. */
static int merge(p11kmip_conf *user, p11kmip_conf *system, char *err,
                 size_t err_len)
{
    p11kmip_slot_conf *grown = realloc(
        user->slots, (user->slot_count + system->slot_count) * sizeof(*grown));
    char *source = NULL;

    if (grown == NULL ||
        asprintf(&source, "%s and %s", user->source, system->source) < 0)
        return conf_error(err, err_len, "out of memory");
    user->slots = grown;
    free(user->source);
    user->source = source;
    for (size_t i = 0; i < system->slot_count; i++) {
        bool hidden = false;

        for (size_t j = 0; j < user->slot_count && !hidden; j++)
            hidden = strcmp(user->slots[j].label, system->slots[i].label) == 0;
        if (hidden)
            continue;
        user->slots[user->slot_count++] = system->slots[i];
        p11kmip_conf_slot_defaults(&system->slots[i]);
    }
    return 0;
}

p11kmip_conf *conf_load_both(const char *user_path, const char *system_path,
                             char *err, size_t err_len)
{
    p11kmip_conf *user = p11kmip_conf_load_file(user_path, err, err_len);
    p11kmip_conf *system = NULL;

    if (user != NULL && access(system_path, R_OK) == 0 &&
        ((system = p11kmip_conf_load_file(system_path, err, err_len)) == NULL ||
         merge(user, system, err, err_len) != 0)) {
        p11kmip_conf_free(user);
        user = NULL;
    }
    p11kmip_conf_free(system);
    return user;
}

/* The files of the search order, or the environment alone. */
static p11kmip_conf *load_searched(char *err, size_t err_len)
{
    char user[4096];
    bool has_user = p11kmip_conf_user_path(user, sizeof(user)) == 0 &&
                    access(user, F_OK) == 0;

    if (has_user)
        return conf_load_both(user, P11KMIP_DEFAULT_CONFIG, err, err_len);
    if (access(P11KMIP_DEFAULT_CONFIG, F_OK) == 0)
        return p11kmip_conf_load_file(P11KMIP_DEFAULT_CONFIG, err, err_len);
    if (getenv("P11KMIP_SERVER") != NULL)
        return conf_from_env_only(err, err_len);
    conf_error(err, err_len,
               "no configuration: set P11KMIP_CONFIG, create %s or %s (p11kmip "
               "config init), or set P11KMIP_SERVER, P11KMIP_CA, P11KMIP_CERT "
               "and P11KMIP_KEY",
               p11kmip_conf_user_path(user, sizeof(user)) == 0
                   ? user
                   : "~/.config/p11kmip/p11kmip.json",
               P11KMIP_DEFAULT_CONFIG);
    return NULL;
}

p11kmip_conf *p11kmip_conf_load(char *err, size_t err_len)
{
    const char *path = getenv("P11KMIP_CONFIG");
    p11kmip_conf *conf = path != NULL && path[0] != '\0'
                             ? p11kmip_conf_load_file(path, err, err_len)
                             : load_searched(err, err_len);

    if (conf != NULL && apply_env(conf, err, err_len) != 0) {
        p11kmip_conf_free(conf);
        conf = NULL;
    }
    return conf;
}
