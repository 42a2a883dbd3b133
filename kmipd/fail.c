/* SPDX-License-Identifier: Apache-2.0 */
/* How a call fails: the Result Reason and Result Message it answers with.
 * The floor of every handler helper: it depends on nothing of kmipd. */
#include <stdarg.h>
#include <stdio.h>

#include "kmip/tags.h"

#include "kmipd/dispatch.h"

bool kmipd_fail(kmipd_call *call, uint32_t reason, const char *fmt, ...)
{
    call->reason = reason;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(call->message, sizeof(call->message), fmt, ap);
    va_end(ap);
    return false;
}

bool kmipd_fail_nomem(kmipd_call *call)
{
    return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                      "out of memory");
}

bool kmipd_fail_status(kmipd_call *call, const kmip_status *st)
{
    uint32_t reason;
    switch (st->rc) {
    case KMIP_E_NOMEM:
        reason = KMIP_RESULT_REASON_GENERAL_FAILURE;
        break;
    case KMIP_E_NOT_FOUND:
        reason = KMIP_RESULT_REASON_MISSING_DATA;
        break;
    case KMIP_E_RESULT:
        reason = st->result_reason;
        break;
    default:
        reason = KMIP_RESULT_REASON_INVALID_FIELD;
        break;
    }
    return kmipd_fail(call, reason, "%s", st->message);
}
