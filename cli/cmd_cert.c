/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip cert --label LABEL --self-signed SUBJECT [--days N]: a
 * self-signed certificate for a private key already on the token (one
 * made before, or imported), signed there, stored with the key's CKA_ID
 * and label (the same code path as keygen --self-signed). */
#include "cli.h"
#include "commands.h"
#include "objects.h"
#include "print.h"
#include "signing.h"

typedef struct cert_args {
    const char *subject, *days, *out;
    bool json;
} cert_args;

static int certify(const cli_token *token, CK_OBJECT_HANDLE key, void *ctx)
{
    const cert_args *args = ctx;
    cli_cert_request req = {.out = args->out};
    CK_OBJECT_HANDLE cert;
    int code = args->subject != NULL
                   ? cli_cert_request_parse(args->subject, args->days, &req)
                   : cli_error(CLI_EXIT_USAGE, "usage: p11kmip cert %s",
                               cli_cmd_cert.usage);

    if (code == CLI_OK)
        code = cli_self_signed(token, key, CK_INVALID_HANDLE, &req, &cert);
    if (code == CLI_OK)
        code = cli_print_objects(token, &cert, 1, args->json);
    cli_cert_request_clear(&req);
    return code;
}

static int run(int argc, char **argv)
{
    cert_args args = {0};
    const cli_extra_option extra[] = {{"self-signed", NULL, &args.subject},
                                      {"days", NULL, &args.days},
                                      {"out", NULL, &args.out},
                                      {"json", &args.json, NULL}};

    return cli_run_on_key(argc, argv, &cli_cmd_cert, extra, 4, CKO_PRIVATE_KEY,
                          certify, &args);
}

const cli_command cli_cmd_cert = {
    "cert",
    "put a self-signed certificate, signed on the server, next to a key",
    "[--label LABEL] [--id HEX] [--slot SLOT] [URI] --self-signed SUBJECT "
    "[--days N] [--out CERT] [--json]",
    run,
};
