/* SPDX-License-Identifier: Apache-2.0 */
/* Two kmipd instances that share nothing but one key (the second starts
 * from a copy of the first's database, with the same master key), and
 * the module configured with both. */
#ifndef RELIABILITY_SERVER_GROUP_H
#define RELIABILITY_SERVER_GROUP_H

#include <p11-kit/pkcs11.h>

#include "kmipd_proc.h"

/* Starts first and second (named name-first and name-second), makes an
 * ECDSA P-256 key labelled label, initializes the module over both
 * servers (first first) with timeout_ms, and returns the private key's
 * handle; CK_INVALID_HANDLE when any step fails. */
CK_OBJECT_HANDLE server_group_start(kmipd_proc *first, kmipd_proc *second,
                                    const char *name, const char *label,
                                    unsigned timeout_ms);

#endif
