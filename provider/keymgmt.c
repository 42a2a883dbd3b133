/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "keymgmt.h"

void *p11prov_keymgmt_new(void *provctx)
{
    p11prov_key *key = calloc(1, sizeof(*key));

    if (key != NULL) {
        key->refcount = 1;
        key->ctx = provctx;
        key->object_class = CKO_PUBLIC_KEY;
    }
    return key;
}

void p11prov_keymgmt_free(void *keydata)
{
    p11prov_key_free(keydata);
}

void *p11prov_keymgmt_load(const void *reference, size_t reference_sz)
{
    p11prov_key *key;

    if (reference_sz != sizeof(key))
        return NULL;
    memcpy(&key, reference, sizeof(key));
    return p11prov_key_ref(key);
}

int p11prov_keymgmt_has(const void *keydata, int selection)
{
    const p11prov_key *key = keydata;
    bool private =
        key != NULL && (key->local ? key->object_class == CKO_PRIVATE_KEY
                                   : key->handle != CK_INVALID_HANDLE);

    if (key == NULL)
        return 0;
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && !private)
        return 0;
    if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) &&
        (key->public_key == NULL || key->object_class == CKO_DOMAIN_PARAMETERS))
        return 0;
    return 1;
}

int p11prov_keymgmt_match(const void *keydata1, const void *keydata2,
                          int selection)
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
    if (!(selection & OSSL_KEYMGMT_SELECT_KEYPAIR))
        return EVP_PKEY_parameters_eq(a->public_key, b->public_key) == 1;
    return EVP_PKEY_eq(a->public_key, b->public_key) == 1;
}

int p11prov_keymgmt_get_params(void *keydata, OSSL_PARAM params[])
{
    p11prov_key *key = keydata;

    if (key->public_key == NULL)
        return 0;
    return EVP_PKEY_get_params(key->public_key, params);
}

const OSSL_PARAM *p11prov_keymgmt_gettable_params(void *provctx)
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

int p11prov_keymgmt_import_as(void *keydata, int selection,
                              const OSSL_PARAM params[], const char *algorithm)
{
    p11prov_key *key = keydata;
    bool public = (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0;
    EVP_PKEY_CTX *pctx;
    EVP_PKEY *pkey = NULL;

    /* OpenSSL 3.0 moves a key between providers (a peer key for ECDH)
     * with every selection bit set: its public part is what is taken.
     * EVP_PKEY_copy_parameters (libssl's peer key in TLS 1.2) moves the
     * group alone. */
    if (!(selection & (OSSL_KEYMGMT_SELECT_PUBLIC_KEY |
                       OSSL_KEYMGMT_SELECT_ALL_PARAMETERS)) ||
        key->public_key != NULL)
        return 0;
    pctx = EVP_PKEY_CTX_new_from_name(key->ctx->libctx, algorithm,
                                      P11PROV_INTERNAL_PROPQ);
    if (pctx != NULL && EVP_PKEY_fromdata_init(pctx) > 0 &&
        EVP_PKEY_fromdata(
            pctx, &pkey, public ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEY_PARAMETERS,
            (OSSL_PARAM *)params) > 0) {
        key->local = true;
        key->object_class = public ? CKO_PUBLIC_KEY : CKO_DOMAIN_PARAMETERS;
        key->public_key = pkey;
        key->key_type = p11prov_key_type_of(pkey);
        key->bits = (CK_ULONG)EVP_PKEY_get_bits(pkey);
    }
    EVP_PKEY_CTX_free(pctx);
    return key->public_key != NULL;
}

int p11prov_keymgmt_export(void *keydata, int selection,
                           OSSL_CALLBACK *param_cb, void *cbarg)
{
    p11prov_key *key = keydata;
    OSSL_PARAM *params = NULL;
    int ok;

    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) ||
        key->public_key == NULL)
        return 0;
    if (key->ctx->deny_export && !key->local) {
        p11prov_raise(key->ctx, P11PROV_R_KEY_USAGE,
                      "%s: public keys are not exported "
                      "(p11kmip-allow-export = 1)",
                      key->uri != NULL ? key->uri : "the key");
        return 0;
    }
    if (EVP_PKEY_todata(key->public_key,
                        (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
                            ? EVP_PKEY_PUBLIC_KEY
                            : EVP_PKEY_KEY_PARAMETERS,
                        &params) <= 0)
        return 0;
    ok = param_cb(params, cbarg);
    OSSL_PARAM_free(params);
    return ok;
}

keygen_ctx *p11prov_keymgmt_gen_init(void *provctx, CK_KEY_TYPE key_type,
                                     const char *algorithm)
{
    keygen_ctx *gen = calloc(1, sizeof(*gen));

    if (gen == NULL)
        return NULL;
    gen->ctx = provctx;
    gen->key_type = key_type;
    gen->algorithm = algorithm;
    gen->selection = OSSL_KEYMGMT_SELECT_KEYPAIR;
    gen->bits = 2048;
    gen->exponent[0] = 0x01;
    gen->exponent[1] = 0x00;
    gen->exponent[2] = 0x01;
    gen->exponent_len = 3;
    return gen;
}

int p11prov_keymgmt_gen_set_common_params(keygen_ctx *gen,
                                          const OSSL_PARAM params[])
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

void p11prov_keymgmt_gen_cleanup(void *genctx)
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
 * "secp384r1", "ED25519" (an Edwards key's type) or a dotted OID;
 * NID_undef when unknown. */
static int curve_nid(const char *name)
{
    int nid = EC_curve_nist2nid(name);

    if (nid == NID_undef)
        nid = OBJ_txt2nid(name);
    return nid;
}

/* The EC parameters (the curve's DER OID) of gen's group into *der
 * (OPENSSL_free); 0 with an error raised when the group is unknown. */
static int ec_params_of(const keygen_ctx *gen, CK_BYTE **der, int *der_len)
{
    ASN1_OBJECT *curve =
        gen->group != NULL ? OBJ_nid2obj(curve_nid(gen->group)) : NULL;

    *der = NULL;
    *der_len = curve != NULL ? i2d_ASN1_OBJECT(curve, der) : 0;
    ASN1_OBJECT_free(curve);
    if (*der_len > 0)
        return 1;
    p11prov_raise(gen->ctx, P11PROV_R_BAD_ARGUMENT,
                  "EC key generation needs a known group, not %s",
                  gen->group != NULL ? gen->group : "none");
    return 0;
}

/* The URI of the new private key: the token, the label asked for and the
 * CKA_ID the token gave it. */
static int name_key(p11prov_key *key, const CK_TOKEN_INFO *token,
                    const CK_ATTRIBUTE *label)
{
    char *label_text =
        label != NULL ? strndup(label->pValue, label->ulValueLen) : NULL;

    key->uri = p11prov_uri_format(token, label_text, key->id, key->id_len,
                                  CKO_PRIVATE_KEY);
    free(label_text);
    return key->uri != NULL;
}

/* Generates the pair on session; the private key, named by its URI. */
static p11prov_key *generate_on(keygen_ctx *gen, p11prov_session *session,
                                const CK_ATTRIBUTE *label,
                                const CK_ATTRIBUTE *id, CK_BYTE *ec_params,
                                int ec_params_len, const char *pin)
{
    CK_MECHANISM mechanism = {
        gen->key_type == CKK_RSA  ? CKM_RSA_PKCS_KEY_PAIR_GEN
        : gen->key_type == CKK_EC ? CKM_EC_KEY_PAIR_GEN
                                  : CKM_EC_EDWARDS_KEY_PAIR_GEN,
        NULL, 0};
    CK_ATTRIBUTE public[8], private[8];
    CK_ULONG private_n, public_n = gen_templates(gen, label, id, ec_params,
                                                 (CK_ULONG)ec_params_len,
                                                 public, private, &private_n);
    CK_OBJECT_HANDLE public_key, private_key;
    CK_TOKEN_INFO token;
    p11prov_key *key;
    CK_SLOT_ID slot = p11prov_session_slot(session);

    if (p11prov_call_generate_pair(session, &mechanism, public, public_n,
                                   private, private_n, &public_key,
                                   &private_key, P11PROV_SITE) != CKR_OK ||
        p11prov_call_token_info(gen->ctx, slot, &token, P11PROV_SITE) !=
            CKR_OK) {
        p11prov_raise(gen->ctx, P11PROV_R_TOKEN,
                      "generating a key pair on slot %lu failed",
                      (unsigned long)slot);
        return NULL;
    }
    key = p11prov_key_from_object(gen->ctx, session, private_key, NULL, pin);
    if (key != NULL && !name_key(key, &token, label)) {
        p11prov_raise(gen->ctx, P11PROV_R_INTERNAL, "out of memory");
        p11prov_key_free(key);
        key = NULL;
    }
    return key;
}

/* A new pair gets a random CKA_ID unless the URI names one, so that the
 * key file or URI written for it names this pair and no other. */
#define NEW_ID_LEN 16

/* Generates on slot the pair uri (shown: without its PIN) asks for. */
static p11prov_key *generate(keygen_ctx *gen, const p11prov_uri *uri,
                             const char *shown, CK_SLOT_ID slot)
{
    const CK_ATTRIBUTE *label = uri_attribute(uri, CKA_LABEL);
    const CK_ATTRIBUTE *id = uri_attribute(uri, CKA_ID);
    CK_BYTE new_id[NEW_ID_LEN];
    CK_ATTRIBUTE random_id = {CKA_ID, new_id, sizeof(new_id)};
    CK_BYTE *ec_params = NULL;
    int ec_params_len = 0;
    p11prov_session *session;
    p11prov_key *key = NULL;

    if (id == NULL) {
        if (RAND_bytes_ex(gen->ctx->libctx, new_id, sizeof(new_id), 0) != 1) {
            p11prov_raise(gen->ctx, P11PROV_R_INTERNAL,
                          "no random bytes for the new key's CKA_ID");
            return NULL;
        }
        id = &random_id;
    }
    if (gen->key_type != CKK_RSA &&
        !ec_params_of(gen, &ec_params, &ec_params_len))
        return NULL;
    session = p11prov_session_get(gen->ctx, slot, p11prov_uri_pin(uri), shown);
    if (session != NULL)
        key = generate_on(gen, session, label, id, ec_params, ec_params_len,
                          p11prov_uri_pin(uri));
    p11prov_session_end(session, CKR_OK);
    OPENSSL_free(ec_params);
    return key;
}

void *p11prov_keymgmt_gen(void *genctx, OSSL_CALLBACK *cb, void *cbarg)
{
    keygen_ctx *gen = genctx;
    const char *uri_text = gen->uri != NULL ? gen->uri : "pkcs11:";
    p11prov_uri *uri = p11prov_uri_parse(gen->ctx, uri_text);
    char *shown = uri != NULL ? p11prov_uri_shown(uri_text) : NULL;
    CK_SLOT_ID *slots = NULL;
    CK_ULONG slot_count = 0;
    p11prov_key *key = NULL;

    (void)cb;
    (void)cbarg;
    if (shown != NULL &&
        p11prov_uri_slots(uri, gen->ctx, &slots, &slot_count) == CKR_OK) {
        if (slot_count == 0)
            p11prov_raise(gen->ctx, P11PROV_R_NOT_FOUND,
                          "no token matches %s for the new key", shown);
        else
            key = generate(gen, uri, shown, slots[0]);
    }
    free(slots);
    free(shown);
    p11prov_uri_free(uri);
    return key;
}
