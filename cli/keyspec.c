/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <openssl/obj_mac.h>

#include "keyspec.h"

static const struct {
    const char *name;
    cli_keyspec spec;
} keyspecs[] = {
    {"rsa:2048", {CKM_RSA_PKCS_KEY_PAIR_GEN, 2048, 0}},
    {"rsa:3072", {CKM_RSA_PKCS_KEY_PAIR_GEN, 3072, 0}},
    {"rsa:4096", {CKM_RSA_PKCS_KEY_PAIR_GEN, 4096, 0}},
    {"ec:P-256", {CKM_EC_KEY_PAIR_GEN, 0, NID_X9_62_prime256v1}},
    {"ec:P-384", {CKM_EC_KEY_PAIR_GEN, 0, NID_secp384r1}},
    {"ec:P-521", {CKM_EC_KEY_PAIR_GEN, 0, NID_secp521r1}},
    {"aes:128", {CKM_AES_KEY_GEN, 16, 0}},
    {"aes:192", {CKM_AES_KEY_GEN, 24, 0}},
    {"aes:256", {CKM_AES_KEY_GEN, 32, 0}},
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
