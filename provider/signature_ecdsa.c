/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA signatures: CKM_ECDSA over a digest, CKM_ECDSA_SHA* when the token
 * hashes the message. The token's r || s becomes DER (ECDSA-Sig-Value)
 * at the OpenSSL boundary. */
#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include "ecdsa_sig.h"
#include "signature.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_signature_newctx_fn ecdsa_newctx;
static OSSL_FUNC_signature_get_ctx_params_fn ecdsa_get_ctx_params;
static OSSL_FUNC_signature_gettable_ctx_params_fn ecdsa_gettable_ctx_params;
static OSSL_FUNC_signature_set_ctx_params_fn ecdsa_set_ctx_params;
static OSSL_FUNC_signature_settable_ctx_params_fn ecdsa_settable_ctx_params;

static size_t scalar_size(const p11prov_sig_ctx *ctx)
{
    size_t bits = ctx->key->bits;

    if (bits == 0 && ctx->key->public_key != NULL)
        bits = (size_t)EVP_PKEY_get_bits(ctx->key->public_key);
    return (bits + 7) / 8;
}

static size_t ecdsa_raw_size(const p11prov_sig_ctx *ctx)
{
    return 2 * scalar_size(ctx);
}

/* The length of a DER item with content_len bytes of content. */
static size_t der_size(size_t content_len)
{
    size_t length_len = 1;

    for (size_t rest = content_len; rest > 0x7f; rest >>= 8)
        length_len++;
    return 1 + length_len + content_len;
}

/* SEQUENCE { INTEGER r, INTEGER s }, each integer at most one byte longer
 * than the scalar (a leading zero). */
static size_t ecdsa_max_size(const p11prov_sig_ctx *ctx)
{
    return der_size(2 * der_size(scalar_size(ctx) + 1));
}

static int ecdsa_mechanism(p11prov_sig_ctx *ctx, bool message,
                           CK_MECHANISM *mech)
{
    *mech = (CK_MECHANISM){0};
    if (!message) {
        mech->mechanism = CKM_ECDSA;
        return 1;
    }
    if (ctx->digest == NULL) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "an ECDSA digest-sign needs a digest");
        return 0;
    }
    mech->mechanism = ctx->digest->ecdsa;
    return 1;
}

static int ecdsa_encode_signature(p11prov_sig_ctx *ctx, const CK_BYTE *raw,
                                  CK_ULONG raw_len, unsigned char *sig,
                                  size_t *siglen, size_t sigsize)
{
    if (p11_ecdsa_raw_to_der_into(raw, raw_len, sig, sigsize, siglen) == CKR_OK)
        return 1;
    p11prov_raise(ctx->provctx, P11PROV_R_TOKEN,
                  "cannot encode the token's %lu-byte ECDSA signature "
                  "in %zu bytes",
                  (unsigned long)raw_len, sigsize);
    return 0;
}

static int ecdsa_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    return params == NULL || p11prov_sig_set_digest_param(vctx, params);
}

static int ecdsa_init(p11prov_sig_ctx *ctx, const OSSL_PARAM params[])
{
    return ecdsa_set_ctx_params(ctx, params);
}

static const p11prov_sig_family ecdsa_family = {
    .key_type = CKK_EC,
    .mechanism = ecdsa_mechanism,
    .encode_signature = ecdsa_encode_signature,
    .raw_size = ecdsa_raw_size,
    .max_size = ecdsa_max_size,
    .init = ecdsa_init,
};

static void *ecdsa_newctx(void *provctx, const char *propq)
{
    (void)propq;
    return p11prov_sig_newctx(provctx, &ecdsa_family);
}

/* ecdsa-with-SHA*, whose parameters are absent (RFC 5758). */
static X509_ALGOR *ecdsa_algorithm(const p11prov_sig_ctx *ctx)
{
    X509_ALGOR *algorithm;
    int nid;

    if (ctx->md == NULL ||
        !OBJ_find_sigid_by_algs(&nid, EVP_MD_get_type(ctx->md),
                                NID_X9_62_id_ecPublicKey))
        return NULL;
    algorithm = X509_ALGOR_new();
    if (algorithm != NULL &&
        !X509_ALGOR_set0(algorithm, OBJ_nid2obj(nid), V_ASN1_UNDEF, NULL)) {
        X509_ALGOR_free(algorithm);
        return NULL;
    }
    return algorithm;
}

static int ecdsa_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;
    X509_ALGOR *algorithm;
    int ok;

    if (!p11prov_sig_get_digest_param(ctx, params))
        return 0;
    if (OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_ALGORITHM_ID) == NULL)
        return 1;
    algorithm = ecdsa_algorithm(ctx);
    ok = p11prov_sig_get_algorithm_id(params, algorithm);
    X509_ALGOR_free(algorithm);
    return ok;
}

static const OSSL_PARAM *ecdsa_gettable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

static const OSSL_PARAM *ecdsa_settable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

const OSSL_DISPATCH p11prov_ecdsa_signature_functions[] = {
    {OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))ecdsa_newctx},
    P11PROV_SIG_COMMON_FUNCTIONS,
    {OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, (void (*)(void))ecdsa_get_ctx_params},
    {OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS,
     (void (*)(void))ecdsa_gettable_ctx_params},
    {OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, (void (*)(void))ecdsa_set_ctx_params},
    {OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS,
     (void (*)(void))ecdsa_settable_ctx_params},
    {0, NULL},
};
