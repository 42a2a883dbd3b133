/* SPDX-License-Identifier: Apache-2.0 */
/* Encrypt, Decrypt, Sign, Signature Verify, MAC and RNG Retrieve
 * payloads: one argument struct, one result struct, a field table each. */
#include <string.h>

#include "crypto_params.h"
#include "payload_fields.h"

#define ARG(member, tag, kind)                                                 \
    KMIP_FIELD(kmip_crypto_args, member, tag, kind, false)
#define ARG_UID ARG(uid, KMIP_TAG_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT)
#define ARG_PARAMS                                                             \
    {                                                                          \
        KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS, KMIP_FIELD_NESTED, false,           \
            offsetof(kmip_crypto_args, params), &kmip_crypto_params_table      \
    }
#define ARG_DATA ARG(data, KMIP_TAG_DATA, KMIP_FIELD_BYTES)
#define ARG_DIGESTED                                                           \
    ARG(digested_data, KMIP_TAG_DIGESTED_DATA, KMIP_FIELD_BYTES)
#define ARG_STREAM                                                             \
    ARG(correlation_value, KMIP_TAG_CORRELATION_VALUE, KMIP_FIELD_BYTES),      \
        ARG(init_indicator, KMIP_TAG_INIT_INDICATOR, KMIP_FIELD_BOOL),         \
        ARG(final_indicator, KMIP_TAG_FINAL_INDICATOR, KMIP_FIELD_BOOL)
#define ARG_IV ARG(iv, KMIP_TAG_IV_COUNTER_NONCE, KMIP_FIELD_BYTES)
#define ARG_AAD                                                                \
    ARG(aad, KMIP_TAG_AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA,                \
        KMIP_FIELD_BYTES)

static const kmip_field encrypt_args[] = {ARG_UID, ARG_PARAMS, ARG_DATA,
                                          ARG_IV,  ARG_STREAM, ARG_AAD};
static const kmip_field decrypt_args[] = {
    ARG_UID,
    ARG_PARAMS,
    ARG_DATA,
    ARG_IV,
    ARG_STREAM,
    ARG_AAD,
    ARG(tag, KMIP_TAG_AUTHENTICATED_ENCRYPTION_TAG, KMIP_FIELD_BYTES)};
static const kmip_field sign_args[] = {ARG_UID, ARG_PARAMS, ARG_DATA,
                                       ARG_DIGESTED, ARG_STREAM};
static const kmip_field verify_args[] = {
    ARG_UID,
    ARG_PARAMS,
    ARG_DATA,
    ARG_DIGESTED,
    ARG(signature_data, KMIP_TAG_SIGNATURE_DATA, KMIP_FIELD_BYTES),
    ARG_STREAM};
static const kmip_field mac_args[] = {ARG_UID, ARG_PARAMS, ARG_DATA,
                                      ARG_STREAM};
static const kmip_field rng_args[] = {KMIP_FIELD(
    kmip_crypto_args, data_length, KMIP_TAG_DATA_LENGTH, KMIP_FIELD_INT, true)};

#define RES(member, tag, kind, required)                                       \
    KMIP_FIELD(kmip_crypto_result, member, tag, kind, required)
#define RES_UID RES(uid, KMIP_TAG_UNIQUE_IDENTIFIER, KMIP_FIELD_TEXT, true)
#define RES_CORRELATION                                                        \
    RES(correlation_value, KMIP_TAG_CORRELATION_VALUE, KMIP_FIELD_BYTES, false)

static const kmip_field encrypt_result[] = {
    RES_UID, RES(data, KMIP_TAG_DATA, KMIP_FIELD_BYTES, false),
    RES(iv, KMIP_TAG_IV_COUNTER_NONCE, KMIP_FIELD_BYTES, false),
    RES_CORRELATION,
    RES(tag, KMIP_TAG_AUTHENTICATED_ENCRYPTION_TAG, KMIP_FIELD_BYTES, false)};
static const kmip_field decrypt_result[] = {
    RES_UID, RES(data, KMIP_TAG_DATA, KMIP_FIELD_BYTES, false),
    RES_CORRELATION};
static const kmip_field sign_result[] = {
    RES_UID,
    RES(signature_data, KMIP_TAG_SIGNATURE_DATA, KMIP_FIELD_BYTES, false),
    RES_CORRELATION};
static const kmip_field verify_result[] = {
    RES_UID,
    RES(validity_indicator, KMIP_TAG_VALIDITY_INDICATOR, KMIP_FIELD_ENUM, true),
    RES(data, KMIP_TAG_DATA, KMIP_FIELD_BYTES, false), RES_CORRELATION};
static const kmip_field mac_result[] = {
    RES_UID, RES(mac_data, KMIP_TAG_MAC_DATA, KMIP_FIELD_BYTES, false),
    RES_CORRELATION};
static const kmip_field rng_result[] = {
    RES(data, KMIP_TAG_DATA, KMIP_FIELD_BYTES, true)};

typedef struct crypto_operation {
    uint32_t operation;
    kmip_field_table request;
    kmip_field_table response;
} crypto_operation;

static const crypto_operation operations[] = {
    {KMIP_OPERATION_ENCRYPT, KMIP_FIELD_TABLE("Encrypt request", encrypt_args),
     KMIP_FIELD_TABLE("Encrypt response", encrypt_result)},
    {KMIP_OPERATION_DECRYPT, KMIP_FIELD_TABLE("Decrypt request", decrypt_args),
     KMIP_FIELD_TABLE("Decrypt response", decrypt_result)},
    {KMIP_OPERATION_SIGN, KMIP_FIELD_TABLE("Sign request", sign_args),
     KMIP_FIELD_TABLE("Sign response", sign_result)},
    {KMIP_OPERATION_SIGNATURE_VERIFY,
     KMIP_FIELD_TABLE("Signature Verify request", verify_args),
     KMIP_FIELD_TABLE("Signature Verify response", verify_result)},
    {KMIP_OPERATION_MAC, KMIP_FIELD_TABLE("MAC request", mac_args),
     KMIP_FIELD_TABLE("MAC response", mac_result)},
    {KMIP_OPERATION_RNG_RETRIEVE,
     KMIP_FIELD_TABLE("RNG Retrieve request", rng_args),
     KMIP_FIELD_TABLE("RNG Retrieve response", rng_result)},
};

static const crypto_operation *find_operation(uint32_t operation)
{
    for (size_t i = 0; i < sizeof(operations) / sizeof(operations[0]); i++)
        if (operations[i].operation == operation)
            return &operations[i];
    return NULL;
}

/* The field tables hold no version-specific field: v is for symmetry with
 * the other builders and for future forms. */
kmip_item *kmip_crypto_request(uint32_t operation, kmip_version v,
                               const kmip_crypto_args *args)
{
    (void)v;
    const crypto_operation *op = find_operation(operation);
    if (op == NULL || args == NULL)
        return NULL;
    return kmip_fields_build_new(KMIP_TAG_REQUEST_PAYLOAD, &op->request, args);
}

kmip_item *kmip_crypto_response_build(uint32_t operation, kmip_version v,
                                      const kmip_crypto_result *result)
{
    (void)v;
    const crypto_operation *op = find_operation(operation);
    if (op == NULL || result == NULL)
        return NULL;
    return kmip_fields_build_new(KMIP_TAG_RESPONSE_PAYLOAD, &op->response,
                                 result);
}

static kmip_rc parse_with(uint32_t operation, bool request,
                          const kmip_item *payload, void *out, size_t out_size,
                          kmip_status *status)
{
    const crypto_operation *op = find_operation(operation);
    if (op == NULL || out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "operation 0x%x has no cryptographic payload",
                         (unsigned)operation);
    if (request)
        return kmip_fields_parse_payload(payload, KMIP_TAG_REQUEST_PAYLOAD,
                                         &op->request, out, out_size, status);
    return kmip_fields_parse_payload(payload, KMIP_TAG_RESPONSE_PAYLOAD,
                                     &op->response, out, out_size, status);
}

kmip_rc kmip_crypto_request_parse(uint32_t operation, const kmip_item *payload,
                                  kmip_crypto_args *out, kmip_status *status)
{
    return parse_with(operation, true, payload, out, sizeof(*out), status);
}

kmip_rc kmip_crypto_response(uint32_t operation, const kmip_item *payload,
                             kmip_crypto_result *out, kmip_status *status)
{
    return parse_with(operation, false, payload, out, sizeof(*out), status);
}

kmip_item *kmip_encrypt_request(kmip_version v, const kmip_crypto_args *args)
{
    return kmip_crypto_request(KMIP_OPERATION_ENCRYPT, v, args);
}

kmip_item *kmip_decrypt_request(kmip_version v, const kmip_crypto_args *args)
{
    return kmip_crypto_request(KMIP_OPERATION_DECRYPT, v, args);
}

kmip_item *kmip_sign_request(kmip_version v, const kmip_crypto_args *args)
{
    return kmip_crypto_request(KMIP_OPERATION_SIGN, v, args);
}

kmip_item *kmip_signature_verify_request(kmip_version v,
                                         const kmip_crypto_args *args)
{
    return kmip_crypto_request(KMIP_OPERATION_SIGNATURE_VERIFY, v, args);
}

kmip_item *kmip_mac_request(kmip_version v, const kmip_crypto_args *args)
{
    return kmip_crypto_request(KMIP_OPERATION_MAC, v, args);
}

kmip_item *kmip_rng_retrieve_request(kmip_version v, int32_t length)
{
    kmip_crypto_args args = {.data_length = KMIP_INT(length)};
    return kmip_crypto_request(KMIP_OPERATION_RNG_RETRIEVE, v, &args);
}
