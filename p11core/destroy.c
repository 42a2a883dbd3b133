/* SPDX-License-Identifier: Apache-2.0 */
/* C_DestroyObject: Revoke (servers refuse to destroy an Active object)
 * then Destroy, in one batch. */
#include "core.h"

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "new_object.h"

/* Sends [Revoke,] Destroy as one batch. */
static CK_RV destroy(p11_session *session, kmip_version version,
                     const p11_object *object, bool revoke_first)
{
    kmip_revoke_args revoke = {
        .uid = object->uid,
        .reason_code = KMIP_REVOCATION_REASON_CODE_CESSATION_OF_OPERATION,
    };
    kmip_request_item items[2];
    size_t n = 0;
    kmip_response *resp = NULL;
    CK_RV rv = CKR_OK;

    if (revoke_first)
        items[n++] = (kmip_request_item){KMIP_OPERATION_REVOKE,
                                         kmip_revoke_request(version, &revoke)};
    items[n++] = (kmip_request_item){
        KMIP_OPERATION_DESTROY, kmip_destroy_request(version, object->uid)};
    for (size_t i = 0; i < n; i++)
        if (items[i].payload == NULL)
            rv = CKR_HOST_MEMORY;
    if (rv != CKR_OK) {
        for (size_t i = 0; i < n; i++)
            kmip_request_item_clear(&items[i]);
        return rv;
    }
    rv = p11_kmip_call(session, items, n, false, &resp);
    for (size_t i = 0; rv == CKR_OK && i < n; i++)
        rv = p11_kmip_item_rv(session, resp, i, NULL);
    kmip_response_free(resp);
    return rv;
}

/* Revokes first when the cached state says Active; when the server finds
 * the object Active all the same (the cache is older), revokes and tries
 * again. */
static CK_RV revoke_and_destroy(p11_session *session, p11_object *object)
{
    kmip_version version;
    bool active;
    CK_RV rv = p11_kmip_version(session, &version);

    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&object->lock);
    active = object->state == KMIP_STATE_ACTIVE;
    pthread_mutex_unlock(&object->lock);
    rv = destroy(session, version, object, active);
    /* PyKMIP refuses an Active object with Permission Denied. */
    if (rv != CKR_OK && !active &&
        (session->device_error ==
             KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE ||
         session->device_error == KMIP_RESULT_REASON_PERMISSION_DENIED))
        rv = destroy(session, version, object, true);
    if (rv == CKR_OK)
        p11_object_mark_destroyed(object);
    return rv;
}

P11_EXPORT CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession,
                                 CK_OBJECT_HANDLE hObject)
{
    p11_session *session;
    p11_object *object;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    rv = p11_new_object_check(session);
    if (rv == CKR_OK)
        rv = p11_object_get(session, hObject, &object);
    if (rv == CKR_OK)
        rv = revoke_and_destroy(session, object);
    p11_session_release(session);
    return rv;
}
