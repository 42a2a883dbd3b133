/* SPDX-License-Identifier: Apache-2.0 */
/* What using an object changes in it (ops_use.c): its Usage Limits, and
 * Fresh once the object has been served. Objects without these
 * attributes are not written to, nor locked. */
#ifndef KMIPD_OPS_USE_H
#define KMIPD_OPS_USE_H

#include <stdbool.h>
#include <stddef.h>

#include "kmipd/dispatch.h"

/* Consumes bytes (Usage Limits Unit Byte) or one use (Unit Object) of
 * obj's Usage Limits, the count starting at Usage Limits Total; fails
 * call with Permission Denied when not that much is left. */
bool kmipd_use_consume(kmipd_call *call, const kmipd_object *obj, size_t bytes);

/* Sets Fresh to false on an object Get has served. */
bool kmipd_use_served(kmipd_call *call, const kmipd_object *obj);

#endif
