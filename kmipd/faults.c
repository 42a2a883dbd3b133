/* SPDX-License-Identifier: Apache-2.0 */
#include <time.h>

#include "kmipd/faults.h"
#include "kmipd/log.h"

bool kmipd_fault_fails(const kmipd_faults *faults, kmipd_call *call)
{
    if (faults->fail_operation == 0 ||
        faults->fail_operation != call->operation)
        return false;
    kmipd_log(KMIPD_LOG_INFO, "fault: failing operation %u with reason %u",
              call->operation, faults->fail_reason);
    kmipd_fail(call, faults->fail_reason, "injected fault");
    return true;
}

void kmipd_fault_delay(const kmipd_faults *faults)
{
    if (faults->delay_ms == 0)
        return;
    struct timespec delay = {
        .tv_sec = faults->delay_ms / 1000,
        .tv_nsec = (long)(faults->delay_ms % 1000) * 1000000L,
    };
    while (nanosleep(&delay, &delay) != 0)
        ;
}

bool kmipd_fault_closes(const kmipd_faults *faults, unsigned requests)
{
    return faults->close_after != 0 && requests >= faults->close_after;
}
