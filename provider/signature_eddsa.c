// SPDX-License-Identifier: Apache-2.0
/* Ed25519 and Ed448 signatures: pure EdDSA, one-shot only (as OpenSSL's
 * own). The token signs the whole message with CKM_EDDSA; verification is
 * local on the key's public half. No digest is taken. */
#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include "signature.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_signature_newctx_fn eddsa_newctx;
static OSSL_FUNC_signature_digest_sign_init_fn eddsa_digest_sign_init;
static OSSL_FUNC_signature_digest_verify_init_fn eddsa_digest_verify_init;
static OSSL_FUNC_signature_digest_verify_fn eddsa_digest_verify;
static OSSL_FUNC_signature_get_ctx_params_fn eddsa_get_ctx_params;
static OSSL_FUNC_signature_gettable_ctx_params_fn eddsa_gettable_ctx_params;

static size_t eddsa_size(const p11prov_sig_ctx *ctx)
{
    return (size_t)EVP_PKEY_get_size(ctx->key->public_key);
}

static int eddsa_mechanism(p11prov_sig_ctx *ctx, bool message,
                           CK_MECHANISM *mech)
{
    (void)ctx;
    (void)message;
    *mech = (CK_MECHANISM){.mechanism = CKM_EDDSA};
    return 1;
}

/* Pure EdDSA takes no digest: none is kept from an earlier operation. */
static int eddsa_init(p11prov_sig_ctx *ctx, const OSSL_PARAM params[])
{
    (void)params;
    return p11prov_sig_set_digest(ctx, NULL);
}

static const p11prov_sig_family eddsa_family = {
    .key_type = CKK_EC_EDWARDS,
    .mechanism = eddsa_mechanism,
    .raw_size = eddsa_size,
    .max_size = eddsa_size,
    .init = eddsa_init,
};

static void *eddsa_newctx(void *provctx, const char *propq)
{
    (void)propq;
    return p11prov_sig_newctx(provctx, &eddsa_family);
}

static int no_digest(p11prov_sig_ctx *ctx, const char *mdname)
{
    if (mdname == NULL || mdname[0] == '\0')
        return 1;
    p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                  "EdDSA signs the message itself, not a %s digest", mdname);
    return 0;
}

static int eddsa_digest_sign_init(void *vctx, const char *mdname, void *provkey,
                                  const OSSL_PARAM params[])
{
    return no_digest(vctx, mdname) &&
           p11prov_sig_sign_init(vctx, provkey, params);
}

static int eddsa_digest_verify_init(void *vctx, const char *mdname,
                                    void *provkey, const OSSL_PARAM params[])
{
    return no_digest(vctx, mdname) &&
           p11prov_sig_verify_init(vctx, provkey, params);
}

static int eddsa_digest_verify(void *vctx, const unsigned char *sig,
                               size_t siglen, const unsigned char *tbs,
                               size_t tbslen)
{
    p11prov_sig_ctx *ctx = vctx;
    EVP_MD_CTX *verifier = EVP_MD_CTX_new();
    int ok = verifier != NULL && ctx->operation == EVP_PKEY_OP_VERIFY &&
             EVP_DigestVerifyInit_ex(verifier, NULL, NULL, ctx->provctx->libctx,
                                     P11PROV_INTERNAL_PROPQ,
                                     ctx->key->public_key, NULL) == 1 &&
             EVP_DigestVerify(verifier, sig, siglen, tbs, tbslen) == 1;

    EVP_MD_CTX_free(verifier);
    return ok;
}

/* The key's own OID, without parameters (RFC 8410). */
static int eddsa_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;
    X509_ALGOR *algorithm;
    int nid, ok;

    if (OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_ALGORITHM_ID) == NULL)
        return 1;
    nid = ctx->key != NULL
              ? OBJ_sn2nid(EVP_PKEY_get0_type_name(ctx->key->public_key))
              : NID_undef;
    algorithm = nid != NID_undef ? X509_ALGOR_new() : NULL;
    if (algorithm != NULL &&
        !X509_ALGOR_set0(algorithm, OBJ_nid2obj(nid), V_ASN1_UNDEF, NULL)) {
        X509_ALGOR_free(algorithm);
        algorithm = NULL;
    }
    ok = p11prov_sig_get_algorithm_id(params, algorithm);
    X509_ALGOR_free(algorithm);
    return ok;
}

static const OSSL_PARAM *eddsa_gettable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

const OSSL_DISPATCH p11prov_eddsa_signature_functions[] = {
    {OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))eddsa_newctx},
    {OSSL_FUNC_SIGNATURE_FREECTX, (void (*)(void))p11prov_sig_freectx},
    {OSSL_FUNC_SIGNATURE_DUPCTX, (void (*)(void))p11prov_sig_dupctx},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT,
     (void (*)(void))eddsa_digest_sign_init},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN, (void (*)(void))p11prov_sig_digest_sign},
    {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT,
     (void (*)(void))eddsa_digest_verify_init},
    {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY, (void (*)(void))eddsa_digest_verify},
    {OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, (void (*)(void))eddsa_get_ctx_params},
    {OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS,
     (void (*)(void))eddsa_gettable_ctx_params},
    {0, NULL},
};
