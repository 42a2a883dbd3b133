/* SPDX-License-Identifier: Apache-2.0 */
/* object_stage.c: filling a staging copy of an object's cache (a
 * p11_object used for its fields only) from the server's answers. */
#ifndef P11CORE_OBJECT_STAGE_H
#define P11CORE_OBJECT_STAGE_H

#include "core.h"

#include "kmip/payloads.h"

/* A copy of text in *out (free()); CKR_HOST_MEMORY. */
CK_RV p11_dup_text(const char *text, char **out);

/* Fills cache from the canonical attribute set attrs of the object uid:
 * class, key type, sizes, usage, state, the export flags, label, link,
 * CKA_ID, x-pkcs11-attrs, a private key's own public half and a session
 * key's owner mark. CKR_OBJECT_HANDLE_INVALID for an object PKCS#11
 * cannot show. */
CK_RV p11_stage_attributes(p11_object *cache, const char *uid,
                           const kmip_item *attrs);

/* Decodes a Get Attributes answer in either form (2.x Attributes, 1.x
 * Attribute items) into a canonical set *out (kmip_item_free). */
CK_RV p11_decode_attributes(const kmip_item *container, kmip_item **out);

/* Fills cache's public key, and a certificate's or data object's value,
 * from the material a Get brought. */
CK_RV p11_stage_material(p11_object *cache, const kmip_object *material);

#endif
