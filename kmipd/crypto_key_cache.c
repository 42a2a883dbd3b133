/* SPDX-License-Identifier: Apache-2.0 */
/* Parsed keys, cached by a SHA-256 digest of their canonical material:
 * decoding a PKCS#8 key costs more than an ECDSA signature, so a key used
 * again is looked up rather than parsed. Direct-mapped, thread safe. */
#include <string.h>

#include <pthread.h>

#include <openssl/crypto.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

#define CACHE_SLOTS 256
#define DIGEST_LEN 32

typedef struct cache_slot {
    uint8_t digest[DIGEST_LEN];
    uint32_t object_type;
    EVP_PKEY *pkey; /* NULL: empty */
} cache_slot;

static cache_slot cache[CACHE_SLOTS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static bool material_digest(const uint8_t *material, size_t len,
                            uint8_t digest[DIGEST_LEN])
{
    return EVP_Digest(material, len, digest, NULL,
                      kmipd_hash_md(KMIP_HASHING_ALGORITHM_SHA_256), NULL) == 1;
}

static cache_slot *slot_for(const uint8_t digest[DIGEST_LEN])
{
    return &cache[digest[0]];
}

/* A new reference to the cached key, or NULL. */
static EVP_PKEY *cache_get(uint32_t object_type,
                           const uint8_t digest[DIGEST_LEN])
{
    EVP_PKEY *found = NULL;
    pthread_mutex_lock(&cache_lock);
    cache_slot *slot = slot_for(digest);
    if (slot->pkey != NULL && slot->object_type == object_type &&
        CRYPTO_memcmp(slot->digest, digest, DIGEST_LEN) == 0 &&
        EVP_PKEY_up_ref(slot->pkey))
        found = slot->pkey;
    pthread_mutex_unlock(&cache_lock);
    return found;
}

static void cache_put(uint32_t object_type, const uint8_t digest[DIGEST_LEN],
                      EVP_PKEY *pkey)
{
    if (!EVP_PKEY_up_ref(pkey))
        return;
    pthread_mutex_lock(&cache_lock);
    cache_slot *slot = slot_for(digest);
    EVP_PKEY *evicted = slot->pkey;
    memcpy(slot->digest, digest, DIGEST_LEN);
    slot->object_type = object_type;
    slot->pkey = pkey;
    pthread_mutex_unlock(&cache_lock);
    EVP_PKEY_free(evicted);
}

kmip_rc kmipd_key_load(uint32_t object_type, const uint8_t *canonical,
                       size_t len, EVP_PKEY **out, kmip_status *status)
{
    uint8_t digest[DIGEST_LEN];
    bool digested = material_digest(canonical, len, digest);
    if (digested) {
        *out = cache_get(object_type, digest);
        if (*out != NULL)
            return KMIP_OK;
    }
    kmip_rc rc = kmipd_key_parse(object_type, canonical, len, out, status);
    if (rc == KMIP_OK && digested)
        cache_put(object_type, digest, *out);
    return rc;
}

void kmipd_key_forget(const uint8_t *canonical, size_t len)
{
    uint8_t digest[DIGEST_LEN];
    if (!material_digest(canonical, len, digest))
        return;
    EVP_PKEY *evicted = NULL;
    pthread_mutex_lock(&cache_lock);
    cache_slot *slot = slot_for(digest);
    if (slot->pkey != NULL &&
        CRYPTO_memcmp(slot->digest, digest, DIGEST_LEN) == 0) {
        evicted = slot->pkey;
        memset(slot, 0, sizeof(*slot));
    }
    pthread_mutex_unlock(&cache_lock);
    kmipd_ctx_cache_forget(evicted);
    EVP_PKEY_free(evicted);
}

void kmipd_key_cache_clear(void)
{
    kmipd_ctx_cache_clear();
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        EVP_PKEY_free(cache[i].pkey);
        memset(&cache[i], 0, sizeof(cache[i]));
    }
    pthread_mutex_unlock(&cache_lock);
}
