/* SPDX-License-Identifier: Apache-2.0 */
/* Locate: the caller's objects whose attributes match every filter. */
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/lifecycle.h"
#include "kmipd/ops_objects.h"

/* True when have holds what filter asks for: equal values for leaves, and
 * for structures each child of filter matched by a child of have (a Name
 * filter without Name Type matches any Name Type). */
static bool item_matches(const kmip_item *filter, const kmip_item *have)
{
    if (filter->type != have->type)
        return false;
    switch (filter->type) {
    case KMIP_TYPE_STRUCTURE:
        for (const kmip_item *want = filter->v.children.first; want != NULL;
             want = want->next) {
            const kmip_item *got = kmip_item_find(have, want->tag);
            while (got != NULL && !item_matches(want, got))
                got = kmip_item_next_with_tag(got, want->tag);
            if (got == NULL)
                return false;
        }
        return true;
    case KMIP_TYPE_INTEGER:
        return filter->v.integer == have->v.integer;
    case KMIP_TYPE_LONG_INTEGER:
    case KMIP_TYPE_DATE_TIME:
    case KMIP_TYPE_DATE_TIME_EXTENDED:
        return filter->v.long_integer == have->v.long_integer;
    case KMIP_TYPE_ENUMERATION:
    case KMIP_TYPE_INTERVAL:
        return filter->v.enumeration == have->v.enumeration;
    case KMIP_TYPE_BOOLEAN:
        return filter->v.boolean == have->v.boolean;
    default:
        return filter->v.bytes.len == have->v.bytes.len &&
               memcmp(filter->v.bytes.data, have->v.bytes.data,
                      filter->v.bytes.len) == 0;
    }
}

/* A filter of two instances of one date attribute is a range. */
static bool date_range(const kmip_item *filters, const kmip_item *filter,
                       int64_t *lo, int64_t *hi)
{
    if (filter->type != KMIP_TYPE_DATE_TIME ||
        kmip_item_count(filters, filter->tag) != 2)
        return false;
    const kmip_item *first = kmip_item_find(filters, filter->tag);
    const kmip_item *second = kmip_item_next_with_tag(first, filter->tag);
    *lo = first->v.long_integer;
    *hi = second->v.long_integer;
    if (*lo > *hi) {
        int64_t t = *lo;
        *lo = *hi;
        *hi = t;
    }
    return true;
}

static bool object_matches(const kmipd_object *obj, void *arg)
{
    const kmip_item *filters = arg;
    if (kmipd_lifecycle_destroyed(obj->state) &&
        kmip_item_find(filters, KMIP_TAG_STATE) == NULL)
        return false;
    for (const kmip_item *filter = filters->v.children.first; filter != NULL;
         filter = filter->next) {
        int64_t lo, hi, date;
        if (date_range(filters, filter, &lo, &hi)) {
            if (kmip_get_datetime(obj->attrs, filter->tag, &date, NULL) !=
                    KMIP_OK ||
                date < lo || date > hi)
                return false;
            continue;
        }
        const kmip_item *have = kmip_item_find(obj->attrs, filter->tag);
        while (have != NULL && !item_matches(filter, have))
            have = kmip_item_next_with_tag(have, filter->tag);
        if (have == NULL)
            return false;
    }
    return true;
}

/* An optional non-negative Integer of the request; 0 when absent. */
static bool count_field(kmipd_call *call, uint32_t tag, size_t *out)
{
    int32_t v = 0;
    kmip_status st;
    kmip_rc rc = kmip_get_integer(call->request, tag, &v, &st);
    if (rc != KMIP_OK && rc != KMIP_E_NOT_FOUND)
        return kmipd_fail_status(call, &st);
    if (v < 0)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "%s must not be negative", kmip_tag_name(tag));
    *out = (size_t)v;
    return true;
}

static kmip_item *locate_filters(kmipd_call *call)
{
    const kmip_item *container = call->request;
    if (kmip_version_is_v2(call->version))
        container = kmip_item_find(call->request, KMIP_TAG_ATTRIBUTES);
    kmip_item *filters = NULL;
    kmip_status st;
    if (kmip_attrs_decode(container, &filters, &st) != KMIP_OK)
        kmipd_fail_status(call, &st);
    return filters;
}

static bool answer(kmipd_call *call, char **uids, size_t n, size_t total)
{
    if (kmip_version_cmp(call->version, KMIP_VERSION(1, 3)) >= 0 &&
        !kmip_add_integer(call->response, KMIP_TAG_LOCATED_ITEMS,
                          total > INT32_MAX ? INT32_MAX : (int32_t)total))
        return kmipd_fail_nomem(call);
    for (size_t i = 0; i < n; i++) {
        if (!kmipd_call_answer_uid(call, uids[i]))
            return false;
    }
    return true;
}

bool kmipd_op_locate(kmipd_call *call)
{
    size_t max_items, offset;
    if (!count_field(call, KMIP_TAG_MAXIMUM_ITEMS, &max_items) ||
        !count_field(call, KMIP_TAG_OFFSET_ITEMS, &offset))
        return false;
    /* Maximum Items 0 asks for the count (Located Items) alone. */
    bool count_only =
        kmip_item_find(call->request, KMIP_TAG_MAXIMUM_ITEMS) != NULL &&
        max_items == 0;
    kmip_item *filters = locate_filters(call);
    if (filters == NULL)
        return false;
    char **uids = NULL;
    size_t n = 0, total = 0;
    kmip_status st;
    kmipd_store_rc rc =
        kmipd_store_locate(call->store, call->owner, object_matches, filters,
                           offset, max_items, &uids, &n, &total, &st);
    kmip_item_free(filters);
    bool ok = rc == KMIPD_STORE_OK
                  ? answer(call, uids, count_only ? 0 : n, total)
                  : kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                               "the object store failed");
    kmipd_store_uids_free(uids, n);
    return ok;
}
