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
static p11_reply create_then_activate(p11_session *session,
                                      kmip_version version, uint32_t operation,
                                      kmip_item *payload, kmip_response **resp,
                                      const kmip_item **out_payload)
{
    kmip_response *activated = NULL;
    p11_reply reply = p11_kmip_call_one(session, operation, payload, false,
                                        resp, out_payload);

    if (reply.rv != CKR_OK)
        return reply;
    const char *uid = created_uid(*out_payload);
    if (uid == NULL || p11_kmip_call_one(session, KMIP_OPERATION_ACTIVATE,
                                         kmip_activate_request(version, uid),
                                         true, &activated, NULL)
                               .rv != CKR_OK)
        warn_inactive();
    kmip_response_free(activated);
    return reply;
}

/* The operation's result in the answer to the operation and Activate of
 * the ID Placeholder; *resp is freed and NULL unless it is DONE. */
static p11_reply batch_result(p11_session *session, kmip_response **resp,
                              const kmip_item **out_payload)
{
    p11_reply reply = p11_kmip_item(session, *resp, 0, out_payload);

    if (reply.rv != CKR_OK) {
        kmip_response_free(*resp);
        *resp = NULL;
        return reply;
    }
    /* The object exists even when Activate failed: hand it out, it can
     * still be read and destroyed. */
    if (p11_kmip_item(session, *resp, 1, NULL).rv == CKR_OK)
        p11_server_learn(&session->slot->server, P11_FACT_ID_PLACEHOLDER, true);
    else
        warn_inactive();
    return reply;
}

/* p11_create_and_activate without the session objects. */
static p11_reply send_and_activate(p11_session *session, kmip_version version,
                                   uint32_t operation, kmip_item *payload,
                                   kmip_response **resp,
                                   const kmip_item **out_payload)
{
    p11_server *server = &session->slot->server;

    if (p11_server_knows(server, P11_FACT_ID_PLACEHOLDER) ==
        P11_SUPPORT_REFUSED)
        return create_then_activate(session, version, operation, payload, resp,
                                    out_payload);
    /* Kept to resend when the server refuses the whole batch. */
    kmip_item *spare = payload != NULL ? kmip_item_dup(payload) : NULL;
    kmip_request_item items[2] = {
        {operation, payload},
        {KMIP_OPERATION_ACTIVATE, kmip_activate_request(version, NULL)},
    };
    if (spare == NULL || items[1].payload == NULL) {
        kmip_request_item_clear(&items[0]);
        kmip_request_item_clear(&items[1]);
        kmip_item_free(spare);
        return p11_reply_local(CKR_HOST_MEMORY);
    }
    p11_reply reply = p11_kmip_call(session, items, 2, false, resp);
    if (reply.answer == P11_ANSWER_UNSUPPORTED) {
        reply = create_then_activate(session, version, operation, spare, resp,
                                     out_payload);
        if (reply.rv == CKR_OK)
            p11_server_learn(server, P11_FACT_ID_PLACEHOLDER, false);
        return reply;
    }
    kmip_item_free(spare);
    return reply.rv == CKR_OK ? batch_result(session, resp, out_payload)
                              : reply;
}

p11_reply p11_create_and_activate(p11_session *session, kmip_version version,
                                  uint32_t operation, kmip_item *payload,
                                  kmip_response **resp,
                                  const kmip_item **out_payload)
{
    p11_session_claim claim;

    p11_session_claim_scan(payload, &claim);
    p11_reply reply = send_and_activate(session, version, operation, payload,
                                        resp, out_payload);
    if (reply.rv == CKR_OK)
        p11_session_claim_take(session, *out_payload, &claim);
    return reply;
}

p11_reply p11_make_object(p11_session *session, kmip_version version,
                          uint32_t operation, kmip_item *payload,
                          CK_OBJECT_HANDLE *handle)
{
    return p11_make_key(session, version, operation, payload, false, handle);
}

p11_reply p11_make_key(p11_session *session, kmip_version version,
                       uint32_t operation, kmip_item *payload,
                       bool keep_public_half, CK_OBJECT_HANDLE *handle)
{
    kmip_response *resp = NULL;
    const kmip_item *out;
    p11_reply reply = p11_create_and_activate(session, version, operation,
                                              payload, &resp, &out);

    if (reply.rv == CKR_OK && keep_public_half)
        p11_keep_public_half(session, version, created_uid(out),
                             created_uid(out), KMIP_KEY_FORMAT_TYPE_X_509);
    if (reply.rv == CKR_OK)
        reply.rv = p11_new_handle(session, created_uid(out), handle);
    kmip_response_free(resp);
    return reply;
}

/* The fact of the server behind an extra. */
static p11_fact extra_fact(unsigned extra)
{
    return extra == P11_SEND_CUSTOM ? P11_FACT_CUSTOM_ID
                                    : P11_FACT_EXPORT_ATTRS;
}

/* What a new object of session's slot may carry besides Name and usage. */
static unsigned extras_for(p11_server *server, kmip_version version,
                           bool wants_custom)
{
    unsigned extras = 0;

    if (wants_custom &&
        p11_server_knows(server, P11_FACT_CUSTOM_ID) != P11_SUPPORT_REFUSED)
        extras |= P11_SEND_CUSTOM;
    if (kmip_version_cmp(version, KMIP_VERSION(1, 4)) >= 0 &&
        p11_server_knows(server, P11_FACT_EXPORT_ATTRS) != P11_SUPPORT_REFUSED)
        extras |= P11_SEND_EXPORT;
    return extras;
}

p11_reply p11_create_with_extras(p11_session *session, bool wants_custom,
                                 p11_create_fn *create, void *args)
{
    p11_server *server = &session->slot->server;
    kmip_version version;
    CK_RV rv = p11_kmip_version(session, &version);

    if (rv != CKR_OK)
        return p11_reply_local(rv);
    unsigned extras = extras_for(server, version, wants_custom), dropped = 0;
    p11_reply reply = create(session, args, extras);

    while (reply.answer == P11_ANSWER_UNSUPPORTED && extras != 0) {
        unsigned extra =
            (extras & P11_SEND_CUSTOM) ? P11_SEND_CUSTOM : P11_SEND_EXPORT;

        extras &= ~extra;
        dropped |= extra;
        reply = create(session, args, extras);
    }
    if (reply.rv != CKR_OK)
        return reply;
    for (unsigned extra = P11_SEND_CUSTOM; extra <= P11_SEND_EXPORT;
         extra <<= 1) {
        if (extras & extra)
            p11_server_learn(server, extra_fact(extra), true);
        else if (dropped & extra)
            p11_server_learn(server, extra_fact(extra), false);
    }
    return reply;
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
