// SPDX-License-Identifier: Apache-2.0
/* Ed25519 and Ed448 key managers: keys the token holds (CKK_EC_EDWARDS),
 * loaded from pkcs11: URIs and key files; public halves imported and
 * exported as OpenSSL's own; generated on the token with
 * CKM_EC_EDWARDS_KEY_PAIR_GEN (genpkey -provider p11kmip). */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "keymgmt.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_keymgmt_import_fn ed25519_import;
static OSSL_FUNC_keymgmt_import_fn ed448_import;
static OSSL_FUNC_keymgmt_import_types_fn edwards_import_types;
static OSSL_FUNC_keymgmt_query_operation_name_fn ed25519_operation_name;
static OSSL_FUNC_keymgmt_query_operation_name_fn ed448_operation_name;
static OSSL_FUNC_keymgmt_gen_init_fn ed25519_gen_init;
static OSSL_FUNC_keymgmt_gen_init_fn ed448_gen_init;
static OSSL_FUNC_keymgmt_gen_set_params_fn edwards_gen_set_params;
static OSSL_FUNC_keymgmt_gen_settable_params_fn edwards_gen_settable_params;

static int ed25519_import(void *keydata, int selection,
                          const OSSL_PARAM params[])
{
    return p11prov_keymgmt_import_as(keydata, selection, params, "ED25519");
}

static int ed448_import(void *keydata, int selection, const OSSL_PARAM params[])
{
    return p11prov_keymgmt_import_as(keydata, selection, params, "ED448");
}

static const OSSL_PARAM *edwards_import_types(int selection)
{
    static const OSSL_PARAM types[] = {
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
        OSSL_PARAM_END,
    };

    return (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) ? types : NULL;
}

static const char *ed25519_operation_name(int operation_id)
{
    (void)operation_id;
    return "ED25519";
}

static const char *ed448_operation_name(int operation_id)
{
    (void)operation_id;
    return "ED448";
}

static int edwards_gen_set_params(void *genctx, const OSSL_PARAM params[])
{
    return p11prov_keymgmt_gen_set_common_params(genctx, params);
}

static const OSSL_PARAM *edwards_gen_settable_params(void *genctx,
                                                     void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(P11PROV_PARAM_URI, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)genctx;
    (void)provctx;
    return params;
}

/* A generation of a key of type (the curve ec_params_of names). */
static void *edwards_gen_init(void *provctx, int selection,
                              const OSSL_PARAM params[], const char *type)
{
    keygen_ctx *gen;

    if (!(selection & OSSL_KEYMGMT_SELECT_KEYPAIR))
        return NULL;
    gen = p11prov_keymgmt_gen_init(provctx, CKK_EC_EDWARDS, type);
    if (gen != NULL) {
        gen->group = strdup(type);
        if (gen->group == NULL || !edwards_gen_set_params(gen, params)) {
            p11prov_keymgmt_gen_cleanup(gen);
            gen = NULL;
        }
    }
    return gen;
}

static void *ed25519_gen_init(void *provctx, int selection,
                              const OSSL_PARAM params[])
{
    return edwards_gen_init(provctx, selection, params, "ED25519");
}

static void *ed448_gen_init(void *provctx, int selection,
                            const OSSL_PARAM params[])
{
    return edwards_gen_init(provctx, selection, params, "ED448");
}

/* clang-format off */
#define EDWARDS_KEYMGMT(import, operation_name, gen_init)                                     \
    {                                                                                         \
        P11PROV_KEYMGMT_COMMON_FUNCTIONS,                                                     \
        {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))import},                                   \
        {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (void (*)(void))edwards_import_types},               \
        {OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))edwards_import_types},               \
        {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))operation_name},             \
        {OSSL_FUNC_KEYMGMT_GEN_INIT, (void (*)(void))gen_init},                               \
        {OSSL_FUNC_KEYMGMT_GEN_SET_PARAMS, (void (*)(void))edwards_gen_set_params},           \
        {OSSL_FUNC_KEYMGMT_GEN_SETTABLE_PARAMS, (void (*)(void))edwards_gen_settable_params}, \
        {OSSL_FUNC_KEYMGMT_GEN, (void (*)(void))p11prov_keymgmt_gen},                         \
        {0, NULL},                                                                            \
    }
/* clang-format on */

const OSSL_DISPATCH p11prov_ed25519_keymgmt_functions[] =
    EDWARDS_KEYMGMT(ed25519_import, ed25519_operation_name, ed25519_gen_init);
const OSSL_DISPATCH p11prov_ed448_keymgmt_functions[] =
    EDWARDS_KEYMGMT(ed448_import, ed448_operation_name, ed448_gen_init);
