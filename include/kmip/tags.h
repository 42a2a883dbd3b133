/* SPDX-License-Identifier: Apache-2.0 */
/* KMIP tag and enumeration tables (KMIP 1.0-2.1), with the spec's names.
 * The numeric constants live in the generated kmip/tag_values.h:
 *   KMIP_TAG_<NAME>           every tag, e.g. KMIP_TAG_UNIQUE_IDENTIFIER
 *   KMIP_<ENUMERATION>_<NAME> every enumeration value, e.g.
 *       KMIP_OPERATION_CREATE, KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
 *       KMIP_RESULT_REASON_ITEM_NOT_FOUND, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA
 *   KMIP_<MASK>_<NAME>        bit masks, e.g.
 * KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN */
#ifndef KMIP_TAGS_H
#define KMIP_TAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "kmip/tag_values.h"
#include "kmip/ttlv.h"

/* The tag's name in the KMIP JSON/XML encodings ("UniqueIdentifier"), or
 * NULL for a tag the table does not know. */
const char *kmip_tag_name(uint32_t tag);

/* The tag named name in the KMIP JSON/XML form; false when unknown. */
bool kmip_tag_from_name(const char *name, uint32_t *tag);

/* For an attribute's tag, its KMIP 1.x Attribute Name ("Cryptographic
 * Algorithm"); NULL when tag is not an attribute. */
const char *kmip_attribute_name(uint32_t tag);

/* The tag of the attribute named name in KMIP 1.x form; false when the
 * name is not a standard attribute (custom "x-" names included). */
bool kmip_attribute_tag(const char *name, uint32_t *tag);

/* The tag's TTLV type when the tag has a single defined type; false for
 * unknown tags and for those whose type varies (Attribute Value). */
bool kmip_tag_type(uint32_t tag, kmip_type *type);

/* For an Enumeration-typed tag, the spec name of value ("SymmetricKey"),
 * or NULL when the tag has no table or the value is not in it. */
const char *kmip_enum_name(uint32_t tag, uint32_t value);

/* The reverse of kmip_enum_name; false when unknown. */
bool kmip_enum_from_name(uint32_t tag, const char *name, uint32_t *value);

/* The spec name of a KMIP item type ("TextString"), or NULL. */
const char *kmip_type_name(kmip_type type);
bool kmip_type_from_name(const char *name, kmip_type *type);

#endif
