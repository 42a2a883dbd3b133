/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip pubkey --label LABEL [--out FILE]: the public key LABEL as a PEM
 * SubjectPublicKeyInfo, from whichever format the server returns. */
#include <getopt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "kmip/payloads.h"

static EVP_PKEY *public_key_from(const kmip_object *object)
{
    const unsigned char *der = object->value.data;

    switch (object->format) {
    case KMIP_KEY_FORMAT_TYPE_X_509:
        return d2i_PUBKEY(NULL, &der, (long)object->value.len);
    case KMIP_KEY_FORMAT_TYPE_PKCS_1:
        return d2i_PublicKey(EVP_PKEY_RSA, NULL, &der, (long)object->value.len);
    default:
        return NULL;
    }
}

static int write_pem(EVP_PKEY *key, const char *path)
{
    BIO *mem = BIO_new(BIO_s_mem());
    char *pem;
    long len;
    int rc = -1;

    if (mem != NULL && PEM_write_bio_PUBKEY(mem, key) == 1) {
        len = BIO_get_mem_data(mem, &pem);
        rc = cli_write_file(path, (const uint8_t *)pem, (size_t)len);
    }
    BIO_free(mem);
    return rc;
}

static int fetch_public_key(kmip_client *client, const char *label,
                            const char *out)
{
    kmip_get_args get = {0};
    kmip_get_result result;
    kmip_response *resp = NULL;
    kmip_version version;
    kmip_status status;
    EVP_PKEY *key = NULL;
    char *uid = NULL;
    int code;

    if (kmip_client_version(client, &version, &status) != KMIP_OK)
        return cli_kmip_error("version negotiation", &status);
    code = cli_locate_one(client, label, KMIP_OBJECT_TYPE_PUBLIC_KEY, &uid);
    if (code != CLI_OK)
        return code;
    get.uid = uid;
    if (kmip_client_call_one(client, KMIP_OPERATION_GET,
                             kmip_get_request(version, &get), 1, &resp,
                             &status) != KMIP_OK ||
        kmip_get_response(resp->items[0].payload, &result, &status) != KMIP_OK)
        code = cli_kmip_error("get", &status);
    else if ((key = public_key_from(&result.object)) == NULL)
        code = cli_error(CLI_EXIT_FAILURE,
                         "public key %s: unreadable key (Key Format Type "
                         "0x%x)",
                         uid, (unsigned)result.object.format);
    else if (write_pem(key, out) != 0)
        code = CLI_EXIT_FAILURE;
    EVP_PKEY_free(key);
    kmip_response_free(resp);
    free(uid);
    return code;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"label", required_argument, NULL, 'l'},
        {"slot", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *label = NULL, *slot = NULL, *out = "-";
    kmip_client *client;
    int opt, code;

    while ((opt = getopt_long(argc, argv, "l:s:o:", options, NULL)) != -1) {
        if (opt == 'l')
            label = optarg;
        else if (opt == 's')
            slot = optarg;
        else if (opt == 'o')
            out = optarg;
        else
            return CLI_EXIT_USAGE;
    }
    if (optind != argc || label == NULL)
        return cli_error(CLI_EXIT_USAGE, "usage: p11kmip pubkey %s",
                         cli_cmd_pubkey.usage);
    client = cli_connect(slot, &code);
    if (client == NULL)
        return code;
    code = fetch_public_key(client, label, out);
    kmip_client_free(client);
    return code;
}

const cli_command cli_cmd_pubkey = {
    "pubkey",
    "write a public key held by the server as PEM",
    "--label LABEL [--out FILE] [--slot SLOT]",
    run,
};
