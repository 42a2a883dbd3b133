/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/params.h>

#include "keymgmt.h"

void *keymgmt_new(void *provctx)
{
    p11prov_key *key = calloc(1, sizeof(*key));

    if (key != NULL) {
        key->refcount = 1;
        key->ctx = provctx;
        key->object_class = CKO_PUBLIC_KEY;
    }
    return key;
}

void keymgmt_free(void *keydata)
{
    p11prov_key_free(keydata);
}

void *keymgmt_load(const void *reference, size_t reference_sz)
{
    p11prov_key *key;

    if (reference_sz != sizeof(key))
        return NULL;
    memcpy(&key, reference, sizeof(key));
    return p11prov_key_ref(key);
}

int keymgmt_has(const void *keydata, int selection)
{
    const p11prov_key *key = keydata;

    if (key == NULL)
        return 0;
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) &&
        key->handle == CK_INVALID_HANDLE)
        return 0;
    if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) && key->public_key == NULL)
        return 0;
    return 1;
}

int keymgmt_match(const void *keydata1, const void *keydata2, int selection)
{
    const p11prov_key *a = keydata1, *b = keydata2;

    if (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) {
        /* Two references to one token object, or to the same public key
         * (a private key is known by its public half). */
        if (a->handle != CK_INVALID_HANDLE && a->slot == b->slot &&
            a->handle == b->handle)
            return 1;
    }
    if (a->public_key == NULL || b->public_key == NULL)
        return 0;
    return EVP_PKEY_eq(a->public_key, b->public_key) == 1;
}

int keymgmt_get_params(void *keydata, OSSL_PARAM params[])
{
    p11prov_key *key = keydata;

    if (key->public_key == NULL)
        return 0;
    return EVP_PKEY_get_params(key->public_key, params);
}

const OSSL_PARAM *keymgmt_gettable_params(void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, NULL),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, NULL),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, NULL),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, NULL, 0),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)provctx;
    return params;
}

int keymgmt_import(void *keydata, int selection, const OSSL_PARAM params[],
                   const char *algorithm)
{
    p11prov_key *key = keydata;
    EVP_PKEY_CTX *pctx;
    EVP_PKEY *pkey = NULL;

    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) ||
        key->public_key != NULL)
        return 0;
    pctx = EVP_PKEY_CTX_new_from_name(key->ctx->libctx, algorithm,
                                      P11PROV_INTERNAL_PROPQ);
    if (pctx != NULL && EVP_PKEY_fromdata_init(pctx) > 0 &&
        EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_PUBLIC_KEY,
                          (OSSL_PARAM *)params) > 0) {
        key->public_key = pkey;
        key->key_type = p11prov_key_type_of(pkey);
        key->bits = (CK_ULONG)EVP_PKEY_get_bits(pkey);
    }
    EVP_PKEY_CTX_free(pctx);
    return key->public_key != NULL;
}

int keymgmt_export(void *keydata, int selection, OSSL_CALLBACK *param_cb,
                   void *cbarg)
{
    p11prov_key *key = keydata;
    OSSL_PARAM *params = NULL;
    int ok;

    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) ||
        key->public_key == NULL)
        return 0;
    if (EVP_PKEY_todata(key->public_key, EVP_PKEY_PUBLIC_KEY, &params) <= 0)
        return 0;
    ok = param_cb(params, cbarg);
    OSSL_PARAM_free(params);
    return ok;
}

keygen_ctx *keymgmt_gen_init(void *provctx, CK_KEY_TYPE key_type,
                             const char *algorithm)
{
    keygen_ctx *gen = calloc(1, sizeof(*gen));

    if (gen == NULL)
        return NULL;
    gen->ctx = provctx;
    gen->key_type = key_type;
    gen->algorithm = algorithm;
    gen->bits = 2048;
    gen->exponent[0] = 0x01;
    gen->exponent[1] = 0x00;
    gen->exponent[2] = 0x01;
    gen->exponent_len = 3;
    return gen;
}

int keymgmt_gen_set_common_params(keygen_ctx *gen, const OSSL_PARAM params[])
{
    const OSSL_PARAM *p = OSSL_PARAM_locate_const(params, P11PROV_PARAM_URI);
    char *uri = NULL;

    if (p == NULL)
        return 1;
    if (!OSSL_PARAM_get_utf8_string(p, &uri, 0))
        return 0;
    free(gen->uri);
    gen->uri = strdup(uri);
    OPENSSL_free(uri);
    return gen->uri != NULL;
}

void keymgmt_gen_cleanup(void *genctx)
{
    keygen_ctx *gen = genctx;

    if (gen == NULL)
        return;
    free(gen->uri);
    free(gen->group);
    free(gen);
}

/* The attribute of type in the URI's template, or NULL. */
static const CK_ATTRIBUTE *uri_attribute(const p11prov_uri *uri,
                                         CK_ATTRIBUTE_TYPE type)
{
    CK_ATTRIBUTE *attrs;
    CK_ULONG n, i;

    p11prov_uri_template(uri, &attrs, &n);
    for (i = 0; i < n; i++) {
        if (attrs[i].type == type)
            return &attrs[i];
    }
    return NULL;
}

/* Fills the two templates for gen; returns the number of public
 * attributes (the private template has a fixed length). */
static CK_ULONG gen_templates(const keygen_ctx *gen, const CK_ATTRIBUTE *label,
                              const CK_ATTRIBUTE *id, CK_BYTE *ec_params,
                              CK_ULONG ec_params_len, CK_ATTRIBUTE *public,
                              CK_ATTRIBUTE *private, CK_ULONG *private_n)
{
    static CK_BBOOL yes = CK_TRUE;
    CK_ULONG n = 0, m = 0;

    public[n++] = (CK_ATTRIBUTE){CKA_TOKEN, &yes, sizeof(yes)};
    public[n++] = (CK_ATTRIBUTE){CKA_VERIFY, &yes, sizeof(yes)};
    private[m++] = (CK_ATTRIBUTE){CKA_TOKEN, &yes, sizeof(yes)};
    private[m++] = (CK_ATTRIBUTE){CKA_PRIVATE, &yes, sizeof(yes)};
    private[m++] = (CK_ATTRIBUTE){CKA_SENSITIVE, &yes, sizeof(yes)};
    private[m++] = (CK_ATTRIBUTE){CKA_SIGN, &yes, sizeof(yes)};
    if (gen->key_type == CKK_RSA) {
        public[n++] = (CK_ATTRIBUTE){CKA_ENCRYPT, &yes, sizeof(yes)};
        public[n++] = (CK_ATTRIBUTE){CKA_MODULUS_BITS, (void *)&gen->bits,
                                     sizeof(gen->bits)};
        public[n++] = (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, (void *)gen->exponent,
                                     gen->exponent_len};
        private[m++] = (CK_ATTRIBUTE){CKA_DECRYPT, &yes, sizeof(yes)};
    } else {
        public[n++] = (CK_ATTRIBUTE){CKA_EC_PARAMS, ec_params, ec_params_len};
    }
    if (label != NULL) {
        public[n++] = *label;
        private[m++] = *label;
    }
    if (id != NULL) {
        public[n++] = *id;
        private[m++] = *id;
    }
    *private_n = m;
    return n;
}

/* The NID of a curve named as OpenSSL accepts it: "P-256", "prime256v1",
 * "secp384r1" or a dotted OID; NID_undef when unknown. */
static int curve_nid(const char *name)
{
    int nid = EC_curve_nist2nid(name);

    if (nid == NID_undef)
        nid = OBJ_txt2nid(name);
    return nid;
}

static p11prov_key *generate(keygen_ctx *gen, const p11prov_uri *uri,
                             CK_SLOT_ID slot)
{
    CK_MECHANISM mechanism = {gen->key_type == CKK_RSA
                                  ? CKM_RSA_PKCS_KEY_PAIR_GEN
                                  : CKM_EC_KEY_PAIR_GEN,
                              NULL, 0};
    const CK_ATTRIBUTE *label = uri_attribute(uri, CKA_LABEL);
    const CK_ATTRIBUTE *id = uri_attribute(uri, CKA_ID);
    CK_ATTRIBUTE public[8], private[8];
    CK_ULONG public_n, private_n;
    CK_OBJECT_HANDLE public_key, private_key;
    CK_BYTE *ec_params = NULL;
    CK_TOKEN_INFO token;
    ASN1_OBJECT *curve = NULL;
    int ec_params_len = 0;
    p11prov_session *session;
    p11prov_key *key = NULL;
    char *key_uri, *label_text = NULL;
    CK_RV rv;

    if (gen->key_type == CKK_EC) {
        curve = gen->group != NULL ? OBJ_nid2obj(curve_nid(gen->group)) : NULL;
        ec_params_len = curve != NULL ? i2d_ASN1_OBJECT(curve, &ec_params) : 0;
        ASN1_OBJECT_free(curve);
        if (ec_params_len <= 0) {
            p11prov_raise(gen->ctx, P11PROV_R_BAD_ARGUMENT,
                          "EC key generation needs a known group, not %s",
                          gen->group != NULL ? gen->group : "none");
            return NULL;
        }
    }
    public_n = gen_templates(gen, label, id, ec_params, (CK_ULONG)ec_params_len,
                             public, private, &private_n);
    session = p11prov_session_get(gen->ctx, slot, p11prov_uri_pin(uri));
    if (session == NULL) {
        OPENSSL_free(ec_params);
        return NULL;
    }
    rv = session->fns->C_GenerateKeyPair(session->handle, &mechanism, public,
                                         public_n, private, private_n,
                                         &public_key, &private_key);
    if (rv == CKR_OK)
        rv = session->fns->C_GetTokenInfo(slot, &token);
    if (rv != CKR_OK) {
        p11prov_raise_rv(gen->ctx, rv, "generating a key pair");
    } else {
        if (label != NULL)
            label_text = strndup(label->pValue, label->ulValueLen);
        key_uri = p11prov_uri_format(
            &token, label_text, id != NULL ? id->pValue : NULL,
            id != NULL ? id->ulValueLen : 0, CKO_PRIVATE_KEY);
        key = p11prov_key_from_object(gen->ctx, session, private_key, key_uri,
                                      p11prov_uri_pin(uri));
        free(key_uri);
        free(label_text);
    }
    p11prov_session_release(session);
    OPENSSL_free(ec_params);
    return key;
}

void *keymgmt_gen(void *genctx, OSSL_CALLBACK *cb, void *cbarg)
{
    keygen_ctx *gen = genctx;
    p11prov_uri *uri;
    CK_FUNCTION_LIST *fns;
    CK_SLOT_ID *slots = NULL;
    CK_ULONG slot_count = 0;
    p11prov_key *key = NULL;
    CK_RV rv;

    (void)cb;
    (void)cbarg;
    uri = p11prov_uri_parse(gen->ctx, gen->uri != NULL ? gen->uri : "pkcs11:");
    fns = uri != NULL ? p11prov_functions(gen->ctx) : NULL;
    if (fns != NULL) {
        rv = p11prov_uri_slots(uri, fns, &slots, &slot_count);
        if (rv != CKR_OK)
            p11prov_raise_rv(gen->ctx, rv, "listing slots");
        else if (slot_count == 0)
            p11prov_raise(gen->ctx, P11PROV_R_NOT_FOUND,
                          "no token matches %s for the new key",
                          gen->uri != NULL ? gen->uri : "pkcs11:");
        else
            key = generate(gen, uri, slots[0]);
    }
    free(slots);
    p11prov_uri_free(uri);
    return key;
}
