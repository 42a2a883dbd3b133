/* SPDX-License-Identifier: Apache-2.0 */
#ifndef P11KMIP_CONF_INTERNAL_H
#define P11KMIP_CONF_INTERNAL_H

#include <stddef.h>

#include "p11kmip/conf.h"
#include "p11kmip/conf_schema.h"

/* Writes a message into err and returns -1 (conf_error.c). */
int conf_error(char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 0 when entry is "host:port" with a port from 1 to 65535. */
int conf_check_server(const char *entry);

/* Whether a slot of conf holds a secret; its key ("slots[0].x") into
 * name. */
bool conf_secret_field(const p11kmip_conf *conf, char *name, size_t name_len);

/* The user's file and, when readable, the system's: the slots of both, a
 * user's slot hiding the system's of its label (conf_load.c). */
p11kmip_conf *conf_load_both(const char *user_path, const char *system_path,
                             char *err, size_t err_len);

/* The name of value among choices, or "unknown". */
const char *conf_choice_name(const p11kmip_conf_choice *choices, int value);

#endif
