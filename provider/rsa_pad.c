/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "rsa_pad.h"

static const struct {
    int mode;
    const char *name;
} pad_modes[] = {
    {RSA_PKCS1_PADDING, OSSL_PKEY_RSA_PAD_MODE_PKCSV15},
    {RSA_NO_PADDING, OSSL_PKEY_RSA_PAD_MODE_NONE},
    {RSA_PKCS1_OAEP_PADDING, OSSL_PKEY_RSA_PAD_MODE_OAEP},
    {RSA_X931_PADDING, OSSL_PKEY_RSA_PAD_MODE_X931},
    {RSA_PKCS1_PSS_PADDING, OSSL_PKEY_RSA_PAD_MODE_PSS},
    /* libssl's RSA key exchange: a number only. */
    {RSA_PKCS1_WITH_TLS_PADDING, NULL},
};

#define PAD_MODE_COUNT (sizeof(pad_modes) / sizeof(pad_modes[0]))

int p11prov_rsa_pad_mode_get(const OSSL_PARAM *p, int *mode)
{
    const char *name;
    int number;

    if (p->data_type == OSSL_PARAM_UTF8_STRING) {
        if (!OSSL_PARAM_get_utf8_string_ptr(p, &name))
            return 0;
        for (size_t i = 0; i < PAD_MODE_COUNT; i++) {
            if (pad_modes[i].name != NULL &&
                strcmp(pad_modes[i].name, name) == 0) {
                *mode = pad_modes[i].mode;
                return 1;
            }
        }
        return 0;
    }
    if (!OSSL_PARAM_get_int(p, &number))
        return 0;
    for (size_t i = 0; i < PAD_MODE_COUNT; i++) {
        if (pad_modes[i].mode == number) {
            *mode = number;
            return 1;
        }
    }
    return 0;
}

int p11prov_rsa_pad_mode_set(OSSL_PARAM *p, int mode)
{
    if (p->data_type != OSSL_PARAM_UTF8_STRING)
        return OSSL_PARAM_set_int(p, mode);
    for (size_t i = 0; i < PAD_MODE_COUNT; i++) {
        if (pad_modes[i].mode == mode && pad_modes[i].name != NULL)
            return OSSL_PARAM_set_utf8_string(p, pad_modes[i].name);
    }
    return 0;
}
