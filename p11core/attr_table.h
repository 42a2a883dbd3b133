/* SPDX-License-Identifier: Apache-2.0 */
/* The one table of PKCS#11 attributes (attrmap.c): per attribute, object
 * class and key type, how a template may give it and how it is read back.
 * Only the attribute files include this: attrmap.c reads through it,
 * template_rules.c checks templates and makes KMIP attributes with it. */
#ifndef P11CORE_ATTR_TABLE_H
#define P11CORE_ATTR_TABLE_H

#include "attrmap.h"

/* Object classes as bits: the classes columns of the table. */
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

/* Template phases as bits (1 << p11_template_phase). */
enum { CREATE = 1 << 0, GENERATE = 1 << 1, BOTH = CREATE | GENERATE };

/* Every key type; also "no value" in the only column. */
#define ANY_KEY CK_UNAVAILABLE_INFORMATION
#define ANY_VALUE CK_UNAVAILABLE_INFORMATION
/* In the only column of a USE_KEPT boolean: any value, false when the
 * template gives none. */
#define ANY_FALSE_BY_DEFAULT 2

/* The shape of a value: what a template must give. */
typedef enum p11_attr_form {
    FORM_BOOL,
    FORM_ULONG,
    FORM_BYTES,
    FORM_ATTRS, /* an attribute array, kept packed (attr_array.c) */
} p11_attr_form;

/* What a template may do with an attribute; together with the reader this
 * makes "what a template sets is what is read back" hold by construction. */
typedef enum p11_attr_use {
    /* Fixed by the token or the object (a constant, the class, a field of
     * the certificate): a template may only repeat what will be read. */
    USE_SHOWN,
    /* The class or type being made: another value is
     * CKR_TEMPLATE_INCONSISTENT. */
    USE_KIND,
    /* Kept in the KMIP attribute kmip_tag: the template's value is sent
     * (only: the one value the module accepts, ANY_VALUE for any). */
    USE_KEPT,
    /* Material or a generation parameter consumed to make the object
     * (key_import.c, keygen.c check it) and read back from the result. */
    USE_INPUT,
    /* Set by the token: CKR_ATTRIBUTE_READ_ONLY in a template. */
    USE_TOKEN,
    /* Kept as given in the custom attribute x-pkcs11-attrs (attr_bag.c):
     * KMIP has no place for it. Absent, it reads arg (a boolean or
     * number) or empty bytes; a server without custom attributes keeps
     * nothing, so a template may then give only that default. */
    USE_BAG,
    /* The one exception, CKA_PRIVATE: any value is taken and none kept,
     * because the token's login mode decides (tools disagree on it:
     * pkcs11-tool sends false for secret keys, others true). */
    USE_LOGIN,
} p11_attr_use;

typedef struct p11_attr_entry p11_attr_entry;
typedef CK_RV (*p11_attr_reader)(const p11_attr_entry *entry,
                                 const p11_object *object, p11_attr_value *out);

struct p11_attr_entry {
    CK_ATTRIBUTE_TYPE type;
    unsigned classes;     /* classes that have it */
    CK_KEY_TYPE key_type; /* keys: of this type only (ANY_KEY: all) */
    unsigned secret;      /* classes where reading it is refused */
    p11_attr_form form;
    p11_attr_use use;
    unsigned phases; /* CREATE / GENERATE templates that may give it */
    /* USE_KEPT booleans: the one value accepted (also the default), or
     * ANY_FALSE_BY_DEFAULT */
    CK_ULONG only;
    uint32_t kmip_tag; /* the KMIP attribute it mirrors, 0: none */
    p11_attr_reader read;
    CK_ULONG arg; /* the reader's argument */
};

/* The bit of a CKO_* class; 0 for a class the module does not show. */
unsigned p11_class_bit(CK_OBJECT_CLASS object_class);

/* The entry for type on an object of object_class and subtype (ANY_KEY:
 * any key type), or NULL. */
const p11_attr_entry *p11_attr_entry_for(CK_OBJECT_CLASS object_class,
                                         CK_ULONG subtype,
                                         CK_ATTRIBUTE_TYPE type);

/* True when some class has type (the table knows it). */
bool p11_attr_known(CK_ATTRIBUTE_TYPE type);

/* The entries of the table, for walks over every attribute. */
const p11_attr_entry *p11_attr_entries(size_t *count);

/* attr_bag.c: the custom attribute that keeps USE_BAG attributes. */
#define P11_BAG_ATTRIBUTE "x-pkcs11-attrs"

/* Appends attr (of entry's form, already checked) to the bag text *bag
 * (NULL at first; free with free()). CKR_OK or CKR_HOST_MEMORY. */
CK_RV p11_bag_add(char **bag, const p11_attr_entry *entry,
                  const CK_ATTRIBUTE *attr);

/* entry's attribute from bag (may be NULL) into out, bytes owned by out
 * (p11_attr_value_clear); false when the bag does not hold it. */
bool p11_bag_read(const char *bag, const p11_attr_entry *entry,
                  p11_attr_value *out);

#endif
