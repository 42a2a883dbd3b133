/* SPDX-License-Identifier: Apache-2.0 */
/* Discover Versions (Query is in ops_query.c). */
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
