/* SPDX-License-Identifier: Apache-2.0 */
/* Discover Versions and Query payloads. */
#include <string.h>

#include "payload_fields.h"

/* ---- Discover Versions ---- */

static kmip_item *versions_payload(uint32_t tag, const kmip_version *versions,
                                   size_t n)
{
    if (versions == NULL && n > 0)
        return NULL;
    kmip_item *payload = kmip_item_new_structure(tag);
    for (size_t i = 0; payload != NULL && i < n; i++) {
        kmip_item *pv = kmip_add_structure(payload, KMIP_TAG_PROTOCOL_VERSION);
        if (pv == NULL ||
            !kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR,
                              versions[i].major) ||
            !kmip_add_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR,
                              versions[i].minor)) {
            kmip_item_free(payload);
            payload = NULL;
        }
    }
    return payload;
}

kmip_item *kmip_discover_versions_request(kmip_version v,
                                          const kmip_version *versions,
                                          size_t n)
{
    (void)v; /* the same in every version */
    return versions_payload(KMIP_TAG_REQUEST_PAYLOAD, versions, n);
}

kmip_item *kmip_discover_versions_response_build(kmip_version v,
                                                 const kmip_version *versions,
                                                 size_t n)
{
    (void)v; /* the same in every version */
    return versions_payload(KMIP_TAG_RESPONSE_PAYLOAD, versions, n);
}

kmip_rc kmip_discover_versions_parse(const kmip_item *payload,
                                     kmip_version *versions, size_t max,
                                     size_t *n, kmip_status *status)
{
    static const char what[] = "Discover Versions";
    *n = 0;
    if (payload == NULL || payload->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE, "%s: not a payload structure",
                         what);
    for (const kmip_item *pv =
             kmip_item_find(payload, KMIP_TAG_PROTOCOL_VERSION);
         pv != NULL;
         pv = kmip_item_next_with_tag(pv, KMIP_TAG_PROTOCOL_VERSION)) {
        if (*n == max)
            return kmip_fail(status, KMIP_E_TOO_BIG,
                             "%s: more than %zu Protocol Versions", what, max);
        kmip_version *out = &versions[*n];
        kmip_rc rc = kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MAJOR,
                                      &out->major, status);
        if (rc == KMIP_OK)
            rc = kmip_get_integer(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR,
                                  &out->minor, status);
        if (rc != KMIP_OK)
            return kmip_fail(status, rc, "%s: Protocol Version %zu is invalid",
                             what, *n);
        (*n)++;
    }
    return KMIP_OK;
}

/* ---- Query ---- */

static bool add_enums(kmip_item *payload, uint32_t tag, const uint32_t *values,
                      size_t n)
{
    if (values == NULL && n > 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!kmip_add_enum(payload, tag, values[i]))
            return false;
    return true;
}

kmip_item *kmip_query_request(kmip_version v, const uint32_t *functions,
                              size_t n)
{
    (void)v; /* the same in every version */
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    if (payload != NULL &&
        !add_enums(payload, KMIP_TAG_QUERY_FUNCTION, functions, n)) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_rc kmip_query_request_parse(const kmip_item *payload, kmip_list *out,
                                 kmip_status *status)
{
    static const char what[] = "Query request";
    kmip_rc rc =
        kmip_payload_check(payload, KMIP_TAG_REQUEST_PAYLOAD, what, status);
    if (rc == KMIP_OK)
        rc = kmip_list_collect(payload, KMIP_TAG_QUERY_FUNCTION,
                               KMIP_TYPE_ENUMERATION, what, out, status);
    return rc;
}

kmip_item *kmip_query_response_build(kmip_version v,
                                     const kmip_query_info *info)
{
    (void)v; /* the same in every version */
    if (info == NULL)
        return NULL;
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD);
    bool ok = payload != NULL &&
              add_enums(payload, KMIP_TAG_OPERATION, info->operations,
                        info->n_operations) &&
              add_enums(payload, KMIP_TAG_OBJECT_TYPE, info->object_types,
                        info->n_object_types);
    if (ok && info->vendor_identification != NULL)
        ok = kmip_add_text(payload, KMIP_TAG_VENDOR_IDENTIFICATION,
                           info->vendor_identification) != NULL;
    if (ok && info->server_information != NULL) {
        kmip_item *copy = kmip_item_dup(info->server_information);
        if (copy != NULL)
            copy->tag = KMIP_TAG_SERVER_INFORMATION;
        ok = kmip_item_add(payload, copy) != NULL;
    }
    if (ok && info->application_namespaces == NULL &&
        info->n_application_namespaces > 0)
        ok = false;
    for (size_t i = 0; ok && i < info->n_application_namespaces; i++)
        ok = kmip_add_text(payload, KMIP_TAG_APPLICATION_NAMESPACE,
                           info->application_namespaces[i]) != NULL;
    if (!ok) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_rc kmip_query_response(const kmip_item *payload, kmip_query_result *out,
                            kmip_status *status)
{
    static const char what[] = "Query response";
    memset(out, 0, sizeof(*out));
    kmip_rc rc =
        kmip_payload_check(payload, KMIP_TAG_RESPONSE_PAYLOAD, what, status);
    if (rc == KMIP_OK)
        rc = kmip_list_collect(payload, KMIP_TAG_OPERATION,
                               KMIP_TYPE_ENUMERATION, what, &out->operations,
                               status);
    if (rc == KMIP_OK)
        rc = kmip_list_collect(payload, KMIP_TAG_OBJECT_TYPE,
                               KMIP_TYPE_ENUMERATION, what, &out->object_types,
                               status);
    if (rc == KMIP_OK)
        rc = kmip_list_collect(payload, KMIP_TAG_APPLICATION_NAMESPACE,
                               KMIP_TYPE_TEXT_STRING, what,
                               &out->application_namespaces, status);
    if (rc != KMIP_OK)
        return rc;
    size_t len;
    rc = kmip_get_text(payload, KMIP_TAG_VENDOR_IDENTIFICATION,
                       &out->vendor_identification, &len, status);
    if (rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "%s: bad Vendor Identification", what);
    rc = kmip_get_structure(payload, KMIP_TAG_SERVER_INFORMATION,
                            &out->server_information, status);
    if (rc == KMIP_E_DECODE)
        return kmip_fail(status, rc, "%s: bad Server Information", what);
    return KMIP_OK;
}
