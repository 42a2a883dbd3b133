/* SPDX-License-Identifier: Apache-2.0 */
/* Derive Key: ECDH (Derivation Method Asymmetric Key) with an EC, X25519
 * or X448 private key and the peer's public point (raw public key) as
 * Derivation Data, into a new
 * symmetric key; the KDF's hash comes from the Cryptographic Parameters,
 * its shared info from the Salt. */
#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "kmipd/attr_request.h"
#include "kmipd/attributes.h"
#include "kmipd/ops_crypto.h"
#include "kmipd/ops_crypto_common.h"

static bool check_request(kmipd_call *call, const kmip_derive_key_args *args)
{
    if (args->object_type != KMIP_OBJECT_TYPE_SYMMETRIC_KEY)
        return kmipd_fail_mapped(call, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                                 "Derive Key makes symmetric keys");
    if (args->derivation_method != KMIP_DERIVATION_METHOD_ASYMMETRIC_KEY)
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "kmipd derives keys by ECDH (Asymmetric Key) only");
    if (args->uids.count > 1)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "ECDH takes one private key");
    if (args->params.data.data == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                          "no Derivation Data (the peer's public point)");
    return true;
}

/* The new key's algorithm and length in bytes, from its attributes. */
static bool requested_key(kmipd_call *call, const kmip_item *attrs,
                          uint32_t *algorithm, size_t *len)
{
    int32_t bits;
    if (kmip_attrs_get_algorithm(attrs, algorithm, NULL) != KMIP_OK ||
        kmip_attrs_get_length(attrs, &bits, NULL) != KMIP_OK)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                          "the derived key needs a Cryptographic Algorithm "
                          "and a Cryptographic Length");
    if (bits <= 0 || bits % 8 != 0)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "a Cryptographic Length of %d bits", bits);
    *len = (size_t)bits / 8;
    return true;
}

/* The base key: an Active EC, X25519 or X448 private key whose usage allows
 * derivation (Derive Key or Key Agreement). */
static bool base_key(kmipd_call *call, kmipd_object *obj, EVP_PKEY **pkey)
{
    uint32_t algorithm, mask;
    if (obj->object_type != KMIP_OBJECT_TYPE_PRIVATE_KEY ||
        kmip_attrs_get_algorithm(obj->attrs, &algorithm, NULL) != KMIP_OK ||
        (algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_EC &&
         algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA &&
         algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDH))
        return kmipd_fail_mapped(call, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                                 "%s is not an EC, X25519 or X448 private "
                                 "key",
                                 obj->uid);
    if (!kmipd_call_require_active(call, obj))
        return false;
    if (kmip_attrs_get_usage_mask(obj->attrs, &mask, NULL) == KMIP_OK &&
        (mask & (KMIP_CRYPTOGRAPHIC_USAGE_MASK_DERIVE_KEY |
                 KMIP_CRYPTOGRAPHIC_USAGE_MASK_KEY_AGREEMENT)) == 0)
        return kmipd_call_require_usage(
            call, obj, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DERIVE_KEY);
    kmip_status st;
    if (kmipd_key_load(obj->object_type, obj->material, obj->material_len, pkey,
                       &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    return true;
}

/* Runs ECDH and checks the result as a key of algorithm; *key holds its
 * canonical material. */
static bool agree(kmipd_call *call, const kmip_derive_key_args *args,
                  EVP_PKEY *pkey, uint32_t algorithm, size_t len,
                  kmipd_buf *key)
{
    const kmipd_ecdh_input in = {args->params.data.data, args->params.data.len,
                                 args->params.crypto.hashing_algorithm,
                                 args->params.salt.data, args->params.salt.len};
    kmipd_buf secret = {0};
    kmipd_key_info info;
    kmip_status st;
    bool ok = kmipd_ecdh_derive(pkey, &in, len, &secret, &st) == KMIP_OK &&
              kmipd_key_import(KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                               KMIP_KEY_FORMAT_TYPE_RAW, algorithm, secret.data,
                               secret.len, key, &info, &st) == KMIP_OK;
    kmipd_buf_clear(&secret);
    return ok || kmipd_crypto_call_fail(call, &st);
}

/* Stores the derived key with attrs (taken) and answers its identifier. */
static bool store_key(kmipd_call *call, const char *base_uid, kmip_item *attrs,
                      const kmipd_buf *key)
{
    if (kmip_attrs_add_link(attrs, KMIP_LINK_TYPE_DERIVATION_BASE_OBJECT_LINK,
                            base_uid) == NULL) {
        kmip_item_free(attrs);
        return kmipd_fail_nomem(call);
    }
    bool exportable;
    if (!kmipd_export_attrs(call, KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs, true,
                            true, &exportable)) {
        kmip_item_free(attrs);
        return false;
    }
    kmipd_object *obj =
        kmipd_object_with_material(call, KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs,
                                   key, KMIP_KEY_FORMAT_TYPE_RAW, exportable);
    if (obj == NULL)
        return false;
    bool ok = kmipd_call_insert(call, &obj, 1) &&
              kmipd_call_answer(call, kmip_derive_key_response_build(
                                          call->version, obj->uid, NULL));
    kmipd_object_free(obj);
    return ok;
}

bool kmipd_op_derive_key(kmipd_call *call)
{
    kmip_derive_key_args args;
    kmip_status st;
    if (kmip_derive_key_request_parse(call->request, &args, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    if (!check_request(call, &args))
        return false;
    kmip_item *attrs = kmipd_attrs_from_request(call, args.attributes);
    kmipd_object *base = NULL;
    EVP_PKEY *pkey = NULL;
    kmipd_buf key = {0};
    uint32_t algorithm = 0;
    size_t len = 0;
    bool ok = attrs != NULL && requested_key(call, attrs, &algorithm, &len) &&
              kmipd_call_load(call, &base) && base_key(call, base, &pkey) &&
              agree(call, &args, pkey, algorithm, len, &key);
    if (ok) {
        ok = store_key(call, base->uid, attrs, &key);
        attrs = NULL;
    }
    kmip_item_free(attrs);
    kmipd_buf_clear(&key);
    EVP_PKEY_free(pkey);
    kmipd_object_free(base);
    return ok;
}
