/* SPDX-License-Identifier: Apache-2.0 */
/* Attribute arrays (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE): a template
 * kept packed as bytes, each attribute its type and length (8 bytes each,
 * big-endian) then its value, and read back by the PKCS#11 rules of
 * arrays. */
#include "attrmap.h"

#include <stdlib.h>
#include <string.h>

#define FIELD 8

static void put_number(uint8_t *out, CK_ULONG value)
{
    for (int i = FIELD - 1; i >= 0; i--, value >>= 8)
        out[i] = (uint8_t)(value & 0xff);
}

static CK_ULONG get_number(const uint8_t *in)
{
    CK_ULONG value = 0;
    for (int i = 0; i < FIELD; i++)
        value = value << 8 | in[i];
    return value;
}

/* Whether attr may sit in an array: not itself an array, with its
 * value. */
static bool array_member_ok(const CK_ATTRIBUTE *attr)
{
    return !(attr->type & CKF_ARRAY_ATTRIBUTE) &&
           (attr->pValue != NULL || attr->ulValueLen == 0) &&
           attr->ulValueLen < P11_BYTES_MAX;
}

CK_RV p11_attr_array_pack(const CK_ATTRIBUTE *array, size_t len, uint8_t **out,
                          size_t *out_len)
{
    size_t count = len / sizeof(CK_ATTRIBUTE), total = 0;
    if ((array == NULL && len > 0) || len % sizeof(CK_ATTRIBUTE) != 0)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    for (size_t i = 0; i < count; i++) {
        if (!array_member_ok(&array[i]))
            return CKR_ATTRIBUTE_VALUE_INVALID;
        total += 2 * FIELD + array[i].ulValueLen;
    }
    uint8_t *packed = malloc(total > 0 ? total : 1), *p = packed;
    if (packed == NULL)
        return CKR_HOST_MEMORY;
    for (size_t i = 0; i < count; i++) {
        put_number(p, array[i].type);
        put_number(p + FIELD, array[i].ulValueLen);
        if (array[i].ulValueLen > 0)
            memcpy(p + 2 * FIELD, array[i].pValue, array[i].ulValueLen);
        p += 2 * FIELD + array[i].ulValueLen;
    }
    *out = packed;
    *out_len = total;
    return CKR_OK;
}

bool p11_attr_array_next(const uint8_t **packed, size_t *left,
                         CK_ATTRIBUTE *attr)
{
    if (*left < 2 * FIELD)
        return false;
    CK_ULONG len = get_number(*packed + FIELD);
    if (len > *left - 2 * FIELD)
        return false;
    *attr =
        (CK_ATTRIBUTE){get_number(*packed), (void *)(*packed + 2 * FIELD), len};
    *packed += 2 * FIELD + len;
    *left -= 2 * FIELD + len;
    return true;
}

/* The number of attributes packed holds. */
static size_t array_count(const uint8_t *packed, size_t len)
{
    CK_ATTRIBUTE attr;
    size_t count = 0;
    while (p11_attr_array_next(&packed, &len, &attr))
        count++;
    return count;
}

/* One member into the caller's out (its pValue NULL: the length only). */
static CK_RV member_out(const CK_ATTRIBUTE *member, CK_ATTRIBUTE *out)
{
    CK_RV rv = CKR_OK;
    out->type = member->type;
    if (out->pValue != NULL && out->ulValueLen < member->ulValueLen)
        rv = CKR_BUFFER_TOO_SMALL;
    else if (out->pValue != NULL && member->ulValueLen > 0)
        memcpy(out->pValue, member->pValue, member->ulValueLen);
    out->ulValueLen =
        rv == CKR_OK ? member->ulValueLen : CK_UNAVAILABLE_INFORMATION;
    return rv;
}

CK_RV p11_attr_array_out(const uint8_t *packed, size_t len, CK_ATTRIBUTE *attr)
{
    size_t needed = array_count(packed, len) * sizeof(CK_ATTRIBUTE);
    CK_ATTRIBUTE member;
    CK_RV rv = CKR_OK;
    if (attr->pValue == NULL) {
        attr->ulValueLen = needed;
        return CKR_OK;
    }
    if (attr->ulValueLen < needed) {
        attr->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    CK_ATTRIBUTE *out = attr->pValue;
    for (size_t i = 0; p11_attr_array_next(&packed, &len, &member); i++) {
        CK_RV one = member_out(&member, &out[i]);
        if (one != CKR_OK)
            rv = one;
    }
    attr->ulValueLen = needed;
    return rv;
}
