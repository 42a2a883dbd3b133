/* SPDX-License-Identifier: Apache-2.0 */
/* Key and certificate values of a C_CreateObject template, as the KMIP
 * object to Register. */
#ifndef P11CORE_KEY_IMPORT_H
#define P11CORE_KEY_IMPORT_H

#include "p11core_internal.h"

#include "kmip/payloads.h"

/* The KMIP encoding of a new object's value. */
typedef struct p11_import {
    kmip_object object; /* value points at der */
    uint8_t *der;       /* owned; wiped when freed */
    size_t der_len;
    /* A private key's public half, SubjectPublicKeyInfo DER (owned), or
     * NULL: kept with the private key (P11_PUBLIC_KEY_ATTRIBUTE). */
    uint8_t *public_der;
    size_t public_der_len;
} p11_import;

/* Builds the value of a new object of object_class and subtype (CKK_* or
 * CKC_X_509) from templ: CKR_TEMPLATE_INCOMPLETE when a required value is
 * missing, CKR_ATTRIBUTE_VALUE_INVALID when the values do not make a key
 * or certificate. Clear with p11_import_clear. */
CK_RV p11_import_build(const CK_ATTRIBUTE *templ, CK_ULONG count,
                       CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                       p11_import *out);
void p11_import_clear(p11_import *import);

#endif
