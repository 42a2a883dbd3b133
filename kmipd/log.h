/* SPDX-License-Identifier: Apache-2.0 */
/* One log for the whole server: a line per event, never a secret. */
#ifndef KMIPD_LOG_H
#define KMIPD_LOG_H

#include "kmipd/config.h"

/* Sends the log to path (append), or to stderr when path is NULL, keeping
 * lines at level or more severe. False when path cannot be opened. */
bool kmipd_log_open(const char *path, kmipd_log_level level);
void kmipd_log_close(void);

void kmipd_log(kmipd_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
