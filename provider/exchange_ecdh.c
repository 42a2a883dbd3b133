/* SPDX-License-Identifier: Apache-2.0 */
/* ECDH key exchange: the agreement runs on the token (CKM_ECDH1_DERIVE,
 * CKD_NULL) into a generic secret of the field size that may be read
 * (not sensitive, extractable); its value is the shared secret, and the
 * object is destroyed once read. A session object where the module has
 * them, a token object otherwise. A local key (keymgmt_local.c: libssl's
 * ephemeral keys) derives in memory, in OpenSSL's default provider. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "operation.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_keyexch_newctx_fn ecdh_newctx;
static OSSL_FUNC_keyexch_init_fn ecdh_init;
static OSSL_FUNC_keyexch_set_peer_fn ecdh_set_peer;
static OSSL_FUNC_keyexch_derive_fn ecdh_derive;
static OSSL_FUNC_keyexch_freectx_fn ecdh_freectx;
static OSSL_FUNC_keyexch_dupctx_fn ecdh_dupctx;
static OSSL_FUNC_keyexch_set_ctx_params_fn ecdh_set_ctx_params;
static OSSL_FUNC_keyexch_settable_ctx_params_fn ecdh_settable_ctx_params;

#define WHAT "ECDH key derivation"
/* An uncompressed point of P-521, the largest curve. */
#define MAX_POINT (1 + 2 * 66)

typedef struct ecdh_ctx {
    p11prov_ctx *provctx;
    p11prov_key *key;  /* the private key, on the token or local */
    p11prov_key *peer; /* its public half is the peer's point */
} ecdh_ctx;

static void *ecdh_newctx(void *provctx)
{
    ecdh_ctx *ctx = OPENSSL_zalloc(sizeof(*ctx));

    if (ctx != NULL)
        ctx->provctx = provctx;
    return ctx;
}

static void ecdh_freectx(void *vctx)
{
    ecdh_ctx *ctx = vctx;

    if (ctx == NULL)
        return;
    p11prov_key_free(ctx->key);
    p11prov_key_free(ctx->peer);
    OPENSSL_free(ctx);
}

static void *ecdh_dupctx(void *vctx)
{
    ecdh_ctx *ctx = vctx, *copy = ecdh_newctx(ctx->provctx);

    if (copy == NULL)
        return NULL;
    copy->key = ctx->key != NULL ? p11prov_key_ref(ctx->key) : NULL;
    copy->peer = ctx->peer != NULL ? p11prov_key_ref(ctx->peer) : NULL;
    return copy;
}

static const char *key_uri(const p11prov_key *key)
{
    return key->uri != NULL ? key->uri : "the key";
}

/* An EC key pair in memory. */
static bool is_local_pair(const p11prov_key *key)
{
    return key != NULL && key->local && key->key_type == CKK_EC &&
           key->object_class == CKO_PRIVATE_KEY;
}

static int ecdh_init(void *vctx, void *provkey, const OSSL_PARAM params[])
{
    ecdh_ctx *ctx = vctx;
    p11prov_key *key = provkey;

    if (!is_local_pair(key) &&
        !p11prov_op_key_check(ctx->provctx, key, CKK_EC, true, WHAT))
        return 0;
    p11prov_key_free(ctx->key);
    ctx->key = p11prov_key_ref(key);
    return ecdh_set_ctx_params(ctx, params);
}

/* The curve of an EC key's public half into name; "" when unknown. */
static void curve_name(const p11prov_key *key, char *name, size_t size)
{
    name[0] = '\0';
    if (key->public_key != NULL)
        EVP_PKEY_get_utf8_string_param(
            key->public_key, OSSL_PKEY_PARAM_GROUP_NAME, name, size, NULL);
}

static int ecdh_set_peer(void *vctx, void *provkey)
{
    ecdh_ctx *ctx = vctx;
    p11prov_key *peer = provkey;
    char ours[64], theirs[64];

    if (ctx->key == NULL || peer == NULL || peer->public_key == NULL ||
        peer->key_type != CKK_EC) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      WHAT " with %s: the peer key is not an EC public key",
                      ctx->key != NULL ? key_uri(ctx->key) : "no key");
        return 0;
    }
    curve_name(ctx->key, ours, sizeof(ours));
    curve_name(peer, theirs, sizeof(theirs));
    if ((ours[0] != '\0' && strcmp(ours, theirs) != 0) ||
        (ours[0] == '\0' && peer->bits != ctx->key->bits)) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      WHAT " with %s: the peer key is on curve %s, "
                           "the key on %s",
                      key_uri(ctx->key), theirs,
                      ours[0] != '\0' ? ours : "another curve");
        return 0;
    }
    p11prov_key_free(ctx->peer);
    ctx->peer = p11prov_key_ref(peer);
    return 1;
}

static size_t secret_size(const ecdh_ctx *ctx)
{
    return (ctx->key->bits + 7) / 8;
}

/* The template of the derived secret; its CKA_TOKEN entry comes last. */
typedef struct secret_template {
    CK_OBJECT_CLASS object_class;
    CK_KEY_TYPE key_type;
    CK_ULONG value_len;
    CK_BBOOL yes, no;
    CK_ATTRIBUTE attrs[6];
} secret_template;

static void secret_template_init(secret_template *t, CK_ULONG value_len)
{
    t->object_class = CKO_SECRET_KEY;
    t->key_type = CKK_GENERIC_SECRET;
    t->value_len = value_len;
    t->yes = CK_TRUE;
    t->no = CK_FALSE;
    t->attrs[0] =
        (CK_ATTRIBUTE){CKA_CLASS, &t->object_class, sizeof(t->object_class)};
    t->attrs[1] =
        (CK_ATTRIBUTE){CKA_KEY_TYPE, &t->key_type, sizeof(t->key_type)};
    t->attrs[2] =
        (CK_ATTRIBUTE){CKA_VALUE_LEN, &t->value_len, sizeof(t->value_len)};
    t->attrs[3] = (CK_ATTRIBUTE){CKA_SENSITIVE, &t->no, sizeof(t->no)};
    t->attrs[4] = (CK_ATTRIBUTE){CKA_EXTRACTABLE, &t->yes, sizeof(t->yes)};
    t->attrs[5] = (CK_ATTRIBUTE){CKA_TOKEN, &t->no, sizeof(t->no)};
}

/* C_DeriveKey into a session object, or a token object where the module
 * refuses session objects. */
static CK_RV derive_secret(ecdh_ctx *ctx, p11prov_session *session,
                           CK_OBJECT_HANDLE *secret)
{
    unsigned char point[MAX_POINT];
    size_t point_len = 0;
    CK_ECDH1_DERIVE_PARAMS params = {.kdf = CKD_NULL};
    CK_MECHANISM mech = {CKM_ECDH1_DERIVE, &params, sizeof(params)};
    secret_template t;
    CK_RV rv;

    if (!EVP_PKEY_get_octet_string_param(ctx->peer->public_key,
                                         OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                         point, sizeof(point), &point_len))
        return CKR_DOMAIN_PARAMS_INVALID;
    params.public_data = point;
    params.public_data_len = point_len;
    secret_template_init(&t, secret_size(ctx));
    rv = p11prov_call_derive(session, &mech, ctx->key->handle, t.attrs, 6,
                             secret, P11PROV_SITE);
    if (rv == CKR_ATTRIBUTE_VALUE_INVALID || rv == CKR_TEMPLATE_INCONSISTENT) {
        t.attrs[5].pValue = &t.yes;
        rv = p11prov_call_derive(session, &mech, ctx->key->handle, t.attrs, 6,
                                 secret, P11PROV_SITE);
    }
    return rv;
}

/* Reads the derived secret's value into out (outlen bytes at most) and
 * destroys the object. */
static CK_RV read_secret(p11prov_session *session, CK_OBJECT_HANDLE secret,
                         unsigned char *out, size_t outlen, size_t *written)
{
    CK_BYTE *value = NULL;
    CK_ULONG len = 0;
    CK_RV rv = p11prov_call_attribute(session, secret, CKA_VALUE, &value, &len,
                                      P11PROV_SITE);

    if (rv == CKR_OK) {
        *written = len < outlen ? len : outlen;
        memcpy(out, value, *written);
        OPENSSL_cleanse(value, len);
    }
    free(value);
    p11prov_call_destroy(session, secret, P11PROV_SITE);
    return rv;
}

/* The agreement of a local key with the peer, in OpenSSL's default
 * provider (which checks that the peer's point is on the curve). */
static int derive_local(ecdh_ctx *ctx, unsigned char *secret, size_t *secretlen,
                        size_t outlen)
{
    EVP_PKEY_CTX *dctx = EVP_PKEY_CTX_new_from_pkey(
        ctx->provctx->libctx, ctx->key->public_key, P11PROV_INTERNAL_PROPQ);
    int ok;

    *secretlen = outlen;
    ok = dctx != NULL && EVP_PKEY_derive_init(dctx) > 0 &&
         EVP_PKEY_derive_set_peer(dctx, ctx->peer->public_key) > 0 &&
         EVP_PKEY_derive(dctx, secret, secretlen) > 0;
    EVP_PKEY_CTX_free(dctx);
    if (!ok)
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      WHAT " with a key in memory failed: the peer's point "
                           "is not on the curve, or the output is too small");
    return ok;
}

static int ecdh_derive(void *vctx, unsigned char *secret, size_t *secretlen,
                       size_t outlen)
{
    ecdh_ctx *ctx = vctx;
    p11prov_session *session;
    CK_OBJECT_HANDLE derived = CK_INVALID_HANDLE;
    CK_RV rv;

    if (ctx->key == NULL || ctx->peer == NULL) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      WHAT " needs a key and a peer key");
        return 0;
    }
    if (secret == NULL) {
        *secretlen = secret_size(ctx);
        return 1;
    }
    if (ctx->key->local)
        return derive_local(ctx, secret, secretlen, outlen);
    if ((session = p11prov_op_session(ctx->key)) == NULL)
        return 0;
    rv = derive_secret(ctx, session, &derived);
    if (rv == CKR_OK)
        rv = read_secret(session, derived, secret, outlen, secretlen);
    p11prov_session_end(session, rv);
    if (rv != CKR_OK)
        p11prov_op_raise(ctx->key, rv, WHAT);
    return rv == CKR_OK;
}

/* Only what OpenSSL's ECDH does without a KDF: no KDF is the default, and
 * the one kind taken. */
static int ecdh_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
    ecdh_ctx *ctx = vctx;
    const OSSL_PARAM *p =
        OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_KDF_TYPE);
    const char *kdf = NULL;

    if (p == NULL)
        return 1;
    if (OSSL_PARAM_get_utf8_string_ptr(p, &kdf) && kdf[0] == '\0')
        return 1;
    p11prov_raise(ctx->provctx, P11PROV_R_UNSUPPORTED,
                  WHAT ": only the plain shared secret (no KDF) is offered");
    return 0;
}

static const OSSL_PARAM *ecdh_settable_ctx_params(void *vctx, void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_TYPE, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)vctx;
    (void)provctx;
    return params;
}

const OSSL_DISPATCH p11prov_ecdh_exchange_functions[] = {
    {OSSL_FUNC_KEYEXCH_NEWCTX, (void (*)(void))ecdh_newctx},
    {OSSL_FUNC_KEYEXCH_INIT, (void (*)(void))ecdh_init},
    {OSSL_FUNC_KEYEXCH_SET_PEER, (void (*)(void))ecdh_set_peer},
    {OSSL_FUNC_KEYEXCH_DERIVE, (void (*)(void))ecdh_derive},
    {OSSL_FUNC_KEYEXCH_FREECTX, (void (*)(void))ecdh_freectx},
    {OSSL_FUNC_KEYEXCH_DUPCTX, (void (*)(void))ecdh_dupctx},
    {OSSL_FUNC_KEYEXCH_SET_CTX_PARAMS, (void (*)(void))ecdh_set_ctx_params},
    {OSSL_FUNC_KEYEXCH_SETTABLE_CTX_PARAMS,
     (void (*)(void))ecdh_settable_ctx_params},
    {0, NULL},
};
