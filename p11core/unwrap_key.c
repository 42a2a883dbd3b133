/* SPDX-License-Identifier: Apache-2.0 */
/* C_UnwrapKey: KMIP Register of a key given wrapped (a secret key's
 * bytes, Raw; a private key's PKCS#8 PrivateKeyInfo), with Key Wrapping
 * Data naming the unwrapping key, and Activate in one batch: the server
 * unwraps it, and the key's bytes never reach the module. The new key's
 * template goes the way of every new object (new_object.c); a private key
 * then keeps its public half as the server reads it. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "new_object.h"
#include "wrap.h"

typedef struct unwrap_request {
    const p11_wrapping *wrapping;
    CK_OBJECT_CLASS object_class;
    CK_KEY_TYPE key_type;
    uint32_t algorithm; /* the KMIP algorithm declared */
    const CK_ATTRIBUTE *templ;
    CK_ULONG count;
    kmip_bytes wrapped;
    size_t plain_len; /* the key's bytes, 0 when the mechanism hides it */
    CK_OBJECT_HANDLE *handle;
} unwrap_request;

/* Whether the module unwraps keys of object_class and key_type: a
 * secret key (AES, a generic or HMAC secret) or a private key (RSA, EC,
 * Edwards, Montgomery). */
static bool unwraps(CK_OBJECT_CLASS object_class, CK_KEY_TYPE key_type)
{
    if (object_class == CKO_PRIVATE_KEY)
        return key_type == CKK_RSA || key_type == CKK_EC ||
               key_type == CKK_EC_EDWARDS || key_type == CKK_EC_MONTGOMERY;
    return object_class == CKO_SECRET_KEY &&
           (key_type == CKK_AES || p11_mac_key_type(key_type));
}

/* The new key's class and type, both given (CKR_TEMPLATE_INCOMPLETE) and
 * of a key the module unwraps, and the template checked as for a derived
 * key. */
static CK_RV unwrap_template(unwrap_request *request)
{
    CK_RV rv = p11_template_ulong(request->templ, request->count, CKA_CLASS,
                                  &request->object_class);

    if (rv == CKR_OK)
        rv = p11_template_ulong(request->templ, request->count, CKA_KEY_TYPE,
                                &request->key_type);
    if (rv != CKR_OK)
        return rv;
    if (!unwraps(request->object_class, request->key_type))
        return CKR_TEMPLATE_INCONSISTENT;
    /* A private key's length is not its PKCS#8's. */
    if (request->object_class == CKO_PRIVATE_KEY)
        request->plain_len = 0;
    return p11_template_validate(request->templ, request->count,
                                 request->object_class, request->key_type,
                                 P11_TEMPLATE_DERIVE);
}

/* What the template's CKA_VALUE_LEN and the key type say of a key the
 * mechanism unwraps to plain_len bytes (0: unknown). */
static CK_RV check_len(const unwrap_request *request)
{
    CK_ULONG value_len;
    size_t len = request->plain_len;

    if (len == 0)
        return CKR_OK;
    if (request->key_type == CKK_AES && len != 16 && len != 24 && len != 32)
        return CKR_WRAPPED_KEY_LEN_RANGE;
    if (p11_template_ulong(request->templ, request->count, CKA_VALUE_LEN,
                           &value_len) == CKR_OK &&
        value_len != len)
        return CKR_TEMPLATE_INCONSISTENT;
    return CKR_OK;
}

/* The attributes of the new key for a try with extras, into *out. */
static CK_RV key_attrs(const unwrap_request *request, unsigned extras,
                       kmip_item **out)
{
    kmip_item *attrs = kmip_attrs_new();
    CK_RV rv = attrs != NULL && kmip_attrs_add_algorithm(
                                    attrs, request->algorithm) != NULL
                   ? CKR_OK
                   : CKR_HOST_MEMORY;

    if (rv == CKR_OK && request->plain_len != 0 &&
        kmip_attrs_add_length(attrs, (int32_t)(request->plain_len * 8)) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = p11_template_kmip_attrs(request->templ, request->count,
                                     request->object_class, request->key_type,
                                     extras, attrs);
    *out = attrs;
    return rv;
}

/* Registers the wrapped key as request->algorithm with extras. */
static p11_reply register_unwrapped(p11_session *session,
                                    const unwrap_request *request,
                                    unsigned extras)
{
    bool private_key = request->object_class == CKO_PRIVATE_KEY;
    kmip_item *data =
        p11_wrapping_item(request->wrapping, KMIP_TAG_KEY_WRAPPING_DATA);
    kmip_object wrapped = {
        .object_type = private_key ? KMIP_OBJECT_TYPE_PRIVATE_KEY
                                   : KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
        .format = private_key ? KMIP_KEY_FORMAT_TYPE_PKCS_8
                              : KMIP_KEY_FORMAT_TYPE_RAW,
        .value = request->wrapped,
        .algorithm = request->algorithm,
        .length = (int32_t)(request->plain_len * 8),
        .wrapping_data = data,
    };
    kmip_item *object = data != NULL ? kmip_object_build(&wrapped) : NULL;
    kmip_item *attrs = NULL;
    CK_RV rv =
        object != NULL ? key_attrs(request, extras, &attrs) : CKR_HOST_MEMORY;
    p11_reply reply = p11_reply_local(rv);

    if (rv == CKR_OK)
        reply = p11_register_new(session, wrapped.object_type, attrs, object,
                                 private_key, request->handle);
    kmip_item_free(attrs);
    kmip_item_free(object);
    kmip_item_free(data);
    return reply;
}

/* p11_create_fn for an unwrapped key (args: an unwrap_request). The curve
 * is the PKCS#8's (no template gives a private key's CKA_EC_PARAMS to
 * C_UnwrapKey): X25519 and X448 are both KMIP ECDH, but Ed25519 and Ed448
 * have an algorithm each, so a PKCS#8 the server refuses as no Ed25519 key
 * is registered again as Ed448. */
static p11_reply unwrap_once(p11_session *session, void *args, unsigned extras)
{
    unwrap_request *request = args;

    request->algorithm = p11_kmip_algorithm(request->key_type);
    p11_reply reply = register_unwrapped(session, request, extras);
    if (request->key_type == CKK_EC_EDWARDS &&
        reply.reason == KMIP_RESULT_REASON_INVALID_FIELD) {
        request->algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_ED448;
        reply = register_unwrapped(session, request, extras);
    }
    return reply;
}

/* templ with the members of the unwrapping key's CKA_UNWRAP_TEMPLATE
 * (packed in unwrap) it does not give, into *out (free with free(); it
 * points into templ and unwrap): a member templ gives with another value
 * is CKR_TEMPLATE_INCONSISTENT. */
static CK_RV merge_template(const CK_ATTRIBUTE *templ, CK_ULONG count,
                            const p11_attr_value *unwrap, CK_ATTRIBUTE **out,
                            CK_ULONG *out_count)
{
    const uint8_t *packed = unwrap->data;
    size_t left = unwrap->len;
    /* A packed member takes at least 16 bytes (its type and length). */
    CK_ATTRIBUTE member,
        *merged = malloc((count + left / 16 + 1) * sizeof(CK_ATTRIBUTE));
    CK_ULONG n = count;
    if (merged == NULL)
        return CKR_HOST_MEMORY;
    if (count > 0)
        memcpy(merged, templ, count * sizeof(CK_ATTRIBUTE));
    while (p11_attr_array_next(&packed, &left, &member)) {
        const CK_ATTRIBUTE *given =
            p11_template_find(templ, count, member.type);
        if (given == NULL)
            merged[n++] = member;
        else if (given->pValue != NULL && /* else refused as invalid */
                 (given->ulValueLen != member.ulValueLen ||
                  (member.ulValueLen > 0 && memcmp(given->pValue, member.pValue,
                                                   member.ulValueLen) != 0))) {
            free(merged);
            return CKR_TEMPLATE_INCONSISTENT;
        }
    }
    *out = merged;
    *out_count = n;
    return CKR_OK;
}

/* What the server's answer means: wrapped bytes that do not unwrap under
 * the key (Cryptographic Failure), or unwrap to no key of the type
 * (Invalid Field), PKCS#11 calls CKR_WRAPPED_KEY_INVALID. */
static CK_RV unwrap_rv(p11_session *session, const p11_wrapping *wrapping,
                       p11_reply reply)
{
    if (reply.rv != CKR_OK &&
        (reply.reason == KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE ||
         reply.reason == KMIP_RESULT_REASON_INVALID_FIELD))
        return CKR_WRAPPED_KEY_INVALID;
    return p11_wrapping_rv(session, &p11_wrap_side_unwrap, wrapping, reply);
}

/* Checks the template (the caller's, given, with the unwrapping key's
 * CKA_UNWRAP_TEMPLATE) and the session, and makes the key. */
static CK_RV unwrap_with(p11_session *session, const p11_wrapping *wrapping,
                         unwrap_request *req)
{
    CK_RV rv = unwrap_template(req);
    if (rv == CKR_OK)
        rv = check_len(req);
    if (rv == CKR_OK)
        rv = p11_create_check(session, req->templ, req->count);
    if (rv != CKR_OK)
        return rv;
    return unwrap_rv(
        session, wrapping,
        p11_create_with_extras(session,
                               p11_template_wants_custom(req->templ, req->count,
                                                         req->object_class,
                                                         req->key_type),
                               unwrap_once, req));
}

static CK_RV unwrap_key(p11_session *session, const CK_MECHANISM *mechanism,
                        CK_OBJECT_HANDLE unwrapping_handle, unwrap_request *req)
{
    p11_wrapping wrapping;
    p11_attr_value unwrap = {0};
    CK_ATTRIBUTE *merged = NULL;
    CK_RV rv = p11_wrapping_start(session, &p11_wrap_side_unwrap, mechanism,
                                  unwrapping_handle, &wrapping);

    req->wrapping = &wrapping;
    if (rv == CKR_OK)
        rv = p11_unwrapped_len(&wrapping, req->wrapped.len, &req->plain_len);
    if (rv == CKR_OK) {
        p11_wrapping_template(wrapping.key, CKA_UNWRAP_TEMPLATE, &unwrap);
        rv = merge_template(req->templ, req->count, &unwrap, &merged,
                            &req->count);
        req->templ = merged;
    }
    if (rv == CKR_OK)
        rv = unwrap_with(session, &wrapping, req);
    free(merged);
    p11_attr_value_clear(&unwrap);
    p11_wrapping_clear(&wrapping);
    return rv;
}

P11_EXPORT CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession,
                             CK_MECHANISM_PTR pMechanism,
                             CK_OBJECT_HANDLE hUnwrappingKey,
                             CK_BYTE_PTR pWrappedKey, CK_ULONG ulWrappedKeyLen,
                             CK_ATTRIBUTE_PTR pTemplate,
                             CK_ULONG ulAttributeCount,
                             CK_OBJECT_HANDLE_PTR phKey)
{
    p11_session *session;
    unwrap_request request = {.templ = pTemplate,
                              .count = ulAttributeCount,
                              .wrapped = {pWrappedKey, ulWrappedKeyLen},
                              .handle = phKey};
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (pMechanism == NULL || pWrappedKey == NULL ||
        (pTemplate == NULL && ulAttributeCount > 0) || phKey == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = unwrap_key(session, pMechanism, hUnwrappingKey, &request);
    p11_session_release(session);
    return rv;
}
