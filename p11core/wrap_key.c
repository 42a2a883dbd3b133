/* SPDX-License-Identifier: Apache-2.0 */
/* C_WrapKey: KMIP Get of the key to wrap with a Key Wrapping
 * Specification naming the wrapping key, so that the key's bytes leave
 * the server only wrapped. The wrapped length is known from the key's
 * length (wrap.h): a length query or a short buffer costs no round
 * trip. */
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

/* The key to wrap: a secret key on the server (the module wraps the bytes
 * of secret keys), extractable, CKA_WRAP_WITH_TRUSTED only under a
 * CKA_TRUSTED wrapping key, and as the wrapping key's CKA_WRAP_TEMPLATE
 * asks. */
static CK_RV key_to_wrap(p11_session *session, CK_OBJECT_HANDLE handle,
                         p11_object *wrapping_key, p11_object **out)
{
    CK_RV rv = p11_object_get(session, handle, out);
    if (rv == CKR_OBJECT_HANDLE_INVALID)
        return CKR_KEY_HANDLE_INVALID;
    if (rv != CKR_OK)
        return rv;
    if ((*out)->object_class != CKO_SECRET_KEY || (*out)->uid[0] == '\0')
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
    kmip_get_args get = {.uid = key->uid, .key_wrapping_specification = spec};
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

/* Gets key wrapped (len bytes) into out. */
static CK_RV get_wrapped(p11_session *session, const p11_wrapping *wrapping,
                         const p11_object *key, size_t len, CK_BYTE_PTR out,
                         CK_ULONG_PTR out_len)
{
    kmip_version version;
    kmip_request_item items[2];
    kmip_response *resp = NULL;
    const kmip_item *payload = NULL;
    kmip_get_result result;
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
    rv = p11_wrapping_rv(session, &p11_wrap_side_wrap, wrapping, reply);
    if (rv == CKR_OK &&
        (kmip_get_response(payload, &result, NULL) != KMIP_OK ||
         result.object.wrapping_data == NULL || result.object.value.len != len))
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        p11_output_copy(out, out_len, result.object.value.data, len);
    kmip_response_free(resp);
    return rv;
}

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
        rv = key_to_wrap(session, handle, wrapping.key, &key);
    if (rv == CKR_OK)
        len = p11_wrapped_len(&wrapping, (key->key_bits + 7) / 8);
    if (rv == CKR_OK && len == 0)
        rv = CKR_KEY_SIZE_RANGE;
    if (rv == CKR_OK)
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
