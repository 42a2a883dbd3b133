/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kmip/attrs.h"
#include "kmip/payloads.h"

static const char *object_type_name(uint32_t object_type)
{
    const char *name = kmip_enum_name(KMIP_TAG_OBJECT_TYPE, object_type);

    return name != NULL ? name : "object";
}

int cli_locate_one(kmip_client *client, const char *label, uint32_t object_type,
                   char **uid)
{
    kmip_locate_args args = {.maximum_items = KMIP_INT(2)};
    kmip_locate_result found;
    kmip_response *resp = NULL;
    kmip_version version;
    kmip_status status;
    kmip_item *filter = kmip_attrs_new();
    kmip_item *payload = NULL;
    int code = CLI_OK;

    if (kmip_client_version(client, &version, &status) != KMIP_OK) {
        kmip_item_free(filter);
        return cli_kmip_error("version negotiation", &status);
    }
    if (kmip_attrs_add_object_type(filter, object_type) != NULL &&
        kmip_attrs_add_name(filter, label) != NULL) {
        args.attributes = filter;
        payload = kmip_locate_request(version, &args);
    }
    kmip_item_free(filter);
    if (payload == NULL)
        return cli_error(CLI_EXIT_FAILURE, "locate: out of memory");
    if (kmip_client_call_one(client, KMIP_OPERATION_LOCATE, payload, 1, &resp,
                             &status) != KMIP_OK)
        return cli_kmip_error("locate", &status);
    if (kmip_locate_response(resp->items[0].payload, &found, &status) !=
        KMIP_OK)
        code = cli_kmip_error("locate: response", &status);
    else if (found.uids.count != 1)
        code = cli_error(CLI_EXIT_FAILURE, "%s %s labelled \"%s\"",
                         found.uids.count == 0 ? "no" : "more than one",
                         object_type_name(object_type), label);
    else if ((*uid = strdup((const char *)found.uids.first->v.bytes.data)) ==
             NULL)
        code = cli_error(CLI_EXIT_FAILURE, "locate: out of memory");
    kmip_response_free(resp);
    return code;
}
