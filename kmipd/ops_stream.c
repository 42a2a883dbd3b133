// SPDX-License-Identifier: Apache-2.0
/* Streaming Encrypt and Decrypt (ops_stream.h) over the table of
 * streams.h. A stream is taken out of the table while one request runs
 * on it and put back unless the request was its last or failed. */
#include "kmipd/ops_stream.h"

#include <string.h>

#include "kmip/tags.h"

#include "kmipd/ops_crypto_common.h"
#include "kmipd/server.h"

static bool flag(kmip_opt_bool b)
{
    return b.present && b.value;
}

bool kmipd_stream_step_of(kmipd_call *call, const kmip_crypto_args *args,
                          kmipd_stream_step *step)
{
    bool init = flag(args->init_indicator);
    bool final = flag(args->final_indicator);
    if (args->correlation_value.data != NULL) {
        *step = final ? KMIPD_STREAM_LAST : KMIPD_STREAM_NEXT;
        return !init || kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                                   "an Init Indicator with a Correlation "
                                   "Value: a stream is opened once");
    }
    *step = init && !final ? KMIPD_STREAM_OPEN : KMIPD_STREAM_NONE;
    if (final && !init)
        return kmipd_fail_mapped(call,
                                 KMIP_RESULT_REASON_INVALID_CORRELATION_VALUE,
                                 "a Final Indicator without a Correlation "
                                 "Value: no stream was opened with Init");
    return true;
}

/* Fails call for what the table said of a Correlation Value. */
static bool stream_refused(kmipd_call *call, kmipd_stream_rc rc)
{
    static const struct {
        kmipd_stream_rc rc;
        uint32_t reason;
        const char *message;
    } refusals[] = {
        {KMIPD_STREAM_UNKNOWN, KMIP_RESULT_REASON_INVALID_CORRELATION_VALUE,
         "unknown Correlation Value (never opened, ended or expired)"},
        {KMIPD_STREAM_FOREIGN, KMIP_RESULT_REASON_PERMISSION_DENIED,
         "the Correlation Value is another client's stream"},
        {KMIPD_STREAM_MISMATCH, KMIP_RESULT_REASON_INVALID_CORRELATION_VALUE,
         "the Correlation Value is a stream of another key or operation"},
        {KMIPD_STREAM_FULL, KMIP_RESULT_REASON_SERVER_LIMIT_EXCEEDED,
         "too many open streams (max_streams_per_client)"},
    };
    for (size_t i = 0; i < sizeof(refusals) / sizeof(*refusals); i++) {
        if (refusals[i].rc == rc)
            return kmipd_fail_mapped(call, refusals[i].reason, "%s",
                                     refusals[i].message);
    }
    return kmipd_fail_nomem(call);
}

static bool cipher_done(kmipd_call *call, kmip_rc rc, const kmip_status *st)
{
    return rc == KMIP_OK || kmipd_crypto_call_fail(call, st);
}

/* Opens a stream and ciphers the request's first data. */
static bool stream_open(kmipd_call *call, const kmipd_object *obj,
                        const kmipd_crypto_params *params,
                        const kmip_crypto_args *args,
                        const kmipd_stream_key *key, kmipd_cipher_output *out,
                        uint8_t *id)
{
    kmipd_cipher_input input = {args->iv.data, args->iv.len, args->aad.data,
                                args->aad.len, NULL,         0};
    kmipd_cipher_stream *s = NULL;
    kmip_status st;
    bool encrypt = key->operation == KMIP_OPERATION_ENCRYPT;
    bool ok =
        cipher_done(call,
                    kmipd_cipher_stream_start(obj->material, obj->material_len,
                                              params, &input, encrypt, &s,
                                              &out->iv, &st),
                    &st) &&
        cipher_done(call,
                    kmipd_cipher_stream_update(s, args->data.data,
                                               args->data.len, &out->data, &st),
                    &st);
    kmipd_stream_rc rc =
        ok ? kmipd_streams_open(call->server->streams, key, s, id)
           : KMIPD_STREAM_OK;
    if (ok && rc == KMIPD_STREAM_OK)
        return true;
    kmipd_cipher_stream_free(s);
    return ok ? stream_refused(call, rc) : false;
}

/* Ciphers the request's data on a stream taken from the table; the last
 * request ends it, another puts it back. */
static bool stream_continue(kmipd_call *call, const kmip_crypto_args *args,
                            const kmipd_stream_key *key, bool last,
                            kmipd_cipher_output *out)
{
    kmipd_cipher_stream *s = NULL;
    kmipd_stream_rc rc = kmipd_streams_take(call->server->streams, key,
                                            args->correlation_value.data,
                                            args->correlation_value.len, &s);
    if (rc != KMIPD_STREAM_OK)
        return stream_refused(call, rc);
    kmip_status st;
    kmip_rc crc =
        last ? kmipd_cipher_stream_finish(s, args->data.data, args->data.len,
                                          args->tag.data, args->tag.len, out,
                                          &st)
             : kmipd_cipher_stream_update(s, args->data.data, args->data.len,
                                          &out->data, &st);
    if (crc != KMIP_OK || last) {
        kmipd_cipher_stream_free(s);
        return cipher_done(call, crc, &st);
    }
    uint8_t id[KMIPD_STREAM_ID_LEN];
    memcpy(id, args->correlation_value.data, sizeof(id));
    return kmipd_streams_put(call->server->streams, key, id, s) ||
           kmipd_fail_nomem(call);
}

bool kmipd_stream_serve(kmipd_call *call, const kmipd_object *obj,
                        const kmipd_crypto_params *params,
                        const kmip_crypto_args *args, bool encrypt,
                        kmipd_stream_step step, kmipd_cipher_output *out,
                        uint8_t id[KMIPD_STREAM_ID_LEN], size_t *id_len)
{
    kmipd_stream_key key = {call->owner != NULL ? call->owner : "", obj->uid,
                            encrypt ? KMIP_OPERATION_ENCRYPT
                                    : KMIP_OPERATION_DECRYPT};
    *id_len = 0;
    if (call->server == NULL || call->server->streams == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "this kmipd serves no streams");
    if (obj->object_type != KMIP_OBJECT_TYPE_SYMMETRIC_KEY)
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "kmipd streams symmetric ciphers only");
    bool ok =
        step == KMIPD_STREAM_OPEN
            ? stream_open(call, obj, params, args, &key, out, id)
            : stream_continue(call, args, &key, step == KMIPD_STREAM_LAST, out);
    if (ok && step == KMIPD_STREAM_NEXT)
        memcpy(id, args->correlation_value.data, KMIPD_STREAM_ID_LEN);
    *id_len = ok && step != KMIPD_STREAM_LAST ? KMIPD_STREAM_ID_LEN : 0;
    return ok;
}
