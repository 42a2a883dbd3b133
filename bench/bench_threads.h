/* SPDX-License-Identifier: Apache-2.0 */
/* What the benchmark programs share: a monotonic clock and a run of
 * worker threads that counts what they did and prints one result line. */
#ifndef P11KMIP_BENCH_THREADS_H
#define P11KMIP_BENCH_THREADS_H

#include <stdatomic.h>

/* Monotonic seconds. */
double bench_now(void);

/* The counters the workers update. */
typedef struct bench_counts {
    atomic_long done;
    atomic_long failed;
} bench_counts;

/* Runs threads copies of worker(arg), waits for them, and prints
 * "WHAT N failed N seconds S per_second R" measured from start. Returns 0
 * when every thread started and nothing failed, 1 otherwise. */
int bench_run_threads(int threads, void *(*worker)(void *), void *arg,
                      const bench_counts *counts, double start,
                      const char *what);

#endif
