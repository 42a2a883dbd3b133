/* SPDX-License-Identifier: Apache-2.0 */
/* The one table of PKCS#11 attributes (attr_table.h): which classes and
 * key types have each, how a template may give it (template_rules.c),
 * where its value comes from (the KMIP attribute it mirrors, the parsed
 * public key or certificate, or a constant), and which are secret. */
#include "attrmap.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "attr_table.h"
#include "kmip/tags.h"
#include "mech_params.h"

unsigned p11_class_bit(CK_OBJECT_CLASS object_class)
{
    switch (object_class) {
    case CKO_DATA:
        return DATA;
    case CKO_CERTIFICATE:
        return CERT;
    case CKO_PUBLIC_KEY:
        return PUB;
    case CKO_PRIVATE_KEY:
        return PRIV;
    case CKO_SECRET_KEY:
        return SECRET;
    default:
        return 0;
    }
}

static void set_ulong(p11_attr_value *v, CK_ULONG value)
{
    v->value_ulong = value;
    v->data = &v->value_ulong;
    v->len = sizeof(CK_ULONG);
}

static void set_bool(p11_attr_value *v, bool value)
{
    v->value_bool = value ? CK_TRUE : CK_FALSE;
    v->data = &v->value_bool;
    v->len = sizeof(CK_BBOOL);
}

static void set_bytes(p11_attr_value *v, const void *data, size_t len)
{
    v->data = data;
    v->len = len;
}

/* Takes ownership of OpenSSL-allocated der. */
static CK_RV set_owned(p11_attr_value *v, uint8_t *der, int len)
{
    if (len < 0)
        return CKR_HOST_MEMORY;
    v->owned = der;
    set_bytes(v, der, (size_t)len);
    return CKR_OK;
}

static CK_RV read_constant_bool(const p11_attr_entry *e, const p11_object *o,
                                p11_attr_value *v)
{
    (void)o;
    set_bool(v, e->arg != 0);
    return CKR_OK;
}

/* CKA_TOKEN: false for a session object. */
static CK_RV read_token(const p11_attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    set_bool(v, o->owner == 0);
    return CKR_OK;
}

/* True for the classes of the bits in arg. */
static CK_RV read_class_bool(const p11_attr_entry *e, const p11_object *o,
                             p11_attr_value *v)
{
    set_bool(v, (e->arg & p11_class_bit(o->object_class)) != 0);
    return CKR_OK;
}

static CK_RV read_constant_ulong(const p11_attr_entry *e, const p11_object *o,
                                 p11_attr_value *v)
{
    (void)o;
    set_ulong(v, e->arg);
    return CKR_OK;
}

static CK_RV read_class(const p11_attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    set_ulong(v, o->object_class);
    return CKR_OK;
}

static CK_RV read_subtype(const p11_attr_entry *e, const p11_object *o,
                          p11_attr_value *v)
{
    (void)e;
    set_ulong(v, o->subtype);
    return CKR_OK;
}

/* Keys are private objects when the token has a login. */
static CK_RV read_private(const p11_attr_entry *e, const p11_object *o,
                          p11_attr_value *v)
{
    (void)e;
    set_bool(v, p11_object_is_private(o));
    return CKR_OK;
}

static CK_RV read_label(const p11_attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    set_bytes(v, o->label != NULL ? o->label : "",
              o->label != NULL ? strlen(o->label) : 0);
    return CKR_OK;
}

static CK_RV read_id(const p11_attr_entry *e, const p11_object *o,
                     p11_attr_value *v)
{
    (void)e;
    set_bytes(v, o->id, o->id_len);
    return CKR_OK;
}

static CK_RV read_usage(const p11_attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    set_bool(v, p11_object_allows(o, e->arg));
    return CKR_OK;
}

/* A bool field of the object; arg is its offset in p11_object. */
static CK_RV read_flag(const p11_attr_entry *e, const p11_object *o,
                       p11_attr_value *v)
{
    bool flag;

    memcpy(&flag, (const uint8_t *)o + e->arg, sizeof(flag));
    set_bool(v, flag);
    return CKR_OK;
}

static CK_RV read_value_len(const p11_attr_entry *e, const p11_object *o,
                            p11_attr_value *v)
{
    (void)e;
    if (o->key_bits == 0)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    set_ulong(v, o->key_bits / 8);
    return CKR_OK;
}

static CK_RV read_value(const p11_attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    if (o->value == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    set_bytes(v, o->value, o->value_len);
    return CKR_OK;
}

static CK_RV read_rsa_bignum(const p11_attr_entry *e, const p11_object *o,
                             p11_attr_value *v)
{
    const char *name =
        e->type == CKA_MODULUS ? OSSL_PKEY_PARAM_RSA_N : OSSL_PKEY_PARAM_RSA_E;
    BIGNUM *bn = NULL;
    uint8_t *bytes;
    int len;

    if (o->public_key == NULL ||
        !EVP_PKEY_get_bn_param(o->public_key, name, &bn))
        return CKR_ATTRIBUTE_TYPE_INVALID;
    len = BN_num_bytes(bn);
    bytes = OPENSSL_malloc(len > 0 ? (size_t)len : 1);
    if (bytes != NULL)
        BN_bn2bin(bn, bytes);
    BN_free(bn);
    return bytes != NULL ? set_owned(v, bytes, len) : CKR_HOST_MEMORY;
}

static CK_RV read_modulus_bits(const p11_attr_entry *e, const p11_object *o,
                               p11_attr_value *v)
{
    (void)e;
    if (o->key_bits == 0)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    set_ulong(v, o->key_bits);
    return CKR_OK;
}

static CK_RV read_ec(const p11_attr_entry *e, const p11_object *o,
                     p11_attr_value *v)
{
    uint8_t *der;
    size_t len;
    bool ok;

    ok = e->type == CKA_EC_PARAMS ? p11_ec_params_der(o->public_key, &der, &len)
                                  : p11_ec_point_der(o->public_key, &der, &len);
    return ok ? set_owned(v, der, (int)len) : CKR_ATTRIBUTE_TYPE_INVALID;
}

static CK_RV read_public_key_info(const p11_attr_entry *e, const p11_object *o,
                                  p11_attr_value *v)
{
    uint8_t *der = NULL;

    (void)e;
    if (o->public_key == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    return set_owned(v, der, i2d_PUBKEY(o->public_key, &der));
}

/* Subject, issuer and serial number of a certificate, as DER. */
static CK_RV read_cert_field(const p11_attr_entry *e, const p11_object *o,
                             p11_attr_value *v)
{
    const unsigned char *p = o->value;
    X509 *cert = p != NULL ? d2i_X509(NULL, &p, (long)o->value_len) : NULL;
    uint8_t *der = NULL;
    int len = -1;

    if (cert == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    if (e->type == CKA_SUBJECT)
        len = i2d_X509_NAME(X509_get_subject_name(cert), &der);
    else if (e->type == CKA_ISSUER)
        len = i2d_X509_NAME(X509_get_issuer_name(cert), &der);
    else
        len = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &der);
    X509_free(cert);
    return set_owned(v, der, len);
}

/* Kept as given (attr_bag.c), else the default: arg, or empty bytes. */
static CK_RV read_bag(const p11_attr_entry *e, const p11_object *o,
                      p11_attr_value *v)
{
    if (p11_bag_read(o->bag, e, v))
        return CKR_OK;
    if (e->form == FORM_BOOL)
        set_bool(v, e->arg != 0);
    else if (e->form == FORM_ULONG)
        set_ulong(v, e->arg);
    else
        set_bytes(v, "", 0);
    return CKR_OK;
}

/* A certificate's CKA_CHECK_VALUE: the first 3 bytes of the SHA-1 of its
 * value. */
static CK_RV read_check_value(const p11_attr_entry *e, const p11_object *o,
                              p11_attr_value *v)
{
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;

    (void)e;
    if (o->value == NULL ||
        !EVP_Digest(o->value, o->value_len, digest, &len, EVP_sha1(), NULL))
        return CKR_ATTRIBUTE_TYPE_INVALID;
    v->owned = OPENSSL_memdup(digest, 3);
    set_bytes(v, v->owned, 3);
    return v->owned != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* A secret whose KMIP algorithm fixes its hash takes that HMAC only; other
 * keys do not say (any mechanism of their type). */
static CK_RV read_allowed_mechanisms(const p11_attr_entry *e,
                                     const p11_object *o, p11_attr_value *v)
{
    CK_MECHANISM_TYPE allowed[2];
    size_t count = p11_hmac_mechanisms(o->kmip_algorithm, allowed);
    (void)e;
    if (count == 0)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    v->owned = OPENSSL_memdup(allowed, count * sizeof(allowed[0]));
    set_bytes(v, v->owned, count * sizeof(allowed[0]));
    return v->owned != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

#define FLAG(field) offsetof(p11_object, field)
#define USAGE(type, classes)                                                   \
    {                                                                          \
        type, classes, ANY_KEY, 0, FORM_BOOL, USE_KEPT, BOTH, ANY_VALUE,       \
            KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK, read_usage, type                \
    }
/* Kept as given in x-pkcs11-attrs; absent, it reads value. */
#define BAG(type, classes, form, value)                                        \
    {                                                                          \
        type, classes, ANY_KEY, 0, form, USE_BAG, BOTH, ANY_VALUE, 0,          \
            read_bag, value                                                    \
    }
/* A constant a template may only repeat. */
#define FIXED(type, classes, form, reader, value)                              \
    {                                                                          \
        type, classes, ANY_KEY, 0, form, USE_SHOWN, BOTH, ANY_VALUE, 0,        \
            reader, value                                                      \
    }
/* Material consumed at C_CreateObject; secret in the classes secret. */
#define MATERIAL(type, classes, key_type, secret, reader)                      \
    {                                                                          \
        type, classes, key_type, secret, FORM_BYTES, USE_INPUT, CREATE,        \
            ANY_VALUE, 0, reader, 0                                            \
    }
#define TOKEN(type, classes, form, reader, arg)                                \
    {                                                                          \
        type, classes, ANY_KEY, 0, form, USE_TOKEN, 0, ANY_VALUE, 0, reader,   \
            arg                                                                \
    }

/* An EC attribute of key_type where it is not consumed as material. */
#define EC_SHOWN(type, classes, key_type, when)                                \
    {                                                                          \
        type, classes, key_type, 0, FORM_BYTES, USE_INPUT, when, ANY_VALUE, 0, \
            read_ec, 0                                                         \
    }
/* A private key's CKA_VALUE (given to import it), CKA_EC_PARAMS and
 * CKA_EC_POINT of a key type, the point on a private key too (libp11 and
 * others use it). */
#define EC_ROWS(key_type)                                                      \
    MATERIAL(CKA_VALUE, PRIV, key_type, PRIV, read_value),                     \
        MATERIAL(CKA_EC_PARAMS, PRIV, key_type, 0, read_ec),                   \
        EC_SHOWN(CKA_EC_PARAMS, PUB, key_type, BOTH),                          \
        MATERIAL(CKA_EC_POINT, PUB, key_type, 0, read_ec),                     \
        EC_SHOWN(CKA_EC_POINT, PRIV, key_type, 0)

static const p11_attr_entry table[] = {
    /* Storage objects */
    {CKA_CLASS, ALL, ANY_KEY, 0, FORM_ULONG, USE_KIND, BOTH, ANY_VALUE,
     KMIP_TAG_OBJECT_TYPE, read_class, 0},
    FIXED(CKA_TOKEN, ALL, FORM_BOOL, read_token, 0),
    {CKA_PRIVATE, ALL, ANY_KEY, 0, FORM_BOOL, USE_LOGIN, BOTH, ANY_VALUE, 0,
     read_private, 0},
    BAG(CKA_MODIFIABLE, ALL, FORM_BOOL, CK_TRUE),
    /* C_CopyObject registers a copy of what the module holds the value
     * of; keys whose material stays on the server cannot be copied. */
    FIXED(CKA_COPYABLE, ALL, FORM_BOOL, read_class_bool, DATA | CERT | PUB),
    FIXED(CKA_DESTROYABLE, ALL, FORM_BOOL, read_constant_bool, CK_TRUE),
    {CKA_LABEL, ALL, ANY_KEY, 0, FORM_BYTES, USE_KEPT, BOTH, ANY_VALUE,
     KMIP_TAG_NAME, read_label, 0},
    /* Data */
    BAG(CKA_APPLICATION, DATA, FORM_BYTES, 0),
    BAG(CKA_OBJECT_ID, DATA, FORM_BYTES, 0),
    MATERIAL(CKA_VALUE, DATA | CERT | SECRET, ANY_KEY, SECRET, read_value),
    /* Certificates */
    {CKA_CERTIFICATE_TYPE, CERT, ANY_KEY, 0, FORM_ULONG, USE_KIND, BOTH,
     ANY_VALUE, 0, read_subtype, 0},
    FIXED(CKA_TRUSTED, CERT | PUB, FORM_BOOL, read_constant_bool, CK_FALSE),
    BAG(CKA_CERTIFICATE_CATEGORY, CERT, FORM_ULONG, 0 /* unspecified */),
    FIXED(CKA_CHECK_VALUE, CERT, FORM_BYTES, read_check_value, 0),
    FIXED(CKA_ISSUER, CERT, FORM_BYTES, read_cert_field, 0),
    FIXED(CKA_SERIAL_NUMBER, CERT, FORM_BYTES, read_cert_field, 0),
    BAG(CKA_URL, CERT, FORM_BYTES, 0),
    BAG(CKA_JAVA_MIDP_SECURITY_DOMAIN, CERT, FORM_ULONG, 0),
    BAG(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, CERT, FORM_BYTES, 0),
    BAG(CKA_HASH_OF_ISSUER_PUBLIC_KEY, CERT, FORM_BYTES, 0),
    BAG(CKA_NAME_HASH_ALGORITHM, CERT, FORM_ULONG, CKM_SHA_1),
    /* Certificates and keys */
    {CKA_ID, CERT | KEYS, ANY_KEY, 0, FORM_BYTES, USE_KEPT, BOTH, ANY_VALUE,
     KMIP_TAG_VENDOR_ATTRIBUTE, read_id, 0},
    FIXED(CKA_SUBJECT, CERT, FORM_BYTES, read_cert_field, 0),
    BAG(CKA_SUBJECT, ASYM, FORM_BYTES, 0),
    BAG(CKA_START_DATE, CERT | KEYS, FORM_BYTES, 0),
    BAG(CKA_END_DATE, CERT | KEYS, FORM_BYTES, 0),
    /* Keys */
    {CKA_KEY_TYPE, KEYS, ANY_KEY, 0, FORM_ULONG, USE_KIND, BOTH, ANY_VALUE,
     KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM, read_subtype, 0},
    /* True for keys generated on the server (keygen.c marks them). */
    TOKEN(CKA_LOCAL, KEYS, FORM_BOOL, read_bag, CK_FALSE),
    TOKEN(CKA_KEY_GEN_MECHANISM, KEYS, FORM_ULONG, read_constant_ulong,
          CK_UNAVAILABLE_INFORMATION),
    USAGE(CKA_DERIVE, KEYS),
    USAGE(CKA_ENCRYPT, PUB | SECRET),
    USAGE(CKA_VERIFY, PUB | SECRET),
    USAGE(CKA_WRAP, PUB | SECRET),
    USAGE(CKA_DECRYPT, PRIV | SECRET),
    USAGE(CKA_SIGN, PRIV | SECRET),
    USAGE(CKA_UNWRAP, PRIV | SECRET),
    BAG(CKA_VERIFY_RECOVER, PUB, FORM_BOOL, CK_TRUE),
    BAG(CKA_SIGN_RECOVER, PRIV, FORM_BOOL, CK_TRUE),
    /* Sent as KMIP Sensitive and Extractable; read as the server keeps
     * them (object_load.c). */
    {CKA_SENSITIVE, PRIV | SECRET, ANY_KEY, 0, FORM_BOOL, USE_KEPT, BOTH,
     CK_TRUE, KMIP_TAG_SENSITIVE, read_flag, FLAG(sensitive)},
    /* Extractable true lets a key leave wrapped (C_WrapKey), never plain
     * while sensitive. */
    {CKA_EXTRACTABLE, PRIV | SECRET, ANY_KEY, 0, FORM_BOOL, USE_KEPT, BOTH,
     ANY_FALSE_BY_DEFAULT, KMIP_TAG_EXTRACTABLE, read_flag, FLAG(extractable)},
    TOKEN(CKA_ALWAYS_SENSITIVE, PRIV | SECRET, FORM_BOOL, read_flag,
          FLAG(always_sensitive)),
    TOKEN(CKA_NEVER_EXTRACTABLE, PRIV | SECRET, FORM_BOOL, read_flag,
          FLAG(never_extractable)),
    /* Checked at C_WrapKey against the key to wrap, added at C_UnwrapKey
     * to the new key's template (wrap_key.c, unwrap_key.c). */
    BAG(CKA_WRAP_TEMPLATE, PUB | SECRET, FORM_ATTRS, 0),
    BAG(CKA_UNWRAP_TEMPLATE, PRIV | SECRET, FORM_ATTRS, 0),
    /* True: wrapped only under a CKA_TRUSTED key (wrap_key.c). */
    BAG(CKA_WRAP_WITH_TRUSTED, PRIV | SECRET, FORM_BOOL, CK_FALSE),
    /* True: each operation with the key needs a C_Login of
     * CKU_CONTEXT_SPECIFIC (crypto_ops.c, login.c). */
    BAG(CKA_ALWAYS_AUTHENTICATE, PRIV, FORM_BOOL, CK_FALSE),
    TOKEN(CKA_PUBLIC_KEY_INFO, ASYM, FORM_BYTES, read_public_key_info, 0),
    TOKEN(CKA_ALLOWED_MECHANISMS, SECRET, FORM_BYTES, read_allowed_mechanisms,
          0),
    {CKA_VALUE_LEN, SECRET, ANY_KEY, 0, FORM_ULONG, USE_INPUT, GENERATE,
     ANY_VALUE, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, read_value_len, 0},
    /* RSA */
    MATERIAL(CKA_MODULUS, ASYM, CKK_RSA, 0, read_rsa_bignum),
    MATERIAL(CKA_PUBLIC_EXPONENT, PRIV, CKK_RSA, 0, read_rsa_bignum),
    {CKA_PUBLIC_EXPONENT, PUB, CKK_RSA, 0, FORM_BYTES, USE_INPUT, BOTH,
     ANY_VALUE, 0, read_rsa_bignum, 0},
    {CKA_MODULUS_BITS, PUB, CKK_RSA, 0, FORM_ULONG, USE_INPUT, GENERATE,
     ANY_VALUE, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, read_modulus_bits, 0},
    MATERIAL(CKA_PRIVATE_EXPONENT, PRIV, CKK_RSA, PRIV, read_value),
    MATERIAL(CKA_PRIME_1, PRIV, CKK_RSA, PRIV, read_value),
    MATERIAL(CKA_PRIME_2, PRIV, CKK_RSA, PRIV, read_value),
    MATERIAL(CKA_EXPONENT_1, PRIV, CKK_RSA, PRIV, read_value),
    MATERIAL(CKA_EXPONENT_2, PRIV, CKK_RSA, PRIV, read_value),
    MATERIAL(CKA_COEFFICIENT, PRIV, CKK_RSA, PRIV, read_value),
    /* RSA private keys have no CKA_VALUE to give, and none to read. */
    {CKA_VALUE, PRIV, CKK_RSA, PRIV, FORM_BYTES, USE_INPUT, 0, ANY_VALUE, 0,
     read_value, 0},
    /* EC, and the PKCS#11 3.0 Edwards and Montgomery keys with the same
     * attributes (the curve's OID) */
    EC_ROWS(CKK_EC),
    EC_ROWS(CKK_EC_EDWARDS),
    EC_ROWS(CKK_EC_MONTGOMERY),
};

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

void p11_attr_value_clear(p11_attr_value *value)
{
    OPENSSL_free(value->owned);
    memset(value, 0, sizeof(*value));
}

static bool entry_fits(const p11_attr_entry *entry, unsigned class_bit,
                       CK_ULONG subtype)
{
    return (entry->classes & class_bit) &&
           (!(class_bit & KEYS) || entry->key_type == ANY_KEY ||
            subtype == ANY_KEY || entry->key_type == subtype);
}

const p11_attr_entry *p11_attr_entry_for(CK_OBJECT_CLASS object_class,
                                         CK_ULONG subtype,
                                         CK_ATTRIBUTE_TYPE type)
{
    unsigned bit = p11_class_bit(object_class);

    for (size_t i = 0; i < TABLE_SIZE; i++)
        if (table[i].type == type && entry_fits(&table[i], bit, subtype))
            return &table[i];
    return NULL;
}

bool p11_attr_known(CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < TABLE_SIZE; i++)
        if (table[i].type == type)
            return true;
    return false;
}

bool p11_value_exportable(const p11_object *object)
{
    return object->object_class == CKO_SECRET_KEY && !object->sensitive &&
           object->extractable;
}

const p11_attr_entry *p11_attr_entries(size_t *count)
{
    *count = TABLE_SIZE;
    return table;
}

CK_RV p11_attr_read(const p11_object *object, CK_ATTRIBUTE_TYPE type,
                    p11_attr_value *out)
{
    const p11_attr_entry *entry =
        p11_attr_entry_for(object->object_class, object->subtype, type);

    memset(out, 0, sizeof(*out));
    if (entry == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    if ((entry->secret & p11_class_bit(object->object_class)) &&
        !p11_value_exportable(object))
        return CKR_ATTRIBUTE_SENSITIVE;
    return entry->read(entry, object, out);
}

bool p11_attr_holds_array(const p11_object *object, CK_ATTRIBUTE_TYPE type)
{
    const p11_attr_entry *entry =
        p11_attr_entry_for(object->object_class, object->subtype, type);
    return entry != NULL && entry->form == FORM_ATTRS;
}

bool p11_attr_flag(p11_object *object, CK_ATTRIBUTE_TYPE type, bool absent)
{
    p11_attr_value value;
    bool yes;

    pthread_mutex_lock(&object->lock);
    yes = p11_attr_read(object, type, &value) == CKR_OK
              ? *(const CK_BBOOL *)value.data != CK_FALSE
              : absent;
    p11_attr_value_clear(&value);
    pthread_mutex_unlock(&object->lock);
    return yes;
}

CK_RV p11_attr_kmip_tag(CK_OBJECT_CLASS object_class, CK_ATTRIBUTE_TYPE type,
                        uint32_t *tag)
{
    const p11_attr_entry *entry =
        p11_attr_entry_for(object_class, ANY_KEY, type);

    if (entry == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    *tag = entry->kmip_tag;
    return CKR_OK;
}
