/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the decoder must never crash; whatever it accepts
 * must re-encode to exactly the input (it is strict, so there is one
 * encoding per tree), and its header must frame exactly the input. Tight
 * limits may only turn an accepted input into an error, never the reverse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmip/ttlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const kmip_item *item, const uint8_t *data,
                             size_t size)
{
    uint8_t *encoded = NULL;
    size_t encoded_len = 0;
    if (kmip_ttlv_encode_alloc(item, &encoded, &encoded_len, NULL) != KMIP_OK ||
        encoded_len != size || memcmp(encoded, data, size) != 0)
        abort();
    free(encoded);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const kmip_decode_limits tight = {.max_depth = 3, .max_items = 12};
    kmip_item *item = NULL;
    kmip_item *tight_item = NULL;
    kmip_rc rc = kmip_ttlv_decode(data, size, NULL, &item, NULL);
    kmip_rc tight_rc = kmip_ttlv_decode(data, size, &tight, &tight_item, NULL);
    if (tight_rc == KMIP_OK && rc != KMIP_OK)
        abort();
    size_t frame_len = 0;
    kmip_rc frame_rc =
        kmip_ttlv_frame_length(data, size, SIZE_MAX, &frame_len, NULL);
    if (rc == KMIP_OK && (frame_rc != KMIP_OK || frame_len != size))
        abort();
    if (rc == KMIP_OK)
        check_round_trip(item, data, size);
    if (tight_rc == KMIP_OK)
        check_round_trip(tight_item, data, size);
    kmip_item_free(item);
    kmip_item_free(tight_item);
    return 0;
}
