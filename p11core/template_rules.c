/* SPDX-License-Identifier: Apache-2.0 */
/* What a template for a new object may say, and the KMIP attributes it
 * turns into. */
#include "attrmap.h"

#include <string.h>

#include "class_bits.h"
#include "kmip/tags.h"

enum {
    CREATE = 1 << P11_TEMPLATE_CREATE,
    GENERATE = 1 << P11_TEMPLATE_GENERATE,
    BOTH = CREATE | GENERATE
};

#define ANY_KEY CK_UNAVAILABLE_INFORMATION

typedef enum value_rule {
    ANY_BOOL,
    MUST_TRUE,
    MUST_FALSE,
    BYTES,
    ULONG,
    IS_CLASS,   /* equals the class being made */
    IS_SUBTYPE, /* equals the key or certificate type being made */
    READ_ONLY,  /* the token sets it */
} value_rule;

static const struct template_rule {
    CK_ATTRIBUTE_TYPE type;
    unsigned classes;
    unsigned phases;
    CK_KEY_TYPE key_type; /* ANY_KEY: every key type */
    value_rule rule;
} rules[] = {
    {CKA_CLASS, ALL, BOTH, ANY_KEY, IS_CLASS},
    {CKA_TOKEN, ALL, BOTH, ANY_KEY, MUST_TRUE},
    {CKA_PRIVATE, ALL, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_MODIFIABLE, ALL, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_COPYABLE, ALL, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_DESTROYABLE, ALL, BOTH, ANY_KEY, MUST_TRUE},
    {CKA_LABEL, ALL, BOTH, ANY_KEY, BYTES},
    {CKA_APPLICATION, DATA, CREATE, ANY_KEY, BYTES},
    {CKA_OBJECT_ID, DATA, CREATE, ANY_KEY, BYTES},
    {CKA_VALUE, DATA | CERT | SECRET, CREATE, ANY_KEY, BYTES},
    {CKA_VALUE, PRIV, CREATE, CKK_EC, BYTES},
    {CKA_CERTIFICATE_TYPE, CERT, CREATE, ANY_KEY, IS_SUBTYPE},
    {CKA_TRUSTED, CERT | PUB, BOTH, ANY_KEY, MUST_FALSE},
    {CKA_CERTIFICATE_CATEGORY, CERT, CREATE, ANY_KEY, ULONG},
    {CKA_ISSUER, CERT, CREATE, ANY_KEY, BYTES},
    {CKA_SERIAL_NUMBER, CERT, CREATE, ANY_KEY, BYTES},
    {CKA_ID, CERT | KEYS, BOTH, ANY_KEY, BYTES},
    {CKA_SUBJECT, CERT | ASYM, BOTH, ANY_KEY, BYTES},
    {CKA_START_DATE, CERT | KEYS, BOTH, ANY_KEY, BYTES},
    {CKA_END_DATE, CERT | KEYS, BOTH, ANY_KEY, BYTES},
    {CKA_KEY_TYPE, KEYS, BOTH, ANY_KEY, IS_SUBTYPE},
    {CKA_LOCAL, KEYS, BOTH, ANY_KEY, READ_ONLY},
    {CKA_KEY_GEN_MECHANISM, KEYS, BOTH, ANY_KEY, READ_ONLY},
    {CKA_DERIVE, KEYS, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_ENCRYPT, PUB | SECRET, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_VERIFY, PUB | SECRET, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_WRAP, PUB | SECRET, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_DECRYPT, PRIV | SECRET, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_SIGN, PRIV | SECRET, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_UNWRAP, PRIV | SECRET, BOTH, ANY_KEY, ANY_BOOL},
    {CKA_VERIFY_RECOVER, PUB, BOTH, ANY_KEY, MUST_FALSE},
    {CKA_SIGN_RECOVER, PRIV, BOTH, ANY_KEY, MUST_FALSE},
    {CKA_SENSITIVE, PRIV | SECRET, BOTH, ANY_KEY, MUST_TRUE},
    {CKA_EXTRACTABLE, PRIV | SECRET, BOTH, ANY_KEY, MUST_FALSE},
    {CKA_ALWAYS_SENSITIVE, PRIV | SECRET, BOTH, ANY_KEY, READ_ONLY},
    {CKA_NEVER_EXTRACTABLE, PRIV | SECRET, BOTH, ANY_KEY, READ_ONLY},
    {CKA_WRAP_WITH_TRUSTED, PRIV | SECRET, BOTH, ANY_KEY, MUST_FALSE},
    {CKA_ALWAYS_AUTHENTICATE, PRIV, BOTH, ANY_KEY, MUST_FALSE},
    {CKA_PUBLIC_KEY_INFO, ASYM, BOTH, ANY_KEY, READ_ONLY},
    {CKA_VALUE_LEN, SECRET, GENERATE, ANY_KEY, ULONG},
    {CKA_MODULUS, ASYM, CREATE, CKK_RSA, BYTES},
    {CKA_PUBLIC_EXPONENT, ASYM, CREATE, CKK_RSA, BYTES},
    {CKA_PUBLIC_EXPONENT, PUB, GENERATE, CKK_RSA, BYTES},
    {CKA_MODULUS_BITS, PUB, GENERATE, CKK_RSA, ULONG},
    {CKA_PRIVATE_EXPONENT, PRIV, CREATE, CKK_RSA, BYTES},
    {CKA_PRIME_1, PRIV, CREATE, CKK_RSA, BYTES},
    {CKA_PRIME_2, PRIV, CREATE, CKK_RSA, BYTES},
    {CKA_EXPONENT_1, PRIV, CREATE, CKK_RSA, BYTES},
    {CKA_EXPONENT_2, PRIV, CREATE, CKK_RSA, BYTES},
    {CKA_COEFFICIENT, PRIV, CREATE, CKK_RSA, BYTES},
    {CKA_EC_PARAMS, ASYM, CREATE, CKK_EC, BYTES},
    {CKA_EC_PARAMS, PUB, GENERATE, CKK_EC, BYTES},
    {CKA_EC_POINT, PUB, CREATE, CKK_EC, BYTES},
};

#define RULE_COUNT (sizeof(rules) / sizeof(rules[0]))

static CK_RV check_value(const struct template_rule *rule,
                         const CK_ATTRIBUTE *attr, CK_OBJECT_CLASS object_class,
                         CK_ULONG subtype)
{
    CK_BBOOL flag;
    CK_ULONG number;

    if (attr->pValue == NULL && attr->ulValueLen > 0)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    switch (rule->rule) {
    case ANY_BOOL:
    case MUST_TRUE:
    case MUST_FALSE:
        if (attr->ulValueLen != sizeof(CK_BBOOL))
            return CKR_ATTRIBUTE_VALUE_INVALID;
        flag = *(const CK_BBOOL *)attr->pValue;
        if ((rule->rule == MUST_TRUE && !flag) ||
            (rule->rule == MUST_FALSE && flag))
            return CKR_ATTRIBUTE_VALUE_INVALID;
        return CKR_OK;
    case BYTES:
        return CKR_OK;
    case ULONG:
    case IS_CLASS:
    case IS_SUBTYPE:
        if (attr->ulValueLen != sizeof(CK_ULONG))
            return CKR_ATTRIBUTE_VALUE_INVALID;
        memcpy(&number, attr->pValue, sizeof(number));
        if ((rule->rule == IS_CLASS && number != object_class) ||
            (rule->rule == IS_SUBTYPE && number != subtype))
            return CKR_TEMPLATE_INCONSISTENT;
        return CKR_OK;
    case READ_ONLY:
        return CKR_ATTRIBUTE_READ_ONLY;
    }
    return CKR_GENERAL_ERROR;
}

/* The rule for attr on this object, or NULL with *rv saying why not. */
static const struct template_rule *rule_for(const CK_ATTRIBUTE *attr,
                                            CK_OBJECT_CLASS object_class,
                                            CK_ULONG subtype,
                                            p11_template_phase phase, CK_RV *rv)
{
    bool known = false;

    for (size_t i = 0; i < RULE_COUNT; i++) {
        const struct template_rule *rule = &rules[i];

        if (rule->type != attr->type)
            continue;
        known = true;
        if ((rule->classes & p11_class_bit(object_class)) &&
            (rule->phases & (1u << phase)) &&
            (rule->key_type == ANY_KEY || rule->key_type == subtype))
            return rule;
    }
    /* Known elsewhere (another class, key type or phase): inconsistent
     * with the rest of the template. */
    *rv = known ? CKR_TEMPLATE_INCONSISTENT : CKR_ATTRIBUTE_TYPE_INVALID;
    return NULL;
}

CK_RV p11_template_validate(const CK_ATTRIBUTE *templ, CK_ULONG count,
                            CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                            p11_template_phase phase)
{
    if (templ == NULL && count > 0)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV rv = CKR_OK;
        const struct template_rule *rule =
            rule_for(&templ[i], object_class, subtype, phase, &rv);

        if (rule != NULL)
            rv = check_value(rule, &templ[i], object_class, subtype);
        if (rv != CKR_OK) {
            p11_log_debug("template: attribute 0x%lx refused (0x%lx)",
                          templ[i].type, rv);
            return rv;
        }
    }
    return CKR_OK;
}

/* The usage a key gets when its template says nothing. */
static uint32_t default_usage(CK_OBJECT_CLASS object_class, CK_ULONG subtype)
{
    bool ec = subtype == CKK_EC;

    switch (object_class) {
    case CKO_PUBLIC_KEY:
        return KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY |
               (ec ? 0 : KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT);
    case CKO_PRIVATE_KEY:
        return KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN |
               (ec ? 0 : KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT);
    case CKO_SECRET_KEY:
        return subtype == CKK_GENERIC_SECRET
                   ? KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE |
                         KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY
                   : KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                         KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT;
    default:
        return 0;
    }
}

/* The usage-mask bits CKA_SIGN ... stands for on a key of this class. */
static uint32_t usage_bits(CK_OBJECT_CLASS object_class,
                           CK_ATTRIBUTE_TYPE usage)
{
    uint32_t bits = p11_usage_bit(usage);

    if (object_class == CKO_SECRET_KEY && usage == CKA_SIGN)
        bits |= KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE;
    if (object_class == CKO_SECRET_KEY && usage == CKA_VERIFY)
        bits |= KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY;
    return bits;
}

static uint32_t template_usage(const CK_ATTRIBUTE *templ, CK_ULONG count,
                               CK_OBJECT_CLASS object_class, CK_ULONG subtype)
{
    static const CK_ATTRIBUTE_TYPE usages[] = {
        CKA_SIGN, CKA_VERIFY, CKA_ENCRYPT, CKA_DECRYPT,
        CKA_WRAP, CKA_UNWRAP, CKA_DERIVE,
    };
    uint32_t mask = default_usage(object_class, subtype);

    for (size_t i = 0; i < sizeof(usages) / sizeof(usages[0]); i++) {
        CK_BBOOL flag;

        if (p11_template_bool(templ, count, usages[i], &flag) != CKR_OK)
            continue;
        if (flag)
            mask |= usage_bits(object_class, usages[i]);
        else
            mask &= ~usage_bits(object_class, usages[i]);
    }
    return mask;
}

CK_RV p11_template_kmip_attrs(const CK_ATTRIBUTE *templ, CK_ULONG count,
                              CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                              bool with_id, kmip_item *attrs)
{
    const CK_ATTRIBUTE *label = p11_template_find(templ, count, CKA_LABEL);
    const CK_ATTRIBUTE *id = p11_template_find(templ, count, CKA_ID);
    bool key = object_class == CKO_PUBLIC_KEY ||
               object_class == CKO_PRIVATE_KEY ||
               object_class == CKO_SECRET_KEY;

    if (label != NULL && label->ulValueLen > 0) {
        char text[256];

        if (label->ulValueLen >= sizeof(text) ||
            memchr(label->pValue, '\0', label->ulValueLen) != NULL)
            return CKR_ATTRIBUTE_VALUE_INVALID;
        memcpy(text, label->pValue, label->ulValueLen);
        text[label->ulValueLen] = '\0';
        if (kmip_attrs_add_name(attrs, text) == NULL)
            return CKR_HOST_MEMORY;
    }
    if (with_id && id != NULL && id->ulValueLen > 0 &&
        p11_id_attr_add(attrs, id->pValue, id->ulValueLen) == NULL)
        return CKR_HOST_MEMORY;
    if (key &&
        kmip_attrs_add_usage_mask(
            attrs, template_usage(templ, count, object_class, subtype)) == NULL)
        return CKR_HOST_MEMORY;
    return CKR_OK;
}
