/* SPDX-License-Identifier: Apache-2.0 */
/* A managed object in memory. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kmip/tags.h"

#include "kmipd/store.h"

kmipd_object *kmipd_object_new(uint32_t object_type, const char *owner)
{
    if (strlen(owner) >= KMIPD_OWNER_MAX)
        return NULL;
    kmipd_object *obj = calloc(1, sizeof(*obj));
    if (obj == NULL)
        return NULL;
    obj->attrs = kmip_item_new_structure(KMIP_TAG_ATTRIBUTES);
    if (obj->attrs == NULL) {
        free(obj);
        return NULL;
    }
    obj->object_type = object_type;
    obj->state = KMIP_STATE_PRE_ACTIVE;
    strcpy(obj->owner, owner);
    return obj;
}

static void object_wipe_material(kmipd_object *obj)
{
    if (obj->material != NULL) {
        OPENSSL_cleanse(obj->material, obj->material_len);
        free(obj->material);
    }
    obj->material = NULL;
    obj->material_len = 0;
}

bool kmipd_object_set_material(kmipd_object *obj, const uint8_t *material,
                               size_t len, uint32_t format)
{
    uint8_t *copy = NULL;
    /* A material of length 0 is an empty value, not none. */
    if (material != NULL) {
        copy = malloc(len > 0 ? len : 1);
        if (copy == NULL)
            return false;
        if (len > 0)
            memcpy(copy, material, len);
    }
    object_wipe_material(obj);
    obj->material = copy;
    obj->material_len = len;
    obj->material_format = format;
    return true;
}

void kmipd_object_free(kmipd_object *obj)
{
    if (obj == NULL)
        return;
    object_wipe_material(obj);
    kmip_item_free(obj->attrs);
    free(obj);
}

kmipd_object *kmipd_object_dup(const kmipd_object *obj)
{
    kmipd_object *copy = malloc(sizeof(*copy));
    if (copy == NULL)
        return NULL;
    *copy = *obj;
    copy->material = NULL;
    copy->material_len = 0;
    copy->attrs = kmip_item_dup(obj->attrs);
    if (copy->attrs == NULL ||
        !kmipd_object_set_material(copy, obj->material, obj->material_len,
                                   obj->material_format)) {
        kmipd_object_free(copy);
        return NULL;
    }
    return copy;
}
