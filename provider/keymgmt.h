/* SPDX-License-Identifier: Apache-2.0 */
/* What the RSA, RSA-PSS and EC key managers share: keys are
 * p11prov_key references; public parts are answered from key->public_key
 * locally; private parts never leave the token. */
#ifndef P11PROV_KEYMGMT_H
#define P11PROV_KEYMGMT_H

#include "provider.h"

/* Generation parameters common to all key types. */
typedef struct keygen_ctx {
    p11prov_ctx *ctx;
    CK_KEY_TYPE key_type;
    const char *algorithm; /* "RSA", "RSA-PSS", "EC" */
    char *uri;             /* p11kmip-uri: token and label of the new key */
    CK_ULONG bits;         /* RSA modulus size */
    CK_BYTE exponent[8];   /* RSA public exponent, big-endian */
    size_t exponent_len;
    char *group; /* EC curve name */
} keygen_ctx;

void *keymgmt_new(void *provctx);
void keymgmt_free(void *keydata);
void *keymgmt_load(const void *reference, size_t reference_sz);
int keymgmt_has(const void *keydata, int selection);
int keymgmt_match(const void *keydata1, const void *keydata2, int selection);
int keymgmt_get_params(void *keydata, OSSL_PARAM params[]);
const OSSL_PARAM *keymgmt_gettable_params(void *provctx);
/* Import and export of public parts only, in algorithm's terms. */
int keymgmt_import(void *keydata, int selection, const OSSL_PARAM params[],
                   const char *algorithm);
int keymgmt_export(void *keydata, int selection, OSSL_CALLBACK *param_cb,
                   void *cbarg);

keygen_ctx *keymgmt_gen_init(void *provctx, CK_KEY_TYPE key_type,
                             const char *algorithm);
/* Reads p11kmip-uri and p11kmip-label; the caller reads the rest. */
int keymgmt_gen_set_common_params(keygen_ctx *gen, const OSSL_PARAM params[]);
void *keymgmt_gen(void *genctx, OSSL_CALLBACK *cb, void *cbarg);
void keymgmt_gen_cleanup(void *genctx);

/* openssl.cnf-free way to name the new key: "p11kmip-uri". */
#define P11PROV_PARAM_URI "p11kmip-uri"

#endif
