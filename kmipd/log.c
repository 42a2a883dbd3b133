/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include "kmipd/log.h"

static FILE *log_stream;
static kmipd_log_level log_level = KMIPD_LOG_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

bool kmipd_log_open(const char *path, kmipd_log_level level)
{
    log_level = level;
    if (path == NULL)
        return true;
    FILE *stream = fopen(path, "a");
    if (stream == NULL)
        return false;
    setvbuf(stream, NULL, _IOLBF, 0);
    log_stream = stream;
    return true;
}

void kmipd_log_close(void)
{
    if (log_stream != NULL)
        fclose(log_stream);
    log_stream = NULL;
}

void kmipd_log(kmipd_log_level level, const char *fmt, ...)
{
    if (level > log_level)
        return;
    FILE *out = log_stream != NULL ? log_stream : stderr;
    struct timeval now;
    struct tm tm;
    gettimeofday(&now, NULL);
    gmtime_r(&now.tv_sec, &tm);
    char line[1024];
    int n = snprintf(
        line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
        tm.tm_sec, (long)now.tv_usec / 1000, level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(out, "%s\n", line); /* one call: lines do not interleave */
}
