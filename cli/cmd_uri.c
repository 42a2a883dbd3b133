/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip uri --label L [--type T]: the pkcs11: URI (RFC 7512) of one
 * object, for openssl -key, nginx's engine: keys or p11tool. Without
 * --type, of a key pair's halves (one label) the private key. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "objects.h"

static int print_uri(const cli_token *token, const cli_object *object,
                     void *ctx)
{
    char *uri = cli_object_uri(token, object);

    (void)ctx;
    if (uri == NULL)
        return cli_error(CLI_EXIT_FAILURE, "uri: out of memory");
    printf("%s\n", uri);
    free(uri);
    return CLI_OK;
}

static int run(int argc, char **argv)
{
    cli_selector sel = {.prefer_private = true};
    int code = cli_selection_parse(argc, argv, "uri", cli_cmd_uri.usage, NULL,
                                   0, &sel);

    if (code == CLI_OK)
        code = cli_run_on_object(&sel, "uri", print_uri, NULL);
    cli_selector_clear(&sel);
    return code;
}

const cli_command cli_cmd_uri = {
    "uri",
    "print the pkcs11: URI of an object",
    "[--label LABEL] [--id HEX] [--type TYPE] [--slot SLOT] [URI]",
    run,
};
