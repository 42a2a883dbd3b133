/* SPDX-License-Identifier: Apache-2.0 */
/* Test-only fault injection, driven by the "faults" configuration; every
 * function is a no-op when its fault is not configured. */
#ifndef KMIPD_FAULTS_H
#define KMIPD_FAULTS_H

#include <stdbool.h>

#include "kmipd/config.h"
#include "kmipd/dispatch.h"

/* True, with call failed, when operation call->operation is to be answered
 * with the configured error instead of being served. */
bool kmipd_fault_fails(const kmipd_faults *faults, kmipd_call *call);

/* Sleeps for the configured response delay. */
void kmipd_fault_delay(const kmipd_faults *faults);

/* True when a connection that has answered requests requests must now
 * close. */
bool kmipd_fault_closes(const kmipd_faults *faults, unsigned requests);

#endif
