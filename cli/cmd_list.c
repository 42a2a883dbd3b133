/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip list [--label L] [--id HEX] [--type T] [URI] [--json]: the
 * objects of a token that match. */
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "objects.h"
#include "print.h"

static int list(const cli_selector *sel, bool json)
{
    CK_OBJECT_HANDLE *handles = NULL;
    cli_token token;
    cli_progress *progress;
    size_t n = 0;
    int code = cli_selection_open(sel, &token);

    if (code == CLI_OK) {
        progress = cli_progress_start("searching token \"%s\"", token.label);
        code = cli_find(&token, sel, &handles, &n);
        cli_progress_end(progress, code == CLI_OK);
    }
    if (code == CLI_OK)
        code = cli_print_objects(&token, handles, n, json);
    free(handles);
    cli_token_close(&token);
    return code;
}

static int run(int argc, char **argv)
{
    return cli_run_with_flag(argc, argv, &cli_cmd_list, "json", list);
}

const cli_command cli_cmd_list = {
    "list",
    "list the objects of a slot (all, or those that match)",
    "[--label LABEL] [--id HEX] [--type TYPE] [--slot SLOT] [--json] [URI]",
    run,
};
