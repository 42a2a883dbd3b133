/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the decoder must never crash; whatever it accepts
 * must re-encode to exactly the input (it is strict, so there is one
 * encoding per tree), and its header must frame exactly the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmip/ttlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kmip_item *item = NULL;
    if (kmip_ttlv_decode(data, size, NULL, &item, NULL) != KMIP_OK)
        return 0;
    size_t frame_len = 0;
    if (kmip_ttlv_frame_length(data, size, SIZE_MAX, &frame_len, NULL) !=
            KMIP_OK ||
        frame_len != size)
        abort();
    uint8_t *encoded = NULL;
    size_t encoded_len = 0;
    if (kmip_ttlv_encode_alloc(item, &encoded, &encoded_len, NULL) != KMIP_OK ||
        encoded_len != size || memcmp(encoded, data, size) != 0)
        abort();
    free(encoded);
    kmip_item_free(item);
    return 0;
}
