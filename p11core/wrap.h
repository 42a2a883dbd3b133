/* SPDX-License-Identifier: Apache-2.0 */
/* What C_WrapKey (wrap_key.c) and C_UnwrapKey (unwrap_key.c) share
 * (wrap_mech.c): the mechanism with its wrapping or unwrapping key, the
 * KMIP structure that names them, and the lengths the mechanism gives.
 * The key material stays on the server: it leaves only wrapped (Get with
 * a Key Wrapping Specification) and arrives only wrapped (Register with
 * Key Wrapping Data). */
#ifndef P11CORE_WRAP_H
#define P11CORE_WRAP_H

#include "attrmap.h"
#include "mech_params.h"
#include "p11core_internal.h"

/* The side of a wrapping: what it needs of its key, and the codes
 * PKCS#11 gives that side's failures. */
typedef struct p11_wrap_side {
    CK_FLAGS flag;                    /* CKF_WRAP, CKF_UNWRAP */
    CK_ATTRIBUTE_TYPE usage;          /* CKA_WRAP, CKA_UNWRAP */
    CK_OBJECT_CLASS asymmetric_class; /* CKO_PUBLIC_KEY, CKO_PRIVATE_KEY */
    CK_RV handle_invalid;             /* CKR_(UN)WRAPPING_KEY_HANDLE_INVALID */
    CK_RV type_inconsistent;          /* ..._TYPE_INCONSISTENT */
    CK_RV size_range;                 /* ..._SIZE_RANGE */
} p11_wrap_side;

extern const p11_wrap_side p11_wrap_side_wrap;
extern const p11_wrap_side p11_wrap_side_unwrap;

typedef struct p11_wrapping {
    p11_kmip_params params; /* the mechanism's */
    p11_object *key;        /* the wrapping or unwrapping key, loaded */
} p11_wrapping;

/* Starts a wrapping of side with mechanism and the key of handle:
 * CKR_MECHANISM_INVALID when the slot does not offer the mechanism for
 * side, CKR_MECHANISM_PARAM_INVALID, then side's codes for the key's
 * handle, type and size, and CKR_KEY_FUNCTION_NOT_PERMITTED without
 * side's usage. Clear *out with p11_wrapping_clear, also on failure. */
CK_RV p11_wrapping_start(p11_session *session, const p11_wrap_side *side,
                         const CK_MECHANISM *mechanism, CK_OBJECT_HANDLE handle,
                         p11_wrapping *out);
void p11_wrapping_clear(p11_wrapping *wrapping);

/* A new structure of tag (KMIP_TAG_KEY_WRAPPING_SPECIFICATION or
 * KMIP_TAG_KEY_WRAPPING_DATA): Wrapping Method Encrypt, the key's Unique
 * Identifier and the mechanism's Cryptographic Parameters, Encoding
 * Option No Encoding (said, for PyKMIP). NULL when out of memory. */
kmip_item *p11_wrapping_item(const p11_wrapping *wrapping, uint32_t tag);

/* The length of a key of plain_len bytes once wrapped (known without
 * asking the server); 0 when the mechanism cannot wrap that many bytes
 * (CKR_KEY_SIZE_RANGE). */
size_t p11_wrapped_len(const p11_wrapping *wrapping, size_t plain_len);

/* The length of the key wrapped_len bytes unwrap to, when the mechanism
 * says it (AES key wrap without padding), else 0. CKR_OK, or
 * CKR_WRAPPED_KEY_LEN_RANGE when no key wraps to that many bytes. */
CK_RV p11_unwrapped_len(const p11_wrapping *wrapping, size_t wrapped_len,
                        size_t *plain_len);

/* The attribute array type (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE) of
 * key, packed (attr_array.c; empty when none) into *out, which the
 * caller clears with p11_attr_value_clear. */
void p11_wrapping_template(p11_object *key, CK_ATTRIBUTE_TYPE type,
                           p11_attr_value *out);

/* What a server's refusal of a wrapping means: a request refused as
 * unsupported is CKR_MECHANISM_INVALID, and the slot stops offering the
 * mechanism for side; other replies keep their code. */
CK_RV p11_wrapping_rv(p11_session *session, const p11_wrap_side *side,
                      const p11_wrapping *wrapping, p11_reply reply);

#endif
