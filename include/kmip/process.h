/* SPDX-License-Identifier: Apache-2.0 */
/* This process's id, for fork detection on every call without a system
 * call each time (kmip/process.c). */
#ifndef KMIP_PROCESS_H
#define KMIP_PROCESS_H

#include <sys/types.h>

/* getpid(), answered from memory after the first call in a process. */
pid_t kmip_process_id(void);

#endif
