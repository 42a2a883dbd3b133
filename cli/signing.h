/* SPDX-License-Identifier: Apache-2.0 */
/* Signing with a private key on the token, and self-signed certificates
 * made that way. */
#ifndef P11KMIP_CLI_SIGNING_H
#define P11KMIP_CLI_SIGNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "token.h"

/* Signs data with key (of key_type, CKK_RSA or CKK_EC) by mech on the
 * token: *sig (free()) holds *sig_len bytes, PKCS#1 / PSS bytes for RSA,
 * DER for ECDSA (PKCS#11's r || s converted). CLI_OK, or an exit code with
 * the reason printed. */
int cli_token_sign(const cli_token *token, CK_OBJECT_HANDLE key,
                   CK_KEY_TYPE key_type, CK_MECHANISM *mech,
                   const uint8_t *data, size_t len, uint8_t **sig,
                   size_t *sig_len);

/* What a self-signed certificate says (--self-signed, --days). */
typedef struct cli_cert_request {
    X509_NAME *subject; /* also the issuer */
    long days;
    const char *out; /* the certificate as PEM here too, or NULL */
} cli_cert_request;

/* Days of validity when --days is not given. */
#define CLI_CERT_DEFAULT_DAYS 365
/* The most --days takes (100 years). */
#define CLI_CERT_MAX_DAYS 36525

/* Reads --self-signed SUBJECT ("/CN=web.example.com/O=Example", a '\'
 * escapes the next character) and --days (NULL: the default) into req.
 * CLI_OK, or CLI_EXIT_USAGE with a message naming the option. Clear req
 * with cli_cert_request_clear. */
int cli_cert_request_parse(const char *subject, const char *days,
                           cli_cert_request *req);
void cli_cert_request_clear(cli_cert_request *req);

/* Makes a self-signed X.509 certificate for the private key on the token
 * (its public key read from the key's CKA_PUBLIC_KEY_INFO, else from
 * public_key's, else from the public key with the key's CKA_ID when
 * public_key is CK_INVALID_HANDLE; signed with SHA-256 by C_Sign: the key
 * never leaves the server) and stores it as a token certificate with the
 * key's CKA_ID and label; *cert is its handle. CLI_OK, or an exit code
 * with the reason printed. */
int cli_self_signed(const cli_token *token, CK_OBJECT_HANDLE private_key,
                    CK_OBJECT_HANDLE public_key, const cli_cert_request *req,
                    CK_OBJECT_HANDLE *cert);

#endif
