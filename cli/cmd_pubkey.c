/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip pubkey --label LABEL [--out FILE]: the public key the selection
 * names, as a PEM SubjectPublicKeyInfo (its CKA_PUBLIC_KEY_INFO, read
 * through the PKCS#11 core). */
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "objects.h"

static int write_pem(EVP_PKEY *key, const char *path)
{
    BIO *mem = BIO_new(BIO_s_mem());
    int rc = mem != NULL && PEM_write_bio_PUBKEY(mem, key) == 1
                 ? cli_write_bio(path, mem)
                 : -1;

    BIO_free(mem);
    return rc;
}

static int write_public_key(const cli_token *token, CK_OBJECT_HANDLE handle,
                            const char *out)
{
    const unsigned char *p;
    uint8_t *der = NULL;
    size_t len = 0;
    EVP_PKEY *key = NULL;
    int code = CLI_OK;
    CK_RV rv = cli_attr_get(token, handle, CKA_PUBLIC_KEY_INFO, &der, &len);

    if (rv != CKR_OK)
        return cli_token_error(token, "reading the public key", rv);
    p = der;
    key = d2i_PUBKEY(NULL, &p, (long)len);
    if (key == NULL)
        code = cli_error(CLI_EXIT_FAILURE,
                         "pubkey: token \"%s\" gave an unreadable public key",
                         token->label);
    else if (write_pem(key, out) != 0)
        code = CLI_EXIT_FAILURE;
    EVP_PKEY_free(key);
    free(der);
    return code;
}

static int write_selected(const cli_token *token, CK_OBJECT_HANDLE key,
                          void *out)
{
    return write_public_key(token, key, *(const char **)out);
}

static int run(int argc, char **argv)
{
    const char *out = "-";
    const cli_extra_option extra[] = {{"out", NULL, &out}};

    return cli_run_on_key(argc, argv, &cli_cmd_pubkey, extra, 1, CKO_PUBLIC_KEY,
                          write_selected, &out);
}

const cli_command cli_cmd_pubkey = {
    "pubkey",
    "write a public key held by the server as PEM",
    "[--label LABEL] [--id HEX] [--slot SLOT] [URI] [--out FILE]",
    run,
};
