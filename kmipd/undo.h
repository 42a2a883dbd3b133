/* SPDX-License-Identifier: Apache-2.0 */
/* Batch Error Continuation Option Undo (undo.c): a journal of what the
 * items of one batch changed in the store (the objects they created, the
 * stored state of those they changed, before the first change), played
 * back in reverse when an item fails. */
#ifndef KMIPD_UNDO_H
#define KMIPD_UNDO_H

#include <stdbool.h>
#include <stddef.h>

#include "kmip/ttlv.h"

#include "kmipd/store.h"

typedef struct kmipd_undo kmipd_undo;

/* A new, empty journal; NULL when out of memory. */
kmipd_undo *kmipd_undo_new(void);
void kmipd_undo_free(kmipd_undo *undo);

/* Notes that uid was created: undoing deletes it. False when out of
 * memory. */
bool kmipd_undo_created(kmipd_undo *undo, const char *uid);

/* Notes the stored state of uid (owned by owner) before a change, unless
 * the journal has it already: undoing writes it back. False when it
 * cannot be read. */
bool kmipd_undo_before_change(kmipd_undo *undo, kmipd_store *store,
                              const char *uid, const char *owner);

/* Plays the journal back, newest first; false (logged) when the store
 * failed on one entry, the others still undone. */
bool kmipd_undo_run(kmipd_undo *undo, kmipd_store *store, const char *owner);

/* Marks the first count Batch Items of the response message msg as
 * Operation Undone, without their Response Payload. */
void kmipd_undo_mark(kmip_item *msg, size_t count);

#endif
