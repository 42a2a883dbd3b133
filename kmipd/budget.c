/* SPDX-License-Identifier: Apache-2.0 */
#include <time.h>

#include "kmipd/budget.h"

/* A waiting taker looks at *stopping this often. */
#define BUDGET_TICK_MS 200

void kmipd_budget_init(kmipd_budget *budget, size_t max)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&budget->given, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&budget->lock, NULL);
    budget->used = 0;
    budget->max = max;
}

void kmipd_budget_destroy(kmipd_budget *budget)
{
    pthread_cond_destroy(&budget->given);
    pthread_mutex_destroy(&budget->lock);
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits on budget->given until at most deadline_ms, one tick at most. */
static void wait_a_tick(kmipd_budget *budget, int64_t deadline_ms)
{
    int64_t until = monotonic_ms() + BUDGET_TICK_MS;
    if (until > deadline_ms)
        until = deadline_ms;
    struct timespec ts = {.tv_sec = until / 1000,
                          .tv_nsec = (long)(until % 1000) * 1000000L};
    pthread_cond_timedwait(&budget->given, &budget->lock, &ts);
}

bool kmipd_budget_take(kmipd_budget *budget, size_t n, int64_t deadline_ms,
                       const atomic_bool *stopping)
{
    pthread_mutex_lock(&budget->lock);
    while (budget->max - budget->used < n && !atomic_load(stopping) &&
           monotonic_ms() < deadline_ms)
        wait_a_tick(budget, deadline_ms);
    bool taken = budget->max - budget->used >= n;
    if (taken)
        budget->used += n;
    pthread_mutex_unlock(&budget->lock);
    return taken;
}

void kmipd_budget_give(kmipd_budget *budget, size_t n)
{
    pthread_mutex_lock(&budget->lock);
    budget->used -= n;
    pthread_cond_broadcast(&budget->given);
    pthread_mutex_unlock(&budget->lock);
}

size_t kmipd_budget_used(kmipd_budget *budget)
{
    pthread_mutex_lock(&budget->lock);
    size_t used = budget->used;
    pthread_mutex_unlock(&budget->lock);
    return used;
}
