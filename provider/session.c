/* SPDX-License-Identifier: Apache-2.0 */
/* The call layer's ownership of the module and the sessions: loading the
 * module, a pool of logged-in sessions per slot, and fork handling. A
 * forked child never uses the parent's sessions or locks: it initialises
 * the module afresh. The calls themselves are made in calls.c. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "kmip/process.h"
#include "pin.h"
#include "session.h"

#define IDLE_SESSIONS_PER_SLOT 8

/* p11core's entry point, linked into the provider. */
CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

typedef struct slot_pool {
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE idle[IDLE_SESSIONS_PER_SLOT];
    size_t idle_count;
    size_t open_count; /* sessions open on the slot, idle or borrowed */
    /* A token is logged in while it has an open session: closing its last
     * one logs it out (PKCS#11), so this falls back to false then. */
    bool logged_in;
    struct slot_pool *next;
} slot_pool;

struct p11prov_module {
    pthread_mutex_t lock; /* guards pools */
    CK_FUNCTION_LIST *fns;
    void *dl; /* dlopen handle; NULL for the linked-in core */
    pid_t pid;
    slot_pool *pools;
};

static struct p11prov_module *module_load(p11prov_ctx *ctx)
{
    struct p11prov_module *module = calloc(1, sizeof(*module));
    CK_C_GetFunctionList get_function_list = C_GetFunctionList;
    CK_RV rv;

    if (module == NULL) {
        p11prov_raise(ctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    if (ctx->module_path != NULL) {
        module->dl = dlopen(ctx->module_path, RTLD_NOW | RTLD_LOCAL);
        if (module->dl == NULL) {
            p11prov_raise(ctx, P11PROV_R_MODULE, "cannot load %s: %s",
                          ctx->module_path, dlerror());
            free(module);
            return NULL;
        }
        get_function_list =
            (CK_C_GetFunctionList)dlsym(module->dl, "C_GetFunctionList");
    }
    rv = p11prov_call_initialize(ctx, get_function_list, &module->fns,
                                 P11PROV_SITE);
    if (rv != CKR_OK) {
        p11prov_raise_rv(ctx, rv,
                         ctx->module_path != NULL ? ctx->module_path
                                                  : "p11kmip core");
        if (module->dl != NULL)
            dlclose(module->dl);
        free(module);
        return NULL;
    }
    pthread_mutex_init(&module->lock, NULL);
    module->pid = kmip_process_id();
    return module;
}

/* The module for this process: loaded on first use, and loaded again in
 * a forked child, whose copy of the parent's state is abandoned (its
 * sessions are the parent's, its locks may be held). */
struct p11prov_module *p11prov_module_current(p11prov_ctx *ctx)
{
    struct p11prov_module *module;

    module = __atomic_load_n(&ctx->module, __ATOMIC_ACQUIRE);
    if (module != NULL && module->pid == kmip_process_id())
        return module;
    pthread_mutex_lock(&ctx->module_lock);
    module = ctx->module;
    if (module == NULL || module->pid != kmip_process_id()) {
        module = module_load(ctx);
        if (module != NULL)
            __atomic_store_n(&ctx->module, module, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&ctx->module_lock);
    return module;
}

CK_FUNCTION_LIST *p11prov_module_functions(const struct p11prov_module *module)
{
    return module->fns;
}

CK_SLOT_ID p11prov_session_slot(const p11prov_session *session)
{
    return session->slot;
}

static slot_pool *pool_for(struct p11prov_module *module, CK_SLOT_ID slot)
{
    slot_pool *pool;

    for (pool = module->pools; pool != NULL; pool = pool->next) {
        if (pool->slot == slot)
            return pool;
    }
    pool = calloc(1, sizeof(*pool));
    if (pool != NULL) {
        pool->slot = slot;
        pool->next = module->pools;
        module->pools = pool;
    }
    return pool;
}

/* The token's label without its padding. */
static void token_label(const CK_TOKEN_INFO *token, char label[33])
{
    size_t len = sizeof(token->label);

    while (len > 0 && token->label[len - 1] == ' ')
        len--;
    memcpy(label, token->label, len);
    label[len] = '\0';
}

/* The PIN p11kmip-pin gives, in *pin (the caller wipes it): read again
 * each time, or with p11kmip-cache-pins the first time only, so that a
 * process that can no longer read the PIN file (a worker after dropping
 * privileges) still logs in. 0, or -1 with an error raised. */
static int configured_pin(p11prov_ctx *ctx, char **pin)
{
    int rc = 0;

    if (!ctx->cache_pins || ctx->pin == NULL)
        return p11prov_pin_resolve(ctx, ctx->pin, pin);
    pthread_mutex_lock(&ctx->module_lock);
    if (ctx->cached_pin == NULL)
        rc = p11prov_pin_resolve(ctx, ctx->pin, &ctx->cached_pin);
    *pin = rc == 0 ? OPENSSL_strdup(ctx->cached_pin) : NULL;
    pthread_mutex_unlock(&ctx->module_lock);
    return rc == 0 && *pin == NULL ? -1 : rc;
}

/* Logs the session's token in, once per token: with pin, or through the
 * protected authentication path when the token has one. Errors name uri,
 * what the session is for, and say where a PIN is given. */
static CK_RV login(p11prov_session *session, const char *uri_pin,
                   const char *uri)
{
    p11prov_ctx *ctx = session->ctx;
    CK_TOKEN_INFO token;
    char label[33], *pin = NULL;
    CK_RV rv =
        p11prov_call_token_info(ctx, session->slot, &token, P11PROV_SITE);

    if (rv != CKR_OK || !(token.flags & CKF_LOGIN_REQUIRED) ||
        ctx->login == P11PROV_LOGIN_NEVER)
        return rv;
    token_label(&token, label);
    if (!(token.flags & CKF_PROTECTED_AUTHENTICATION_PATH) &&
        (uri_pin != NULL ? p11prov_pin_resolve(ctx, uri_pin, &pin)
                         : configured_pin(ctx, &pin)) != 0)
        return CKR_PIN_INCORRECT;
    if (pin == NULL && !(token.flags & CKF_PROTECTED_AUTHENTICATION_PATH)) {
        p11prov_raise(ctx, P11PROV_R_LOGIN,
                      "%s: token \"%s\" on slot %lu needs a PIN: set "
                      "p11kmip-pin in openssl.cnf or pin-value/pin-source in "
                      "the URI",
                      uri, label, (unsigned long)session->slot);
        return CKR_USER_NOT_LOGGED_IN;
    }
    rv = p11prov_call_login(session, pin, P11PROV_SITE);
    if (pin != NULL)
        OPENSSL_clear_free(pin, strlen(pin));
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
        p11prov_raise(ctx, P11PROV_R_LOGIN,
                      "%s: login to token \"%s\" on slot %lu failed: check "
                      "p11kmip-pin in openssl.cnf or the URI's "
                      "pin-value/pin-source",
                      uri, label, (unsigned long)session->slot);
    return rv == CKR_USER_ALREADY_LOGGED_IN ? CKR_OK : rv;
}

/* Takes an idle session of slot's pool into session, if there is one;
 * *logged_in says whether the token is. NULL when out of memory. */
static slot_pool *take_idle(struct p11prov_module *module,
                            p11prov_session *session, bool *logged_in)
{
    slot_pool *pool;

    pthread_mutex_lock(&module->lock);
    pool = pool_for(module, session->slot);
    if (pool != NULL && pool->idle_count > 0)
        session->handle = pool->idle[--pool->idle_count];
    *logged_in = pool != NULL && pool->logged_in;
    pthread_mutex_unlock(&module->lock);
    return pool;
}

/* Opens a session into session, logging its token in unless logged_in,
 * and counts it in pool. Errors name uri. */
static CK_RV open_new(p11prov_session *session, slot_pool *pool, bool logged_in,
                      const char *uri_pin, const char *uri)
{
    CK_RV rv = p11prov_call_open(session, P11PROV_SITE);

    if (rv != CKR_OK)
        p11prov_raise(session->ctx, P11PROV_R_TOKEN,
                      "%s: no session on slot %lu", uri,
                      (unsigned long)session->slot);
    else if (!logged_in)
        rv = login(session, uri_pin, uri);
    if (rv != CKR_OK) {
        if (session->handle != CK_INVALID_HANDLE)
            p11prov_call_close(session, P11PROV_SITE);
        return rv;
    }
    pthread_mutex_lock(&session->module->lock);
    pool->open_count++;
    pool->logged_in = true;
    pthread_mutex_unlock(&session->module->lock);
    return CKR_OK;
}

p11prov_session *p11prov_session_get(p11prov_ctx *ctx, CK_SLOT_ID slot,
                                     const char *uri_pin, const char *uri)
{
    struct p11prov_module *module = p11prov_module_current(ctx);
    p11prov_session *session;
    slot_pool *pool;
    bool logged_in;

    if (module == NULL)
        return NULL;
    session = calloc(1, sizeof(*session));
    if (session == NULL) {
        p11prov_raise(ctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    *session =
        (p11prov_session){ctx, module, module->fns, slot, CK_INVALID_HANDLE};
    pool = take_idle(module, session, &logged_in);
    if (pool == NULL)
        p11prov_raise(ctx, P11PROV_R_INTERNAL, "out of memory");
    if (pool == NULL ||
        (session->handle == CK_INVALID_HANDLE &&
         open_new(session, pool, logged_in, uri_pin, uri) != CKR_OK)) {
        free(session);
        return NULL;
    }
    return session;
}

/* Closes a session under the module lock, so that no other thread sees
 * the token logged in while its last session closes. */
static void close_session(p11prov_session *session)
{
    struct p11prov_module *module = session->module;
    slot_pool *pool;

    pthread_mutex_lock(&module->lock);
    p11prov_call_close(session, P11PROV_SITE);
    pool = pool_for(module, session->slot);
    if (pool != NULL && pool->open_count > 0 && --pool->open_count == 0)
        pool->logged_in = false;
    pthread_mutex_unlock(&module->lock);
}

/* Answers after which a session is not given back to the pool: it is
 * gone, or an operation may still be active in it. */
static const CK_RV session_spent[] = {
    CKR_BUFFER_TOO_SMALL,         CKR_OPERATION_ACTIVE,
    CKR_SESSION_HANDLE_INVALID,   CKR_SESSION_CLOSED,
    CKR_DEVICE_REMOVED,           CKR_TOKEN_NOT_PRESENT,
    CKR_CRYPTOKI_NOT_INITIALIZED,
};

static bool keeps_session(CK_RV rv)
{
    for (size_t i = 0; i < sizeof(session_spent) / sizeof(session_spent[0]);
         i++) {
        if (session_spent[i] == rv)
            return false;
    }
    return true;
}

void p11prov_session_end(p11prov_session *session, CK_RV rv)
{
    struct p11prov_module *module;
    slot_pool *pool;
    bool kept = false;

    if (session == NULL)
        return;
    module = session->module;
    if (module->pid == kmip_process_id()) {
        pthread_mutex_lock(&module->lock);
        pool = pool_for(module, session->slot);
        if (keeps_session(rv) && pool != NULL &&
            pool->idle_count < IDLE_SESSIONS_PER_SLOT) {
            pool->idle[pool->idle_count++] = session->handle;
            kept = true;
        }
        pthread_mutex_unlock(&module->lock);
        if (!kept)
            close_session(session);
    }
    free(session);
}

int p11prov_login_early(p11prov_ctx *ctx)
{
    p11prov_uri *all = p11prov_uri_parse(ctx, "pkcs11:");
    CK_SLOT_ID *slots = NULL;
    CK_ULONG count = 0;
    p11prov_session *session = NULL;
    int ok =
        all != NULL && p11prov_uri_slots(all, ctx, &slots, &count) == CKR_OK;

    for (CK_ULONG i = 0; ok && i < count; i++) {
        session = p11prov_session_get(ctx, slots[i], NULL,
                                      "p11kmip-login-behavior = early");
        ok = session != NULL;
        p11prov_session_end(session, CKR_OK);
    }
    free(slots);
    p11prov_uri_free(all);
    return ok;
}

void p11prov_module_free(struct p11prov_module *module)
{
    slot_pool *pool, *next;

    if (module == NULL)
        return;
    /* Teardown runs inside OPENSSL_cleanup, while OpenSSL's own state
     * (random generator, providers) is torn down: a module that uses
     * OpenSSL (p11core's TLS connections, SoftHSM) crashes if finalised
     * then. The process is ending, so the module is left as it is and
     * only this layer's memory is freed. */
    if (module->pid == kmip_process_id())
        pthread_mutex_destroy(&module->lock);
    for (pool = module->pools; pool != NULL; pool = next) {
        next = pool->next;
        free(pool);
    }
    free(module);
}
