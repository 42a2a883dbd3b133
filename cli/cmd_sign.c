/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip sign --label LABEL --in FILE --out SIG: the server signs FILE
 * with the private key the selection names, through the PKCS#11 core
 * (C_Sign with a hash-and-sign mechanism: the data is hashed where the
 * module hashes it). The signature is what `openssl dgst -verify` reads:
 * PKCS#1 / PSS bytes for RSA, DER for ECDSA. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "objects.h"
#include "signing.h"

#define SIGN_MAX_INPUT (4u * 1024u * 1024u)

static const struct {
    const char *name;
    CK_MECHANISM_TYPE rsa, rsa_pss, ecdsa, hash;
    CK_RSA_PKCS_MGF_TYPE mgf;
    CK_ULONG length;
} digests[] = {
    {"sha256", CKM_SHA256_RSA_PKCS, CKM_SHA256_RSA_PKCS_PSS, CKM_ECDSA_SHA256,
     CKM_SHA256, CKG_MGF1_SHA256, 32},
    {"sha384", CKM_SHA384_RSA_PKCS, CKM_SHA384_RSA_PKCS_PSS, CKM_ECDSA_SHA384,
     CKM_SHA384, CKG_MGF1_SHA384, 48},
    {"sha512", CKM_SHA512_RSA_PKCS, CKM_SHA512_RSA_PKCS_PSS, CKM_ECDSA_SHA512,
     CKM_SHA512, CKG_MGF1_SHA512, 64},
};

typedef struct sign_args {
    const char *in, *out, *digest_name;
    bool pss;
    size_t digest; /* index into digests */
    CK_RSA_PKCS_PSS_PARAMS pss_params;
} sign_args;

/* The mechanism for a key of key_type; CLI_OK or a usage error. */
static int mechanism(sign_args *args, CK_ULONG key_type, CK_MECHANISM *mech)
{
    const size_t d = args->digest;

    memset(mech, 0, sizeof(*mech));
    if (key_type == CKK_RSA && args->pss) {
        args->pss_params = (CK_RSA_PKCS_PSS_PARAMS){
            digests[d].hash, digests[d].mgf, digests[d].length};
        *mech = (CK_MECHANISM){digests[d].rsa_pss, &args->pss_params,
                               sizeof(args->pss_params)};
    } else if (key_type == CKK_RSA) {
        mech->mechanism = digests[d].rsa;
    } else if (key_type == CKK_EC && !args->pss) {
        mech->mechanism = digests[d].ecdsa;
    } else {
        return cli_error(CLI_EXIT_USAGE, "sign: %s",
                         args->pss ? "--pss needs an RSA key"
                                   : "the key is neither RSA nor EC");
    }
    return CLI_OK;
}

static int pick_digest(sign_args *args)
{
    for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++) {
        if (strcmp(args->digest_name, digests[i].name) == 0) {
            args->digest = i;
            return CLI_OK;
        }
    }
    return cli_error(CLI_EXIT_USAGE,
                     "sign: unknown digest \"%s\" (sha256, sha384, sha512)",
                     args->digest_name);
}

static int sign_with(const cli_token *token, CK_OBJECT_HANDLE key, void *ctx)
{
    sign_args *args = ctx;
    CK_MECHANISM mech;
    cli_object object;
    uint8_t *data = NULL, *sig = NULL;
    size_t len = 0, sig_len = 0;
    int code = cli_object_read(token, key, &object);

    if (code == CLI_OK)
        code = pick_digest(args);
    if (code == CLI_OK)
        code = mechanism(args, object.subtype, &mech);
    if (code == CLI_OK && cli_read_file(args->in, SIGN_MAX_INPUT, &data, &len))
        code = CLI_EXIT_FAILURE;
    if (code == CLI_OK)
        code = cli_token_sign(token, key, object.subtype, &mech, data, len,
                              &sig, &sig_len);
    if (code == CLI_OK && cli_write_file(args->out, sig, sig_len) != 0)
        code = CLI_EXIT_FAILURE;
    cli_object_clear(&object);
    free(data);
    free(sig);
    return code;
}

static int run(int argc, char **argv)
{
    sign_args args = {.in = "-", .out = "-", .digest_name = "sha256"};
    const cli_extra_option extra[] = {{"in", NULL, &args.in},
                                      {"out", NULL, &args.out},
                                      {"digest", NULL, &args.digest_name},
                                      {"pss", &args.pss, NULL}};

    return cli_run_on_key(argc, argv, &cli_cmd_sign, extra, 4, CKO_PRIVATE_KEY,
                          sign_with, &args);
}

const cli_command cli_cmd_sign = {
    "sign",
    "sign a file with a private key held by the server",
    "[--label LABEL] [--id HEX] [--slot SLOT] [URI] [--in FILE] [--out SIG] "
    "[--digest sha256|sha384|sha512] [--pss]",
    run,
};
