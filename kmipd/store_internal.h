/* SPDX-License-Identifier: Apache-2.0 */
/* What the store's files share: the store, its pooled SQLite connections
 * with their prepared statements, and the row <-> object conversion. */
#ifndef KMIPD_STORE_INTERNAL_H
#define KMIPD_STORE_INTERNAL_H

#include <pthread.h>

#include <sqlite3.h>

#include "kmipd/object_cache.h"
#include "kmipd/store.h"
#include "kmipd/unwrap_cache.h"

/* Object locks (kmipd_store_lock), striped by uid. */
#define STORE_LOCK_STRIPES 64

/* The statements each connection prepares once and keeps. */
typedef enum store_stmt_id {
    STMT_INSERT,
    STMT_LOAD,
    STMT_UPDATE,
    STMT_DELETE,
    STMT_LOCATE,
    STMT_COUNT,
} store_stmt_id;

typedef struct store_conn {
    sqlite3 *db;
    sqlite3_stmt *stmts[STMT_COUNT]; /* prepared on first use */
} store_conn;

struct kmipd_store {
    char *path;
    uint8_t master_key[KMIPD_MASTER_KEY_LEN];
    int lock_fd; /* holds the database for this process (-1: none) */
    pthread_mutex_t lock;
    kmipd_unwrap_cache *unwrapped;
    kmipd_object_cache *objects; /* loaded objects, for Use operations */
    pthread_mutex_t object_locks[STORE_LOCK_STRIPES];
    store_conn **idle; /* connections not in use */
    size_t idle_count;
    size_t idle_cap;
};

/* Fails status with SQLite's message for db; returns KMIPD_STORE_FAILED. */
kmipd_store_rc store_db_fail(kmip_status *status, sqlite3 *db,
                             const char *what);

/* A new connection to the store's database with its pragmas. */
store_conn *store_connect(kmipd_store *store, kmip_status *status);

/* Closes conn and its statements. NULL is a no-op. */
void store_conn_close(store_conn *conn);

/* A connection for the caller's exclusive use until store_release. */
store_conn *store_acquire(kmipd_store *store, kmip_status *status);

/* Gives conn back, its statements reset (a reader holds no snapshot). */
void store_release(kmipd_store *store, store_conn *conn);

/* The statement id of conn, reset and unbound, or NULL (status set). */
sqlite3_stmt *store_stmt(store_conn *conn, store_stmt_id id,
                         kmip_status *status);

/* Builds an object from a row of the STMT_LOAD / STMT_LOCATE columns;
 * material is unwrapped only when with_material. */
kmipd_store_rc store_row_object(kmipd_store *store, sqlite3_stmt *stmt,
                                bool with_material, kmipd_object **out,
                                kmip_status *status);

#endif
