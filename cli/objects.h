/* SPDX-License-Identifier: Apache-2.0 */
/* Objects on a token: choosing them (options or a pkcs11: URI), reading
 * what an operator wants to see of them, naming them by URI. */
#ifndef P11KMIP_CLI_OBJECTS_H
#define P11KMIP_CLI_OBJECTS_H

#include <getopt.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token.h"

/* ---- Selecting objects (select.c) ---- */

typedef struct cli_selector {
    char *slot;     /* --slot or the URI's token; NULL: the first slot */
    bool any_token; /* a URI without token=: the token its objects are on */
    char *label;
    uint8_t *id;
    size_t id_len;
    bool has_id;
    CK_OBJECT_CLASS object_class;
    bool has_class;
    /* With no type given, a private key and others matching (the halves
     * of a pair share a label): the private key. */
    bool prefer_private;
} cli_selector;

/* The getopt_long entries of the selection options; their short forms
 * are CLI_SELECTOR_SHORT. */
#define CLI_SELECTOR_SHORT "s:l:i:t:"
#define CLI_SELECTOR_OPTIONS                                                   \
    {"slot", required_argument, NULL, 's'},                                    \
        {"label", required_argument, NULL, 'l'},                               \
        {"id", required_argument, NULL, 'i'},                                  \
    {                                                                          \
        "type", required_argument, NULL, 't'                                   \
    }

/* Takes option opt of CLI_SELECTOR_OPTIONS: 1 when it was one, 0 when
 * not, -1 (message printed) for a bad value. */
int cli_selector_option(cli_selector *sel, int opt, const char *arg);
/* Takes a pkcs11: URI naming the objects. 0, or -1 (message printed). */
int cli_selector_uri(cli_selector *sel, const char *text);
bool cli_selector_empty(const cli_selector *sel);
/* For a command that takes one kind of key: a non-empty selection gets
 * object_class; another --type is a usage error (printed). */
int cli_selector_of_class(cli_selector *sel, CK_OBJECT_CLASS object_class,
                          const char *command);
void cli_selector_clear(cli_selector *sel);

/* A command's own option besides the selection: a flag (value NULL) or
 * one taking an argument (flag NULL). */
typedef struct cli_extra_option {
    const char *name;
    bool *flag;
    const char **value;
} cli_extra_option;

/* Parses the options of a command that creates objects (keygen, import):
 * --slot, --label, --id and the extra options (at most 8); optind is left
 * at the first operand. CLI_OK, or CLI_EXIT_USAGE with the reason
 * printed. */
int cli_creation_options_parse(int argc, char **argv,
                               const cli_command *command,
                               const cli_extra_option *extra, size_t n_extra,
                               cli_selector *sel);

/* Parses a selecting command's arguments: the selection options, the
 * extra options (at most 8) and at most one pkcs11: URI. CLI_OK, or
 * CLI_EXIT_USAGE with the reason printed. */
int cli_selection_parse(int argc, char **argv, const char *command,
                        const char *usage, const cli_extra_option *extra,
                        size_t n_extra, cli_selector *sel);

/* The objects of the token sel matches; *handles (free()) holds *n.
 * CLI_OK, or an exit code with the reason printed. */
int cli_find(const cli_token *token, const cli_selector *sel,
             CK_OBJECT_HANDLE **handles, size_t *n);

/* The key on the token whose public key is spki (a DER
 * SubjectPublicKeyInfo): a private key, else a public key; *found says
 * whether there is one. CLI_OK, or an exit code with the reason printed. */
int cli_find_key_of(const cli_token *token, const uint8_t *spki, size_t len,
                    CK_OBJECT_HANDLE *handle, bool *found);

/* Exactly one object, or an exit code naming why (none, several). */
int cli_find_one(const cli_token *token, const cli_selector *sel,
                 CK_OBJECT_HANDLE *handle);

/* Opens the token sel names (search.c): its --slot or token=, the first
 * slot when neither is given, and for a pkcs11: URI without token= the
 * one token its objects are on (every slot is searched). The caller closes
 * the token in any case. CLI_OK, or an exit code with the reason printed. */
int cli_selection_open(const cli_selector *sel, cli_token *token);

/* Opens sel's token and finds the one object sel names (an empty
 * selection is refused). The caller closes the token in any case. */
int cli_token_find_one(const cli_selector *sel, const char *command,
                       cli_token *token, CK_OBJECT_HANDLE *handle);

/* What a command does with the one key it selected. */
typedef int (*cli_key_action)(const cli_token *token, CK_OBJECT_HANDLE key,
                              void *ctx);

/* A command on one key of object_class (sign, pubkey): parses the
 * selection and the extra options, finds the key, calls act, and closes
 * the token. Returns act's exit code or why it was not called (printed). */
int cli_run_on_key(int argc, char **argv, const cli_command *command,
                   const cli_extra_option *extra, size_t n_extra,
                   CK_OBJECT_CLASS object_class, cli_key_action act, void *ctx);

/* What a selecting command does with the selection and whether its one
 * flag option was given. */
typedef int (*cli_selection_action)(const cli_selector *sel, bool flag);

/* A selecting command with one flag option --flag (list, show,
 * destroy): parses the selection, calls act and clears the selection.
 * Returns act's exit code or why it was not called (printed). */
int cli_run_with_flag(int argc, char **argv, const cli_command *command,
                      const char *flag, cli_selection_action act);

/* Parses hex ("0a1b", "0A:1B") into *out (free()); -1 when not hex. */
int cli_unhex(const char *text, uint8_t **out, size_t *len);
/* Lower-case hex of data, malloc'd; NULL when out of memory. */
char *cli_hex(const uint8_t *data, size_t len);

/* CKO_* from "private", "public", "secret-key", "cert", "data". */
bool cli_class_from_name(const char *name, CK_OBJECT_CLASS *out);
/* The pkcs11: URI type name of a class ("private", "cert", ...). */
const char *cli_class_name(CK_OBJECT_CLASS object_class);

/* ---- Reading objects (object.c) ---- */

typedef struct cli_object {
    CK_OBJECT_HANDLE handle;
    CK_OBJECT_CLASS object_class;
    CK_ULONG subtype; /* CKK_* or CKC_*, CK_UNAVAILABLE_INFORMATION */
    char *label;      /* "" when none */
    uint8_t *id;
    size_t id_len;
    unsigned long bits; /* 0: unknown */
    const char *curve;  /* NIST name of an EC key's curve, or NULL */
} cli_object;

/* Reads handle's class, type, label, id and size. CLI_OK or an exit code
 * (printed). Clear with cli_object_clear. */
int cli_object_read(const cli_token *token, CK_OBJECT_HANDLE handle,
                    cli_object *out);
void cli_object_clear(cli_object *object);

/* "rsa", "ec", "aes", "generic-secret", "x509" or "-". */
const char *cli_object_kind(const cli_object *object);

/* The pkcs11: URI of the object (token, object label, id and type),
 * malloc'd, or NULL when out of memory. */
char *cli_object_uri(const cli_token *token, const cli_object *object);

/* The object as a JSON object (json_object_put), or NULL. */
json_object *cli_object_json(const cli_token *token, const cli_object *object);

/* What a command does with the one object it selected and read. */
typedef int (*cli_object_action)(const cli_token *token,
                                 const cli_object *object, void *ctx);

/* A command on the one object sel names (show, uri, keyfile; select.c):
 * finds it (cli_token_find_one), reads it, calls act and closes the
 * token. Returns act's exit code or why it was not called (printed). */
int cli_run_on_object(const cli_selector *sel, const char *command,
                      cli_object_action act, void *ctx);

/* A server may refuse to keep CKA_ID (p11core then creates the object
 * without it): warns when handle's id is not id, which was asked for. */
void cli_warn_lost_id(const cli_token *token, CK_OBJECT_HANDLE handle,
                      const uint8_t *id, size_t id_len);

/* Reads one attribute's value into *value (free()); CKR_* of the call. */
CK_RV cli_attr_get(const cli_token *token, CK_OBJECT_HANDLE handle,
                   CK_ATTRIBUTE_TYPE type, uint8_t **value, size_t *len);

#endif
