/* SPDX-License-Identifier: Apache-2.0 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "client_internal.h"
#include "kmip/tags.h"

/* ---- Construction ---- */

static char *strdup_or_null(const char *s, bool *failed)
{
    if (s == NULL)
        return NULL;
    char *copy = strdup(s);
    if (copy == NULL)
        *failed = true;
    return copy;
}

static kmip_rc check_config(const kmip_client_config *cfg, kmip_status *status)
{
    if (cfg == NULL || cfg->servers == NULL || cfg->server_count == 0)
        return kmip_fail(status, KMIP_E_CONFIG,
                         "client: at least one server is needed");
    if (cfg->server_count > KMIP_MAX_SERVERS)
        return kmip_fail(status, KMIP_E_CONFIG,
                         "client: at most %u servers in a group",
                         KMIP_MAX_SERVERS);
    if (cfg->credential != NULL && cfg->credential->username == NULL)
        return kmip_fail(status, KMIP_E_CONFIG,
                         "client: a credential needs a username");
    bool negotiate = cfg->version.major == 0 && cfg->version.minor == 0;
    bool known = false;
    for (size_t i = 0; i < kmip_client_version_count; i++)
        known |= kmip_version_cmp(cfg->version, kmip_client_versions[i]) == 0;
    if (!negotiate && !known)
        return kmip_fail(status, KMIP_E_CONFIG,
                         "client: KMIP %d.%d is not supported",
                         (int)cfg->version.major, (int)cfg->version.minor);
    return KMIP_OK;
}

static kmip_rc copy_servers(kmip_client *client, const kmip_client_config *cfg,
                            kmip_status *status)
{
    client->servers = calloc(cfg->server_count, sizeof(*client->servers));
    if (client->servers == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "client: out of memory");
    for (size_t i = 0; i < cfg->server_count; i++) {
        kmip_rc rc =
            kmip_endpoint_parse(cfg->servers[i], &client->servers[i], status);
        if (rc != KMIP_OK)
            return rc;
        client->server_count = i + 1;
    }
    return KMIP_OK;
}

static kmip_rc copy_settings(kmip_client *client, const kmip_client_config *cfg,
                             kmip_status *status)
{
    bool failed = false;
    client->verify_name = strdup_or_null(cfg->verify_name, &failed);
    if (cfg->credential != NULL) {
        client->username = strdup_or_null(cfg->credential->username, &failed);
        client->password = strdup_or_null(cfg->credential->password, &failed);
        client->credential.username = client->username;
        client->credential.password = client->password;
    }
    if (failed)
        return kmip_fail(status, KMIP_E_NOMEM, "client: out of memory");
    client->timeout_ms =
        cfg->timeout_ms != 0 ? cfg->timeout_ms : KMIP_DEFAULT_TIMEOUT_MS;
    client->max_message =
        cfg->max_message != 0 ? cfg->max_message : KMIP_DEFAULT_MAX_MESSAGE;
    client->configured_version = cfg->version;
    return KMIP_OK;
}

/* A client of cfg with the TLS context shared_ctx (a new reference) or,
 * when NULL, one made from cfg's files. */
static kmip_client *client_make(const kmip_client_config *cfg,
                                SSL_CTX *shared_ctx, kmip_status *status)
{
    kmip_rc rc = check_config(cfg, status);
    if (rc != KMIP_OK)
        return NULL;
    kmip_client *client = calloc(1, sizeof(*client));
    if (client == NULL) {
        kmip_fail(status, KMIP_E_NOMEM, "client: out of memory");
        return NULL;
    }
    rc = copy_servers(client, cfg, status);
    if (rc == KMIP_OK)
        rc = copy_settings(client, cfg, status);
    if (rc == KMIP_OK && shared_ctx != NULL && SSL_CTX_up_ref(shared_ctx))
        client->ssl_ctx = shared_ctx;
    else if (rc == KMIP_OK)
        rc = kmip_tls_ctx_new(cfg, &client->ssl_ctx, status);
    if (rc == KMIP_OK)
        rc = kmip_pool_init(
            &client->pool,
            cfg->pool_size != 0 ? cfg->pool_size : KMIP_DEFAULT_POOL_SIZE,
            cfg->idle_timeout_ms != 0 ? cfg->idle_timeout_ms
                                      : KMIP_DEFAULT_IDLE_TIMEOUT_MS,
            status);
    if (rc != KMIP_OK) {
        kmip_client_free(client);
        return NULL;
    }
    kmip_status_clear(status);
    return client;
}

kmip_client *kmip_client_new(const kmip_client_config *cfg, kmip_status *status)
{
    return client_make(cfg, NULL, status);
}

/* What base learned of its servers, for client (of the same servers),
 * and their TLS sessions to resume. */
static void learn_from(kmip_client *client, kmip_client *base)
{
    atomic_store(&client->negotiated_version,
                 atomic_load(&base->negotiated_version));
    atomic_store(&client->preferred_server,
                 atomic_load(&base->preferred_server));
    for (size_t i = 0; i < client->server_count; i++) {
        kmip_endpoint_copy_health(&client->servers[i], &base->servers[i]);
        kmip_tls_session_share(&client->servers[i], &base->servers[i]);
    }
}

kmip_client *kmip_client_derive(kmip_client *base,
                                const kmip_credential *credential,
                                kmip_status *status)
{
    if (base == NULL) {
        kmip_fail(status, KMIP_E_INVALID_ARG, "client: nothing to derive from");
        return NULL;
    }
    const char **labels = calloc(base->server_count, sizeof(*labels));
    if (labels == NULL) {
        kmip_fail(status, KMIP_E_NOMEM, "client: out of memory");
        return NULL;
    }
    for (size_t i = 0; i < base->server_count; i++)
        labels[i] = base->servers[i].label;
    kmip_client_config cfg = {
        .servers = labels,
        .server_count = base->server_count,
        .verify_name = base->verify_name,
        .timeout_ms = base->timeout_ms,
        .pool_size = base->pool.capacity,
        .idle_timeout_ms = base->pool.idle_timeout_ms,
        .max_message = base->max_message,
        .version = base->configured_version,
        .credential = credential,
    };
    kmip_client *client = client_make(&cfg, base->ssl_ctx, status);
    free(labels);
    if (client != NULL)
        learn_from(client, base);
    return client;
}

void kmip_client_free(kmip_client *client)
{
    if (client == NULL)
        return;
    kmip_pool_destroy(&client->pool);
    SSL_CTX_free(client->ssl_ctx);
    for (size_t i = 0; i < client->server_count; i++)
        kmip_endpoint_clear(&client->servers[i]);
    free(client->servers);
    free(client->verify_name);
    free(client->username);
    if (client->password != NULL)
        kmip_buffer_free(client->password, strlen(client->password));
    free(client);
}

/* ---- Messages ---- */

static bool any_failed(const kmip_response *resp)
{
    for (size_t i = 0; i < resp->count; i++)
        if (resp->items[i].result_status != KMIP_STATUS_SUCCESS)
            return true;
    return false;
}

/* Every response item must answer one request item, with its operation.
 * Items may be missing only after a failure (a server stopping the batch
 * at a failed item); a server rejecting the whole message answers with one
 * failed item of no batch ID: that is reported as the server's result. */
static kmip_rc check_shape(const kmip_response *resp,
                           const kmip_request_item *items, size_t n,
                           const char *server, kmip_status *status)
{
    if (n > 1 && resp->count == 1 && resp->items[0].batch_id == NULL &&
        resp->items[0].result_status != KMIP_STATUS_SUCCESS)
        return kmip_response_item_check(&resp->items[0], status);
    size_t answered = 0;
    for (size_t i = 0; i < n; i++) {
        const kmip_response_item *answer = kmip_response_item_for(resp, i);
        if (answer == NULL)
            continue;
        answered++;
        if (answer->operation != 0 && answer->operation != items[i].operation)
            return kmip_fail(status, KMIP_E_DECODE,
                             "%s: batch item %zu answers operation %u, not "
                             "%u",
                             server, i, (unsigned)answer->operation,
                             (unsigned)items[i].operation);
    }
    if (answered != resp->count)
        return kmip_fail(status, KMIP_E_DECODE,
                         "%s: response has %zu batch items, %zu of them "
                         "answering the %zu requested",
                         server, resp->count, answered, n);
    if (answered == 0 || (answered < n && !any_failed(resp)))
        return kmip_fail(status, KMIP_E_DECODE,
                         "%s: response answers %zu of %zu batch items", server,
                         answered, n);
    return KMIP_OK;
}

static kmip_rc encode_request(kmip_client *client, kmip_version version,
                              kmip_request_item *items, size_t n, uint8_t **out,
                              size_t *out_len, kmip_status *status)
{
    kmip_item *tree = NULL;
    kmip_rc rc = kmip_request_build(
        version, client->username != NULL ? &client->credential : NULL, NULL,
        items, n, true, &tree, status);
    if (rc != KMIP_OK)
        return rc;
    rc = kmip_ttlv_encode_alloc(tree, out, out_len, status);
    kmip_item_free(tree);
    return rc;
}

static kmip_rc decode_response(const uint8_t *reply, size_t reply_len,
                               const char *server, kmip_response **out,
                               kmip_status *status)
{
    kmip_status detail;
    kmip_status_clear(&detail);
    kmip_item *tree = NULL;
    kmip_rc rc = kmip_ttlv_decode(reply, reply_len, NULL, &tree, &detail);
    if (rc == KMIP_OK)
        rc = kmip_response_parse(tree, out, &detail);
    if (rc != KMIP_OK)
        return kmip_fail(status, rc, "%s: %s", server, detail.message);
    return KMIP_OK;
}

/* kmip_client_call at a given protocol version. */
static kmip_rc call_at(kmip_client *client, kmip_version version,
                       kmip_request_item *items, size_t n, bool idempotent,
                       kmip_response **resp, kmip_status *status)
{
    uint8_t *request = NULL;
    size_t request_len = 0;
    kmip_rc rc = encode_request(client, version, items, n, &request,
                                &request_len, status);
    if (rc != KMIP_OK)
        return rc;
    uint8_t *reply = NULL;
    size_t reply_len = 0;
    const kmip_endpoint *server = NULL;
    rc = kmip_client_transmit(client, request, request_len, idempotent, &reply,
                              &reply_len, &server, status);
    kmip_buffer_free(request, request_len);
    if (rc != KMIP_OK)
        return rc;
    rc = decode_response(reply, reply_len, server->label, resp, status);
    kmip_buffer_free(reply, reply_len);
    if (rc == KMIP_OK)
        rc = check_shape(*resp, items, n, server->label, status);
    if (rc != KMIP_OK) {
        kmip_response_free(*resp);
        *resp = NULL;
    }
    return rc;
}

static kmip_rc discover_exchange(void *ctx, kmip_version header_version,
                                 kmip_request_item *item, kmip_response **resp,
                                 kmip_status *status)
{
    return call_at(ctx, header_version, item, 1, true, resp, status);
}

/* ---- Public calls ---- */

kmip_rc kmip_client_version(kmip_client *client, kmip_version *out,
                            kmip_status *status)
{
    if (client == NULL || out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "client: no client or no output");
    if (client->configured_version.major != 0 ||
        client->configured_version.minor != 0) {
        *out = client->configured_version;
        return KMIP_OK;
    }
    uint_fast32_t packed = atomic_load(&client->negotiated_version);
    if (packed == 0) {
        kmip_version found;
        kmip_rc rc =
            kmip_negotiate_version(discover_exchange, client, &found, status);
        if (rc != KMIP_OK)
            return rc;
        packed = (uint_fast32_t)found.major << 16 | (uint16_t)found.minor;
        atomic_store(&client->negotiated_version, packed);
    }
    *out = KMIP_VERSION((int32_t)(packed >> 16), (int32_t)(packed & 0xFFFF));
    return KMIP_OK;
}

static void clear_request_items(kmip_request_item *items, size_t n)
{
    for (size_t i = 0; items != NULL && i < n; i++)
        kmip_request_item_clear(&items[i]);
}

kmip_rc kmip_client_call(kmip_client *client, kmip_request_item *items,
                         size_t n, int idempotent, kmip_response **resp,
                         kmip_status *status)
{
    if (resp != NULL)
        *resp = NULL;
    if (client == NULL || items == NULL || n == 0 || resp == NULL) {
        clear_request_items(items, n);
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "client: call needs a client, items and a response");
    }
    kmip_version version;
    kmip_rc rc = kmip_client_version(client, &version, status);
    if (rc != KMIP_OK) {
        clear_request_items(items, n);
        return rc;
    }
    return call_at(client, version, items, n, idempotent != 0, resp, status);
}

kmip_rc kmip_client_call_one(kmip_client *client, uint32_t operation,
                             kmip_item *payload, int idempotent,
                             kmip_response **resp, kmip_status *status)
{
    kmip_request_item item = {.operation = operation, .payload = payload};
    if (resp == NULL) {
        kmip_request_item_clear(&item);
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "client: call needs a response");
    }
    *resp = NULL;
    kmip_response *answer = NULL;
    kmip_rc rc =
        kmip_client_call(client, &item, 1, idempotent, &answer, status);
    if (rc != KMIP_OK)
        return rc;
    rc = kmip_response_item_check(kmip_response_item_for(answer, 0), status);
    if (rc != KMIP_OK) {
        kmip_response_free(answer);
        return rc;
    }
    *resp = answer;
    return KMIP_OK;
}

void kmip_client_get_stats(kmip_client *client, kmip_client_stats *out)
{
    if (out == NULL)
        return;
    memset(out, 0, sizeof(*out));
    if (client == NULL)
        return;
    out->requests = atomic_load(&client->requests);
    out->connects = atomic_load(&client->connects);
    out->failovers = atomic_load(&client->failovers);
    out->retries = atomic_load(&client->retries);
}
