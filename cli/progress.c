/* SPDX-License-Identifier: Apache-2.0 */
/* Progress on standard error for anything that takes more than a second:
 * a line when the step outlasts the delay, and one with the time taken
 * when it ends (whole lines, so that log lines printed meanwhile stay
 * readable). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

#define PROGRESS_DEFAULT_DELAY_MS 1000

struct cli_progress {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    struct timespec started;
    long delay_ms;
    int done;
    int shown;
    char what[160];
};

static long delay_ms(void)
{
    const char *env = getenv("P11KMIP_PROGRESS_MS");
    char *end;
    long value;

    if (env == NULL || *env == '\0')
        return PROGRESS_DEFAULT_DELAY_MS;
    value = strtol(env, &end, 10);
    return *end == '\0' && value >= 0 ? value : PROGRESS_DEFAULT_DELAY_MS;
}

static struct timespec after_ms(struct timespec from, long ms)
{
    from.tv_sec += ms / 1000;
    from.tv_nsec += (ms % 1000) * 1000000L;
    if (from.tv_nsec >= 1000000000L) {
        from.tv_sec++;
        from.tv_nsec -= 1000000000L;
    }
    return from;
}

static void *progress_thread(void *arg)
{
    cli_progress *progress = arg;
    struct timespec deadline = after_ms(progress->started, progress->delay_ms);

    pthread_mutex_lock(&progress->lock);
    while (!progress->done && !progress->shown) {
        if (pthread_cond_timedwait(&progress->done_cond, &progress->lock,
                                   &deadline) == 0 ||
            progress->done)
            continue;
        fprintf(stderr, "p11kmip: %s ...\n", progress->what);
        progress->shown = 1;
    }
    pthread_mutex_unlock(&progress->lock);
    return NULL;
}

cli_progress *cli_progress_start(const char *fmt, ...)
{
    cli_progress *progress = calloc(1, sizeof(*progress));
    pthread_condattr_t attr;
    va_list ap;

    if (progress == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(progress->what, sizeof(progress->what), fmt, ap);
    va_end(ap);
    progress->delay_ms = delay_ms();
    pthread_mutex_init(&progress->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&progress->done_cond, &attr);
    pthread_condattr_destroy(&attr);
    clock_gettime(CLOCK_MONOTONIC, &progress->started);
    if (pthread_create(&progress->thread, NULL, progress_thread, progress) !=
        0) {
        pthread_cond_destroy(&progress->done_cond);
        pthread_mutex_destroy(&progress->lock);
        free(progress);
        return NULL;
    }
    return progress;
}

void cli_progress_end(cli_progress *progress, int ok)
{
    struct timespec now;

    if (progress == NULL)
        return;
    pthread_mutex_lock(&progress->lock);
    progress->done = 1;
    pthread_cond_signal(&progress->done_cond);
    pthread_mutex_unlock(&progress->lock);
    pthread_join(progress->thread, NULL);
    if (progress->shown) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        fprintf(stderr, "p11kmip: %s: %s (%.1f s)\n", progress->what,
                ok ? "done" : "failed",
                (double)(now.tv_sec - progress->started.tv_sec) +
                    (double)(now.tv_nsec - progress->started.tv_nsec) / 1e9);
    }
    pthread_cond_destroy(&progress->done_cond);
    pthread_mutex_destroy(&progress->lock);
    free(progress);
}
