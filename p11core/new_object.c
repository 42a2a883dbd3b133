/* SPDX-License-Identifier: Apache-2.0 */
/* What C_CreateObject, C_GenerateKey and C_GenerateKeyPair share: the
 * session checks, and sending the creating operation with an Activate of
 * its result (the ID Placeholder) in one batch. */
#include "core.h"

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "new_object.h"

CK_RV p11_new_object_check(p11_session *session)
{
    if (!(session->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    return p11_session_check_login(session);
}

CK_RV p11_create_and_activate(p11_session *session, kmip_version version,
                              uint32_t operation, kmip_item *payload,
                              kmip_response **resp,
                              const kmip_item **out_payload)
{
    kmip_request_item items[2] = {
        {operation, payload},
        {KMIP_OPERATION_ACTIVATE, kmip_activate_request(version, NULL)},
    };
    CK_RV rv;

    if (payload == NULL || items[1].payload == NULL) {
        kmip_request_item_clear(&items[0]);
        kmip_request_item_clear(&items[1]);
        return CKR_HOST_MEMORY;
    }
    rv = p11_kmip_call(session, items, 2, false, resp);
    if (rv != CKR_OK)
        return rv;
    rv = p11_kmip_item_rv(session, *resp, 0, out_payload);
    /* The object exists even when Activate failed: hand it out, it can
     * still be read and destroyed. */
    if (rv == CKR_OK && p11_kmip_item_rv(session, *resp, 1, NULL) != CKR_OK)
        p11_log_warn("created object left inactive: Activate failed");
    if (rv != CKR_OK) {
        kmip_response_free(*resp);
        *resp = NULL;
    }
    return rv;
}

CK_RV p11_new_handle(p11_session *session, const char *uid,
                     CK_OBJECT_HANDLE *handle)
{
    p11_object *object;
    CK_RV rv;

    if (uid == NULL)
        return CKR_DEVICE_ERROR;
    rv = p11_object_for_uid(session->slot, uid, &object);
    if (rv == CKR_OK)
        *handle = object->handle;
    return rv;
}
