/* SPDX-License-Identifier: Apache-2.0 */
/* Get: an object's value, keys converted to the Key Format Type asked
 * for. Private keys, symmetric keys and Secret Data are returned only
 * when the object is exportable (kmipd_export_allowed), or wrapped when
 * extractable (ops_key_wrap.c); a private key's public half (Key Format
 * Type X.509) always. */
#include <stdlib.h>
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "kmipd/ops_crypto.h"
#include "kmipd/ops_crypto_common.h"
#include "kmipd/ops_key_wrap.h"
#include "kmipd/ops_use.h"

/* What the response carries besides the object's own fields. */
typedef struct key_value {
    kmipd_buf bytes;        /* converted material */
    kmip_item *transparent; /* or a transparent Key Material structure */
    kmipd_buf wrapped;      /* bytes wrapped, when asked */
    kmip_item *wrapping_data;
} key_value;

static void key_value_clear(key_value *value)
{
    kmipd_buf_clear(&value->bytes);
    kmip_item_free(value->transparent);
    value->transparent = NULL;
    kmipd_buf_clear(&value->wrapped);
    kmip_item_free(value->wrapping_data);
    value->wrapping_data = NULL;
}

/* KMIP 1.4 has reasons for a Sensitive and a non-Extractable object
 * (wrapping only cares for the latter); older versions are told
 * Permission Denied. */
static bool not_exportable(kmipd_call *call, const kmipd_object *obj,
                           bool wrapping)
{
    bool sensitive = false;
    uint32_t reason = KMIP_RESULT_REASON_PERMISSION_DENIED;
    if (kmip_version_cmp(call->version, KMIP_VERSION(1, 4)) >= 0) {
        kmip_get_bool(obj->attrs, KMIP_TAG_SENSITIVE, &sensitive, NULL);
        reason = sensitive && !wrapping ? KMIP_RESULT_REASON_SENSITIVE
                                        : KMIP_RESULT_REASON_NOT_EXTRACTABLE;
    }
    return kmipd_fail(call, reason,
                      "the key material of %s may not leave the server",
                      obj->uid);
}

static bool add_bigint(kmipd_call *call, kmip_item *parent, uint32_t tag,
                       const kmipd_buf *unsigned_be)
{
    /* A leading zero keeps the two's complement value positive. */
    uint8_t *be = malloc(unsigned_be->len + 1);
    if (be == NULL)
        return kmipd_fail_nomem(call);
    be[0] = 0;
    memcpy(be + 1, unsigned_be->data, unsigned_be->len);
    bool ok = kmip_item_add(parent, kmip_item_new_bigint(
                                        tag, be, unsigned_be->len + 1)) != NULL;
    free(be);
    return ok || kmipd_fail_nomem(call);
}

static bool transparent_rsa_public(kmipd_call *call, const kmipd_object *obj,
                                   kmip_item *material)
{
    kmipd_buf n = {0}, e = {0};
    kmip_status st;
    if (kmipd_key_rsa_public_parts(obj->material, obj->material_len, &n, &e,
                                   &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    bool ok = add_bigint(call, material, KMIP_TAG_MODULUS, &n) &&
              add_bigint(call, material, KMIP_TAG_PUBLIC_EXPONENT, &e);
    kmipd_buf_clear(&n);
    kmipd_buf_clear(&e);
    return ok;
}

static bool transparent_ec_public(kmipd_call *call, const kmipd_object *obj,
                                  kmip_item *material)
{
    kmipd_buf point = {0};
    uint32_t curve = 0;
    kmip_status st;
    if (kmipd_key_ec_public_parts(obj->material, obj->material_len, &curve,
                                  &point, &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    bool ok =
        kmip_add_enum(material, KMIP_TAG_RECOMMENDED_CURVE, curve) &&
        kmip_add_bytes(material, KMIP_TAG_Q_STRING, point.data, point.len);
    kmipd_buf_clear(&point);
    return ok || kmipd_fail_nomem(call);
}

/* The Key Material of a transparent format, or false when format is not
 * one this object has. */
static bool build_transparent(kmipd_call *call, const kmipd_object *obj,
                              uint32_t format, key_value *value)
{
    value->transparent = kmip_item_new_structure(KMIP_TAG_KEY_MATERIAL);
    if (value->transparent == NULL)
        return kmipd_fail_nomem(call);
    if (format == KMIP_KEY_FORMAT_TYPE_TRANSPARENT_SYMMETRIC_KEY &&
        obj->object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY)
        return kmip_add_bytes(value->transparent, KMIP_TAG_KEY, obj->material,
                              obj->material_len) != NULL ||
               kmipd_fail_nomem(call);
    if (format == KMIP_KEY_FORMAT_TYPE_TRANSPARENT_RSA_PUBLIC_KEY &&
        obj->object_type == KMIP_OBJECT_TYPE_PUBLIC_KEY)
        return transparent_rsa_public(call, obj, value->transparent);
    if (format == KMIP_KEY_FORMAT_TYPE_TRANSPARENT_EC_PUBLIC_KEY &&
        obj->object_type == KMIP_OBJECT_TYPE_PUBLIC_KEY)
        return transparent_ec_public(call, obj, value->transparent);
    return kmipd_fail(call, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                      "Key Format Type %u is not available for object type "
                      "%u",
                      format, obj->object_type);
}

static bool is_transparent(uint32_t format)
{
    return format == KMIP_KEY_FORMAT_TYPE_TRANSPARENT_SYMMETRIC_KEY ||
           format == KMIP_KEY_FORMAT_TYPE_TRANSPARENT_RSA_PUBLIC_KEY ||
           format == KMIP_KEY_FORMAT_TYPE_TRANSPARENT_EC_PUBLIC_KEY;
}

static bool build_key(kmipd_call *call, const kmipd_object *obj,
                      uint32_t format, kmip_object *out, key_value *value)
{
    out->format = format != 0 ? format : obj->material_format;
    if (kmip_attrs_get_algorithm(obj->attrs, &out->algorithm, NULL) != KMIP_OK)
        out->algorithm = 0;
    if (kmip_attrs_get_length(obj->attrs, &out->length, NULL) != KMIP_OK)
        out->length = 0;
    if (is_transparent(out->format)) {
        if (!build_transparent(call, obj, out->format, value))
            return false;
        out->transparent = value->transparent;
        return true;
    }
    kmip_status st;
    if (kmipd_key_export(obj->object_type, obj->material, obj->material_len,
                         out->format, &value->bytes, &st) != KMIP_OK)
        return kmipd_crypto_call_fail(call, &st);
    out->value = (kmip_bytes){value->bytes.data, value->bytes.len};
    return true;
}

/* The type kept in a server-defined attribute at Register. */
static uint32_t stored_type(const kmipd_object *obj, const char *name)
{
    const char *text = NULL;
    if (kmip_attrs_get_custom_text(obj->attrs, name, &text, NULL) != KMIP_OK)
        return 0;
    return (uint32_t)strtoul(text, NULL, 10);
}

static bool build_object(kmipd_call *call, const kmipd_object *obj,
                         uint32_t format, kmip_object *out, key_value *value)
{
    out->object_type = obj->object_type;
    out->value = (kmip_bytes){obj->material, obj->material_len};
    switch (obj->object_type) {
    case KMIP_OBJECT_TYPE_SYMMETRIC_KEY:
    case KMIP_OBJECT_TYPE_PRIVATE_KEY:
    case KMIP_OBJECT_TYPE_PUBLIC_KEY:
        return build_key(call, obj, format, out, value);
    case KMIP_OBJECT_TYPE_CERTIFICATE:
        out->format = KMIP_CERTIFICATE_TYPE_X_509;
        return true;
    case KMIP_OBJECT_TYPE_SECRET_DATA:
        out->format = obj->material_format;
        out->secret_data_type = stored_type(obj, KMIPD_ATTR_SECRET_DATA_TYPE);
        return true;
    case KMIP_OBJECT_TYPE_OPAQUE_DATA:
        out->format = stored_type(obj, KMIPD_ATTR_OPAQUE_DATA_TYPE);
        return true;
    default:
        return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                          "object %s has an unknown type", obj->uid);
    }
}

static bool check_get_args(kmipd_call *call, const kmip_get_args *args)
{
    if (args->key_compression_type != 0 &&
        args->key_compression_type !=
            KMIP_KEY_COMPRESSION_TYPE_EC_PUBLIC_KEY_TYPE_UNCOMPRESSED)
        return kmipd_fail(call,
                          KMIP_RESULT_REASON_KEY_COMPRESSION_TYPE_NOT_SUPPORTED,
                          "kmipd returns EC points uncompressed only");
    return true;
}

/* Whether Get may return obj's value in format, unwrapped (spec NULL)
 * or wrapped. */
static bool get_allowed(const kmipd_object *obj, uint32_t format,
                        const kmip_item *spec)
{
    if (spec != NULL)
        return kmipd_get_wrap_allowed(obj);
    return kmipd_export_allowed(obj) ||
           (obj->object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY &&
            format == KMIP_KEY_FORMAT_TYPE_X_509);
}

bool kmipd_op_get(kmipd_call *call)
{
    kmip_get_args args;
    kmip_status st;
    if (kmip_get_request_parse(call->request, &args, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    kmipd_object *obj;
    if (!check_get_args(call, &args) || !kmipd_call_load(call, &obj))
        return false;
    kmip_object out = {0};
    key_value value = {0};
    bool ok;
    const kmip_item *spec = args.key_wrapping_specification;
    if (!get_allowed(obj, args.key_format_type, spec))
        ok = not_exportable(call, obj, spec != NULL);
    else if (obj->material == NULL)
        ok = kmipd_fail(call, KMIP_RESULT_REASON_KEY_VALUE_NOT_PRESENT,
                        "object %s has no value", obj->uid);
    else
        ok = build_object(call, obj, args.key_format_type, &out, &value) &&
             (spec == NULL || kmipd_get_wrap(call, spec, &out, &value.wrapped,
                                             &value.wrapping_data)) &&
             kmipd_use_served(call, obj) &&
             kmipd_call_answer(
                 call, kmip_get_response_build(call->version, obj->uid, &out));
    key_value_clear(&value);
    kmipd_object_free(obj);
    return ok;
}
