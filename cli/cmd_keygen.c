/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip keygen SPEC --label LABEL: a key (pair) created and activated
 * on the server; nothing is left behind when a step fails. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "keyspec.h"
#include "kmip/attrs.h"
#include "kmip/payloads.h"

typedef struct keygen_args {
    cli_keyspec spec;
    const char *label;
    const char *slot;
} keygen_args;

static kmip_item *common_attributes(const cli_keyspec *spec)
{
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *domain;

    if (kmip_attrs_add_algorithm(attrs, spec->algorithm) == NULL ||
        kmip_attrs_add_length(attrs, spec->bits) == NULL) {
        kmip_item_free(attrs);
        return NULL;
    }
    if (spec->curve != 0) {
        domain =
            kmip_add_structure(attrs, KMIP_TAG_CRYPTOGRAPHIC_DOMAIN_PARAMETERS);
        if (kmip_add_enum(domain, KMIP_TAG_RECOMMENDED_CURVE, spec->curve) ==
            NULL) {
            kmip_item_free(attrs);
            return NULL;
        }
    }
    return attrs;
}

static kmip_item *named_with_usage(const char *label, uint32_t usage)
{
    kmip_item *attrs = kmip_attrs_new();

    if (kmip_attrs_add_name(attrs, label) == NULL ||
        kmip_attrs_add_usage_mask(attrs, usage) == NULL) {
        kmip_item_free(attrs);
        return NULL;
    }
    return attrs;
}

/* Builds the Create or Create Key Pair payload for the key spec. */
static kmip_item *create_payload(kmip_version version, const keygen_args *args,
                                 uint32_t *operation)
{
    kmip_item *common = common_attributes(&args->spec), *private_attrs,
              *public_attrs, *payload = NULL;

    if (common == NULL)
        return NULL;
    if (args->spec.asymmetric) {
        private_attrs =
            named_with_usage(args->label, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
        public_attrs =
            named_with_usage(args->label, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY);
        if (private_attrs != NULL && public_attrs != NULL) {
            kmip_create_key_pair_args pair = {common, private_attrs,
                                              public_attrs};

            payload = kmip_create_key_pair_request(version, &pair);
        }
        kmip_item_free(private_attrs);
        kmip_item_free(public_attrs);
        *operation = KMIP_OPERATION_CREATE_KEY_PAIR;
    } else if (kmip_attrs_add_name(common, args->label) != NULL &&
               kmip_attrs_add_usage_mask(
                   common, KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                               KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT) != NULL) {
        kmip_create_args create = {.object_type =
                                       KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                                   .attributes = common};

        payload = kmip_create_request(version, &create);
        *operation = KMIP_OPERATION_CREATE;
    }
    kmip_item_free(common);
    return payload;
}

/* Sends one request with one operation per uid; 0 when all succeeded. */
static int on_each(kmip_client *client, kmip_version version,
                   uint32_t operation, const char *const *uids, size_t n,
                   kmip_status *status)
{
    kmip_request_item items[2];
    kmip_response *resp = NULL;
    kmip_rc rc;
    size_t i;

    for (i = 0; i < n; i++) {
        items[i].operation = operation;
        items[i].payload = operation == KMIP_OPERATION_ACTIVATE
                               ? kmip_activate_request(version, uids[i])
                               : kmip_destroy_request(version, uids[i]);
    }
    rc = kmip_client_call(client, items, n, 0, &resp, status);
    for (i = 0; rc == KMIP_OK && i < n; i++)
        rc = kmip_response_item_check(kmip_response_item_for(resp, i), status);
    kmip_response_free(resp);
    return rc == KMIP_OK ? 0 : -1;
}

static int create_and_activate(kmip_client *client, const keygen_args *args)
{
    kmip_version version;
    kmip_status status;
    kmip_response *resp = NULL;
    kmip_create_key_pair_result pair;
    kmip_create_result single;
    const char *uids[2];
    size_t n = 1;
    uint32_t operation = 0;
    kmip_item *payload;
    int code;

    if (kmip_client_version(client, &version, &status) != KMIP_OK)
        return cli_kmip_error("version negotiation", &status);
    payload = create_payload(version, args, &operation);
    if (payload == NULL)
        return cli_error(CLI_EXIT_FAILURE, "keygen: out of memory");
    if (kmip_client_call_one(client, operation, payload, 0, &resp, &status) !=
        KMIP_OK)
        return cli_kmip_error("keygen", &status);
    if (operation == KMIP_OPERATION_CREATE_KEY_PAIR) {
        if (kmip_create_key_pair_response(resp->items[0].payload, &pair,
                                          &status) != KMIP_OK) {
            kmip_response_free(resp);
            return cli_kmip_error("keygen: response", &status);
        }
        uids[0] = pair.private_uid;
        uids[1] = pair.public_uid;
        n = 2;
    } else {
        if (kmip_create_response(resp->items[0].payload, &single, &status) !=
            KMIP_OK) {
            kmip_response_free(resp);
            return cli_kmip_error("keygen: response", &status);
        }
        uids[0] = single.uid;
    }
    if (on_each(client, version, KMIP_OPERATION_ACTIVATE, uids, n, &status) !=
        0) {
        code = cli_kmip_error("keygen: activate", &status);
        if (on_each(client, version, KMIP_OPERATION_DESTROY, uids, n,
                    &status) != 0)
            cli_error(code, "keygen: could not remove the new key %s%s%s",
                      uids[0], n > 1 ? " and " : "", n > 1 ? uids[1] : "");
        kmip_response_free(resp);
        return code;
    }
    if (n == 2)
        printf("private-key %s\npublic-key %s\n", uids[0], uids[1]);
    else
        printf("secret-key %s\n", uids[0]);
    kmip_response_free(resp);
    return CLI_OK;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"label", required_argument, NULL, 'l'},
        {"slot", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    keygen_args args = {0};
    kmip_client *client;
    int opt, code;

    while ((opt = getopt_long(argc, argv, "l:s:", options, NULL)) != -1) {
        if (opt == 'l')
            args.label = optarg;
        else if (opt == 's')
            args.slot = optarg;
        else
            return CLI_EXIT_USAGE;
    }
    if (optind != argc - 1 || args.label == NULL)
        return cli_error(CLI_EXIT_USAGE, "usage: p11kmip keygen %s",
                         cli_cmd_keygen.usage);
    if (cli_keyspec_parse(argv[optind], &args.spec) != 0)
        return cli_error(CLI_EXIT_USAGE,
                         "keygen: unknown key \"%s\" (rsa:2048, rsa:3072, "
                         "rsa:4096, ec:P-256, ec:P-384, ec:P-521, aes:128, "
                         "aes:192, aes:256)",
                         argv[optind]);
    client = cli_connect(args.slot, &code);
    if (client == NULL)
        return code;
    code = create_and_activate(client, &args);
    kmip_client_free(client);
    return code;
}

const cli_command cli_cmd_keygen = {
    "keygen",
    "create a key or key pair on the server and activate it",
    "SPEC --label LABEL [--slot SLOT]   (SPEC: rsa:2048..4096, "
    "ec:P-256|P-384|P-521, aes:128|192|256)",
    run,
};
