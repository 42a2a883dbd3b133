/* SPDX-License-Identifier: Apache-2.0 */
/* What a client may say about attributes: the rules applied to attributes
 * in a request, above kmipd/attributes.c's canonical structure. */
#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/attr_request.h"
#include "kmipd/attributes.h"

/* Attributes that only the server sets. */
static const uint32_t server_kept_tags[] = {
    KMIP_TAG_UNIQUE_IDENTIFIER,
    KMIP_TAG_STATE,
    KMIP_TAG_INITIAL_DATE,
    KMIP_TAG_LAST_CHANGE_DATE,
    KMIP_TAG_DESTROY_DATE,
    KMIP_TAG_ARCHIVE_DATE,
    KMIP_TAG_COMPROMISE_DATE,
    KMIP_TAG_COMPROMISE_OCCURRENCE_DATE,
    KMIP_TAG_REVOCATION_REASON,
    KMIP_TAG_ORIGINAL_CREATION_DATE,
    KMIP_TAG_DIGEST,
    KMIP_TAG_LEASE_TIME,
    KMIP_TAG_ALWAYS_SENSITIVE,
    KMIP_TAG_NEVER_EXTRACTABLE,
    KMIP_TAG_FRESH,
};
#define KMIPD_SERVER_KEPT_COUNT                                                \
    (sizeof(server_kept_tags) / sizeof(server_kept_tags[0]))

bool kmipd_attr_check_settable(kmipd_call *call, const kmip_item *attr)
{
    size_t i = 0;
    while (i < KMIPD_SERVER_KEPT_COUNT && server_kept_tags[i] != attr->tag)
        i++;
    if (i == KMIPD_SERVER_KEPT_COUNT)
        return true;
    const char *name = kmip_attribute_name(attr->tag);
    uint32_t reason = kmip_version_is_v2(call->version)
                          ? KMIP_RESULT_REASON_ATTRIBUTE_READ_ONLY
                          : KMIP_RESULT_REASON_PERMISSION_DENIED;
    return kmipd_fail(call, reason, "%s is set by the server only",
                      name != NULL ? name : "the attribute");
}

kmip_item *kmipd_attrs_from_request(kmipd_call *call,
                                    const kmip_item *container)
{
    kmip_item *attrs = NULL;
    kmip_status st;
    if (kmip_attrs_decode(container, &attrs, &st) != KMIP_OK) {
        kmipd_fail_status(call, &st);
        return NULL;
    }
    /* Object Type is the operation's business: drop it silently. */
    kmipd_attrs_remove(attrs, KMIP_TAG_OBJECT_TYPE);
    for (const kmip_item *attr = attrs->v.children.first; attr != NULL;
         attr = attr->next) {
        if (!kmipd_attr_check_settable(call, attr)) {
            kmip_item_free(attrs);
            return NULL;
        }
    }
    return attrs;
}
