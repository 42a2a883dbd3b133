/* SPDX-License-Identifier: Apache-2.0 */
#include "p11core_internal.h"

#include <string.h>

void p11_pad_copy(CK_UTF8CHAR *field, size_t len, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;

    if (n > len)
        n = len;
    memset(field, ' ', len);
    if (n > 0)
        memcpy(field, src, n);
}

CK_RV p11_output_check(const void *out, CK_ULONG_PTR out_len, size_t needed,
                       bool *done)
{
    *done = true;
    if (out_len == NULL)
        return CKR_ARGUMENTS_BAD;
    if (out == NULL) {
        *out_len = needed;
        return CKR_OK;
    }
    if (*out_len < needed) {
        *out_len = needed;
        return CKR_BUFFER_TOO_SMALL;
    }
    *done = false;
    return CKR_OK;
}
