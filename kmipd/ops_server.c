/* SPDX-License-Identifier: Apache-2.0 */
/* Operations on the server itself: Discover Versions and Query. */
#include "kmip/tags.h"

#include "kmipd/ops_objects.h"

static bool add_version(kmipd_call *call, kmip_version v)
{
    kmip_item *pv =
        kmip_add_structure(call->response, KMIP_TAG_PROTOCOL_VERSION);
    return kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR, v.major) &&
           kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR, v.minor);
}

/* True when the client's list (none: every version) holds v. */
static bool client_offers(kmipd_call *call, kmip_version v, bool *bad)
{
    const kmip_item *pv =
        kmip_item_find(call->request, KMIP_TAG_PROTOCOL_VERSION);
    if (pv == NULL)
        return true;
    for (; pv != NULL;
         pv = kmip_item_next_with_tag(pv, KMIP_TAG_PROTOCOL_VERSION)) {
        kmip_version offered;
        kmip_status st;
        if (kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR,
                             &offered.major, &st) != KMIP_OK ||
            kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR,
                             &offered.minor, &st) != KMIP_OK) {
            kmipd_fail_status(call, &st);
            *bad = true;
            return false;
        }
        if (kmip_version_cmp(offered, v) == 0)
            return true;
    }
    return false;
}

bool kmipd_op_discover_versions(kmipd_call *call)
{
    /* Newest first: the server's preference. */
    for (size_t i = 0; i < kmipd_versions_count; i++) {
        bool bad = false;
        if (client_offers(call, kmipd_versions[i], &bad) &&
            !add_version(call, kmipd_versions[i]))
            return kmipd_fail_nomem(call);
        if (bad)
            return false;
    }
    return true;
}

static bool query_operations(kmipd_call *call)
{
    for (size_t i = 0; i < kmipd_operations_count; i++) {
        const kmipd_operation *op = &kmipd_operations[i];
        if (kmip_version_cmp(call->version, op->min_version) >= 0 &&
            !kmip_add_enum(call->response, KMIP_TAG_OPERATION, op->operation))
            return kmipd_fail_nomem(call);
    }
    return true;
}

static bool query_objects(kmipd_call *call)
{
    for (size_t i = 0; i < kmipd_object_types_count; i++) {
        if (!kmip_add_enum(call->response, KMIP_TAG_OBJECT_TYPE,
                           kmipd_object_types[i]))
            return kmipd_fail_nomem(call);
    }
    return true;
}

static bool query_server_information(kmipd_call *call)
{
    if (!kmip_add_text(call->response, KMIP_TAG_VENDOR_IDENTIFICATION,
                       "p11kmip kmipd") ||
        !kmip_add_structure(call->response, KMIP_TAG_SERVER_INFORMATION))
        return kmipd_fail_nomem(call);
    return true;
}

bool kmipd_op_query(kmipd_call *call)
{
    bool operations = false, objects = false, info = false;
    for (const kmip_item *fn =
             kmip_item_find(call->request, KMIP_TAG_QUERY_FUNCTION);
         fn != NULL;
         fn = kmip_item_next_with_tag(fn, KMIP_TAG_QUERY_FUNCTION)) {
        if (fn->type != KMIP_TYPE_ENUMERATION)
            return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                              "Query Function must be an Enumeration");
        /* Functions kmipd has nothing to report for are answered with
         * nothing, as the specification allows. */
        operations |= fn->v.enumeration == KMIP_QUERY_FUNCTION_QUERY_OPERATIONS;
        objects |= fn->v.enumeration == KMIP_QUERY_FUNCTION_QUERY_OBJECTS;
        info |=
            fn->v.enumeration == KMIP_QUERY_FUNCTION_QUERY_SERVER_INFORMATION;
    }
    return (!operations || query_operations(call)) &&
           (!objects || query_objects(call)) &&
           (!info || query_server_information(call));
}
