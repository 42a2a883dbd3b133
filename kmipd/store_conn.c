/* SPDX-License-Identifier: Apache-2.0 */
/* The store's SQLite connections: opened with the durability pragmas,
 * pooled, each with its prepared statements; and the object locks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmipd/store_internal.h"

#define STORE_COLUMNS                                                          \
    "uid, owner, object_type, state, attrs, material, material_format, "       \
    "exportable"

static const char *const store_sql[STMT_COUNT] = {
    [STMT_INSERT] =
        "INSERT INTO objects (" STORE_COLUMNS ") VALUES (?,?,?,?,?,?,?,?)",
    [STMT_LOAD] =
        "SELECT " STORE_COLUMNS " FROM objects WHERE uid = ? AND owner = ?",
    [STMT_UPDATE] = "UPDATE objects SET attrs = ?, material = ?, "
                    "material_format = ?, exportable = ?, state = ? "
                    "WHERE uid = ? AND owner = ?",
    [STMT_DELETE] = "DELETE FROM objects WHERE uid = ? AND owner = ?",
    [STMT_LOCATE] =
        "SELECT " STORE_COLUMNS " FROM objects WHERE owner = ? ORDER BY id",
};

/* The durability every connection runs with (checked at open). */
#define STORE_PRAGMAS "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"

kmipd_store_rc store_db_fail(kmip_status *status, sqlite3 *db, const char *what)
{
    kmip_fail(status, KMIP_E_INVALID_ARG, "database: %s: %s", what,
              db != NULL ? sqlite3_errmsg(db) : "out of memory");
    return KMIPD_STORE_FAILED;
}

void store_conn_close(store_conn *conn)
{
    if (conn == NULL)
        return;
    for (size_t i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(conn->stmts[i]);
    sqlite3_close(conn->db);
    free(conn);
}

store_conn *store_connect(kmipd_store *store, kmip_status *status)
{
    store_conn *conn = calloc(1, sizeof(*conn));
    if (conn == NULL) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return NULL;
    }
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(store->path, &conn->db, flags, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(conn->db, 30000) != SQLITE_OK ||
        sqlite3_exec(conn->db, STORE_PRAGMAS, NULL, NULL, NULL) != SQLITE_OK) {
        store_db_fail(status, conn->db, store->path);
        store_conn_close(conn);
        return NULL;
    }
    return conn;
}

/* The statement id of conn, reset and unbound, or NULL (status set). */
sqlite3_stmt *store_stmt(store_conn *conn, store_stmt_id id,
                         kmip_status *status)
{
    sqlite3_stmt *stmt = conn->stmts[id];
    if (stmt == NULL) {
        if (sqlite3_prepare_v3(conn->db, store_sql[id], -1,
                               SQLITE_PREPARE_PERSISTENT, &stmt,
                               NULL) != SQLITE_OK) {
            store_db_fail(status, conn->db, "preparing a statement");
            return NULL;
        }
        conn->stmts[id] = stmt;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return stmt;
}

/* A connection for the caller's exclusive use until store_release. */
store_conn *store_acquire(kmipd_store *store, kmip_status *status)
{
    store_conn *conn = NULL;
    pthread_mutex_lock(&store->lock);
    if (store->idle_count > 0)
        conn = store->idle[--store->idle_count];
    pthread_mutex_unlock(&store->lock);
    return conn != NULL ? conn : store_connect(store, status);
}

/* Gives conn back, its statements reset (a reader holds no snapshot). */
void store_release(kmipd_store *store, store_conn *conn)
{
    for (size_t i = 0; i < STMT_COUNT; i++) {
        if (conn->stmts[i] != NULL)
            sqlite3_reset(conn->stmts[i]);
    }
    pthread_mutex_lock(&store->lock);
    if (store->idle_count == store->idle_cap) {
        size_t cap = store->idle_cap ? store->idle_cap * 2 : 8;
        store_conn **grown = realloc(store->idle, cap * sizeof(*grown));
        if (grown == NULL) {
            pthread_mutex_unlock(&store->lock);
            store_conn_close(conn);
            return;
        }
        store->idle = grown;
        store->idle_cap = cap;
    }
    store->idle[store->idle_count++] = conn;
    pthread_mutex_unlock(&store->lock);
}

static pthread_mutex_t *store_object_lock(kmipd_store *store, const char *uid)
{
    uint32_t hash = 2166136261u; /* FNV-1a */
    for (const char *c = uid; *c != '\0'; c++)
        hash = (hash ^ (uint8_t)*c) * 16777619u;
    return &store->object_locks[hash % STORE_LOCK_STRIPES];
}

void kmipd_store_lock(kmipd_store *store, const char *uid)
{
    pthread_mutex_lock(store_object_lock(store, uid));
}

void kmipd_store_unlock(kmipd_store *store, const char *uid)
{
    pthread_mutex_unlock(store_object_lock(store, uid));
}
