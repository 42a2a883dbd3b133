/* SPDX-License-Identifier: Apache-2.0 */
/* load_keyfile FILE: loads a key file written by `p11kmip keyfile` with
 * PEM_read_bio_PrivateKey (OPENSSL_CONF activates the p11kmip provider),
 * signs a message with it (on the KMIP server) and verifies the
 * signature with the same key (locally). Prints the key's type and size;
 * exits non-zero when any step fails. */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

static const unsigned char message[] = "signed through a p11kmip key file";

static int sign_and_verify(EVP_PKEY *key)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char signature[1024];
    size_t len = sizeof(signature);
    int ok =
        ctx != NULL &&
        EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
        EVP_DigestSign(ctx, signature, &len, message, sizeof(message)) == 1;

    EVP_MD_CTX_free(ctx);
    if (!ok)
        return 0;
    ctx = EVP_MD_CTX_new();
    ok = ctx != NULL &&
         EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
         EVP_DigestVerify(ctx, signature, len, message, sizeof(message)) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

int main(int argc, char **argv)
{
    BIO *file;
    EVP_PKEY *key;
    int ok;

    if (argc != 2) {
        fprintf(stderr, "usage: load_keyfile FILE\n");
        return 2;
    }
    file = BIO_new_file(argv[1], "r");
    key = file != NULL ? PEM_read_bio_PrivateKey(file, NULL, NULL, NULL) : NULL;
    BIO_free(file);
    if (key == NULL) {
        fprintf(stderr, "load_keyfile: %s: not loadable\n", argv[1]);
        ERR_print_errors_fp(stderr);
        return 1;
    }
    printf("loaded %s %d\n", EVP_PKEY_get0_type_name(key),
           EVP_PKEY_get_bits(key));
    ok = sign_and_verify(key);
    if (!ok) {
        fprintf(stderr, "load_keyfile: signing with the key failed\n");
        ERR_print_errors_fp(stderr);
    } else {
        printf("signed and verified\n");
    }
    EVP_PKEY_free(key);
    return ok ? 0 : 1;
}
