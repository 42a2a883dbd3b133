/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip keyfile --label L --out FILE: the URI-in-PEM key file that
 * nginx (ssl_certificate_key) and any OpenSSL 3 application read through
 * the p11kmip provider; it names the private key and holds no key
 * material. */
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "keyfile.h"
#include "objects.h"

static int write_keyfile(const char *uri, const char *out)
{
    BIO *mem = BIO_new(BIO_s_mem());
    unsigned char *der = NULL;
    char *pem;
    int der_len = 0, rc = -1;
    long len;

    if (mem != NULL && p11prov_keyfile_der(uri, &der, &der_len) &&
        PEM_write_bio(mem, P11PROV_KEYFILE_PEM_NAME, "", der, der_len) > 0) {
        len = BIO_get_mem_data(mem, &pem);
        rc = cli_write_file(out, (const uint8_t *)pem, (size_t)len);
    } else {
        cli_error(CLI_EXIT_FAILURE, "keyfile: out of memory");
    }
    OPENSSL_free(der);
    BIO_free(mem);
    return rc == 0 ? CLI_OK : CLI_EXIT_FAILURE;
}

/* Writes the key file of object to the path out (a const char *). */
static int keyfile(const cli_token *token, const cli_object *object, void *out)
{
    char *uri = cli_object_uri(token, object);
    int code = uri != NULL
                   ? write_keyfile(uri, out)
                   : cli_error(CLI_EXIT_FAILURE, "keyfile: out of memory");

    free(uri);
    return code;
}

static int run(int argc, char **argv)
{
    const char *out = NULL;
    const cli_extra_option extra[] = {{"out", NULL, &out}};
    cli_selector sel = {0};
    int code = cli_selection_parse(argc, argv, "keyfile", cli_cmd_keyfile.usage,
                                   extra, 1, &sel);

    if (code == CLI_OK && out == NULL)
        code = cli_error(CLI_EXIT_USAGE, "usage: p11kmip keyfile %s",
                         cli_cmd_keyfile.usage);
    if (code == CLI_OK)
        code = cli_selector_of_class(&sel, CKO_PRIVATE_KEY, "keyfile");
    if (code == CLI_OK)
        code = cli_run_on_object(&sel, "keyfile", keyfile, (void *)out);
    cli_selector_clear(&sel);
    return code;
}

const cli_command cli_cmd_keyfile = {
    "keyfile",
    "write a private key's key file for nginx and OpenSSL (a URI, no key)",
    "--out FILE [--label LABEL] [--id HEX] [--slot SLOT] [URI]",
    run,
};
