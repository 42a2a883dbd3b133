/* SPDX-License-Identifier: Apache-2.0 */
/* The journal of a batch sent with Undo (see undo.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmip/tags.h"

#include "kmipd/log.h"
#include "kmipd/undo.h"

typedef struct undo_entry {
    char uid[KMIPD_UID_MAX];
    kmipd_object *before; /* NULL: the batch created uid */
} undo_entry;

struct kmipd_undo {
    undo_entry *entries;
    size_t count, capacity;
};

kmipd_undo *kmipd_undo_new(void)
{
    return calloc(1, sizeof(kmipd_undo));
}

void kmipd_undo_free(kmipd_undo *undo)
{
    if (undo == NULL)
        return;
    for (size_t i = 0; i < undo->count; i++)
        kmipd_object_free(undo->entries[i].before);
    free(undo->entries);
    free(undo);
}

static bool journaled(const kmipd_undo *undo, const char *uid)
{
    for (size_t i = 0; i < undo->count; i++) {
        if (strcmp(undo->entries[i].uid, uid) == 0)
            return true;
    }
    return false;
}

/* Appends an entry for uid holding before (taken); false when out of
 * memory (before freed). */
static bool append(kmipd_undo *undo, const char *uid, kmipd_object *before)
{
    if (undo->count == undo->capacity) {
        size_t capacity = undo->capacity == 0 ? 8 : 2 * undo->capacity;
        undo_entry *grown =
            realloc(undo->entries, capacity * sizeof(*undo->entries));
        if (grown == NULL) {
            kmipd_object_free(before);
            return false;
        }
        undo->entries = grown;
        undo->capacity = capacity;
    }
    undo_entry *entry = &undo->entries[undo->count++];
    snprintf(entry->uid, sizeof(entry->uid), "%s", uid);
    entry->before = before;
    return true;
}

bool kmipd_undo_created(kmipd_undo *undo, const char *uid)
{
    return append(undo, uid, NULL);
}

bool kmipd_undo_before_change(kmipd_undo *undo, kmipd_store *store,
                              const char *uid, const char *owner)
{
    kmipd_object *before = NULL;
    kmip_status st;
    if (journaled(undo, uid))
        return true;
    if (kmipd_store_load(store, uid, owner, &before, &st) != KMIPD_STORE_OK)
        return false;
    return append(undo, uid, before);
}

static kmipd_store_rc undo_entry_run(const undo_entry *entry,
                                     kmipd_store *store, const char *owner,
                                     kmip_status *st)
{
    if (entry->before == NULL)
        return kmipd_store_delete(store, entry->uid, owner, st);
    kmipd_store_lock(store, entry->uid);
    kmipd_store_rc rc = kmipd_store_update(store, entry->before, st);
    kmipd_store_unlock(store, entry->uid);
    return rc;
}

bool kmipd_undo_run(kmipd_undo *undo, kmipd_store *store, const char *owner)
{
    bool ok = true;
    for (size_t i = undo->count; i-- > 0;) {
        kmip_status st;
        kmip_status_clear(&st);
        if (undo_entry_run(&undo->entries[i], store, owner, &st) ==
            KMIPD_STORE_OK)
            continue;
        kmipd_log(KMIPD_LOG_ERROR, "undoing the batch on %s: %s",
                  undo->entries[i].uid, st.message);
        ok = false;
    }
    return ok;
}

void kmipd_undo_mark(kmip_item *msg, size_t count)
{
    for (kmip_item *item = msg->v.children.first; item != NULL && count > 0;
         item = item->next) {
        if (item->tag != KMIP_TAG_BATCH_ITEM)
            continue;
        count--;
        kmip_item *status =
            (kmip_item *)kmip_item_find(item, KMIP_TAG_RESULT_STATUS);
        kmip_item *payload =
            (kmip_item *)kmip_item_find(item, KMIP_TAG_RESPONSE_PAYLOAD);
        if (status != NULL)
            status->v.enumeration = KMIP_RESULT_STATUS_OPERATION_UNDONE;
        if (payload != NULL) {
            kmip_item_remove(item, payload);
            kmip_item_free(payload);
        }
    }
}
