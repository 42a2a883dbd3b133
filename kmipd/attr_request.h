/* SPDX-License-Identifier: Apache-2.0 */
/* The rules for attributes a client sends (kmipd/attr_request.c). */
#ifndef KMIPD_ATTR_REQUEST_H
#define KMIPD_ATTR_REQUEST_H

#include <stdbool.h>

#include "kmip/ttlv.h"

#include "kmipd/dispatch.h"

/* Converts what a client sent into a new canonical structure: container
 * is a 1.x Template-Attribute (or Common / Private / Public
 * Template-Attribute) or a 2.x Attributes (or Common / Private / Public
 * Attributes) structure; NULL gives an empty structure. An attribute only
 * the server sets (Unique Identifier, State, Initial Date, ...) or one of
 * the wrong type fails the call. Returns NULL on failure (call failed);
 * the caller frees the result with kmip_item_free. */
kmip_item *kmipd_attrs_from_request(kmipd_call *call,
                                    const kmip_item *container);

/* Fails call unless a client may set attr (not a server-kept attribute
 * such as Unique Identifier, State or Initial Date). */
bool kmipd_attr_check_settable(kmipd_call *call, const kmip_item *attr);

#endif
