/* SPDX-License-Identifier: Apache-2.0 */
/* KMIP streaming (1.3+) of Encrypt and Decrypt with symmetric keys: an
 * Init Indicator opens a stream whose Correlation Value (streams.h) the
 * next requests of the same client, key and operation send, the last with
 * a Final Indicator. Each request answers the output its input gives. */
#ifndef KMIPD_OPS_STREAM_H
#define KMIPD_OPS_STREAM_H

#include <stdbool.h>

#include "kmip/payloads.h"

#include "kmipd/crypto.h"
#include "kmipd/dispatch.h"
#include "kmipd/streams.h"

/* What a request asks of streaming. */
typedef enum kmipd_stream_step {
    KMIPD_STREAM_NONE, /* a single-part request */
    KMIPD_STREAM_OPEN, /* Init Indicator without Final */
    KMIPD_STREAM_NEXT, /* Correlation Value without Final */
    KMIPD_STREAM_LAST, /* Correlation Value with Final */
} kmipd_stream_step;

/* The step of args; fails call for a Final Indicator without a stream or
 * an Init Indicator with a Correlation Value. */
bool kmipd_stream_step_of(kmipd_call *call, const kmip_crypto_args *args,
                          kmipd_stream_step *step);

/* One request of a stream (step is not NONE) on obj's material with
 * params (resolved, used when opening): out gets the output (and the
 * generated IV when opening, the GCM tag at the end), id the stream's
 * Correlation Value (*id_len 0 once it ended). A failure ends the
 * stream. */
bool kmipd_stream_serve(kmipd_call *call, const kmipd_object *obj,
                        const kmipd_crypto_params *params,
                        const kmip_crypto_args *args, bool encrypt,
                        kmipd_stream_step step, kmipd_cipher_output *out,
                        uint8_t id[KMIPD_STREAM_ID_LEN], size_t *id_len);

#endif
