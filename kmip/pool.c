/* SPDX-License-Identifier: Apache-2.0 */
/* The pool is an array of atomic slots, so there is no lock for a fork to
 * catch held. A connection is checked against the pid that opened it when
 * taken: a child closes its inherited copies without writing to them. */
#include <stdlib.h>

#include "client_internal.h"

kmip_rc kmip_pool_init(kmip_pool *pool, size_t capacity, kmip_status *status)
{
    pool->capacity = capacity;
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

kmip_conn *kmip_pool_take(kmip_pool *pool)
{
    for (size_t i = 0; i < pool->capacity; i++) {
        kmip_conn *conn = atomic_exchange(&pool->slots[i], NULL);
        if (conn == NULL)
            continue;
        if (kmip_conn_idle_usable(conn))
            return conn;
        /* Closed or written to by the server while idle, or inherited
         * across fork. */
        kmip_conn_close(conn, KMIP_CLOSE_SILENT);
    }
    return NULL;
}

void kmip_pool_put(kmip_pool *pool, kmip_conn *conn)
{
    for (size_t i = 0; i < pool->capacity; i++) {
        kmip_conn *empty = NULL;
        if (atomic_compare_exchange_strong(&pool->slots[i], &empty, conn))
            return;
    }
    kmip_conn_close(conn, KMIP_CLOSE_NOTIFY);
}
