/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's object store: identifiers, ownership, wrapped material,
 * updates, deletion and Locate's filtering and paging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/store.h"

static const uint8_t master_key[KMIPD_MASTER_KEY_LEN] = {1, 2, 3, 4, 5, 6};
static const uint8_t secret[] = "sixteen byte key";

typedef struct fixture {
    char dir[64];
    char path[96];
    kmipd_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    strcpy(f->dir, "/tmp/kmipd-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/db.sqlite", f->dir);
    kmip_status st;
    f->store = kmipd_store_open(f->path, master_key, &st);
    assert_non_null(f->store);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kmipd_store_close(f->store);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* Stores a new symmetric key of owner named name; returns it. */
static kmipd_object *insert_key(fixture *f, const char *owner, const char *name)
{
    kmipd_object *obj = kmipd_object_new(KMIP_OBJECT_TYPE_SYMMETRIC_KEY, owner);
    assert_non_null(obj);
    assert_non_null(kmip_attrs_add_name(obj->attrs, name));
    assert_true(kmipd_object_set_material(obj, secret, sizeof(secret) - 1,
                                          KMIP_KEY_FORMAT_TYPE_RAW));
    kmip_status st;
    assert_int_equal(kmipd_store_insert(f->store, &obj, 1, &st),
                     KMIPD_STORE_OK);
    return obj;
}

static void test_insert_assigns_a_uid_and_server_attributes(void **state)
{
    kmipd_object *obj = insert_key(*state, "alice", "k1");
    assert_true(strlen(obj->uid) == 36);
    const char *uid;
    size_t len;
    assert_int_equal(
        kmip_get_text(obj->attrs, KMIP_TAG_UNIQUE_IDENTIFIER, &uid, &len, NULL),
        KMIP_OK);
    assert_string_equal(uid, obj->uid);
    int64_t initial;
    assert_int_equal(
        kmip_get_datetime(obj->attrs, KMIP_TAG_INITIAL_DATE, &initial, NULL),
        KMIP_OK);
    assert_true(initial > 0 && initial <= time(NULL));
    uint32_t st;
    assert_int_equal(kmip_attrs_get_state(obj->attrs, &st, NULL), KMIP_OK);
    assert_int_equal(st, KMIP_STATE_PRE_ACTIVE);
    kmipd_object_free(obj);
}

static void test_load_returns_what_was_stored(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    kmipd_object *loaded = NULL;
    kmip_status st;
    assert_int_equal(
        kmipd_store_load(f->store, obj->uid, "alice", &loaded, &st),
        KMIPD_STORE_OK);
    assert_int_equal(loaded->object_type, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(loaded->material_len, sizeof(secret) - 1);
    assert_memory_equal(loaded->material, secret, sizeof(secret) - 1);
    const char *name;
    assert_int_equal(kmip_attrs_get_name(loaded->attrs, &name, NULL), KMIP_OK);
    assert_string_equal(name, "k1");
    kmipd_object_free(loaded);
    kmipd_object_free(obj);
}

/* An empty Secret Data is kept empty, and an object without a value
 * stays without one. */
static void test_an_empty_value_loads_empty_not_missing(void **state)
{
    fixture *f = *state;
    kmipd_object *objs[2] = {
        kmipd_object_new(KMIP_OBJECT_TYPE_SECRET_DATA, "alice"),
        kmipd_object_new(KMIP_OBJECT_TYPE_SECRET_DATA, "alice"),
    };
    assert_true(objs[0] != NULL && objs[1] != NULL);
    assert_true(kmipd_object_set_material(objs[0], (const uint8_t *)"", 0,
                                          KMIP_KEY_FORMAT_TYPE_OPAQUE));
    kmip_status st;
    assert_int_equal(kmipd_store_insert(f->store, objs, 2, &st),
                     KMIPD_STORE_OK);
    for (int i = 0; i < 2; i++) {
        kmipd_object *loaded = NULL;
        assert_int_equal(
            kmipd_store_load(f->store, objs[i]->uid, "alice", &loaded, &st),
            KMIPD_STORE_OK);
        assert_int_equal(loaded->material != NULL, i == 0);
        assert_int_equal(loaded->material_len, 0);
        kmipd_object_free(loaded);
        kmipd_object_free(objs[i]);
    }
}

static void test_another_owner_does_not_find_the_object(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    kmipd_object *loaded = NULL;
    kmip_status st;
    assert_int_equal(kmipd_store_load(f->store, obj->uid, "bob", &loaded, &st),
                     KMIPD_STORE_NOT_FOUND);
    assert_null(loaded);
    assert_int_equal(kmipd_store_delete(f->store, obj->uid, "bob", &st),
                     KMIPD_STORE_NOT_FOUND);
    kmipd_object_free(obj);
}

/* The material column as stored on disk. */
static size_t raw_material(fixture *f, const char *uid, uint8_t *out,
                           size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT material FROM objects "
                                        "WHERE uid = ?",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(stmt, 1, uid, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    size_t len = (size_t)sqlite3_column_bytes(stmt, 0);
    assert_true(len <= cap);
    memcpy(out, sqlite3_column_blob(stmt, 0), len);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return len;
}

static void test_material_is_wrapped_at_rest(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    uint8_t raw[256];
    size_t len = raw_material(f, obj->uid, raw, sizeof(raw));
    /* RFC 5649: the plaintext padded to 8 bytes, plus an 8-byte block. */
    assert_int_equal(len, 16 + 8);
    assert_null(memmem(raw, len, secret, 8));
    kmipd_object_free(obj);
}

static void test_a_wrong_master_key_is_refused_at_open(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    uint8_t other_key[KMIPD_MASTER_KEY_LEN] = {9};
    kmip_status st;
    assert_null(kmipd_store_open(f->path, other_key, &st));
    assert_non_null(strstr(st.message, "not the one it was made with"));
    assert_non_null(strstr(st.message, f->path));
    kmipd_store *again = kmipd_store_open(f->path, master_key, &st);
    assert_non_null(again);
    kmipd_store_close(again);
    kmipd_object_free(obj);
}

/* Runs sql on the store's database with a connection of the test's. */
static void exec_sql(fixture *f, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void
test_a_database_without_a_key_check_is_checked_by_its_material(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    exec_sql(f, "DELETE FROM meta");
    uint8_t other_key[KMIPD_MASTER_KEY_LEN] = {9};
    kmip_status st;
    assert_null(kmipd_store_open(f->path, other_key, &st));
    kmipd_store *again = kmipd_store_open(f->path, master_key, &st);
    assert_non_null(again);
    kmipd_store_close(again);
    exec_sql(f, "DELETE FROM objects"); /* the check value alone now */
    assert_null(kmipd_store_open(f->path, other_key, &st));
    kmipd_object_free(obj);
}

static void test_the_store_runs_wal_with_synchronous_full(void **state)
{
    fixture *f = *state;
    kmipd_store_durability durability;
    kmip_status st;
    assert_int_equal(kmipd_store_get_durability(f->store, &durability, &st),
                     KMIPD_STORE_OK);
    assert_string_equal(durability.journal_mode, "wal");
    assert_int_equal(durability.synchronous, 2); /* FULL */
}

static void test_activation_date_in_the_past_stores_it_active(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = kmipd_object_new(KMIP_OBJECT_TYPE_SECRET_DATA, "a");
    assert_non_null(kmip_add_datetime(obj->attrs, KMIP_TAG_ACTIVATION_DATE,
                                      time(NULL) - 10));
    kmip_status st;
    assert_int_equal(kmipd_store_insert(f->store, &obj, 1, &st),
                     KMIPD_STORE_OK);
    assert_int_equal(obj->state, KMIP_STATE_ACTIVE);
    kmipd_object_free(obj);
}

static void test_update_writes_state_and_attributes(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    obj->state = KMIP_STATE_ACTIVE;
    assert_non_null(kmip_attrs_add_name(obj->attrs, "second"));
    kmip_status st;
    assert_int_equal(kmipd_store_update(f->store, obj, &st), KMIPD_STORE_OK);
    kmipd_object *loaded = NULL;
    assert_int_equal(
        kmipd_store_load(f->store, obj->uid, "alice", &loaded, &st),
        KMIPD_STORE_OK);
    assert_int_equal(loaded->state, KMIP_STATE_ACTIVE);
    assert_int_equal(kmip_item_count(loaded->attrs, KMIP_TAG_NAME), 2);
    uint32_t attr_state;
    assert_int_equal(kmip_attrs_get_state(loaded->attrs, &attr_state, NULL),
                     KMIP_OK);
    assert_int_equal(attr_state, KMIP_STATE_ACTIVE);
    kmipd_object_free(loaded);
    kmipd_object_free(obj);
}

static void test_new_material_is_loaded_after_an_update(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    kmipd_object *loaded = NULL;
    kmip_status st;
    /* The first load remembers the unwrapped material. */
    assert_int_equal(
        kmipd_store_load(f->store, obj->uid, "alice", &loaded, &st),
        KMIPD_STORE_OK);
    kmipd_object_free(loaded);
    static const uint8_t other[] = "another key, 24 bytes!!";
    assert_true(kmipd_object_set_material(obj, other, sizeof(other) - 1,
                                          KMIP_KEY_FORMAT_TYPE_RAW));
    assert_int_equal(kmipd_store_update(f->store, obj, &st), KMIPD_STORE_OK);
    assert_int_equal(
        kmipd_store_load(f->store, obj->uid, "alice", &loaded, &st),
        KMIPD_STORE_OK);
    assert_int_equal(loaded->material_len, sizeof(other) - 1);
    assert_memory_equal(loaded->material, other, sizeof(other) - 1);
    kmipd_object_free(loaded);
    kmipd_object_free(obj);
}

static void test_delete_removes_the_object(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    kmip_status st;
    assert_int_equal(kmipd_store_delete(f->store, obj->uid, "alice", &st),
                     KMIPD_STORE_OK);
    kmipd_object *loaded = NULL;
    assert_int_equal(
        kmipd_store_load(f->store, obj->uid, "alice", &loaded, &st),
        KMIPD_STORE_NOT_FOUND);
    kmipd_object_free(obj);
}

static bool named(const kmipd_object *obj, void *arg)
{
    const char *name;
    return kmip_attrs_get_name(obj->attrs, &name, NULL) == KMIP_OK &&
           strcmp(name, arg) == 0;
}

static void test_locate_filters_by_owner_and_match(void **state)
{
    fixture *f = *state;
    kmipd_object *objs[4] = {
        insert_key(f, "alice", "x"), insert_key(f, "alice", "y"),
        insert_key(f, "bob", "x"), insert_key(f, "alice", "x")};
    char **uids;
    size_t n, total;
    kmip_status st;
    assert_int_equal(kmipd_store_locate(f->store, "alice", named, "x", 0, 0,
                                        &uids, &n, &total, &st),
                     KMIPD_STORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    assert_string_equal(uids[0], objs[0]->uid);
    assert_string_equal(uids[1], objs[3]->uid);
    kmipd_store_uids_free(uids, n);
    for (size_t i = 0; i < 4; i++)
        kmipd_object_free(objs[i]);
}

static void test_locate_pages_with_offset_and_maximum(void **state)
{
    fixture *f = *state;
    kmipd_object *objs[5];
    for (size_t i = 0; i < 5; i++)
        objs[i] = insert_key(f, "alice", "p");
    char **uids;
    size_t n, total;
    kmip_status st;
    assert_int_equal(kmipd_store_locate(f->store, "alice", NULL, NULL, 3, 1,
                                        &uids, &n, &total, &st),
                     KMIPD_STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(total, 5);
    assert_string_equal(uids[0], objs[3]->uid);
    kmipd_store_uids_free(uids, n);
    for (size_t i = 0; i < 5; i++)
        kmipd_object_free(objs[i]);
}

static void test_two_objects_are_stored_together(void **state)
{
    fixture *f = *state;
    kmipd_object *pair[2] = {
        kmipd_object_new(KMIP_OBJECT_TYPE_PRIVATE_KEY, "alice"),
        kmipd_object_new(KMIP_OBJECT_TYPE_PUBLIC_KEY, "alice")};
    kmipd_store_new_uid(pair[1]->uid);
    char preset[KMIPD_UID_MAX];
    strcpy(preset, pair[1]->uid);
    kmip_status st;
    assert_int_equal(kmipd_store_insert(f->store, pair, 2, &st),
                     KMIPD_STORE_OK);
    assert_string_equal(pair[1]->uid, preset);
    assert_string_not_equal(pair[0]->uid, pair[1]->uid);
    char **uids;
    size_t n, total;
    assert_int_equal(kmipd_store_locate(f->store, "alice", NULL, NULL, 0, 0,
                                        &uids, &n, &total, &st),
                     KMIPD_STORE_OK);
    assert_int_equal(n, 2);
    kmipd_store_uids_free(uids, n);
    kmipd_object_free(pair[0]);
    kmipd_object_free(pair[1]);
}

static void test_a_store_in_a_missing_folder_fails_to_open(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof(path), "%s/missing/db.sqlite", f->dir);
    kmip_status st;
    assert_null(kmipd_store_open(path, master_key, &st));
    assert_non_null(strstr(st.message, "database"));
    assert_non_null(strstr(st.message, path));
}

static void test_a_file_that_is_not_a_database_fails_to_open(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof(path), "%s/garbage.sqlite", f->dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    for (int i = 0; i < 64; i++)
        fputs("this is not an SQLite database file. ", file);
    fclose(file);
    kmip_status st;
    assert_null(kmipd_store_open(path, master_key, &st));
    assert_non_null(strstr(st.message, "database"));
}

static void test_tampered_material_fails_its_integrity_check(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    exec_sql(f, "UPDATE objects SET material = zeroblob(24)");
    kmipd_object *loaded = NULL;
    kmip_status st;
    assert_int_equal(
        kmipd_store_load(f->store, obj->uid, "alice", &loaded, &st),
        KMIPD_STORE_FAILED);
    assert_null(loaded);
    assert_non_null(strstr(st.message, "integrity check"));
    assert_non_null(strstr(st.message, obj->uid));
    kmipd_object_free(obj);
}

static void test_undecodable_attributes_fail_load_and_locate(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    exec_sql(f, "UPDATE objects SET attrs = x'420001'");
    kmipd_object *loaded = NULL;
    kmip_status st;
    assert_int_equal(
        kmipd_store_load(f->store, obj->uid, "alice", &loaded, &st),
        KMIPD_STORE_FAILED);
    assert_null(loaded);
    char **uids;
    size_t n, total;
    assert_int_equal(kmipd_store_locate(f->store, "alice", NULL, NULL, 0, 0,
                                        &uids, &n, &total, &st),
                     KMIPD_STORE_FAILED);
    assert_null(uids);
    assert_int_equal(n, 0);
    kmipd_object_free(obj);
}

static void test_a_duplicate_uid_stores_none_of_the_batch(void **state)
{
    fixture *f = *state;
    kmipd_object *first = insert_key(f, "alice", "k1");
    kmipd_object *batch[2] = {
        kmipd_object_new(KMIP_OBJECT_TYPE_SYMMETRIC_KEY, "alice"),
        kmipd_object_new(KMIP_OBJECT_TYPE_SYMMETRIC_KEY, "alice")};
    strcpy(batch[1]->uid, first->uid);
    kmip_status st;
    assert_int_equal(kmipd_store_insert(f->store, batch, 2, &st),
                     KMIPD_STORE_FAILED);
    assert_non_null(strstr(st.message, "insert"));
    kmipd_object *loaded = NULL;
    assert_int_equal(
        kmipd_store_load(f->store, batch[0]->uid, "alice", &loaded, &st),
        KMIPD_STORE_NOT_FOUND);
    kmipd_object_free(batch[0]);
    kmipd_object_free(batch[1]);
    kmipd_object_free(first);
}

static void test_update_of_an_unknown_object_is_not_found(void **state)
{
    fixture *f = *state;
    kmipd_object *obj = insert_key(f, "alice", "k1");
    snprintf(obj->owner, sizeof(obj->owner), "%s", "bob");
    kmip_status st;
    assert_int_equal(kmipd_store_update(f->store, obj, &st),
                     KMIPD_STORE_NOT_FOUND);
    assert_int_equal(kmipd_store_delete(f->store, obj->uid, "bob", &st),
                     KMIPD_STORE_NOT_FOUND);
    kmipd_object_free(obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_insert_assigns_a_uid_and_server_attributes),
        T(test_load_returns_what_was_stored),
        T(test_an_empty_value_loads_empty_not_missing),
        T(test_another_owner_does_not_find_the_object),
        T(test_material_is_wrapped_at_rest),
        T(test_a_wrong_master_key_is_refused_at_open),
        T(test_a_database_without_a_key_check_is_checked_by_its_material),
        T(test_the_store_runs_wal_with_synchronous_full),
        T(test_activation_date_in_the_past_stores_it_active),
        T(test_update_writes_state_and_attributes),
        T(test_new_material_is_loaded_after_an_update),
        T(test_delete_removes_the_object),
        T(test_locate_filters_by_owner_and_match),
        T(test_locate_pages_with_offset_and_maximum),
        T(test_two_objects_are_stored_together),
        T(test_a_store_in_a_missing_folder_fails_to_open),
        T(test_a_file_that_is_not_a_database_fails_to_open),
        T(test_tampered_material_fails_its_integrity_check),
        T(test_undecodable_attributes_fail_load_and_locate),
        T(test_a_duplicate_uid_stores_none_of_the_batch),
        T(test_update_of_an_unknown_object_is_not_found),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
