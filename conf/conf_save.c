/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip_conf -> JSON, the inverse of conf_parse.c, from the schema. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_internal.h"

static json_object *servers_json(const p11kmip_slot_conf *slot)
{
    json_object *array = json_object_new_array();

    for (size_t i = 0; i < slot->server_count; i++)
        json_object_array_add(array, json_object_new_string(slot->servers[i]));
    return array;
}

static json_object *field_json(const p11kmip_conf_field *field,
                               const void *base, bool secrets)
{
    char text[1024];

    if (!p11kmip_conf_field_is_set(field, base))
        return NULL;
    if ((field->flags & P11KMIP_CONF_SECRET) && !secrets)
        return json_object_new_string("(hidden)");
    if (field->type == P11KMIP_CONF_SERVERS)
        return servers_json(base);
    if (field->type == P11KMIP_CONF_UINT)
        return json_object_new_int64(
            *(const uint32_t *)(const void *)((const char *)base +
                                              field->offset));
    if (field->type == P11KMIP_CONF_BOOL)
        return json_object_new_boolean(
            *(const bool *)(const void *)((const char *)base + field->offset));
    if (field->type == P11KMIP_CONF_STRING)
        return json_object_new_string(
            *(char *const *)(const void *)((const char *)base + field->offset));
    p11kmip_conf_field_text(field, base, text, sizeof(text));
    return json_object_new_string(text);
}

static json_object *fields_json(const p11kmip_conf_field *fields, size_t n,
                                const void *base, bool secrets)
{
    json_object *obj = json_object_new_object();

    for (size_t i = 0; i < n; i++) {
        json_object *value = field_json(&fields[i], base, secrets);

        if (value != NULL)
            json_object_object_add(obj, fields[i].name, value);
    }
    return obj;
}

char *p11kmip_conf_text(const p11kmip_conf *conf, bool secrets)
{
    json_object *root = json_object_new_object();
    json_object *slots = json_object_new_array();
    char *text;

    for (size_t i = 0; i < conf->slot_count; i++)
        json_object_array_add(slots, fields_json(p11kmip_conf_slot_fields,
                                                 p11kmip_conf_slot_field_count,
                                                 &conf->slots[i], secrets));
    json_object_object_add(root, "slots", slots);
    json_object_object_add(root, "log",
                           fields_json(p11kmip_conf_log_fields,
                                       p11kmip_conf_log_field_count, conf,
                                       secrets));
    text = strdup(json_object_to_json_string_ext(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
    return text;
}

int p11kmip_conf_save(const p11kmip_conf *conf, const char *path, char *err,
                      size_t err_len)
{
    char *text = p11kmip_conf_text(conf, true), secret[96];
    size_t len;
    int fd, rc = 0;

    if (text == NULL)
        return conf_error(err, err_len, "out of memory");
    len = strlen(text);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
              conf_secret_field(conf, secret, sizeof(secret)) ? 0600 : 0644);
    if (fd < 0)
        rc = conf_error(err, err_len, "%s: cannot write: %s", path,
                        strerror(errno));
    else {
        if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
            rc = conf_error(err, err_len, "%s: write failed: %s", path,
                            strerror(errno));
        if (close(fd) != 0 && rc == 0)
            rc = conf_error(err, err_len, "%s: close failed: %s", path,
                            strerror(errno));
    }
    explicit_bzero(text, len);
    free(text);
    return rc;
}
