/* SPDX-License-Identifier: Apache-2.0 */
/* Reading, writing and checking one field of the schema, by its type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

#define AT(base, field, type) ((type *)((char *)(base) + (field)->offset))
#define AT_CONST(base, field, type)                                            \
    ((const type *)((const char *)(base) + (field)->offset))

/* A SERVERS field: the array and, after it, its count. */
typedef struct server_list {
    char **servers;
    size_t count;
} server_list;

_Static_assert(offsetof(p11kmip_slot_conf, server_count) ==
                   offsetof(p11kmip_slot_conf, servers) + sizeof(char **),
               "server_count follows servers");
_Static_assert(offsetof(p11kmip_slot_conf, kmip_minor) ==
                   offsetof(p11kmip_slot_conf, kmip_major) + sizeof(int32_t),
               "kmip_minor follows kmip_major");

const char *conf_choice_name(const p11kmip_conf_choice *choices, int value)
{
    for (; choices->name != NULL; choices++)
        if (choices->value == value)
            return choices->name;
    return "unknown";
}

static int choice_value(const p11kmip_conf_choice *choices, const char *name,
                        int *value)
{
    for (; choices->name != NULL; choices++) {
        if (strcmp(choices->name, name) == 0) {
            *value = choices->value;
            return 0;
        }
    }
    return -1;
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

static int set_string(char **out, const char *text)
{
    char *copy = strdup(text);

    if (copy == NULL)
        return -1;
    free(*out);
    *out = copy;
    return 0;
}

static int add_server(server_list *list, const char *text)
{
    char **grown;

    if (conf_check_server(text) != 0)
        return 1;
    grown = realloc(list->servers, (list->count + 1) * sizeof(char *));
    if (grown == NULL)
        return -1;
    list->servers = grown;
    grown[list->count] = strdup(text);
    return grown[list->count] != NULL ? (list->count++, 0) : -1;
}

static int set_uint(const p11kmip_conf_field *field, uint32_t *out,
                    const char *text)
{
    char *end;
    unsigned long long value;

    if (text[0] < '0' || text[0] > '9')
        return 1;
    value = strtoull(text, &end, 10);
    if (*end != '\0' || value < field->min || value > field->max)
        return 1;
    *out = (uint32_t)value;
    return 0;
}

/* 0 done, 1 not a value the field takes, -1 out of memory. */
static int set_value(const p11kmip_conf_field *field, void *base,
                     const char *text)
{
    int value;

    switch (field->type) {
    case P11KMIP_CONF_STRING:
        if (field->max != 0 && strlen(text) > field->max)
            return 1;
        return set_string(AT(base, field, char *), text);
    case P11KMIP_CONF_SERVERS:
        return add_server(AT(base, field, server_list), text);
    case P11KMIP_CONF_UINT:
        return set_uint(field, AT(base, field, uint32_t), text);
    case P11KMIP_CONF_CHOICE:
        if (choice_value(field->choices, text, &value) != 0)
            return 1;
        *AT(base, field, int) = value;
        return 0;
    case P11KMIP_CONF_VERSION:
        if (choice_value(field->choices, text, &value) != 0)
            return 1;
        AT(base, field, int32_t)[0] = value >> 8;
        AT(base, field, int32_t)[1] = value & 0xff;
        return 0;
    }
    return 1;
}

int p11kmip_conf_field_set(const p11kmip_conf_field *field, void *base,
                           const char *text, const char *where, char *err,
                           size_t err_len)
{
    char expected[256];
    int rc = set_value(field, base, text);

    if (rc < 0)
        return conf_error(err, err_len, "out of memory");
    if (rc == 0)
        return 0;
    p11kmip_conf_field_expected(field, expected, sizeof(expected));
    return conf_error(err, err_len, "%s is \"%s\", expected %s", where, text,
                      expected);
}

void p11kmip_conf_field_clear(const p11kmip_conf_field *field, void *base)
{
    server_list *list;

    if (field->type == P11KMIP_CONF_STRING) {
        char **value = AT(base, field, char *);

        if (*value != NULL && (field->flags & P11KMIP_CONF_SECRET))
            explicit_bzero(*value, strlen(*value));
        free(*value);
        *value = NULL;
    } else if (field->type == P11KMIP_CONF_SERVERS) {
        list = AT(base, field, server_list);
        for (size_t i = 0; i < list->count; i++)
            free(list->servers[i]);
        free(list->servers);
        list->servers = NULL;
        list->count = 0;
    }
}

bool p11kmip_conf_field_is_set(const p11kmip_conf_field *field,
                               const void *base)
{
    if (field->type == P11KMIP_CONF_STRING)
        return *AT_CONST(base, field, char *) != NULL;
    if (field->type == P11KMIP_CONF_SERVERS)
        return AT_CONST(base, field, server_list)->count > 0;
    return true;
}

void p11kmip_conf_field_text(const p11kmip_conf_field *field, const void *base,
                             char *out, size_t out_len)
{
    const server_list *list;
    const int32_t *version;
    size_t used = 0;

    out[0] = '\0';
    switch (field->type) {
    case P11KMIP_CONF_STRING:
        if (*AT_CONST(base, field, char *) != NULL)
            snprintf(out, out_len, "%s",
                     (field->flags & P11KMIP_CONF_SECRET)
                         ? "(hidden)"
                         : *AT_CONST(base, field, char *));
        break;
    case P11KMIP_CONF_SERVERS:
        list = AT_CONST(base, field, server_list);
        for (size_t i = 0; i < list->count && used < out_len; i++)
            used += (size_t)snprintf(out + used, out_len - used, "%s%s",
                                     i > 0 ? " " : "", list->servers[i]);
        break;
    case P11KMIP_CONF_UINT:
        snprintf(out, out_len, "%u", *AT_CONST(base, field, uint32_t));
        break;
    case P11KMIP_CONF_CHOICE:
        snprintf(out, out_len, "%s",
                 conf_choice_name(field->choices, *AT_CONST(base, field, int)));
        break;
    case P11KMIP_CONF_VERSION:
        version = AT_CONST(base, field, int32_t);
        snprintf(out, out_len, "%s",
                 conf_choice_name(field->choices,
                                  (int)(version[0] << 8 | version[1])));
        break;
    }
}

static void choice_list(const p11kmip_conf_choice *choices, char *out,
                        size_t out_len)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; choices[i].name != NULL && used < out_len; i++)
        used += (size_t)snprintf(out + used, out_len - used, "%s\"%s\"",
                                 i == 0                        ? ""
                                 : choices[i + 1].name == NULL ? " or "
                                                               : ", ",
                                 choices[i].name);
}

void p11kmip_conf_field_expected(const p11kmip_conf_field *field, char *out,
                                 size_t out_len)
{
    switch (field->type) {
    case P11KMIP_CONF_STRING:
        if (field->max != 0)
            snprintf(out, out_len, "a string of at most %u bytes", field->max);
        else if (field->flags & P11KMIP_CONF_FILE)
            snprintf(out, out_len, "the path of a readable file");
        else
            snprintf(out, out_len, "a string");
        break;
    case P11KMIP_CONF_SERVERS:
        snprintf(out, out_len, "\"host:port\" with a port from 1 to 65535");
        break;
    case P11KMIP_CONF_UINT:
        snprintf(out, out_len, "an integer from %u to %u", field->min,
                 field->max);
        break;
    case P11KMIP_CONF_CHOICE:
    case P11KMIP_CONF_VERSION:
        choice_list(field->choices, out, out_len);
        break;
    }
}

bool conf_secret_field(const p11kmip_conf *conf, char *name, size_t name_len)
{
    for (size_t i = 0; i < conf->slot_count; i++) {
        for (size_t j = 0; j < p11kmip_conf_slot_field_count; j++) {
            const p11kmip_conf_field *field = &p11kmip_conf_slot_fields[j];

            if ((field->flags & P11KMIP_CONF_SECRET) &&
                p11kmip_conf_field_is_set(field, &conf->slots[i])) {
                snprintf(name, name_len, "slots[%zu].%s", i, field->name);
                return true;
            }
        }
    }
    return false;
}
