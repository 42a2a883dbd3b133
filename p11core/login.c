/* SPDX-License-Identifier: Apache-2.0 */
/* C_Login, C_Logout, C_SetPIN by the slot's login mode:
 *   none            no PIN; C_Login accepts any (protected auth path).
 *   key-passphrase  the PIN decrypts the client TLS key; the client is
 *                   built at login. A wrong PIN sends nothing.
 *   credential      the PIN is the KMIP password sent in each request
 *                   header; C_Login checks it with one Query. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "kmip/tags.h"

/* A NUL-terminated copy of the PIN (free with pin_free with the same
 * len), or NULL. */
static char *pin_dup(CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    char *copy = malloc(len + 1);

    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, pin, len);
    copy[len] = '\0';
    return copy;
}

/* Wipes all of the copy: a PIN may hold a NUL byte before its end. */
static void pin_free(char *pin, CK_ULONG len)
{
    kmip_buffer_free(pin, len + 1);
}

/* Decrypts slot's client key with passphrase: *key (free with
 * EVP_PKEY_free) or CKR_PIN_INCORRECT; CKR_DEVICE_ERROR when the file
 * cannot be read. */
static CK_RV read_client_key(const p11_slot *slot, const char *passphrase,
                             EVP_PKEY **key)
{
    FILE *file = fopen(slot->conf->key, "re");

    if (file == NULL) {
        p11_log_error("slot %lu: cannot open client key %s", slot->id,
                      slot->conf->key);
        return CKR_DEVICE_ERROR;
    }
    *key = PEM_read_PrivateKey(file, NULL, NULL, (void *)passphrase);
    fclose(file);
    ERR_clear_error();
    return *key != NULL ? CKR_OK : CKR_PIN_INCORRECT;
}

static CK_RV check_key_passphrase(const p11_slot *slot, const char *pin)
{
    EVP_PKEY *key = NULL;
    CK_RV rv = read_client_key(slot, pin, &key);

    EVP_PKEY_free(key);
    return rv;
}

/* Sends one Query with the client built with the credential: an
 * authentication failure is a wrong PIN. */
static CK_RV check_credential(p11_session *session, kmip_client *client)
{
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    kmip_response *resp = NULL;
    kmip_status status;
    kmip_rc rc;

    session->device_error = 0;
    if (kmip_add_enum(payload, KMIP_TAG_QUERY_FUNCTION,
                      KMIP_QUERY_FUNCTION_QUERY_OPERATIONS) == NULL) {
        kmip_item_free(payload);
        return CKR_HOST_MEMORY;
    }
    rc = kmip_client_call_one(client, KMIP_OPERATION_QUERY, payload, 1, &resp,
                              &status);
    kmip_response_free(resp);
    if (rc == KMIP_OK)
        return CKR_OK;
    p11_reply reply = p11_reply_of(rc, &status);
    session->device_error = reply.reason;
    p11_log_warn("slot %lu: login: %s: %s", session->slot->id, kmip_rc_name(rc),
                 status.message);
    return reply.rv;
}

/* The client the login installs (NULL for mode none), built with pin. */
static CK_RV login_client(p11_session *session, const char *pin,
                          kmip_client **out)
{
    const p11_slot *slot = session->slot;
    CK_RV rv = CKR_OK;

    *out = NULL;
    switch (slot->conf->login) {
    case P11KMIP_LOGIN_NONE:
        break;
    case P11KMIP_LOGIN_KEY_PASSPHRASE:
        rv = check_key_passphrase(slot, pin);
        if (rv == CKR_OK)
            rv = p11_server_client_new(&slot->server, pin, NULL, out);
        break;
    case P11KMIP_LOGIN_CREDENTIAL:
        rv = p11_server_client_new(&slot->server, NULL, pin, out);
        if (rv == CKR_OK)
            rv = check_credential(session, *out);
        break;
    }
    if (rv != CKR_OK) {
        kmip_client_free(*out);
        *out = NULL;
    }
    return rv;
}

static CK_RV login(p11_session *session, CK_USER_TYPE user, const char *pin)
{
    p11_server *server = &session->slot->server;
    kmip_client *client;
    CK_RV rv;

    if (user == CKU_CONTEXT_SPECIFIC)
        return CKR_OPERATION_NOT_INITIALIZED; /* no key asks for it */
    if (user != CKU_USER)
        return CKR_USER_TYPE_INVALID; /* there is no security officer */
    if (p11_server_logged_in(server))
        return CKR_USER_ALREADY_LOGGED_IN;
    rv = login_client(session, pin, &client);
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
    pin = pin_dup(pPin, ulPinLen);
    rv = pin != NULL ? login(session, userType, pin) : CKR_HOST_MEMORY;
    pin_free(pin, ulPinLen);
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

/* Writes key encrypted with passphrase over path, atomically. */
static CK_RV write_client_key(const char *path, EVP_PKEY *key,
                              const char *passphrase)
{
    char tmp[4096];
    FILE *file;
    int fd;
    bool ok;

    if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
        return CKR_DEVICE_ERROR;
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0 || (file = fdopen(fd, "w")) == NULL) {
        if (fd >= 0)
            close(fd);
        p11_log_error("cannot write %s", tmp);
        return CKR_DEVICE_ERROR;
    }
    ok = PEM_write_PKCS8PrivateKey(file, key, EVP_aes_256_cbc(), NULL, 0, NULL,
                                   (void *)passphrase) == 1;
    ok = fclose(file) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        unlink(tmp);
        ERR_clear_error();
        p11_log_error("cannot replace client key %s", path);
        return CKR_DEVICE_ERROR;
    }
    return CKR_OK;
}

/* key-passphrase mode: re-encrypts the client key with the new PIN. */
static CK_RV set_pin(p11_session *session, const char *old_pin,
                     const char *new_pin)
{
    const p11_slot *slot = session->slot;
    EVP_PKEY *key = NULL;
    CK_RV rv;

    if (slot->conf->login != P11KMIP_LOGIN_KEY_PASSPHRASE)
        return CKR_FUNCTION_NOT_SUPPORTED;
    if (!(session->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (new_pin[0] == '\0')
        return CKR_PIN_LEN_RANGE;
    rv = read_client_key(slot, old_pin, &key);
    if (rv == CKR_OK)
        rv = write_client_key(slot->conf->key, key, new_pin);
    EVP_PKEY_free(key);
    return rv;
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
        old_pin = pin_dup(pOldPin, ulOldLen);
        new_pin = pin_dup(pNewPin, ulNewLen);
        rv = old_pin != NULL && new_pin != NULL
                 ? set_pin(session, old_pin, new_pin)
                 : CKR_HOST_MEMORY;
    }
    pin_free(old_pin, ulOldLen);
    pin_free(new_pin, ulNewLen);
    p11_session_release(session);
    return rv;
}
