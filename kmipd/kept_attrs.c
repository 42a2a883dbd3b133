/* SPDX-License-Identifier: Apache-2.0 */
/* The attributes kmipd keeps for new objects (see kept_attrs.h). */
#include "kmip/tags.h"

#include "kmipd/attributes.h"
#include "kmipd/crypto.h"
#include "kmipd/kept_attrs.h"

/* Puts attr unless attrs has its tag already. */
static bool put_absent(kmip_item *attrs, kmip_item *attr)
{
    if (attr != NULL && kmip_item_find(attrs, attr->tag) != NULL) {
        kmip_item_free(attr);
        return true;
    }
    return kmipd_attrs_put(attrs, attr);
}

void kmipd_sensitivity(const kmip_item *attrs, bool *sensitive,
                       bool *extractable)
{
    *sensitive = false;
    *extractable = true;
    kmip_get_bool(attrs, KMIP_TAG_SENSITIVE, sensitive, NULL);
    kmip_get_bool(attrs, KMIP_TAG_EXTRACTABLE, extractable, NULL);
}

bool kmipd_sensitivity_put(kmip_item *attrs, bool extractable_allowed,
                           bool past_known)
{
    bool sensitive, extractable;
    kmipd_sensitivity(attrs, &sensitive, &extractable);
    extractable = extractable && extractable_allowed;
    return kmipd_attrs_put(attrs,
                           kmip_item_new_bool(KMIP_TAG_SENSITIVE, sensitive)) &&
           kmipd_attrs_put(
               attrs, kmip_item_new_bool(KMIP_TAG_EXTRACTABLE, extractable)) &&
           kmipd_attrs_put(attrs,
                           kmip_item_new_bool(KMIP_TAG_ALWAYS_SENSITIVE,
                                              past_known && sensitive)) &&
           kmipd_attrs_put(attrs,
                           kmip_item_new_bool(KMIP_TAG_NEVER_EXTRACTABLE,
                                              past_known && !extractable));
}

/* Always Sensitive is the server's alone: present when kmipd_export_attrs
 * set the four already (secret material); else from the client's
 * Sensitive and Extractable, as they have been since creation. */
static bool put_sensitivity(kmip_item *attrs)
{
    if (kmip_item_find(attrs, KMIP_TAG_ALWAYS_SENSITIVE) != NULL)
        return true;
    return kmipd_sensitivity_put(attrs, true, true);
}

bool kmipd_kept_attrs_init(kmipd_object *obj, int64_t now)
{
    return put_sensitivity(obj->attrs) &&
           kmipd_digest_attribute(obj->attrs, obj->object_type, obj->material,
                                  obj->material_len, obj->material_format) &&
           put_absent(obj->attrs, kmip_item_new_datetime(
                                      KMIP_TAG_ORIGINAL_CREATION_DATE, now)) &&
           put_absent(obj->attrs, kmip_item_new_bool(KMIP_TAG_FRESH, true)) &&
           put_absent(obj->attrs, kmip_item_new_interval(KMIP_TAG_LEASE_TIME,
                                                         KMIPD_LEASE_TIME));
}

kmip_item *kmipd_rng_description(uint32_t tag)
{
    kmip_item *rng = kmip_item_new_structure(tag);
    bool ok =
        kmip_add_enum(rng, KMIP_TAG_RNG_ALGORITHM, KMIP_RNG_ALGORITHM_DRBG) &&
        kmip_add_enum(rng, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                      KMIP_CRYPTOGRAPHIC_ALGORITHM_AES) &&
        kmip_add_integer(rng, KMIP_TAG_CRYPTOGRAPHIC_LENGTH, 256) &&
        kmip_add_enum(rng, KMIP_TAG_DRBG_ALGORITHM, KMIP_DRBG_ALGORITHM_CTR);
    if (!ok) {
        kmip_item_free(rng);
        return NULL;
    }
    return rng;
}

bool kmipd_kept_attrs_generated(kmip_item *attrs)
{
    return put_absent(attrs,
                      kmipd_rng_description(KMIP_TAG_RANDOM_NUMBER_GENERATOR));
}
