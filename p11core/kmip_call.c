/* SPDX-License-Identifier: Apache-2.0 */
/* Every KMIP request of a session goes through here: its slot's server,
 * the device error (ulDeviceError) and the log. */
#include "p11core_internal.h"

#include "kmip/tags.h"

p11_reply p11_kmip_call(p11_session *session, kmip_request_item *items,
                        size_t n, bool idempotent, kmip_response **resp)
{
    p11_reply reply =
        p11_server_call(&session->slot->server, items, n, idempotent, resp);

    session->device_error = reply.reason;
    return reply;
}

p11_reply p11_kmip_item(p11_session *session, const kmip_response *resp,
                        size_t index, const kmip_item **payload)
{
    const kmip_response_item *item = kmip_response_item_for(resp, index);
    kmip_status status;

    if (item == NULL) {
        p11_log_warn("slot %lu: response without batch item %zu",
                     session->slot->id, index);
        return p11_reply_of(KMIP_E_NOT_FOUND, NULL);
    }
    kmip_rc rc = kmip_response_item_check(item, &status);
    if (rc != KMIP_OK) {
        const char *operation =
            kmip_enum_name(KMIP_TAG_OPERATION, item->operation);

        p11_log_warn("slot %lu: %s: %s: %s", session->slot->id,
                     operation != NULL ? operation : "operation",
                     kmip_rc_name(rc), status.message);
        p11_reply reply = p11_reply_of(rc, &status);
        session->device_error = reply.reason;
        return reply;
    }
    if (payload != NULL)
        *payload = item->payload;
    return p11_reply_of(KMIP_OK, NULL);
}

p11_reply p11_kmip_call_one(p11_session *session, uint32_t operation,
                            kmip_item *payload, bool idempotent,
                            kmip_response **resp, const kmip_item **out_payload)
{
    kmip_request_item item = {operation, payload};
    p11_reply reply = p11_kmip_call(session, &item, 1, idempotent, resp);

    if (reply.rv != CKR_OK)
        return reply;
    reply = p11_kmip_item(session, *resp, 0, out_payload);
    if (reply.rv != CKR_OK) {
        kmip_response_free(*resp);
        *resp = NULL;
    }
    return reply;
}

CK_RV p11_kmip_version(p11_session *session, kmip_version *out)
{
    p11_reply reply = p11_server_version(&session->slot->server, out);

    session->device_error = reply.reason;
    return reply.rv;
}
