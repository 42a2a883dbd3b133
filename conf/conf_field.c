/* SPDX-License-Identifier: Apache-2.0 */
/* Reading, writing and checking one field of the schema: one row of
 * operations per type (field_types below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

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

/* What a type does with the value at `at` (base + field->offset). set
 * returns 0, 1 for a value the field does not take, -1 out of memory. */
typedef struct field_type {
    int (*set)(const p11kmip_conf_field *field, void *at, const char *text);
    void (*text)(const p11kmip_conf_field *field, const void *at, char *out,
                 size_t out_len);
    void (*expected)(const p11kmip_conf_field *field, char *out,
                     size_t out_len);
} field_type;

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
    return 1;
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

/* ---- STRING: char * ---- */

static int string_set(const p11kmip_conf_field *field, void *at,
                      const char *text)
{
    char *copy;

    if (field->max != 0 && strlen(text) > field->max)
        return 1;
    if ((copy = strdup(text)) == NULL)
        return -1;
    p11kmip_conf_field_clear(field, (char *)at - field->offset);
    *(char **)at = copy;
    return 0;
}

static void string_text(const p11kmip_conf_field *field, const void *at,
                        char *out, size_t out_len)
{
    const char *value = *(char *const *)at;

    if (value != NULL)
        snprintf(out, out_len, "%s",
                 (field->flags & P11KMIP_CONF_SECRET) ? "(hidden)" : value);
}

static void string_expected(const p11kmip_conf_field *field, char *out,
                            size_t out_len)
{
    if (field->max != 0)
        snprintf(out, out_len, "a string of at most %u bytes", field->max);
    else if (field->flags & P11KMIP_CONF_FILE)
        snprintf(out, out_len, "the path of a readable file");
    else
        snprintf(out, out_len, "a string");
}

/* ---- SERVERS: server_list, each entry appended ---- */

static int servers_set(const p11kmip_conf_field *field, void *at,
                       const char *text)
{
    server_list *list = at;
    char **grown;

    (void)field;
    if (conf_check_server(text) != 0)
        return 1;
    grown = realloc(list->servers, (list->count + 1) * sizeof(char *));
    if (grown == NULL)
        return -1;
    list->servers = grown;
    if ((grown[list->count] = strdup(text)) == NULL)
        return -1;
    list->count++;
    return 0;
}

static void servers_text(const p11kmip_conf_field *field, const void *at,
                         char *out, size_t out_len)
{
    const server_list *list = at;
    size_t used = 0;

    (void)field;
    for (size_t i = 0; i < list->count && used < out_len; i++)
        used += (size_t)snprintf(out + used, out_len - used, "%s%s",
                                 i > 0 ? " " : "", list->servers[i]);
}

static void servers_expected(const p11kmip_conf_field *field, char *out,
                             size_t out_len)
{
    (void)field;
    snprintf(out, out_len, "\"host:port\" with a port from 1 to 65535");
}

/* ---- UINT: uint32_t from min to max ---- */

static int uint_set(const p11kmip_conf_field *field, void *at, const char *text)
{
    char *end;
    unsigned long long value;

    if (text[0] < '0' || text[0] > '9')
        return 1;
    value = strtoull(text, &end, 10);
    if (*end != '\0' || value < field->min || value > field->max)
        return 1;
    *(uint32_t *)at = (uint32_t)value;
    return 0;
}

static void uint_text(const p11kmip_conf_field *field, const void *at,
                      char *out, size_t out_len)
{
    (void)field;
    snprintf(out, out_len, "%u", *(const uint32_t *)at);
}

static void uint_expected(const p11kmip_conf_field *field, char *out,
                          size_t out_len)
{
    snprintf(out, out_len, "an integer from %u to %u", field->min, field->max);
}

/* ---- CHOICE (an int) and VERSION (int32_t major, minor) by name ---- */

static int choice_set(const p11kmip_conf_field *field, void *at,
                      const char *text)
{
    return choice_value(field->choices, text, at);
}

static void choice_text(const p11kmip_conf_field *field, const void *at,
                        char *out, size_t out_len)
{
    snprintf(out, out_len, "%s",
             conf_choice_name(field->choices, *(const int *)at));
}

static int version_set(const p11kmip_conf_field *field, void *at,
                       const char *text)
{
    int value;

    if (choice_value(field->choices, text, &value) != 0)
        return 1;
    ((int32_t *)at)[0] = value >> 8;
    ((int32_t *)at)[1] = value & 0xff;
    return 0;
}

static void version_text(const p11kmip_conf_field *field, const void *at,
                         char *out, size_t out_len)
{
    const int32_t *version = at;

    snprintf(
        out, out_len, "%s",
        conf_choice_name(field->choices, (int)(version[0] << 8 | version[1])));
}

static void choice_expected(const p11kmip_conf_field *field, char *out,
                            size_t out_len)
{
    const p11kmip_conf_choice *choices = field->choices;
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; choices[i].name != NULL && used < out_len; i++)
        used += (size_t)snprintf(out + used, out_len - used, "%s\"%s\"",
                                 i == 0                        ? ""
                                 : choices[i + 1].name == NULL ? " or "
                                                               : ", ",
                                 choices[i].name);
}

/* ---- BOOL: bool, "true" or "false" ---- */

static int bool_set(const p11kmip_conf_field *field, void *at, const char *text)
{
    (void)field;
    if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
        return 1;
    *(bool *)at = text[0] == 't';
    return 0;
}

static void bool_text(const p11kmip_conf_field *field, const void *at,
                      char *out, size_t out_len)
{
    (void)field;
    snprintf(out, out_len, "%s", *(const bool *)at ? "true" : "false");
}

static void bool_expected(const p11kmip_conf_field *field, char *out,
                          size_t out_len)
{
    (void)field;
    snprintf(out, out_len, "true or false");
}

static const field_type field_types[] = {
    [P11KMIP_CONF_STRING] = {string_set, string_text, string_expected},
    [P11KMIP_CONF_SERVERS] = {servers_set, servers_text, servers_expected},
    [P11KMIP_CONF_UINT] = {uint_set, uint_text, uint_expected},
    [P11KMIP_CONF_CHOICE] = {choice_set, choice_text, choice_expected},
    [P11KMIP_CONF_VERSION] = {version_set, version_text, choice_expected},
    [P11KMIP_CONF_BOOL] = {bool_set, bool_text, bool_expected},
};

int p11kmip_conf_field_set(const p11kmip_conf_field *field, void *base,
                           const char *text, const char *where, char *err,
                           size_t err_len)
{
    char expected[256];
    int rc =
        field_types[field->type].set(field, (char *)base + field->offset, text);

    if (rc < 0)
        return conf_error(err, err_len, "out of memory");
    if (rc == 0)
        return 0;
    p11kmip_conf_field_expected(field, expected, sizeof(expected));
    return conf_error(err, err_len, "%s is \"%s\", expected %s", where, text,
                      expected);
}

void p11kmip_conf_field_text(const p11kmip_conf_field *field, const void *base,
                             char *out, size_t out_len)
{
    out[0] = '\0';
    field_types[field->type].text(field, (const char *)base + field->offset,
                                  out, out_len);
}

void p11kmip_conf_field_expected(const p11kmip_conf_field *field, char *out,
                                 size_t out_len)
{
    field_types[field->type].expected(field, out, out_len);
}

void p11kmip_conf_field_clear(const p11kmip_conf_field *field, void *base)
{
    void *at = (char *)base + field->offset;
    char **value = at;
    server_list *list = at;

    if (field->type == P11KMIP_CONF_STRING && *value != NULL) {
        if (field->flags & P11KMIP_CONF_SECRET)
            explicit_bzero(*value, strlen(*value));
        free(*value);
        *value = NULL;
    } else if (field->type == P11KMIP_CONF_SERVERS) {
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
    const void *at = (const char *)base + field->offset;

    if (field->type == P11KMIP_CONF_STRING)
        return *(char *const *)at != NULL;
    if (field->type == P11KMIP_CONF_SERVERS)
        return ((const server_list *)at)->count > 0;
    return true;
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
