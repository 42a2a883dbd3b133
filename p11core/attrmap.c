/* SPDX-License-Identifier: Apache-2.0 */
/* The one table of PKCS#11 attributes the module shows: which classes
 * have each, where its value comes from (the KMIP attribute it mirrors,
 * the parsed public key, or a constant), and which are sensitive. */
#include "attrmap.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "class_bits.h"
#include "kmip/tags.h"

typedef struct attr_entry attr_entry;
typedef CK_RV (*attr_reader)(const attr_entry *entry, const p11_object *o,
                             p11_attr_value *v);

struct attr_entry {
    CK_ATTRIBUTE_TYPE type;
    unsigned classes;   /* classes that have it */
    unsigned sensitive; /* classes where it is secret material */
    uint32_t kmip_tag;  /* the KMIP attribute it mirrors, 0: none */
    attr_reader read;
    CK_ULONG arg; /* the reader's argument */
};

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

static CK_RV read_constant_bool(const attr_entry *e, const p11_object *o,
                                p11_attr_value *v)
{
    (void)o;
    set_bool(v, e->arg != 0);
    return CKR_OK;
}

/* True for the classes of the bits in arg. */
static CK_RV read_class_bool(const attr_entry *e, const p11_object *o,
                             p11_attr_value *v)
{
    set_bool(v, (e->arg & p11_class_bit(o->object_class)) != 0);
    return CKR_OK;
}

static CK_RV read_constant_ulong(const attr_entry *e, const p11_object *o,
                                 p11_attr_value *v)
{
    (void)o;
    set_ulong(v, e->arg);
    return CKR_OK;
}

static CK_RV read_empty(const attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    (void)o;
    set_bytes(v, "", 0);
    return CKR_OK;
}

static CK_RV read_class(const attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    set_ulong(v, o->object_class);
    return CKR_OK;
}

static CK_RV read_subtype(const attr_entry *e, const p11_object *o,
                          p11_attr_value *v)
{
    (void)e;
    set_ulong(v, o->subtype);
    return CKR_OK;
}

/* Keys are private objects when the token has a login. */
static CK_RV read_private(const attr_entry *e, const p11_object *o,
                          p11_attr_value *v)
{
    (void)e;
    set_bool(v, p11_object_is_private(o));
    return CKR_OK;
}

static CK_RV read_label(const attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    set_bytes(v, o->label != NULL ? o->label : "",
              o->label != NULL ? strlen(o->label) : 0);
    return CKR_OK;
}

static CK_RV read_id(const attr_entry *e, const p11_object *o,
                     p11_attr_value *v)
{
    (void)e;
    set_bytes(v, o->id, o->id_len);
    return CKR_OK;
}

static CK_RV read_usage(const attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    set_bool(v, p11_object_allows(o, e->arg));
    return CKR_OK;
}

static CK_RV read_sensitive(const attr_entry *e, const p11_object *o,
                            p11_attr_value *v)
{
    (void)e;
    set_bool(v, o->sensitive);
    return CKR_OK;
}

static CK_RV read_extractable(const attr_entry *e, const p11_object *o,
                              p11_attr_value *v)
{
    set_bool(v, e->arg ? !o->extractable : o->extractable);
    return CKR_OK;
}

static CK_RV read_value_len(const attr_entry *e, const p11_object *o,
                            p11_attr_value *v)
{
    (void)e;
    if (o->key_bits == 0)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    set_ulong(v, o->key_bits / 8);
    return CKR_OK;
}

static CK_RV read_value(const attr_entry *e, const p11_object *o,
                        p11_attr_value *v)
{
    (void)e;
    if (o->value == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    set_bytes(v, o->value, o->value_len);
    return CKR_OK;
}

static CK_RV read_rsa_bignum(const attr_entry *e, const p11_object *o,
                             p11_attr_value *v)
{
    const char *name =
        e->type == CKA_MODULUS ? OSSL_PKEY_PARAM_RSA_N : OSSL_PKEY_PARAM_RSA_E;
    BIGNUM *bn = NULL;
    uint8_t *bytes;
    int len;

    if (o->subtype != CKK_RSA || o->public_key == NULL ||
        !EVP_PKEY_get_bn_param(o->public_key, name, &bn))
        return CKR_ATTRIBUTE_TYPE_INVALID;
    len = BN_num_bytes(bn);
    bytes = OPENSSL_malloc(len > 0 ? (size_t)len : 1);
    if (bytes != NULL)
        BN_bn2bin(bn, bytes);
    BN_free(bn);
    return bytes != NULL ? set_owned(v, bytes, len) : CKR_HOST_MEMORY;
}

static CK_RV read_modulus_bits(const attr_entry *e, const p11_object *o,
                               p11_attr_value *v)
{
    (void)e;
    if (o->subtype != CKK_RSA || o->key_bits == 0)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    set_ulong(v, o->key_bits);
    return CKR_OK;
}

static CK_RV read_ec(const attr_entry *e, const p11_object *o,
                     p11_attr_value *v)
{
    uint8_t *der;
    size_t len;
    bool ok;

    if (o->subtype != CKK_EC)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    ok = e->type == CKA_EC_PARAMS ? p11_ec_params_der(o->public_key, &der, &len)
                                  : p11_ec_point_der(o->public_key, &der, &len);
    return ok ? set_owned(v, der, (int)len) : CKR_ATTRIBUTE_TYPE_INVALID;
}

static CK_RV read_public_key_info(const attr_entry *e, const p11_object *o,
                                  p11_attr_value *v)
{
    uint8_t *der = NULL;

    (void)e;
    if (o->public_key == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    return set_owned(v, der, i2d_PUBKEY(o->public_key, &der));
}

/* Subject, issuer and serial number of a certificate, as DER. */
static CK_RV read_cert_field(const attr_entry *e, const p11_object *o,
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

/* Keys carry CKA_SUBJECT too, empty (PKCS#11 allows it). */
static CK_RV read_subject(const attr_entry *e, const p11_object *o,
                          p11_attr_value *v)
{
    if (o->object_class == CKO_CERTIFICATE)
        return read_cert_field(e, o, v);
    return read_empty(e, o, v);
}

static const attr_entry table[] = {
    /* Storage objects */
    {CKA_CLASS, ALL, 0, KMIP_TAG_OBJECT_TYPE, read_class, 0},
    {CKA_TOKEN, ALL, 0, 0, read_constant_bool, CK_TRUE},
    {CKA_PRIVATE, ALL, 0, 0, read_private, 0},
    {CKA_MODIFIABLE, ALL, 0, 0, read_constant_bool, CK_TRUE},
    /* C_CopyObject registers a copy of what the module holds the value
     * of; keys whose material stays on the server cannot be copied. */
    {CKA_COPYABLE, ALL, 0, 0, read_class_bool, DATA | CERT | PUB},
    {CKA_DESTROYABLE, ALL, 0, 0, read_constant_bool, CK_TRUE},
    {CKA_LABEL, ALL, 0, KMIP_TAG_NAME, read_label, 0},
    /* Data */
    {CKA_APPLICATION, DATA, 0, 0, read_empty, 0},
    {CKA_OBJECT_ID, DATA, 0, 0, read_empty, 0},
    {CKA_VALUE, DATA | CERT | PRIV | SECRET, PRIV | SECRET, 0, read_value, 0},
    /* Certificates */
    {CKA_CERTIFICATE_TYPE, CERT, 0, 0, read_subtype, 0},
    {CKA_TRUSTED, CERT | PUB, 0, 0, read_constant_bool, CK_FALSE},
    {CKA_CERTIFICATE_CATEGORY, CERT, 0, 0, read_constant_ulong,
     0 /* unspecified */},
    {CKA_ISSUER, CERT, 0, 0, read_cert_field, 0},
    {CKA_SERIAL_NUMBER, CERT, 0, 0, read_cert_field, 0},
    {CKA_URL, CERT, 0, 0, read_empty, 0},
    {CKA_JAVA_MIDP_SECURITY_DOMAIN, CERT, 0, 0, read_constant_ulong, 0},
    /* Certificates and keys */
    {CKA_ID, CERT | KEYS, 0, KMIP_TAG_VENDOR_ATTRIBUTE, read_id, 0},
    {CKA_SUBJECT, CERT | ASYM, 0, 0, read_subject, 0},
    {CKA_START_DATE, CERT | KEYS, 0, 0, read_empty, 0},
    {CKA_END_DATE, CERT | KEYS, 0, 0, read_empty, 0},
    /* Keys */
    {CKA_KEY_TYPE, KEYS, 0, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM, read_subtype, 0},
    {CKA_LOCAL, KEYS, 0, 0, read_constant_bool, CK_FALSE},
    {CKA_KEY_GEN_MECHANISM, KEYS, 0, 0, read_constant_ulong,
     CK_UNAVAILABLE_INFORMATION},
    {CKA_DERIVE, KEYS, 0, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK, read_usage,
     CKA_DERIVE},
    {CKA_ENCRYPT, PUB | SECRET, 0, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
     read_usage, CKA_ENCRYPT},
    {CKA_VERIFY, PUB | SECRET, 0, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK, read_usage,
     CKA_VERIFY},
    {CKA_WRAP, PUB | SECRET, 0, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK, read_usage,
     CKA_WRAP},
    {CKA_DECRYPT, PRIV | SECRET, 0, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
     read_usage, CKA_DECRYPT},
    {CKA_SIGN, PRIV | SECRET, 0, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK, read_usage,
     CKA_SIGN},
    {CKA_UNWRAP, PRIV | SECRET, 0, KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
     read_usage, CKA_UNWRAP},
    {CKA_VERIFY_RECOVER, PUB, 0, 0, read_constant_bool, CK_FALSE},
    {CKA_SIGN_RECOVER, PRIV, 0, 0, read_constant_bool, CK_FALSE},
    {CKA_SENSITIVE, PRIV | SECRET, 0, 0, read_sensitive, 0},
    {CKA_ALWAYS_SENSITIVE, PRIV | SECRET, 0, 0, read_sensitive, 0},
    {CKA_EXTRACTABLE, PRIV | SECRET, 0, 0, read_extractable, 0},
    {CKA_NEVER_EXTRACTABLE, PRIV | SECRET, 0, 0, read_extractable, 1},
    {CKA_WRAP_WITH_TRUSTED, PRIV | SECRET, 0, 0, read_constant_bool, CK_FALSE},
    {CKA_ALWAYS_AUTHENTICATE, PRIV, 0, 0, read_constant_bool, CK_FALSE},
    {CKA_PUBLIC_KEY_INFO, ASYM, 0, 0, read_public_key_info, 0},
    {CKA_VALUE_LEN, SECRET, 0, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, read_value_len,
     0},
    /* RSA */
    {CKA_MODULUS, ASYM, 0, 0, read_rsa_bignum, 0},
    {CKA_PUBLIC_EXPONENT, ASYM, 0, 0, read_rsa_bignum, 0},
    {CKA_MODULUS_BITS, PUB, 0, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, read_modulus_bits,
     0},
    {CKA_PRIVATE_EXPONENT, PRIV, PRIV, 0, read_value, 0},
    {CKA_PRIME_1, PRIV, PRIV, 0, read_value, 0},
    {CKA_PRIME_2, PRIV, PRIV, 0, read_value, 0},
    {CKA_EXPONENT_1, PRIV, PRIV, 0, read_value, 0},
    {CKA_EXPONENT_2, PRIV, PRIV, 0, read_value, 0},
    {CKA_COEFFICIENT, PRIV, PRIV, 0, read_value, 0},
    /* EC (the point on a private key too: libp11 and others use it) */
    {CKA_EC_PARAMS, ASYM, 0, 0, read_ec, 0},
    {CKA_EC_POINT, ASYM, 0, 0, read_ec, 0},
};

void p11_attr_value_clear(p11_attr_value *value)
{
    OPENSSL_free(value->owned);
    memset(value, 0, sizeof(*value));
}

/* The entry for type on an object of object_class, or NULL. */
static const attr_entry *entry_for(CK_OBJECT_CLASS object_class,
                                   CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].type == type)
            return (table[i].classes & p11_class_bit(object_class)) ? &table[i]
                                                                    : NULL;
    return NULL;
}

CK_RV p11_attr_read(const p11_object *object, CK_ATTRIBUTE_TYPE type,
                    p11_attr_value *out)
{
    const attr_entry *entry = entry_for(object->object_class, type);

    memset(out, 0, sizeof(*out));
    if (entry == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    if (entry->sensitive & p11_class_bit(object->object_class))
        return CKR_ATTRIBUTE_SENSITIVE;
    return entry->read(entry, object, out);
}

CK_RV p11_attr_kmip_tag(CK_OBJECT_CLASS object_class, CK_ATTRIBUTE_TYPE type,
                        uint32_t *tag)
{
    const attr_entry *entry = entry_for(object_class, type);

    if (entry == NULL)
        return CKR_ATTRIBUTE_TYPE_INVALID;
    *tag = entry->kmip_tag;
    return CKR_OK;
}
