/* SPDX-License-Identifier: Apache-2.0 */
/* Key references: what the token holds, and its public half, read once. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <p11-kit/p11-kit.h>

#include "provider.h"
#include "kmip/process.h"

#define ATTR(type, ptr)                                                        \
    {                                                                          \
        (type), (ptr), sizeof(*(ptr))                                          \
    }

static EVP_PKEY *pkey_from_params(p11prov_ctx *ctx, const char *type,
                                  OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *pctx =
        EVP_PKEY_CTX_new_from_name(ctx->libctx, type, P11PROV_INTERNAL_PROPQ);
    EVP_PKEY *pkey = NULL;

    if (params == NULL || pctx == NULL || EVP_PKEY_fromdata_init(pctx) <= 0 ||
        EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_public(p11prov_ctx *ctx, p11prov_session *session,
                            CK_OBJECT_HANDLE object)
{
    CK_BYTE *n = NULL, *e = NULL;
    CK_ULONG n_len, e_len;
    BIGNUM *bn_n = NULL, *bn_e = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pkey = NULL;

    if (bld != NULL &&
        p11prov_call_attribute(session, object, CKA_MODULUS, &n, &n_len,
                               P11PROV_SITE) == CKR_OK &&
        p11prov_call_attribute(session, object, CKA_PUBLIC_EXPONENT, &e, &e_len,
                               P11PROV_SITE) == CKR_OK &&
        (bn_n = BN_bin2bn(n, (int)n_len, NULL)) != NULL &&
        (bn_e = BN_bin2bn(e, (int)e_len, NULL)) != NULL &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
        pkey = pkey_from_params(ctx, "RSA", bld);
    BN_free(bn_n);
    BN_free(bn_e);
    free(n);
    free(e);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

/* CKA_EC_POINT is a DER OCTET STRING around the point (some tokens give
 * the bare point); CKA_EC_PARAMS is the named curve's DER OID. */
static EVP_PKEY *ec_public(p11prov_ctx *ctx, p11prov_session *session,
                           CK_OBJECT_HANDLE object)
{
    CK_BYTE *params = NULL, *point = NULL;
    CK_ULONG params_len, point_len;
    const unsigned char *p;
    ASN1_OBJECT *oid = NULL;
    ASN1_OCTET_STRING *octets = NULL;
    const char *group;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pkey = NULL;

    if (bld == NULL ||
        p11prov_call_attribute(session, object, CKA_EC_PARAMS, &params,
                               &params_len, P11PROV_SITE) != CKR_OK ||
        p11prov_call_attribute(session, object, CKA_EC_POINT, &point,
                               &point_len, P11PROV_SITE) != CKR_OK)
        goto done;
    p = params;
    oid = d2i_ASN1_OBJECT(NULL, &p, (long)params_len);
    group = oid != NULL ? OSSL_EC_curve_nid2name(OBJ_obj2nid(oid)) : NULL;
    if (group == NULL)
        goto done;
    p = point;
    octets = d2i_ASN1_OCTET_STRING(NULL, &p, (long)point_len);
    if (octets != NULL && p == point + point_len) {
        if (!OSSL_PARAM_BLD_push_octet_string(
                bld, OSSL_PKEY_PARAM_PUB_KEY, ASN1_STRING_get0_data(octets),
                (size_t)ASN1_STRING_length(octets)))
            goto done;
    } else if (!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                                 point, point_len)) {
        goto done;
    }
    if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                        0))
        pkey = pkey_from_params(ctx, "EC", bld);
done:
    ASN1_OCTET_STRING_free(octets);
    ASN1_OBJECT_free(oid);
    free(params);
    free(point);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

/* The OpenSSL key type an Edwards key's CKA_EC_PARAMS names: the curve
 * OID, or the PrintableString PKCS#11 3.0 also allows. NULL otherwise. */
static const char *edwards_type(const CK_BYTE *params, CK_ULONG len)
{
    static const struct {
        int nid;
        const char *name;
    } curves[] = {{NID_ED25519, "edwards25519"}, {NID_ED448, "edwards448"}};
    const unsigned char *p = params;
    ASN1_OBJECT *oid = d2i_ASN1_OBJECT(NULL, &p, (long)len);
    int nid = oid != NULL ? OBJ_obj2nid(oid) : NID_undef;
    ASN1_OBJECT_free(oid);
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
        size_t name_len = strlen(curves[i].name);
        if (nid == curves[i].nid ||
            (len == name_len + 2 && params[0] == V_ASN1_PRINTABLESTRING &&
             params[1] == name_len &&
             memcmp(params + 2, curves[i].name, name_len) == 0))
            return OBJ_nid2sn(curves[i].nid);
    }
    return NULL;
}

/* An Edwards key from CKA_EC_PARAMS and CKA_EC_POINT (the public key in
 * a DER OCTET STRING). */
static EVP_PKEY *edwards_public(p11prov_ctx *ctx, p11prov_session *session,
                                CK_OBJECT_HANDLE object)
{
    CK_BYTE *params = NULL, *point = NULL;
    CK_ULONG params_len, point_len;
    const unsigned char *p;
    ASN1_OCTET_STRING *octets = NULL;
    const char *type = NULL;
    EVP_PKEY *pkey = NULL;

    if (p11prov_call_attribute(session, object, CKA_EC_PARAMS, &params,
                               &params_len, P11PROV_SITE) == CKR_OK &&
        p11prov_call_attribute(session, object, CKA_EC_POINT, &point,
                               &point_len, P11PROV_SITE) == CKR_OK)
        type = edwards_type(params, params_len);
    p = point;
    if (type != NULL)
        octets = d2i_ASN1_OCTET_STRING(NULL, &p, (long)point_len);
    if (octets != NULL && p == point + point_len)
        pkey = EVP_PKEY_new_raw_public_key_ex(
            ctx->libctx, type, P11PROV_INTERNAL_PROPQ,
            ASN1_STRING_get0_data(octets), (size_t)ASN1_STRING_length(octets));
    ASN1_OCTET_STRING_free(octets);
    free(params);
    free(point);
    return pkey;
}

static EVP_PKEY *certificate_public(p11prov_ctx *ctx, p11prov_session *session,
                                    CK_OBJECT_HANDLE object)
{
    CK_BYTE *der = NULL;
    CK_ULONG len;
    const unsigned char *p;
    X509 *cert;
    EVP_PKEY *pkey = NULL;

    if (p11prov_call_attribute(session, object, CKA_VALUE, &der, &len,
                               P11PROV_SITE) != CKR_OK)
        return NULL;
    p = der;
    cert = d2i_X509(NULL, &p, (long)len);
    if (cert != NULL)
        pkey = X509_get_pubkey(cert);
    X509_free(cert);
    free(der);
    (void)ctx;
    return pkey;
}

static EVP_PKEY *public_of_object(p11prov_ctx *ctx, p11prov_session *session,
                                  CK_OBJECT_HANDLE object,
                                  CK_OBJECT_CLASS object_class,
                                  CK_KEY_TYPE key_type)
{
    if (object_class == CKO_CERTIFICATE)
        return certificate_public(ctx, session, object);
    if (key_type == CKK_RSA)
        return rsa_public(ctx, session, object);
    if (key_type == CKK_EC)
        return ec_public(ctx, session, object);
    if (key_type == CKK_EC_EDWARDS)
        return edwards_public(ctx, session, object);
    return NULL;
}

/* The first object of object_class with CKA_ID id; *found is
 * CK_INVALID_HANDLE when there is none. The search's rv. */
static CK_RV find_by_id(p11prov_session *session, CK_OBJECT_CLASS object_class,
                        const CK_BYTE *id, CK_ULONG id_len,
                        CK_OBJECT_HANDLE *found)
{
    CK_ATTRIBUTE template[] = {ATTR(CKA_CLASS, &object_class),
                               {CKA_ID, (void *)id, id_len}};
    CK_ULONG count = 0;
    CK_RV rv =
        p11prov_call_find(session, template, 2, found, 1, &count, P11PROV_SITE);

    if (count == 0)
        *found = CK_INVALID_HANDLE;
    return rv;
}

/* A private key's public half: its own public attributes (p11core gives
 * them to every private key), else the public key or the certificate with
 * the same CKA_ID: PKCS#11 does not require a private key to carry its
 * public attributes, and SoftHSM2's EC private keys have no CKA_EC_POINT
 * (its RSA private keys do have CKA_MODULUS and CKA_PUBLIC_EXPONENT). */
static EVP_PKEY *public_of_private(p11prov_ctx *ctx, p11prov_session *session,
                                   CK_OBJECT_HANDLE object,
                                   CK_KEY_TYPE key_type)
{
    static const CK_OBJECT_CLASS partners[] = {CKO_PUBLIC_KEY, CKO_CERTIFICATE};
    EVP_PKEY *pkey =
        public_of_object(ctx, session, object, CKO_PRIVATE_KEY, key_type);
    CK_OBJECT_HANDLE partner;
    CK_BYTE *id = NULL;
    CK_ULONG len = 0;

    if (pkey != NULL || p11prov_call_attribute(session, object, CKA_ID, &id,
                                               &len, P11PROV_SITE) != CKR_OK)
        return pkey;
    for (size_t i = 0;
         pkey == NULL && i < sizeof(partners) / sizeof(partners[0]); i++) {
        find_by_id(session, partners[i], id, len, &partner);
        if (partner != CK_INVALID_HANDLE)
            pkey =
                public_of_object(ctx, session, partner, partners[i], key_type);
    }
    free(id);
    return pkey;
}

static p11prov_key *key_new(p11prov_ctx *ctx)
{
    p11prov_key *key = calloc(1, sizeof(*key));

    if (key == NULL) {
        p11prov_raise(ctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    key->refcount = 1;
    key->ctx = ctx;
    return key;
}

p11prov_key *p11prov_key_from_object(p11prov_ctx *ctx, p11prov_session *session,
                                     CK_OBJECT_HANDLE handle, const char *uri,
                                     const char *pin)
{
    CK_OBJECT_CLASS object_class;
    CK_KEY_TYPE key_type = CKK_GENERIC_SECRET;
    CK_ULONG value_len = 0;
    CK_ATTRIBUTE class_attr = ATTR(CKA_CLASS, &object_class);
    CK_ATTRIBUTE key_attrs[] = {ATTR(CKA_KEY_TYPE, &key_type)};
    CK_ATTRIBUTE len_attr = ATTR(CKA_VALUE_LEN, &value_len);
    p11prov_key *key;
    CK_RV rv;

    rv = p11prov_call_attributes(session, handle, &class_attr, 1, P11PROV_SITE);
    if (rv == CKR_OK && object_class != CKO_CERTIFICATE)
        rv = p11prov_call_attributes(session, handle, key_attrs, 1,
                                     P11PROV_SITE);
    if (rv != CKR_OK) {
        p11prov_raise_rv(ctx, rv, "reading the key's attributes");
        return NULL;
    }
    key = key_new(ctx);
    if (key == NULL)
        return NULL;
    key->slot = p11prov_session_slot(session);
    key->object_class = object_class;
    key->key_type = key_type;
    if (object_class == CKO_PRIVATE_KEY || object_class == CKO_SECRET_KEY) {
        key->handle = handle;
        key->handle_pid = kmip_process_id();
        if (p11prov_call_attribute(session, handle, CKA_ID, &key->id,
                                   &key->id_len, P11PROV_SITE) != CKR_OK)
            key->id = NULL;
    }
    if (object_class == CKO_PRIVATE_KEY)
        key->public_key = public_of_private(ctx, session, handle, key_type);
    else if (object_class != CKO_SECRET_KEY)
        key->public_key =
            public_of_object(ctx, session, handle, object_class, key_type);
    if (key->public_key != NULL)
        key->bits = (CK_ULONG)EVP_PKEY_get_bits(key->public_key);
    else if (object_class == CKO_SECRET_KEY &&
             p11prov_call_attributes(session, handle, &len_attr, 1,
                                     P11PROV_SITE) == CKR_OK)
        key->bits = value_len * 8;
    if (object_class == CKO_CERTIFICATE && key->public_key != NULL)
        key->key_type = p11prov_key_type_of(key->public_key);
    key->uri = uri != NULL ? strdup(uri) : NULL;
    key->pin = pin != NULL ? OPENSSL_strdup(pin) : NULL;
    if ((object_class != CKO_SECRET_KEY && key->public_key == NULL) ||
        (uri != NULL && key->uri == NULL) ||
        (pin != NULL && key->pin == NULL)) {
        p11prov_raise(ctx, P11PROV_R_TOKEN,
                      "%s: the token gives no public key for this object",
                      uri != NULL ? uri : "key");
        p11prov_key_free(key);
        return NULL;
    }
    return key;
}

CK_KEY_TYPE p11prov_key_type_of(const EVP_PKEY *pkey)
{
    if (EVP_PKEY_is_a(pkey, "ED25519") || EVP_PKEY_is_a(pkey, "ED448"))
        return CKK_EC_EDWARDS;
    return EVP_PKEY_is_a(pkey, "EC") ? (CK_KEY_TYPE)CKK_EC
                                     : (CK_KEY_TYPE)CKK_RSA;
}

const char *p11prov_key_data_type(const p11prov_key *key)
{
    if (key->key_type == CKK_EC)
        return "EC";
    if (key->key_type == CKK_EC_EDWARDS)
        return EVP_PKEY_get0_type_name(key->public_key);
    return EVP_PKEY_is_a(key->public_key, "RSA-PSS") ? "RSA-PSS" : "RSA";
}

p11prov_key *p11prov_key_from_public(p11prov_ctx *ctx, EVP_PKEY *pkey)
{
    p11prov_key *key = key_new(ctx);

    if (key == NULL)
        return NULL;
    key->object_class = CKO_PUBLIC_KEY;
    key->key_type = p11prov_key_type_of(pkey);
    key->public_key = pkey;
    key->bits = (CK_ULONG)EVP_PKEY_get_bits(pkey);
    return key;
}

CK_OBJECT_HANDLE p11prov_key_object(p11prov_key *key, p11prov_session *session)
{
    pid_t pid = kmip_process_id();
    const char *uri = key->uri != NULL ? key->uri : "the key";
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_RV rv = CKR_OK;

    if (__atomic_load_n(&key->handle_pid, __ATOMIC_ACQUIRE) == pid)
        return key->handle;
    if (key->id != NULL)
        rv = find_by_id(session, key->object_class, key->id, key->id_len,
                        &found);
    if (rv != CKR_OK) {
        /* The token could not be asked (a connection, a credential): not
         * the same as a key that is gone. */
        p11prov_raise(key->ctx, p11prov_ckr_reason(rv),
                      "%s: the token on slot %lu could not be searched for "
                      "the key: %s (%s); the module's log says why",
                      uri, (unsigned long)key->slot, p11_kit_strerror(rv),
                      p11prov_ckr_name(rv));
        return CK_INVALID_HANDLE;
    }
    if (found == CK_INVALID_HANDLE) {
        p11prov_raise(key->ctx, P11PROV_R_NOT_FOUND,
                      "%s: the key is no longer on the token (slot %lu)", uri,
                      (unsigned long)key->slot);
        return CK_INVALID_HANDLE;
    }
    key->handle = found;
    __atomic_store_n(&key->handle_pid, pid, __ATOMIC_RELEASE);
    return found;
}

p11prov_key *p11prov_key_ref(p11prov_key *key)
{
    __atomic_add_fetch(&key->refcount, 1, __ATOMIC_RELAXED);
    return key;
}

void p11prov_key_free(p11prov_key *key)
{
    if (key == NULL ||
        __atomic_sub_fetch(&key->refcount, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    EVP_PKEY_free(key->public_key);
    free(key->id);
    free(key->uri);
    if (key->pin != NULL)
        OPENSSL_clear_free(key->pin, strlen(key->pin));
    free(key);
}
