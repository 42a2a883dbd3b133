/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip configuration: a JSON file (json-c) plus environment overrides.
 * Search order: $P11KMIP_CONFIG alone if set; else the user's file
 * ($XDG_CONFIG_HOME/p11kmip/p11kmip.json, default ~/.config/...) and
 * /etc/p11kmip/p11kmip.json, the slots of both (a user's slot hides a
 * system slot of its label). With none, P11KMIP_SERVER alone defines a
 * one-slot configuration. Each
 * key's type, default, range and environment variable: conf_schema.h. */
#ifndef P11KMIP_CONF_H
#define P11KMIP_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define P11KMIP_DEFAULT_CONFIG "/etc/p11kmip/p11kmip.json"

/* How the PIN given to C_Login is used (the slot's "login" key). */
typedef enum p11kmip_login_mode {
    P11KMIP_LOGIN_NONE,           /* "none": no PIN (protected auth path) */
    P11KMIP_LOGIN_KEY_PASSPHRASE, /* "key-passphrase": decrypts "key" or
                                     opens "p12" */
    P11KMIP_LOGIN_CREDENTIAL,     /* "credential": KMIP Username/Password,
                                     username from "username" */
} p11kmip_login_mode;

typedef enum p11kmip_log_level {
    P11KMIP_LOG_OFF = -1, /* "off": nothing is logged */
    P11KMIP_LOG_ERROR,
    P11KMIP_LOG_WARN,
    P11KMIP_LOG_INFO,
    P11KMIP_LOG_DEBUG,
    P11KMIP_LOG_TRACE, /* "trace": debug and every KMIP call, no secrets */
} p11kmip_log_level;

typedef struct p11kmip_slot_conf {
    char *label;    /* token label, at most 32 bytes */
    char **servers; /* "host:port" entries, server_count of them */
    size_t server_count;
    char *ca; /* PEM file paths */
    char *cert;
    char *key;
    char *p12;          /* PKCS#12 bundle instead of cert + key, or NULL */
    char *key_password; /* decrypts key or p12 without a login, or NULL */
    char *ciphers;      /* TLS 1.2 cipher list or NULL */
    char *verify_name;  /* server name to verify instead of the host */
    char *username;     /* for P11KMIP_LOGIN_CREDENTIAL */
    p11kmip_login_mode login;
    /* "auto" is {0, 0}; otherwise e.g. {1, 4} from "1.4". */
    int32_t kmip_major;
    int32_t kmip_minor;
    uint32_t timeout_ms;
    uint32_t pool;
    bool hardware_slot;   /* the slot reports CKF_HW_SLOT */
    bool attribute_cache; /* false: attributes are read again each time */
    char *source;         /* the file the slot comes from, or "environment" */
} p11kmip_slot_conf;

typedef struct p11kmip_conf {
    p11kmip_slot_conf *slots;
    size_t slot_count;
    p11kmip_log_level log_level; /* default warn */
    char *log_file;              /* NULL: standard error */
    char *source;                /* the file read, or "environment" */
} p11kmip_conf;

/* Loads the configuration by the search order above and applies the
 * environment overrides (the schema's env names) to the first slot. On failure
 * returns NULL and writes into err (at most err_len bytes) a message naming the
 * file, the key and what was expected. Free with p11kmip_conf_free. */
p11kmip_conf *p11kmip_conf_load(char *err, size_t err_len);

/* The user's file into path: $XDG_CONFIG_HOME/p11kmip/p11kmip.json, else
 * $HOME/.config/p11kmip/p11kmip.json. -1 when neither variable is set. */
int p11kmip_conf_user_path(char *path, size_t path_len);

/* Loads one named file, with no search and no environment. A file other
 * users may write, or one holding a secret that they may read, is
 * refused. */
p11kmip_conf *p11kmip_conf_load_file(const char *path, char *err,
                                     size_t err_len);

/* Parses JSON text; source names it in errors. */
p11kmip_conf *p11kmip_conf_parse(const char *json_text, const char *source,
                                 char *err, size_t err_len);

/* conf as the JSON text of a file, malloc'd (free()); NULL when out of
 * memory. Secrets are written as "(hidden)" unless secrets is true. */
char *p11kmip_conf_text(const p11kmip_conf *conf, bool secrets);

/* Writes conf as JSON to path (mode 0644, 0600 when it holds a secret),
 * for `p11kmip config`. Returns 0 or -1 with err filled. */
int p11kmip_conf_save(const p11kmip_conf *conf, const char *path, char *err,
                      size_t err_len);

/* Renames the slot labelled label in the file path to new_label (at most
 * 32 bytes, not another slot's), replacing the file atomically; the other
 * keys are kept. Returns 0 or -1 with err filled. */
int p11kmip_conf_relabel(const char *path, const char *label,
                         const char *new_label, char *err, size_t err_len);

void p11kmip_conf_free(p11kmip_conf *conf);

const char *p11kmip_log_level_name(p11kmip_log_level level);

#endif
