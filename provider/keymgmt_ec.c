/* SPDX-License-Identifier: Apache-2.0 */
/* EC key managers (P-256, P-384, P-521). "EC" makes its key pairs on a
 * token; P11PROV_EC_EPHEMERAL, the key manager of the TLS groups
 * (tls_groups.c), makes libssl's ephemeral keys in memory
 * (keymgmt_local.c), for ECDH only. Both hold local keys of a group alone
 * and public keys imported by value. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "keymgmt.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_keymgmt_import_fn ec_import;
static OSSL_FUNC_keymgmt_import_types_fn ec_import_types;
static OSSL_FUNC_keymgmt_query_operation_name_fn ec_query_operation_name;
static OSSL_FUNC_keymgmt_query_operation_name_fn ephemeral_query_operation_name;
static OSSL_FUNC_keymgmt_gen_init_fn ec_gen_init;
static OSSL_FUNC_keymgmt_gen_set_params_fn ec_gen_set_params;
static OSSL_FUNC_keymgmt_gen_settable_params_fn ec_gen_settable_params;
static OSSL_FUNC_keymgmt_gen_fn ec_gen;
static OSSL_FUNC_keymgmt_gen_fn ephemeral_gen;

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

/* Key exchange only: a signature fetch by the key manager's own name
 * finds nothing. */
static const char *ephemeral_query_operation_name(int operation_id)
{
    return operation_id == OSSL_OP_KEYEXCH ? "ECDH" : NULL;
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

/* A pair on the token; a group alone in memory. */
static void *ec_gen(void *genctx, OSSL_CALLBACK *cb, void *cbarg)
{
    keygen_ctx *gen = genctx;

    if (gen->selection & OSSL_KEYMGMT_SELECT_KEYPAIR)
        return p11prov_keymgmt_gen(genctx, cb, cbarg);
    return p11prov_keymgmt_gen_local(gen);
}

static void *ephemeral_gen(void *genctx, OSSL_CALLBACK *cb, void *cbarg)
{
    (void)cb;
    (void)cbarg;
    return p11prov_keymgmt_gen_local(genctx);
}

/* The entries both EC key managers list, with their own names of
 * operations and their own generation. */
/* clang-format off */
#define EC_KEYMGMT_FUNCTIONS(query_operation_name, gen)                                     \
    P11PROV_KEYMGMT_COMMON_FUNCTIONS,                                                       \
    {OSSL_FUNC_KEYMGMT_SET_PARAMS, (void (*)(void))p11prov_keymgmt_set_params},             \
    {OSSL_FUNC_KEYMGMT_SETTABLE_PARAMS, (void (*)(void))p11prov_keymgmt_settable_params},   \
    {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))ec_import},                                  \
    {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (void (*)(void))ec_import_types},                      \
    {OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))ec_import_types},                      \
    {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))query_operation_name},         \
    {OSSL_FUNC_KEYMGMT_GEN_INIT, (void (*)(void))ec_gen_init},                              \
    {OSSL_FUNC_KEYMGMT_GEN_SET_PARAMS, (void (*)(void))ec_gen_set_params},                  \
    {OSSL_FUNC_KEYMGMT_GEN_SET_TEMPLATE, (void (*)(void))p11prov_keymgmt_gen_set_template}, \
    {OSSL_FUNC_KEYMGMT_GEN_SETTABLE_PARAMS, (void (*)(void))ec_gen_settable_params},        \
    {OSSL_FUNC_KEYMGMT_GEN, (void (*)(void))gen}
/* clang-format on */

const OSSL_DISPATCH p11prov_ec_keymgmt_functions[] = {
    EC_KEYMGMT_FUNCTIONS(ec_query_operation_name, ec_gen),
    {0, NULL},
};

const OSSL_DISPATCH p11prov_ec_ephemeral_keymgmt_functions[] = {
    EC_KEYMGMT_FUNCTIONS(ephemeral_query_operation_name, ephemeral_gen),
    {0, NULL},
};
