// SPDX-License-Identifier: Apache-2.0
/* The client credentials a PIN protects (login key-passphrase): a PEM
 * private key ("key") or a PKCS#12 bundle ("p12"), opened and re-encrypted
 * with a passphrase. And what a PIN may be. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

char *p11_pin_dup(CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    char *copy = malloc(len + 1);

    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, pin, len);
    copy[len] = '\0';
    return copy;
}

void p11_pin_free(char *pin, CK_ULONG len)
{
    if (pin != NULL)
        kmip_buffer_free(pin, len + 1); /* all of it: a NUL may be inside */
}

CK_RV p11_pin_check(const char *pin, CK_ULONG len)
{
    if (len < P11_MIN_PIN_LEN || len > P11_MAX_PIN_LEN)
        return CKR_PIN_LEN_RANGE;
    return memchr(pin, '\0', len) != NULL ? CKR_PIN_INVALID : CKR_OK;
}

/* The file's credential decrypted: a PEM key into *key or a bundle into
 * *p12 with its MAC checked (free with EVP_PKEY_free, PKCS12_free). */
static CK_RV open_credential(const p11kmip_slot_conf *conf,
                             const char *passphrase, EVP_PKEY **key,
                             PKCS12 **p12)
{
    const char *path = conf->p12 != NULL ? conf->p12 : conf->key;
    FILE *file = fopen(path, "re");

    if (file == NULL) {
        p11_log_error("cannot open the client credential %s", path);
        return CKR_DEVICE_ERROR;
    }
    if (conf->p12 != NULL) {
        *p12 = d2i_PKCS12_fp(file, NULL);
        if (*p12 != NULL && PKCS12_verify_mac(*p12, passphrase, -1) != 1) {
            PKCS12_free(*p12);
            *p12 = NULL;
        }
    } else {
        *key = PEM_read_PrivateKey(file, NULL, NULL, (void *)passphrase);
    }
    fclose(file);
    ERR_clear_error();
    return *key != NULL || *p12 != NULL ? CKR_OK : CKR_PIN_INCORRECT;
}

CK_RV p11_credential_check(const p11kmip_slot_conf *conf,
                           const char *passphrase)
{
    EVP_PKEY *key = NULL;
    PKCS12 *p12 = NULL;
    CK_RV rv = open_credential(conf, passphrase, &key, &p12);

    EVP_PKEY_free(key);
    PKCS12_free(p12);
    return rv;
}

/* Writes the credential (key under passphrase, or p12 as it is) to file. */
static bool write_credential(FILE *file, EVP_PKEY *key, PKCS12 *p12,
                             const char *passphrase)
{
    if (p12 != NULL)
        return i2d_PKCS12_fp(file, p12) == 1;
    return PEM_write_PKCS8PrivateKey(file, key, EVP_aes_256_cbc(), NULL, 0,
                                     NULL, (void *)passphrase) == 1;
}

/* Replaces path with the credential, atomically, mode 0600. */
static CK_RV replace_credential(const char *path, EVP_PKEY *key, PKCS12 *p12,
                                const char *passphrase)
{
    char tmp[4096];
    FILE *file;
    int fd;
    bool ok;

    if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
        return CKR_DEVICE_ERROR;
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0 || (file = fdopen(fd, "w")) == NULL) {
        if (fd >= 0)
            close(fd);
        p11_log_error("cannot write %s", tmp);
        return CKR_DEVICE_ERROR;
    }
    ok = write_credential(file, key, p12, passphrase);
    ok = fsync(fileno(file)) == 0 && ok;
    ok = fclose(file) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    ERR_clear_error();
    if (ok)
        return CKR_OK;
    unlink(tmp);
    p11_log_error("cannot replace the client credential %s", path);
    return CKR_DEVICE_ERROR;
}

/* The bundle's key, certificate and chain (with their friendly names and
 * key ids) in a new bundle under new_passphrase, or NULL. OpenSSL 3.0's
 * PKCS12_newpass cannot re-encrypt PBES2 bundles, its own default. */
static PKCS12 *p12_rebuilt(PKCS12 *p12, const char *old_passphrase,
                           const char *new_passphrase)
{
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    PKCS12 *rebuilt = NULL;

    if (PKCS12_parse(p12, old_passphrase, &key, &cert, &chain) == 1)
        rebuilt = PKCS12_create(new_passphrase, NULL, key, cert, chain, 0, 0, 0,
                                0, 0);
    ERR_clear_error();
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    return rebuilt;
}

CK_RV p11_credential_change(const p11kmip_slot_conf *conf,
                            const char *old_passphrase,
                            const char *new_passphrase)
{
    EVP_PKEY *key = NULL;
    PKCS12 *p12 = NULL, *rebuilt = NULL;
    CK_RV rv = open_credential(conf, old_passphrase, &key, &p12);

    if (rv == CKR_OK && p12 != NULL &&
        (rebuilt = p12_rebuilt(p12, old_passphrase, new_passphrase)) == NULL) {
        p11_log_error("cannot re-encrypt the bundle %s", conf->p12);
        rv = CKR_DEVICE_ERROR;
    }
    if (rv == CKR_OK)
        rv = replace_credential(conf->p12 != NULL ? conf->p12 : conf->key, key,
                                rebuilt, new_passphrase);
    EVP_PKEY_free(key);
    PKCS12_free(p12);
    PKCS12_free(rebuilt);
    return rv;
}
