/* SPDX-License-Identifier: Apache-2.0 */
/* The wrapping mechanisms: AES key wrap (RFC 3394, KMIP Block Cipher
 * Mode NISTKeyWrap), with padding (RFC 5649, AESKeyWrapPadding), and RSA
 * OAEP (its hash, MGF1 hash and label as KMIP Cryptographic Parameters);
 * their keys and the lengths they give. */
#include "wrap.h"

#include <string.h>

#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "crypto_ops.h"
#include "hashes.h"

const p11_wrap_side p11_wrap_side_wrap = {
    CKF_WRAP,
    CKA_WRAP,
    CKO_PUBLIC_KEY,
    CKR_WRAPPING_KEY_HANDLE_INVALID,
    CKR_WRAPPING_KEY_TYPE_INCONSISTENT,
    CKR_WRAPPING_KEY_SIZE_RANGE,
};

const p11_wrap_side p11_wrap_side_unwrap = {
    CKF_UNWRAP,
    CKA_UNWRAP,
    CKO_PRIVATE_KEY,
    CKR_UNWRAPPING_KEY_HANDLE_INVALID,
    CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT,
    CKR_UNWRAPPING_KEY_SIZE_RANGE,
};

#define KW_BLOCK 8

static bool is_oaep(const p11_wrapping *wrapping)
{
    return wrapping->params.padding == KMIP_PADDING_METHOD_OAEP;
}

/* Whether the loaded key is of the mechanism's kind for side: an AES
 * secret key, or an RSA key of side's class that the server holds (not a
 * session object kept in the process). */
static bool key_fits(const p11_wrap_side *side, const p11_kmip_params *params,
                     const p11_object *key)
{
    CK_OBJECT_CLASS object_class = params->mech->key_type == CKK_AES
                                       ? CKO_SECRET_KEY
                                       : side->asymmetric_class;
    return key->object_class == object_class &&
           key->subtype == params->mech->key_type && key->uid[0] != '\0';
}

static bool key_size_fits(const p11_kmip_params *params, const p11_object *key)
{
    if (params->mech->key_type == CKK_AES)
        return key->key_bits == 128 || key->key_bits == 192 ||
               key->key_bits == 256;
    const struct p11_mechanism *info = p11_mechanism_find(CKM_RSA_PKCS_OAEP);
    return key->key_bits >= info->min_key_size &&
           key->key_bits <= info->max_key_size;
}

static CK_RV wrapping_key(p11_session *session, const p11_wrap_side *side,
                          CK_OBJECT_HANDLE handle, p11_wrapping *out)
{
    CK_RV rv = p11_object_get(session, handle, &out->key);
    if (rv == CKR_OBJECT_HANDLE_INVALID)
        return side->handle_invalid;
    if (rv != CKR_OK)
        return rv;
    if (!key_fits(side, &out->params, out->key))
        return side->type_inconsistent;
    if (!key_size_fits(&out->params, out->key))
        return side->size_range;
    return p11_object_allows(out->key, side->usage)
               ? CKR_OK
               : CKR_KEY_FUNCTION_NOT_PERMITTED;
}

CK_RV p11_wrapping_start(p11_session *session, const p11_wrap_side *side,
                         const CK_MECHANISM *mechanism, CK_OBJECT_HANDLE handle,
                         p11_wrapping *out)
{
    const struct p11_mechanism *offered =
        p11_mechanism_find(mechanism->mechanism);
    memset(out, 0, sizeof(*out));
    if (offered == NULL ||
        !(p11_mechanism_flags(&session->slot->server, offered) & side->flag))
        return CKR_MECHANISM_INVALID;
    CK_RV rv = p11_kmip_params_from_mechanism(mechanism, &out->params);
    return rv == CKR_OK ? wrapping_key(session, side, handle, out) : rv;
}

void p11_wrapping_clear(p11_wrapping *wrapping)
{
    p11_kmip_params_clear(&wrapping->params);
    wrapping->key = NULL;
}

kmip_item *p11_wrapping_item(const p11_wrapping *wrapping, uint32_t tag)
{
    kmip_crypto_params params;
    p11_kmip_crypto_params(&wrapping->params, &params);
    kmip_item *item = kmip_item_new_structure(tag);
    kmip_item *info = NULL;
    if (kmip_add_enum(item, KMIP_TAG_WRAPPING_METHOD,
                      KMIP_WRAPPING_METHOD_ENCRYPT) != NULL)
        info = kmip_add_structure(item, KMIP_TAG_ENCRYPTION_KEY_INFORMATION);
    if (kmip_add_text(info, KMIP_TAG_UNIQUE_IDENTIFIER, wrapping->key->uid) !=
            NULL &&
        kmip_item_add(info, kmip_crypto_params_build(&params)) != NULL &&
        kmip_add_enum(item, KMIP_TAG_ENCODING_OPTION,
                      KMIP_ENCODING_OPTION_NO_ENCODING) != NULL)
        return item;
    kmip_item_free(item);
    return NULL;
}

/* The most bytes RSA OAEP with the key and hash encrypts (RFC 8017). */
static size_t oaep_room(const p11_wrapping *wrapping)
{
    size_t modulus = p11_key_bytes(wrapping->key);
    size_t hash = p11_hash_by_kmip(wrapping->params.hash)->length;
    return modulus > 2 * hash + 2 ? modulus - 2 * hash - 2 : 0;
}

size_t p11_wrapped_len(const p11_wrapping *wrapping, size_t plain_len)
{
    if (is_oaep(wrapping))
        return plain_len > 0 && plain_len <= oaep_room(wrapping)
                   ? p11_key_bytes(wrapping->key)
                   : 0;
    if (wrapping->params.mode == KMIP_BLOCK_CIPHER_MODE_NIST_KEY_WRAP)
        return plain_len >= 2 * KW_BLOCK && plain_len % KW_BLOCK == 0
                   ? plain_len + KW_BLOCK
                   : 0;
    return plain_len > 0
               ? (plain_len + KW_BLOCK - 1) / KW_BLOCK * KW_BLOCK + KW_BLOCK
               : 0;
}

CK_RV p11_unwrapped_len(const p11_wrapping *wrapping, size_t wrapped_len,
                        size_t *plain_len)
{
    *plain_len = 0;
    if (is_oaep(wrapping))
        return wrapped_len == p11_key_bytes(wrapping->key)
                   ? CKR_OK
                   : CKR_WRAPPED_KEY_LEN_RANGE;
    bool plain = wrapping->params.mode == KMIP_BLOCK_CIPHER_MODE_NIST_KEY_WRAP;
    if (wrapped_len % KW_BLOCK != 0 || wrapped_len < (plain ? 3 : 2) * KW_BLOCK)
        return CKR_WRAPPED_KEY_LEN_RANGE;
    if (plain)
        *plain_len = wrapped_len - KW_BLOCK;
    return CKR_OK;
}

void p11_wrapping_template(p11_object *key, CK_ATTRIBUTE_TYPE type,
                           p11_attr_value *out)
{
    pthread_mutex_lock(&key->lock);
    if (p11_attr_read(key, type, out) != CKR_OK)
        p11_attr_value_clear(out);
    pthread_mutex_unlock(&key->lock);
}

CK_RV p11_wrapping_rv(p11_session *session, const p11_wrap_side *side,
                      const p11_wrapping *wrapping, p11_reply reply)
{
    /* PyKMIP wraps under AES keys only: Illegal Operation for others. */
    if (reply.answer != P11_ANSWER_UNSUPPORTED &&
        reply.reason != KMIP_RESULT_REASON_ILLEGAL_OPERATION)
        return reply.rv;
    p11_mechanism_flags_refused(&session->slot->server,
                                wrapping->params.mech->mechanism, side->flag);
    return CKR_MECHANISM_INVALID;
}
