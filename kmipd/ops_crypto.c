/* SPDX-License-Identifier: Apache-2.0 */
/* The cryptographic operations: Encrypt, Decrypt, Sign, Signature Verify,
 * MAC, MAC Verify and RNG Retrieve. Each loads the key for its owner,
 * checks its type, state (Active) and Cryptographic Usage Mask, then
 * calls kmipd/crypto.h; Encrypt and Decrypt may also stream
 * (ops_stream.h). */
#include <time.h>

#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "kmipd/ops_crypto.h"
#include "kmipd/ops_crypto_common.h"
#include "kmipd/ops_stream.h"
#include "kmipd/ops_use.h"

/* A request of one of the operations here, and the key it names. */
typedef struct key_request {
    kmip_crypto_args args;
    kmipd_object_use *use;
    const kmipd_object *obj; /* use's */
    kmipd_crypto_params params;
} key_request;

static void key_request_clear(key_request *req)
{
    kmipd_object_use_end(req->use);
    req->use = NULL;
    req->obj = NULL;
}

/* Encrypt and Decrypt stream (ops_stream.h); the other operations here
 * are served in one request: no Correlation Value, and an Init Indicator
 * only together with a Final Indicator. */
static bool single_part(kmipd_call *call, uint32_t operation,
                        const kmip_crypto_args *args)
{
    if (operation == KMIP_OPERATION_ENCRYPT ||
        operation == KMIP_OPERATION_DECRYPT)
        return true;
    bool init = args->init_indicator.present && args->init_indicator.value;
    bool final = args->final_indicator.present && args->final_indicator.value;
    if (args->correlation_value.data != NULL || (init && !final) ||
        (args->final_indicator.present && !final))
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "kmipd streams Encrypt and Decrypt only");
    return true;
}

/* Whether an operation applies cryptographic protection (Sign, Encrypt,
 * MAC) or processes protected data (Signature Verify, Decrypt, MAC
 * Verify): the former stops at the Protect Stop Date, the latter waits for
 * the Process Start Date. */
enum key_use { PROTECT, PROCESS };

static bool within_dates(kmipd_call *call, const kmipd_object *obj,
                         enum key_use use)
{
    int64_t date, now = time(NULL);
    if (use == PROTECT &&
        kmip_get_datetime(obj->attrs, KMIP_TAG_PROTECT_STOP_DATE, &date,
                          NULL) == KMIP_OK &&
        now >= date)
        return kmipd_fail_mapped(call,
                                 KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
                                 "%s is past its Protect Stop Date", obj->uid);
    if (use == PROCESS &&
        kmip_get_datetime(obj->attrs, KMIP_TAG_PROCESS_START_DATE, &date,
                          NULL) == KMIP_OK &&
        now < date)
        return kmipd_fail_mapped(
            call, KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
            "%s is before its Process Start Date", obj->uid);
    return true;
}

static bool type_allowed(uint32_t type, const uint32_t *allowed)
{
    for (; *allowed != 0; allowed++) {
        if (*allowed == type)
            return true;
    }
    return false;
}

/* Parses the request of operation (parse_as: its payload table) and loads
 * the key, which must be of one of the types (0-terminated), Active,
 * within its dates for use, and allow usage. */
static bool load_key(kmipd_call *call, uint32_t parse_as, const uint32_t *types,
                     enum key_use use, uint32_t usage, key_request *req)
{
    kmip_status st;
    req->use = NULL;
    req->obj = NULL;
    if (kmip_crypto_request_parse(parse_as, call->request, &req->args, &st) !=
        KMIP_OK)
        return kmipd_fail_status(call, &st);
    if (!single_part(call, parse_as, &req->args) ||
        !kmipd_call_use(call, &req->use))
        return false;
    req->obj = kmipd_object_use_get(req->use);
    bool ok;
    if (!type_allowed(req->obj->object_type, types))
        ok = kmipd_fail_mapped(call, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                               "object %s cannot be used for this operation",
                               req->obj->uid);
    else
        ok = kmipd_call_require_active(call, req->obj) &&
             within_dates(call, req->obj, use) &&
             kmipd_call_require_usage(call, req->obj, usage) &&
             kmipd_call_crypto_params(call, req->obj, &req->args.params,
                                      &req->params);
    if (!ok)
        key_request_clear(req);
    return ok;
}

static bool load_pkey(kmipd_call *call, const kmipd_object *obj,
                      EVP_PKEY **pkey)
{
    kmip_status st;
    if (kmipd_key_load(obj->object_type, obj->material, obj->material_len, pkey,
                       &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    return true;
}

static uint32_t key_algorithm(const kmipd_object *obj)
{
    uint32_t algorithm = 0;
    if (kmip_attrs_get_algorithm(obj->attrs, &algorithm, NULL) != KMIP_OK)
        return 0;
    return algorithm;
}

static bool answer(kmipd_call *call, uint32_t operation,
                   const kmip_crypto_result *result)
{
    return kmipd_call_answer(
        call, kmip_crypto_response_build(operation, call->version, result));
}

static bool answer_validity(kmipd_call *call, const char *uid, bool valid)
{
    kmip_crypto_result result = {.uid = uid,
                                 .validity_indicator =
                                     valid ? KMIP_VALIDITY_INDICATOR_VALID
                                           : KMIP_VALIDITY_INDICATOR_INVALID};
    return answer(call, KMIP_OPERATION_SIGNATURE_VERIFY, &result);
}

static kmip_bytes as_bytes(const kmipd_buf *buf)
{
    return (kmip_bytes){buf->data, buf->len};
}

/* ---- Sign, Signature Verify. ---- */

/* The signed value: Data or Digested Data, exactly one. */
static bool signed_value(kmipd_call *call, const kmip_crypto_args *args,
                         kmip_bytes *value, bool *digested)
{
    *digested = args->digested_data.data != NULL;
    if (*digested == (args->data.data != NULL))
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "give either Data or Digested Data");
    *value = *digested ? args->digested_data : args->data;
    return true;
}

bool kmipd_op_sign(kmipd_call *call)
{
    static const uint32_t types[] = {KMIP_OBJECT_TYPE_PRIVATE_KEY, 0};
    key_request req;
    kmip_bytes value = {0};
    bool digested;
    EVP_PKEY *pkey = NULL;
    if (!load_key(call, KMIP_OPERATION_SIGN, types, PROTECT,
                  KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN, &req))
        return false;
    kmipd_buf signature = {0};
    kmip_status st;
    bool ok = signed_value(call, &req.args, &value, &digested) &&
              load_pkey(call, req.obj, &pkey);
    if (ok && kmipd_sign(pkey, &req.params, value.data, value.len, digested,
                         &signature, &st) != KMIP_OK)
        ok = kmipd_crypto_call_fail(call, &st);
    ok = ok && kmipd_use_consume(call, req.obj, value.len);
    if (ok) {
        kmip_crypto_result result = {.uid = req.obj->uid,
                                     .signature_data = as_bytes(&signature)};
        ok = answer(call, KMIP_OPERATION_SIGN, &result);
    }
    kmipd_buf_clear(&signature);
    EVP_PKEY_free(pkey);
    key_request_clear(&req);
    return ok;
}

bool kmipd_op_signature_verify(kmipd_call *call)
{
    static const uint32_t types[] = {KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                     KMIP_OBJECT_TYPE_PRIVATE_KEY, 0};
    key_request req;
    kmip_bytes value = {0};
    bool digested, valid = false;
    EVP_PKEY *pkey = NULL;
    if (!load_key(call, KMIP_OPERATION_SIGNATURE_VERIFY, types, PROCESS,
                  KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &req))
        return false;
    kmip_status st;
    bool ok = signed_value(call, &req.args, &value, &digested);
    if (ok && req.args.signature_data.data == NULL)
        ok = kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                        "no Signature Data");
    ok = ok && load_pkey(call, req.obj, &pkey);
    if (ok && kmipd_verify(pkey, &req.params, value.data, value.len, digested,
                           req.args.signature_data.data,
                           req.args.signature_data.len, &valid, &st) != KMIP_OK)
        ok = kmipd_crypto_call_fail(call, &st);
    ok = ok && answer_validity(call, req.obj->uid, valid);
    EVP_PKEY_free(pkey);
    key_request_clear(&req);
    return ok;
}

/* ---- Encrypt, Decrypt. ---- */

static bool require_data(kmipd_call *call, const kmip_crypto_args *args)
{
    if (args->data.data == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA, "no Data");
    return true;
}

/* The block cipher of a symmetric key: the key's algorithm, which the
 * request may repeat but not contradict. */
static bool cipher_params(kmipd_call *call, const key_request *req,
                          kmipd_crypto_params *params)
{
    uint32_t algorithm = key_algorithm(req->obj);
    *params = req->params;
    if (algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_AES &&
        algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES)
        return kmipd_fail_mapped(
            call, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "kmipd encrypts with AES and Triple DES keys only");
    if (params->cryptographic_algorithm != 0 &&
        params->cryptographic_algorithm != algorithm)
        return kmipd_fail_mapped(
            call, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
            "Cryptographic Algorithm does not fit the key");
    params->cryptographic_algorithm = algorithm;
    return true;
}

/* A block cipher with a symmetric key, RSA with the key pair's other
 * half. */
static bool run_cipher(kmipd_call *call, const key_request *req, bool encrypt,
                       kmipd_cipher_output *out)
{
    kmip_status st;
    kmip_rc rc;
    const kmip_crypto_args *args = &req->args;
    if (req->obj->object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY) {
        kmipd_crypto_params params;
        if (!cipher_params(call, req, &params))
            return false;
        kmipd_cipher_input input = {args->iv.data,  args->iv.len,
                                    args->aad.data, args->aad.len,
                                    args->tag.data, args->tag.len};
        rc = (encrypt ? kmipd_aes_encrypt : kmipd_aes_decrypt)(
            req->obj->material, req->obj->material_len, &params, &input,
            args->data.data, args->data.len, out, &st);
    } else {
        EVP_PKEY *pkey = NULL;
        if (!load_pkey(call, req->obj, &pkey))
            return false;
        rc = (encrypt ? kmipd_rsa_encrypt
                      : kmipd_rsa_decrypt)(pkey, &req->params, args->data.data,
                                           args->data.len, &out->data, &st);
        EVP_PKEY_free(pkey);
    }
    return rc == KMIP_OK || kmipd_crypto_call_fail(call, &st);
}

/* What Encrypt and Decrypt answer: the output, and the Correlation Value
 * of a stream that goes on. */
typedef struct cipher_answer {
    kmipd_cipher_output out;
    uint8_t id[KMIPD_STREAM_ID_LEN];
    size_t id_len;
    bool streamed;
} cipher_answer;

/* A single-part request, or one of a stream. */
static bool cipher_request(kmipd_call *call, const key_request *req,
                           bool encrypt, cipher_answer *a)
{
    kmipd_stream_step step;
    if (!kmipd_stream_step_of(call, &req->args, &step))
        return false;
    if (step == KMIPD_STREAM_NONE)
        return require_data(call, &req->args) &&
               run_cipher(call, req, encrypt, &a->out);
    kmipd_crypto_params params = {0};
    a->streamed = true;
    return (req->obj->object_type != KMIP_OBJECT_TYPE_SYMMETRIC_KEY ||
            step != KMIPD_STREAM_OPEN || cipher_params(call, req, &params)) &&
           kmipd_stream_serve(call, req->obj, &params, &req->args, encrypt,
                              step, &a->out, a->id, &a->id_len);
}

static bool answer_cipher(kmipd_call *call, uint32_t operation, const char *uid,
                          const cipher_answer *a)
{
    kmip_crypto_result result = {
        .uid = uid,
        .data = a->streamed && a->out.data.len == 0 ? (kmip_bytes){0}
                                                    : as_bytes(&a->out.data),
        .iv = as_bytes(&a->out.iv),
        .tag = as_bytes(&a->out.tag),
        .correlation_value = {a->id_len > 0 ? a->id : NULL, a->id_len}};
    return answer(call, operation, &result);
}

bool kmipd_op_encrypt(kmipd_call *call)
{
    static const uint32_t types[] = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                                     KMIP_OBJECT_TYPE_PUBLIC_KEY, 0};
    key_request req;
    if (!load_key(call, KMIP_OPERATION_ENCRYPT, types, PROTECT,
                  KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT, &req))
        return false;
    cipher_answer a = {0};
    bool ok = cipher_request(call, &req, true, &a) &&
              kmipd_use_consume(call, req.obj, req.args.data.len) &&
              answer_cipher(call, KMIP_OPERATION_ENCRYPT, req.obj->uid, &a);
    kmipd_cipher_output_clear(&a.out);
    key_request_clear(&req);
    return ok;
}

bool kmipd_op_decrypt(kmipd_call *call)
{
    static const uint32_t types[] = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                                     KMIP_OBJECT_TYPE_PRIVATE_KEY, 0};
    key_request req;
    if (!load_key(call, KMIP_OPERATION_DECRYPT, types, PROCESS,
                  KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT, &req))
        return false;
    cipher_answer a = {0};
    bool ok = cipher_request(call, &req, false, &a) &&
              answer_cipher(call, KMIP_OPERATION_DECRYPT, req.obj->uid, &a);
    kmipd_cipher_output_clear(&a.out);
    key_request_clear(&req);
    return ok;
}

/* ---- MAC, MAC Verify. ---- */

bool kmipd_op_mac(kmipd_call *call)
{
    static const uint32_t types[] = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, 0};
    key_request req;
    if (!load_key(call, KMIP_OPERATION_MAC, types, PROTECT,
                  KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE, &req))
        return false;
    kmipd_buf mac = {0};
    kmip_status st;
    bool ok = require_data(call, &req.args);
    if (ok && kmipd_mac(req.obj->material, req.obj->material_len,
                        key_algorithm(req.obj), &req.params, req.args.data.data,
                        req.args.data.len, &mac, &st) != KMIP_OK)
        ok = kmipd_crypto_call_fail(call, &st);
    ok = ok && kmipd_use_consume(call, req.obj, req.args.data.len);
    if (ok) {
        kmip_crypto_result result = {.uid = req.obj->uid,
                                     .mac_data = as_bytes(&mac)};
        ok = answer(call, KMIP_OPERATION_MAC, &result);
    }
    kmipd_buf_clear(&mac);
    key_request_clear(&req);
    return ok;
}

/* MAC Verify's payload is MAC's plus MAC Data. */
bool kmipd_op_mac_verify(kmipd_call *call)
{
    static const uint32_t types[] = {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, 0};
    key_request req;
    if (!load_key(call, KMIP_OPERATION_MAC, types, PROCESS,
                  KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY, &req))
        return false;
    const uint8_t *mac = NULL;
    size_t mac_len = 0;
    bool valid = false;
    kmip_status st;
    bool ok = require_data(call, &req.args);
    if (ok && kmip_get_bytes(call->request, KMIP_TAG_MAC_DATA, &mac, &mac_len,
                             &st) != KMIP_OK)
        ok = kmipd_fail_status(call, &st);
    if (ok && kmipd_mac_verify(req.obj->material, req.obj->material_len,
                               key_algorithm(req.obj), &req.params,
                               req.args.data.data, req.args.data.len, mac,
                               mac_len, &valid, &st) != KMIP_OK)
        ok = kmipd_crypto_call_fail(call, &st);
    ok = ok && answer_validity(call, req.obj->uid, valid);
    key_request_clear(&req);
    return ok;
}

/* ---- RNG Retrieve. ---- */

bool kmipd_op_rng_retrieve(kmipd_call *call)
{
    kmip_crypto_args args;
    kmip_status st;
    if (kmip_crypto_request_parse(KMIP_OPERATION_RNG_RETRIEVE, call->request,
                                  &args, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    kmipd_buf random = {0};
    if (kmipd_random(args.data_length.value, &random, &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    kmip_crypto_result result = {.data = as_bytes(&random)};
    bool ok = answer(call, KMIP_OPERATION_RNG_RETRIEVE, &result);
    kmipd_buf_clear(&random);
    return ok;
}
