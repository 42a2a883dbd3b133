/* SPDX-License-Identifier: Apache-2.0 */
/* CKA <-> KMIP: reading an object's PKCS#11 attributes from its cache
 * (attrmap.c, the one table of attr_table.h), the KMIP vocabulary behind them
 * (kmip_vocab.c), public key material (public_key.c), and the rules for
 * templates of new objects (template_rules.c). */
#ifndef P11CORE_ATTRMAP_H
#define P11CORE_ATTRMAP_H

#include "p11core_internal.h"

#include "kmip/payloads.h"

/* CKA_ID lives in this custom attribute (2.x: Vendor Attribute "x",
 * "pkcs11-id"), as hex text (id_attr.c). */
#define P11_ID_ATTRIBUTE "x-pkcs11-id"

/* A private key's public half (SubjectPublicKeyInfo DER) lives in this
 * custom attribute, so that it outlives the public key object. */
#define P11_PUBLIC_KEY_ATTRIBUTE "x-pkcs11-public-key"

/* data as lowercase hex text (free with free()), or NULL. */
char *p11_hex_encode(const uint8_t *data, size_t len);

/* The len hex digits at hex as bytes into *out (free with free()); false
 * when malformed or out of memory. */
bool p11_hex_decode(const char *hex, size_t len, uint8_t **out,
                    size_t *out_len);

/* Adds the custom attribute name holding data as hex text to the
 * canonical set attrs; the new attribute, or NULL when out of memory. */
kmip_item *p11_hex_attr_add(kmip_item *attrs, const char *name,
                            const uint8_t *data, size_t len);

/* The bytes of attrs' custom attribute name into *data (free with
 * free()); false when absent or malformed. */
bool p11_hex_attr_get(const kmip_item *attrs, const char *name, uint8_t **data,
                      size_t *len);

/* Adds x-pkcs11-id holding id to the canonical set attrs; the new
 * attribute, or NULL when out of memory. */
kmip_item *p11_id_attr_add(kmip_item *attrs, const uint8_t *id, size_t len);

/* The CKA_ID bytes of attrs' x-pkcs11-id into *id (free with free());
 * false when absent or malformed. */
bool p11_id_attr_get(const kmip_item *attrs, uint8_t **id, size_t *len);

/* ---- KMIP vocabulary (kmip_vocab.c) ---- */

/* The CKO_* for a KMIP Object Type; false for types PKCS#11 cannot show
 * (split keys, templates, ...). */
bool p11_class_from_kmip(uint32_t object_type, CK_OBJECT_CLASS *out);

/* CKK_* for a key class and KMIP Cryptographic Algorithm, CKC_X_509 for a
 * certificate, CK_UNAVAILABLE_INFORMATION otherwise. */
CK_ULONG p11_subtype_from_kmip(CK_OBJECT_CLASS object_class,
                               uint32_t algorithm);

/* The KMIP Cryptographic Algorithm of a new key of key_type, 0 when the
 * module cannot make one. */
uint32_t p11_kmip_algorithm(CK_KEY_TYPE key_type);

/* The key type of a key of object_class whose KMIP algorithm gave subtype:
 * that of its public key's curve where that names one (KMIP's ECDH is EC
 * or X25519 / X448), else subtype. */
CK_ULONG p11_key_subtype(CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                         const EVP_PKEY *key);

/* Whether a secret key of this type MACs: CKK_GENERIC_SECRET and the HMAC
 * key types (CKK_SHA256_HMAC ...). */
bool p11_mac_key_type(CK_KEY_TYPE key_type);

/* ---- Public key material (public_key.c) ---- */

/* The public key of a KMIP Public Key object (X.509 SubjectPublicKeyInfo
 * or PKCS#1 RSAPublicKey DER), or NULL. Free with EVP_PKEY_free. */
EVP_PKEY *p11_public_key_from_kmip(const kmip_object *material);

/* DER of the named curve of an EC key, or the curve OID of an Ed25519,
 * Ed448, X25519 or X448 key (CKA_EC_PARAMS) into *out (free with OPENSSL_free);
 * false when key is neither. */
bool p11_ec_params_der(const EVP_PKEY *key, uint8_t **out, size_t *len);

/* DER OCTET STRING of the uncompressed point, or of an Edwards or
 * Montgomery key's RFC 8032 / 7748 public key (CKA_EC_POINT); as above. */
bool p11_ec_point_der(const EVP_PKEY *key, uint8_t **out, size_t *len);

/* The NID of the curve a CKA_EC_PARAMS value names (a named-curve OID),
 * or NID_undef. */
int p11_ec_params_nid(const uint8_t *der, size_t len);

/* ---- Reading attributes (attrmap.c) ---- */

/* A value read from an object: data/len point at value_ulong,
 * value_bool, the object's cache, or owned (freed by
 * p11_attr_value_clear). */
typedef struct p11_attr_value {
    const void *data;
    size_t len;
    uint8_t *owned;
    CK_ULONG value_ulong;
    CK_BBOOL value_bool;
} p11_attr_value;

void p11_attr_value_clear(p11_attr_value *value);

/* True for a secret key whose server lets its owner Get it (neither
 * Sensitive nor not Extractable): its CKA_VALUE is readable, fetched by
 * C_GetAttributeValue (attributes.c). Private key components never are. */
bool p11_value_exportable(const p11_object *object);

/* Reads attribute type of a loaded object, under object->lock. CKR_OK;
 * CKR_ATTRIBUTE_TYPE_INVALID when the object has no such attribute;
 * CKR_ATTRIBUTE_SENSITIVE for secret material; CKR_HOST_MEMORY. */
CK_RV p11_attr_read(const p11_object *object, CK_ATTRIBUTE_TYPE type,
                    p11_attr_value *out);

/* Whether type is an attribute array (CKA_WRAP_TEMPLATE ...) on object:
 * read back by p11_attr_array_out. */
bool p11_attr_holds_array(const p11_object *object, CK_ATTRIBUTE_TYPE type);

/* A CK_BBOOL attribute of a loaded object, taking object->lock; absent
 * when the object has none or it cannot be read. */
bool p11_attr_flag(p11_object *object, CK_ATTRIBUTE_TYPE type, bool absent);

/* The KMIP attribute that attribute type of object_class mirrors (0 when
 * none: a constant or a value computed locally). CKR_ATTRIBUTE_TYPE_INVALID
 * when such an object has no such attribute. */
CK_RV p11_attr_kmip_tag(CK_OBJECT_CLASS object_class, CK_ATTRIBUTE_TYPE type,
                        uint32_t *tag);

/* ---- Attribute arrays (attr_array.c) ---- */

/* Packs the array attribute value array (len bytes of CK_ATTRIBUTE) into
 * *out (free with free()): CKR_ATTRIBUTE_VALUE_INVALID for a length that
 * is not a whole array, an array member, or a member without its value;
 * CKR_HOST_MEMORY. (template_rules.c also refuses unknown members.) */
CK_RV p11_attr_array_pack(const CK_ATTRIBUTE *array, size_t len, uint8_t **out,
                          size_t *out_len);

/* The next member of a packed array into *attr (pValue into the packed
 * bytes), advancing *packed; false at the end. */
bool p11_attr_array_next(const uint8_t **packed, size_t *left,
                         CK_ATTRIBUTE *attr);

/* C_GetAttributeValue of a packed array into attr, by the PKCS#11 rules
 * of arrays: with pValue NULL the array's length; else each member's
 * type and value (a member's pValue NULL: its length), and
 * CKR_BUFFER_TOO_SMALL for a short array or member. */
CK_RV p11_attr_array_out(const uint8_t *packed, size_t len, CK_ATTRIBUTE *attr);

/* ---- Templates of new objects (template_rules.c) ---- */

typedef enum p11_template_phase {
    P11_TEMPLATE_CREATE,   /* C_CreateObject: material given */
    P11_TEMPLATE_GENERATE, /* C_GenerateKey(Pair): sizes given */
    /* C_DeriveKey: as GENERATE, and the key may be made readable:
     * CKA_SENSITIVE false, CKA_EXTRACTABLE true (an agreement's secret) */
    P11_TEMPLATE_DERIVE,
} p11_template_phase;

/* Checks templ for a new object of object_class and subtype (key type or
 * certificate type) against the attribute table: CKR_ATTRIBUTE_TYPE_INVALID
 * for an attribute no object has, CKR_TEMPLATE_INCONSISTENT for one
 * another class, key type or phase has and for a class or key type other
 * than the one given, CKR_ATTRIBUTE_READ_ONLY for one the token sets,
 * CKR_ATTRIBUTE_VALUE_INVALID for a bad value or one that would not be
 * read back (CKA_TOKEN false but for a session object, CKA_SENSITIVE false,
 * CKA_EXTRACTABLE true, CKA_MODIFIABLE false, a CKA_SUBJECT other than the
 * certificate's ...; the two export flags take any value when deriving).
 * Required attributes are checked by the caller. */
CK_RV p11_template_validate(const CK_ATTRIBUTE *templ, CK_ULONG count,
                            CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                            p11_template_phase phase);

/* Whether templ gives CKA_TOKEN false (a session object). */
bool p11_template_token_false(const CK_ATTRIBUTE *templ, CK_ULONG count);

/* Whether C_CreateObject with templ makes a session object kept in the
 * process (CKA_TOKEN false; a class that holds no secret: public keys,
 * certificates, data). Without CKA_TOKEN the object is a token object. */
bool p11_template_session_object(const CK_ATTRIBUTE *templ, CK_ULONG count,
                                 CK_OBJECT_CLASS object_class);

/* What a new object carries besides Name and usage, when the server
 * takes it (new_object.c learns which it refuses). */
enum {
    P11_SEND_CUSTOM = 1 << 0, /* custom attributes: x-pkcs11-id ... */
    P11_SEND_EXPORT = 1 << 1, /* Sensitive and Extractable (KMIP 1.4) */
    /* Generated on the server: CKA_LOCAL true in x-pkcs11-attrs, with
     * P11_SEND_CUSTOM (KMIP has no attribute for it). */
    P11_MARK_LOCAL = 1 << 2,
};

/* Whether a new object of templ needs custom attributes: CKA_ID, a
 * session key's owner mark, or an attribute KMIP has no place for given
 * another value than its default (x-pkcs11-attrs). */
bool p11_template_wants_custom(const CK_ATTRIBUTE *templ, CK_ULONG count,
                               CK_OBJECT_CLASS object_class, CK_ULONG subtype);

/* Adds to the canonical set attrs the KMIP attributes templ asks for:
 * Name (CKA_LABEL), x-pkcs11-id (CKA_ID, with P11_SEND_CUSTOM), Cryptographic
 * Usage Mask (from CKA_SIGN ..., defaulting to what the class does), and
 * for private and secret keys Sensitive and Extractable (with
 * P11_SEND_EXPORT) as templ gives them, else true and false, and x-pkcs11-attrs
 * for the attributes KMIP has no place for: CKR_ATTRIBUTE_VALUE_INVALID when it
 * is needed without P11_SEND_CUSTOM. A session object made on the server
 * (CKA_TOKEN false: a secret or private key, or a generated public half)
 * gets this process's owner mark (session_mark.h), which needs
 * P11_SEND_CUSTOM likewise; p11_create_and_activate then makes it a
 * session object of the session. */
CK_RV p11_template_kmip_attrs(const CK_ATTRIBUTE *templ, CK_ULONG count,
                              CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                              unsigned extras, kmip_item *attrs);

#endif
