/* SPDX-License-Identifier: Apache-2.0 */
/* C_DeriveKey with CKM_ECDH1_DERIVE (EC, X25519 and X448 keys): KMIP
 * Derive Key (Derivation Method Asymmetric Key, the peer's point or RFC
 * 7748 public key as Derivation Data, the KDF's hash in
 * Cryptographic Parameters, its shared data in Salt) and Activate in one
 * batch. The agreement runs on the server; the new secret key stays
 * there. */
#include "core.h"

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "new_object.h"

/* The KMIP Hashing Algorithm of a PKCS#11 KDF; false for one not
 * offered. */
static bool kdf_hash(ck_ec_kdf_t kdf, uint32_t *hash)
{
    static const struct {
        ck_ec_kdf_t kdf;
        uint32_t hash; /* 0: no KDF */
    } kdfs[] = {
        {CKD_NULL, 0},
        {CKD_SHA1_KDF, KMIP_HASHING_ALGORITHM_SHA_1},
        {CKD_SHA224_KDF, KMIP_HASHING_ALGORITHM_SHA_224},
        {CKD_SHA256_KDF, KMIP_HASHING_ALGORITHM_SHA_256},
        {CKD_SHA384_KDF, KMIP_HASHING_ALGORITHM_SHA_384},
        {CKD_SHA512_KDF, KMIP_HASHING_ALGORITHM_SHA_512},
    };

    for (size_t i = 0; i < sizeof(kdfs) / sizeof(kdfs[0]); i++) {
        if (kdfs[i].kdf == kdf) {
            *hash = kdfs[i].hash;
            return true;
        }
    }
    return false;
}

/* Whether len bytes starting with data[0] are an EC point of a curve
 * whose field elements take field bytes (uncompressed or compressed). */
static bool is_point(const uint8_t *data, size_t len, size_t field)
{
    return len > 0 && ((data[0] == 4 && len == 1 + 2 * field) ||
                       ((data[0] == 2 || data[0] == 3) && len == 1 + field));
}

/* Whether len bytes are a peer's public key for a base key whose field
 * elements take field bytes: an EC point, or the RFC 7748 public key of
 * an X25519 / X448 (montgomery) base key. */
static bool is_peer_key(const uint8_t *data, size_t len, size_t field,
                        bool montgomery)
{
    return montgomery ? len == field : is_point(data, len, field);
}

/* The peer's key in pPublicData: the raw octets, or (as some callers
 * send it) a DER OCTET STRING holding them. */
static bool peer_point(const CK_ECDH1_DERIVE_PARAMS *p, size_t field,
                       bool montgomery, kmip_bytes *point)
{
    const uint8_t *data = p->public_data;
    size_t len = p->public_data_len, header = 2;

    if (data == NULL)
        return false;
    if (is_peer_key(data, len, field, montgomery)) {
        *point = (kmip_bytes){data, len};
        return true;
    }
    if (len > 3 && data[1] == 0x81)
        header = 3;
    if (len < header || data[0] != 4 ||
        !is_peer_key(data + header, len - header, field, montgomery) ||
        (header == 2 ? data[1] : data[2]) != len - header)
        return false;
    *point = (kmip_bytes){data + header, len - header};
    return true;
}

/* The Derivation Parameters for mechanism with base key. */
static CK_RV ecdh_params(const CK_MECHANISM *mechanism, const p11_object *key,
                         kmip_derivation_params *out)
{
    const CK_ECDH1_DERIVE_PARAMS *p = mechanism->pParameter;
    uint32_t hash;

    if (p == NULL || mechanism->ulParameterLen != sizeof(*p) ||
        !kdf_hash(p->kdf, &hash) ||
        (p->shared_data == NULL && p->shared_data_len != 0) ||
        (hash == 0 && p->shared_data_len != 0) ||
        !peer_point(p, (key->key_bits + 7) / 8,
                    key->subtype == CKK_EC_MONTGOMERY, &out->data))
        return CKR_MECHANISM_PARAM_INVALID;
    out->crypto.present = hash != 0;
    out->crypto.hashing_algorithm = hash;
    if (p->shared_data_len != 0)
        out->salt = (kmip_bytes){p->shared_data, p->shared_data_len};
    return CKR_OK;
}

/* The base key: an EC, X25519 or X448 private key that allows
 * derivation. */
static CK_RV base_key(p11_session *session, CK_OBJECT_HANDLE handle,
                      p11_object **out)
{
    CK_RV rv = p11_object_get(session, handle, out);

    if (rv == CKR_OBJECT_HANDLE_INVALID)
        return CKR_KEY_HANDLE_INVALID;
    if (rv != CKR_OK)
        return rv;
    if ((*out)->object_class != CKO_PRIVATE_KEY ||
        ((*out)->subtype != CKK_EC && (*out)->subtype != CKK_EC_MONTGOMERY))
        return CKR_KEY_TYPE_INCONSISTENT;
    return p11_object_allows(*out, CKA_DERIVE) ? CKR_OK
                                               : CKR_KEY_FUNCTION_NOT_PERMITTED;
}

static CK_RV derived_key_type(const CK_ATTRIBUTE *templ, CK_ULONG count,
                              CK_KEY_TYPE *key_type)
{
    CK_RV rv = p11_template_ulong(templ, count, CKA_KEY_TYPE, key_type);

    if (rv != CKR_OK)
        return rv;
    return *key_type == CKK_AES || *key_type == CKK_GENERIC_SECRET
               ? CKR_OK
               : CKR_TEMPLATE_INCONSISTENT;
}

typedef struct derive_request {
    kmip_derive_key_args args; /* attributes: set per attempt */
    CK_KEY_TYPE key_type;
    const CK_ATTRIBUTE *templ;
    CK_ULONG count;
    CK_OBJECT_HANDLE *handle;
} derive_request;

/* p11_create_fn for a derived key (args: a derive_request). */
static p11_reply derive_once(p11_session *session, void *args, unsigned extras)
{
    derive_request *request = args;
    kmip_derive_key_args derive = request->args;
    kmip_item *attrs = NULL;
    kmip_version version;
    CK_RV rv =
        p11_secret_key_attrs(request->key_type, request->templ, request->count,
                             P11_TEMPLATE_DERIVE, extras, &attrs);

    if (rv == CKR_OK)
        rv = p11_kmip_version(session, &version);
    p11_reply reply = p11_reply_local(rv);
    if (rv == CKR_OK) {
        derive.attributes = attrs;
        reply = p11_make_object(session, version, KMIP_OPERATION_DERIVE_KEY,
                                kmip_derive_key_request(version, &derive),
                                request->handle);
    }
    kmip_item_free(attrs);
    return reply;
}

/* A server that cannot derive says so as for generation; one that finds
 * the Derivation Data wrong (a point off the curve) answers Invalid
 * Field, which PKCS#11 calls a bad mechanism parameter. */
static CK_RV derive_rv(p11_session *session, CK_MECHANISM_TYPE type,
                       p11_reply reply)
{
    if (reply.rv != CKR_OK && reply.reason == KMIP_RESULT_REASON_INVALID_FIELD)
        return CKR_MECHANISM_PARAM_INVALID;
    return p11_mechanism_answer(&session->slot->server, type, CKF_DERIVE,
                                reply);
}

static CK_RV derive_key(p11_session *session, const CK_MECHANISM *mechanism,
                        CK_OBJECT_HANDLE base, const CK_ATTRIBUTE *templ,
                        CK_ULONG count, CK_OBJECT_HANDLE *handle)
{
    derive_request request = {
        .args = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                 .derivation_method = KMIP_DERIVATION_METHOD_ASYMMETRIC_KEY},
        .templ = templ,
        .count = count,
        .handle = handle};
    p11_object *key;
    CK_RV rv = p11_mechanism_offered(&session->slot->server,
                                     mechanism->mechanism, CKF_DERIVE)
                   ? p11_create_check(session, templ, count)
                   : CKR_MECHANISM_INVALID;

    if (rv == CKR_OK)
        rv = base_key(session, base, &key);
    if (rv == CKR_OK)
        rv = ecdh_params(mechanism, key, &request.args.params);
    if (rv == CKR_OK)
        rv = derived_key_type(templ, count, &request.key_type);
    if (rv != CKR_OK)
        return rv;
    request.args.uid = key->uid;
    bool custom = p11_template_wants_custom(templ, count, CKO_SECRET_KEY,
                                            request.key_type);
    return derive_rv(
        session, mechanism->mechanism,
        p11_create_with_extras(session, custom, derive_once, &request));
}

P11_EXPORT CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession,
                             CK_MECHANISM_PTR pMechanism,
                             CK_OBJECT_HANDLE hBaseKey,
                             CK_ATTRIBUTE_PTR pTemplate,
                             CK_ULONG ulAttributeCount,
                             CK_OBJECT_HANDLE_PTR phKey)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (pMechanism == NULL || (pTemplate == NULL && ulAttributeCount > 0) ||
        phKey == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = derive_key(session, pMechanism, hBaseKey, pTemplate,
                        ulAttributeCount, phKey);
    p11_session_release(session);
    return rv;
}
