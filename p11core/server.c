// SPDX-License-Identifier: Apache-2.0
/* The server group of a slot: its client (built on first use, rebuilt at
 * login and logout), the protocol version, and the facts learned about
 * the server. */
#include "server.h"

#include <stdio.h>
#include <string.h>

#include "kmip/tag_values.h"
#include "kmip/tags.h"
#include "log.h"
#include "p11kmip/conf_client.h"

/* How each fact reads in the log once learned (served, refused). */
static const struct {
    const char *served;
    const char *refused;
} fact_text[P11_FACTS] = {
    [P11_FACT_DIGESTED_SIGN] = {"signs Digested Data",
                                "does not sign Digested Data"},
    [P11_FACT_ID_PLACEHOLDER] =
        {"activates by ID Placeholder",
         "refuses Activate by ID Placeholder: activating in a second "
         "request from now on"},
    [P11_FACT_CUSTOM_ID] = {"stores custom attributes (x-pkcs11-id, ...)",
                            "does not store custom attributes: CKA_ID falls "
                            "back to the KMIP Unique Identifier"},
    [P11_FACT_EXPORT_ATTRS] = {"stores Sensitive and Extractable",
                               "does not store Sensitive and Extractable: "
                               "keys are shown as the server keeps them"},
    [P11_FACT_LOCATE_BATCH] = {"takes Locate batched with Get Attributes",
                               "refuses Locate batched with Get Attributes: "
                               "sending it alone from now on"},
    [P11_FACT_STREAMING] = {"streams Encrypt and Decrypt (Correlation Value)",
                            "does not stream Encrypt and Decrypt: multi-part "
                            "AES-GCM gathers its input for the final call"},
};

CK_RV p11_server_init(p11_server *server, CK_SLOT_ID slot_id,
                      const p11kmip_slot_conf *conf)
{
    server->slot_id = slot_id;
    server->conf = conf;
    server->client = NULL;
    server->logged_in = false;
    for (size_t i = 0; i < P11_FACTS; i++)
        atomic_init(&server->facts[i], P11_SUPPORT_UNKNOWN);
    for (size_t i = 0; i < P11_MECHANISMS_MAX; i++)
        atomic_init(&server->refused_flags[i], 0);
    if (pthread_rwlock_init(&server->client_lock, NULL) != 0)
        return CKR_HOST_MEMORY;
    return CKR_OK;
}

void p11_server_clear(p11_server *server)
{
    kmip_client_free(server->client);
    server->client = NULL;
    pthread_rwlock_destroy(&server->client_lock);
}

CK_RV p11_server_client_new(const p11_server *server,
                            const char *key_passphrase, const char *password,
                            kmip_client **out)
{
    kmip_credential credential = {server->conf->username, password};
    kmip_client_config cfg;
    kmip_status status;

    p11kmip_slot_client_config(server->conf, &cfg);
    if (key_passphrase != NULL) /* else the slot's key_password, if any */
        cfg.key_passphrase = key_passphrase;
    cfg.credential = password != NULL ? &credential : NULL;
    *out = server->inherited != NULL
               ? kmip_client_derive(server->inherited, cfg.credential, &status)
               : kmip_client_new(&cfg, &status);
    if (*out != NULL)
        return CKR_OK;
    p11_log_error("slot %lu (%s): KMIP client: %s: %s", server->slot_id,
                  server->conf->label, kmip_rc_name(status.rc), status.message);
    return p11_reply_of(status.rc, &status).rv;
}

/* The client with client_lock held for reading (release with
 * client_release), building it first when the login mode allows one
 * without a login. */
static CK_RV client_acquire(p11_server *server, kmip_client **out)
{
    CK_RV rv = CKR_OK;

    pthread_rwlock_rdlock(&server->client_lock);
    if (server->client != NULL) {
        *out = server->client;
        return CKR_OK;
    }
    pthread_rwlock_unlock(&server->client_lock);
    if (server->conf->login == P11KMIP_LOGIN_KEY_PASSPHRASE)
        return CKR_USER_NOT_LOGGED_IN; /* the key is locked by the PIN */
    pthread_rwlock_wrlock(&server->client_lock);
    if (server->client == NULL)
        rv = p11_server_client_new(server, NULL, NULL, &server->client);
    pthread_rwlock_unlock(&server->client_lock);
    if (rv != CKR_OK)
        return rv;
    return client_acquire(server, out);
}

static void client_release(p11_server *server)
{
    pthread_rwlock_unlock(&server->client_lock);
}

/* The reply of a kmip/ call, logged when it failed. */
static p11_reply logged_reply(const p11_server *server, kmip_rc rc,
                              const kmip_status *status, const char *what)
{
    if (rc != KMIP_OK)
        p11_log_warn("slot %lu: %s: %s: %s", server->slot_id, what,
                     kmip_rc_name(rc), status->message);
    return p11_reply_of(rc, status);
}

/* Appends the spec name of value (an enumeration of tag) to out. */
static void trace_append(char *out, size_t len, uint32_t tag, uint32_t value)
{
    const char *name = kmip_enum_name(tag, value);
    size_t used = strlen(out);

    if (used < len)
        snprintf(out + used, len - used, "%s%s", used > 0 ? ", " : "",
                 name != NULL ? name : "-");
}

/* The operations of a batch for the trace log (names only: no payload
 * is ever logged, it may hold a key or a password). */
static void trace_operations(const kmip_request_item *items, size_t n,
                             char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; p11_log_enabled(P11KMIP_LOG_TRACE) && i < n; i++)
        trace_append(out, len, KMIP_TAG_OPERATION, items[i].operation);
}

static void trace_results(const p11_server *server, const char *operations,
                          kmip_rc rc, const kmip_response *resp)
{
    char results[256] = "";

    if (!p11_log_enabled(P11KMIP_LOG_TRACE))
        return;
    for (size_t i = 0; rc == KMIP_OK && i < resp->count; i++)
        trace_append(results, sizeof(results), KMIP_TAG_RESULT_STATUS,
                     resp->items[i].result_status);
    p11_log_trace("slot %lu: KMIP %s -> %s", server->slot_id, operations,
                  rc == KMIP_OK ? results : kmip_rc_name(rc));
}

p11_reply p11_server_call(p11_server *server, kmip_request_item *items,
                          size_t n, bool idempotent, kmip_response **resp)
{
    char operations[256];
    kmip_client *client = NULL;
    kmip_status status;
    CK_RV rv = client_acquire(server, &client);

    trace_operations(items, n, operations, sizeof(operations));
    if (rv != CKR_OK) {
        for (size_t i = 0; i < n; i++)
            kmip_request_item_clear(&items[i]);
        return p11_reply_local(rv);
    }
    kmip_rc rc = kmip_client_call(client, items, n, idempotent, resp, &status);
    client_release(server);
    trace_results(server, operations, rc, *resp);
    return logged_reply(server, rc, &status, "request");
}

p11_reply p11_server_version(p11_server *server, kmip_version *out)
{
    kmip_client *client = NULL;
    kmip_status status;
    CK_RV rv = client_acquire(server, &client);

    if (rv != CKR_OK)
        return p11_reply_local(rv);
    kmip_rc rc = kmip_client_version(client, out, &status);
    client_release(server);
    return logged_reply(server, rc, &status, "Discover Versions");
}

void p11_server_inherit(p11_server *server, const p11_server *parent)
{
    server->inherited =
        parent->client != NULL ? parent->client : parent->inherited;
    for (int fact = 0; fact < P11_FACTS; fact++)
        atomic_store(&server->facts[fact], atomic_load(&parent->facts[fact]));
    for (size_t i = 0; i < P11_MECHANISMS_MAX; i++)
        atomic_store(&server->refused_flags[i],
                     atomic_load(&parent->refused_flags[i]));
}

p11_support p11_server_knows(p11_server *server, p11_fact fact)
{
    return (p11_support)atomic_load(&server->facts[fact]);
}

void p11_server_learn(p11_server *server, p11_fact fact, bool served)
{
    int support = served ? P11_SUPPORT_SERVED : P11_SUPPORT_REFUSED;

    if (atomic_exchange(&server->facts[fact], support) != support)
        p11_log_info("slot %lu: the server %s", server->slot_id,
                     served ? fact_text[fact].served : fact_text[fact].refused);
}

CK_RV p11_server_login(p11_server *server, kmip_client *client)
{
    CK_RV rv = CKR_OK;

    pthread_rwlock_wrlock(&server->client_lock);
    if (server->logged_in) {
        rv = CKR_USER_ALREADY_LOGGED_IN; /* another thread won */
        kmip_client_free(client);
    } else {
        server->logged_in = true;
        if (client != NULL) {
            kmip_client_free(server->client);
            server->client = client;
        }
    }
    pthread_rwlock_unlock(&server->client_lock);
    return rv;
}

void p11_server_logout(p11_server *server)
{
    pthread_rwlock_wrlock(&server->client_lock);
    if (server->logged_in && server->conf->login != P11KMIP_LOGIN_NONE) {
        /* The client holds the decrypted key or the password. */
        kmip_client_free(server->client);
        server->client = NULL;
    }
    server->logged_in = false;
    pthread_rwlock_unlock(&server->client_lock);
}

bool p11_server_logged_in(p11_server *server)
{
    pthread_rwlock_rdlock(&server->client_lock);
    bool logged_in = server->logged_in;
    pthread_rwlock_unlock(&server->client_lock);
    return logged_in;
}
