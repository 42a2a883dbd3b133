/* SPDX-License-Identifier: Apache-2.0 */
/* Locate: the identifiers of an owner's objects that match, oldest
 * first, a page of them. */
#include <stdlib.h>
#include <string.h>

#include "kmipd/store_internal.h"

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
