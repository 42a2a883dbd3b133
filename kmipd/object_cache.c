/* SPDX-License-Identifier: Apache-2.0 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kmipd/lifecycle.h"
#include "kmipd/object_cache.h"

/* Larger materials (big opaque objects) are not worth keeping. */
#define CACHE_MATERIAL_MAX 16384

/* An object shared by the cache and the calls using it, read-only. */
struct kmipd_object_use {
    kmipd_object *obj;
    atomic_uint refs;
};

typedef struct cache_slot {
    kmipd_object_use *use; /* NULL: empty */
    uint64_t generation;   /* bumped by every forget of a uid of this slot */
} cache_slot;

struct kmipd_object_cache {
    pthread_mutex_t lock;
    size_t n;
    cache_slot slots[];
};

kmipd_object_cache *kmipd_object_cache_new(size_t slots)
{
    kmipd_object_cache *cache =
        calloc(1, sizeof(*cache) + slots * sizeof(cache_slot));
    if (cache == NULL)
        return NULL;
    pthread_mutex_init(&cache->lock, NULL);
    cache->n = slots;
    return cache;
}

void kmipd_object_use_end(kmipd_object_use *use)
{
    if (use != NULL && atomic_fetch_sub(&use->refs, 1) == 1) {
        kmipd_object_free(use->obj);
        free(use);
    }
}

const kmipd_object *kmipd_object_use_get(const kmipd_object_use *use)
{
    return use->obj;
}

kmipd_object_use *kmipd_object_use_new(kmipd_object *obj)
{
    kmipd_object_use *use = malloc(sizeof(*use));
    if (use == NULL) {
        kmipd_object_free(obj);
        return NULL;
    }
    use->obj = obj;
    atomic_init(&use->refs, 1);
    return use;
}

void kmipd_object_cache_free(kmipd_object_cache *cache)
{
    if (cache == NULL)
        return;
    for (size_t i = 0; i < cache->n; i++)
        kmipd_object_use_end(cache->slots[i].use);
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

static cache_slot *slot_for(kmipd_object_cache *cache, const char *uid)
{
    uint32_t hash = 2166136261u; /* FNV-1a */
    for (const char *c = uid; *c != '\0'; c++)
        hash = (hash ^ (uint8_t)*c) * 16777619u;
    return &cache->slots[hash % cache->n];
}

/* The use of uid of owner in its slot (the cache lock held), or NULL. An
 * object whose dates have moved its state since it was loaded is no
 * longer current: it is loaded again. */
static kmipd_object_use *current(cache_slot *slot, const char *uid,
                                 const char *owner, int64_t now)
{
    kmipd_object_use *use = slot->use;
    if (use == NULL || strcmp(use->obj->uid, uid) != 0 ||
        strcmp(use->obj->owner, owner) != 0 ||
        kmipd_lifecycle_state_at(use->obj, now) != use->obj->state)
        return NULL;
    return use;
}

kmipd_object_use *kmipd_object_cache_use(kmipd_object_cache *cache,
                                         const char *uid, const char *owner,
                                         int64_t now)
{
    pthread_mutex_lock(&cache->lock);
    kmipd_object_use *use = current(slot_for(cache, uid), uid, owner, now);
    if (use != NULL)
        atomic_fetch_add(&use->refs, 1);
    pthread_mutex_unlock(&cache->lock);
    return use;
}

uint64_t kmipd_object_cache_generation(kmipd_object_cache *cache,
                                       const char *uid)
{
    pthread_mutex_lock(&cache->lock);
    uint64_t generation = slot_for(cache, uid)->generation;
    pthread_mutex_unlock(&cache->lock);
    return generation;
}

void kmipd_object_cache_put(kmipd_object_cache *cache, kmipd_object_use *use,
                            uint64_t generation)
{
    if (use->obj->material_len > CACHE_MATERIAL_MAX)
        return;
    pthread_mutex_lock(&cache->lock);
    cache_slot *slot = slot_for(cache, use->obj->uid);
    kmipd_object_use *evicted = NULL;
    if (slot->generation == generation) {
        evicted = slot->use;
        atomic_fetch_add(&use->refs, 1);
        slot->use = use;
    }
    pthread_mutex_unlock(&cache->lock);
    kmipd_object_use_end(evicted);
}

void kmipd_object_cache_forget(kmipd_object_cache *cache, const char *uid)
{
    pthread_mutex_lock(&cache->lock);
    cache_slot *slot = slot_for(cache, uid);
    kmipd_object_use *evicted = slot->use;
    slot->use = NULL;
    slot->generation++;
    pthread_mutex_unlock(&cache->lock);
    kmipd_object_use_end(evicted);
}
