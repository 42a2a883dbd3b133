/* SPDX-License-Identifier: Apache-2.0 */
/* Register: keys (validated and stored in canonical form), certificates,
 * Secret Data and Opaque Objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "kmipd/attr_request.h"
#include "kmipd/attributes.h"
#include "kmipd/ops_crypto.h"
#include "kmipd/ops_crypto_common.h"
#include "kmipd/ops_key_wrap.h"

/* What is stored for a registered object. */
typedef struct registration {
    kmipd_buf material;
    uint32_t format; /* material_format */
    kmipd_key_info info;
} registration;

static bool invalid(kmipd_call *call, const char *what)
{
    return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD, "%s", what);
}

static bool crypto_result(kmipd_call *call, kmip_rc rc, const kmip_status *st)
{
    return rc == KMIP_OK || kmipd_crypto_call_fail(call, st);
}

/* Transparent RSA Public Key {Modulus, Public Exponent}. */
static bool import_rsa_numbers(kmipd_call *call, const kmip_item *material,
                               registration *reg)
{
    const kmip_item *n_item = kmip_item_find(material, KMIP_TAG_MODULUS);
    const kmip_item *e_item =
        kmip_item_find(material, KMIP_TAG_PUBLIC_EXPONENT);
    uint8_t *n = NULL, *e = NULL;
    size_t n_len = 0, e_len = 0;
    if (n_item == NULL || e_item == NULL ||
        n_item->type != KMIP_TYPE_BIG_INTEGER ||
        e_item->type != KMIP_TYPE_BIG_INTEGER)
        return invalid(call, "Transparent RSA Public Key needs Modulus and "
                             "Public Exponent Big Integers");
    kmip_status st;
    bool ok = kmip_bigint_minimal(n_item, &n, &n_len) == KMIP_OK &&
              kmip_bigint_minimal(e_item, &e, &e_len) == KMIP_OK;
    ok = ok ? crypto_result(call,
                            kmipd_key_from_rsa_public(n, n_len, e, e_len,
                                                      &reg->material,
                                                      &reg->info, &st),
                            &st)
            : kmipd_fail_nomem(call);
    free(n);
    free(e);
    return ok;
}

static bool import_ec_point(kmipd_call *call, uint32_t curve,
                            const uint8_t *point, size_t len, registration *reg)
{
    kmip_status st;
    return crypto_result(call,
                         kmipd_key_from_ec_point(curve, point, len,
                                                 &reg->material, &reg->info,
                                                 &st),
                         &st);
}

/* Key Material given as a structure (the transparent formats). */
static bool import_transparent(kmipd_call *call, const kmip_object *object,
                               registration *reg)
{
    const kmip_item *material = object->transparent;
    kmip_status st;
    const uint8_t *bytes;
    size_t len;
    uint32_t curve;
    switch (object->format) {
    case KMIP_KEY_FORMAT_TYPE_TRANSPARENT_SYMMETRIC_KEY:
        if (object->object_type != KMIP_OBJECT_TYPE_SYMMETRIC_KEY)
            break;
        if (kmip_get_bytes(material, KMIP_TAG_KEY, &bytes, &len, &st) !=
            KMIP_OK)
            return kmipd_fail_status(call, &st);
        return crypto_result(call,
                             kmipd_key_import(object->object_type,
                                              KMIP_KEY_FORMAT_TYPE_RAW,
                                              object->algorithm, bytes, len,
                                              &reg->material, &reg->info, &st),
                             &st);
    case KMIP_KEY_FORMAT_TYPE_TRANSPARENT_RSA_PUBLIC_KEY:
        if (object->object_type != KMIP_OBJECT_TYPE_PUBLIC_KEY)
            break;
        return import_rsa_numbers(call, material, reg);
    case KMIP_KEY_FORMAT_TYPE_TRANSPARENT_EC_PUBLIC_KEY:
        if (object->object_type != KMIP_OBJECT_TYPE_PUBLIC_KEY)
            break;
        if (kmip_get_enum(material, KMIP_TAG_RECOMMENDED_CURVE, &curve, &st) !=
                KMIP_OK ||
            kmip_get_bytes(material, KMIP_TAG_Q_STRING, &bytes, &len, &st) !=
                KMIP_OK)
            return kmipd_fail_status(call, &st);
        return import_ec_point(call, curve, bytes, len, reg);
    default:
        break;
    }
    return kmipd_fail(call, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                      "Key Format Type %u is not accepted for object type %u",
                      object->format, object->object_type);
}

static bool import_plain_key(kmipd_call *call, const kmip_object *object,
                             const kmip_item *attrs, registration *reg)
{
    if (object->object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY &&
        object->algorithm == 0)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                          "the Key Block has no Cryptographic Algorithm");
    reg->format = object->object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY
                      ? KMIP_KEY_FORMAT_TYPE_PKCS_8
                  : object->object_type == KMIP_OBJECT_TYPE_PUBLIC_KEY
                      ? KMIP_KEY_FORMAT_TYPE_X_509
                      : KMIP_KEY_FORMAT_TYPE_RAW;
    if (object->transparent != NULL)
        return import_transparent(call, object, reg);
    kmip_status st;
    /* A Raw EC public key is its point, the curve an attribute; a Raw
     * Ed25519 / Ed448 public key its RFC 8032 bytes. */
    if (object->object_type == KMIP_OBJECT_TYPE_PUBLIC_KEY &&
        object->format == KMIP_KEY_FORMAT_TYPE_RAW)
        return crypto_result(call,
                             kmipd_key_from_raw_public(
                                 object->algorithm, kmipd_attrs_curve(attrs),
                                 object->value.data, object->value.len,
                                 &reg->material, &reg->info, &st),
                             &st);
    return crypto_result(call,
                         kmipd_key_import(object->object_type, object->format,
                                          object->algorithm, object->value.data,
                                          object->value.len, &reg->material,
                                          &reg->info, &st),
                         &st);
}

static bool import_key(kmipd_call *call, const kmip_object *object,
                       const kmip_item *attrs, registration *reg)
{
    if (object->wrapping_data == NULL)
        return import_plain_key(call, object, attrs, reg);
    kmip_object plain = *object;
    kmipd_buf bytes = {0};
    bool ok = kmipd_register_unwrap(call, &plain, &bytes) &&
              import_plain_key(call, &plain, attrs, reg);
    kmipd_buf_clear(&bytes);
    return ok;
}

/* A key registered with a Recommended Curve (in Cryptographic Domain
 * Parameters) is on that curve: an X448 key is no CURVE25519 ECDH key. */
static bool on_declared_curve(kmipd_call *call, const kmip_item *attrs,
                              const registration *reg)
{
    uint32_t declared = kmipd_attrs_curve(attrs);
    return declared == 0 || declared == reg->info.curve ||
           invalid(call, "the key is not on the declared Recommended Curve");
}

static bool import_certificate(kmipd_call *call, const kmip_object *object,
                               kmip_item *attrs, registration *reg)
{
    if (object->format != KMIP_CERTIFICATE_TYPE_X_509)
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "kmipd stores X.509 certificates only");
    kmip_status st;
    if (kmipd_certificate_check(object->value.data, object->value.len,
                                &reg->info, &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    reg->format = KMIP_KEY_FORMAT_TYPE_X_509;
    if (!kmipd_buf_set(&reg->material, object->value.data, object->value.len) ||
        !kmipd_attrs_put(attrs,
                         kmip_item_new_enum(KMIP_TAG_CERTIFICATE_TYPE,
                                            KMIP_CERTIFICATE_TYPE_X_509)) ||
        !kmipd_attrs_put(attrs,
                         kmip_item_new_integer(KMIP_TAG_CERTIFICATE_LENGTH,
                                               (int32_t)object->value.len)))
        return kmipd_fail_nomem(call);
    return reg->info.algorithm == 0 ||
           kmipd_attrs_put_key_info(call, attrs, &reg->info);
}

/* Secret Data and Opaque Objects: bytes kept as they are, with their
 * type in a server-defined attribute. */
static bool import_data(kmipd_call *call, const kmip_object *object,
                        kmip_item *attrs, registration *reg)
{
    bool secret = object->object_type == KMIP_OBJECT_TYPE_SECRET_DATA;
    /* An empty value is a Byte String of length 0, which KMIP allows
     * (an empty PKCS#11 data object). */
    if (object->value.data == NULL)
        return invalid(call, "structured object value");
    if (secret && object->wrapping_data != NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                          "kmipd does not unwrap Secret Data");
    char type[16];
    snprintf(type, sizeof(type), "%u",
             secret ? object->secret_data_type : object->format);
    reg->format = secret ? object->format : KMIP_KEY_FORMAT_TYPE_OPAQUE;
    memset(&reg->info, 0, sizeof(reg->info));
    if (!kmipd_buf_set(&reg->material, object->value.data, object->value.len) ||
        kmip_attrs_add_custom_text(attrs,
                                   secret ? KMIPD_ATTR_SECRET_DATA_TYPE
                                          : KMIPD_ATTR_OPAQUE_DATA_TYPE,
                                   type) == NULL)
        return kmipd_fail_nomem(call);
    return true;
}

static bool import_object(kmipd_call *call, const kmip_object *object,
                          kmip_item *attrs, registration *reg)
{
    switch (object->object_type) {
    case KMIP_OBJECT_TYPE_SYMMETRIC_KEY:
    case KMIP_OBJECT_TYPE_PRIVATE_KEY:
    case KMIP_OBJECT_TYPE_PUBLIC_KEY:
        return import_key(call, object, attrs, reg) &&
               on_declared_curve(call, attrs, reg) &&
               kmipd_attrs_put_key_info(call, attrs, &reg->info);
    case KMIP_OBJECT_TYPE_CERTIFICATE:
        return import_certificate(call, object, attrs, reg);
    case KMIP_OBJECT_TYPE_SECRET_DATA:
    case KMIP_OBJECT_TYPE_OPAQUE_DATA:
        return import_data(call, object, attrs, reg);
    default:
        return kmipd_fail_mapped(call, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                                 "kmipd does not store object type %u",
                                 object->object_type);
    }
}

bool kmipd_op_register(kmipd_call *call)
{
    kmip_register_args args;
    kmip_object object;
    kmip_status st;
    if (kmip_register_request_parse(call->request, &args, &st) != KMIP_OK ||
        kmip_object_parse(args.object, &object, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    if (object.object_type != args.object_type)
        return invalid(call, "the object does not match the Object Type");
    kmip_item *attrs = kmipd_attrs_from_request(call, args.attributes);
    if (attrs == NULL)
        return false;
    registration reg = {0};
    bool exportable;
    if (!import_object(call, &object, attrs, &reg) ||
        !kmipd_export_attrs(call, object.object_type, attrs, true, false,
                            &exportable)) {
        kmip_item_free(attrs);
        kmipd_buf_clear(&reg.material);
        return false;
    }
    kmipd_object *obj = kmipd_object_new(object.object_type, call->owner);
    bool ok =
        obj != NULL && kmipd_object_set_material(obj, reg.material.data,
                                                 reg.material.len, reg.format);
    kmipd_buf_clear(&reg.material);
    if (!ok) {
        kmip_item_free(attrs);
        kmipd_object_free(obj);
        return kmipd_fail_nomem(call);
    }
    kmip_item_free(obj->attrs);
    obj->attrs = attrs;
    obj->exportable = exportable;
    ok = kmipd_call_insert(call, &obj, 1) &&
         kmipd_call_answer(
             call, kmip_register_response_build(call->version, obj->uid, NULL));
    kmipd_object_free(obj);
    return ok;
}
