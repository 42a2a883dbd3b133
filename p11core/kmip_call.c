/* SPDX-License-Identifier: Apache-2.0 */
/* Every KMIP request of the module goes through here: the slot's client
 * (built on first use), error mapping, the device error and the log. */
#include "core.h"

#include "kmip/tags.h"

/* The slot's client with slot->client_lock held for reading (release with
 * client_release), building it first when the login mode allows one
 * without a login. */
static CK_RV client_acquire(p11_slot *slot, kmip_client **out)
{
    CK_RV rv = CKR_OK;

    pthread_rwlock_rdlock(&slot->client_lock);
    if (slot->client != NULL) {
        *out = slot->client;
        return CKR_OK;
    }
    pthread_rwlock_unlock(&slot->client_lock);
    if (slot->conf->login == P11KMIP_LOGIN_KEY_PASSPHRASE)
        return CKR_USER_NOT_LOGGED_IN; /* the key is locked by the PIN */
    pthread_rwlock_wrlock(&slot->client_lock);
    if (slot->client == NULL)
        rv = p11_slot_client_new(slot, NULL, NULL, &slot->client);
    pthread_rwlock_unlock(&slot->client_lock);
    if (rv != CKR_OK)
        return rv;
    return client_acquire(slot, out);
}

static void client_release(p11_slot *slot)
{
    pthread_rwlock_unlock(&slot->client_lock);
}

static void record_failure(p11_session *session, kmip_rc rc,
                           const kmip_status *status, const char *what)
{
    if (rc == KMIP_E_RESULT)
        session->device_error = status->result_reason;
    p11_log_warn("slot %lu: %s: %s: %s", session->slot->id, what,
                 kmip_rc_name(rc), status->message);
}

CK_RV p11_kmip_call(p11_session *session, kmip_request_item *items, size_t n,
                    bool idempotent, kmip_response **resp)
{
    kmip_client *client;
    kmip_status status;
    kmip_rc rc;
    CK_RV rv = client_acquire(session->slot, &client);

    session->device_error = 0;
    if (rv != CKR_OK) {
        for (size_t i = 0; i < n; i++)
            kmip_request_item_clear(&items[i]);
        return rv;
    }
    rc = kmip_client_call(client, items, n, idempotent, resp, &status);
    client_release(session->slot);
    if (rc == KMIP_OK)
        return CKR_OK;
    record_failure(session, rc, &status, "request");
    return p11_rv_from_status(rc, &status);
}

CK_RV p11_kmip_item_rv(p11_session *session, const kmip_response *resp,
                       size_t index, const kmip_item **payload)
{
    const kmip_response_item *item = kmip_response_item_for(resp, index);
    kmip_status status;
    kmip_rc rc;

    if (item == NULL) {
        p11_log_warn("slot %lu: response without batch item %zu",
                     session->slot->id, index);
        return CKR_DEVICE_ERROR;
    }
    rc = kmip_response_item_check(item, &status);
    if (rc != KMIP_OK) {
        const char *operation =
            kmip_enum_name(KMIP_TAG_OPERATION, item->operation);

        record_failure(session, rc, &status,
                       operation != NULL ? operation : "operation");
        return p11_rv_from_status(rc, &status);
    }
    if (payload != NULL)
        *payload = item->payload;
    return CKR_OK;
}

CK_RV p11_kmip_call_one(p11_session *session, uint32_t operation,
                        kmip_item *payload, bool idempotent,
                        kmip_response **resp, const kmip_item **out_payload)
{
    kmip_request_item item = {operation, payload};
    CK_RV rv = p11_kmip_call(session, &item, 1, idempotent, resp);

    if (rv != CKR_OK)
        return rv;
    rv = p11_kmip_item_rv(session, *resp, 0, out_payload);
    if (rv != CKR_OK) {
        kmip_response_free(*resp);
        *resp = NULL;
    }
    return rv;
}

CK_RV p11_kmip_version(p11_session *session, kmip_version *out)
{
    kmip_client *client;
    kmip_status status;
    kmip_rc rc;
    CK_RV rv = client_acquire(session->slot, &client);

    if (rv != CKR_OK)
        return rv;
    rc = kmip_client_version(client, out, &status);
    client_release(session->slot);
    if (rc == KMIP_OK)
        return CKR_OK;
    record_failure(session, rc, &status, "Discover Versions");
    return p11_rv_from_status(rc, &status);
}
