/* SPDX-License-Identifier: Apache-2.0 */
/* Attributes in kmipd's canonical form, the one of kmip/attrs.h: a
 * KMIP_TAG_ATTRIBUTES structure of 2.x typed attributes whatever the
 * protocol version of the request, custom attributes ("x-name") as Vendor
 * Attributes. kmip/attrs.h's getters and adders work on it. Plain data
 * work on kmip/ items: this file knows nothing of calls or the store. */
#ifndef KMIPD_ATTRIBUTES_H
#define KMIPD_ATTRIBUTES_H

#include <stdbool.h>
#include <stdint.h>

#include "kmip/ttlv.h"

/* True when tag may hold several instances (Name, Link, Object Group,
 * Vendor Attribute, ...). */
bool kmipd_attr_multi_valued(uint32_t tag);

/* Puts attr into attrs, taking ownership: it replaces the instance with
 * the same tag for a single-valued attribute, and is appended otherwise.
 * Returns false (attr freed) when out of memory. */
bool kmipd_attrs_put(kmip_item *attrs, kmip_item *attr);

/* Puts a copy of each attribute of from into attrs (kmipd_attrs_put). */
bool kmipd_attrs_merge(kmip_item *attrs, const kmip_item *from);

/* Removes every instance of tag from attrs; returns how many. */
size_t kmipd_attrs_remove(kmip_item *attrs, uint32_t tag);

/* The Attribute Value of the custom attribute name ("x-pkcs11-id") in
 * attrs, or NULL. */
const kmip_item *kmipd_attrs_custom(const kmip_item *attrs, const char *name);

/* True when a and b have the same tag, type and value (structures:
 * the same children in the same order). */
bool kmipd_item_equal(const kmip_item *a, const kmip_item *b);

#endif
