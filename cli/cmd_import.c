/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip import FILE... --label LABEL [--id HEX]: a PEM private key (and
 * its public key), a public key, and/or a certificate chain registered on
 * the server through p11core and activated. On any failure the objects
 * already made are destroyed again, or named when that fails too. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "import.h"
#include "objects.h"
#include "print.h"

#define IMPORT_MAX_OBJECTS 16

typedef struct import_args {
    cli_selector sel; /* slot, label and id */
    bool json;
} import_args;

typedef struct import_state {
    const cli_token *token;
    const char *label;
    CK_OBJECT_HANDLE made[IMPORT_MAX_OBJECTS];
    size_t n_made;
} import_state;

/* The label and id of the new objects. */
typedef struct import_naming {
    const char *label;
    const uint8_t *id;
    size_t id_len;
    unsigned char sha1[20];
    cli_object key; /* the key on the token a lone certificate is for */
} import_naming;

/* Names a template's object and creates it. */
static int create(import_state *state, cli_template *t, const char *what,
                  const char *label, const uint8_t *id, size_t id_len)
{
    CK_RV rv;

    if (cli_template_name(t, label, id, id_len) != 0)
        return cli_error(CLI_EXIT_FAILURE, "import: out of memory");
    rv = state->token->fns->C_CreateObject(
        state->token->session, t->attrs, t->count, &state->made[state->n_made]);
    if (rv != CKR_OK)
        return cli_token_error(state->token, what, rv);
    state->n_made++;
    return CLI_OK;
}

/* Builds one object's template with build and creates it. */
static int import_one(import_state *state, int (*build)(void *, cli_template *),
                      void *item, const char *what, const char *label,
                      const uint8_t *id, size_t id_len)
{
    cli_template t = {0};
    int code = build(item, &t) == 0
                   ? create(state, &t, what, label, id, id_len)
                   : cli_error(CLI_EXIT_FAILURE,
                               "import: %s: unsupported key (RSA and EC on "
                               "P-256, P-384, P-521)",
                               what);

    cli_template_clear(&t);
    return code;
}

static int build_private(void *key, cli_template *t)
{
    return cli_template_private_key(key, t);
}

static int build_public(void *key, cli_template *t)
{
    return cli_template_public_key(key, t);
}

static int build_certificate(void *cert, cli_template *t)
{
    return cli_template_certificate(cert, t);
}

static int import_bundle(import_state *state, cli_pem_bundle *bundle,
                         const import_naming *naming)
{
    EVP_PKEY *key =
        bundle->private_key != NULL ? bundle->private_key : bundle->public_key;
    const char *label = naming->label;
    const uint8_t *id = naming->id;
    size_t id_len = naming->id_len;
    unsigned char ca_id[20];
    char ca_label[300];
    int code = CLI_OK;

    if (bundle->private_key != NULL)
        code = import_one(state, build_private, key,
                          "importing the private key", label, id, id_len);
    if (code == CLI_OK && key != NULL)
        code = import_one(state, build_public, key, "importing the public key",
                          label, id, id_len);
    for (int i = 0; code == CLI_OK && i < sk_X509_num(bundle->certs); i++) {
        X509 *cert = sk_X509_value(bundle->certs, i);

        if (i == 0) {
            code = import_one(state, build_certificate, cert,
                              "importing the certificate", label, id, id_len);
            continue;
        }
        snprintf(ca_label, sizeof(ca_label), "%s-ca%d", label, i);
        if (cli_key_id(X509_get0_pubkey(cert), ca_id) != 0)
            return cli_error(CLI_EXIT_FAILURE,
                             "import: certificate %d has an unreadable "
                             "public key",
                             i + 1);
        code = import_one(state, build_certificate, cert,
                          "importing a chain certificate", ca_label, ca_id,
                          sizeof(ca_id));
    }
    return code;
}

/* Removes what a failed import made; names what stays. */
static void roll_back(import_state *state)
{
    size_t made = state->n_made, removed = 0;
    cli_object object;
    char *uri = NULL;

    while (state->n_made > 0) {
        CK_OBJECT_HANDLE handle = state->made[--state->n_made];

        if (state->token->fns->C_DestroyObject(state->token->session, handle) ==
            CKR_OK) {
            removed++;
            continue;
        }
        if (cli_object_read(state->token, handle, &object) == CLI_OK) {
            uri = cli_object_uri(state->token, &object);
            cli_object_clear(&object);
        }
        if (uri != NULL)
            cli_error(CLI_EXIT_FAILURE,
                      "import: could not remove %s; destroy it with "
                      "'p11kmip destroy --yes \"%s\"'",
                      uri, uri);
        else
            cli_error(CLI_EXIT_FAILURE,
                      "import: could not remove an object labelled \"%s\"; "
                      "'p11kmip list --label \"%s\"' finds it",
                      state->label, state->label);
        free(uri);
        uri = NULL;
    }
    cli_error(CLI_EXIT_FAILURE,
              "import: removed %zu of the %zu objects it had created", removed,
              made);
}

/* Certificates without a key: the key on the token with the first one's
 * public key names them, when there is one. */
static int match_key(const cli_token *token, cli_pem_bundle *bundle,
                     import_naming *naming)
{
    unsigned char *spki = NULL;
    int len =
        i2d_PUBKEY(X509_get0_pubkey(sk_X509_value(bundle->certs, 0)), &spki);
    CK_OBJECT_HANDLE handle;
    bool found = false;
    int code = len > 0
                   ? cli_find_key_of(token, spki, (size_t)len, &handle, &found)
                   : CLI_OK;

    OPENSSL_free(spki);
    if (code == CLI_OK && found)
        code = cli_object_read(token, handle, &naming->key);
    if (code != CLI_OK || !found)
        return code;
    naming->id = naming->key.id;
    naming->id_len = naming->key.id_len;
    if (naming->label == NULL)
        naming->label = naming->key.label;
    return CLI_OK;
}

/* The id: --id, else the matching key's, else SHA-1 of the public key;
 * the label: --label, else the matching key's. */
static int name_objects(const import_args *args, const cli_token *token,
                        cli_pem_bundle *bundle, import_naming *naming)
{
    EVP_PKEY *key = bundle->private_key != NULL ? bundle->private_key
                    : bundle->public_key != NULL
                        ? bundle->public_key
                        : X509_get0_pubkey(sk_X509_value(bundle->certs, 0));
    int code = CLI_OK;

    naming->label = args->sel.label;
    naming->id = args->sel.id;
    naming->id_len = args->sel.id_len;
    if (!args->sel.has_id && bundle->private_key == NULL &&
        sk_X509_num(bundle->certs) > 0)
        code = match_key(token, bundle, naming);
    if (code == CLI_OK && naming->label == NULL)
        return cli_error(CLI_EXIT_USAGE,
                         "import: give --label: no key on token \"%s\" has "
                         "the certificate's public key",
                         token->label);
    if (code != CLI_OK || naming->id != NULL)
        return code;
    if (key == NULL || cli_key_id(key, naming->sha1) != 0)
        return cli_error(CLI_EXIT_FAILURE,
                         "import: unreadable public key; give --id");
    naming->id = naming->sha1;
    naming->id_len = sizeof(naming->sha1);
    return CLI_OK;
}

static int read_bundle(const import_args *args, char **files, int n_files,
                       cli_pem_bundle *bundle)
{
    for (int i = 0; i < n_files; i++)
        if (cli_pem_read(files[i], bundle) != 0)
            return CLI_EXIT_FAILURE;
    if (cli_pem_check(bundle) != 0)
        return CLI_EXIT_FAILURE;
    if (2 + sk_X509_num(bundle->certs) > IMPORT_MAX_OBJECTS)
        return cli_error(CLI_EXIT_USAGE,
                         "import: more than %d objects; import the chain in "
                         "parts",
                         IMPORT_MAX_OBJECTS);
    /* Only certificates can take the label of the key they are for. */
    if (args->sel.label == NULL &&
        (bundle->private_key != NULL || bundle->public_key != NULL))
        return cli_error(CLI_EXIT_USAGE, "usage: p11kmip import %s",
                         cli_cmd_import.usage);
    return CLI_OK;
}

static int import(const import_args *args, char **files, int n_files)
{
    cli_pem_bundle bundle = {0};
    cli_token token = {0};
    import_state state = {.token = &token};
    import_naming naming = {0};
    cli_progress *progress = NULL;
    int code = read_bundle(args, files, n_files, &bundle);

    if (code == CLI_OK)
        code = cli_token_open(args->sel.slot, &token);
    if (code == CLI_OK)
        code = name_objects(args, &token, &bundle, &naming);
    if (code == CLI_OK) {
        state.label = naming.label;
        progress = cli_progress_start("importing \"%s\" to token \"%s\"",
                                      naming.label, token.label);
        code = import_bundle(&state, &bundle, &naming);
        cli_progress_end(progress, code == CLI_OK);
        if (code != CLI_OK)
            roll_back(&state);
    }
    if (code == CLI_OK)
        code = cli_print_objects(&token, state.made, state.n_made, args->json);
    cli_token_close(&token);
    cli_object_clear(&naming.key);
    cli_pem_clear(&bundle);
    return code;
}

static int run(int argc, char **argv)
{
    import_args args = {0};
    const cli_extra_option extra[] = {{"json", &args.json, NULL}};
    int code = cli_creation_options_parse(argc, argv, &cli_cmd_import, extra, 1,
                                          &args.sel);

    if (code == CLI_OK && optind == argc)
        code = cli_error(CLI_EXIT_USAGE, "usage: p11kmip import %s",
                         cli_cmd_import.usage);
    if (code == CLI_OK)
        code = import(&args, argv + optind, argc - optind);
    cli_selector_clear(&args.sel);
    return code;
}

const cli_command cli_cmd_import = {
    "import",
    "import a PEM private key, public key and/or certificate chain, "
    "activated",
    "FILE... [--label LABEL] [--id HEX] [--slot SLOT] [--json]\n"
    "  (--label may be left out for certificates alone: they take the label\n"
    "  and id of the key on the token with their public key)",
    run,
};
