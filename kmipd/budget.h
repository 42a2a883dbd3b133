/* SPDX-License-Identifier: Apache-2.0 */
/* A count of bytes shared by threads, bounded: the bytes kmipd holds for
 * partly received requests, all connections together ("max_buffered").
 * A taker waits for others to give bytes back, up to a deadline. */
#ifndef KMIPD_BUDGET_H
#define KMIPD_BUDGET_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kmipd_budget {
    pthread_mutex_t lock;
    pthread_cond_t given; /* on CLOCK_MONOTONIC */
    size_t used, max;
} kmipd_budget;

void kmipd_budget_init(kmipd_budget *budget, size_t max);
void kmipd_budget_destroy(kmipd_budget *budget);

/* Takes n bytes (n <= max), waiting for them until deadline_ms
 * (CLOCK_MONOTONIC, in ms; one in the past does not wait). False when
 * the deadline passed or *stopping became true first. */
bool kmipd_budget_take(kmipd_budget *budget, size_t n, int64_t deadline_ms,
                       const atomic_bool *stopping);

/* Gives back n bytes taken with kmipd_budget_take. */
void kmipd_budget_give(kmipd_budget *budget, size_t n);

/* The bytes taken now. */
size_t kmipd_budget_used(kmipd_budget *budget);

#endif
