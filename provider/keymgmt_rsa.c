/* SPDX-License-Identifier: Apache-2.0 */
/* RSA and RSA-PSS key managers. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "keymgmt.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_keymgmt_import_fn rsa_import;
static OSSL_FUNC_keymgmt_import_fn rsa_pss_import;
static OSSL_FUNC_keymgmt_import_types_fn rsa_import_types;
static OSSL_FUNC_keymgmt_query_operation_name_fn rsa_query_operation_name;
static OSSL_FUNC_keymgmt_gen_init_fn rsa_gen_init;
static OSSL_FUNC_keymgmt_gen_set_params_fn rsa_gen_set_params;
static OSSL_FUNC_keymgmt_gen_settable_params_fn rsa_gen_settable_params;

static int rsa_import(void *keydata, int selection, const OSSL_PARAM params[])
{
    return p11prov_keymgmt_import_as(keydata, selection, params, "RSA");
}

static int rsa_pss_import(void *keydata, int selection,
                          const OSSL_PARAM params[])
{
    return p11prov_keymgmt_import_as(keydata, selection, params, "RSA-PSS");
}

static const OSSL_PARAM *rsa_import_types(int selection)
{
    static const OSSL_PARAM types[] = {
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
        OSSL_PARAM_END,
    };

    return (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) ? types : NULL;
}

static const char *rsa_query_operation_name(int operation_id)
{
    (void)operation_id;
    return "RSA";
}

static int rsa_gen_set_params(void *genctx, const OSSL_PARAM params[])
{
    keygen_ctx *gen = genctx;
    const OSSL_PARAM *p;
    BIGNUM *exponent = NULL;
    size_t bits;
    int len;

    if (!p11prov_keymgmt_gen_set_common_params(gen, params))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_RSA_BITS);
    if (p != NULL) {
        if (!OSSL_PARAM_get_size_t(p, &bits) || bits < 2048 || bits > 16384)
            return 0;
        gen->bits = bits;
    }
    p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_RSA_E);
    if (p != NULL) {
        if (!OSSL_PARAM_get_BN(p, &exponent))
            return 0;
        len = BN_num_bytes(exponent);
        if (BN_is_negative(exponent) || len <= 0 ||
            (size_t)len > sizeof(gen->exponent)) {
            BN_free(exponent);
            return 0;
        }
        gen->exponent_len = (size_t)BN_bn2bin(exponent, gen->exponent);
        BN_free(exponent);
    }
    return 1;
}

static const OSSL_PARAM *rsa_gen_settable_params(void *genctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_size_t(OSSL_PKEY_PARAM_RSA_BITS, NULL),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
        OSSL_PARAM_utf8_string(P11PROV_PARAM_URI, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)genctx;
    (void)provctx;
    return params;
}

static void *rsa_gen_init(void *provctx, int selection,
                          const OSSL_PARAM params[])
{
    keygen_ctx *gen;

    if (!(selection & OSSL_KEYMGMT_SELECT_KEYPAIR))
        return NULL;
    gen = p11prov_keymgmt_gen_init(provctx, CKK_RSA, "RSA");
    if (gen != NULL && !rsa_gen_set_params(gen, params)) {
        p11prov_keymgmt_gen_cleanup(gen);
        gen = NULL;
    }
    return gen;
}

/* clang-format off */
#define RSA_KEYMGMT_COMMON                                                              \
    P11PROV_KEYMGMT_COMMON_FUNCTIONS,                                                   \
    {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (void (*)(void))rsa_import_types},                 \
    {OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))rsa_import_types},                 \
    {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, (void (*)(void))rsa_query_operation_name}, \
    {OSSL_FUNC_KEYMGMT_GEN_INIT, (void (*)(void))rsa_gen_init},                         \
    {OSSL_FUNC_KEYMGMT_GEN_SET_PARAMS, (void (*)(void))rsa_gen_set_params},             \
    {OSSL_FUNC_KEYMGMT_GEN_SETTABLE_PARAMS, (void (*)(void))rsa_gen_settable_params},   \
    {OSSL_FUNC_KEYMGMT_GEN, (void (*)(void))p11prov_keymgmt_gen}
/* clang-format on */

const OSSL_DISPATCH p11prov_rsa_keymgmt_functions[] = {
    RSA_KEYMGMT_COMMON,
    {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))rsa_import},
    {0, NULL},
};

const OSSL_DISPATCH p11prov_rsa_pss_keymgmt_functions[] = {
    RSA_KEYMGMT_COMMON,
    {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))rsa_pss_import},
    {0, NULL},
};
