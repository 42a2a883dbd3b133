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
#include "kmipd/wrap.h"

struct kmipd_store {
    char *path;
    uint8_t master_key[KMIPD_MASTER_KEY_LEN];
    pthread_mutex_t lock;
    sqlite3 **idle; /* connections not in use */
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
    "CREATE INDEX IF NOT EXISTS objects_by_owner ON objects(owner, id);";

static kmipd_store_rc store_db_fail(kmip_status *status, sqlite3 *db,
                                    const char *what)
{
    kmip_fail(status, KMIP_E_INVALID_ARG, "database: %s: %s", what,
              db != NULL ? sqlite3_errmsg(db) : "out of memory");
    return KMIPD_STORE_FAILED;
}

static sqlite3 *store_connect(kmipd_store *store, kmip_status *status)
{
    sqlite3 *db = NULL;
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(store->path, &db, flags, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(db, 30000) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        store_db_fail(status, db, store->path);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* A connection for the caller's exclusive use until store_release. */
static sqlite3 *store_acquire(kmipd_store *store, kmip_status *status)
{
    sqlite3 *db = NULL;
    pthread_mutex_lock(&store->lock);
    if (store->idle_count > 0)
        db = store->idle[--store->idle_count];
    pthread_mutex_unlock(&store->lock);
    return db != NULL ? db : store_connect(store, status);
}

static void store_release(kmipd_store *store, sqlite3 *db)
{
    pthread_mutex_lock(&store->lock);
    if (store->idle_count == store->idle_cap) {
        size_t cap = store->idle_cap ? store->idle_cap * 2 : 8;
        sqlite3 **grown = realloc(store->idle, cap * sizeof(*grown));
        if (grown == NULL) {
            pthread_mutex_unlock(&store->lock);
            sqlite3_close(db);
            return;
        }
        store->idle = grown;
        store->idle_cap = cap;
    }
    store->idle[store->idle_count++] = db;
    pthread_mutex_unlock(&store->lock);
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
    sqlite3 *db = store_connect(store, status);
    if (db == NULL) {
        kmipd_store_close(store);
        return NULL;
    }
    if (sqlite3_exec(db, store_schema, NULL, NULL, NULL) != SQLITE_OK) {
        store_db_fail(status, db, "creating the schema");
        sqlite3_close(db);
        kmipd_store_close(store);
        return NULL;
    }
    store_release(store, db);
    return store;
}

void kmipd_store_close(kmipd_store *store)
{
    if (store == NULL)
        return;
    for (size_t i = 0; i < store->idle_count; i++)
        sqlite3_close(store->idle[i]);
    free(store->idle);
    pthread_mutex_destroy(&store->lock);
    OPENSSL_cleanse(store->master_key, sizeof(store->master_key));
    free(store->path);
    free(store);
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
    else
        sqlite3_bind_null(stmt, first + 1);
    sqlite3_bind_int64(stmt, first + 2, obj->material_format);
    sqlite3_bind_int(stmt, first + 3, obj->exportable);
    return KMIPD_STORE_OK;
}

static kmipd_store_rc store_insert_one(kmipd_store *store, sqlite3 *db,
                                       sqlite3_stmt *stmt, kmipd_object *obj,
                                       int64_t now, kmip_status *status)
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
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    sqlite3_bind_text(stmt, 1, obj->uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, obj->owner, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 3, obj->object_type);
    sqlite3_bind_int64(stmt, 4, obj->state);
    kmipd_store_rc rc = store_bind_object(store, stmt, 5, obj, status);
    if (rc != KMIPD_STORE_OK)
        return rc;
    if (sqlite3_step(stmt) != SQLITE_DONE)
        return store_db_fail(status, db, "insert");
    return KMIPD_STORE_OK;
}

kmipd_store_rc kmipd_store_insert(kmipd_store *store, kmipd_object **objs,
                                  size_t n, kmip_status *status)
{
    sqlite3 *db = store_acquire(store, status);
    if (db == NULL)
        return KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = NULL;
    int64_t now = time(NULL);
    kmipd_store_rc rc = KMIPD_STORE_OK;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = store_db_fail(status, db, "begin");
        goto out;
    }
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO objects (uid, owner, object_type, "
                           "state, attrs, material, material_format, "
                           "exportable) VALUES (?,?,?,?,?,?,?,?)",
                           -1, &stmt, NULL) != SQLITE_OK)
        rc = store_db_fail(status, db, "prepare insert");
    for (size_t i = 0; rc == KMIPD_STORE_OK && i < n; i++)
        rc = store_insert_one(store, db, stmt, objs[i], now, status);
    if (rc == KMIPD_STORE_OK &&
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = store_db_fail(status, db, "commit");
    if (rc != KMIPD_STORE_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
    sqlite3_finalize(stmt);
    store_release(store, db);
    return rc;
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
    if (with_material && wrapped != NULL &&
        !kmipd_unwrap(store->master_key, wrapped, wrapped_len, &obj->material,
                      &obj->material_len)) {
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
    sqlite3 *db = store_acquire(store, status);
    if (db == NULL)
        return KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = NULL;
    kmipd_store_rc rc;
    if (sqlite3_prepare_v2(db,
                           "SELECT " STORE_COLUMNS
                           " FROM objects WHERE uid = ? AND owner = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_fail(status, db, "prepare load");
        goto out;
    }
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, owner, -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW)
        rc = store_row_object(store, stmt, true, out, status);
    else if (step == SQLITE_DONE)
        rc = KMIPD_STORE_NOT_FOUND;
    else
        rc = store_db_fail(status, db, "load");
out:
    sqlite3_finalize(stmt);
    store_release(store, db);
    return rc;
}

kmipd_store_rc kmipd_store_update(kmipd_store *store, kmipd_object *obj,
                                  kmip_status *status)
{
    if (!store_sync_attrs(obj, time(NULL))) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    sqlite3 *db = store_acquire(store, status);
    if (db == NULL)
        return KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = NULL;
    kmipd_store_rc rc;
    if (sqlite3_prepare_v2(db,
                           "UPDATE objects SET attrs = ?, material = ?, "
                           "material_format = ?, exportable = ?, state = ? "
                           "WHERE uid = ? AND owner = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_fail(status, db, "prepare update");
        goto out;
    }
    rc = store_bind_object(store, stmt, 1, obj, status);
    if (rc != KMIPD_STORE_OK)
        goto out;
    sqlite3_bind_int64(stmt, 5, obj->state);
    sqlite3_bind_text(stmt, 6, obj->uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, obj->owner, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = store_db_fail(status, db, "update");
    else if (sqlite3_changes(db) == 0)
        rc = KMIPD_STORE_NOT_FOUND;
out:
    sqlite3_finalize(stmt);
    store_release(store, db);
    return rc;
}

kmipd_store_rc kmipd_store_delete(kmipd_store *store, const char *uid,
                                  const char *owner, kmip_status *status)
{
    sqlite3 *db = store_acquire(store, status);
    if (db == NULL)
        return KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = NULL;
    kmipd_store_rc rc = KMIPD_STORE_OK;
    if (sqlite3_prepare_v2(db,
                           "DELETE FROM objects WHERE uid = ? AND owner = ?",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_fail(status, db, "prepare delete");
        goto out;
    }
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, owner, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = store_db_fail(status, db, "delete");
    else if (sqlite3_changes(db) == 0)
        rc = KMIPD_STORE_NOT_FOUND;
out:
    sqlite3_finalize(stmt);
    store_release(store, db);
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

kmipd_store_rc kmipd_store_locate(kmipd_store *store, const char *owner,
                                  kmipd_store_match_fn match, void *arg,
                                  size_t offset, size_t max_items, char ***uids,
                                  size_t *n, size_t *total, kmip_status *status)
{
    *uids = NULL;
    *n = 0;
    *total = 0;
    sqlite3 *db = store_acquire(store, status);
    if (db == NULL)
        return KMIPD_STORE_FAILED;
    sqlite3_stmt *stmt = NULL;
    kmipd_store_rc rc = KMIPD_STORE_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT " STORE_COLUMNS
                           " FROM objects WHERE owner = ? ORDER BY id",
                           -1, &stmt, NULL) != SQLITE_OK) {
        rc = store_db_fail(status, db, "prepare locate");
        goto out;
    }
    sqlite3_bind_text(stmt, 1, owner, -1, SQLITE_STATIC);
    int step;
    while (rc == KMIPD_STORE_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        kmipd_object *obj = NULL;
        rc = store_row_object(store, stmt, false, &obj, status);
        if (rc != KMIPD_STORE_OK)
            break;
        if (match == NULL || match(obj, arg)) {
            (*total)++;
            bool wanted = *total > offset && (max_items == 0 || *n < max_items);
            if (wanted && !store_uids_append(uids, n, obj->uid)) {
                kmip_fail(status, KMIP_E_NOMEM, "out of memory");
                rc = KMIPD_STORE_FAILED;
            }
        }
        kmipd_object_free(obj);
    }
    if (rc == KMIPD_STORE_OK && step != SQLITE_DONE)
        rc = store_db_fail(status, db, "locate");
out:
    if (rc != KMIPD_STORE_OK) {
        kmipd_store_uids_free(*uids, *n);
        *uids = NULL;
        *n = 0;
    }
    sqlite3_finalize(stmt);
    store_release(store, db);
    return rc;
}
