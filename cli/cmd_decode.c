/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip decode [--hex] [FILE]: TTLV to the KMIP JSON encoding. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "kmip/json.h"

#define DECODE_MAX_INPUT (64u * 1024u * 1024u)

/* Hex digits to bytes in place, skipping white space and '#' comment
 * lines. Returns the byte count, or -1 on a stray character. */
static long unhex(uint8_t *text, size_t len)
{
    size_t i, out = 0;
    int high = -1, comment = 0;

    for (i = 0; i < len; i++) {
        int c = text[i], nibble;

        if (comment) {
            comment = c != '\n';
            continue;
        }
        if (c == '#') {
            comment = 1;
            continue;
        }
        if (isspace(c))
            continue;
        if (!isxdigit(c))
            return -1;
        nibble = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
        if (high < 0) {
            high = nibble;
        } else {
            text[out++] = (uint8_t)(high << 4 | nibble);
            high = -1;
        }
    }
    return high < 0 ? (long)out : -1;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"hex", no_argument, NULL, 'x'},
        {NULL, 0, NULL, 0},
    };
    const char *path = "-";
    int opt, hex = 0, code = CLI_OK;
    kmip_status status;
    uint8_t *data;
    size_t len;
    long decoded;
    char *json;

    while ((opt = getopt_long(argc, argv, "x", options, NULL)) != -1) {
        if (opt != 'x')
            return CLI_EXIT_USAGE;
        hex = 1;
    }
    if (optind < argc - 1)
        return cli_error(CLI_EXIT_USAGE, "usage: p11kmip decode %s",
                         cli_cmd_decode.usage);
    if (optind == argc - 1)
        path = argv[optind];
    if (cli_read_file(path, DECODE_MAX_INPUT, &data, &len) != 0)
        return CLI_EXIT_FAILURE;
    if (hex) {
        decoded = unhex(data, len);
        if (decoded < 0) {
            free(data);
            return cli_error(CLI_EXIT_FAILURE,
                             "%s: not an even number of hex digits", path);
        }
        len = (size_t)decoded;
    }
    json = kmip_ttlv_to_json_text(data, len, 1, &status);
    if (json == NULL)
        code = cli_error(CLI_EXIT_FAILURE, "%s: %s", path, status.message);
    else
        printf("%s\n", json);
    free(json);
    free(data);
    return code;
}

const cli_command cli_cmd_decode = {
    "decode",
    "print TTLV (binary, or hex with --hex) in the KMIP JSON encoding",
    "[--hex] [FILE]",
    run,
};
