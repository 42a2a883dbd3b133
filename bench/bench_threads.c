/* SPDX-License-Identifier: Apache-2.0 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_threads.h"

double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_window_init(bench_window *window, double seconds)
{
    *window = (bench_window){.seconds = seconds, .expected = INT_MAX};
    pthread_mutex_init(&window->lock, NULL);
    pthread_cond_init(&window->all_warm, NULL);
}

/* Opens the window when every started thread has arrived; under lock. */
static void open_when_all_warm(bench_window *window)
{
    if (window->arrived < window->expected || window->deadline != 0)
        return;
    window->opened = bench_now();
    window->deadline = window->opened + window->seconds;
    pthread_cond_broadcast(&window->all_warm);
}

double bench_window_open(bench_window *window)
{
    pthread_mutex_lock(&window->lock);
    window->arrived++;
    open_when_all_warm(window);
    while (window->deadline == 0)
        pthread_cond_wait(&window->all_warm, &window->lock);
    double deadline = window->deadline;
    pthread_mutex_unlock(&window->lock);
    return deadline;
}

void bench_work(bench_window *window, atomic_long *started, long limit,
                void (*attempt)(void *arg, bool counted), void *arg)
{
    if (window->seconds > 0) {
        attempt(arg, false);
        double deadline = bench_window_open(window);
        while (bench_now() < deadline)
            attempt(arg, true);
        return;
    }
    while (atomic_fetch_add(started, 1) < limit)
        attempt(arg, true);
}

/* The threads started: the window waits for these only. */
static void expect(bench_window *window, int started)
{
    pthread_mutex_lock(&window->lock);
    window->expected = started;
    if (started > 0)
        open_when_all_warm(window);
    pthread_mutex_unlock(&window->lock);
}

int bench_run_threads(int threads, void *(*worker)(void *), void *arg,
                      const bench_counts *counts, bench_window *window,
                      const char *what)
{
    pthread_t *ids = calloc((size_t)threads, sizeof(*ids));
    int started = 0;

    window->launched = bench_now();
    while (ids != NULL && started < threads &&
           pthread_create(&ids[started], NULL, worker, arg) == 0)
        started++;
    expect(window, started);
    for (int i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    free(ids);
    double from = window->seconds > 0 ? window->opened : window->launched;
    double elapsed = bench_now() - from;
    long done = atomic_load(&counts->done);
    long failed = atomic_load(&counts->failed);
    printf("%s %ld failed %ld seconds %.3f per_second %.1f", what, done, failed,
           elapsed, elapsed > 0 ? (double)done / elapsed : 0.0);
    if (window->seconds > 0)
        printf(" cold_ms %.1f", (window->opened - window->launched) * 1e3);
    printf("\n");
    pthread_mutex_destroy(&window->lock);
    pthread_cond_destroy(&window->all_warm);
    return started == threads && failed == 0 ? 0 : 1;
}
