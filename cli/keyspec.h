/* SPDX-License-Identifier: Apache-2.0 */
/* Key specifications as operators write them: rsa:2048, ec:P-256, aes:256. */
#ifndef P11KMIP_CLI_KEYSPEC_H
#define P11KMIP_CLI_KEYSPEC_H

#include <stdint.h>

typedef struct cli_keyspec {
    uint32_t algorithm; /* KMIP_CRYPTOGRAPHIC_ALGORITHM_* */
    int32_t bits;
    uint32_t curve; /* KMIP_RECOMMENDED_CURVE_* for EC, else 0 */
    int asymmetric;
} cli_keyspec;

/* 0 when text names a supported key, -1 otherwise. */
int cli_keyspec_parse(const char *text, cli_keyspec *out);

#endif
