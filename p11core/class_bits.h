/* SPDX-License-Identifier: Apache-2.0 */
/* Object classes as bits: the classes column of the attribute table
 * (attrmap.c) and of the template rules (template_rules.c). The short
 * names keep those tables readable; only table files include this. */
#ifndef P11CORE_CLASS_BITS_H
#define P11CORE_CLASS_BITS_H

#include <p11-kit/pkcs11.h>

enum {
    DATA = 1 << 0,
    CERT = 1 << 1,
    PUB = 1 << 2,
    PRIV = 1 << 3,
    SECRET = 1 << 4,
    KEYS = PUB | PRIV | SECRET,
    ASYM = PUB | PRIV,
    ALL = DATA | CERT | KEYS,
};

/* The bit of a CKO_* class (attrmap.c); 0 for a class the module does not
 * show. */
unsigned p11_class_bit(CK_OBJECT_CLASS object_class);

#endif
