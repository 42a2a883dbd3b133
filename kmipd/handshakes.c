/* SPDX-License-Identifier: Apache-2.0 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kmipd/handshakes.h"
#include "kmipd/log.h"

typedef struct handshake {
    uint64_t ticket; /* 0: the slot is free */
    int fd;
    bool spoke; /* the client has sent its first byte */
    char peer[48];
} handshake;

struct kmipd_handshakes {
    pthread_mutex_t lock;
    unsigned max, per_peer;
    uint64_t last_ticket; /* tickets grow: the smallest is the oldest */
    handshake slots[];
};

kmipd_handshakes *kmipd_handshakes_new(unsigned max, unsigned per_peer)
{
    kmipd_handshakes *handshakes =
        calloc(1, sizeof(*handshakes) + max * sizeof(handshake));
    if (handshakes == NULL)
        return NULL;
    pthread_mutex_init(&handshakes->lock, NULL);
    handshakes->max = max;
    handshakes->per_peer = per_peer;
    return handshakes;
}

void kmipd_handshakes_free(kmipd_handshakes *handshakes)
{
    if (handshakes == NULL)
        return;
    pthread_mutex_destroy(&handshakes->lock);
    free(handshakes);
}

/* Whether slot is a better handshake to cut than than: a client that has
 * said nothing before one that has, then the older. */
static bool better_victim(const handshake *slot, const handshake *than)
{
    if (slot->ticket == 0)
        return false;
    if (than == NULL)
        return true;
    if (slot->spoke != than->spoke)
        return !slot->spoke;
    return slot->ticket < than->ticket;
}

/* The slot a new handshake from peer takes: a free one, or the one whose
 * handshake it cuts (*cut set). */
static handshake *take_slot(kmipd_handshakes *handshakes, const char *peer,
                            bool *cut)
{
    handshake *free_slot = NULL, *victim_of_all = NULL, *victim_of_peer = NULL;
    unsigned of_peer = 0;
    for (unsigned i = 0; i < handshakes->max; i++) {
        handshake *slot = &handshakes->slots[i];
        if (slot->ticket == 0 && free_slot == NULL)
            free_slot = slot;
        if (better_victim(slot, victim_of_all))
            victim_of_all = slot;
        if (slot->ticket != 0 && strcmp(slot->peer, peer) == 0) {
            of_peer++;
            if (better_victim(slot, victim_of_peer))
                victim_of_peer = slot;
        }
    }
    handshake *victim = of_peer >= handshakes->per_peer ? victim_of_peer
                        : free_slot == NULL             ? victim_of_all
                                                        : NULL;
    *cut = victim != NULL;
    if (victim != NULL)
        shutdown(victim->fd, SHUT_RDWR);
    return victim != NULL ? victim : free_slot;
}

uint64_t kmipd_handshakes_enter(kmipd_handshakes *handshakes, int fd,
                                const char *peer)
{
    bool cut;
    pthread_mutex_lock(&handshakes->lock);
    handshake *slot = take_slot(handshakes, peer, &cut);
    if (slot == NULL) { /* max is 0: nothing to register */
        pthread_mutex_unlock(&handshakes->lock);
        return 0;
    }
    char victim[sizeof(slot->peer)];
    snprintf(victim, sizeof(victim), "%s", slot->peer);
    slot->ticket = ++handshakes->last_ticket;
    slot->fd = fd;
    slot->spoke = false;
    snprintf(slot->peer, sizeof(slot->peer), "%s", peer);
    uint64_t ticket = slot->ticket;
    pthread_mutex_unlock(&handshakes->lock);
    if (cut)
        kmipd_log(KMIPD_LOG_INFO,
                  "%s: too many TLS handshakes at once, one from %s is cut",
                  peer, victim);
    return ticket;
}

void kmipd_handshakes_spoke(kmipd_handshakes *handshakes, uint64_t ticket)
{
    pthread_mutex_lock(&handshakes->lock);
    for (unsigned i = 0; i < handshakes->max; i++) {
        if (handshakes->slots[i].ticket == ticket)
            handshakes->slots[i].spoke = true;
    }
    pthread_mutex_unlock(&handshakes->lock);
}

void kmipd_handshakes_leave(kmipd_handshakes *handshakes, uint64_t ticket)
{
    pthread_mutex_lock(&handshakes->lock);
    for (unsigned i = 0; i < handshakes->max; i++) {
        if (handshakes->slots[i].ticket == ticket)
            handshakes->slots[i].ticket = 0;
    }
    pthread_mutex_unlock(&handshakes->lock);
}
