/* SPDX-License-Identifier: Apache-2.0 */
/* The object store: SQLite in WAL mode with synchronous=FULL, one
 * connection per concurrent caller (kept in a pool), attributes as TTLV
 * blobs and material wrapped under the master key. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sqlite3.h>

#include "kmip/tags.h"

#include "kmipd/attributes.h"
#include "kmipd/lifecycle.h"
#include "kmipd/store.h"
#include "kmipd/unwrap_cache.h"
#include "kmipd/wrap.h"

/* Object locks (kmipd_store_lock), striped by uid. */
#define STORE_LOCK_STRIPES 64

/* Recently unwrapped materials kept in memory. */
#define STORE_UNWRAP_CACHE_SLOTS 1024

/* The statements each connection prepares once and keeps. */
typedef enum store_stmt_id {
    STMT_INSERT,
    STMT_LOAD,
    STMT_UPDATE,
    STMT_DELETE,
    STMT_LOCATE,
    STMT_COUNT,
} store_stmt_id;

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

typedef struct store_conn {
    sqlite3 *db;
    sqlite3_stmt *stmts[STMT_COUNT]; /* prepared on first use */
} store_conn;

struct kmipd_store {
    char *path;
    uint8_t master_key[KMIPD_MASTER_KEY_LEN];
    pthread_mutex_t lock;
    kmipd_unwrap_cache *unwrapped;
    pthread_mutex_t object_locks[STORE_LOCK_STRIPES];
    store_conn **idle; /* connections not in use */
    size_t idle_count;
    size_t idle_cap;
};

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
#define STORE_PRAGMAS "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"

static kmipd_store_rc store_db_fail(kmip_status *status, sqlite3 *db,
                                    const char *what)
{
    kmip_fail(status, KMIP_E_INVALID_ARG, "database: %s: %s", what,
              db != NULL ? sqlite3_errmsg(db) : "out of memory");
    return KMIPD_STORE_FAILED;
}

static void store_conn_close(store_conn *conn)
{
    if (conn == NULL)
        return;
    for (size_t i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(conn->stmts[i]);
    sqlite3_close(conn->db);
    free(conn);
}

static store_conn *store_connect(kmipd_store *store, kmip_status *status)
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
static sqlite3_stmt *store_stmt(store_conn *conn, store_stmt_id id,
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
static store_conn *store_acquire(kmipd_store *store, kmip_status *status)
{
    store_conn *conn = NULL;
    pthread_mutex_lock(&store->lock);
    if (store->idle_count > 0)
        conn = store->idle[--store->idle_count];
    pthread_mutex_unlock(&store->lock);
    return conn != NULL ? conn : store_connect(store, status);
}

/* Gives conn back, its statements reset (a reader holds no snapshot). */
static void store_release(kmipd_store *store, store_conn *conn)
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
    pthread_mutex_init(&store->lock, NULL);
    for (size_t i = 0; i < STORE_LOCK_STRIPES; i++)
        pthread_mutex_init(&store->object_locks[i], NULL);
    store->unwrapped = kmipd_unwrap_cache_new(STORE_UNWRAP_CACHE_SLOTS);
    if (store->unwrapped == NULL)
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
    if (store->unwrapped == NULL ||
        store_prepare(store, status) != KMIPD_STORE_OK) {
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
    for (size_t i = 0; i < STORE_LOCK_STRIPES; i++)
        pthread_mutex_destroy(&store->object_locks[i]);
    pthread_mutex_destroy(&store->lock);
    OPENSSL_cleanse(store->master_key, sizeof(store->master_key));
    free(store->path);
    free(store);
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

void kmipd_store_new_uid(char uid[KMIPD_UID_MAX])
{
    uint8_t r[16];
    if (RAND_bytes(r, sizeof(r)) != 1)
        abort(); /* no randomness: nothing safe is left to do */
    r[6] = (uint8_t)((r[6] & 0x0f) | 0x40); /* UUID version 4 */
    r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
    snprintf(uid, KMIPD_UID_MAX,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
             r[11], r[12], r[13], r[14], r[15]);
}

/* Writes the server-kept attributes that mirror obj's fields. */
static bool store_sync_attrs(kmipd_object *obj, int64_t now)
{
    return kmipd_attrs_put(
               obj->attrs,
               kmip_item_new_text(KMIP_TAG_UNIQUE_IDENTIFIER, obj->uid)) &&
           kmipd_attrs_put(obj->attrs, kmip_item_new_enum(KMIP_TAG_OBJECT_TYPE,
                                                          obj->object_type)) &&
           kmipd_attrs_put(obj->attrs,
                           kmip_item_new_enum(KMIP_TAG_STATE, obj->state)) &&
           kmipd_attrs_put(obj->attrs, kmip_item_new_datetime(
                                           KMIP_TAG_LAST_CHANGE_DATE, now));
}

/* Binds obj's attributes, material, format and exportability to the
 * parameters first.. first+3 of stmt. */
static kmipd_store_rc store_bind_object(kmipd_store *store, sqlite3_stmt *stmt,
                                        int first, const kmipd_object *obj,
                                        kmip_status *status)
{
    uint8_t *attrs = NULL, *wrapped = NULL;
    size_t attrs_len = 0, wrapped_len = 0;
    if (kmip_ttlv_encode_alloc(obj->attrs, &attrs, &attrs_len, status) !=
        KMIP_OK)
        return KMIPD_STORE_FAILED;
    if (obj->material_len > 0 &&
        !kmipd_wrap(store->master_key, obj->material, obj->material_len,
                    &wrapped, &wrapped_len)) {
        free(attrs);
        kmip_fail(status, KMIP_E_INVALID_ARG, "wrapping key material failed");
        return KMIPD_STORE_FAILED;
    }
    sqlite3_bind_blob(stmt, first, attrs, (int)attrs_len, free);
    if (wrapped != NULL)
        sqlite3_bind_blob(stmt, first + 1, wrapped, (int)wrapped_len, free);
    else if (obj->material != NULL) /* an empty value: nothing to wrap */
        sqlite3_bind_zeroblob(stmt, first + 1, 0);
    else
        sqlite3_bind_null(stmt, first + 1);
    sqlite3_bind_int64(stmt, first + 2, obj->material_format);
    sqlite3_bind_int(stmt, first + 3, obj->exportable);
    return KMIPD_STORE_OK;
}

static kmipd_store_rc store_insert_one(kmipd_store *store, store_conn *conn,
                                       kmipd_object *obj, int64_t now,
                                       kmip_status *status)
{
    if (obj->uid[0] == '\0')
        kmipd_store_new_uid(obj->uid);
    kmipd_lifecycle_refresh(obj, now);
    if (!store_sync_attrs(obj, now) ||
        !kmipd_attrs_put(obj->attrs,
                         kmip_item_new_datetime(KMIP_TAG_INITIAL_DATE, now))) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    sqlite3_stmt *stmt = store_stmt(conn, STMT_INSERT, status);
    if (stmt == NULL)
        return KMIPD_STORE_FAILED;
    sqlite3_bind_text(stmt, 1, obj->uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, obj->owner, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, obj->object_type);
    sqlite3_bind_int64(stmt, 4, obj->state);
    kmipd_store_rc rc = store_bind_object(store, stmt, 5, obj, status);
    if (rc != KMIPD_STORE_OK)
        return rc;
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_db_fail(status, conn->db, "insert");
    return KMIPD_STORE_OK;
}

kmipd_store_rc kmipd_store_insert(kmipd_store *store, kmipd_object **objs,
                                  size_t n, kmip_status *status)
{
    store_conn *conn = store_acquire(store, status);
    if (conn == NULL)
        return KMIPD_STORE_FAILED;
    int64_t now = time(NULL);
    kmipd_store_rc rc = KMIPD_STORE_OK;
    if (sqlite3_exec(conn->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK)
        rc = store_db_fail(status, conn->db, "begin");
    else {
        for (size_t i = 0; rc == KMIPD_STORE_OK && i < n; i++)
            rc = store_insert_one(store, conn, objs[i], now, status);
        if (rc == KMIPD_STORE_OK &&
            sqlite3_exec(conn->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = store_db_fail(status, conn->db, "commit");
        if (rc != KMIPD_STORE_OK)
            sqlite3_exec(conn->db, "ROLLBACK", NULL, NULL, NULL);
    }
    store_release(store, conn);
    return rc;
}

/* Unwraps the material of obj, through the cache of recent unwraps. */
static bool store_unwrap(kmipd_store *store, kmipd_object *obj,
                         const uint8_t *wrapped, size_t wrapped_len)
{
    if (kmipd_unwrap_cache_get(store->unwrapped, obj->uid, wrapped, wrapped_len,
                               &obj->material, &obj->material_len))
        return true;
    if (!kmipd_unwrap(store->master_key, wrapped, wrapped_len, &obj->material,
                      &obj->material_len))
        return false;
    kmipd_unwrap_cache_put(store->unwrapped, obj->uid, wrapped, wrapped_len,
                           obj->material, obj->material_len);
    return true;
}

/* obj holds an empty value (a zero-length blob, where SQLite gives no
 * pointer): an empty Secret Data or Opaque Object. */
static kmipd_store_rc
store_empty_material(kmipd_object *obj, kmipd_object **out, kmip_status *status)
{
    obj->material = malloc(1);
    obj->material_len = 0;
    if (obj->material == NULL) {
        kmipd_object_free(obj);
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    *out = obj;
    return KMIPD_STORE_OK;
}

/* Builds an object from a row of (uid, owner, object_type, state, attrs,
 * material, material_format, exportable); material is unwrapped only
 * when with_material. */
static kmipd_store_rc store_row_object(kmipd_store *store, sqlite3_stmt *stmt,
                                       bool with_material, kmipd_object **out,
                                       kmip_status *status)
{
    const char *owner = (const char *)sqlite3_column_text(stmt, 1);
    kmipd_object *obj =
        kmipd_object_new((uint32_t)sqlite3_column_int64(stmt, 2), owner);
    if (obj == NULL) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    snprintf(obj->uid, sizeof(obj->uid), "%s", sqlite3_column_text(stmt, 0));
    obj->state = (uint32_t)sqlite3_column_int64(stmt, 3);
    obj->material_format = (uint32_t)sqlite3_column_int64(stmt, 6);
    obj->exportable = sqlite3_column_int(stmt, 7) != 0;
    kmip_item_free(obj->attrs);
    obj->attrs = NULL;
    if (kmip_ttlv_decode(sqlite3_column_blob(stmt, 4),
                         (size_t)sqlite3_column_bytes(stmt, 4), NULL,
                         &obj->attrs, status) != KMIP_OK) {
        kmipd_object_free(obj);
        return KMIPD_STORE_FAILED;
    }
    kmipd_lifecycle_refresh(obj, time(NULL));
    const uint8_t *wrapped = sqlite3_column_blob(stmt, 5);
    size_t wrapped_len = (size_t)sqlite3_column_bytes(stmt, 5);
    if (with_material && wrapped == NULL &&
        sqlite3_column_type(stmt, 5) == SQLITE_BLOB)
        return store_empty_material(obj, out, status);
    if (with_material && wrapped != NULL &&
        !store_unwrap(store, obj, wrapped, wrapped_len)) {
        kmipd_object_free(obj);
        kmip_fail(status, KMIP_E_INVALID_ARG,
                  "key material of %s fails its integrity check "
                  "(wrong master key?)",
                  (const char *)sqlite3_column_text(stmt, 0));
        return KMIPD_STORE_FAILED;
    }
    *out = obj;
    return KMIPD_STORE_OK;
}

#define STORE_COLUMNS                                                          \
    "uid, owner, object_type, state, attrs, material, material_format, "       \
    "exportable"

kmipd_store_rc kmipd_store_load(kmipd_store *store, const char *uid,
                                const char *owner, kmipd_object **out,
                                kmip_status *status)
{
    store_conn *conn = store_acquire(store, status);
    if (conn == NULL)
        return KMIPD_STORE_FAILED;
    kmipd_store_rc rc = KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = store_stmt(conn, STMT_LOAD, status);
    if (stmt != NULL) {
        sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, owner, -1, SQLITE_STATIC);
        int step = sqlite3_step(stmt);
        if (step == SQLITE_ROW)
            rc = store_row_object(store, stmt, true, out, status);
        else if (step == SQLITE_DONE)
            rc = KMIPD_STORE_NOT_FOUND;
        else
            rc = store_db_fail(status, conn->db, "load");
    }
    store_release(store, conn);
    return rc;
}

/* Runs a statement that changes one object's row; NOT_FOUND when no row
 * (of that owner) changed. */
static kmipd_store_rc store_change(store_conn *conn, sqlite3_stmt *stmt,
                                   const char *what, kmip_status *status)
{
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_db_fail(status, conn->db, what);
    return sqlite3_changes(conn->db) == 0 ? KMIPD_STORE_NOT_FOUND
                                          : KMIPD_STORE_OK;
}

kmipd_store_rc kmipd_store_update(kmipd_store *store, kmipd_object *obj,
                                  kmip_status *status)
{
    if (!store_sync_attrs(obj, time(NULL))) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    store_conn *conn = store_acquire(store, status);
    if (conn == NULL)
        return KMIPD_STORE_FAILED;
    kmipd_store_rc rc = KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = store_stmt(conn, STMT_UPDATE, status);
    if (stmt != NULL)
        rc = store_bind_object(store, stmt, 1, obj, status);
    if (rc == KMIPD_STORE_OK) {
        sqlite3_bind_int64(stmt, 5, obj->state);
        sqlite3_bind_text(stmt, 6, obj->uid, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 7, obj->owner, -1, SQLITE_STATIC);
        rc = store_change(conn, stmt, "update", status);
    }
    store_release(store, conn);
    return rc;
}

kmipd_store_rc kmipd_store_delete(kmipd_store *store, const char *uid,
                                  const char *owner, kmip_status *status)
{
    store_conn *conn = store_acquire(store, status);
    if (conn == NULL)
        return KMIPD_STORE_FAILED;
    kmipd_store_rc rc = KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = store_stmt(conn, STMT_DELETE, status);
    if (stmt != NULL) {
        sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, owner, -1, SQLITE_STATIC);
        rc = store_change(conn, stmt, "delete", status);
    }
    store_release(store, conn);
    return rc;
}

void kmipd_store_uids_free(char **uids, size_t n)
{
    if (uids == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(uids[i]);
    free(uids);
}

/* Appends a copy of uid to the array *uids of *n entries. */
static bool store_uids_append(char ***uids, size_t *n, const char *uid)
{
    char **grown = realloc(*uids, (*n + 1) * sizeof(*grown));
    if (grown == NULL)
        return false;
    *uids = grown;
    if ((grown[*n] = strdup(uid)) == NULL)
        return false;
    (*n)++;
    return true;
}

/* Adds obj's uid to the page when match accepts it. */
static kmipd_store_rc store_locate_row(const kmipd_object *obj,
                                       kmipd_store_match_fn match, void *arg,
                                       size_t offset, size_t max_items,
                                       char ***uids, size_t *n, size_t *total,
                                       kmip_status *status)
{
    if (match != NULL && !match(obj, arg))
        return KMIPD_STORE_OK;
    (*total)++;
    bool wanted = *total > offset && (max_items == 0 || *n < max_items);
    if (wanted && !store_uids_append(uids, n, obj->uid)) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    return KMIPD_STORE_OK;
}

kmipd_store_rc kmipd_store_locate(kmipd_store *store, const char *owner,
                                  kmipd_store_match_fn match, void *arg,
                                  size_t offset, size_t max_items, char ***uids,
                                  size_t *n, size_t *total, kmip_status *status)
{
    *uids = NULL;
    *n = 0;
    *total = 0;
    store_conn *conn = store_acquire(store, status);
    if (conn == NULL)
        return KMIPD_STORE_FAILED;
    kmipd_store_rc rc = KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = store_stmt(conn, STMT_LOCATE, status);
    if (stmt != NULL) {
        rc = KMIPD_STORE_OK;
        sqlite3_bind_text(stmt, 1, owner, -1, SQLITE_STATIC);
        int step;
        while (rc == KMIPD_STORE_OK &&
               (step = sqlite3_step(stmt)) == SQLITE_ROW) {
            kmipd_object *obj = NULL;
            rc = store_row_object(store, stmt, false, &obj, status);
            if (rc == KMIPD_STORE_OK)
                rc = store_locate_row(obj, match, arg, offset, max_items, uids,
                                      n, total, status);
            kmipd_object_free(obj);
        }
        if (rc == KMIPD_STORE_OK && step != SQLITE_DONE)
            rc = store_db_fail(status, conn->db, "locate");
    }
    if (rc != KMIPD_STORE_OK) {
        kmipd_store_uids_free(*uids, *n);
        *uids = NULL;
        *n = 0;
    }
    store_release(store, conn);
    return rc;
}
