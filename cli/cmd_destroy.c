/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip destroy --label L [--type T] [--yes]: Revoke and Destroy every
 * object that matches (p11core's C_DestroyObject), after the operator
 * confirms on the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "objects.h"
#include "print.h"

static int confirmed(const cli_token *token, size_t n)
{
    char answer[16];

    fprintf(stderr,
            "Revoke and destroy %zu object%s on token \"%s\"? This cannot be "
            "undone. [y/N] ",
            n, n == 1 ? "" : "s", token->label);
    fflush(stderr);
    if (fgets(answer, sizeof(answer), stdin) == NULL)
        return 0;
    return strcmp(answer, "y\n") == 0 || strcmp(answer, "yes\n") == 0;
}

/* Destroys each object; reports the ones that remain. */
static int destroy_all(const cli_token *token, const CK_OBJECT_HANDLE *handles,
                       size_t n)
{
    cli_progress *progress =
        cli_progress_start("destroying %zu object%s on token \"%s\"", n,
                           n == 1 ? "" : "s", token->label);
    CK_RV *results = calloc(n, sizeof(*results));
    size_t failed = 0;
    int code = CLI_OK;

    if (results == NULL) {
        cli_progress_end(progress, 0);
        return cli_error(CLI_EXIT_FAILURE, "destroy: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        results[i] = token->fns->C_DestroyObject(token->session, handles[i]);
        failed += results[i] != CKR_OK;
    }
    cli_progress_end(progress, failed == 0);
    for (size_t i = 0; i < n; i++) {
        if (results[i] == CKR_OK)
            continue;
        code = cli_token_error(token, "destroying an object", results[i]);
    }
    if (failed > 0)
        cli_error(code,
                  "destroy: %zu of %zu objects remain; 'p11kmip list' shows "
                  "them",
                  failed, n);
    else
        printf("destroyed %zu object%s\n", n, n == 1 ? "" : "s");
    free(results);
    return code;
}

static int destroy(const cli_selector *sel, bool yes)
{
    CK_OBJECT_HANDLE *handles = NULL;
    cli_token token;
    size_t n = 0;
    int code;

    if (cli_selector_empty(sel))
        return cli_error(CLI_EXIT_USAGE,
                         "destroy: name the objects with --label, --id, "
                         "--type or a pkcs11: URI");
    if (!yes && !isatty(STDIN_FILENO))
        return cli_error(CLI_EXIT_USAGE,
                         "destroy: no terminal to confirm on; add --yes to "
                         "destroy without asking");
    code = cli_selection_open(sel, &token);
    if (code == CLI_OK)
        code = cli_find(&token, sel, &handles, &n);
    if (code == CLI_OK && n == 0)
        code = cli_error(CLI_EXIT_FAILURE,
                         "destroy: no object on token \"%s\" matches",
                         token.label);
    if (code == CLI_OK && !yes) {
        code = cli_print_objects(&token, handles, n, false);
        if (code == CLI_OK && !confirmed(&token, n))
            code = cli_error(CLI_EXIT_FAILURE, "destroy: nothing destroyed");
    }
    if (code == CLI_OK)
        code = destroy_all(&token, handles, n);
    free(handles);
    cli_token_close(&token);
    return code;
}

static int run(int argc, char **argv)
{
    return cli_run_with_flag(argc, argv, &cli_cmd_destroy, "yes", destroy);
}

const cli_command cli_cmd_destroy = {
    "destroy",
    "revoke and destroy the objects that match (asks first unless --yes)",
    "[--label LABEL] [--id HEX] [--type TYPE] [--slot SLOT] [--yes] [URI]",
    run,
};
