/* SPDX-License-Identifier: Apache-2.0 */
/* The RSA "pad-mode" parameter, which OpenSSL passes as an integer
 * (RSA_PKCS1_PADDING...) or a name ("pkcs1", "pss", "oaep"...). */
#ifndef P11PROV_RSA_PAD_H
#define P11PROV_RSA_PAD_H

#include <openssl/params.h>

/* Reads p into *mode; 0 when p is neither a known number nor name. */
int p11prov_rsa_pad_mode_get(const OSSL_PARAM *p, int *mode);
/* Writes mode into p as p's type asks (integer or name). */
int p11prov_rsa_pad_mode_set(OSSL_PARAM *p, int mode);

#endif
