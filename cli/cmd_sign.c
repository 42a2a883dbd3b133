/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip sign --label LABEL --in FILE --out SIG: the server signs FILE
 * with the private key LABEL (it hashes the data itself). The signature is
 * what `openssl dgst -verify` reads: PKCS#1 / PSS bytes for RSA, DER for
 * ECDSA. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "kmip/attrs.h"
#include "kmip/payloads.h"

#define SIGN_MAX_INPUT (4u * 1024u * 1024u)

static const struct {
    const char *name;
    uint32_t hashing_algorithm;
    int32_t length;
} digests[] = {
    {"sha256", KMIP_HASHING_ALGORITHM_SHA_256, 32},
    {"sha384", KMIP_HASHING_ALGORITHM_SHA_384, 48},
    {"sha512", KMIP_HASHING_ALGORITHM_SHA_512, 64},
};

typedef struct sign_args {
    const char *label, *slot, *in, *out;
    size_t digest; /* index into digests */
    int pss;
} sign_args;

static int key_algorithm(kmip_client *client, kmip_version version,
                         const char *uid, uint32_t *algorithm)
{
    const uint32_t wanted = KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM;
    kmip_get_attributes_result result;
    kmip_response *resp = NULL;
    kmip_item *attrs = NULL;
    kmip_status status;
    kmip_rc rc;

    rc = kmip_client_call_one(
        client, KMIP_OPERATION_GET_ATTRIBUTES,
        kmip_get_attributes_request(version, uid, &wanted, 1, NULL, 0), 1,
        &resp, &status);
    if (rc == KMIP_OK)
        rc = kmip_get_attributes_response(resp->items[0].payload, &result,
                                          &status);
    if (rc == KMIP_OK)
        rc = kmip_attrs_decode(result.attributes, &attrs, &status);
    if (rc == KMIP_OK)
        rc = kmip_attrs_get_algorithm(attrs, algorithm, &status);
    kmip_item_free(attrs);
    kmip_response_free(resp);
    return rc == KMIP_OK ? CLI_OK : cli_kmip_error("key algorithm", &status);
}

static int sign_params(const sign_args *args, uint32_t algorithm,
                       kmip_crypto_params *params)
{
    memset(params, 0, sizeof(*params));
    params->present = true;
    params->hashing_algorithm = digests[args->digest].hashing_algorithm;
    if (algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA) {
        params->cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA;
        params->padding_method =
            args->pss ? KMIP_PADDING_METHOD_PSS : KMIP_PADDING_METHOD_PKCS1V15;
        if (args->pss) {
            params->mask_generator = KMIP_MASK_GENERATOR_MGF1;
            params->mask_generator_hashing_algorithm =
                params->hashing_algorithm;
            params->salt_length = KMIP_INT(digests[args->digest].length);
        }
        return 0;
    }
    if (args->pss)
        return cli_error(CLI_EXIT_USAGE, "sign: --pss needs an RSA key");
    if (algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_EC &&
        algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA)
        return cli_error(CLI_EXIT_FAILURE,
                         "sign: key \"%s\" is neither RSA nor EC", args->label);
    params->cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA;
    return 0;
}

static int sign_file(kmip_client *client, const sign_args *args)
{
    kmip_crypto_args request = {0};
    kmip_crypto_result result;
    kmip_response *resp = NULL;
    kmip_version version;
    kmip_status status;
    uint32_t algorithm;
    uint8_t *data = NULL;
    size_t len;
    char *uid = NULL;
    int code;

    if (kmip_client_version(client, &version, &status) != KMIP_OK)
        return cli_kmip_error("version negotiation", &status);
    code =
        cli_locate_one(client, args->label, KMIP_OBJECT_TYPE_PRIVATE_KEY, &uid);
    if (code == CLI_OK)
        code = key_algorithm(client, version, uid, &algorithm);
    if (code == CLI_OK)
        code = sign_params(args, algorithm, &request.params);
    if (code == CLI_OK &&
        cli_read_file(args->in, SIGN_MAX_INPUT, &data, &len) != 0)
        code = CLI_EXIT_FAILURE;
    if (code == CLI_OK) {
        request.uid = uid;
        request.data = (kmip_bytes){data, len};
        if (kmip_client_call_one(client, KMIP_OPERATION_SIGN,
                                 kmip_sign_request(version, &request), 1, &resp,
                                 &status) != KMIP_OK ||
            kmip_crypto_response(KMIP_OPERATION_SIGN, resp->items[0].payload,
                                 &result, &status) != KMIP_OK)
            code = cli_kmip_error("sign", &status);
        else if (cli_write_file(args->out, result.signature_data.data,
                                result.signature_data.len) != 0)
            code = CLI_EXIT_FAILURE;
    }
    kmip_response_free(resp);
    free(data);
    free(uid);
    return code;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"label", required_argument, NULL, 'l'},
        {"slot", required_argument, NULL, 's'},
        {"in", required_argument, NULL, 'i'},
        {"out", required_argument, NULL, 'o'},
        {"digest", required_argument, NULL, 'd'},
        {"pss", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    sign_args args = {.in = "-", .out = "-"};
    kmip_client *client;
    int opt, code, known;
    size_t i;

    while ((opt = getopt_long(argc, argv, "l:s:i:o:d:p", options, NULL)) !=
           -1) {
        switch (opt) {
        case 'l':
            args.label = optarg;
            break;
        case 's':
            args.slot = optarg;
            break;
        case 'i':
            args.in = optarg;
            break;
        case 'o':
            args.out = optarg;
            break;
        case 'p':
            args.pss = 1;
            break;
        case 'd':
            known = 0;
            for (i = 0; i < sizeof(digests) / sizeof(digests[0]); i++) {
                if (strcmp(optarg, digests[i].name) == 0) {
                    args.digest = i;
                    known = 1;
                }
            }
            if (!known)
                return cli_error(CLI_EXIT_USAGE,
                                 "sign: unknown digest \"%s\" (sha256, "
                                 "sha384, sha512)",
                                 optarg);
            break;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc || args.label == NULL)
        return cli_error(CLI_EXIT_USAGE, "usage: p11kmip sign %s",
                         cli_cmd_sign.usage);
    client = cli_connect(args.slot, &code);
    if (client == NULL)
        return code;
    code = sign_file(client, &args);
    kmip_client_free(client);
    return code;
}

const cli_command cli_cmd_sign = {
    "sign",
    "sign a file with a private key held by the server",
    "--label LABEL [--in FILE] [--out SIG] [--digest sha256|sha384|sha512] "
    "[--pss] [--slot SLOT]",
    run,
};
