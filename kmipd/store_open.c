/* SPDX-License-Identifier: Apache-2.0 */
/* Opening the store: one process at a time, the schema, the master key
 * check and the durability check. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "kmipd/store_internal.h"
#include "kmipd/wrap.h"

/* Recently unwrapped materials kept in memory. */
#define STORE_UNWRAP_CACHE_SLOTS 1024
/* Loaded objects kept in memory. */
#define STORE_OBJECT_CACHE_SLOTS 1024

static const char store_schema[] =
    "CREATE TABLE IF NOT EXISTS objects ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " uid TEXT NOT NULL UNIQUE,"
    " owner TEXT NOT NULL,"
    " object_type INTEGER NOT NULL,"
    " state INTEGER NOT NULL,"
    " attrs BLOB NOT NULL,"
    " material BLOB,"
    " material_format INTEGER NOT NULL,"
    " exportable INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS objects_by_owner ON objects(owner, id);"
    "CREATE TABLE IF NOT EXISTS meta ("
    " name TEXT PRIMARY KEY,"
    " value BLOB NOT NULL);";

/* The durability every connection runs with (checked at open). */
#define STORE_JOURNAL_MODE "wal"
#define STORE_SYNCHRONOUS_FULL 2

/* The first column of the first row sql gives, unwrapped under the master
 * key: 1 when it unwraps, 0 when it does not, -1 when there is no row. */
static int store_probe_key(kmipd_store *store, sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        uint8_t *plain = NULL;
        size_t len = 0;
        result =
            kmipd_unwrap(store->master_key, sqlite3_column_blob(stmt, 0),
                         (size_t)sqlite3_column_bytes(stmt, 0), &plain, &len);
        OPENSSL_cleanse(plain, len);
        free(plain);
    }
    sqlite3_finalize(stmt);
    return result;
}

static kmipd_store_rc
store_write_key_check(kmipd_store *store, store_conn *conn, kmip_status *status)
{
    static const uint8_t known[KMIPD_MASTER_KEY_LEN] = {0};
    uint8_t *wrapped = NULL;
    size_t len = 0;
    sqlite3_stmt *stmt = NULL;
    kmipd_store_rc rc = KMIPD_STORE_OK;
    if (!kmipd_wrap(store->master_key, known, sizeof(known), &wrapped, &len) ||
        sqlite3_prepare_v2(conn->db,
                           "INSERT INTO meta (name, value) VALUES "
                           "('master_key_check', ?)",
                           -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(stmt, 1, wrapped, (int)len, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_DONE)
        rc = store_db_fail(status, conn->db, "writing the master key check");
    sqlite3_finalize(stmt);
    free(wrapped);
    return rc;
}

/* The database keeps a value wrapped under the master key it was made
 * with: a different key fails here, not at the first Get. A database
 * from before the check value is checked against its first wrapped
 * material, then given one. */
static kmipd_store_rc store_check_key(kmipd_store *store, store_conn *conn,
                                      kmip_status *status)
{
    int check = store_probe_key(
        store, conn->db,
        "SELECT value FROM meta WHERE name = 'master_key_check'");
    if (check == 1)
        return KMIPD_STORE_OK;
    if (check < 0 && store_probe_key(store, conn->db,
                                     "SELECT material FROM objects WHERE "
                                     "material IS NOT NULL LIMIT 1") != 0)
        return store_write_key_check(store, conn, status);
    kmip_fail(status, KMIP_E_INVALID_ARG,
              "database %s: the master key is not the one it was made with",
              store->path);
    return KMIPD_STORE_FAILED;
}

/* Refuses a connection that does not run with STORE_PRAGMAS (WAL cannot
 * be had on some file systems, and SQLite then stays silently in its
 * rollback journal). */
static kmipd_store_rc store_check_durability(kmipd_store *store,
                                             kmip_status *status)
{
    kmipd_store_durability durability;
    kmipd_store_rc rc = kmipd_store_get_durability(store, &durability, status);
    if (rc == KMIPD_STORE_OK &&
        (strcmp(durability.journal_mode, STORE_JOURNAL_MODE) != 0 ||
         durability.synchronous != STORE_SYNCHRONOUS_FULL)) {
        kmip_fail(status, KMIP_E_INVALID_ARG,
                  "database %s: journal mode %s, synchronous %d: not "
                  "durable",
                  store->path, durability.journal_mode, durability.synchronous);
        rc = KMIPD_STORE_FAILED;
    }
    return rc;
}

/* Creates the schema and checks the master key on a new store. */
static kmipd_store_rc store_prepare(kmipd_store *store, kmip_status *status)
{
    store_conn *conn = store_connect(store, status);
    if (conn == NULL)
        return KMIPD_STORE_FAILED;
    kmipd_store_rc rc =
        sqlite3_exec(conn->db, store_schema, NULL, NULL, NULL) == SQLITE_OK
            ? store_check_key(store, conn, status)
            : store_db_fail(status, conn->db, "creating the schema");
    store_release(store, conn);
    return rc == KMIPD_STORE_OK ? store_check_durability(store, status) : rc;
}

/* Takes a POSIX write lock on the file PATH-kmipd.lock for this process:
 * the object cache holds what it loaded, so a second kmipd on the same
 * database, whose changes it would not see, is refused. */
static kmipd_store_rc store_lock_process(kmipd_store *store,
                                         kmip_status *status)
{
    char lock_path[4096];
    int n =
        snprintf(lock_path, sizeof(lock_path), "%s-kmipd.lock", store->path);
    if (n < 0 || (size_t)n >= sizeof(lock_path)) {
        kmip_fail(status, KMIP_E_INVALID_ARG, "database path too long");
        return KMIPD_STORE_FAILED;
    }
    store->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (store->lock_fd >= 0 && fcntl(store->lock_fd, F_SETLK, &lock) == 0)
        return KMIPD_STORE_OK;
    if (store->lock_fd >= 0 && (errno == EACCES || errno == EAGAIN))
        kmip_fail(status, KMIP_E_INVALID_ARG,
                  "database %s is in use by another kmipd process",
                  store->path);
    else
        kmip_fail(status, KMIP_E_INVALID_ARG, "database %s: %s: %s",
                  store->path, lock_path, strerror(errno));
    return KMIPD_STORE_FAILED;
}

/* The caches and the process lock, then the database. */
static kmipd_store_rc store_start(kmipd_store *store, kmip_status *status)
{
    store->unwrapped = kmipd_unwrap_cache_new(STORE_UNWRAP_CACHE_SLOTS);
    store->objects = kmipd_object_cache_new(STORE_OBJECT_CACHE_SLOTS);
    if (store->unwrapped == NULL || store->objects == NULL) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    kmipd_store_rc rc = store_lock_process(store, status);
    return rc == KMIPD_STORE_OK ? store_prepare(store, status) : rc;
}

kmipd_store *kmipd_store_open(const char *path,
                              const uint8_t master_key[KMIPD_MASTER_KEY_LEN],
                              kmip_status *status)
{
    kmipd_store *store = calloc(1, sizeof(*store));
    if (store == NULL || (store->path = strdup(path)) == NULL) {
        free(store);
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(store->master_key, master_key, KMIPD_MASTER_KEY_LEN);
    store->lock_fd = -1;
    pthread_mutex_init(&store->lock, NULL);
    for (size_t i = 0; i < STORE_LOCK_STRIPES; i++)
        pthread_mutex_init(&store->object_locks[i], NULL);
    if (store_start(store, status) != KMIPD_STORE_OK) {
        kmipd_store_close(store);
        return NULL;
    }
    return store;
}

kmipd_store_rc kmipd_store_get_durability(kmipd_store *store,
                                          kmipd_store_durability *out,
                                          kmip_status *status)
{
    store_conn *conn = store_acquire(store, status);
    if (conn == NULL)
        return KMIPD_STORE_FAILED;
    sqlite3_stmt *sync = NULL, *journal = NULL;
    kmipd_store_rc rc = KMIPD_STORE_FAILED;
    if (sqlite3_prepare_v2(conn->db, "PRAGMA synchronous", -1, &sync, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(conn->db, "PRAGMA journal_mode", -1, &journal,
                           NULL) == SQLITE_OK &&
        sqlite3_step(sync) == SQLITE_ROW &&
        sqlite3_step(journal) == SQLITE_ROW) {
        out->synchronous = sqlite3_column_int(sync, 0);
        snprintf(out->journal_mode, sizeof(out->journal_mode), "%s",
                 (const char *)sqlite3_column_text(journal, 0));
        rc = KMIPD_STORE_OK;
    } else
        store_db_fail(status, conn->db, "reading its settings");
    sqlite3_finalize(sync);
    sqlite3_finalize(journal);
    store_release(store, conn);
    return rc;
}

void kmipd_store_close(kmipd_store *store)
{
    if (store == NULL)
        return;
    for (size_t i = 0; i < store->idle_count; i++)
        store_conn_close(store->idle[i]);
    free(store->idle);
    kmipd_unwrap_cache_free(store->unwrapped);
    kmipd_object_cache_free(store->objects);
    if (store->lock_fd >= 0)
        close(store->lock_fd);
    for (size_t i = 0; i < STORE_LOCK_STRIPES; i++)
        pthread_mutex_destroy(&store->object_locks[i]);
    pthread_mutex_destroy(&store->lock);
    OPENSSL_cleanse(store->master_key, sizeof(store->master_key));
    free(store->path);
    free(store);
}
