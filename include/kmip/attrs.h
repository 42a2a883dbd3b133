/* SPDX-License-Identifier: Apache-2.0 */
/* Attributes in one canonical form, whatever the protocol version: a
 * KMIP_TAG_ATTRIBUTES structure whose children are KMIP 2.x typed
 * attributes (a KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM enumeration, a
 * KMIP_TAG_NAME structure {Name Value, Name Type}, a KMIP_TAG_LINK
 * structure {Link Type, Linked Object Identifier}, ...). A multi-instance
 * attribute is simply repeated.
 *
 * Custom attributes use the 2.x Vendor Attribute form, a KMIP_TAG_ATTRIBUTE
 * structure {Vendor Identification, Attribute Name, Attribute Value}. The
 * 1.x custom attribute "x-name" is Vendor Identification "x" with Attribute
 * Name "name" (likewise "y-name"), as KMIP 2.0 reserves "x" and "y" for
 * the 1.x custom attributes. A Vendor Attribute of any other vendor has no
 * 1.x form of its own and is sent to a 1.x peer as "x-name".
 *
 * On the wire, 1.x carries Attribute {Attribute Name, Attribute Index,
 * Attribute Value} items inside Template-Attribute structures (or directly
 * in the payload: Locate, Get Attributes); 2.x carries the typed items
 * inside Attributes structures. The functions below convert. */
#ifndef KMIP_ATTRS_H
#define KMIP_ATTRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/message.h"
#include "kmip/status.h"
#include "kmip/tags.h"
#include "kmip/ttlv.h"

/* KMIP 2.x encodes a Vendor Attribute with the Attribute tag. */
#define KMIP_TAG_VENDOR_ATTRIBUTE KMIP_TAG_ATTRIBUTE

/* Which of a payload's attribute containers. */
typedef enum kmip_attrs_role {
    KMIP_ATTRS_OBJECT,      /* 1.x Template-Attribute, 2.x Attributes */
    KMIP_ATTRS_COMMON,      /* Common Template-Attribute / Attributes */
    KMIP_ATTRS_PRIVATE_KEY, /* Private Key Template-Attribute / ... */
    KMIP_ATTRS_PUBLIC_KEY,  /* Public Key Template-Attribute / ... */
} kmip_attrs_role;

/* A new, empty canonical set (free with kmip_item_free); NULL when out of
 * memory. */
kmip_item *kmip_attrs_new(void);

/* The container tag that version uses for role. */
uint32_t kmip_attrs_container_tag(kmip_version version, kmip_attrs_role role);

/* Encodes the canonical set attrs (NULL: empty) as version's container for
 * role. The Attribute Index is never sent (KMIP forbids it in templates).
 * *out is new; the caller frees it with kmip_item_free. Fails with
 * KMIP_E_INVALID_ARG on a child that is not an attribute. */
kmip_rc kmip_attrs_encode(const kmip_item *attrs, kmip_version version,
                          kmip_attrs_role role, kmip_item **out,
                          kmip_status *status);

/* Appends one 1.x Attribute item per attribute of attrs to parent (the
 * Locate 1.x request, the Get Attributes 1.x response). */
kmip_rc kmip_attrs_append_v1(kmip_item *parent, const kmip_item *attrs,
                             kmip_status *status);

/* One canonical attribute as a new 1.x Attribute item; NULL on a child
 * that is not an attribute or when out of memory. */
kmip_item *kmip_attr_to_v1(const kmip_item *attr);

/* One 1.x Attribute item as a new canonical attribute (*out, free with
 * kmip_item_free). Unknown names starting "x-" or "y-" become Vendor
 * Attributes; any other unknown name, a missing field or a value of the
 * wrong type fails with KMIP_E_DECODE or KMIP_E_NOT_FOUND naming it. */
kmip_rc kmip_attr_from_v1(const kmip_item *attribute, kmip_item **out,
                          kmip_status *status);

/* One attribute received in either form (a 1.x Attribute item, or a 2.x
 * typed attribute or Vendor Attribute) as a new canonical attribute. */
kmip_rc kmip_attr_decode(const kmip_item *item, kmip_item **out,
                         kmip_status *status);

/* Decodes attributes received in either form into a new canonical set
 * (*out, free with kmip_item_free). container is a 2.x Attributes
 * structure (or Common / Private Key / Public Key Attributes), whose
 * children must be attributes, or any other structure (a 1.x
 * Template-Attribute, a 1.x payload) whose Attribute children are read in
 * the 1.x form, other children being ignored. NULL gives an empty set. */
kmip_rc kmip_attrs_decode(const kmip_item *container, kmip_item **out,
                          kmip_status *status);

/* The 1.x Attribute Name of a canonical attribute, written to buf (the
 * "x-name" form for a Vendor Attribute). False when attr is not an
 * attribute or buf is too small. */
bool kmip_attr_v1_name(const kmip_item *attr, char *buf, size_t buf_len);

/* The 1.x Attribute Name of the Vendor Attribute (vendor, name): "x-name"
 * or "y-name" for the reserved vendors "x" and "y", "x-name" for any
 * other. False when buf is too small. */
bool kmip_vendor_attr_v1_name(const char *vendor, const char *name, char *buf,
                              size_t buf_len);

/* ---- Convenience on canonical sets. Adders return the new attribute,
 * or NULL when out of memory or given bad arguments. ---- */

kmip_item *kmip_attrs_add_name(kmip_item *attrs, const char *name);
kmip_item *kmip_attrs_add_object_type(kmip_item *attrs, uint32_t type);
kmip_item *kmip_attrs_add_algorithm(kmip_item *attrs, uint32_t algorithm);
kmip_item *kmip_attrs_add_length(kmip_item *attrs, int32_t bits);
kmip_item *kmip_attrs_add_usage_mask(kmip_item *attrs, uint32_t mask);
kmip_item *kmip_attrs_add_state(kmip_item *attrs, uint32_t state);
kmip_item *kmip_attrs_add_link(kmip_item *attrs, uint32_t link_type,
                               const char *uid);
/* A custom attribute by its 1.x name ("x-pkcs11-id" or "y-...").
 * Interop: PyKMIP 0.10 reads 1.x custom attribute values as Text Strings
 * only (a Byte String fails its decoder) and has no 2.x Vendor Attribute
 * at all; use text (e.g. hex) for values PyKMIP must store. */
kmip_item *kmip_attrs_add_custom_text(kmip_item *attrs, const char *name,
                                      const char *text);
kmip_item *kmip_attrs_add_custom_bytes(kmip_item *attrs, const char *name,
                                       const uint8_t *data, size_t len);

/* Getters read the first instance. They return KMIP_OK, KMIP_E_NOT_FOUND
 * or KMIP_E_DECODE (wrong type); strings point into attrs. */
kmip_rc kmip_attrs_get_name(const kmip_item *attrs, const char **name,
                            kmip_status *status);
kmip_rc kmip_attrs_get_object_type(const kmip_item *attrs, uint32_t *type,
                                   kmip_status *status);
kmip_rc kmip_attrs_get_algorithm(const kmip_item *attrs, uint32_t *algorithm,
                                 kmip_status *status);
kmip_rc kmip_attrs_get_length(const kmip_item *attrs, int32_t *bits,
                              kmip_status *status);
kmip_rc kmip_attrs_get_usage_mask(const kmip_item *attrs, uint32_t *mask,
                                  kmip_status *status);
kmip_rc kmip_attrs_get_state(const kmip_item *attrs, uint32_t *state,
                             kmip_status *status);
/* The Linked Object Identifier of the first Link of link_type. */
kmip_rc kmip_attrs_get_link(const kmip_item *attrs, uint32_t link_type,
                            const char **uid, kmip_status *status);
/* The Vendor Attribute for the 1.x name ("x-pkcs11-id"), or NULL. */
const kmip_item *kmip_attrs_find_custom(const kmip_item *attrs,
                                        const char *name);
kmip_rc kmip_attrs_get_custom_text(const kmip_item *attrs, const char *name,
                                   const char **text, kmip_status *status);
kmip_rc kmip_attrs_get_custom_bytes(const kmip_item *attrs, const char *name,
                                    const uint8_t **data, size_t *len,
                                    kmip_status *status);

#endif
