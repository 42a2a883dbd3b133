// SPDX-License-Identifier: Apache-2.0
/* Destroying an object on the server: Revoke (servers refuse to destroy
 * an Active object) then Destroy, in one batch. C_DestroyObject and the
 * end of session keys (session_keys.c) use it. */
#include "core.h"

#include "kmip/payloads.h"
#include "kmip/tags.h"

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

/* Revokes first when the cached state says Active (or none was read: a
 * session key just made); when the server finds the object Active all the
 * same (the cache is older), revokes and tries again. */
CK_RV p11_object_destroy_on_server(p11_session *session, p11_object *object)
{
    kmip_version version;
    bool active;
    CK_RV rv = p11_kmip_version(session, &version);

    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&object->lock);
    active = object->state == KMIP_STATE_ACTIVE || !object->loaded;
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
