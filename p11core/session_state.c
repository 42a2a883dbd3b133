// SPDX-License-Identifier: Apache-2.0
/* What a session carries between calls: the input its operations keep
 * and their end, and its search. Below the session table, which frees
 * them with the session. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

CK_RV p11_bytes_append(p11_bytes *bytes, const uint8_t *data, size_t len)
{
    if (len > P11_BYTES_MAX - bytes->len)
        return CKR_DATA_LEN_RANGE;
    if (bytes->len + len > bytes->cap) {
        size_t cap = bytes->cap ? bytes->cap : 256;
        while (cap < bytes->len + len)
            cap *= 2;
        /* Not realloc: the old buffer may hold secrets and is wiped. */
        uint8_t *grown = malloc(cap);
        if (grown == NULL)
            return CKR_HOST_MEMORY;
        if (bytes->len > 0)
            memcpy(grown, bytes->data, bytes->len);
        kmip_buffer_free(bytes->data, bytes->cap);
        bytes->data = grown;
        bytes->cap = cap;
    }
    if (len > 0)
        memcpy(bytes->data + bytes->len, data, len);
    bytes->len += len;
    return CKR_OK;
}

void p11_bytes_clear(p11_bytes *bytes)
{
    kmip_buffer_free(bytes->data, bytes->cap);
    memset(bytes, 0, sizeof(*bytes));
}

void p11_operation_end(p11_operation *op)
{
    if (!op->active)
        return;
    if (op->free_ctx != NULL)
        op->free_ctx(op->ctx);
    p11_bytes_clear(&op->input);
    p11_bytes_clear(&op->stream);
    memset(op, 0, sizeof(*op));
}

void p11_find_free(struct p11_find *find)
{
    if (find == NULL)
        return;
    free(find->handles);
    free(find);
}
