/* SPDX-License-Identifier: Apache-2.0 */
/* What `p11kmip import` reads (PEM keys and certificates) and the
 * C_CreateObject templates it makes of them (import_pem.c). */
#ifndef P11KMIP_CLI_IMPORT_H
#define P11KMIP_CLI_IMPORT_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <p11-kit/pkcs11.h>

/* The PEM blocks of the files given, by kind. */
typedef struct cli_pem_bundle {
    EVP_PKEY *private_key;  /* at most one, or NULL */
    EVP_PKEY *public_key;   /* a lone public key (no private key), or NULL */
    STACK_OF(X509) * certs; /* the private key's certificate first */
} cli_pem_bundle;

/* Adds the PEM blocks of path to bundle (private keys, public keys,
 * certificates; an encrypted private key asks for its passphrase on the
 * terminal). 0, or -1 with a message naming the file and the block. */
int cli_pem_read(const char *path, cli_pem_bundle *bundle);
/* Orders the certificates (the private key's first) and checks that the
 * bundle makes sense. 0, or -1 with the message printed. */
int cli_pem_check(cli_pem_bundle *bundle);
void cli_pem_clear(cli_pem_bundle *bundle);

#define CLI_TEMPLATE_MAX 20

/* A template whose values it owns (wiped and freed by clear). */
typedef struct cli_template {
    CK_ATTRIBUTE attrs[CLI_TEMPLATE_MAX];
    CK_ULONG count;
} cli_template;

/* Appends a copy of value; -1 when out of memory or full. */
int cli_template_add(cli_template *t, CK_ATTRIBUTE_TYPE type, const void *value,
                     size_t len);
void cli_template_clear(cli_template *t);
/* Appends CKA_LABEL and CKA_ID; -1 when out of memory or full. */
int cli_template_name(cli_template *t, const char *label, const uint8_t *id,
                      size_t id_len);

/* The class, type and values of a private key, its public key, or a
 * certificate (label and id are the caller's). 0, or -1 (out of memory,
 * unsupported key). */
int cli_template_private_key(EVP_PKEY *key, cli_template *t);
int cli_template_public_key(EVP_PKEY *key, cli_template *t);
int cli_template_certificate(X509 *cert, cli_template *t);

/* The default CKA_ID of a key: SHA-1 of its SubjectPublicKeyInfo
 * (20 bytes into id). 0 or -1. */
int cli_key_id(EVP_PKEY *key, unsigned char id[20]);

#endif
