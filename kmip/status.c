/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kmip/status.h"

kmip_rc kmip_fail(kmip_status *status, kmip_rc rc, const char *fmt, ...)
{
    if (status == NULL)
        return rc;
    status->rc = rc;
    va_list args;
    va_start(args, fmt);
    vsnprintf(status->message, sizeof(status->message), fmt, args);
    va_end(args);
    return rc;
}

void kmip_status_clear(kmip_status *status)
{
    if (status == NULL)
        return;
    memset(status, 0, sizeof(*status));
    status->rc = KMIP_OK;
}

const char *kmip_rc_name(kmip_rc rc)
{
    static const char *const names[] = {
        [KMIP_OK] = "ok",
        [KMIP_E_INVALID_ARG] = "invalid argument",
        [KMIP_E_NOMEM] = "out of memory",
        [KMIP_E_DECODE] = "decode error",
        [KMIP_E_ENCODE] = "encode error",
        [KMIP_E_TOO_BIG] = "message too big",
        [KMIP_E_NOT_FOUND] = "not found",
        [KMIP_E_TLS] = "TLS error",
        [KMIP_E_TRANSPORT] = "transport error",
        [KMIP_E_TIMEOUT] = "timeout",
        [KMIP_E_RESULT] = "operation failed",
        [KMIP_E_CONFIG] = "configuration error",
    };
    if ((unsigned)rc >= sizeof(names) / sizeof(names[0]) || names[rc] == NULL)
        return "unknown error";
    return names[rc];
}
