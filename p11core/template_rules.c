/* SPDX-License-Identifier: Apache-2.0 */
/* Templates of new objects checked against the attribute table
 * (attrmap.c), and the KMIP attributes they turn into. */
#include "attrmap.h"

#include <stdlib.h>
#include <string.h>

#include "attr_table.h"
#include "kmip/tags.h"
#include "session_mark.h"

static CK_RV check_form(const p11_attr_entry *entry, const CK_ATTRIBUTE *attr)
{
    if (attr->pValue == NULL && attr->ulValueLen > 0)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    if ((entry->form == FORM_BOOL && attr->ulValueLen != sizeof(CK_BBOOL)) ||
        (entry->form == FORM_ULONG && attr->ulValueLen != sizeof(CK_ULONG)))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    if (entry->form != FORM_ATTRS)
        return CKR_OK;
    for (size_t i = 0;
         attr->pValue != NULL && i < attr->ulValueLen / sizeof(CK_ATTRIBUTE);
         i++)
        if (!p11_attr_known(((const CK_ATTRIBUTE *)attr->pValue)[i].type))
            return CKR_ATTRIBUTE_VALUE_INVALID;
    uint8_t *packed = NULL;
    size_t len;
    CK_RV rv =
        p11_attr_array_pack(attr->pValue, attr->ulValueLen, &packed, &len);
    free(packed);
    return rv;
}

static bool template_flag(const CK_ATTRIBUTE *attr)
{
    return *(const CK_BBOOL *)attr->pValue != CK_FALSE;
}

/* Whether attr gives the value v that will be read back. */
static bool same_value(const p11_attr_entry *entry, const CK_ATTRIBUTE *attr,
                       const p11_attr_value *v)
{
    if (entry->form == FORM_BOOL)
        return template_flag(attr) == (*(const CK_BBOOL *)v->data != CK_FALSE);
    return attr->ulValueLen == v->len &&
           (v->len == 0 || memcmp(attr->pValue, v->data, v->len) == 0);
}

/* A value the token fixes: the template may only repeat it. */
static CK_RV check_shown(const p11_attr_entry *entry, const CK_ATTRIBUTE *attr,
                         const p11_object *made)
{
    p11_attr_value v;
    bool same;

    memset(&v, 0, sizeof(v));
    same =
        entry->read(entry, made, &v) == CKR_OK && same_value(entry, attr, &v);
    p11_attr_value_clear(&v);
    if (same)
        return CKR_OK;
    return entry->use == USE_KIND ? CKR_TEMPLATE_INCONSISTENT
                                  : CKR_ATTRIBUTE_VALUE_INVALID;
}

static CK_RV check_one(const CK_ATTRIBUTE *attr, const p11_object *made,
                       p11_template_phase phase)
{
    const p11_attr_entry *entry =
        p11_attr_entry_for(made->object_class, made->subtype, attr->type);
    CK_RV rv;

    /* Known elsewhere (another class or key type): inconsistent with the
     * rest of the template. */
    if (entry == NULL)
        return p11_attr_known(attr->type) ? CKR_TEMPLATE_INCONSISTENT
                                          : CKR_ATTRIBUTE_TYPE_INVALID;
    if (entry->use == USE_TOKEN)
        return CKR_ATTRIBUTE_READ_ONLY;
    if (!(entry->phases &
          (phase == P11_TEMPLATE_DERIVE ? GENERATE : 1u << phase)))
        return CKR_TEMPLATE_INCONSISTENT;
    rv = check_form(entry, attr);
    if (rv != CKR_OK)
        return rv;
    switch (entry->use) {
    case USE_SHOWN:
    case USE_KIND:
        return check_shown(entry, attr, made);
    case USE_KEPT:
        return entry->only == ANY_VALUE ||
                       entry->only == ANY_FALSE_BY_DEFAULT ||
                       phase == P11_TEMPLATE_DERIVE ||
                       template_flag(attr) == (entry->only != CK_FALSE)
                   ? CKR_OK
                   : CKR_ATTRIBUTE_VALUE_INVALID;
    default:
        return CKR_OK;
    }
}

bool p11_template_token_false(const CK_ATTRIBUTE *templ, CK_ULONG count)
{
    CK_BBOOL token;

    return p11_template_bool(templ, count, CKA_TOKEN, &token) == CKR_OK &&
           token == CK_FALSE;
}

bool p11_template_session_object(const CK_ATTRIBUTE *templ, CK_ULONG count,
                                 CK_OBJECT_CLASS object_class)
{
    return object_class != CKO_PRIVATE_KEY && object_class != CKO_SECRET_KEY &&
           p11_template_token_false(templ, count);
}

/* A session object made on the server: a secret or private key, or the
 * public half a key pair generates (P11_MARK_LOCAL). */
static bool server_session_object(const CK_ATTRIBUTE *templ, CK_ULONG count,
                                  CK_OBJECT_CLASS object_class, unsigned extras)
{
    return p11_template_token_false(templ, count) &&
           (object_class == CKO_PRIVATE_KEY || object_class == CKO_SECRET_KEY ||
            (extras & P11_MARK_LOCAL));
}

CK_RV p11_template_validate(const CK_ATTRIBUTE *templ, CK_ULONG count,
                            CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                            p11_template_phase phase)
{
    /* The new object as far as its template shows it: what the token
     * fixes is read from it (a certificate's fields from its value). */
    p11_object made = {.object_class = object_class, .subtype = subtype};
    const CK_ATTRIBUTE *value;

    if (templ == NULL && count > 0)
        return CKR_ARGUMENTS_BAD;
    if (p11_template_token_false(templ, count))
        made.owner = 1;
    value = p11_template_find(templ, count, CKA_VALUE);
    if (object_class == CKO_CERTIFICATE && value != NULL) {
        made.value = value->pValue;
        made.value_len = value->ulValueLen;
    }
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV rv = check_one(&templ[i], &made, phase);

        if (rv != CKR_OK) {
            p11_log_debug("template: attribute 0x%lx refused (0x%lx)",
                          templ[i].type, rv);
            return rv;
        }
    }
    return CKR_OK;
}

/* The usage a key gets when its template says nothing: every use of
 * its class but derive, as SoftHSM2 (PKCS#11 leaves it to the token); a
 * key of an HMAC key type MACs. */
static uint32_t default_usage(CK_OBJECT_CLASS object_class, CK_ULONG subtype)
{
    switch (object_class) {
    case CKO_PUBLIC_KEY:
        return KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_WRAP_KEY;
    case CKO_PRIVATE_KEY:
        return KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_UNWRAP_KEY;
    case CKO_SECRET_KEY:
        if (p11_mac_key_type(subtype))
            return KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE |
                   KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY;
        return KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_WRAP_KEY |
               KMIP_CRYPTOGRAPHIC_USAGE_MASK_UNWRAP_KEY;
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

/* templ's USE_BAG attributes that differ from their default, as bag
 * text (*bag NULL when none; free with free()). */
static CK_RV template_bag(const CK_ATTRIBUTE *templ, CK_ULONG count,
                          CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                          char **bag)
{
    p11_object made = {.object_class = object_class, .subtype = subtype};
    CK_RV rv = CKR_OK;

    *bag = NULL;
    for (CK_ULONG i = 0; rv == CKR_OK && i < count; i++) {
        const p11_attr_entry *entry =
            p11_attr_entry_for(object_class, subtype, templ[i].type);

        if (entry != NULL && entry->use == USE_BAG &&
            check_shown(entry, &templ[i], &made) != CKR_OK)
            rv = p11_bag_add(bag, entry, &templ[i]);
    }
    return rv;
}

bool p11_template_wants_custom(const CK_ATTRIBUTE *templ, CK_ULONG count,
                               CK_OBJECT_CLASS object_class, CK_ULONG subtype)
{
    char *bag = NULL;
    bool wants =
        p11_template_find(templ, count, CKA_ID) != NULL ||
        server_session_object(templ, count, object_class, 0) ||
        (template_bag(templ, count, object_class, subtype, &bag) == CKR_OK &&
         bag != NULL);

    free(bag);
    return wants;
}

/* Adds templ's bag to attrs; a server without custom attributes (no
 * P11_SEND_CUSTOM in extras) cannot keep one. */
static CK_RV add_bag(const CK_ATTRIBUTE *templ, CK_ULONG count,
                     CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                     unsigned extras, kmip_item *attrs)
{
    static const CK_BBOOL yes = CK_TRUE;
    const CK_ATTRIBUTE local = {CKA_LOCAL, (void *)&yes, sizeof(yes)};
    char *bag;
    CK_RV rv = template_bag(templ, count, object_class, subtype, &bag);

    if (rv == CKR_OK && bag != NULL && !(extras & P11_SEND_CUSTOM))
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    if (rv == CKR_OK && (extras & P11_MARK_LOCAL) && (extras & P11_SEND_CUSTOM))
        rv = p11_bag_add(
            &bag, p11_attr_entry_for(object_class, subtype, CKA_LOCAL), &local);
    if (rv == CKR_OK && bag != NULL &&
        kmip_attrs_add_custom_text(attrs, P11_BAG_ATTRIBUTE, bag) == NULL)
        rv = CKR_HOST_MEMORY;
    free(bag);
    return rv;
}

/* The KMIP attributes of the kept flags (Sensitive, Extractable), for the
 * classes that have them: as templ gives them (validated: the one value
 * the module accepts, or any for a derived key), else that value. */
static CK_RV add_export_attrs(const CK_ATTRIBUTE *templ, CK_ULONG count,
                              CK_OBJECT_CLASS object_class, kmip_item *attrs)
{
    size_t entry_count;
    const p11_attr_entry *entries = p11_attr_entries(&entry_count);

    for (size_t i = 0; i < entry_count; i++) {
        const p11_attr_entry *entry = &entries[i];
        const CK_ATTRIBUTE *given;

        if (entry->use != USE_KEPT || entry->only == ANY_VALUE ||
            !(entry->classes & p11_class_bit(object_class)))
            continue;
        given = p11_template_find(templ, count, entry->type);
        if (kmip_add_bool(attrs, entry->kmip_tag,
                          given != NULL ? template_flag(given)
                                        : entry->only == CK_TRUE) == NULL)
            return CKR_HOST_MEMORY;
    }
    return CKR_OK;
}

static CK_RV add_label(const CK_ATTRIBUTE *label, kmip_item *attrs)
{
    char text[256];

    if (label == NULL || label->ulValueLen == 0)
        return CKR_OK;
    if (label->ulValueLen >= sizeof(text) ||
        memchr(label->pValue, '\0', label->ulValueLen) != NULL)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    memcpy(text, label->pValue, label->ulValueLen);
    text[label->ulValueLen] = '\0';
    return kmip_attrs_add_name(attrs, text) != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* The owner mark of a session key: without custom attributes the server
 * would keep it as a token object that every process lists, so it is
 * refused. */
static CK_RV add_session_mark(unsigned extras, kmip_item *attrs)
{
    char mark[P11_MARK_MAX];

    if (!(extras & P11_SEND_CUSTOM)) {
        p11_log_warn("session keys need custom attributes (%s), which this "
                     "server does not keep: refused",
                     P11_SESSION_ATTRIBUTE);
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (!p11_mark_self(mark))
        return CKR_FUNCTION_FAILED;
    return kmip_attrs_add_custom_text(attrs, P11_SESSION_ATTRIBUTE, mark) !=
                   NULL
               ? CKR_OK
               : CKR_HOST_MEMORY;
}

CK_RV p11_template_kmip_attrs(const CK_ATTRIBUTE *templ, CK_ULONG count,
                              CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                              unsigned extras, kmip_item *attrs)
{
    const CK_ATTRIBUTE *id = p11_template_find(templ, count, CKA_ID);
    bool key = (p11_class_bit(object_class) & KEYS) != 0;
    CK_RV rv = add_label(p11_template_find(templ, count, CKA_LABEL), attrs);

    if (rv == CKR_OK && (extras & P11_SEND_CUSTOM) && id != NULL &&
        id->ulValueLen > 0 &&
        p11_id_attr_add(attrs, id->pValue, id->ulValueLen) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK && key &&
        kmip_attrs_add_usage_mask(
            attrs, template_usage(templ, count, object_class, subtype)) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK && (extras & P11_SEND_EXPORT))
        rv = add_export_attrs(templ, count, object_class, attrs);
    if (rv == CKR_OK)
        rv = add_bag(templ, count, object_class, subtype, extras, attrs);
    if (rv == CKR_OK &&
        server_session_object(templ, count, object_class, extras))
        rv = add_session_mark(extras, attrs);
    return rv;
}
