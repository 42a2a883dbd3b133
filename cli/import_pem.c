/* SPDX-License-Identifier: Apache-2.0 */
/* PEM files for `p11kmip import`: private keys (PKCS#8, traditional,
 * encrypted), public keys and certificates, in any order. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "cli.h"
#include "import.h"

/* A private key block, decoded by OpenSSL from the block as it was (so
 * every private key format and encryption works). */
static EVP_PKEY *private_key_block(const char *name, const char *header,
                                   const unsigned char *data, long len)
{
    BIO *mem = BIO_new(BIO_s_secmem());
    EVP_PKEY *key = NULL;

    if (mem != NULL && PEM_write_bio(mem, name, header, data, len) > 0)
        key = PEM_read_bio_PrivateKey(mem, NULL, NULL, NULL);
    BIO_free(mem);
    return key;
}

/* Takes one PEM block into bundle; a message on failure. */
static int take_block(const char *path, int index, const char *name,
                      const char *header, const unsigned char *data, long len,
                      cli_pem_bundle *bundle)
{
    const unsigned char *p = data;
    size_t name_len = strlen(name);
    EVP_PKEY *key;
    X509 *cert;

    if (strcmp(name, "CERTIFICATE") == 0 ||
        strcmp(name, "TRUSTED CERTIFICATE") == 0) {
        cert = strcmp(name, "CERTIFICATE") == 0 ? d2i_X509(NULL, &p, len)
                                                : d2i_X509_AUX(NULL, &p, len);
        if (cert != NULL && sk_X509_push(bundle->certs, cert) > 0)
            return 0;
        X509_free(cert);
    } else if (strcmp(name, "PUBLIC KEY") == 0 ||
               strcmp(name, "RSA PUBLIC KEY") == 0) {
        key = strcmp(name, "PUBLIC KEY") == 0
                  ? d2i_PUBKEY(NULL, &p, len)
                  : d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, len);
        if (key != NULL && bundle->public_key == NULL) {
            bundle->public_key = key;
            return 0;
        }
        EVP_PKEY_free(key);
        if (key != NULL)
            return cli_error(-1, "%s: more than one public key", path);
    } else if (name_len >= 11 &&
               strcmp(name + name_len - 11, "PRIVATE KEY") == 0) {
        key = private_key_block(name, header, data, len);
        if (key != NULL && bundle->private_key == NULL) {
            bundle->private_key = key;
            return 0;
        }
        EVP_PKEY_free(key);
        if (key != NULL)
            return cli_error(-1,
                             "%s: more than one private key (import "
                             "them one file at a time)",
                             path);
    } else {
        return cli_error(-1,
                         "%s: PEM block %d is a \"%s\", not a key or "
                         "certificate",
                         path, index, name);
    }
    ERR_clear_error();
    return cli_error(-1,
                     "%s: PEM block %d (\"%s\") is unreadable or of an "
                     "unsupported kind (RSA and EC keys, X.509 "
                     "certificates)",
                     path, index, name);
}

int cli_pem_read(const char *path, cli_pem_bundle *bundle)
{
    BIO *file = BIO_new_file(path, "r");
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long len;
    int index = 0, rc = 0;

    if (file == NULL)
        return cli_error(-1, "%s: cannot open it", path);
    if (bundle->certs == NULL && (bundle->certs = sk_X509_new_null()) == NULL)
        rc = cli_error(-1, "out of memory");
    while (rc == 0 && PEM_read_bio(file, &name, &header, &data, &len) > 0) {
        rc = take_block(path, ++index, name, header, data, len, bundle);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_clear_free(data, (size_t)len);
    }
    ERR_clear_error();
    if (rc == 0 && index == 0)
        rc = cli_error(-1, "%s: no PEM block in it", path);
    BIO_free(file);
    return rc;
}

int cli_pem_check(cli_pem_bundle *bundle)
{
    int n = sk_X509_num(bundle->certs);

    if (bundle->private_key == NULL && bundle->public_key == NULL && n == 0)
        return cli_error(-1, "import: nothing to import");
    if (bundle->private_key != NULL && bundle->public_key != NULL &&
        EVP_PKEY_eq(bundle->private_key, bundle->public_key) != 1)
        return cli_error(-1, "import: the public key is not the private "
                             "key's");
    if (bundle->private_key == NULL || n == 0)
        return 0;
    for (int i = 0; i < n; i++) {
        X509 *cert = sk_X509_value(bundle->certs, i);

        if (X509_check_private_key(cert, bundle->private_key) != 1)
            continue;
        sk_X509_delete(bundle->certs, i);
        sk_X509_unshift(bundle->certs, cert);
        ERR_clear_error();
        return 0;
    }
    ERR_clear_error();
    return cli_error(-1, "import: no certificate is the private key's");
}

void cli_pem_clear(cli_pem_bundle *bundle)
{
    EVP_PKEY_free(bundle->private_key);
    EVP_PKEY_free(bundle->public_key);
    sk_X509_pop_free(bundle->certs, X509_free);
    memset(bundle, 0, sizeof(*bundle));
}
