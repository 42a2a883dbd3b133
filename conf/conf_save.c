/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip_conf -> JSON file, the inverse of conf_parse.c. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf_internal.h"

static const char *login_name(p11kmip_login_mode mode)
{
    switch (mode) {
    case P11KMIP_LOGIN_KEY_PASSPHRASE:
        return "key-passphrase";
    case P11KMIP_LOGIN_CREDENTIAL:
        return "credential";
    case P11KMIP_LOGIN_NONE:
        break;
    }
    return "none";
}

static void add_string(json_object *obj, const char *key, const char *value)
{
    if (value != NULL)
        json_object_object_add(obj, key, json_object_new_string(value));
}

static json_object *slot_to_json(const p11kmip_slot_conf *slot)
{
    json_object *obj = json_object_new_object();
    json_object *servers = json_object_new_array();
    char version[8];
    size_t i;

    add_string(obj, "label", slot->label);
    for (i = 0; i < slot->server_count; i++)
        json_object_array_add(servers,
                              json_object_new_string(slot->servers[i]));
    json_object_object_add(obj, "servers", servers);
    add_string(obj, "ca", slot->ca);
    add_string(obj, "cert", slot->cert);
    add_string(obj, "key", slot->key);
    add_string(obj, "ciphers", slot->ciphers);
    add_string(obj, "verify_name", slot->verify_name);
    add_string(obj, "login", login_name(slot->login));
    add_string(obj, "username", slot->username);
    if (slot->kmip_major == 0)
        snprintf(version, sizeof(version), "auto");
    else
        snprintf(version, sizeof(version), "%d.%d", (int)slot->kmip_major,
                 (int)slot->kmip_minor);
    add_string(obj, "kmip_version", version);
    json_object_object_add(obj, "timeout_ms",
                           json_object_new_int64(slot->timeout_ms));
    json_object_object_add(obj, "pool", json_object_new_int64(slot->pool));
    return obj;
}

int p11kmip_conf_save(const p11kmip_conf *conf, const char *path, char *err,
                      size_t err_len)
{
    json_object *root = json_object_new_object();
    json_object *slots = json_object_new_array();
    json_object *log = json_object_new_object();
    const char *text;
    size_t i, len;
    int fd, rc = 0;

    for (i = 0; i < conf->slot_count; i++)
        json_object_array_add(slots, slot_to_json(&conf->slots[i]));
    json_object_object_add(root, "slots", slots);
    add_string(log, "level", p11kmip_log_level_name(conf->log_level));
    add_string(log, "file", conf->log_file);
    json_object_object_add(root, "log", log);
    text = json_object_to_json_string_ext(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
    len = strlen(text);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
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
    json_object_put(root);
    return rc;
}
