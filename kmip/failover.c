/* SPDX-License-Identifier: Apache-2.0 */
/* Which server a request goes to and what happens when it fails. Each
 * server a call tries gets timeout_ms for all it does there (connect,
 * handshake, request, response). A server that fails to connect or to
 * answer in time is put in back-off and skipped meanwhile. */
#include <string.h>

#include "client_internal.h"

static kmip_rc connect_server(kmip_client *client, size_t index,
                              uint64_t *deadline, kmip_conn **out,
                              kmip_status *status)
{
    kmip_endpoint *server = &client->servers[index];
    *deadline = kmip_clock_ms() + client->timeout_ms;
    uint64_t wait_until = kmip_clock_ms() + KMIP_OPENING_WAIT_MS;
    bool counted = kmip_endpoint_opening(
        server, wait_until < *deadline ? wait_until : *deadline);
    kmip_rc rc = kmip_conn_open(client->ssl_ctx, server, index,
                                client->verify_name, *deadline, out, status);
    if (rc != KMIP_OK) {
        if (counted)
            kmip_endpoint_opened(server);
        if (rc != KMIP_E_NOMEM && rc != KMIP_E_CONFIG)
            kmip_endpoint_mark_down(server, kmip_clock_ms());
        return rc;
    }
    (*out)->opening = counted;
    atomic_fetch_add(&client->connects, 1);
    atomic_store(&client->preferred_server, index);
    return KMIP_OK;
}

static bool any_server_up(kmip_client *client)
{
    uint64_t now = kmip_clock_ms();
    for (size_t i = 0; i < client->server_count; i++)
        if (!kmip_endpoint_is_down(&client->servers[i], now))
            return true;
    return false;
}

static kmip_rc all_failed(kmip_client *client, kmip_rc rc, size_t tried,
                          kmip_status *status)
{
    if (client->server_count == 1 || status == NULL)
        return rc;
    char last[KMIP_STATUS_MESSAGE_MAX];
    memcpy(last, status->message, sizeof(last));
    if (tried == client->server_count)
        return kmip_fail(status, rc, "all %zu servers failed; last: %s",
                         client->server_count, last);
    return kmip_fail(status, rc,
                     "%zu of %zu servers failed, the others are in back-off; "
                     "last: %s",
                     tried, client->server_count, last);
}

/* Opens a connection to the first server that accepts one, starting with
 * the last server that did and skipping servers in back-off; when those
 * all fail (or there are none) and try_down is true, tries the skipped
 * ones. *deadline is the one of the server connected to. */
static kmip_rc connect_any(kmip_client *client, bool try_down,
                           uint64_t *deadline, kmip_conn **out,
                           kmip_status *status)
{
    size_t first = atomic_load(&client->preferred_server);
    bool skipped[KMIP_MAX_SERVERS] = {false};
    kmip_rc rc =
        kmip_fail(status, KMIP_E_TRANSPORT,
                  "no server: all %zu are in back-off", client->server_count);
    size_t tried = 0;
    for (size_t pass = 0; pass < (try_down ? 2u : 1u); pass++) {
        for (size_t k = 0; k < client->server_count; k++) {
            size_t index = (first + k) % client->server_count;
            if (pass == 0)
                skipped[index] = kmip_endpoint_is_down(&client->servers[index],
                                                       kmip_clock_ms());
            if (skipped[index] != (pass == 1))
                continue;
            if (tried++ > 0)
                atomic_fetch_add(&client->failovers, 1);
            rc = connect_server(client, index, deadline, out, status);
            if (rc == KMIP_OK)
                return KMIP_OK;
        }
    }
    return tried > 0 ? all_failed(client, rc, tried, status) : rc;
}

static kmip_rc round_trip(kmip_client *client, kmip_conn *conn,
                          const uint8_t *request, size_t request_len,
                          uint64_t deadline, uint8_t **reply, size_t *reply_len,
                          kmip_status *status)
{
    atomic_fetch_add(&client->requests, 1);
    kmip_rc rc = kmip_conn_send(conn, request, request_len, deadline, status);
    if (rc == KMIP_OK)
        rc = kmip_conn_recv(conn, client->max_message, deadline, reply,
                            reply_len, status);
    if (conn->opening) {
        conn->opening = false;
        kmip_endpoint_opened(conn->endpoint);
    }
    if (rc == KMIP_E_TIMEOUT)
        kmip_endpoint_mark_down(conn->endpoint, kmip_clock_ms());
    else if (rc == KMIP_OK)
        kmip_endpoint_mark_up(conn->endpoint);
    return rc;
}

/* Whether an idempotent request that failed with rc is sent again: a
 * pooled connection found dead is replaced, and a server that did not
 * answer in time (now in back-off) is left for another one. */
static bool worth_retrying(kmip_client *client, kmip_rc rc, bool pooled)
{
    if (rc == KMIP_E_TRANSPORT)
        return pooled;
    return rc == KMIP_E_TIMEOUT && any_server_up(client);
}

kmip_rc kmip_client_transmit(kmip_client *client, const uint8_t *request,
                             size_t request_len, bool idempotent,
                             uint8_t **reply, size_t *reply_len,
                             const kmip_endpoint **server, kmip_status *status)
{
    uint64_t deadline = kmip_clock_ms() + client->timeout_ms;
    kmip_conn *conn = kmip_pool_take(&client->pool);
    bool pooled = conn != NULL;
    kmip_rc rc =
        pooled ? KMIP_OK : connect_any(client, true, &deadline, &conn, status);
    if (rc != KMIP_OK)
        return rc;
    rc = round_trip(client, conn, request, request_len, deadline, reply,
                    reply_len, status);
    if (rc != KMIP_OK && idempotent && worth_retrying(client, rc, pooled)) {
        kmip_conn_close(conn, KMIP_CLOSE_FAILED);
        atomic_fetch_add(&client->retries, 1);
        rc = connect_any(client, rc == KMIP_E_TRANSPORT, &deadline, &conn,
                         status);
        if (rc != KMIP_OK)
            return rc;
        rc = round_trip(client, conn, request, request_len, deadline, reply,
                        reply_len, status);
    }
    if (rc != KMIP_OK) {
        kmip_conn_close(conn, KMIP_CLOSE_FAILED);
        return rc;
    }
    *server = conn->endpoint;
    kmip_pool_put(&client->pool, conn);
    return KMIP_OK;
}
