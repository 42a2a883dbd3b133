/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration object: defaults, validation, freeing, all from the
 * schema (conf_schema.c). */
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

static void set_defaults(const p11kmip_conf_field *fields, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        const p11kmip_conf_field *field = &fields[i];
        char *at = (char *)base + field->offset;

        if (field->type == P11KMIP_CONF_UINT)
            memcpy(at, &field->def, sizeof(uint32_t));
        else if (field->type == P11KMIP_CONF_CHOICE)
            *(int *)(void *)at = (int)field->def;
        else if (field->type == P11KMIP_CONF_BOOL)
            *(bool *)(void *)at = field->def != 0;
    }
}

void p11kmip_conf_slot_defaults(p11kmip_slot_conf *slot)
{
    memset(slot, 0, sizeof(*slot));
    set_defaults(p11kmip_conf_slot_fields, p11kmip_conf_slot_field_count, slot);
}

p11kmip_conf *p11kmip_conf_new(const char *source, size_t slot_count)
{
    p11kmip_conf *conf = calloc(1, sizeof(*conf));

    if (conf == NULL)
        return NULL;
    set_defaults(p11kmip_conf_log_fields, p11kmip_conf_log_field_count, conf);
    conf->source = strdup(source);
    conf->slots = calloc(slot_count + 1, sizeof(*conf->slots));
    if (conf->source == NULL || conf->slots == NULL) {
        p11kmip_conf_free(conf);
        return NULL;
    }
    for (; conf->slot_count < slot_count; conf->slot_count++)
        p11kmip_conf_slot_defaults(&conf->slots[conf->slot_count]);
    return conf;
}

/* The client's identity: a PKCS#12 bundle (which may carry the CAs), or a
 * certificate, its key and the CAs. */
static int check_identity(const p11kmip_slot_conf *slot, const char *source,
                          size_t index, char *err, size_t err_len)
{
    const char *missing = NULL;

    if (slot->p12 != NULL && (slot->cert != NULL || slot->key != NULL))
        return conf_error(err, err_len,
                          "%s: \"slots[%zu]\" names \"p12\" and \"cert\" or "
                          "\"key\": the bundle holds both, give one or the "
                          "other",
                          source, index);
    if (slot->p12 == NULL)
        missing = slot->ca == NULL     ? "ca"
                  : slot->cert == NULL ? "cert"
                  : slot->key == NULL  ? "key"
                                       : NULL;
    if (missing != NULL)
        return conf_error(err, err_len,
                          "%s: \"slots[%zu].%s\" is missing: a slot needs "
                          "\"p12\", or \"cert\", \"key\" and \"ca\"",
                          source, index, missing);
    return 0;
}

int p11kmip_conf_check_slot(const p11kmip_slot_conf *slot, const char *source,
                            size_t index, char *err, size_t err_len)
{
    for (size_t i = 0; i < p11kmip_conf_slot_field_count; i++) {
        const p11kmip_conf_field *field = &p11kmip_conf_slot_fields[i];

        if ((field->flags & P11KMIP_CONF_REQUIRED) &&
            !p11kmip_conf_field_is_set(field, slot))
            return conf_error(err, err_len,
                              "%s: \"slots[%zu].%s\" is missing: %s", source,
                              index, field->name, field->help);
    }
    if (check_identity(slot, source, index, err, err_len) != 0)
        return -1;
    if (slot->login == P11KMIP_LOGIN_CREDENTIAL && slot->username == NULL)
        return conf_error(err, err_len,
                          "%s: \"slots[%zu].login\" is \"credential\" but "
                          "\"username\" is missing",
                          source, index);
    return 0;
}

static void clear_fields(const p11kmip_conf_field *fields, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++)
        p11kmip_conf_field_clear(&fields[i], base);
}

void p11kmip_conf_free(p11kmip_conf *conf)
{
    if (conf == NULL)
        return;
    for (size_t i = 0; i < conf->slot_count; i++) {
        clear_fields(p11kmip_conf_slot_fields, p11kmip_conf_slot_field_count,
                     &conf->slots[i]);
        free(conf->slots[i].source);
    }
    free(conf->slots);
    clear_fields(p11kmip_conf_log_fields, p11kmip_conf_log_field_count, conf);
    free(conf->source);
    free(conf);
}

const char *p11kmip_log_level_name(p11kmip_log_level level)
{
    for (size_t i = 0; i < p11kmip_conf_log_field_count; i++)
        if (p11kmip_conf_log_fields[i].offset ==
            offsetof(p11kmip_conf, log_level))
            return conf_choice_name(p11kmip_conf_log_fields[i].choices,
                                    (int)level);
    return "unknown";
}
