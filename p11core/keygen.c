/* SPDX-License-Identifier: Apache-2.0 */
/* C_GenerateKey (AES, generic secret) and C_GenerateKeyPair (RSA, EC,
 * Edwards, Montgomery):
 * Create / Create Key Pair and Activate in one batch. */
#include "core.h"

#include <string.h>

#include <openssl/objects.h>

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "eddsa.h"
#include "new_object.h"

/* The key type a generation mechanism makes, or CKR_MECHANISM_INVALID. */
static CK_RV mechanism_key_type(p11_session *session,
                                const CK_MECHANISM *mechanism, CK_FLAGS flag,
                                CK_KEY_TYPE *key_type)
{
    static const struct {
        CK_MECHANISM_TYPE mechanism;
        CK_KEY_TYPE key_type;
    } makes[] = {
        {CKM_AES_KEY_GEN, CKK_AES},
        {CKM_GENERIC_SECRET_KEY_GEN, CKK_GENERIC_SECRET},
        {CKM_RSA_PKCS_KEY_PAIR_GEN, CKK_RSA},
        {CKM_EC_KEY_PAIR_GEN, CKK_EC},
        {CKM_EC_EDWARDS_KEY_PAIR_GEN, CKK_EC_EDWARDS},
        {CKM_EC_MONTGOMERY_KEY_PAIR_GEN, CKK_EC_MONTGOMERY},
    };

    if (mechanism == NULL)
        return CKR_ARGUMENTS_BAD;
    if (!p11_mechanism_offered(&session->slot->server, mechanism->mechanism,
                               flag))
        return CKR_MECHANISM_INVALID;
    if (mechanism->pParameter != NULL || mechanism->ulParameterLen != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    for (size_t i = 0; i < sizeof(makes) / sizeof(makes[0]); i++) {
        if (makes[i].mechanism == mechanism->mechanism) {
            *key_type = makes[i].key_type;
            return CKR_OK;
        }
    }
    return CKR_MECHANISM_INVALID;
}

/* A key size the mechanism's table entry allows. */
/* out_of_range: what a size outside mechanism's range gives (a key
 * length attribute's value, or the RSA modulus' size). */
static CK_RV check_size(CK_MECHANISM_TYPE mechanism, CK_ULONG size,
                        CK_RV out_of_range)
{
    const struct p11_mechanism *info = p11_mechanism_find(mechanism);

    return size >= info->min_key_size && size <= info->max_key_size
               ? CKR_OK
               : out_of_range;
}

/* The generation mechanism whose key sizes bound a secret key type. */
static CK_MECHANISM_TYPE size_mechanism(CK_KEY_TYPE key_type)
{
    return key_type == CKK_AES ? CKM_AES_KEY_GEN : CKM_GENERIC_SECRET_KEY_GEN;
}

/* Algorithm and length for a new secret key of templ. */
static CK_RV secret_attrs(CK_KEY_TYPE key_type, const CK_ATTRIBUTE *templ,
                          CK_ULONG count, kmip_item *attrs)
{
    CK_ULONG bytes;
    CK_RV rv = p11_template_ulong(templ, count, CKA_VALUE_LEN, &bytes);

    if (rv == CKR_OK && key_type == CKK_AES && bytes != 16 && bytes != 24 &&
        bytes != 32)
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    if (rv == CKR_OK)
        rv = check_size(size_mechanism(key_type), bytes,
                        CKR_ATTRIBUTE_VALUE_INVALID);
    if (rv == CKR_OK &&
        (kmip_attrs_add_algorithm(attrs, p11_kmip_algorithm(key_type)) ==
             NULL ||
         kmip_attrs_add_length(attrs, (int32_t)(bytes * 8)) == NULL))
        rv = CKR_HOST_MEMORY;
    return rv;
}

CK_RV p11_secret_key_attrs(CK_KEY_TYPE key_type, const CK_ATTRIBUTE *templ,
                           CK_ULONG count, p11_template_phase phase,
                           unsigned extras, kmip_item **out)
{
    kmip_item *attrs = NULL;
    CK_RV rv =
        p11_template_validate(templ, count, CKO_SECRET_KEY, key_type, phase);

    if (rv == CKR_OK) {
        attrs = kmip_attrs_new();
        rv = attrs != NULL ? secret_attrs(key_type, templ, count, attrs)
                           : CKR_HOST_MEMORY;
    }
    if (rv == CKR_OK)
        rv = p11_template_kmip_attrs(templ, count, CKO_SECRET_KEY, key_type,
                                     extras, attrs);
    if (rv != CKR_OK) {
        kmip_item_free(attrs);
        attrs = NULL;
    }
    *out = attrs;
    return rv;
}

typedef struct key_request {
    CK_KEY_TYPE key_type;
    const CK_ATTRIBUTE *templ;
    CK_ULONG count;
    CK_OBJECT_HANDLE *handle;
} key_request;

/* p11_create_fn for a secret key (args: a key_request). */
static p11_reply generate_key_once(p11_session *session, void *args,
                                   unsigned extras)
{
    const key_request *request = args;
    kmip_item *attrs = NULL;
    kmip_version version;
    CK_RV rv = p11_secret_key_attrs(request->key_type, request->templ,
                                    request->count, P11_TEMPLATE_GENERATE,
                                    extras | P11_MARK_LOCAL, &attrs);

    if (rv == CKR_OK)
        rv = p11_kmip_version(session, &version);
    p11_reply reply = p11_reply_local(rv);
    if (rv == CKR_OK) {
        kmip_create_args create = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs, 0};

        reply = p11_make_object(session, version, KMIP_OPERATION_CREATE,
                                kmip_create_request(version, &create),
                                request->handle);
    }
    kmip_item_free(attrs);
    return reply;
}

static CK_RV generate_key(p11_session *session, const CK_MECHANISM *mechanism,
                          const CK_ATTRIBUTE *templ, CK_ULONG count,
                          CK_OBJECT_HANDLE *handle)
{
    key_request request = {0, templ, count, handle};
    CK_RV rv =
        mechanism_key_type(session, mechanism, CKF_GENERATE, &request.key_type);

    /* The mechanism before the session's state, as the standard orders. */
    if (rv == CKR_OK)
        rv = p11_create_check(session, templ, count);
    if (rv != CKR_OK)
        return rv;
    /* Custom attributes wanted for CKA_LOCAL at least. */
    return p11_mechanism_answer(
        &session->slot->server, mechanism->mechanism, CKF_GENERATE,
        p11_create_with_extras(session, true, generate_key_once, &request));
}

P11_EXPORT CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession,
                               CK_MECHANISM_PTR pMechanism,
                               CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                               CK_OBJECT_HANDLE_PTR phKey)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if ((pTemplate == NULL && ulCount > 0) || phKey == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = generate_key(session, pMechanism, pTemplate, ulCount, phKey);
    p11_session_release(session);
    return rv;
}

/* ---- Key pairs ---- */

/* The only public exponent KMIP servers generate with. */
static bool is_f4(const CK_ATTRIBUTE *exponent)
{
    const uint8_t *bytes = exponent->pValue;
    size_t len = exponent->ulValueLen;

    while (len > 0 && bytes[0] == 0) {
        bytes++;
        len--;
    }
    return len == 3 && bytes[0] == 1 && bytes[1] == 0 && bytes[2] == 1;
}

static CK_RV rsa_attrs(const CK_ATTRIBUTE *templ, CK_ULONG count,
                       kmip_item *common)
{
    const CK_ATTRIBUTE *exponent =
        p11_template_find(templ, count, CKA_PUBLIC_EXPONENT);
    CK_ULONG bits;
    CK_RV rv = p11_template_ulong(templ, count, CKA_MODULUS_BITS, &bits);

    if (rv == CKR_OK)
        rv = check_size(CKM_RSA_PKCS_KEY_PAIR_GEN, bits, CKR_KEY_SIZE_RANGE);
    if (rv == CKR_OK && exponent != NULL &&
        (exponent->pValue == NULL || !is_f4(exponent)))
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    if (rv == CKR_OK && kmip_attrs_add_length(common, (int32_t)bits) == NULL)
        rv = CKR_HOST_MEMORY;
    return rv;
}

static const struct {
    int nid;
    uint32_t curve;
    int32_t bits;
} curves[] = {
    {NID_X9_62_prime256v1, KMIP_RECOMMENDED_CURVE_P_256, 256},
    {NID_secp384r1, KMIP_RECOMMENDED_CURVE_P_384, 384},
    {NID_secp521r1, KMIP_RECOMMENDED_CURVE_P_521, 521},
};

/* The Recommended Curve (in Cryptographic Domain Parameters) and the
 * length of a new key pair. */
static CK_RV add_curve(kmip_item *common, uint32_t curve, int32_t bits)
{
    kmip_item *domain =
        kmip_add_structure(common, KMIP_TAG_CRYPTOGRAPHIC_DOMAIN_PARAMETERS);

    return kmip_add_enum(domain, KMIP_TAG_RECOMMENDED_CURVE, curve) == NULL ||
                   kmip_attrs_add_length(common, bits) == NULL
               ? CKR_HOST_MEMORY
               : CKR_OK;
}

static CK_RV ec_attrs(const CK_ATTRIBUTE *templ, CK_ULONG count,
                      kmip_item *common)
{
    const CK_ATTRIBUTE *params = p11_template_find(templ, count, CKA_EC_PARAMS);
    int nid;

    if (params == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    nid = params->pValue != NULL
              ? p11_ec_params_nid(params->pValue, params->ulValueLen)
              : NID_undef;
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
        if (curves[i].nid != nid)
            continue;
        return add_curve(common, curves[i].curve, curves[i].bits);
    }
    return CKR_ATTRIBUTE_VALUE_INVALID; /* a curve this module lacks */
}

/* The Edwards or Montgomery curve a CKA_EC_PARAMS names, as the KMIP
 * algorithm in *algorithm and, for Montgomery curves, whose KMIP
 * algorithm (ECDH) does not name one, the Recommended Curve and length in
 * common. */
static CK_RV raw_curve_attrs(CK_KEY_TYPE key_type, const CK_ATTRIBUTE *templ,
                             CK_ULONG count, uint32_t *algorithm,
                             kmip_item *common)
{
    const CK_ATTRIBUTE *params = p11_template_find(templ, count, CKA_EC_PARAMS);
    const p11_raw_curve *curve;

    if (params == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    curve =
        p11_raw_curve_of_params(key_type, params->pValue, params->ulValueLen);
    if (curve == NULL)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    *algorithm = curve->algorithm;
    return curve->kmip_curve != 0
               ? add_curve(common, curve->kmip_curve, curve->bits)
               : CKR_OK;
}

typedef struct pair_templates {
    const CK_ATTRIBUTE *pub;
    CK_ULONG pub_count;
    const CK_ATTRIBUTE *priv;
    CK_ULONG priv_count;
} pair_templates;

/* The checked templates' common attributes of Create Key Pair. */
static CK_RV pair_common(CK_KEY_TYPE key_type, const pair_templates *t,
                         kmip_item *common)
{
    CK_RV rv = p11_template_validate(t->pub, t->pub_count, CKO_PUBLIC_KEY,
                                     key_type, P11_TEMPLATE_GENERATE);
    uint32_t algorithm = p11_kmip_algorithm(key_type);

    if (rv == CKR_OK)
        rv = p11_template_validate(t->priv, t->priv_count, CKO_PRIVATE_KEY,
                                   key_type, P11_TEMPLATE_GENERATE);
    if (rv == CKR_OK)
        rv = key_type == CKK_RSA ? rsa_attrs(t->pub, t->pub_count, common)
             : key_type == CKK_EC
                 ? ec_attrs(t->pub, t->pub_count, common)
                 : raw_curve_attrs(key_type, t->pub, t->pub_count, &algorithm,
                                   common);
    if (rv == CKR_OK && kmip_attrs_add_algorithm(common, algorithm) == NULL)
        rv = CKR_HOST_MEMORY;
    return rv;
}

/* The private and public key attributes of Create Key Pair. */
static CK_RV pair_attrs(CK_KEY_TYPE key_type, const pair_templates *t,
                        unsigned extras, kmip_item *priv, kmip_item *pub)
{
    CK_RV rv = p11_template_kmip_attrs(t->pub, t->pub_count, CKO_PUBLIC_KEY,
                                       key_type, extras, pub);

    if (rv == CKR_OK)
        rv = p11_template_kmip_attrs(t->priv, t->priv_count, CKO_PRIVATE_KEY,
                                     key_type, extras, priv);
    return rv;
}

typedef struct pair_request {
    CK_KEY_TYPE key_type;
    const pair_templates *t;
    CK_OBJECT_HANDLE *pub;
    CK_OBJECT_HANDLE *priv;
} pair_request;

/* p11_create_fn for a key pair (args: a pair_request). */
static p11_reply generate_pair_once(p11_session *session, void *args,
                                    unsigned extras)
{
    const pair_request *request = args;
    const pair_templates *t = request->t;
    CK_KEY_TYPE key_type = request->key_type;
    kmip_item *common = kmip_attrs_new();
    kmip_item *priv_attrs = kmip_attrs_new();
    kmip_item *pub_attrs = kmip_attrs_new();
    kmip_response *resp = NULL;
    const kmip_item *payload;
    kmip_create_key_pair_result result;
    kmip_version version;
    CK_RV rv = common == NULL || priv_attrs == NULL || pub_attrs == NULL
                   ? CKR_HOST_MEMORY
                   : CKR_OK;

    if (rv == CKR_OK)
        rv = pair_common(key_type, t, common);
    if (rv == CKR_OK)
        rv = pair_attrs(key_type, t, extras | P11_MARK_LOCAL, priv_attrs,
                        pub_attrs);
    if (rv == CKR_OK)
        rv = p11_kmip_version(session, &version);
    p11_reply reply = p11_reply_local(rv);
    if (rv == CKR_OK) {
        kmip_create_key_pair_args create = {common, priv_attrs, pub_attrs};

        reply = p11_create_and_activate(
            session, version, KMIP_OPERATION_CREATE_KEY_PAIR,
            kmip_create_key_pair_request(version, &create), &resp, &payload);
        rv = reply.rv;
    }
    if (rv == CKR_OK &&
        kmip_create_key_pair_response(payload, &result, NULL) != KMIP_OK)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        p11_keep_public_half(session, version, result.private_uid,
                             result.public_uid, 0);
    if (rv == CKR_OK)
        rv = p11_new_handle(session, result.public_uid, request->pub);
    if (rv == CKR_OK)
        rv = p11_new_handle(session, result.private_uid, request->priv);
    kmip_response_free(resp);
    kmip_item_free(common);
    kmip_item_free(priv_attrs);
    kmip_item_free(pub_attrs);
    reply.rv = rv;
    return reply;
}

static CK_RV generate_pair(p11_session *session, const CK_MECHANISM *mechanism,
                           const pair_templates *t, CK_OBJECT_HANDLE *pub,
                           CK_OBJECT_HANDLE *priv)
{
    pair_request request = {0, t, pub, priv};
    CK_RV rv = mechanism_key_type(session, mechanism, CKF_GENERATE_KEY_PAIR,
                                  &request.key_type);

    /* A read-only session makes a pair of session objects only. */
    if (rv == CKR_OK)
        rv = p11_create_check(session, t->pub, t->pub_count);
    if (rv == CKR_OK)
        rv = p11_create_check(session, t->priv, t->priv_count);
    if (rv != CKR_OK)
        return rv;
    return p11_mechanism_answer(
        &session->slot->server, mechanism->mechanism, CKF_GENERATE_KEY_PAIR,
        p11_create_with_extras(session, true, generate_pair_once, &request));
}

P11_EXPORT CK_RV C_GenerateKeyPair(
    CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
    CK_ATTRIBUTE_PTR pPublicKeyTemplate, CK_ULONG ulPublicKeyAttributeCount,
    CK_ATTRIBUTE_PTR pPrivateKeyTemplate, CK_ULONG ulPrivateKeyAttributeCount,
    CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey)
{
    pair_templates t = {pPublicKeyTemplate, ulPublicKeyAttributeCount,
                        pPrivateKeyTemplate, ulPrivateKeyAttributeCount};
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if ((t.pub == NULL && t.pub_count > 0) ||
        (t.priv == NULL && t.priv_count > 0) || phPublicKey == NULL ||
        phPrivateKey == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = generate_pair(session, pMechanism, &t, phPublicKey, phPrivateKey);
    p11_session_release(session);
    return rv;
}
