/* SPDX-License-Identifier: Apache-2.0 */
#include "crypto_ops.h"

#include "attrmap.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* Whether key is of the mechanism's key type: an HMAC mechanism takes a
 * secret whose KMIP algorithm is its own HMAC or no HMAC at all (a server
 * MACs with the hash the algorithm names). */
static bool key_fits(const p11_mech_kmip *mech, const p11_object *key)
{
    if (key->subtype != mech->key_type)
        return false;
    return mech->key_type != CKK_GENERIC_SECRET ||
           key->kmip_algorithm == mech->algorithm ||
           !p11_hmac_algorithm_fixed(key->kmip_algorithm);
}

CK_RV p11_op_key(p11_session *session, p11_op_kind kind,
                 const CK_MECHANISM *mechanism, CK_FLAGS flag,
                 CK_OBJECT_HANDLE key, CK_OBJECT_CLASS asymmetric_class,
                 CK_ATTRIBUTE_TYPE usage, p11_object **out)
{
    if (mechanism == NULL)
        return CKR_ARGUMENTS_BAD;
    if (session->ops[kind].active)
        return CKR_OPERATION_ACTIVE;
    const struct p11_mechanism *offered =
        p11_mechanism_find(mechanism->mechanism);
    /* Every keyed mechanism of the module has a KMIP table entry, which
     * names its key type. */
    const p11_mech_kmip *mech = p11_mech_kmip_find(mechanism->mechanism);
    if (offered == NULL || mech == NULL ||
        (p11_mechanism_flags(&session->slot->server, offered) & flag) == 0)
        return CKR_MECHANISM_INVALID;
    bool secret =
        mech->key_type == CKK_AES || mech->key_type == CKK_GENERIC_SECRET;

    p11_object *object;
    CK_RV rv = p11_object_get(session, key, &object);
    if (rv == CKR_OBJECT_HANDLE_INVALID)
        return CKR_KEY_HANDLE_INVALID;
    if (rv != CKR_OK)
        return rv;
    if (!key_fits(mech, object))
        return CKR_KEY_TYPE_INCONSISTENT;
    if (object->object_class != (secret ? CKO_SECRET_KEY : asymmetric_class) ||
        !p11_object_allows(object, usage))
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    *out = object;
    return CKR_OK;
}

void p11_op_start(p11_session *session, p11_op_kind kind,
                  CK_MECHANISM_TYPE mechanism, p11_object *key, void *ctx,
                  void (*free_ctx)(void *ctx))
{
    p11_operation *op = &session->ops[kind];
    op->active = true;
    op->mechanism = mechanism;
    op->key = key != NULL ? key->handle : CK_INVALID_HANDLE;
    op->key_object = key;
    op->ctx = ctx;
    op->free_ctx = free_ctx;
    op->needs_context_login =
        key != NULL && key->object_class == CKO_PRIVATE_KEY &&
        p11_attr_flag(key, CKA_ALWAYS_AUTHENTICATE, false);
}

p11_operation *p11_op_active(p11_session *session, p11_op_kind kind)
{
    p11_operation *op = &session->ops[kind];
    return op->active ? op : NULL;
}

size_t p11_key_bytes(const p11_object *key)
{
    return (key->key_bits + 7) / 8;
}

void p11_output_copy(CK_BYTE_PTR out, CK_ULONG_PTR out_len, const uint8_t *src,
                     size_t len)
{
    if (len > 0)
        memcpy(out, src, len);
    *out_len = len;
}
