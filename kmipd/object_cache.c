/* SPDX-License-Identifier: Apache-2.0 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kmipd/object_cache.h"

/* Larger materials (big opaque objects) are not worth keeping. */
#define CACHE_MATERIAL_MAX 16384

typedef struct cache_slot {
    kmipd_object *obj;   /* NULL: empty */
    uint64_t generation; /* bumped by every forget of a uid of this slot */
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

void kmipd_object_cache_free(kmipd_object_cache *cache)
{
    if (cache == NULL)
        return;
    for (size_t i = 0; i < cache->n; i++)
        kmipd_object_free(cache->slots[i].obj);
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

kmipd_object *kmipd_object_cache_get(kmipd_object_cache *cache, const char *uid,
                                     const char *owner)
{
    kmipd_object *copy = NULL;
    pthread_mutex_lock(&cache->lock);
    const kmipd_object *obj = slot_for(cache, uid)->obj;
    if (obj != NULL && strcmp(obj->uid, uid) == 0 &&
        strcmp(obj->owner, owner) == 0)
        copy = kmipd_object_dup(obj);
    pthread_mutex_unlock(&cache->lock);
    return copy;
}

uint64_t kmipd_object_cache_generation(kmipd_object_cache *cache,
                                       const char *uid)
{
    pthread_mutex_lock(&cache->lock);
    uint64_t generation = slot_for(cache, uid)->generation;
    pthread_mutex_unlock(&cache->lock);
    return generation;
}

void kmipd_object_cache_put(kmipd_object_cache *cache, const kmipd_object *obj,
                            uint64_t generation)
{
    if (obj->material_len > CACHE_MATERIAL_MAX)
        return;
    kmipd_object *copy = kmipd_object_dup(obj);
    if (copy == NULL)
        return;
    pthread_mutex_lock(&cache->lock);
    cache_slot *slot = slot_for(cache, obj->uid);
    kmipd_object *evicted = copy;
    if (slot->generation == generation) {
        evicted = slot->obj;
        slot->obj = copy;
    }
    pthread_mutex_unlock(&cache->lock);
    kmipd_object_free(evicted);
}

void kmipd_object_cache_forget(kmipd_object_cache *cache, const char *uid)
{
    pthread_mutex_lock(&cache->lock);
    cache_slot *slot = slot_for(cache, uid);
    kmipd_object *evicted = slot->obj;
    slot->obj = NULL;
    slot->generation++;
    pthread_mutex_unlock(&cache->lock);
    kmipd_object_free(evicted);
}
