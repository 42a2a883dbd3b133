/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "keyspec.h"
#include "kmip/tags.h"

static const struct {
    const char *name;
    cli_keyspec spec;
} keyspecs[] = {
    {"rsa:2048", {KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0, 1}},
    {"rsa:3072", {KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 3072, 0, 1}},
    {"rsa:4096", {KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 4096, 0, 1}},
    {"ec:P-256",
     {KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256, KMIP_RECOMMENDED_CURVE_P_256, 1}},
    {"ec:P-384",
     {KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 384, KMIP_RECOMMENDED_CURVE_P_384, 1}},
    {"ec:P-521",
     {KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 521, KMIP_RECOMMENDED_CURVE_P_521, 1}},
    {"aes:128", {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 128, 0, 0}},
    {"aes:192", {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 192, 0, 0}},
    {"aes:256", {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 256, 0, 0}},
};

int cli_keyspec_parse(const char *text, cli_keyspec *out)
{
    size_t i;

    for (i = 0; i < sizeof(keyspecs) / sizeof(keyspecs[0]); i++) {
        if (strcasecmp(text, keyspecs[i].name) == 0) {
            *out = keyspecs[i].spec;
            return 0;
        }
    }
    return -1;
}
