/* SPDX-License-Identifier: Apache-2.0 */
/* What the RSA, RSA-PSS and EC key managers share: keys are
 * p11prov_key references; public parts are answered from key->public_key
 * locally; private parts never leave the token. */
#ifndef P11PROV_KEYMGMT_H
#define P11PROV_KEYMGMT_H

#include <openssl/core_dispatch.h>

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
    char *group;   /* EC curve name, or "ED25519" / "ED448" */
    int selection; /* OSSL_KEYMGMT_SELECT_*: a pair, or (EC) a group only */
} keygen_ctx;

/* The entries every key manager's dispatch table lists. */
OSSL_FUNC_keymgmt_new_fn p11prov_keymgmt_new;
OSSL_FUNC_keymgmt_free_fn p11prov_keymgmt_free;
OSSL_FUNC_keymgmt_load_fn p11prov_keymgmt_load;
OSSL_FUNC_keymgmt_has_fn p11prov_keymgmt_has;
OSSL_FUNC_keymgmt_match_fn p11prov_keymgmt_match;
OSSL_FUNC_keymgmt_get_params_fn p11prov_keymgmt_get_params;
OSSL_FUNC_keymgmt_gettable_params_fn p11prov_keymgmt_gettable_params;
OSSL_FUNC_keymgmt_export_fn p11prov_keymgmt_export;
OSSL_FUNC_keymgmt_gen_fn p11prov_keymgmt_gen;
OSSL_FUNC_keymgmt_gen_cleanup_fn p11prov_keymgmt_gen_cleanup;
/* Those entries, for a dispatch table. */
/* clang-format off */
#define P11PROV_KEYMGMT_COMMON_FUNCTIONS                                                  \
    {OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))p11prov_keymgmt_new},                         \
    {OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))p11prov_keymgmt_free},                       \
    {OSSL_FUNC_KEYMGMT_LOAD, (void (*)(void))p11prov_keymgmt_load},                       \
    {OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))p11prov_keymgmt_has},                         \
    {OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))p11prov_keymgmt_match},                     \
    {OSSL_FUNC_KEYMGMT_GET_PARAMS, (void (*)(void))p11prov_keymgmt_get_params},           \
    {OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, (void (*)(void))p11prov_keymgmt_gettable_params}, \
    {OSSL_FUNC_KEYMGMT_EXPORT, (void (*)(void))p11prov_keymgmt_export},                   \
    {OSSL_FUNC_KEYMGMT_GEN_CLEANUP, (void (*)(void))p11prov_keymgmt_gen_cleanup}
/* clang-format on */

/* Import of public parts only, in algorithm's terms (each key manager's
 * import entry calls it with its algorithm). */
int p11prov_keymgmt_import_as(void *keydata, int selection,
                              const OSSL_PARAM params[], const char *algorithm);

keygen_ctx *p11prov_keymgmt_gen_init(void *provctx, CK_KEY_TYPE key_type,
                                     const char *algorithm);
/* Reads p11kmip-uri; the caller reads the rest. */
int p11prov_keymgmt_gen_set_common_params(keygen_ctx *gen,
                                          const OSSL_PARAM params[]);

/* Local keys (keymgmt_local.c). A key of gen's group made in memory (by
 * the ephemeral EC key manager, or a group alone), NULL with an error
 * raised. */
p11prov_key *p11prov_keymgmt_gen_local(const keygen_ctx *gen);
/* The group of a template key (libssl's TLS 1.3 key share). */
OSSL_FUNC_keymgmt_gen_set_template_fn p11prov_keymgmt_gen_set_template;
/* The peer's encoded point, on a local key without a private half. */
OSSL_FUNC_keymgmt_set_params_fn p11prov_keymgmt_set_params;
OSSL_FUNC_keymgmt_settable_params_fn p11prov_keymgmt_settable_params;

/* openssl.cnf-free way to name the new key: "p11kmip-uri". */
#define P11PROV_PARAM_URI "p11kmip-uri"

#endif
