/* SPDX-License-Identifier: Apache-2.0 */
/* The configuration schema: one table of fields (conf/conf_schema.c) says,
 * per key, its JSON name, type, default, range, environment variable,
 * `p11kmip config` option and help text. Parsing, saving, the environment
 * overrides, the defaults, the CLI's options and the validation all read
 * it; a new key is one row. */
#ifndef P11KMIP_CONF_SCHEMA_H
#define P11KMIP_CONF_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "p11kmip/conf.h"

typedef enum p11kmip_conf_type {
    P11KMIP_CONF_STRING,  /* char *; max: longest length in bytes (0: any) */
    P11KMIP_CONF_SERVERS, /* char ** + size_t count, "host:port" each */
    P11KMIP_CONF_UINT,    /* uint32_t from min to max */
    P11KMIP_CONF_CHOICE,  /* an int enum named by choices */
    P11KMIP_CONF_VERSION, /* int32_t major, minor; named by choices */
    P11KMIP_CONF_BOOL,    /* bool; JSON true/false, text "true"/"false" */
} p11kmip_conf_type;

enum {
    P11KMIP_CONF_REQUIRED = 1 << 0, /* a slot is incomplete without it */
    P11KMIP_CONF_FILE = 1 << 1,     /* a path that must be readable */
    P11KMIP_CONF_NULLABLE = 1 << 2, /* JSON null means unset */
    P11KMIP_CONF_SECRET = 1 << 3,   /* never shown; the file must be 0600 */
};

typedef struct p11kmip_conf_choice {
    const char *name;
    int value; /* CHOICE: the enum; VERSION: major << 8 | minor */
} p11kmip_conf_choice;

typedef struct p11kmip_conf_field {
    const char *name;   /* JSON key, e.g. "timeout_ms" */
    const char *option; /* `p11kmip config` option without "--", or NULL */
    const char *env;    /* environment override, or NULL */
    p11kmip_conf_type type;
    size_t offset; /* into p11kmip_slot_conf, or p11kmip_conf for log */
    unsigned flags;
    uint32_t min, max, def; /* UINT: range and default; CHOICE, BOOL: def */
    const p11kmip_conf_choice *choices; /* ended by a NULL name */
    const char *help;
} p11kmip_conf_field;

/* The fields of a slot (JSON "slots[i]") and of "log". */
extern const p11kmip_conf_field p11kmip_conf_slot_fields[];
extern const size_t p11kmip_conf_slot_field_count;
extern const p11kmip_conf_field p11kmip_conf_log_fields[];
extern const size_t p11kmip_conf_log_field_count;

/* Sets field of base (a slot or the conf) from text, as an environment
 * variable or an option gives it: a SERVERS field appends one entry, the
 * others replace the value. 0, or -1 with err filled as
 * "<where> is \"text\", expected <what the field takes>". */
int p11kmip_conf_field_set(const p11kmip_conf_field *field, void *base,
                           const char *text, const char *where, char *err,
                           size_t err_len);

/* Frees and unsets the field's value. */
void p11kmip_conf_field_clear(const p11kmip_conf_field *field, void *base);

/* Whether the field holds a value (a string or a server is given). */
bool p11kmip_conf_field_is_set(const p11kmip_conf_field *field,
                               const void *base);

/* The value as text into out ("" when unset; servers space-separated; a
 * secret as "(hidden)"). */
void p11kmip_conf_field_text(const p11kmip_conf_field *field, const void *base,
                             char *out, size_t out_len);

/* What the field takes, e.g. "an integer from 1 to 256". */
void p11kmip_conf_field_expected(const p11kmip_conf_field *field, char *out,
                                 size_t out_len);

/* A configuration named source (errors name it) of slot_count slots
 * holding the defaults and nothing else; NULL when out of memory. Free
 * with p11kmip_conf_free. */
p11kmip_conf *p11kmip_conf_new(const char *source, size_t slot_count);

/* A slot holding the defaults and nothing else. */
void p11kmip_conf_slot_defaults(p11kmip_slot_conf *slot);

/* Checks that a slot is complete and consistent: each required field set,
 * "credential" login with a username. source and index name it in err. */
int p11kmip_conf_check_slot(const p11kmip_slot_conf *slot, const char *source,
                            size_t index, char *err, size_t err_len);

#endif
