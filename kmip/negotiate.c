/* SPDX-License-Identifier: Apache-2.0 */
#include "client_internal.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

const kmip_version kmip_client_versions[] = {
    {2, 1}, {2, 0}, {1, 4}, {1, 3}, {1, 2}, {1, 1}, {1, 0},
};
const size_t kmip_client_version_count =
    sizeof(kmip_client_versions) / sizeof(kmip_client_versions[0]);

/* Header versions Discover Versions is sent in, in turn, while the server
 * rejects the request. */
static const kmip_version discover_headers[] = {{1, 4}, {1, 2}, {1, 0}};

static bool client_speaks(kmip_version v)
{
    for (size_t i = 0; i < kmip_client_version_count; i++)
        if (kmip_version_cmp(v, kmip_client_versions[i]) == 0)
            return true;
    return false;
}

/* The most versions read from a server's answer. */
#define MAX_OFFERED 32

/* The server's first listed version that we speak. A server answering
 * with no payload at all speaks the header version it answered. */
static kmip_rc pick_version(const kmip_item *payload, kmip_version answered,
                            kmip_version *out, kmip_status *status)
{
    if (payload == NULL) {
        *out = answered;
        return KMIP_OK;
    }
    kmip_version offered[MAX_OFFERED];
    size_t n = 0;
    kmip_rc rc =
        kmip_discover_versions_parse(payload, offered, MAX_OFFERED, &n, status);
    if (rc != KMIP_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (client_speaks(offered[i])) {
            *out = offered[i];
            return KMIP_OK;
        }
    }
    return kmip_fail(status, KMIP_E_RESULT,
                     "Discover Versions: the server speaks none of KMIP "
                     "1.0 to 2.1");
}

kmip_rc kmip_negotiate_version(kmip_exchange_fn exchange, void *ctx,
                               kmip_version *out, kmip_status *status)
{
    kmip_rc rc = KMIP_E_RESULT;
    for (size_t i = 0;
         i < sizeof(discover_headers) / sizeof(discover_headers[0]); i++) {
        kmip_request_item item = {.operation = KMIP_OPERATION_DISCOVER_VERSIONS,
                                  .payload = kmip_discover_versions_request(
                                      discover_headers[i], kmip_client_versions,
                                      kmip_client_version_count)};
        if (item.payload == NULL)
            return kmip_fail(status, KMIP_E_NOMEM, "out of memory");
        kmip_response *resp = NULL;
        rc = exchange(ctx, discover_headers[i], &item, &resp, status);
        if (rc != KMIP_OK)
            return rc;
        const kmip_response_item *answer = kmip_response_item_for(resp, 0);
        rc = kmip_response_item_check(answer, status);
        bool rejected = rc == KMIP_E_RESULT;
        if (rc == KMIP_OK)
            rc = pick_version(answer->payload, resp->version, out, status);
        kmip_response_free(resp);
        if (!rejected)
            return rc;
    }
    return rc;
}
