/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const cli_command *const commands[] = {
    &cli_cmd_config,    &cli_cmd_keygen, &cli_cmd_import,  &cli_cmd_list,
    &cli_cmd_show,      &cli_cmd_uri,    &cli_cmd_keyfile, &cli_cmd_destroy,
    &cli_cmd_cert,      &cli_cmd_sign,   &cli_cmd_pubkey,  &cli_cmd_decode,
    &cli_cmd_leftovers,
};

static void usage(FILE *out)
{
    size_t i;

    fprintf(out, "usage: p11kmip COMMAND [OPTIONS]\n\ncommands:\n");
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\n'p11kmip COMMAND --help' describes a command; the "
                 "configuration comes from $P11KMIP_CONFIG, else\n"
                 "~/.config/p11kmip/p11kmip.json and "
                 "/etc/p11kmip/p11kmip.json, else P11KMIP_SERVER,\n"
                 "P11KMIP_CA, P11KMIP_CERT, P11KMIP_KEY.\n"
                 "Exit codes: 0 done, 1 failed, 2 usage, 3 configuration, "
                 "4 no server reachable (p11kmip(1)).\n");
}

/* --help or -h anywhere after the command. */
static int wants_help(int argc, char **argv)
{
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i]->name) != 0)
            continue;
        if (wants_help(argc, argv)) {
            printf("usage: p11kmip %s %s\n\n%s.\n", commands[i]->name,
                   commands[i]->usage, commands[i]->summary);
            return CLI_OK;
        }
        return commands[i]->run(argc - 1, argv + 1);
    }
    return cli_error(CLI_EXIT_USAGE,
                     "unknown command \"%s\" (try p11kmip --help)", argv[1]);
}
