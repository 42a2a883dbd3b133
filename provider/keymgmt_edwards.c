// SPDX-License-Identifier: Apache-2.0
/* Ed25519 and Ed448 key managers: keys the token holds (CKK_EC_EDWARDS),
 * loaded from pkcs11: URIs and key files; public halves imported and
 * exported as OpenSSL's own. Generation stays with genpkey's default
 * provider for now. */
#include <openssl/core_names.h>
#include <openssl/params.h>

#include "keymgmt.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_keymgmt_import_fn ed25519_import;
static OSSL_FUNC_keymgmt_import_fn ed448_import;
static OSSL_FUNC_keymgmt_import_types_fn edwards_import_types;
static OSSL_FUNC_keymgmt_query_operation_name_fn ed25519_operation_name;
static OSSL_FUNC_keymgmt_query_operation_name_fn ed448_operation_name;

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

#define EDWARDS_KEYMGMT(import, operation_name)                                \
    {                                                                          \
        {OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))p11prov_keymgmt_new},          \
            {OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))p11prov_keymgmt_free},    \
            {OSSL_FUNC_KEYMGMT_LOAD, (void (*)(void))p11prov_keymgmt_load},    \
            {OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))p11prov_keymgmt_has},      \
            {OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))p11prov_keymgmt_match},  \
            {OSSL_FUNC_KEYMGMT_GET_PARAMS,                                     \
             (void (*)(void))p11prov_keymgmt_get_params},                      \
            {OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS,                                \
             (void (*)(void))p11prov_keymgmt_gettable_params},                 \
            {OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))import},                \
            {OSSL_FUNC_KEYMGMT_IMPORT_TYPES,                                   \
             (void (*)(void))edwards_import_types},                            \
            {OSSL_FUNC_KEYMGMT_EXPORT,                                         \
             (void (*)(void))p11prov_keymgmt_export},                          \
            {OSSL_FUNC_KEYMGMT_EXPORT_TYPES,                                   \
             (void (*)(void))edwards_import_types},                            \
            {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME,                           \
             (void (*)(void))operation_name},                                  \
            {0, NULL},                                                         \
    }

const OSSL_DISPATCH p11prov_ed25519_keymgmt_functions[] =
    EDWARDS_KEYMGMT(ed25519_import, ed25519_operation_name);
const OSSL_DISPATCH p11prov_ed448_keymgmt_functions[] =
    EDWARDS_KEYMGMT(ed448_import, ed448_operation_name);
