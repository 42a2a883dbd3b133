/* SPDX-License-Identifier: Apache-2.0 */
/* JSON -> p11kmip_conf, strict: unknown keys and wrong types are errors
 * that name the source, the key and what was expected. The keys and what
 * they take come from the schema (conf_schema.c). */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

static bool json_fits(const p11kmip_conf_field *field, json_object *value)
{
    if (field->type == P11KMIP_CONF_UINT)
        return json_object_is_type(value, json_type_int);
    if (field->type == P11KMIP_CONF_BOOL)
        return json_object_is_type(value, json_type_boolean);
    return json_object_is_type(value, json_type_string);
}

/* One JSON value (a string, an integer) into field. */
static int set_json(const p11kmip_conf_field *field, void *base,
                    json_object *value, const char *source, const char *key,
                    char *err, size_t err_len)
{
    char expected[256], where[192];

    if (!json_fits(field, value)) {
        p11kmip_conf_field_expected(field, expected, sizeof(expected));
        return conf_error(err, err_len, "%s: \"%s\" must be %s", source, key,
                          expected);
    }
    snprintf(where, sizeof(where), "%s: \"%s\"", source, key);
    return p11kmip_conf_field_set(field, base, json_object_get_string(value),
                                  where, err, err_len);
}

static int set_array(const p11kmip_conf_field *field, void *base,
                     json_object *value, const char *source, const char *key,
                     char *err, size_t err_len)
{
    char name[160];
    size_t n;

    if (!json_object_is_type(value, json_type_array) ||
        (n = json_object_array_length(value)) == 0)
        return conf_error(err, err_len,
                          "%s: \"%s\" must be a non-empty array of "
                          "\"host:port\" strings",
                          source, key);
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "%s[%zu]", key, i);
        if (set_json(field, base, json_object_array_get_idx(value, i), source,
                     name, err, err_len) != 0)
            return -1;
    }
    return 0;
}

/* Every key of obj, each a field of the table, into base. prefix names
 * obj in errors ("slots[0]", "log"). */
static int parse_fields(const p11kmip_conf_field *fields, size_t n,
                        json_object *obj, void *base, const char *source,
                        const char *prefix, char *err, size_t err_len)
{
    char key[128];

    if (!json_object_is_type(obj, json_type_object))
        return conf_error(err, err_len, "%s: \"%s\" must be an object", source,
                          prefix);
    json_object_object_foreach(obj, name, value)
    {
        const p11kmip_conf_field *field = NULL;
        int rc;

        for (size_t i = 0; i < n && field == NULL; i++)
            if (strcmp(fields[i].name, name) == 0)
                field = &fields[i];
        snprintf(key, sizeof(key), "%s.%.64s", prefix, name);
        if (field == NULL)
            return conf_error(err, err_len, "%s: unknown key \"%s\"", source,
                              key);
        if ((field->flags & P11KMIP_CONF_NULLABLE) &&
            json_object_is_type(value, json_type_null))
            continue;
        rc = field->type == P11KMIP_CONF_SERVERS
                 ? set_array(field, base, value, source, key, err, err_len)
                 : set_json(field, base, value, source, key, err, err_len);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int parse_slots(json_object *slots, const char *source,
                       p11kmip_conf *conf, char *err, size_t err_len)
{
    char prefix[32];
    size_t n;

    if (!json_object_is_type(slots, json_type_array) ||
        (n = json_object_array_length(slots)) == 0)
        return conf_error(err, err_len,
                          "%s: \"slots\" must be a non-empty array", source);
    free(conf->slots);
    conf->slots = calloc(n, sizeof(*conf->slots));
    if (conf->slots == NULL)
        return conf_error(err, err_len, "out of memory");
    for (size_t i = 0; i < n; i++) {
        p11kmip_slot_conf *slot = &conf->slots[conf->slot_count++];

        snprintf(prefix, sizeof(prefix), "slots[%zu]", i);
        p11kmip_conf_slot_defaults(slot);
        if ((slot->source = strdup(source)) == NULL)
            return conf_error(err, err_len, "out of memory");
        if (parse_fields(p11kmip_conf_slot_fields,
                         p11kmip_conf_slot_field_count,
                         json_object_array_get_idx(slots, i), slot, source,
                         prefix, err, err_len) != 0 ||
            p11kmip_conf_check_slot(slot, source, i, err, err_len) != 0)
            return -1;
    }
    return 0;
}

static int parse_root(json_object *root, const char *source, p11kmip_conf *conf,
                      char *err, size_t err_len)
{
    json_object *slots = NULL;

    if (!json_object_is_type(root, json_type_object))
        return conf_error(err, err_len, "%s: the top level must be an object",
                          source);
    json_object_object_foreach(root, name, value)
    {
        if (strcmp(name, "slots") == 0)
            slots = value;
        else if (strcmp(name, "log") == 0) {
            if (parse_fields(p11kmip_conf_log_fields,
                             p11kmip_conf_log_field_count, value, conf, source,
                             "log", err, err_len) != 0)
                return -1;
        } else
            return conf_error(err, err_len, "%s: unknown key \"%s\"", source,
                              name);
    }
    if (slots == NULL)
        return conf_error(err, err_len,
                          "%s: \"slots\" must be a non-empty array", source);
    return parse_slots(slots, source, conf, err, err_len);
}

p11kmip_conf *p11kmip_conf_parse(const char *json_text, const char *source,
                                 char *err, size_t err_len)
{
    json_tokener *tok;
    json_object *root;
    p11kmip_conf *conf;
    size_t parsed;

    tok = json_tokener_new();
    if (tok == NULL) {
        conf_error(err, err_len, "out of memory");
        return NULL;
    }
    root = json_tokener_parse_ex(tok, json_text, (int)strlen(json_text));
    parsed = (size_t)tok->char_offset;
    if (root == NULL || json_tokener_get_error(tok) != json_tokener_success ||
        json_text[parsed + strspn(json_text + parsed, " \t\r\n")] != '\0') {
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
    conf = p11kmip_conf_new(source, 0);
    if (conf == NULL || parse_root(root, source, conf, err, err_len) != 0) {
        if (conf == NULL)
            conf_error(err, err_len, "out of memory");
        p11kmip_conf_free(conf);
        conf = NULL;
    }
    json_object_put(root);
    return conf;
}
