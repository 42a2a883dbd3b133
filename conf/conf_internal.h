/* SPDX-License-Identifier: Apache-2.0 */
#ifndef P11KMIP_CONF_INTERNAL_H
#define P11KMIP_CONF_INTERNAL_H

#include <stddef.h>

#include "p11kmip/conf.h"

/* Writes a message into err and returns -1. */
int conf_error(char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A new empty configuration named after source; NULL when out of memory. */
p11kmip_conf *conf_new(const char *source);
void conf_slot_defaults(p11kmip_slot_conf *slot);

/* 0 when entry is "host:port" with a port from 1 to 65535. */
int conf_check_server(const char *entry);
/* Checks that a parsed slot is complete and consistent. */
int conf_check_slot(const p11kmip_slot_conf *slot, const char *source,
                    size_t index, char *err, size_t err_len);

int conf_parse_version(const char *text, int32_t *major, int32_t *minor);
int conf_parse_log_level(const char *text, p11kmip_log_level *level);

#endif
