/* SPDX-License-Identifier: Apache-2.0 */
/* Get with a Key Wrapping Specification: the key's bytes leave the server
 * only encrypted under another of its keys; Register with Key Wrapping
 * Data: the server unwraps them with its key (Unwrap Key usage). Under an
 * AES key with AES Key Wrap (RFC 3394, Block Cipher Mode NISTKeyWrap) or
 * AES Key Wrap with Padding (RFC 5649, AESKeyWrapPadding); under an RSA
 * public key (wrapping) or private key (unwrapping) with RSA OAEP, its
 * hash, MGF1 hash and label from the Cryptographic Parameters. A key is
 * wrapped when Extractable, even if Sensitive; the wrapping key needs the
 * Wrap Key usage. A private key is its PKCS#8, which may come unwrapped
 * with zero bytes padding it to whole blocks (SoftHSM2's RFC 3394
 * wrapping): they are dropped. */
#include <limits.h>
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "kmipd/ops_crypto_common.h"
#include "kmipd/ops_key_wrap.h"
#include "kmipd/store.h"

/* The OpenSSL cipher for the Encryption Key Information's parameters and
 * a key of key_len bytes; NULL when kmipd does not wrap that way. */
static const char *wrap_cipher(const kmip_item *info, size_t key_len)
{
    static const char *const plain[] = {"AES-128-WRAP", "AES-192-WRAP",
                                        "AES-256-WRAP"};
    static const char *const pad[] = {"AES-128-WRAP-PAD", "AES-192-WRAP-PAD",
                                      "AES-256-WRAP-PAD"};
    const kmip_item *params =
        kmip_item_find(info, KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS);
    uint32_t mode = KMIP_BLOCK_CIPHER_MODE_NIST_KEY_WRAP;
    if (params != NULL)
        kmip_get_enum(params, KMIP_TAG_BLOCK_CIPHER_MODE, &mode, NULL);
    size_t i = (key_len - 16) / 8;
    if ((key_len != 16 && key_len != 24 && key_len != 32) ||
        (mode != KMIP_BLOCK_CIPHER_MODE_NIST_KEY_WRAP &&
         mode != KMIP_BLOCK_CIPHER_MODE_AES_KEY_WRAP_PADDING))
        return NULL;
    return mode == KMIP_BLOCK_CIPHER_MODE_NIST_KEY_WRAP ? plain[i] : pad[i];
}

/* Wraps (enc 1) or unwraps (enc 0) in under wrapping's key. */
static bool aes_wrap(const char *name, const kmipd_object *wrapping,
                     kmip_bytes in, kmipd_buf *out, int enc)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, tail = 0;
    out->data = malloc(in.len + 16);
    bool ok = cipher != NULL && ctx != NULL && out->data != NULL &&
              in.len <= INT32_MAX &&
              EVP_CipherInit_ex2(ctx, cipher, wrapping->material, NULL, enc,
                                 NULL) == 1 &&
              EVP_CipherUpdate(ctx, out->data, &n, in.data, (int)in.len) == 1 &&
              EVP_CipherFinal_ex(ctx, out->data + n, &tail) == 1;
    out->len = ok ? (size_t)n + (size_t)tail : 0;
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
    return ok;
}

/* Loads the wrapping key info names, checked for usage (Wrap Key, Unwrap
 * Key). */
static bool load_wrapping_key(kmipd_call *call, const kmip_item *info,
                              uint32_t usage, kmipd_object **out)
{
    const char *uid = NULL;
    size_t len = 0;
    kmip_status st;
    if (kmip_get_text(info, KMIP_TAG_UNIQUE_IDENTIFIER, &uid, &len, NULL) !=
            KMIP_OK ||
        strlen(uid) != len)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "Key Wrapping Specification: no wrapping key "
                          "identifier");
    if (kmipd_store_load(call->store, uid, call->owner, out, &st) !=
        KMIPD_STORE_OK)
        return kmipd_fail(call, KMIP_RESULT_REASON_ITEM_NOT_FOUND,
                          "no wrapping key %s", uid);
    if (kmipd_call_require_active(call, *out) &&
        kmipd_call_require_usage(call, *out, usage))
        return true;
    kmipd_object_free(*out);
    *out = NULL;
    return false;
}

/* Wraps (enc 1) or unwraps (enc 0) in with RSA OAEP under wrapping's
 * public (enc 1) or private key (enc 0). */
static bool rsa_wrap(kmipd_call *call, const kmip_item *info,
                     const kmipd_object *wrapping, kmip_bytes in,
                     kmipd_buf *out, int enc)
{
    kmip_crypto_params request = {0};
    const kmip_item *item =
        kmip_item_find(info, KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS);
    kmipd_crypto_params params;
    kmip_status st;
    EVP_PKEY *pkey = NULL;
    if (item != NULL &&
        kmip_crypto_params_parse(item, &request, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    if (!kmipd_call_crypto_params(call, wrapping, &request, &params))
        return false;
    if (params.padding_method != KMIP_PADDING_METHOD_OAEP)
        return kmipd_fail(call, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                          "kmipd wraps under an RSA key with OAEP only");
    kmip_rc rc = kmipd_key_load(wrapping->object_type, wrapping->material,
                                wrapping->material_len, &pkey, &st);
    if (rc == KMIP_OK)
        rc = (enc ? kmipd_rsa_encrypt : kmipd_rsa_decrypt)(
            pkey, &params, in.data, in.len, out, &st);
    EVP_PKEY_free(pkey);
    return rc == KMIP_OK || kmipd_crypto_call_fail(call, &st);
}

/* Wraps (enc 1) or unwraps (enc 0) in with AES key wrap under wrapping's
 * key. */
static bool aes_key_wrap(kmipd_call *call, const kmip_item *info,
                         const kmipd_object *wrapping, kmip_bytes in,
                         kmipd_buf *out, int enc)
{
    const char *name = wrap_cipher(info, wrapping->material_len);
    if (name == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                          "kmipd wraps under an AES key with AES Key Wrap "
                          "(with padding) only");
    return aes_wrap(name, wrapping, in, out, enc) ||
           kmipd_fail(call, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                      enc ? "AES key wrap failed (RFC 3394 needs a "
                            "multiple of 8 bytes, at least 16)"
                          : "the wrapped key does not unwrap");
}

/* Replaces out->value by it wrapped (enc 1) or unwrapped (enc 0), kept
 * in result. */
static bool wrap_with(kmipd_call *call, const kmip_item *info,
                      const kmipd_object *wrapping, kmip_object *out,
                      kmipd_buf *result, int enc)
{
    uint32_t algorithm = 0;
    kmip_attrs_get_algorithm(wrapping->attrs, &algorithm, NULL);
    uint32_t rsa_type =
        enc ? KMIP_OBJECT_TYPE_PUBLIC_KEY : KMIP_OBJECT_TYPE_PRIVATE_KEY;
    bool ok;
    if (wrapping->object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY &&
        algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_AES)
        ok = aes_key_wrap(call, info, wrapping, out->value, result, enc);
    else if (wrapping->object_type == rsa_type &&
             algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA)
        ok = rsa_wrap(call, info, wrapping, out->value, result, enc);
    else
        ok = kmipd_fail(call, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                        "kmipd wraps under an AES key, or an RSA public "
                        "key (unwraps under its private key), only");
    if (ok)
        out->value = (kmip_bytes){result->data, result->len};
    return ok;
}

bool kmipd_get_wrap_allowed(const kmipd_object *obj)
{
    bool extractable = true;
    kmip_get_bool(obj->attrs, KMIP_TAG_EXTRACTABLE, &extractable, NULL);
    return extractable && kmipd_holds_secret(obj->object_type);
}

/* The Encryption Key Information of a spec kmipd serves for out, or NULL
 * (call failed). */
static const kmip_item *check_spec(kmipd_call *call, const kmip_item *spec,
                                   const kmip_object *out)
{
    uint32_t method = 0, encoding = KMIP_ENCODING_OPTION_NO_ENCODING;
    const kmip_item *info =
        kmip_item_find(spec, KMIP_TAG_ENCRYPTION_KEY_INFORMATION);
    kmip_get_enum(spec, KMIP_TAG_WRAPPING_METHOD, &method, NULL);
    kmip_get_enum(spec, KMIP_TAG_ENCODING_OPTION, &encoding, NULL);
    if (encoding != KMIP_ENCODING_OPTION_NO_ENCODING)
        kmipd_fail(call, KMIP_RESULT_REASON_ENCODING_OPTION_ERROR,
                   "kmipd wraps the key's bytes (No Encoding) only");
    else if (method != KMIP_WRAPPING_METHOD_ENCRYPT || info == NULL)
        kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                   "kmipd wraps with Wrapping Method Encrypt and an "
                   "Encryption Key Information only");
    else if (out->transparent != NULL)
        kmipd_fail(call, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                   "kmipd wraps byte string key formats only");
    else
        return info;
    return NULL;
}

/* Wraps (enc 1, spec a Key Wrapping Specification) or unwraps (enc 0,
 * spec the Key Wrapping Data) out->value into result; the Encryption Key
 * Information used, or NULL (call failed). */
static const kmip_item *crypt_value(kmipd_call *call, const kmip_item *spec,
                                    kmip_object *out, kmipd_buf *result,
                                    int enc)
{
    const kmip_item *info = check_spec(call, spec, out);
    kmipd_object *key;
    if (info == NULL ||
        !load_wrapping_key(call, info,
                           enc ? KMIP_CRYPTOGRAPHIC_USAGE_MASK_WRAP_KEY
                               : KMIP_CRYPTOGRAPHIC_USAGE_MASK_UNWRAP_KEY,
                           &key))
        return NULL;
    bool ok = wrap_with(call, info, key, out, result, enc);
    kmipd_object_free(key);
    return ok ? info : NULL;
}

bool kmipd_get_wrap(kmipd_call *call, const kmip_item *spec, kmip_object *out,
                    kmipd_buf *wrapped, kmip_item **wrapping_data)
{
    const kmip_item *info = crypt_value(call, spec, out, wrapped, 1);
    if (info == NULL)
        return false;
    *wrapping_data = kmip_item_new_structure(KMIP_TAG_KEY_WRAPPING_DATA);
    out->wrapping_data = *wrapping_data;
    return (kmip_add_enum(*wrapping_data, KMIP_TAG_WRAPPING_METHOD,
                          KMIP_WRAPPING_METHOD_ENCRYPT) &&
            kmip_item_add(*wrapping_data, kmip_item_dup(info))) ||
           kmipd_fail_nomem(call);
}

/* The length of the DER SEQUENCE at the start of der (len bytes), or 0. */
static size_t sequence_len(const uint8_t *der, size_t len)
{
    const unsigned char *body = der;
    long body_len;
    int tag, xclass;

    if (len > LONG_MAX ||
        ASN1_get_object(&body, &body_len, &tag, &xclass, (long)len) !=
            V_ASN1_CONSTRUCTED ||
        tag != V_ASN1_SEQUENCE)
        return 0;
    return (size_t)(body - der) + (size_t)body_len;
}

/* A private key's PKCS#8 without the zero bytes (fewer than 8) that pad
 * it to whole blocks, as SoftHSM2 wraps it with RFC 3394. */
static void drop_block_padding(kmip_object *object)
{
    size_t der_len = sequence_len(object->value.data, object->value.len);
    if (object->object_type != KMIP_OBJECT_TYPE_PRIVATE_KEY || der_len == 0 ||
        der_len >= object->value.len || object->value.len - der_len >= 8)
        return;
    for (size_t i = der_len; i < object->value.len; i++)
        if (object->value.data[i] != 0)
            return;
    object->value.len = der_len;
}

bool kmipd_register_unwrap(kmipd_call *call, kmip_object *object,
                           kmipd_buf *plain)
{
    bool ok =
        crypt_value(call, object->wrapping_data, object, plain, 0) != NULL;
    object->wrapping_data = NULL;
    if (ok)
        drop_block_padding(object);
    return ok;
}
