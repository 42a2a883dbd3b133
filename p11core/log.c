/* SPDX-License-Identifier: Apache-2.0 */
#include "core.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Written by C_Initialize and C_Finalize only; read by every p11_log. */
static p11kmip_log_level log_level = P11KMIP_LOG_WARN;
static FILE *log_file; /* NULL: standard error */

void p11_log_open(p11kmip_log_level level, const char *path)
{
    p11_log_close();
    log_level = level;
    if (path == NULL)
        return;
    log_file = fopen(path, "ae");
    if (log_file == NULL)
        p11_log_error("cannot open log file %s: %s", path, strerror(errno));
}

void p11_log_close(void)
{
    if (log_file != NULL)
        fclose(log_file);
    log_file = NULL;
    log_level = P11KMIP_LOG_WARN;
}

bool p11_log_enabled(p11kmip_log_level level)
{
    return level <= log_level;
}

void p11_log(p11kmip_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (!p11_log_enabled(level))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    /* One write per line, so lines of threads do not interleave. */
    fprintf(log_file != NULL ? log_file : stderr, "p11kmip[%ld] %s: %s\n",
            (long)getpid(), p11kmip_log_level_name(level), line);
    if (log_file != NULL)
        fflush(log_file);
}
