/* SPDX-License-Identifier: Apache-2.0 */
#include "ttlv_internal.h"

/* Length of the sequence a lead byte starts, with the range its second
 * byte must fall in (RFC 3629's table: no overlong forms, no surrogates,
 * nothing past U+10FFFF). Zero length for a byte that cannot lead. */
static size_t sequence_length(uint8_t lead, uint8_t *second_min,
                              uint8_t *second_max)
{
    *second_min = 0x80;
    *second_max = 0xBF;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (lead == 0xE0)
            *second_min = 0xA0;
        else if (lead == 0xED)
            *second_max = 0x9F;
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (lead == 0xF0)
            *second_min = 0x90;
        else if (lead == 0xF4)
            *second_max = 0x8F;
        return 4;
    }
    return 0;
}

size_t ttlv_utf8_invalid_at(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t second_min, second_max;
        size_t n = sequence_length(s[i], &second_min, &second_max);
        if (n == 0 || n > len - i)
            return i;
        for (size_t k = 1; k < n; k++) {
            uint8_t lo = k == 1 ? second_min : 0x80;
            uint8_t hi = k == 1 ? second_max : 0xBF;
            if (s[i + k] < lo || s[i + k] > hi)
                return i;
        }
        i += n;
    }
    return len;
}
