// SPDX-License-Identifier: Apache-2.0
/* p11kmip leftovers [--slot SLOT] [--remove] [--any-host]: the session
 * keys (CKA_TOKEN false secret and private keys) that processes left on
 * the server when they ended without closing their sessions (killed,
 * crashed), by their owner mark; --remove revokes and destroys those
 * whose process is gone from this host and boot, --any-host also those
 * of another host or boot. Token objects and keys of running processes
 * are never touched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "objects.h"
#include "leftovers.h"

/* The word for where a key's owner is, as the listing prints it. */
static const char *owner_word(p11_owner_state owner)
{
    static const char *const words[] = {
        [P11_OWNER_LIVE] = "live",
        [P11_OWNER_GONE] = "gone",
        [P11_OWNER_ELSEWHERE] = "elsewhere",
    };

    return words[owner];
}

static void print_leftover(const p11_leftover *key)
{
    printf("%-9s %-8s %s \"%s\" pid %ld on %s\n", owner_word(key->owner),
           cli_class_name(key->object_class), key->uid,
           key->label != NULL ? key->label : "", key->mark.pid,
           key->mark.host[0] != '\0' ? key->mark.host : "?");
}

static bool removable(const p11_leftover *key, bool any_host)
{
    return key->owner == P11_OWNER_GONE ||
           (any_host && key->owner == P11_OWNER_ELSEWHERE);
}

/* Removes what may go; CLI_OK or the exit code of the last failure. */
static int remove_all(const cli_token *token, const p11_leftover *keys,
                      size_t n, bool any_host)
{
    size_t removed = 0;
    int code = CLI_OK;

    for (size_t i = 0; i < n; i++) {
        if (!removable(&keys[i], any_host))
            continue;
        CK_RV rv = p11_leftover_remove(token->session, keys[i].uid, any_host);

        if (rv != CKR_OK)
            code =
                cli_token_error(token, "removing a leftover session key", rv);
        else
            removed++;
    }
    printf("removed %zu leftover session key%s\n", removed,
           removed == 1 ? "" : "s");
    return code;
}

static int leftovers(const char *slot, bool remove, bool any_host)
{
    p11_leftover *keys = NULL;
    size_t n = 0;
    cli_token token;
    int code = cli_token_open(slot, &token);
    CK_RV rv = CKR_OK;

    if (code == CLI_OK)
        rv = p11_leftovers_list(token.session, &keys, &n);
    if (code == CLI_OK && rv != CKR_OK)
        code = cli_token_error(&token, "listing session keys", rv);
    for (size_t i = 0; code == CLI_OK && i < n; i++)
        print_leftover(&keys[i]);
    if (code == CLI_OK && remove)
        code = remove_all(&token, keys, n, any_host);
    p11_leftovers_free(keys, n);
    cli_token_close(&token);
    return code;
}

static int run(int argc, char **argv)
{
    bool remove = false, any_host = false;
    const cli_extra_option extra[] = {{"remove", &remove, NULL},
                                      {"any-host", &any_host, NULL}};
    cli_selector sel = {0};
    int code = cli_selection_parse(argc, argv, "leftovers",
                                   cli_cmd_leftovers.usage, extra, 2, &sel);

    if (code == CLI_OK && (sel.label != NULL || sel.has_id || sel.has_class))
        code = cli_error(CLI_EXIT_USAGE,
                         "leftovers: takes --slot only, not a selection");
    if (code == CLI_OK && any_host && !remove)
        code =
            cli_error(CLI_EXIT_USAGE, "leftovers: --any-host needs --remove");
    if (code == CLI_OK)
        code = leftovers(sel.slot, remove, any_host);
    cli_selector_clear(&sel);
    return code;
}

const cli_command cli_cmd_leftovers = {
    "leftovers",
    "list (and --remove) session keys left by processes that are gone",
    "[--slot SLOT] [--remove [--any-host]]",
    run,
};
