/* SPDX-License-Identifier: Apache-2.0 */
/* C_WrapKey: KMIP Get of the key to wrap with a Key Wrapping
 * Specification naming the wrapping key, so that the key's bytes leave
 * the server only wrapped: a secret key's bytes (Raw), a private key's
 * PKCS#8 PrivateKeyInfo. A secret key's wrapped length is known from its
 * length (wrap.h): a length query or a short buffer costs no round trip;
 * a private key's is known once the server has wrapped it. */
#include "core.h"

#include <string.h>

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "crypto_ops.h"
#include "wrap.h"

/* Whether key has every value of the wrapping key's CKA_WRAP_TEMPLATE. */
static bool fits_wrap_template(p11_object *wrapping_key, p11_object *key)
{
    p11_attr_value templ;
    p11_wrapping_template(wrapping_key, CKA_WRAP_TEMPLATE, &templ);
    const uint8_t *packed = templ.data;
    size_t left = templ.len;
    CK_ATTRIBUTE member;
    bool fits = true;
    pthread_mutex_lock(&key->lock);
    while (fits && p11_attr_array_next(&packed, &left, &member)) {
        p11_attr_value value;
        fits = p11_attr_read(key, member.type, &value) == CKR_OK &&
               value.len == member.ulValueLen &&
               (value.len == 0 ||
                memcmp(value.data, member.pValue, value.len) == 0);
        p11_attr_value_clear(&value);
    }
    pthread_mutex_unlock(&key->lock);
    p11_attr_value_clear(&templ);
    return fits;
}

/* Whether the mechanism wraps keys of key's class: a private key's
 * PKCS#8 is too long for RSA OAEP (as SoftHSM2, CKR_KEY_NOT_WRAPPABLE). */
static bool wrappable(const p11_wrapping *wrapping, const p11_object *key)
{
    if (key->uid[0] == '\0')
        return false;
    if (key->object_class == CKO_PRIVATE_KEY)
        return wrapping->params.padding != KMIP_PADDING_METHOD_OAEP;
    return key->object_class == CKO_SECRET_KEY;
}

/* The key to wrap: a secret or private key on the server, extractable,
 * CKA_WRAP_WITH_TRUSTED only under a CKA_TRUSTED wrapping key, and as the
 * wrapping key's CKA_WRAP_TEMPLATE asks. */
static CK_RV key_to_wrap(p11_session *session, CK_OBJECT_HANDLE handle,
                         const p11_wrapping *wrapping, p11_object **out)
{
    p11_object *wrapping_key = wrapping->key;
    CK_RV rv = p11_object_get(session, handle, out);
    if (rv == CKR_OBJECT_HANDLE_INVALID)
        return CKR_KEY_HANDLE_INVALID;
    if (rv != CKR_OK)
        return rv;
    if (!wrappable(wrapping, *out))
        return CKR_KEY_NOT_WRAPPABLE;
    if (!(*out)->extractable)
        return CKR_KEY_UNEXTRACTABLE;
    if (p11_attr_flag(*out, CKA_WRAP_WITH_TRUSTED, false) &&
        !p11_attr_flag(wrapping_key, CKA_TRUSTED, false))
        return CKR_KEY_NOT_WRAPPABLE;
    return fits_wrap_template(wrapping_key, *out) ? CKR_OK
                                                  : CKR_KEY_NOT_WRAPPABLE;
}

/* Whether the wrapping key must be activated first: a key pair's public
 * half, which Create Key Pair leaves Pre-Active (the batch's Activate
 * names the private key), and which a server wraps under only once
 * Active. */
static bool needs_activate(p11_object *key)
{
    pthread_mutex_lock(&key->lock);
    bool pre_active = key->object_class == CKO_PUBLIC_KEY &&
                      key->state == KMIP_STATE_PRE_ACTIVE;
    pthread_mutex_unlock(&key->lock);
    return pre_active;
}

/* The request items: [Activate of the wrapping key,] Get of key with
 * the Key Wrapping Specification; their count, 0 when out of memory. */
static size_t wrap_items(const p11_wrapping *wrapping, const p11_object *key,
                         kmip_version version, kmip_request_item items[2])
{
    size_t n = 0;
    if (needs_activate(wrapping->key))
        items[n++] = (kmip_request_item){
            KMIP_OPERATION_ACTIVATE,
            kmip_activate_request(version, wrapping->key->uid)};
    kmip_item *spec =
        p11_wrapping_item(wrapping, KMIP_TAG_KEY_WRAPPING_SPECIFICATION);
    kmip_get_args get = {.uid = key->uid,
                         .key_format_type = key->object_class == CKO_PRIVATE_KEY
                                                ? KMIP_KEY_FORMAT_TYPE_PKCS_8
                                                : 0,
                         .key_wrapping_specification = spec};
    items[n++] = (kmip_request_item){
        KMIP_OPERATION_GET,
        spec != NULL ? kmip_get_request(version, &get) : NULL};
    kmip_item_free(spec);
    for (size_t i = 0; i < n; i++)
        if (items[i].payload == NULL) {
            for (size_t j = 0; j < n; j++)
                kmip_request_item_clear(&items[j]);
            return 0;
        }
    return n;
}

/* What a server's refusal to wrap key means. A private key: its PKCS#8
 * is no multiple of 8 bytes for AES key wrap without padding
 * (Cryptographic Failure: CKR_KEY_SIZE_RANGE), or the server does not
 * wrap private keys (CKR_KEY_NOT_WRAPPABLE; the mechanism stays offered
 * for secret keys). */
static CK_RV wrap_rv(p11_session *session, const p11_wrapping *wrapping,
                     const p11_object *key, p11_reply reply)
{
    if (reply.rv == CKR_OK || key->object_class != CKO_PRIVATE_KEY)
        return p11_wrapping_rv(session, &p11_wrap_side_wrap, wrapping, reply);
    if (reply.reason == KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE)
        return CKR_KEY_SIZE_RANGE;
    if (reply.answer == P11_ANSWER_UNSUPPORTED ||
        reply.reason == KMIP_RESULT_REASON_ILLEGAL_OPERATION)
        return CKR_KEY_NOT_WRAPPABLE;
    return reply.rv;
}

/* The wrapped key of a Get response payload (len bytes, 0: any) into
 * out, by the output convention. */
static CK_RV copy_wrapped(const kmip_item *payload, size_t len, CK_BYTE_PTR out,
                          CK_ULONG_PTR out_len)
{
    kmip_get_result result;
    bool done = false;
    if (kmip_get_response(payload, &result, NULL) != KMIP_OK ||
        result.object.wrapping_data == NULL || result.object.value.len == 0 ||
        (len != 0 && result.object.value.len != len))
        return CKR_DEVICE_ERROR;
    CK_RV rv = p11_output_check(out, out_len, result.object.value.len, &done);
    if (rv == CKR_OK && !done)
        p11_output_copy(out, out_len, result.object.value.data,
                        result.object.value.len);
    return rv;
}

/* Gets key wrapped (len bytes, 0: as long as the server makes it) into
 * out. */
static CK_RV get_wrapped(p11_session *session, const p11_wrapping *wrapping,
                         const p11_object *key, size_t len, CK_BYTE_PTR out,
                         CK_ULONG_PTR out_len)
{
    kmip_version version;
    kmip_request_item items[2];
    kmip_response *resp = NULL;
    const kmip_item *payload = NULL;
    CK_RV rv = p11_kmip_version(session, &version);
    size_t n = rv == CKR_OK ? wrap_items(wrapping, key, version, items) : 0;
    if (rv != CKR_OK || n == 0)
        return rv != CKR_OK ? rv : CKR_HOST_MEMORY;
    /* An Activate is not sent twice. */
    p11_reply reply = p11_kmip_call(session, items, n, n == 1, &resp);
    for (size_t i = 0; reply.rv == CKR_OK && i < n; i++)
        reply = p11_kmip_item(session, resp, i, &payload);
    if (reply.rv == CKR_OK && n == 2) {
        pthread_mutex_lock(&wrapping->key->lock);
        wrapping->key->state = KMIP_STATE_ACTIVE;
        pthread_mutex_unlock(&wrapping->key->lock);
    }
    rv = wrap_rv(session, wrapping, key, reply);
    if (rv == CKR_OK)
        rv = copy_wrapped(payload, len, out, out_len);
    kmip_response_free(resp);
    return rv;
}

/* The wrapped length of a secret key (0: the mechanism cannot wrap it),
 * or of a private key, whose PKCS#8 length the server knows (a round trip
 * tells it, also for a length query). */
static CK_RV wrap_key(p11_session *session, const CK_MECHANISM *mechanism,
                      CK_OBJECT_HANDLE wrapping_handle, CK_OBJECT_HANDLE handle,
                      CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    p11_wrapping wrapping;
    p11_object *key = NULL;
    bool done = false;
    size_t len = 0;
    CK_RV rv = p11_wrapping_start(session, &p11_wrap_side_wrap, mechanism,
                                  wrapping_handle, &wrapping);

    if (rv == CKR_OK)
        rv = key_to_wrap(session, handle, &wrapping, &key);
    bool secret = rv == CKR_OK && key->object_class == CKO_SECRET_KEY;
    if (secret)
        len = p11_wrapped_len(&wrapping, (key->key_bits + 7) / 8);
    if (secret && len == 0)
        rv = CKR_KEY_SIZE_RANGE;
    if (secret && rv == CKR_OK)
        rv = p11_output_check(out, out_len, len, &done);
    if (rv == CKR_OK && !done)
        rv = get_wrapped(session, &wrapping, key, len, out, out_len);
    p11_wrapping_clear(&wrapping);
    return rv;
}

P11_EXPORT CK_RV C_WrapKey(CK_SESSION_HANDLE hSession,
                           CK_MECHANISM_PTR pMechanism,
                           CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                           CK_BYTE_PTR pWrappedKey,
                           CK_ULONG_PTR pulWrappedKeyLen)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (pMechanism == NULL || pulWrappedKeyLen == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = wrap_key(session, pMechanism, hWrappingKey, hKey, pWrappedKey,
                      pulWrappedKeyLen);
    p11_session_release(session);
    return rv;
}
