/* SPDX-License-Identifier: Apache-2.0 */
/* Objects as the store last loaded them, so that a Sign, Encrypt or Get
 * of an object already loaded reads no database. Keyed by (uid, owner),
 * direct-mapped (a bounded number of slots; a collision evicts), thread
 * safe. A change to an object forgets it after the change is committed;
 * a load that raced with a change is not kept (a generation per slot). */
#ifndef KMIPD_OBJECT_CACHE_H
#define KMIPD_OBJECT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "kmipd/store.h"

typedef struct kmipd_object_cache kmipd_object_cache;

/* A cache of slots slots; NULL when out of memory. */
kmipd_object_cache *kmipd_object_cache_new(size_t slots);

/* Frees the cache, wiping the materials it holds. NULL is a no-op. */
void kmipd_object_cache_free(kmipd_object_cache *cache);

/* A copy of the cached object uid of owner, or NULL. */
kmipd_object *kmipd_object_cache_get(kmipd_object_cache *cache, const char *uid,
                                     const char *owner);

/* The generation of uid's slot: read it before loading uid from the
 * database and give it to kmipd_object_cache_put. */
uint64_t kmipd_object_cache_generation(kmipd_object_cache *cache,
                                       const char *uid);

/* Keeps a copy of obj, loaded from the database after generation was
 * read, unless its slot was forgotten since. */
void kmipd_object_cache_put(kmipd_object_cache *cache, const kmipd_object *obj,
                            uint64_t generation);

/* Forgets uid (any owner): call after a change to it is committed. */
void kmipd_object_cache_forget(kmipd_object_cache *cache, const char *uid);

#endif
