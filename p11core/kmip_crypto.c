/* SPDX-License-Identifier: Apache-2.0 */
/* The KMIP requests of the private operations: Sign, MAC, Encrypt,
 * Decrypt, each one round trip, with the Cryptographic Parameters the
 * mechanism asked for. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto_ops.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

static kmip_opt_int optional(int32_t value, bool present)
{
    return (kmip_opt_int){present, present ? value : 0};
}

/* The request arguments for params (pointing into params). */
static void request_args(const p11_object *key, const p11_kmip_params *p,
                         kmip_crypto_args *args)
{
    memset(args, 0, sizeof(*args));
    args->uid = key->uid;
    p11_kmip_crypto_params(p, &args->params);
    args->iv = (kmip_bytes){p->iv, p->iv_len};
    args->aad = (kmip_bytes){p->aad, p->aad_len};
}

void p11_kmip_crypto_params(const p11_kmip_params *p, kmip_crypto_params *kp)
{
    memset(kp, 0, sizeof(*kp));
    kp->present = true;
    kp->cryptographic_algorithm = p->algorithm;
    kp->block_cipher_mode = p->mode;
    kp->padding_method = p->padding;
    kp->hashing_algorithm = p->hash;
    kp->digital_signature_algorithm = p->signature;
    kp->mask_generator = p->mask_generator;
    kp->mask_generator_hashing_algorithm = p->mask_generator_hash;
    kp->salt_length = optional(p->salt_length, p->salt_length >= 0);
    kp->tag_length = optional(p->tag_length, p->tag_length > 0);
    kp->counter_length = optional(p->counter_length, p->counter_length > 0);
    kp->p_source = (kmip_bytes){p->p_source, p->p_source_len};
}

/* Sends operation with args and reads the result; on CKR_OK the caller
 * frees *resp (result points into it). A refusal of the operation or its
 * parameters is CKR_MECHANISM_INVALID. A request of a KMIP stream is not
 * sent again after a dropped connection: the server may have taken its
 * data into the stream already. */
static p11_reply crypto_call(p11_session *session, uint32_t operation,
                             const kmip_crypto_args *args, kmip_response **resp,
                             kmip_crypto_result *result)
{
    bool streamed =
        args->init_indicator.present || args->correlation_value.data != NULL;
    kmip_version version;
    CK_RV rv = p11_kmip_version(session, &version);
    if (rv != CKR_OK)
        return p11_reply_local(rv);
    kmip_item *payload = kmip_crypto_request(operation, version, args);
    if (payload == NULL)
        return p11_reply_local(CKR_HOST_MEMORY);
    const kmip_item *response_payload;
    p11_reply reply = p11_kmip_call_one(session, operation, payload, !streamed,
                                        resp, &response_payload);
    if (reply.answer == P11_ANSWER_UNSUPPORTED)
        reply.rv = CKR_MECHANISM_INVALID;
    if (reply.rv != CKR_OK)
        return reply;
    kmip_status status;
    kmip_rc rc =
        kmip_crypto_response(operation, response_payload, result, &status);
    if (rc != KMIP_OK) {
        p11_log_error("malformed %s response: %s",
                      kmip_enum_name(KMIP_TAG_OPERATION, operation),
                      status.message);
        kmip_response_free(*resp);
        *resp = NULL;
        return p11_reply_of(rc, &status);
    }
    return reply;
}

/* Copies bytes into a new buffer the caller frees; CKR_DEVICE_ERROR when
 * the server left them out. */
static CK_RV take_bytes(kmip_bytes bytes, uint8_t **out, size_t *out_len)
{
    if (bytes.data == NULL)
        return CKR_DEVICE_ERROR;
    *out = malloc(bytes.len ? bytes.len : 1);
    if (*out == NULL)
        return CKR_HOST_MEMORY;
    memcpy(*out, bytes.data, bytes.len);
    *out_len = bytes.len;
    return CKR_OK;
}

/* Sends operation with args and copies the result's field at offset (an
 * offsetof in kmip_crypto_result) into *out, malloc'd, the caller frees
 * it. */
static p11_reply call_for_bytes(p11_session *session, uint32_t operation,
                                const kmip_crypto_args *args, size_t offset,
                                uint8_t **out, size_t *out_len)
{
    kmip_response *resp = NULL;
    kmip_crypto_result result;
    p11_reply reply = crypto_call(session, operation, args, &resp, &result);
    if (reply.rv == CKR_OK)
        reply.rv =
            take_bytes(*(const kmip_bytes *)((const char *)&result + offset),
                       out, out_len);
    kmip_response_free(resp);
    return reply;
}

/* An input field: an empty one is still sent, so never a NULL pointer. */
static kmip_bytes input_field(const uint8_t *data, size_t len)
{
    return (kmip_bytes){data != NULL ? data : (const uint8_t *)"", len};
}

p11_reply p11_kmip_sign(p11_session *session, const p11_object *key,
                        const p11_kmip_params *params, const uint8_t *data,
                        size_t len, bool digested, uint8_t **signature,
                        size_t *signature_len)
{
    kmip_crypto_args args;
    request_args(key, params, &args);
    if (digested)
        args.digested_data = input_field(data, len);
    else
        args.data = input_field(data, len);
    return call_for_bytes(session, KMIP_OPERATION_SIGN, &args,
                          offsetof(kmip_crypto_result, signature_data),
                          signature, signature_len);
}

p11_reply p11_kmip_mac(p11_session *session, const p11_object *key,
                       const p11_kmip_params *params, const uint8_t *data,
                       size_t len, uint8_t **mac, size_t *mac_len)
{
    kmip_crypto_args args;
    request_args(key, params, &args);
    args.data = input_field(data, len);
    return call_for_bytes(session, KMIP_OPERATION_MAC, &args,
                          offsetof(kmip_crypto_result, mac_data), mac, mac_len);
}

p11_reply p11_kmip_encrypt(p11_session *session, const p11_object *key,
                           const p11_kmip_params *params, const uint8_t *in,
                           size_t len, uint8_t **out, size_t *out_len)
{
    kmip_crypto_args args;
    request_args(key, params, &args);
    args.data = input_field(in, len);
    kmip_response *resp = NULL;
    kmip_crypto_result result;
    p11_reply reply =
        crypto_call(session, KMIP_OPERATION_ENCRYPT, &args, &resp, &result);
    if (reply.rv != CKR_OK)
        return reply;
    size_t tag_len = (size_t)(params->tag_length > 0 ? params->tag_length : 0);
    if (result.data.data == NULL || result.tag.len != tag_len ||
        (tag_len > 0 && result.tag.data == NULL)) {
        reply = p11_reply_of(KMIP_E_NOT_FOUND, NULL);
    } else {
        /* PKCS#11 carries the AEAD tag at the end of the ciphertext. */
        *out_len = result.data.len + tag_len;
        *out = malloc(*out_len ? *out_len : 1);
        if (*out == NULL) {
            reply = p11_reply_local(CKR_HOST_MEMORY);
        } else {
            memcpy(*out, result.data.data, result.data.len);
            if (tag_len > 0)
                memcpy(*out + result.data.len, result.tag.data, tag_len);
        }
    }
    kmip_response_free(resp);
    return reply;
}

p11_reply p11_kmip_decrypt(p11_session *session, const p11_object *key,
                           const p11_kmip_params *params, const uint8_t *in,
                           size_t len, uint8_t **out, size_t *out_len)
{
    size_t tag_len = (size_t)(params->tag_length > 0 ? params->tag_length : 0);
    if (len < tag_len)
        return p11_reply_local(CKR_ENCRYPTED_DATA_LEN_RANGE);
    kmip_crypto_args args;
    request_args(key, params, &args);
    args.data = input_field(in, len - tag_len);
    if (tag_len > 0)
        args.tag = (kmip_bytes){in + len - tag_len, tag_len};
    p11_reply reply =
        call_for_bytes(session, KMIP_OPERATION_DECRYPT, &args,
                       offsetof(kmip_crypto_result, data), out, out_len);
    if (reply.answer == P11_ANSWER_CRYPTO_FAILED)
        reply.rv = CKR_ENCRYPTED_DATA_INVALID;
    return reply;
}

/* The result of a stream request into *out: its Data (none is empty)
 * and, ending an encryption, the tag of tag_len bytes after it. */
static CK_RV stream_output(const kmip_crypto_result *result, size_t tag_len,
                           uint8_t **out, size_t *out_len)
{
    if (result->tag.len != tag_len || (tag_len > 0 && result->tag.data == NULL))
        return CKR_DEVICE_ERROR;
    *out_len = result->data.len + tag_len;
    *out = malloc(*out_len ? *out_len : 1);
    if (*out == NULL)
        return CKR_HOST_MEMORY;
    if (result->data.len > 0)
        memcpy(*out, result->data.data, result->data.len);
    if (tag_len > 0)
        memcpy(*out + result->data.len, result->tag.data, tag_len);
    return CKR_OK;
}

/* The arguments of a stream request (pointing into p, correlation and
 * in). */
static void stream_args(const p11_object *key, const p11_kmip_params *p,
                        const p11_bytes *correlation, bool final, bool encrypt,
                        const uint8_t *in, size_t len, kmip_crypto_args *args)
{
    request_args(key, p, args);
    if (correlation->len == 0) {
        args->init_indicator = KMIP_BOOL(true);
    } else {
        args->iv = (kmip_bytes){0};
        args->aad = (kmip_bytes){0};
        args->correlation_value =
            (kmip_bytes){correlation->data, correlation->len};
    }
    if (final)
        args->final_indicator = KMIP_BOOL(true);
    if (final && !encrypt)
        args->tag = (kmip_bytes){in, len};
    else if (!final)
        args->data = input_field(in, len);
}

p11_reply p11_kmip_stream(p11_session *session, const p11_object *key,
                          const p11_kmip_params *p, bool encrypt,
                          p11_bytes *correlation, bool final, const uint8_t *in,
                          size_t len, uint8_t **out, size_t *out_len)
{
    uint32_t operation =
        encrypt ? KMIP_OPERATION_ENCRYPT : KMIP_OPERATION_DECRYPT;
    kmip_crypto_args args;
    stream_args(key, p, correlation, final, encrypt, in, len, &args);
    kmip_response *resp = NULL;
    kmip_crypto_result result;
    bool init = correlation->len == 0;
    p11_reply reply = crypto_call(session, operation, &args, &resp, &result);
    if (reply.rv == CKR_OK && init && result.correlation_value.len == 0)
        reply = (p11_reply){CKR_MECHANISM_INVALID, P11_ANSWER_UNSUPPORTED, 0};
    if (reply.rv == CKR_OK && init)
        reply.rv = p11_bytes_append(correlation, result.correlation_value.data,
                                    result.correlation_value.len);
    size_t tag_len = final && encrypt ? (size_t)p->tag_length : 0;
    if (reply.rv == CKR_OK)
        reply.rv = stream_output(&result, tag_len, out, out_len);
    if (reply.answer == P11_ANSWER_CRYPTO_FAILED && !encrypt)
        reply.rv = CKR_ENCRYPTED_DATA_INVALID;
    kmip_response_free(resp);
    return reply;
}
