/* SPDX-License-Identifier: Apache-2.0 */
/* Key specifications as operators write them: rsa:2048, ec:P-256, aes:256. */
#ifndef P11KMIP_CLI_KEYSPEC_H
#define P11KMIP_CLI_KEYSPEC_H

#include <p11-kit/pkcs11.h>

typedef struct cli_keyspec {
    CK_MECHANISM_TYPE mechanism; /* the generation mechanism */
    CK_ULONG size;               /* RSA modulus bits, AES key bytes */
    int curve_nid;               /* EC: the curve, else 0 */
} cli_keyspec;

/* The names, for usage messages: "rsa:2048, rsa:3072, ...". */
#define CLI_KEYSPEC_NAMES                                                      \
    "rsa:2048, rsa:3072, rsa:4096, ec:P-256, ec:P-384, ec:P-521, aes:128, "    \
    "aes:192, aes:256"

/* 0 when text names a supported key, -1 otherwise. */
int cli_keyspec_parse(const char *text, cli_keyspec *out);

#endif
