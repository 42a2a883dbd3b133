/* SPDX-License-Identifier: Apache-2.0 */
/* The secret key a cipher uses, named by a pkcs11: URI. */
#ifndef P11PROV_CIPHER_KEY_H
#define P11PROV_CIPHER_KEY_H

#include "provider.h"

/* The one secret key of type key_type that uri names. NULL with an error
 * naming the URI when it names none or several. The caller frees the key
 * with p11prov_key_free. */
p11prov_key *p11prov_cipher_key_find(p11prov_ctx *ctx, const char *uri,
                                     CK_KEY_TYPE key_type);

#endif
