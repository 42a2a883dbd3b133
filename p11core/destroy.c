/* SPDX-License-Identifier: Apache-2.0 */
/* C_DestroyObject: Revoke (servers refuse to destroy an Active object)
 * then Destroy, in one batch. */
#include "core.h"

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "new_object.h"

/* Sends [Revoke,] Destroy as one batch. */
static p11_reply destroy(p11_session *session, kmip_version version,
                         const p11_object *object, bool revoke_first)
{
    kmip_revoke_args revoke = {
        .uid = object->uid,
        .reason_code = KMIP_REVOCATION_REASON_CODE_CESSATION_OF_OPERATION,
    };
    kmip_request_item items[2];
    size_t n = 0;
    kmip_response *resp = NULL;
    p11_reply reply = p11_reply_local(CKR_OK);

    if (revoke_first)
        items[n++] = (kmip_request_item){KMIP_OPERATION_REVOKE,
                                         kmip_revoke_request(version, &revoke)};
    items[n++] = (kmip_request_item){
        KMIP_OPERATION_DESTROY, kmip_destroy_request(version, object->uid)};
    for (size_t i = 0; i < n; i++)
        if (items[i].payload == NULL)
            reply = p11_reply_local(CKR_HOST_MEMORY);
    if (reply.rv != CKR_OK) {
        for (size_t i = 0; i < n; i++)
            kmip_request_item_clear(&items[i]);
        return reply;
    }
    reply = p11_kmip_call(session, items, n, false, &resp);
    for (size_t i = 0; reply.rv == CKR_OK && i < n; i++)
        reply = p11_kmip_item(session, resp, i, NULL);
    kmip_response_free(resp);
    return reply;
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
    p11_reply reply = destroy(session, version, object, active);
    /* PyKMIP refuses an Active object with Permission Denied. */
    if (!active && reply.answer == P11_ANSWER_PERMISSION)
        reply = destroy(session, version, object, true);
    rv = reply.rv;
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
    rv = p11_object_write_check(session, hObject);
    if (rv == CKR_OK)
        rv = p11_session_check_login(session);
    if (rv == CKR_OK)
        rv = p11_object_get(session, hObject, &object);
    if (rv == CKR_OK && object->owner != 0)
        p11_object_mark_destroyed(object); /* kept in the process */
    else if (rv == CKR_OK)
        rv = revoke_and_destroy(session, object);
    p11_session_release(session);
    return rv;
}
