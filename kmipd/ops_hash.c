/* SPDX-License-Identifier: Apache-2.0 */
/* Hash: the digest of Data with the Hashing Algorithm of the request's
 * Cryptographic Parameters, in one request (no streaming). */
#include "kmip/tags.h"

#include "kmipd/ops_crypto.h"
#include "kmipd/ops_crypto_common.h"

bool kmipd_op_hash(kmipd_call *call)
{
    const kmip_item *params =
        kmip_item_find(call->request, KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS);
    const uint8_t *data = NULL;
    size_t len = 0;
    uint32_t algorithm = 0;
    kmip_status st;
    if (kmip_item_find(call->request, KMIP_TAG_CORRELATION_VALUE) != NULL ||
        kmip_item_find(call->request, KMIP_TAG_INIT_INDICATOR) != NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "kmipd does not serve multi-part operations");
    if (kmip_get_enum(params, KMIP_TAG_HASHING_ALGORITHM, &algorithm, &st) !=
        KMIP_OK)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                          "Hash needs a Hashing Algorithm");
    if (kmip_get_bytes(call->request, KMIP_TAG_DATA, &data, &len, &st) !=
        KMIP_OK)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA, "no Data");
    kmipd_buf digest = {0};
    if (kmipd_hash(algorithm, data, len, &digest, &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    bool ok = kmip_add_bytes(call->response, KMIP_TAG_DATA, digest.data,
                             digest.len) != NULL ||
              kmipd_fail_nomem(call);
    kmipd_buf_clear(&digest);
    return ok;
}
