/* SPDX-License-Identifier: Apache-2.0 */
/* Sessions: the table, lookup with references, open, close, info. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

void p11_session_free(p11_session *session)
{
    if (session == NULL)
        return;
    for (int kind = 0; kind < P11_OP_KINDS; kind++)
        p11_operation_end(&session->ops[kind]);
    p11_find_free(session->find);
    pthread_mutex_destroy(&session->lock);
    free(session);
}

/* Index of the open session with handle in module->sessions, or -1.
 * Called under module->lock. */
static ssize_t session_index(const p11_module *module, CK_SESSION_HANDLE handle)
{
    for (size_t i = 0; i < module->session_count; i++)
        if (module->sessions[i]->handle == handle)
            return (ssize_t)i;
    return -1;
}

CK_RV p11_session_acquire(CK_SESSION_HANDLE handle, p11_session **out)
{
    p11_module *module;
    p11_session *session;
    ssize_t index;
    bool closed;
    CK_RV rv = p11_module_get(&module);

    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&module->lock);
    index = session_index(module, handle);
    if (index < 0) {
        pthread_mutex_unlock(&module->lock);
        return CKR_SESSION_HANDLE_INVALID;
    }
    session = module->sessions[index];
    session->refs++;
    pthread_mutex_unlock(&module->lock);
    pthread_mutex_lock(&session->lock);
    /* C_CloseAllSessions may have closed it while we waited. */
    pthread_mutex_lock(&module->lock);
    closed = session->closed;
    pthread_mutex_unlock(&module->lock);
    if (closed) {
        p11_session_release(session);
        return CKR_SESSION_HANDLE_INVALID;
    }
    *out = session;
    return CKR_OK;
}

void p11_session_release(p11_session *session)
{
    p11_module *module;
    bool last;

    if (session == NULL)
        return;
    pthread_mutex_unlock(&session->lock);
    if (p11_module_get(&module) != CKR_OK)
        return; /* finalized under our feet: C_Finalize freed it */
    pthread_mutex_lock(&module->lock);
    last = --session->refs == 0;
    pthread_mutex_unlock(&module->lock);
    if (last)
        p11_session_free(session);
}

CK_STATE p11_session_state(const p11_session *session)
{
    bool rw = session->flags & CKF_RW_SESSION;

    if (p11_server_logged_in(&session->slot->server))
        return rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS;
    return rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION;
}

CK_RV p11_session_check_login(const p11_session *session)
{
    p11_slot *slot = session->slot;

    if (slot->conf->login == P11KMIP_LOGIN_NONE)
        return CKR_OK;
    return p11_server_logged_in(&slot->server) ? CKR_OK
                                               : CKR_USER_NOT_LOGGED_IN;
}

/* Removes module->sessions[index] from the table and drops the table's
 * reference; returns the session when that was the last one (the caller
 * frees it outside the lock), else NULL. Called under module->lock. */
static p11_session *session_unlink(p11_module *module, size_t index)
{
    p11_session *session = module->sessions[index];

    module->sessions[index] = module->sessions[--module->session_count];
    session->closed = true;
    session->slot->session_count--;
    if (session->flags & CKF_RW_SESSION)
        session->slot->rw_session_count--;
    return --session->refs == 0 ? session : NULL;
}

static CK_RV session_table_add(p11_module *module, p11_session *session)
{
    if (module->session_count == module->session_cap) {
        size_t cap = module->session_cap ? 2 * module->session_cap : 16;
        p11_session **grown =
            realloc(module->sessions, cap * sizeof(*module->sessions));

        if (grown == NULL)
            return CKR_HOST_MEMORY;
        module->sessions = grown;
        module->session_cap = cap;
    }
    session->handle = module->next_session_handle++;
    session->refs = 1;
    module->sessions[module->session_count++] = session;
    session->slot->session_count++;
    if (session->flags & CKF_RW_SESSION)
        session->slot->rw_session_count++;
    return CKR_OK;
}

P11_EXPORT CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags,
                               CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                               CK_SESSION_HANDLE_PTR phSession)
{
    p11_module *module;
    p11_slot *slot;
    p11_session *session;
    CK_RV rv = p11_slot_get(slotID, &slot);

    (void)pApplication; /* no notifications are sent */
    (void)Notify;
    if (rv != CKR_OK)
        return rv;
    if (phSession == NULL)
        return CKR_ARGUMENTS_BAD;
    if (!(flags & CKF_SERIAL_SESSION))
        return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
    p11_module_get(&module);
    session = calloc(1, sizeof(*session));
    if (session == NULL)
        return CKR_HOST_MEMORY;
    session->slot = slot;
    session->flags = flags & (CKF_SERIAL_SESSION | CKF_RW_SESSION);
    pthread_mutex_init(&session->lock, NULL);
    pthread_mutex_lock(&module->lock);
    rv = session_table_add(module, session);
    /* Once unlocked, another thread may close it (C_CloseAllSessions). */
    if (rv == CKR_OK)
        *phSession = session->handle;
    pthread_mutex_unlock(&module->lock);
    if (rv != CKR_OK)
        p11_session_free(session);
    return rv;
}

/* PKCS#11: closing the last session of a token logs the user out. */
static void logout_when_idle(p11_module *module, p11_slot *slot)
{
    bool idle;

    pthread_mutex_lock(&module->lock);
    idle = slot->session_count == 0;
    pthread_mutex_unlock(&module->lock);
    if (idle)
        p11_server_logout(&slot->server);
}

P11_EXPORT CK_RV C_CloseSession(CK_SESSION_HANDLE hSession)
{
    p11_module *module;
    p11_session *session;
    p11_slot *slot;
    ssize_t index;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    p11_module_get(&module);
    slot = session->slot;
    pthread_mutex_lock(&module->lock);
    index = session_index(module, hSession);
    if (index >= 0)
        session_unlink(module, (size_t)index); /* we still hold a ref */
    p11_local_objects_drop(module, slot, hSession);
    pthread_mutex_unlock(&module->lock);
    p11_session_release(session);
    p11_session_keys_end(slot, hSession);
    logout_when_idle(module, slot);
    return CKR_OK;
}

P11_EXPORT CK_RV C_CloseAllSessions(CK_SLOT_ID slotID)
{
    p11_module *module;
    p11_slot *slot;
    p11_session **to_free;
    size_t n_free = 0;
    CK_RV rv = p11_slot_get(slotID, &slot);

    if (rv != CKR_OK)
        return rv;
    p11_module_get(&module);
    pthread_mutex_lock(&module->lock);
    to_free = calloc(module->session_count + 1, sizeof(*to_free));
    if (to_free == NULL) {
        pthread_mutex_unlock(&module->lock);
        return CKR_HOST_MEMORY;
    }
    for (size_t i = module->session_count; i-- > 0;) {
        if (module->sessions[i]->slot != slot)
            continue;
        p11_session *last_ref = session_unlink(module, i);

        if (last_ref != NULL)
            to_free[n_free++] = last_ref;
    }
    p11_local_objects_drop(module, slot, 0);
    pthread_mutex_unlock(&module->lock);
    for (size_t i = 0; i < n_free; i++)
        p11_session_free(to_free[i]);
    free(to_free);
    p11_session_keys_end(slot, 0);
    p11_server_logout(&slot->server);
    return CKR_OK;
}

P11_EXPORT CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession,
                                  CK_SESSION_INFO_PTR pInfo)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (pInfo == NULL) {
        p11_session_release(session);
        return CKR_ARGUMENTS_BAD;
    }
    pInfo->slotID = session->slot->id;
    pInfo->state = p11_session_state(session);
    pInfo->flags = session->flags;
    pInfo->ulDeviceError = session->device_error;
    p11_session_release(session);
    return CKR_OK;
}
