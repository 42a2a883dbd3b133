/* SPDX-License-Identifier: Apache-2.0 */
/* C_Login, C_Logout, C_SetPIN by the slot's login mode:
 *   none            no PIN; C_Login accepts any (protected auth path).
 *   key-passphrase  the PIN decrypts the client TLS key or opens the
 *                   PKCS#12 bundle (credentials.c); the client is built
 *                   at login. A wrong PIN sends nothing. C_SetPIN
 *                   re-encrypts the file.
 *   credential      the PIN is the KMIP password sent in each request
 *                   header; C_Login checks it with one Query. */
#include "core.h"

#include "kmip/tags.h"

/* Sends one Query with the client built with the credential: an
 * authentication failure is a wrong PIN. */
static CK_RV check_credential(const p11_slot *slot, kmip_client *client,
                              CK_ULONG *device_error)
{
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    kmip_response *resp = NULL;
    kmip_status status;
    kmip_rc rc;

    *device_error = 0;
    if (kmip_add_enum(payload, KMIP_TAG_QUERY_FUNCTION,
                      KMIP_QUERY_FUNCTION_QUERY_OPERATIONS) == NULL) {
        kmip_item_free(payload);
        return CKR_HOST_MEMORY;
    }
    rc = kmip_client_call_one(client, KMIP_OPERATION_QUERY, payload, 1, &resp,
                              &status);
    kmip_response_free(resp);
    p11_log_trace("slot %lu: KMIP Query (login check) -> %s", slot->id,
                  rc == KMIP_OK ? "Success" : kmip_rc_name(rc));
    if (rc == KMIP_OK)
        return CKR_OK;
    p11_reply reply = p11_reply_of(rc, &status);
    *device_error = reply.reason;
    p11_log_warn("slot %lu: login: %s: %s", slot->id, kmip_rc_name(rc),
                 status.message);
    return reply.rv;
}

/* The client the login installs (NULL for mode none), built with pin;
 * a refused credential's Result Reason into *device_error. */
static CK_RV login_client(const p11_slot *slot, const char *pin,
                          CK_ULONG *device_error, kmip_client **out)
{
    CK_RV rv = CKR_OK;

    *out = NULL;
    switch (slot->conf->login) {
    case P11KMIP_LOGIN_NONE:
        break;
    case P11KMIP_LOGIN_KEY_PASSPHRASE:
        rv = p11_credential_check(slot->conf, pin);
        if (rv == CKR_OK)
            rv = p11_server_client_new(&slot->server, pin, NULL, out);
        break;
    case P11KMIP_LOGIN_CREDENTIAL:
        rv = p11_server_client_new(&slot->server, NULL, pin, out);
        if (rv == CKR_OK)
            rv = check_credential(slot, *out, device_error);
        break;
    }
    if (rv != CKR_OK) {
        kmip_client_free(*out);
        *out = NULL;
    }
    return rv;
}

CK_RV p11_login_check(const p11_slot *slot, const char *pin, CK_ULONG pin_len)
{
    CK_ULONG device_error;
    kmip_client *client = NULL;
    CK_RV rv = slot->conf->login == P11KMIP_LOGIN_NONE
                   ? CKR_OK
                   : p11_pin_check(pin, pin_len);

    if (rv == CKR_OK)
        rv = login_client(slot, pin, &device_error, &client);
    kmip_client_free(client);
    return rv;
}

/* CKU_CONTEXT_SPECIFIC: the PIN, checked as C_Login checks it, lets the
 * session's operations whose key is CKA_ALWAYS_AUTHENTICATE run once. */
static CK_RV context_login(p11_session *session, const char *pin,
                           CK_ULONG pin_len)
{
    bool waiting = false;
    CK_RV rv;

    for (size_t i = 0; i < P11_OP_KINDS; i++)
        waiting |=
            session->ops[i].active && session->ops[i].needs_context_login;
    if (!waiting)
        return CKR_OPERATION_NOT_INITIALIZED;
    rv = p11_login_check(session->slot, pin, pin_len);
    for (size_t i = 0; rv == CKR_OK && i < P11_OP_KINDS; i++)
        session->ops[i].needs_context_login = false;
    return rv;
}

static CK_RV login(p11_session *session, CK_USER_TYPE user, const char *pin,
                   CK_ULONG pin_len)
{
    p11_server *server = &session->slot->server;
    kmip_client *client;
    CK_RV rv;

    if (user == CKU_CONTEXT_SPECIFIC)
        return context_login(session, pin, pin_len);
    if (user != CKU_USER)
        return CKR_USER_TYPE_INVALID; /* there is no security officer */
    if (p11_server_logged_in(server))
        return CKR_USER_ALREADY_LOGGED_IN;
    if (session->slot->conf->login != P11KMIP_LOGIN_NONE &&
        (rv = p11_pin_check(pin, pin_len)) != CKR_OK)
        return rv;
    rv = login_client(session->slot, pin, &session->device_error, &client);
    if (rv != CKR_OK)
        return rv;
    return p11_server_login(server, client);
}

P11_EXPORT CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType,
                         CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    p11_session *session;
    char *pin;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (pPin == NULL && ulPinLen > 0) {
        p11_session_release(session);
        return CKR_ARGUMENTS_BAD;
    }
    pin = p11_pin_dup(pPin, ulPinLen);
    rv =
        pin != NULL ? login(session, userType, pin, ulPinLen) : CKR_HOST_MEMORY;
    p11_pin_free(pin, ulPinLen);
    p11_session_release(session);
    return rv;
}

P11_EXPORT CK_RV C_Logout(CK_SESSION_HANDLE hSession)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (p11_server_logged_in(&session->slot->server))
        p11_server_logout(&session->slot->server);
    else
        rv = CKR_USER_NOT_LOGGED_IN;
    p11_session_release(session);
    return rv;
}

/* Re-encrypts the credential the PIN protects (key-passphrase mode, a
 * PEM key or a PKCS#12 bundle). Other modes keep no PIN of the module's:
 * a KMIP password is changed on the server, and mode none has none. */
static CK_RV set_pin(p11_session *session, const char *old_pin,
                     CK_ULONG old_len, const char *new_pin, CK_ULONG new_len)
{
    const p11kmip_slot_conf *conf = session->slot->conf;
    CK_RV rv;

    if (conf->login != P11KMIP_LOGIN_KEY_PASSPHRASE)
        return CKR_FUNCTION_NOT_SUPPORTED;
    if (!(session->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (p11_pin_check(old_pin, old_len) != CKR_OK)
        return CKR_PIN_INCORRECT;
    if ((rv = p11_pin_check(new_pin, new_len)) != CKR_OK)
        return rv;
    return p11_credential_change(conf, old_pin, new_pin);
}

P11_EXPORT CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin,
                          CK_ULONG ulOldLen, CK_UTF8CHAR_PTR pNewPin,
                          CK_ULONG ulNewLen)
{
    p11_session *session;
    char *old_pin = NULL;
    char *new_pin = NULL;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if ((pOldPin == NULL && ulOldLen > 0) || (pNewPin == NULL && ulNewLen > 0))
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK) {
        old_pin = p11_pin_dup(pOldPin, ulOldLen);
        new_pin = p11_pin_dup(pNewPin, ulNewLen);
        rv = old_pin != NULL && new_pin != NULL
                 ? set_pin(session, old_pin, ulOldLen, new_pin, ulNewLen)
                 : CKR_HOST_MEMORY;
    }
    p11_pin_free(old_pin, ulOldLen);
    p11_pin_free(new_pin, ulNewLen);
    p11_session_release(session);
    return rv;
}
