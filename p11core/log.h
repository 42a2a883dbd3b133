/* SPDX-License-Identifier: Apache-2.0 */
/* The module's log (log.c): P11KMIP_LOG_LEVEL / P11KMIP_LOG_FILE or the
 * configuration's "log". Never given a secret. */
#ifndef P11CORE_LOG_H
#define P11CORE_LOG_H

#include <stdbool.h>

#include "p11kmip/conf.h"

void p11_log(p11kmip_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define p11_log_error(...) p11_log(P11KMIP_LOG_ERROR, __VA_ARGS__)
#define p11_log_warn(...) p11_log(P11KMIP_LOG_WARN, __VA_ARGS__)
#define p11_log_info(...) p11_log(P11KMIP_LOG_INFO, __VA_ARGS__)
#define p11_log_debug(...) p11_log(P11KMIP_LOG_DEBUG, __VA_ARGS__)
#define p11_log_trace(...) p11_log(P11KMIP_LOG_TRACE, __VA_ARGS__)

/* Whether a line of level would be written (to skip building it). */
bool p11_log_enabled(p11kmip_log_level level);

/* Set the level and the file (NULL: standard error) at C_Initialize;
 * p11_log_close restores standard error at C_Finalize. */
void p11_log_open(p11kmip_log_level level, const char *path);
void p11_log_close(void);

#endif
