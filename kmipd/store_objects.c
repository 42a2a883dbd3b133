/* SPDX-License-Identifier: Apache-2.0 */
/* Objects in the store: insert, load (through the object cache), update
 * and delete; material wrapped under the master key at rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "kmip/tags.h"

#include "kmipd/attributes.h"
#include "kmipd/lifecycle.h"
#include "kmipd/store_internal.h"
#include "kmipd/wrap.h"

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
    for (size_t i = 0; i < n; i++) /* a uid the caller chose may be cached */
        kmipd_object_cache_forget(store->objects, objs[i]->uid);
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
kmipd_store_rc store_row_object(kmipd_store *store, sqlite3_stmt *stmt,
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

static kmipd_store_rc store_load_row(kmipd_store *store, const char *uid,
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

kmipd_store_rc kmipd_store_use(kmipd_store *store, const char *uid,
                               const char *owner, kmipd_object_use **out,
                               kmip_status *status)
{
    *out = kmipd_object_cache_use(store->objects, uid, owner, time(NULL));
    if (*out != NULL)
        return KMIPD_STORE_OK;
    uint64_t generation = kmipd_object_cache_generation(store->objects, uid);
    kmipd_object *obj = NULL;
    kmipd_store_rc rc = store_load_row(store, uid, owner, &obj, status);
    if (rc != KMIPD_STORE_OK)
        return rc;
    if ((*out = kmipd_object_use_new(obj)) == NULL) {
        kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        return KMIPD_STORE_FAILED;
    }
    kmipd_object_cache_put(store->objects, *out, generation);
    return KMIPD_STORE_OK;
}

kmipd_store_rc kmipd_store_load(kmipd_store *store, const char *uid,
                                const char *owner, kmipd_object **out,
                                kmip_status *status)
{
    kmipd_object_use *use = NULL;
    kmipd_store_rc rc = kmipd_store_use(store, uid, owner, &use, status);
    if (rc != KMIPD_STORE_OK)
        return rc;
    *out = kmipd_object_dup(kmipd_object_use_get(use));
    kmipd_object_use_end(use);
    if (*out != NULL)
        return KMIPD_STORE_OK;
    kmip_fail(status, KMIP_E_NOMEM, "out of memory");
    return KMIPD_STORE_FAILED;
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
    kmipd_object_cache_forget(store->objects, obj->uid);
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
    kmipd_object_cache_forget(store->objects, uid);
    return rc;
}
