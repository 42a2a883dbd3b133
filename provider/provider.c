/* SPDX-License-Identifier: Apache-2.0 */
/* Entry point: configuration, the algorithm tables, teardown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/params.h>

#include "provider.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_provider_teardown_fn teardown;
static OSSL_FUNC_provider_gettable_params_fn gettable_params;
static OSSL_FUNC_provider_get_params_fn get_params;
static OSSL_FUNC_provider_query_operation_fn query_operation;
static OSSL_FUNC_provider_get_reason_strings_fn get_reason_strings;

static const OSSL_ALGORITHM store_algorithms[] = {
    {"pkcs11", P11PROV_PROPS, p11prov_store_functions,
     "pkcs11: URIs naming keys held by a KMIP server"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM keymgmt_algorithms[] = {
    {"RSA:rsaEncryption:1.2.840.113549.1.1.1", P11PROV_PROPS,
     p11prov_rsa_keymgmt_functions, "RSA keys held by a KMIP server"},
    {"RSA-PSS:RSASSA-PSS:1.2.840.113549.1.1.10", P11PROV_PROPS,
     p11prov_rsa_pss_keymgmt_functions, "RSA-PSS keys held by a KMIP server"},
    {"EC:id-ecPublicKey:1.2.840.10045.2.1", P11PROV_PROPS,
     p11prov_ec_keymgmt_functions, "EC keys held by a KMIP server"},
    {P11PROV_EC_EPHEMERAL, P11PROV_PROPS,
     p11prov_ec_ephemeral_keymgmt_functions,
     "EC keys in memory for the TLS groups: ECDHE, never on a token"},
    {"ED25519:1.3.101.112", P11PROV_PROPS, p11prov_ed25519_keymgmt_functions,
     "Ed25519 keys held by a KMIP server"},
    {"ED448:1.3.101.113", P11PROV_PROPS, p11prov_ed448_keymgmt_functions,
     "Ed448 keys held by a KMIP server"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM signature_algorithms[] = {
    {"RSA:rsaEncryption:1.2.840.113549.1.1.1", P11PROV_PROPS,
     p11prov_rsa_signature_functions, "RSA signatures on the server"},
    {"ECDSA", P11PROV_PROPS, p11prov_ecdsa_signature_functions,
     "ECDSA signatures on the server"},
    {"ED25519:1.3.101.112", P11PROV_PROPS, p11prov_eddsa_signature_functions,
     "Ed25519 signatures on the server"},
    {"ED448:1.3.101.113", P11PROV_PROPS, p11prov_eddsa_signature_functions,
     "Ed448 signatures on the server"},
    {NULL, NULL, NULL, NULL},
};

/* A key file is what this provider writes for a private key, whatever
 * structure the caller names: PEM_write_bio_PrivateKey asks for
 * PrivateKeyInfo, which a token key cannot give. */
#define KEY_ENCODERS(name)                                                     \
    {name, P11PROV_PROPS ",output=pem,structure=" P11PROV_KEYFILE_STRUCTURE,   \
     p11prov_keyfile_encoder_functions, NULL},                                 \
        {name, P11PROV_PROPS ",output=pem,structure=PrivateKeyInfo",           \
         p11prov_keyfile_encoder_functions, NULL},                             \
        {name, P11PROV_PROPS ",output=der,structure=SubjectPublicKeyInfo",     \
         p11prov_spki_der_encoder_functions, NULL},                            \
        {name, P11PROV_PROPS ",output=pem,structure=SubjectPublicKeyInfo",     \
         p11prov_spki_pem_encoder_functions, NULL},                            \
    {                                                                          \
        name, P11PROV_PROPS ",output=text", p11prov_text_encoder_functions,    \
            NULL                                                               \
    }

static const OSSL_ALGORITHM encoder_algorithms[] = {
    KEY_ENCODERS("RSA"),     KEY_ENCODERS("RSA-PSS"), KEY_ENCODERS("EC"),
    KEY_ENCODERS("ED25519"), KEY_ENCODERS("ED448"),   {NULL, NULL, NULL, NULL},
};

/* Key files in two steps (decoder.c): PEM to DER, DER to a key. */
#define KEYFILE_DER_PROPS                                                      \
    P11PROV_PROPS ",input=der,structure=" P11PROV_KEYFILE_STRUCTURE

static const OSSL_ALGORITHM decoder_algorithms[] = {
    {"DER", P11PROV_PROPS ",input=pem", p11prov_keyfile_pem_decoder_functions,
     "URI-in-PEM key files to DER"},
    {"RSA", KEYFILE_DER_PROPS, p11prov_keyfile_rsa_decoder_functions,
     "RSA keys named by key files"},
    {"RSA-PSS", KEYFILE_DER_PROPS, p11prov_keyfile_rsa_pss_decoder_functions,
     "RSA-PSS keys named by key files"},
    {"EC", KEYFILE_DER_PROPS, p11prov_keyfile_ec_decoder_functions,
     "EC keys named by key files"},
    {"ED25519", KEYFILE_DER_PROPS, p11prov_keyfile_ed25519_decoder_functions,
     "Ed25519 keys named by key files"},
    {"ED448", KEYFILE_DER_PROPS, p11prov_keyfile_ed448_decoder_functions,
     "Ed448 keys named by key files"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM asym_cipher_algorithms[] = {
    {"RSA:rsaEncryption:1.2.840.113549.1.1.1", P11PROV_PROPS,
     p11prov_rsa_asym_cipher_functions, "RSA decryption on the server"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM keyexch_algorithms[] = {
    {"ECDH", P11PROV_PROPS, p11prov_ecdh_exchange_functions,
     "ECDH agreements on the server"},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM cipher_algorithms[] = {
    {"AES-128-GCM:id-aes128-GCM:2.16.840.1.101.3.4.1.6", P11PROV_PROPS,
     p11prov_aes_128_gcm_functions, NULL},
    {"AES-256-GCM:id-aes256-GCM:2.16.840.1.101.3.4.1.46", P11PROV_PROPS,
     p11prov_aes_256_gcm_functions, NULL},
    {"AES-128-CBC:AES128:2.16.840.1.101.3.4.1.2", P11PROV_PROPS,
     p11prov_aes_128_cbc_functions, NULL},
    {"AES-256-CBC:AES256:2.16.840.1.101.3.4.1.42", P11PROV_PROPS,
     p11prov_aes_256_cbc_functions, NULL},
    {"AES-128-CTR", P11PROV_PROPS, p11prov_aes_128_ctr_functions, NULL},
    {"AES-256-CTR", P11PROV_PROPS, p11prov_aes_256_ctr_functions, NULL},
    {NULL, NULL, NULL, NULL},
};

static const OSSL_ALGORITHM *query_operation(void *provctx, int operation_id,
                                             int *no_cache)
{
    (void)provctx;
    *no_cache = 0;
    switch (operation_id) {
    case OSSL_OP_STORE:
        return store_algorithms;
    case OSSL_OP_KEYMGMT:
        return keymgmt_algorithms;
    case OSSL_OP_ENCODER:
        return encoder_algorithms;
    case OSSL_OP_DECODER:
        return decoder_algorithms;
    case OSSL_OP_SIGNATURE:
        return signature_algorithms;
    case OSSL_OP_ASYM_CIPHER:
        return asym_cipher_algorithms;
    case OSSL_OP_CIPHER:
        return cipher_algorithms;
    case OSSL_OP_KEYEXCH:
        return keyexch_algorithms;
    }
    return NULL;
}

static const OSSL_PARAM *gettable_params(void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_DEFN(OSSL_PROV_PARAM_NAME, OSSL_PARAM_UTF8_PTR, NULL, 0),
        OSSL_PARAM_DEFN(OSSL_PROV_PARAM_VERSION, OSSL_PARAM_UTF8_PTR, NULL, 0),
        OSSL_PARAM_DEFN(OSSL_PROV_PARAM_BUILDINFO, OSSL_PARAM_UTF8_PTR, NULL,
                        0),
        OSSL_PARAM_DEFN(OSSL_PROV_PARAM_STATUS, OSSL_PARAM_INTEGER, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)provctx;
    return params;
}

static int get_params(void *provctx, OSSL_PARAM params[])
{
    OSSL_PARAM *p;

    (void)provctx;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
    if (p != NULL && !OSSL_PARAM_set_utf8_ptr(p, "p11kmip (keys in KMIP)"))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION);
    if (p != NULL && !OSSL_PARAM_set_utf8_ptr(p, P11KMIP_VERSION))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO);
    if (p != NULL && !OSSL_PARAM_set_utf8_ptr(p, P11KMIP_VERSION))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
    if (p != NULL && !OSSL_PARAM_set_int(p, 1))
        return 0;
    return 1;
}

static const OSSL_ITEM *get_reason_strings(void *provctx)
{
    (void)provctx;
    return p11prov_reason_strings();
}

static void teardown(void *provctx)
{
    p11prov_ctx *ctx = provctx;

    p11prov_decoder_forget(ctx);
    p11prov_module_free(ctx->module);
    OSSL_LIB_CTX_free(ctx->libctx);
    p11prov_settings_free(ctx);
    pthread_mutex_destroy(&ctx->module_lock);
    free(ctx);
}

static const OSSL_DISPATCH provider_functions[] = {
    {OSSL_FUNC_PROVIDER_TEARDOWN, (void (*)(void))teardown},
    {OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, (void (*)(void))gettable_params},
    {OSSL_FUNC_PROVIDER_GET_PARAMS, (void (*)(void))get_params},
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))query_operation},
    {OSSL_FUNC_PROVIDER_GET_REASON_STRINGS, (void (*)(void))get_reason_strings},
    {OSSL_FUNC_PROVIDER_GET_CAPABILITIES,
     (void (*)(void))p11prov_get_capabilities},
    {0, NULL},
};

static void bind_core_functions(p11prov_ctx *ctx, const OSSL_DISPATCH *in,
                                OSSL_FUNC_core_get_params_fn **get_params)
{
    for (; in->function_id != 0; in++) {
        switch (in->function_id) {
        case OSSL_FUNC_CORE_GET_PARAMS:
            *get_params = OSSL_FUNC_core_get_params(in);
            break;
        case OSSL_FUNC_CORE_NEW_ERROR:
            ctx->core_new_error = OSSL_FUNC_core_new_error(in);
            break;
        case OSSL_FUNC_CORE_SET_ERROR_DEBUG:
            ctx->core_set_error_debug = OSSL_FUNC_core_set_error_debug(in);
            break;
        case OSSL_FUNC_CORE_VSET_ERROR:
            ctx->core_vset_error = OSSL_FUNC_core_vset_error(in);
            break;
        }
    }
}

/* OpenSSL drops the errors of a provider that its configuration fails to
 * activate, and then runs without it: the reason goes to stderr too. */
static void report_not_activated(void)
{
    const char *data = NULL;
    int flags = 0;

    ERR_peek_last_error_data(&data, &flags);
    fprintf(stderr, "p11kmip: the provider is not activated: %s\n",
            data != NULL && (flags & ERR_TXT_STRING) ? data : "out of memory");
}

__attribute__((visibility("default"))) int
OSSL_provider_init(const OSSL_CORE_HANDLE *handle, const OSSL_DISPATCH *in,
                   const OSSL_DISPATCH **out, void **provctx)
{
    OSSL_FUNC_core_get_params_fn *core_get_params = NULL;
    p11prov_ctx *ctx = calloc(1, sizeof(*ctx));

    if (ctx == NULL)
        return 0;
    ctx->handle = handle;
    ctx->trace = getenv("P11KMIP_PROVIDER_DEBUG") != NULL;
    pthread_mutex_init(&ctx->module_lock, NULL);
    bind_core_functions(ctx, in, &core_get_params);
    if (core_get_params == NULL || ctx->core_new_error == NULL ||
        ctx->core_vset_error == NULL ||
        !p11prov_settings_read(ctx, core_get_params) ||
        (ctx->libctx = OSSL_LIB_CTX_new_child(handle, in)) == NULL ||
        (ctx->login == P11PROV_LOGIN_EARLY && !p11prov_login_early(ctx))) {
        if (ctx->core_vset_error != NULL)
            report_not_activated();
        teardown(ctx);
        return 0;
    }
    *out = provider_functions;
    *provctx = ctx;
    return 1;
}
