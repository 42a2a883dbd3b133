// SPDX-License-Identifier: Apache-2.0
/* The token a selection names: its --slot or token=, else (a pkcs11: URI
 * without token=, as RFC 7512 reads it) the one slot its objects are on,
 * found by searching every slot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "objects.h"

/* How many of sel's objects the token labelled label holds; -1 when the
 * token could not be searched (the reason is printed). */
static long count_on(const cli_selector *sel, const char *label, int *code)
{
    CK_OBJECT_HANDLE *handles = NULL;
    cli_token token;
    size_t n = 0;

    *code = cli_token_open(label, &token);
    if (*code == CLI_OK)
        *code = cli_find(&token, sel, &handles, &n);
    cli_token_close(&token);
    free(handles);
    return *code == CLI_OK ? (long)n : -1;
}

/* Into found, the label of the one token holding sel's objects (the first
 * token searched when none does). Tokens that cannot be searched are
 * skipped, after their reason is printed, unless none can be. */
static int find_token(const cli_selector *sel, char found[33])
{
    char(*labels)[33] = NULL;
    size_t n = 0, holding = 0, searched = 0;
    int code = cli_token_labels(&labels, &n), failure = CLI_EXIT_CONFIG;

    for (size_t i = 0; code == CLI_OK && i < n; i++) {
        long count = n == 1 ? 0 : count_on(sel, labels[i], &failure);

        if (count < 0)
            continue;
        if (searched++ == 0 || (count > 0 && holding == 0))
            memcpy(found, labels[i], 33);
        if (count > 0 && holding++ == 1)
            code = cli_error(CLI_EXIT_FAILURE,
                             "objects on tokens \"%s\" and \"%s\" match: add "
                             "token= to the URI, or --slot",
                             found, labels[i]);
    }
    free(labels);
    if (code == CLI_OK && searched == 0)
        code = n == 0 ? cli_error(CLI_EXIT_CONFIG, "no slot is configured")
                      : failure;
    return code;
}

int cli_selection_open(const cli_selector *sel, cli_token *token)
{
    char label[33];
    int code;

    if (!sel->any_token || sel->slot != NULL)
        return cli_token_open(sel->slot, token);
    token->fns = NULL;
    code = find_token(sel, label);
    return code == CLI_OK ? cli_token_open(label, token) : code;
}
