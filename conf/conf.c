/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration object: defaults, validation, freeing. */
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

p11kmip_conf *conf_new(const char *source)
{
    p11kmip_conf *conf = calloc(1, sizeof(*conf));

    if (conf == NULL)
        return NULL;
    conf->log_level = P11KMIP_LOG_WARN;
    conf->source = strdup(source);
    if (conf->source == NULL) {
        free(conf);
        return NULL;
    }
    return conf;
}

void conf_slot_defaults(p11kmip_slot_conf *slot)
{
    memset(slot, 0, sizeof(*slot));
    slot->timeout_ms = 5000;
    slot->pool = 32;
    slot->login = P11KMIP_LOGIN_NONE;
}

int conf_check_server(const char *entry)
{
    const char *colon = strrchr(entry, ':');
    char *end;
    long port;

    if (colon == NULL || colon == entry)
        return -1;
    if (entry[0] == '[' && colon[-1] != ']')
        return -1;
    port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || end == colon + 1 || port < 1 || port > 65535)
        return -1;
    return 0;
}

int conf_check_slot(const p11kmip_slot_conf *slot, const char *source,
                    size_t index, char *err, size_t err_len)
{
    if (slot->label == NULL || slot->label[0] == '\0')
        return conf_error(err, err_len, "%s: \"slots[%zu].label\" is missing",
                          source, index);
    if (strlen(slot->label) > 32)
        return conf_error(err, err_len,
                          "%s: \"slots[%zu].label\" is longer than the 32 "
                          "bytes of a PKCS#11 token label",
                          source, index);
    if (slot->server_count == 0)
        return conf_error(err, err_len, "%s: \"slots[%zu].servers\" is missing",
                          source, index);
    if (slot->ca == NULL || slot->cert == NULL || slot->key == NULL)
        return conf_error(err, err_len,
                          "%s: \"slots[%zu]\" needs \"ca\", \"cert\" and "
                          "\"key\" (mutual TLS)",
                          source, index);
    if (slot->login == P11KMIP_LOGIN_CREDENTIAL && slot->username == NULL)
        return conf_error(err, err_len,
                          "%s: \"slots[%zu].login\" is \"credential\" but "
                          "\"username\" is missing",
                          source, index);
    return 0;
}

const char *p11kmip_log_level_name(p11kmip_log_level level)
{
    switch (level) {
    case P11KMIP_LOG_ERROR:
        return "error";
    case P11KMIP_LOG_WARN:
        return "warn";
    case P11KMIP_LOG_INFO:
        return "info";
    case P11KMIP_LOG_DEBUG:
        return "debug";
    }
    return "unknown";
}

static void slot_clear(p11kmip_slot_conf *slot)
{
    size_t i;

    free(slot->label);
    for (i = 0; i < slot->server_count; i++)
        free(slot->servers[i]);
    free(slot->servers);
    free(slot->ca);
    free(slot->cert);
    free(slot->key);
    free(slot->ciphers);
    free(slot->verify_name);
    free(slot->username);
}

void p11kmip_conf_free(p11kmip_conf *conf)
{
    size_t i;

    if (conf == NULL)
        return;
    for (i = 0; i < conf->slot_count; i++)
        slot_clear(&conf->slots[i]);
    free(conf->slots);
    free(conf->log_file);
    free(conf->source);
    free(conf);
}
