/* SPDX-License-Identifier: Apache-2.0 */
/* Usage Limits and Fresh (see ops_use.h). The object is read again under
 * its lock before it is changed, so that concurrent uses all count. */
#include "kmip/tags.h"

#include "kmipd/attributes.h"
#include "kmipd/ops_crypto_common.h"
#include "kmipd/ops_use.h"

/* Reloads obj under its lock, lets change alter it, saves it. */
static bool update(kmipd_call *call,
                   bool (*change)(kmipd_call *, kmipd_object *, size_t),
                   size_t arg)
{
    kmipd_object *fresh = NULL;
    bool ok = kmipd_call_load_for_update(call, &fresh) &&
              change(call, fresh, arg) && kmipd_call_save(call, fresh);
    kmipd_object_free(fresh);
    return ok;
}

/* A copy of limits whose Usage Limits Count is count; NULL when out of
 * memory. */
static kmip_item *limits_with_count(const kmip_item *limits, int64_t count)
{
    kmip_item *updated = kmip_item_dup(limits);
    kmip_item *old =
        (kmip_item *)kmip_item_find(updated, KMIP_TAG_USAGE_LIMITS_COUNT);
    if (old != NULL) {
        kmip_item_remove(updated, old);
        kmip_item_free(old);
    }
    if (kmip_item_add(updated, kmip_item_new_long(KMIP_TAG_USAGE_LIMITS_COUNT,
                                                  count)) == NULL) {
        kmip_item_free(updated);
        return NULL;
    }
    return updated;
}

static bool take(kmipd_call *call, kmipd_object *obj, size_t bytes)
{
    const kmip_item *limits = kmip_item_find(obj->attrs, KMIP_TAG_USAGE_LIMITS);
    uint32_t unit = 0;
    int64_t left = 0;
    if (limits == NULL)
        return true;
    kmip_get_enum(limits, KMIP_TAG_USAGE_LIMITS_UNIT, &unit, NULL);
    int64_t amount =
        unit == KMIP_USAGE_LIMITS_UNIT_BYTE ? (int64_t)bytes : INT64_C(1);
    if (kmip_get_long(limits, KMIP_TAG_USAGE_LIMITS_COUNT, &left, NULL) !=
        KMIP_OK)
        kmip_get_long(limits, KMIP_TAG_USAGE_LIMITS_TOTAL, &left, NULL);
    if (left < amount)
        return kmipd_fail(call, KMIP_RESULT_REASON_PERMISSION_DENIED,
                          "the Usage Limits of %s are used up", obj->uid);
    if (!kmipd_attrs_put(obj->attrs, limits_with_count(limits, left - amount)))
        return kmipd_fail_nomem(call);
    return true;
}

bool kmipd_use_consume(kmipd_call *call, const kmipd_object *obj, size_t bytes)
{
    if (kmip_item_find(obj->attrs, KMIP_TAG_USAGE_LIMITS) == NULL)
        return true;
    return update(call, take, bytes);
}

static bool unfresh(kmipd_call *call, kmipd_object *obj, size_t unused)
{
    (void)unused;
    if (kmipd_attrs_put(obj->attrs, kmip_item_new_bool(KMIP_TAG_FRESH, false)))
        return true;
    return kmipd_fail_nomem(call);
}

bool kmipd_use_served(kmipd_call *call, const kmipd_object *obj)
{
    bool fresh = false;
    if (kmip_get_bool(obj->attrs, KMIP_TAG_FRESH, &fresh, NULL) != KMIP_OK ||
        !fresh)
        return true;
    return update(call, unfresh, 0);
}
