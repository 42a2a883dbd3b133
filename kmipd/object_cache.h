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

/* A use of obj (taken over; freed when out of memory, then NULL). */
kmipd_object_use *kmipd_object_use_new(kmipd_object *obj);

/* A cache of slots slots; NULL when out of memory. */
kmipd_object_cache *kmipd_object_cache_new(size_t slots);

/* Frees the cache, wiping the materials it holds. NULL is a no-op. */
void kmipd_object_cache_free(kmipd_object_cache *cache);

/* A use of the cached object uid of owner, or NULL (also when its dates
 * have changed its state by now since it was loaded). */
kmipd_object_use *kmipd_object_cache_use(kmipd_object_cache *cache,
                                         const char *uid, const char *owner,
                                         int64_t now);

/* The generation of uid's slot: read it before loading uid from the
 * database and give it to kmipd_object_cache_put. */
uint64_t kmipd_object_cache_generation(kmipd_object_cache *cache,
                                       const char *uid);

/* Keeps use (loaded from the database after generation was read) unless
 * its slot was forgotten since; the caller's use goes on. */
void kmipd_object_cache_put(kmipd_object_cache *cache, kmipd_object_use *use,
                            uint64_t generation);

/* Forgets uid (any owner): call after a change to it is committed. */
void kmipd_object_cache_forget(kmipd_object_cache *cache, const char *uid);

#endif
