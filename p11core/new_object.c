/* SPDX-License-Identifier: Apache-2.0 */
/* What C_CreateObject, C_GenerateKey and C_GenerateKeyPair share: the
 * session checks, and sending the creating operation with an Activate of
 * its result (the ID Placeholder) in one batch. */
#include "core.h"

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "new_object.h"

CK_RV p11_new_object_check(p11_session *session)
{
    if (!(session->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    return p11_session_check_login(session);
}

/* The Unique Identifier a create-like response names (the private key's
 * for Create Key Pair), or NULL. */
static const char *created_uid(const kmip_item *payload)
{
    const char *uid = NULL;
    size_t len;

    if (kmip_get_text(payload, KMIP_TAG_PRIVATE_KEY_UNIQUE_IDENTIFIER, &uid,
                      &len, NULL) != KMIP_OK)
        kmip_get_text(payload, KMIP_TAG_UNIQUE_IDENTIFIER, &uid, &len, NULL);
    return uid;
}

static void warn_inactive(void)
{
    p11_log_warn("created object left inactive: Activate failed");
}

/* For servers that do not take an Activate without Unique Identifier
 * (PyKMIP): the operation, then Activate naming the new object. */
static CK_RV create_then_activate(p11_session *session, kmip_version version,
                                  uint32_t operation, kmip_item *payload,
                                  kmip_response **resp,
                                  const kmip_item **out_payload)
{
    kmip_response *activated = NULL;
    const char *uid;
    CK_RV rv = p11_kmip_call_one(session, operation, payload, false, resp,
                                 out_payload);

    if (rv != CKR_OK)
        return rv;
    uid = created_uid(*out_payload);
    if (uid == NULL || p11_kmip_call_one(session, KMIP_OPERATION_ACTIVATE,
                                         kmip_activate_request(version, uid),
                                         true, &activated, NULL) != CKR_OK)
        warn_inactive();
    kmip_response_free(activated);
    return CKR_OK;
}

CK_RV p11_create_and_activate(p11_session *session, kmip_version version,
                              uint32_t operation, kmip_item *payload,
                              kmip_response **resp,
                              const kmip_item **out_payload)
{
    p11_slot *slot = session->slot;
    /* Kept to resend when the server rejects the whole batch. */
    kmip_item *spare;

    kmip_request_item items[2] = {
        {operation, payload},
        {KMIP_OPERATION_ACTIVATE, kmip_activate_request(version, NULL)},
    };
    CK_RV rv;

    if (atomic_load(&slot->no_id_placeholder)) {
        kmip_request_item_clear(&items[1]);
        return create_then_activate(session, version, operation, payload, resp,
                                    out_payload);
    }
    spare = payload != NULL ? kmip_item_dup(payload) : NULL;
    if (spare == NULL || items[1].payload == NULL) {
        kmip_request_item_clear(&items[0]);
        kmip_request_item_clear(&items[1]);
        kmip_item_free(spare);
        return CKR_HOST_MEMORY;
    }
    rv = p11_kmip_call(session, items, 2, false, resp);
    if (rv != CKR_OK &&
        session->device_error == KMIP_RESULT_REASON_INVALID_MESSAGE) {
        p11_log_info("server refused Activate by ID Placeholder: "
                     "activating in a second request from now on");
        atomic_store(&slot->no_id_placeholder, true);
        return create_then_activate(session, version, operation, spare, resp,
                                    out_payload);
    }
    kmip_item_free(spare);
    if (rv != CKR_OK)
        return rv;
    rv = p11_kmip_item_rv(session, *resp, 0, out_payload);
    /* The object exists even when Activate failed: hand it out, it can
     * still be read and destroyed. */
    if (rv == CKR_OK && p11_kmip_item_rv(session, *resp, 1, NULL) != CKR_OK)
        warn_inactive();
    if (rv != CKR_OK) {
        kmip_response_free(*resp);
        *resp = NULL;
    }
    return rv;
}

unsigned p11_new_object_extras(const p11_session *session, kmip_version version,
                               bool with_custom)
{
    const p11_slot *slot = session->slot;
    unsigned extras = 0;

    if (with_custom && !atomic_load(&slot->no_custom_id))
        extras |= P11_SEND_CUSTOM;
    if (kmip_version_cmp(version, KMIP_VERSION(1, 4)) >= 0 &&
        !atomic_load(&slot->no_export_attrs))
        extras |= P11_SEND_EXPORT;
    return extras;
}

/* What a refused extra is, what the slot then does without it. */
static const struct {
    unsigned extra;
    const char *what;
    const char *instead;
} extra_names[] = {
    {P11_SEND_CUSTOM, "custom attributes (x-pkcs11-id, ...)",
     "CKA_ID falls back to the KMIP Unique Identifier"},
    {P11_SEND_EXPORT, "Sensitive and Extractable",
     "keys are shown as the server keeps them"},
};

static void forget_extra(p11_slot *slot, unsigned extra)
{
    atomic_store(extra == P11_SEND_CUSTOM ? &slot->no_custom_id
                                          : &slot->no_export_attrs,
                 true);
    for (size_t i = 0; i < sizeof(extra_names) / sizeof(extra_names[0]); i++)
        if (extra_names[i].extra == extra)
            p11_log_warn("slot %lu: the server does not store %s: %s", slot->id,
                         extra_names[i].what, extra_names[i].instead);
}

bool p11_retry_with_fewer(p11_session *session, CK_RV rv, unsigned sent)
{
    switch (rv == CKR_OK || sent == 0 ? 0 : session->device_error) {
    case KMIP_RESULT_REASON_INVALID_MESSAGE:
    case KMIP_RESULT_REASON_INVALID_FIELD:
    case KMIP_RESULT_REASON_INVALID_ATTRIBUTE:
    case KMIP_RESULT_REASON_UNSUPPORTED_ATTRIBUTE:
        forget_extra(session->slot, (sent & P11_SEND_CUSTOM) ? P11_SEND_CUSTOM
                                                             : P11_SEND_EXPORT);
        return true;
    default:
        return false;
    }
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
