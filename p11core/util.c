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
