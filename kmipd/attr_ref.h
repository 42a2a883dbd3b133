/* SPDX-License-Identifier: Apache-2.0 */
/* Naming one attribute of a canonical set, and its instances: shared by
 * the attribute operations. The 1.x Attribute Index counts the instances
 * of one attribute from 0. */
#ifndef KMIPD_ATTR_REF_H
#define KMIPD_ATTR_REF_H

#include <stdbool.h>
#include <stdint.h>

#include "kmip/ttlv.h"

#include "kmipd/dispatch.h"

/* Which attribute a request names: a tag, and for Vendor Attributes the
 * 1.x name ("x-pkcs11-id"). */
typedef struct kmipd_attr_id {
    uint32_t tag;
    char name[256];
} kmipd_attr_id;

/* The id of the canonical attribute attr; false when it cannot be named. */
bool kmipd_attr_id_of(const kmip_item *attr, kmipd_attr_id *id);

/* The id of a 1.x Attribute Name; false when the name is unknown. */
bool kmipd_attr_id_of_name(const char *name, kmipd_attr_id *id);

/* The attribute a reference names: a 1.x Attribute Name, or a 2.x
 * Attribute Reference (a tag, or Vendor Identification and Attribute
 * Name). False for an unknown name (*known false) or a malformed
 * reference (call failed). */
bool kmipd_attr_id_of_reference(kmipd_call *call, const kmip_item *ref,
                                kmipd_attr_id *id, bool *known);

/* True when attr is an instance of the attribute id names. */
bool kmipd_attr_id_matches(const kmipd_attr_id *id, const kmip_item *attr);

/* The attribute's name for messages. */
const char *kmipd_attr_id_label(const kmipd_attr_id *id);

/* The index-th instance in attrs of attribute id, or NULL. */
kmip_item *kmipd_attr_find_instance(kmip_item *attrs, const kmipd_attr_id *id,
                                    int32_t index);

/* The position of instance among the instances of its attribute. */
int32_t kmipd_attr_instance_index(const kmip_item *attrs,
                                  const kmip_item *instance);

/* A new 1.x Attribute for attr, with its Attribute Index when not 0; NULL
 * when out of memory. */
kmip_item *kmipd_attr_v1(const kmip_item *attr, int32_t index);

#endif
