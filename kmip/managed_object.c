/* SPDX-License-Identifier: Apache-2.0 */
/* Managed object structures: keys (Key Block), Secret Data, Certificate,
 * Opaque Object. */
#include <string.h>

#include "payload_fields.h"

typedef enum object_shape {
    SHAPE_KEY_BLOCK,   /* {Key Block} */
    SHAPE_SECRET_DATA, /* {Secret Data Type, Key Block} */
    SHAPE_VALUE,       /* {<type enum>, <value bytes>} */
} object_shape;

typedef struct object_kind {
    uint32_t object_type;
    uint32_t tag;
    object_shape shape;
    uint32_t type_tag;  /* SHAPE_VALUE: Certificate Type, Opaque Data Type */
    uint32_t value_tag; /* SHAPE_VALUE: Certificate Value, ... */
    const char *name;
} object_kind;

static const object_kind kinds[] = {
    {KMIP_OBJECT_TYPE_SYMMETRIC_KEY, KMIP_TAG_SYMMETRIC_KEY, SHAPE_KEY_BLOCK, 0,
     0, "Symmetric Key"},
    {KMIP_OBJECT_TYPE_PUBLIC_KEY, KMIP_TAG_PUBLIC_KEY, SHAPE_KEY_BLOCK, 0, 0,
     "Public Key"},
    {KMIP_OBJECT_TYPE_PRIVATE_KEY, KMIP_TAG_PRIVATE_KEY, SHAPE_KEY_BLOCK, 0, 0,
     "Private Key"},
    {KMIP_OBJECT_TYPE_SECRET_DATA, KMIP_TAG_SECRET_DATA, SHAPE_SECRET_DATA, 0,
     0, "Secret Data"},
    {KMIP_OBJECT_TYPE_CERTIFICATE, KMIP_TAG_CERTIFICATE, SHAPE_VALUE,
     KMIP_TAG_CERTIFICATE_TYPE, KMIP_TAG_CERTIFICATE_VALUE, "Certificate"},
    {KMIP_OBJECT_TYPE_OPAQUE_DATA, KMIP_TAG_OPAQUE_OBJECT, SHAPE_VALUE,
     KMIP_TAG_OPAQUE_DATA_TYPE, KMIP_TAG_OPAQUE_DATA_VALUE, "Opaque Object"},
};

static const object_kind *kind_by(bool by_tag, uint32_t value)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if ((by_tag ? kinds[i].tag : kinds[i].object_type) == value)
            return &kinds[i];
    return NULL;
}

uint32_t kmip_object_tag(uint32_t object_type)
{
    const object_kind *kind = kind_by(false, object_type);
    return kind != NULL ? kind->tag : 0;
}

/* The Key Block's fields after its Key Value; frees block on failure. */
static kmip_item *add_block_tail(kmip_item *block, const kmip_object *object)
{
    if ((object->algorithm == 0 ||
         kmip_add_enum(block, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                       object->algorithm)) &&
        (object->length == 0 ||
         kmip_add_integer(block, KMIP_TAG_CRYPTOGRAPHIC_LENGTH,
                          object->length)) &&
        (object->wrapping_data == NULL ||
         kmip_item_add(block, kmip_item_dup(object->wrapping_data))))
        return block;
    kmip_item_free(block);
    return NULL;
}

static kmip_item *build_key_block(const kmip_object *object)
{
    kmip_item *block = kmip_item_new_structure(KMIP_TAG_KEY_BLOCK);
    if (!kmip_add_enum(block, KMIP_TAG_KEY_FORMAT_TYPE, object->format))
        goto fail;
    if (object->wrapping_data != NULL) { /* a wrapped Key Value */
        if (!kmip_add_bytes(block, KMIP_TAG_KEY_VALUE, object->value.data,
                            object->value.len))
            goto fail;
        return add_block_tail(block, object);
    }
    kmip_item *value = kmip_add_structure(block, KMIP_TAG_KEY_VALUE);
    kmip_item *material;
    if (object->transparent != NULL) {
        material = kmip_item_dup(object->transparent);
        if (material != NULL)
            material->tag = KMIP_TAG_KEY_MATERIAL;
    } else {
        material = kmip_item_new_bytes(KMIP_TAG_KEY_MATERIAL,
                                       object->value.data, object->value.len);
    }
    if (value == NULL || !kmip_item_add(value, material))
        goto fail;
    return add_block_tail(block, object);
fail:
    kmip_item_free(block);
    return NULL;
}

kmip_item *kmip_object_build(const kmip_object *object)
{
    if (object == NULL)
        return NULL;
    const object_kind *kind = kind_by(false, object->object_type);
    if (kind == NULL || object->format == 0 ||
        (object->value.data == NULL && object->transparent == NULL))
        return NULL;
    kmip_item *item = kmip_item_new_structure(kind->tag);
    bool ok = item != NULL;
    switch (kind->shape) {
    case SHAPE_SECRET_DATA:
        ok = ok && object->secret_data_type != 0 &&
             kmip_add_enum(item, KMIP_TAG_SECRET_DATA_TYPE,
                           object->secret_data_type);
        /* Secret Data holds a Key Block after its type. */
        __attribute__((fallthrough));
    case SHAPE_KEY_BLOCK:
        ok = ok && kmip_item_add(item, build_key_block(object));
        break;
    case SHAPE_VALUE:
        ok = ok && object->value.data != NULL &&
             kmip_add_enum(item, kind->type_tag, object->format) &&
             kmip_add_bytes(item, kind->value_tag, object->value.data,
                            object->value.len);
        break;
    }
    if (!ok) {
        kmip_item_free(item);
        return NULL;
    }
    return item;
}

static kmip_rc parse_key_value(const kmip_item *block, kmip_object *out,
                               kmip_status *status)
{
    const kmip_item *value = kmip_item_find(block, KMIP_TAG_KEY_VALUE);
    if (value == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND,
                         "Key Block: missing Key Value");
    if (value->type == KMIP_TYPE_BYTE_STRING) { /* wrapped */
        out->value = (kmip_bytes){value->v.bytes.data, value->v.bytes.len};
        return KMIP_OK;
    }
    if (value->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE,
                         "Key Block: Key Value must be a Structure or a "
                         "Byte String");
    const kmip_item *material = kmip_item_find(value, KMIP_TAG_KEY_MATERIAL);
    if (material == NULL)
        return kmip_fail(status, KMIP_E_NOT_FOUND,
                         "Key Value: missing Key Material");
    if (material->type == KMIP_TYPE_BYTE_STRING)
        out->value =
            (kmip_bytes){material->v.bytes.data, material->v.bytes.len};
    else if (material->type == KMIP_TYPE_STRUCTURE)
        out->transparent = material;
    else
        return kmip_fail(status, KMIP_E_DECODE,
                         "Key Value: Key Material must be a Byte String or "
                         "a Structure");
    return KMIP_OK;
}

static kmip_rc parse_key_block(const kmip_item *parent, kmip_object *out,
                               kmip_status *status)
{
    const kmip_item *block;
    kmip_rc rc = kmip_get_structure(parent, KMIP_TAG_KEY_BLOCK, &block, status);
    if (rc != KMIP_OK)
        return kmip_fail(status, rc, "object: %s Key Block",
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    rc = kmip_get_enum(block, KMIP_TAG_KEY_FORMAT_TYPE, &out->format, status);
    if (rc != KMIP_OK)
        return kmip_fail(status, rc, "Key Block: %s Key Format Type",
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    rc = parse_key_value(block, out, status);
    if (rc != KMIP_OK)
        return rc;
    rc = kmip_get_enum(block, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM, &out->algorithm,
                       status);
    if (rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "Key Block: bad Cryptographic Algorithm");
    rc = kmip_get_integer(block, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, &out->length,
                          status);
    if (rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "Key Block: bad Cryptographic Length");
    rc = kmip_get_structure(block, KMIP_TAG_KEY_WRAPPING_DATA,
                            &out->wrapping_data, status);
    if (rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "Key Block: bad Key Wrapping Data");
    return KMIP_OK;
}

static kmip_rc parse_value_shape(const kmip_item *item, const object_kind *kind,
                                 kmip_object *out, kmip_status *status)
{
    const uint8_t *data;
    size_t len;
    kmip_rc rc = kmip_get_enum(item, kind->type_tag, &out->format, status);
    if (rc == KMIP_OK)
        rc = kmip_get_bytes(item, kind->value_tag, &data, &len, status);
    if (rc != KMIP_OK)
        return kmip_fail(status, rc, "%s: %s type or value", kind->name,
                         rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
    out->value = (kmip_bytes){data, len};
    return KMIP_OK;
}

kmip_rc kmip_object_parse(const kmip_item *item, kmip_object *out,
                          kmip_status *status)
{
    if (item == NULL || out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG, "object: no input");
    memset(out, 0, sizeof(*out));
    const object_kind *kind = kind_by(true, item->tag);
    if (kind == NULL || item->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE,
                         "object: tag 0x%06x is not a supported object "
                         "structure",
                         (unsigned)item->tag);
    out->object_type = kind->object_type;
    kmip_rc rc;
    switch (kind->shape) {
    case SHAPE_SECRET_DATA:
        rc = kmip_get_enum(item, KMIP_TAG_SECRET_DATA_TYPE,
                           &out->secret_data_type, status);
        if (rc != KMIP_OK)
            return kmip_fail(status, rc, "Secret Data: %s Secret Data Type",
                             rc == KMIP_E_NOT_FOUND ? "missing" : "bad");
        return parse_key_block(item, out, status);
    case SHAPE_KEY_BLOCK:
        return parse_key_block(item, out, status);
    case SHAPE_VALUE:
        return parse_value_shape(item, kind, out, status);
    }
    return KMIP_E_DECODE;
}
