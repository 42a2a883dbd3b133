/* SPDX-License-Identifier: Apache-2.0 */
/* What the benchmark programs share: a monotonic clock and a run of
 * worker threads that counts what they did and prints one result line. */
#ifndef P11KMIP_BENCH_THREADS_H
#define P11KMIP_BENCH_THREADS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

/* Monotonic seconds. */
double bench_now(void);

/* The counters the workers update. */
typedef struct bench_counts {
    atomic_long done;
    atomic_long failed;
} bench_counts;

/* A timed run measures a running system: its window opens once every
 * thread has done one operation (its connection's handshake and first
 * request), and only what is done in the window counts. How long the
 * threads took to get there is reported apart, as cold_ms. */
typedef struct bench_window {
    double seconds; /* the window's length; 0: no window (a counted run) */
    double launched, opened, deadline;
    int expected, arrived; /* threads */
    pthread_mutex_t lock;
    pthread_cond_t all_warm;
} bench_window;

/* A window of seconds (0: none). */
void bench_window_init(bench_window *window, double seconds);

/* Called by each worker after its first operation, which does not count:
 * waits for the other threads and returns the window's deadline. */
double bench_window_open(bench_window *window);

/* A worker's loop: with a window, one attempt(arg, false) before it opens,
 * then attempt(arg, true) until its deadline; without, attempt(arg, true)
 * until limit attempts have started in all (counted in *started). */
void bench_work(bench_window *window, atomic_long *started, long limit,
                void (*attempt)(void *arg, bool counted), void *arg);

/* Runs threads copies of worker(arg), waits for them, and prints
 * "WHAT N failed N seconds S per_second R", measured from the start of
 * the threads, or over the window followed by "cold_ms C". Returns 0 when
 * every thread started and nothing failed, 1 otherwise. */
int bench_run_threads(int threads, void *(*worker)(void *), void *arg,
                      const bench_counts *counts, bench_window *window,
                      const char *what);

#endif
