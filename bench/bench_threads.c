/* SPDX-License-Identifier: Apache-2.0 */
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

int bench_run_threads(int threads, void *(*worker)(void *), void *arg,
                      const bench_counts *counts, double start,
                      const char *what)
{
    pthread_t *ids = calloc((size_t)threads, sizeof(*ids));
    int started = 0;
    double elapsed;
    long done, failed;

    while (ids != NULL && started < threads &&
           pthread_create(&ids[started], NULL, worker, arg) == 0)
        started++;
    for (int i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    free(ids);
    elapsed = bench_now() - start;
    done = atomic_load(&counts->done);
    failed = atomic_load(&counts->failed);
    printf("%s %ld failed %ld seconds %.3f per_second %.1f\n", what, done,
           failed, elapsed, elapsed > 0 ? (double)done / elapsed : 0.0);
    return started == threads && failed == 0 ? 0 : 1;
}
