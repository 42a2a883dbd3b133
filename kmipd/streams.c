// SPDX-License-Identifier: Apache-2.0
/* The table of open streams (streams.h): a fixed array of max_total
 * slots under one lock, swept of idle streams at every look. */
#include "kmipd/streams.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

typedef struct stream_slot {
    kmipd_cipher_stream *cipher; /* NULL: the slot is free */
    uint8_t id[KMIPD_STREAM_ID_LEN];
    char *owner;
    char *uid;
    uint32_t operation;
    int64_t last_ms; /* CLOCK_MONOTONIC */
} stream_slot;

struct kmipd_streams {
    pthread_mutex_t lock;
    unsigned per_client, max_total, timeout_ms;
    stream_slot *slots; /* max_total of them */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

kmipd_streams *kmipd_streams_new(unsigned per_client, unsigned max_total,
                                 unsigned timeout_ms)
{
    kmipd_streams *streams = calloc(1, sizeof(*streams));
    if (streams == NULL)
        return NULL;
    max_total = max_total < KMIPD_STREAMS_MAX ? max_total : KMIPD_STREAMS_MAX;
    streams->slots = calloc(max_total > 0 ? max_total : 1, sizeof(stream_slot));
    if (streams->slots == NULL) {
        free(streams);
        return NULL;
    }
    pthread_mutex_init(&streams->lock, NULL);
    streams->per_client = per_client;
    streams->max_total = max_total;
    streams->timeout_ms = timeout_ms;
    return streams;
}

static void slot_clear(stream_slot *slot, bool free_cipher)
{
    if (free_cipher)
        kmipd_cipher_stream_free(slot->cipher);
    free(slot->owner);
    free(slot->uid);
    memset(slot, 0, sizeof(*slot));
}

void kmipd_streams_free(kmipd_streams *streams)
{
    if (streams == NULL)
        return;
    for (unsigned i = 0; i < streams->max_total; i++)
        slot_clear(&streams->slots[i], true);
    free(streams->slots);
    pthread_mutex_destroy(&streams->lock);
    free(streams);
}

/* Under the lock: drops the streams idle for too long. */
static void sweep(kmipd_streams *streams)
{
    int64_t now = now_ms();
    for (unsigned i = 0; i < streams->max_total; i++) {
        stream_slot *slot = &streams->slots[i];
        if (slot->cipher != NULL &&
            now - slot->last_ms >= (int64_t)streams->timeout_ms)
            slot_clear(slot, true);
    }
}

/* Under the lock, swept: a free slot for owner, or NULL (*rc says why). */
static stream_slot *free_slot(kmipd_streams *streams, const char *owner,
                              kmipd_stream_rc *rc)
{
    stream_slot *found = NULL;
    unsigned held = 0;
    for (unsigned i = 0; i < streams->max_total; i++) {
        stream_slot *slot = &streams->slots[i];
        if (slot->cipher == NULL && found == NULL)
            found = slot;
        else if (slot->cipher != NULL && strcmp(slot->owner, owner) == 0)
            held++;
    }
    *rc = found == NULL || held >= streams->per_client ? KMIPD_STREAM_FULL
                                                       : KMIPD_STREAM_OK;
    return *rc == KMIPD_STREAM_OK ? found : NULL;
}

/* Under the lock: fills slot. */
static kmipd_stream_rc slot_fill(stream_slot *slot, const kmipd_stream_key *key,
                                 const uint8_t *id, kmipd_cipher_stream *cipher)
{
    slot->owner = strdup(key->owner);
    slot->uid = strdup(key->uid);
    if (slot->owner == NULL || slot->uid == NULL) {
        slot_clear(slot, false);
        return KMIPD_STREAM_NO_MEMORY;
    }
    memcpy(slot->id, id, KMIPD_STREAM_ID_LEN);
    slot->operation = key->operation;
    slot->cipher = cipher;
    slot->last_ms = now_ms();
    return KMIPD_STREAM_OK;
}

kmipd_stream_rc kmipd_streams_open(kmipd_streams *streams,
                                   const kmipd_stream_key *key,
                                   kmipd_cipher_stream *cipher,
                                   uint8_t id[KMIPD_STREAM_ID_LEN])
{
    if (RAND_bytes(id, KMIPD_STREAM_ID_LEN) != 1)
        return KMIPD_STREAM_NO_MEMORY;
    kmipd_stream_rc rc;
    pthread_mutex_lock(&streams->lock);
    sweep(streams);
    stream_slot *slot = free_slot(streams, key->owner, &rc);
    if (slot != NULL)
        rc = slot_fill(slot, key, id, cipher);
    pthread_mutex_unlock(&streams->lock);
    return rc;
}

/* Under the lock: what the slot holding id means for key. */
static kmipd_stream_rc slot_check(const stream_slot *slot,
                                  const kmipd_stream_key *key)
{
    if (strcmp(slot->owner, key->owner) != 0)
        return KMIPD_STREAM_FOREIGN;
    if (strcmp(slot->uid, key->uid) != 0 || slot->operation != key->operation)
        return KMIPD_STREAM_MISMATCH;
    return KMIPD_STREAM_OK;
}

kmipd_stream_rc kmipd_streams_take(kmipd_streams *streams,
                                   const kmipd_stream_key *key,
                                   const uint8_t *id, size_t len,
                                   kmipd_cipher_stream **cipher)
{
    kmipd_stream_rc rc = KMIPD_STREAM_UNKNOWN;
    *cipher = NULL;
    pthread_mutex_lock(&streams->lock);
    sweep(streams);
    for (unsigned i = 0; i < streams->max_total; i++) {
        stream_slot *slot = &streams->slots[i];
        if (slot->cipher == NULL || len != KMIPD_STREAM_ID_LEN ||
            CRYPTO_memcmp(slot->id, id, len) != 0)
            continue;
        rc = slot_check(slot, key);
        if (rc == KMIPD_STREAM_OK) {
            *cipher = slot->cipher;
            slot_clear(slot, false);
        }
        break;
    }
    pthread_mutex_unlock(&streams->lock);
    return rc;
}

bool kmipd_streams_put(kmipd_streams *streams, const kmipd_stream_key *key,
                       const uint8_t id[KMIPD_STREAM_ID_LEN],
                       kmipd_cipher_stream *cipher)
{
    kmipd_stream_rc rc = KMIPD_STREAM_NO_MEMORY;
    pthread_mutex_lock(&streams->lock);
    for (unsigned i = 0; i < streams->max_total; i++) {
        if (streams->slots[i].cipher == NULL) {
            rc = slot_fill(&streams->slots[i], key, id, cipher);
            break;
        }
    }
    pthread_mutex_unlock(&streams->lock);
    if (rc != KMIPD_STREAM_OK)
        kmipd_cipher_stream_free(cipher);
    return rc == KMIPD_STREAM_OK;
}

size_t kmipd_streams_count(kmipd_streams *streams)
{
    size_t n = 0;
    pthread_mutex_lock(&streams->lock);
    sweep(streams);
    for (unsigned i = 0; i < streams->max_total; i++)
        n += streams->slots[i].cipher != NULL;
    pthread_mutex_unlock(&streams->lock);
    return n;
}
