// SPDX-License-Identifier: Apache-2.0
/* Renaming a slot in its file (C_InitToken): the file read, the label
 * changed, the file replaced atomically. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_internal.h"

static p11kmip_slot_conf *slot_labelled(p11kmip_conf *conf, const char *label)
{
    for (size_t i = 0; i < conf->slot_count; i++)
        if (strcmp(conf->slots[i].label, label) == 0)
            return &conf->slots[i];
    return NULL;
}

static const p11kmip_conf_field *label_field(void)
{
    for (size_t i = 0; i < p11kmip_conf_slot_field_count; i++)
        if (p11kmip_conf_slot_fields[i].offset ==
            offsetof(p11kmip_slot_conf, label))
            return &p11kmip_conf_slot_fields[i];
    return NULL;
}

/* Writes conf over path through a temporary file beside it, keeping the
 * file's mode. */
static int replace_file(const p11kmip_conf *conf, const char *path, char *err,
                        size_t err_len)
{
    char tmp[4096];
    struct stat st;

    if (snprintf(tmp, sizeof(tmp), "%s.relabel", path) >= (int)sizeof(tmp))
        return conf_error(err, err_len, "%s: path too long", path);
    if (stat(path, &st) != 0)
        return conf_error(err, err_len, "%s: %s", path, strerror(errno));
    if (p11kmip_conf_save(conf, tmp, err, err_len) != 0)
        return -1;
    if (chmod(tmp, st.st_mode & 07777) == 0 && rename(tmp, path) == 0)
        return 0;
    unlink(tmp);
    return conf_error(err, err_len, "%s: cannot replace it", path);
}

int p11kmip_conf_relabel(const char *path, const char *label,
                         const char *new_label, char *err, size_t err_len)
{
    p11kmip_conf *conf = p11kmip_conf_load_file(path, err, err_len);
    p11kmip_slot_conf *slot;
    int rc = -1;

    if (conf == NULL)
        return -1;
    slot = slot_labelled(conf, label);
    if (slot == NULL)
        conf_error(err, err_len, "%s: no slot is labelled \"%s\"", path, label);
    else if (strcmp(label, new_label) != 0 && slot_labelled(conf, new_label))
        conf_error(err, err_len, "%s: a slot is already labelled \"%s\"", path,
                   new_label);
    else if (p11kmip_conf_field_set(label_field(), slot, new_label, "the label",
                                    err, err_len) == 0)
        rc = replace_file(conf, path, err, err_len);
    p11kmip_conf_free(conf);
    return rc;
}
