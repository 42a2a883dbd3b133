/* SPDX-License-Identifier: Apache-2.0 */
/* Key lifecycle states and the dates that drive them (KMIP 1.4 section 3.
 * and 2.1 section 3: Pre-Active, Active, Deactivated, Compromised,
 * Destroyed, Destroyed Compromised). */
#ifndef KMIPD_LIFECYCLE_H
#define KMIPD_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include "kmipd/store.h"

/* Moves obj along the transitions its dates have reached by now: an
 * Activation Date not in the future activates a Pre-Active object, a
 * Deactivation Date not in the future deactivates a Pre-Active or Active
 * one. */
void kmipd_lifecycle_refresh(kmipd_object *obj, int64_t now);

/* The state kmipd_lifecycle_refresh would give obj. */
uint32_t kmipd_lifecycle_state_at(const kmipd_object *obj, int64_t now);

/* True for Destroyed and Destroyed Compromised: the material is gone. */
bool kmipd_lifecycle_destroyed(uint32_t state);

#endif
