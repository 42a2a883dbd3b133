/* SPDX-License-Identifier: Apache-2.0 */
/* Reading attribute templates given by the application. */
#include "p11core_internal.h"

#include <string.h>

const CK_ATTRIBUTE *p11_template_find(const CK_ATTRIBUTE *templ, CK_ULONG count,
                                      CK_ATTRIBUTE_TYPE type)
{
    for (CK_ULONG i = 0; i < count; i++)
        if (templ[i].type == type)
            return &templ[i];
    return NULL;
}

CK_RV p11_template_bool(const CK_ATTRIBUTE *templ, CK_ULONG count,
                        CK_ATTRIBUTE_TYPE type, CK_BBOOL *out)
{
    const CK_ATTRIBUTE *attr = p11_template_find(templ, count, type);

    if (attr == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    if (attr->pValue == NULL || attr->ulValueLen != sizeof(CK_BBOOL))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    *out = *(const CK_BBOOL *)attr->pValue ? CK_TRUE : CK_FALSE;
    return CKR_OK;
}

CK_RV p11_template_ulong(const CK_ATTRIBUTE *templ, CK_ULONG count,
                         CK_ATTRIBUTE_TYPE type, CK_ULONG *out)
{
    const CK_ATTRIBUTE *attr = p11_template_find(templ, count, type);

    if (attr == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    if (attr->pValue == NULL || attr->ulValueLen != sizeof(CK_ULONG))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    memcpy(out, attr->pValue, sizeof(CK_ULONG));
    return CKR_OK;
}
