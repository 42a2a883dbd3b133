/* SPDX-License-Identifier: Apache-2.0 */
/* EC key manager (P-256, P-384, P-521): keys on the token, and local
 * keys (keymgmt_local.c) where no token is named. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "keymgmt.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_keymgmt_import_fn ec_import;
static OSSL_FUNC_keymgmt_import_types_fn ec_import_types;
static OSSL_FUNC_keymgmt_query_operation_name_fn ec_query_operation_name;
static OSSL_FUNC_keymgmt_gen_init_fn ec_gen_init;
static OSSL_FUNC_keymgmt_gen_set_params_fn ec_gen_set_params;
static OSSL_FUNC_keymgmt_gen_settable_params_fn ec_gen_settable_params;

static int ec_import(void *keydata, int selection, const OSSL_PARAM params[])
{
    return p11prov_keymgmt_import_as(keydata, selection, params, "EC");
}

static const OSSL_PARAM *ec_import_types(int selection)
{
    static const OSSL_PARAM types[] = {
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
        OSSL_PARAM_END,
    };

    return (selection & (OSSL_KEYMGMT_SELECT_PUBLIC_KEY |
                         OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS))
               ? types
               : NULL;
}

static const char *ec_query_operation_name(int operation_id)
{
    switch (operation_id) {
    case OSSL_OP_SIGNATURE:
        return "ECDSA";
    case OSSL_OP_KEYEXCH:
        return "ECDH";
    }
    return "EC";
}

static int ec_gen_set_params(void *genctx, const OSSL_PARAM params[])
{
    keygen_ctx *gen = genctx;
    const OSSL_PARAM *p;
    char *group = NULL;

    if (!p11prov_keymgmt_gen_set_common_params(gen, params))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_GROUP_NAME);
    if (p == NULL)
        return 1;
    if (!OSSL_PARAM_get_utf8_string(p, &group, 0))
        return 0;
    free(gen->group);
    gen->group = strdup(group);
    OPENSSL_free(group);
    return gen->group != NULL;
}

static const OSSL_PARAM *ec_gen_settable_params(void *genctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
        OSSL_PARAM_utf8_string(P11PROV_PARAM_URI, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)genctx;
    (void)provctx;
    return params;
}

static void *ec_gen_init(void *provctx, int selection,
                         const OSSL_PARAM params[])
{
    keygen_ctx *gen;

    if (!(selection & (OSSL_KEYMGMT_SELECT_KEYPAIR |
                       OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS)))
        return NULL;
    gen = p11prov_keymgmt_gen_init(provctx, CKK_EC, "EC");
    if (gen != NULL)
        gen->selection = selection;
    if (gen != NULL && !ec_gen_set_params(gen, params)) {
        p11prov_keymgmt_gen_cleanup(gen);
        gen = NULL;
    }
    return gen;
}

const OSSL_DISPATCH p11prov_ec_keymgmt_functions[] = {
    {OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))p11prov_keymgmt_new},
    {OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))p11prov_keymgmt_free},
    {OSSL_FUNC_KEYMGMT_LOAD, (void (*)(void))p11prov_keymgmt_load},
    {OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))p11prov_keymgmt_has},
    {OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))p11prov_keymgmt_match},
    {OSSL_FUNC_KEYMGMT_GET_PARAMS, (void (*)(void))p11prov_keymgmt_get_params},
    {OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS,
     (void (*)(void))p11prov_keymgmt_gettable_params},
    {OSSL_FUNC_KEYMGMT_SET_PARAMS, (void (*)(void))p11prov_keymgmt_set_params},
    {OSSL_FUNC_KEYMGMT_SETTABLE_PARAMS,
     (void (*)(void))p11prov_keymgmt_settable_params},
    {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))ec_import},
    {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (void (*)(void))ec_import_types},
    {OSSL_FUNC_KEYMGMT_EXPORT, (void (*)(void))p11prov_keymgmt_export},
    {OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))ec_import_types},
    {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME,
     (void (*)(void))ec_query_operation_name},
    {OSSL_FUNC_KEYMGMT_GEN_INIT, (void (*)(void))ec_gen_init},
    {OSSL_FUNC_KEYMGMT_GEN_SET_PARAMS, (void (*)(void))ec_gen_set_params},
    {OSSL_FUNC_KEYMGMT_GEN_SET_TEMPLATE,
     (void (*)(void))p11prov_keymgmt_gen_set_template},
    {OSSL_FUNC_KEYMGMT_GEN_SETTABLE_PARAMS,
     (void (*)(void))ec_gen_settable_params},
    {OSSL_FUNC_KEYMGMT_GEN, (void (*)(void))p11prov_keymgmt_gen},
    {OSSL_FUNC_KEYMGMT_GEN_CLEANUP,
     (void (*)(void))p11prov_keymgmt_gen_cleanup},
    {0, NULL},
};
