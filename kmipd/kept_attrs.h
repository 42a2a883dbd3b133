/* SPDX-License-Identifier: Apache-2.0 */
/* The attributes kmipd keeps for every new object (kept_attrs.c): Digest
 * (when there is material), Original Creation Date, Fresh, Lease Time,
 * Sensitive and Extractable (false and true unless the client set them),
 * Always Sensitive and Never Extractable (from those); and Random Number
 * Generator for the keys it generates. */
#ifndef KMIPD_KEPT_ATTRS_H
#define KMIPD_KEPT_ATTRS_H

#include <stdbool.h>
#include <stdint.h>

#include "kmipd/store.h"

/* The Lease Time kmipd grants: clients may use an object this many
 * seconds before asking again. */
#define KMIPD_LEASE_TIME 3600u

/* Sensitive and Extractable as attrs hold them; false and true when
 * absent. */
void kmipd_sensitivity(const kmip_item *attrs, bool *sensitive,
                       bool *extractable);

/* Puts Sensitive (as attrs hold it), Extractable (as attrs hold it and
 * extractable_allowed allows), Always Sensitive and Never Extractable
 * (their values now when past_known, else false: the server does not know
 * the past of a registered key). False when out of memory. */
bool kmipd_sensitivity_put(kmip_item *attrs, bool extractable_allowed,
                           bool past_known);

/* Adds them to obj (new, not stored yet) at now; false when out of
 * memory. */
bool kmipd_kept_attrs_init(kmipd_object *obj, int64_t now);

/* kmipd's random number generator (OpenSSL's CTR-DRBG, AES-256) as a
 * structure of tag (Random Number Generator, RNG Parameters); NULL when
 * out of memory. */
kmip_item *kmipd_rng_description(uint32_t tag);

/* Adds Random Number Generator to the attributes of a key kmipd
 * generates; false when out of memory. */
bool kmipd_kept_attrs_generated(kmip_item *attrs);

#endif
