/* SPDX-License-Identifier: Apache-2.0 */
/* The pool is an array of atomic slots, so there is no lock for a fork to
 * catch held. A connection is checked against the pid that opened it when
 * taken: a child closes its inherited copies without writing to them.
 * take scans from the first slot and put fills the first free one, so
 * under a lighter load the last slots stop being used and expire. */
#include <stdlib.h>

#include "client_internal.h"

kmip_rc kmip_pool_init(kmip_pool *pool, size_t capacity,
                       uint32_t idle_timeout_ms, kmip_status *status)
{
    pool->capacity = capacity;
    pool->idle_timeout_ms = idle_timeout_ms;
    atomic_init(&pool->last_sweep, kmip_clock_ms());
    pool->slots = calloc(capacity, sizeof(*pool->slots));
    if (pool->slots == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "out of memory");
    for (size_t i = 0; i < capacity; i++)
        atomic_init(&pool->slots[i], NULL);
    return KMIP_OK;
}

void kmip_pool_destroy(kmip_pool *pool)
{
    if (pool->slots == NULL)
        return;
    for (size_t i = 0; i < pool->capacity; i++)
        kmip_conn_close(atomic_exchange(&pool->slots[i], NULL),
                        KMIP_CLOSE_NOTIFY);
    free(pool->slots);
    pool->slots = NULL;
}

static bool expired(const kmip_pool *pool, const kmip_conn *conn, uint64_t now)
{
    return now - conn->idle_since >= pool->idle_timeout_ms;
}

kmip_conn *kmip_pool_take(kmip_pool *pool)
{
    uint64_t now = kmip_clock_ms();
    for (size_t i = 0; i < pool->capacity; i++) {
        kmip_conn *conn = atomic_exchange(&pool->slots[i], NULL);
        if (conn == NULL)
            continue;
        if (!kmip_conn_idle_usable(conn))
            /* Closed or written to by the server while idle, its server
             * in back-off, or inherited across fork. */
            kmip_conn_close(conn, KMIP_CLOSE_SILENT);
        else if (expired(pool, conn, now))
            kmip_conn_close(conn, KMIP_CLOSE_NOTIFY);
        else
            return conn;
    }
    return NULL;
}

static bool keep(kmip_pool *pool, kmip_conn *conn)
{
    for (size_t i = 0; i < pool->capacity; i++) {
        kmip_conn *empty = NULL;
        if (atomic_compare_exchange_strong(&pool->slots[i], &empty, conn))
            return true;
    }
    return false;
}

/* Closes the connections idle for too long; one thread at a time, at most
 * twice per idle timeout. */
static void sweep(kmip_pool *pool, uint64_t now)
{
    uint_fast64_t last = atomic_load(&pool->last_sweep);
    if (now - last < pool->idle_timeout_ms / 2 ||
        !atomic_compare_exchange_strong(&pool->last_sweep, &last, now))
        return;
    for (size_t i = 0; i < pool->capacity; i++) {
        kmip_conn *conn = atomic_exchange(&pool->slots[i], NULL);
        if (conn != NULL && (expired(pool, conn, now) || !keep(pool, conn)))
            kmip_conn_close(conn, KMIP_CLOSE_NOTIFY);
    }
}

void kmip_pool_put(kmip_pool *pool, kmip_conn *conn)
{
    uint64_t now = kmip_clock_ms();
    conn->idle_since = now;
    if (!keep(pool, conn))
        kmip_conn_close(conn, KMIP_CLOSE_NOTIFY);
    sweep(pool, now);
}
