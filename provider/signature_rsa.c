/* SPDX-License-Identifier: Apache-2.0 */
/* RSA signatures: PKCS#1 v1.5 (CKM_RSA_PKCS over a DigestInfo built here,
 * or CKM_SHA*_RSA_PKCS when the token hashes the message) and PSS
 * (CKM_RSA_PKCS_PSS, CKM_SHA*_RSA_PKCS_PSS); raw RSA without padding or
 * digest (CKM_RSA_X_509). Salt lengths follow OpenSSL:
 * "digest" (-1) is the digest length, which TLS 1.3 needs; "auto" (-2)
 * and "max" (-3) are the largest the key allows when signing; a number
 * is taken as it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "rsa_pad.h"
#include "signature.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_signature_newctx_fn rsa_newctx;
static OSSL_FUNC_signature_get_ctx_params_fn rsa_get_ctx_params;
static OSSL_FUNC_signature_gettable_ctx_params_fn rsa_gettable_ctx_params;
static OSSL_FUNC_signature_set_ctx_params_fn rsa_set_ctx_params;
static OSSL_FUNC_signature_settable_ctx_params_fn rsa_settable_ctx_params;

static int key_bits(const p11prov_sig_ctx *ctx)
{
    if (ctx->key->bits > 0)
        return (int)ctx->key->bits;
    return ctx->key->public_key != NULL
               ? EVP_PKEY_get_bits(ctx->key->public_key)
               : 0;
}

static size_t rsa_size(const p11prov_sig_ctx *ctx)
{
    return ((size_t)key_bits(ctx) + 7) / 8;
}

static const EVP_MD *mgf1_md(const p11prov_sig_ctx *ctx)
{
    return ctx->mgf1_md != NULL ? ctx->mgf1_md : ctx->md;
}

/* The salt length a PSS signature of ctx's key and digest carries. */
static int pss_salt_length(p11prov_sig_ctx *ctx, CK_ULONG *salt)
{
    int digest_len = EVP_MD_get_size(ctx->md);
    int max = (key_bits(ctx) - 1 + 7) / 8 - digest_len - 2;

    switch (ctx->saltlen) {
    case RSA_PSS_SALTLEN_DIGEST:
        *salt = (CK_ULONG)digest_len;
        break;
    case RSA_PSS_SALTLEN_AUTO:
    case RSA_PSS_SALTLEN_MAX:
        *salt = max >= 0 ? (CK_ULONG)max : 0;
        break;
    default:
        *salt = (CK_ULONG)ctx->saltlen;
    }
    if (ctx->saltlen < RSA_PSS_SALTLEN_MAX || max < 0 ||
        *salt > (CK_ULONG)max) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "PSS salt length %d does not fit a %d-bit key with %s",
                      ctx->saltlen, key_bits(ctx), EVP_MD_get0_name(ctx->md));
        return 0;
    }
    return 1;
}

static int need_digest(p11prov_sig_ctx *ctx, const char *what)
{
    if (ctx->md != NULL)
        return 1;
    p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT, "%s needs a digest",
                  what);
    return 0;
}

static int rsa_mechanism(p11prov_sig_ctx *ctx, bool message, CK_MECHANISM *mech)
{
    *mech = (CK_MECHANISM){0};
    switch (ctx->pad_mode) {
    case RSA_PKCS1_PADDING:
        if (message && !need_digest(ctx, "an RSA digest-sign"))
            return 0;
        mech->mechanism = message ? ctx->digest->rsa_pkcs : CKM_RSA_PKCS;
        return 1;
    case RSA_PKCS1_PSS_PADDING:
        if (!need_digest(ctx, "RSA-PSS") ||
            !pss_salt_length(ctx, &ctx->pss.sLen))
            return 0;
        ctx->pss.hashAlg = ctx->digest->digest;
        ctx->pss.mgf = (ctx->mgf1 != NULL ? ctx->mgf1 : ctx->digest)->mgf1;
        mech->mechanism = message ? ctx->digest->rsa_pss : CKM_RSA_PKCS_PSS;
        mech->pParameter = &ctx->pss;
        mech->ulParameterLen = sizeof(ctx->pss);
        return 1;
    case RSA_NO_PADDING:
        if (message || ctx->md != NULL)
            break; /* raw RSA signs a block as given, not a digest */
        mech->mechanism = CKM_RSA_X_509;
        return 1;
    }
    p11prov_raise(ctx->provctx, P11PROV_R_UNSUPPORTED,
                  "RSA padding mode %d is not offered for signatures",
                  ctx->pad_mode);
    return 0;
}

/* PKCS#1 v1.5 signs DigestInfo { digest algorithm, digest } when a
 * digest is set, and the input as it is otherwise (as OpenSSL does). */
static int rsa_encode_input(p11prov_sig_ctx *ctx, const unsigned char *tbs,
                            size_t tbslen, const unsigned char **encoded,
                            size_t *encoded_len, unsigned char **owned)
{
    X509_SIG *digest_info;
    X509_ALGOR *algorithm;
    ASN1_OCTET_STRING *digest;
    int der_len = 0;

    if (ctx->pad_mode != RSA_PKCS1_PADDING || ctx->md == NULL)
        return 1;
    digest_info = X509_SIG_new();
    if (digest_info != NULL) {
        X509_SIG_getm(digest_info, &algorithm, &digest);
        if (X509_ALGOR_set0(algorithm, OBJ_nid2obj(ctx->digest->nid),
                            V_ASN1_NULL, NULL) &&
            ASN1_OCTET_STRING_set(digest, tbs, (int)tbslen))
            der_len = i2d_X509_SIG(digest_info, owned);
    }
    X509_SIG_free(digest_info);
    if (der_len <= 0) {
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL,
                      "cannot encode the DigestInfo");
        return 0;
    }
    *encoded = *owned;
    *encoded_len = (size_t)der_len;
    return 1;
}

static int rsa_verify_params(p11prov_sig_ctx *ctx, EVP_PKEY_CTX *verifier)
{
    if (EVP_PKEY_CTX_set_rsa_padding(verifier, ctx->pad_mode) != 1)
        return 0;
    if (ctx->pad_mode != RSA_PKCS1_PSS_PADDING)
        return 1;
    return EVP_PKEY_CTX_set_rsa_pss_saltlen(verifier, ctx->saltlen) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(verifier, mgf1_md(ctx)) == 1;
}

/* Each operation starts from the defaults: PKCS#1 v1.5, or PSS for a key
 * made for PSS only (an RSA-PSS key); the largest salt. */
static int rsa_init(p11prov_sig_ctx *ctx, const OSSL_PARAM params[])
{
    bool pss_key = ctx->key->public_key != NULL &&
                   EVP_PKEY_is_a(ctx->key->public_key, "RSA-PSS");

    ctx->pad_mode = pss_key ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING;
    ctx->saltlen = RSA_PSS_SALTLEN_AUTO;
    return rsa_set_ctx_params(ctx, params);
}

static const p11prov_sig_family rsa_family = {
    .key_type = CKK_RSA,
    .mechanism = rsa_mechanism,
    .encode_input = rsa_encode_input,
    .raw_size = rsa_size,
    .max_size = rsa_size,
    .verify_params = rsa_verify_params,
    .init = rsa_init,
};

static void *rsa_newctx(void *provctx, const char *propq)
{
    p11prov_sig_ctx *ctx = p11prov_sig_newctx(provctx, &rsa_family);

    (void)propq;
    if (ctx != NULL) /* what get_ctx_params answers before an init */
        ctx->pad_mode = RSA_PKCS1_PADDING;
    return ctx;
}

/* ---- AlgorithmIdentifier (X.509, CMS) ---- */

/* An AlgorithmIdentifier for md with NULL parameters; NULL on failure. */
static X509_ALGOR *digest_algorithm(const EVP_MD *md)
{
    X509_ALGOR *algorithm = X509_ALGOR_new();

    if (algorithm != NULL)
        X509_ALGOR_set_md(algorithm, md);
    return algorithm;
}

/* RSASSA-PSS-params (RFC 4055), fields at their default left out. */
static ASN1_STRING *pss_params(p11prov_sig_ctx *ctx)
{
    RSA_PSS_PARAMS *pss = RSA_PSS_PARAMS_new();
    X509_ALGOR *mgf1_hash = NULL;
    ASN1_STRING *mgf1_params = NULL, *encoded = NULL;
    CK_ULONG salt;
    int ok = pss != NULL && pss_salt_length(ctx, &salt);

    if (ok && EVP_MD_get_type(ctx->md) != NID_sha1)
        ok = (pss->hashAlgorithm = digest_algorithm(ctx->md)) != NULL;
    if (ok && EVP_MD_get_type(mgf1_md(ctx)) != NID_sha1) {
        ok = (mgf1_hash = digest_algorithm(mgf1_md(ctx))) != NULL &&
             (mgf1_params = ASN1_item_pack(
                  mgf1_hash, ASN1_ITEM_rptr(X509_ALGOR), NULL)) != NULL &&
             (pss->maskGenAlgorithm = X509_ALGOR_new()) != NULL &&
             X509_ALGOR_set0(pss->maskGenAlgorithm, OBJ_nid2obj(NID_mgf1),
                             V_ASN1_SEQUENCE, mgf1_params);
        if (ok)
            mgf1_params = NULL;
    }
    if (ok && salt != 20)
        ok = (pss->saltLength = ASN1_INTEGER_new()) != NULL &&
             ASN1_INTEGER_set(pss->saltLength, (long)salt);
    if (ok)
        encoded = ASN1_item_pack(pss, ASN1_ITEM_rptr(RSA_PSS_PARAMS), NULL);
    ASN1_STRING_free(mgf1_params);
    X509_ALGOR_free(mgf1_hash);
    RSA_PSS_PARAMS_free(pss);
    return encoded;
}

/* The signature's AlgorithmIdentifier, or NULL (none for raw PKCS#1). */
static X509_ALGOR *rsa_algorithm(p11prov_sig_ctx *ctx)
{
    X509_ALGOR *algorithm;
    ASN1_STRING *params = NULL;
    int nid = NID_undef;

    if (ctx->md == NULL)
        return NULL;
    if (ctx->pad_mode == RSA_PKCS1_PSS_PADDING) {
        if ((params = pss_params(ctx)) == NULL)
            return NULL;
        nid = NID_rsassaPss;
    } else if (!OBJ_find_sigid_by_algs(&nid, EVP_MD_get_type(ctx->md),
                                       NID_rsaEncryption)) {
        return NULL;
    }
    algorithm = X509_ALGOR_new();
    if (algorithm == NULL ||
        !X509_ALGOR_set0(algorithm, OBJ_nid2obj(nid),
                         params != NULL ? V_ASN1_SEQUENCE : V_ASN1_NULL,
                         params)) {
        X509_ALGOR_free(algorithm);
        ASN1_STRING_free(params);
        return NULL;
    }
    return algorithm;
}

/* ---- Parameters ---- */

static int get_saltlen(p11prov_sig_ctx *ctx, OSSL_PARAM *p)
{
    const char *name = NULL;
    char number[16];

    if (p->data_type == OSSL_PARAM_INTEGER)
        return OSSL_PARAM_set_int(p, ctx->saltlen);
    switch (ctx->saltlen) {
    case RSA_PSS_SALTLEN_DIGEST:
        name = OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST;
        break;
    case RSA_PSS_SALTLEN_AUTO:
        name = OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO;
        break;
    case RSA_PSS_SALTLEN_MAX:
        name = OSSL_PKEY_RSA_PSS_SALT_LEN_MAX;
        break;
    }
    if (name != NULL)
        return OSSL_PARAM_set_utf8_string(p, name);
    snprintf(number, sizeof(number), "%d", ctx->saltlen);
    return OSSL_PARAM_set_utf8_string(p, number);
}

static int rsa_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;
    OSSL_PARAM *p;
    X509_ALGOR *algorithm;
    int ok;

    if (!p11prov_sig_get_digest_param(ctx, params))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
    if (p != NULL && !p11prov_rsa_pad_mode_set(p, ctx->pad_mode))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
    if (p != NULL && !get_saltlen(ctx, p))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST);
    if (p != NULL &&
        !OSSL_PARAM_set_utf8_string(
            p, mgf1_md(ctx) != NULL ? EVP_MD_get0_name(mgf1_md(ctx)) : ""))
        return 0;
    if (OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_ALGORITHM_ID) == NULL)
        return 1;
    algorithm = rsa_algorithm(ctx);
    ok = p11prov_sig_get_algorithm_id(params, algorithm);
    X509_ALGOR_free(algorithm);
    return ok;
}

static int set_saltlen(p11prov_sig_ctx *ctx, const OSSL_PARAM *p)
{
    const char *name;
    char *end;
    long number;

    if (p->data_type == OSSL_PARAM_INTEGER)
        return OSSL_PARAM_get_int(p, &ctx->saltlen);
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &name))
        return 0;
    if (strcmp(name, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST) == 0) {
        ctx->saltlen = RSA_PSS_SALTLEN_DIGEST;
    } else if (strcmp(name, OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO) == 0) {
        ctx->saltlen = RSA_PSS_SALTLEN_AUTO;
    } else if (strcmp(name, OSSL_PKEY_RSA_PSS_SALT_LEN_MAX) == 0) {
        ctx->saltlen = RSA_PSS_SALTLEN_MAX;
    } else {
        number = strtol(name, &end, 10);
        if (end == name || *end != '\0' || number < RSA_PSS_SALTLEN_MAX ||
            number > 0xffff)
            return 0;
        ctx->saltlen = (int)number;
    }
    return 1;
}

static int set_mgf1_digest(p11prov_sig_ctx *ctx, const OSSL_PARAM *p)
{
    const char *name;
    EVP_MD *md;
    const p11prov_digest *digest;

    if (!OSSL_PARAM_get_utf8_string_ptr(p, &name) ||
        !p11prov_op_fetch_digest(ctx->provctx, name, &md, &digest))
        return 0;
    EVP_MD_free(ctx->mgf1_md);
    ctx->mgf1_md = md;
    ctx->mgf1 = digest;
    return 1;
}

static int rsa_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    p11prov_sig_ctx *ctx = vctx;
    const OSSL_PARAM *p;

    if (params == NULL)
        return 1;
    if (!p11prov_sig_set_digest_param(ctx, params))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
    if (p != NULL) {
        if (!p11prov_rsa_pad_mode_get(p, &ctx->pad_mode)) {
            p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                          "unknown RSA padding mode");
            return 0;
        }
        /* OpenSSL's default digest for PSS, when none is set yet. */
        if (ctx->pad_mode == RSA_PKCS1_PSS_PADDING && ctx->md == NULL &&
            !p11prov_sig_set_digest(ctx, "SHA1"))
            return 0;
    }
    p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
    if (p != NULL && !set_saltlen(ctx, p)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "bad PSS salt length");
        return 0;
    }
    p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST);
    return p == NULL || set_mgf1_digest(ctx, p);
}

static const OSSL_PARAM *rsa_gettable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

static const OSSL_PARAM *rsa_settable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_PROPERTIES, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

const OSSL_DISPATCH p11prov_rsa_signature_functions[] = {
    {OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))rsa_newctx},
    P11PROV_SIG_COMMON_FUNCTIONS,
    {OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, (void (*)(void))rsa_get_ctx_params},
    {OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS,
     (void (*)(void))rsa_gettable_ctx_params},
    {OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, (void (*)(void))rsa_set_ctx_params},
    {OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS,
     (void (*)(void))rsa_settable_ctx_params},
    {0, NULL},
};
