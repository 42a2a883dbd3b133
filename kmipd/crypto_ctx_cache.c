/* SPDX-License-Identifier: Apache-2.0 */
/* Prepared EVP_PKEY_CTX templates: in OpenSSL 3.0 setting a context up
 * (EVP_PKEY_CTX_new_from_pkey walks the whole name map; the init and the
 * digest fetch by name) costs 10-15 us, a copy of a prepared one 0.1-0.6
 * us. Keyed by the key and the caller's description of the set-up;
 * direct-mapped; thread safe. Each template holds a reference to its key,
 * as the key cache does. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "kmipd/crypto_internal.h"

#define CTX_SLOTS 256

typedef struct ctx_slot {
    EVP_PKEY *key; /* NULL: empty */
    uintptr_t setup[KMIPD_CTX_SETUP_WORDS];
    EVP_PKEY_CTX *ctx;
} ctx_slot;

static ctx_slot slots[CTX_SLOTS];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static ctx_slot *slot_for(const EVP_PKEY *key,
                          const uintptr_t setup[KMIPD_CTX_SETUP_WORDS])
{
    uintptr_t hash = (uintptr_t)key;
    for (size_t i = 0; i < KMIPD_CTX_SETUP_WORDS; i++)
        hash = hash * 31 + setup[i];
    return &slots[(hash ^ (hash >> 17)) % CTX_SLOTS];
}

EVP_PKEY_CTX *kmipd_ctx_cache_dup(EVP_PKEY *key,
                                  const uintptr_t setup[KMIPD_CTX_SETUP_WORDS])
{
    EVP_PKEY_CTX *copy = NULL;
    pthread_mutex_lock(&slots_lock);
    ctx_slot *slot = slot_for(key, setup);
    if (slot->key == key &&
        memcmp(slot->setup, setup, sizeof(slot->setup)) == 0)
        copy = EVP_PKEY_CTX_dup(slot->ctx);
    pthread_mutex_unlock(&slots_lock);
    return copy;
}

void kmipd_ctx_cache_put(EVP_PKEY *key,
                         const uintptr_t setup[KMIPD_CTX_SETUP_WORDS],
                         const EVP_PKEY_CTX *ctx)
{
    EVP_PKEY_CTX *kept = EVP_PKEY_CTX_dup(ctx);
    if (kept == NULL || !EVP_PKEY_up_ref(key)) {
        EVP_PKEY_CTX_free(kept);
        return;
    }
    pthread_mutex_lock(&slots_lock);
    ctx_slot *slot = slot_for(key, setup);
    ctx_slot evicted = *slot;
    slot->key = key;
    memcpy(slot->setup, setup, sizeof(slot->setup));
    slot->ctx = kept;
    pthread_mutex_unlock(&slots_lock);
    EVP_PKEY_CTX_free(evicted.ctx);
    EVP_PKEY_free(evicted.key);
}

/* Drops the slots holding key, or every slot when key is NULL. */
static void drop_slots(const EVP_PKEY *key)
{
    pthread_mutex_lock(&slots_lock);
    for (size_t i = 0; i < CTX_SLOTS; i++) {
        if (key != NULL && slots[i].key != key)
            continue;
        EVP_PKEY_CTX_free(slots[i].ctx);
        EVP_PKEY_free(slots[i].key);
        memset(&slots[i], 0, sizeof(slots[i]));
    }
    pthread_mutex_unlock(&slots_lock);
}

void kmipd_ctx_cache_forget(const EVP_PKEY *key)
{
    if (key != NULL)
        drop_slots(key);
}

void kmipd_ctx_cache_clear(void)
{
    drop_slots(NULL);
}
