/* SPDX-License-Identifier: Apache-2.0 */
/* A direct-mapped table: the uid's hash picks the slot, a newer entry
 * replaces an older one. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kmipd/store.h"
#include "kmipd/unwrap_cache.h"

typedef struct cache_entry {
    char uid[KMIPD_UID_MAX];
    uint8_t *wrapped;
    size_t wrapped_len;
    uint8_t *plain;
    size_t plain_len;
} cache_entry;

struct kmipd_unwrap_cache {
    pthread_mutex_t lock;
    size_t slots;
    cache_entry entries[];
};

kmipd_unwrap_cache *kmipd_unwrap_cache_new(size_t slots)
{
    kmipd_unwrap_cache *cache =
        calloc(1, sizeof(*cache) + slots * sizeof(cache_entry));
    if (cache == NULL)
        return NULL;
    pthread_mutex_init(&cache->lock, NULL);
    cache->slots = slots;
    return cache;
}

static void entry_clear(cache_entry *entry)
{
    if (entry->plain != NULL)
        OPENSSL_cleanse(entry->plain, entry->plain_len);
    free(entry->plain);
    free(entry->wrapped);
    memset(entry, 0, sizeof(*entry));
}

void kmipd_unwrap_cache_free(kmipd_unwrap_cache *cache)
{
    if (cache == NULL)
        return;
    for (size_t i = 0; i < cache->slots; i++)
        entry_clear(&cache->entries[i]);
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

/* FNV-1a of uid. */
static cache_entry *slot_of(kmipd_unwrap_cache *cache, const char *uid)
{
    uint64_t hash = 1469598103934665603ull;
    for (const char *c = uid; *c != '\0'; c++)
        hash = (hash ^ (uint8_t)*c) * 1099511628211ull;
    return &cache->entries[hash % cache->slots];
}

bool kmipd_unwrap_cache_get(kmipd_unwrap_cache *cache, const char *uid,
                            const uint8_t *wrapped, size_t wrapped_len,
                            uint8_t **out, size_t *out_len)
{
    bool hit = false;
    pthread_mutex_lock(&cache->lock);
    cache_entry *entry = slot_of(cache, uid);
    if (entry->plain != NULL && strcmp(entry->uid, uid) == 0 &&
        entry->wrapped_len == wrapped_len &&
        memcmp(entry->wrapped, wrapped, wrapped_len) == 0 &&
        (*out = malloc(entry->plain_len)) != NULL) {
        memcpy(*out, entry->plain, entry->plain_len);
        *out_len = entry->plain_len;
        hit = true;
    }
    pthread_mutex_unlock(&cache->lock);
    return hit;
}

void kmipd_unwrap_cache_put(kmipd_unwrap_cache *cache, const char *uid,
                            const uint8_t *wrapped, size_t wrapped_len,
                            const uint8_t *plain, size_t plain_len)
{
    if (strlen(uid) >= KMIPD_UID_MAX || plain_len == 0)
        return;
    uint8_t *wrapped_copy = malloc(wrapped_len);
    uint8_t *plain_copy = malloc(plain_len);
    if (wrapped_copy == NULL || plain_copy == NULL) {
        free(wrapped_copy);
        free(plain_copy);
        return;
    }
    memcpy(wrapped_copy, wrapped, wrapped_len);
    memcpy(plain_copy, plain, plain_len);
    pthread_mutex_lock(&cache->lock);
    cache_entry *entry = slot_of(cache, uid);
    entry_clear(entry);
    strcpy(entry->uid, uid);
    entry->wrapped = wrapped_copy;
    entry->wrapped_len = wrapped_len;
    entry->plain = plain_copy;
    entry->plain_len = plain_len;
    pthread_mutex_unlock(&cache->lock);
}
