/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip config check: every server of every slot, one at a time. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "config.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"
#include "p11kmip/conf_client.h"

static double ms_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) * 1e3 +
           (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static json_object *enum_names(const kmip_list *list, uint32_t tag)
{
    json_object *array = json_object_new_array();

    for (const kmip_item *it = list->first; it != NULL;
         it = kmip_item_next_with_tag(it, list->tag)) {
        const char *name = kmip_enum_name(tag, it->v.enumeration);
        char unknown[16];

        snprintf(unknown, sizeof(unknown), "0x%08x", it->v.enumeration);
        json_object_array_add(
            array, json_object_new_string(name != NULL ? name : unknown));
    }
    return array;
}

/* Query: what the server offers, added to result. */
static kmip_rc query(kmip_client *client, kmip_version version,
                     json_object *result, kmip_status *status)
{
    static const uint32_t functions[] = {
        KMIP_QUERY_FUNCTION_QUERY_OPERATIONS,
        KMIP_QUERY_FUNCTION_QUERY_OBJECTS,
        KMIP_QUERY_FUNCTION_QUERY_SERVER_INFORMATION,
    };
    kmip_response *resp = NULL;
    kmip_query_result info;
    struct timespec start;
    kmip_rc rc;

    clock_gettime(CLOCK_MONOTONIC, &start);
    rc = kmip_client_call_one(client, KMIP_OPERATION_QUERY,
                              kmip_query_request(version, functions, 3), 1,
                              &resp, status);
    if (rc == KMIP_OK)
        json_object_object_add(result, "round_trip_ms",
                               json_object_new_double(ms_since(&start)));
    if (rc == KMIP_OK)
        rc = kmip_query_response(resp->items[0].payload, &info, status);
    if (rc == KMIP_OK) {
        json_object_object_add(
            result, "vendor",
            info.vendor_identification != NULL
                ? json_object_new_string(info.vendor_identification)
                : NULL);
        json_object_object_add(
            result, "operations",
            enum_names(&info.operations, KMIP_TAG_OPERATION));
        json_object_object_add(
            result, "object_types",
            enum_names(&info.object_types, KMIP_TAG_OBJECT_TYPE));
    }
    kmip_response_free(resp);
    return rc;
}

/* One server of slot: result gets what was found or what failed. */
static bool check_server(const p11kmip_slot_conf *slot, const char *server,
                         json_object *result)
{
    const char *servers[1] = {server};
    kmip_client_config cfg;
    kmip_client *client;
    kmip_version version;
    kmip_status status;
    struct timespec start;
    char text[16];
    bool ok = false;

    p11kmip_slot_client_config(slot, &cfg);
    cfg.servers = servers;
    cfg.server_count = 1;
    if (slot->login == P11KMIP_LOGIN_KEY_PASSPHRASE)
        cfg.key_passphrase = getenv("P11KMIP_PIN");
    clock_gettime(CLOCK_MONOTONIC, &start);
    client = kmip_client_new(&cfg, &status);
    if (client != NULL &&
        kmip_client_version(client, &version, &status) == KMIP_OK) {
        json_object_object_add(result, "connect_ms",
                               json_object_new_double(ms_since(&start)));
        snprintf(text, sizeof(text), "%d.%d", (int)version.major,
                 (int)version.minor);
        json_object_object_add(result, "kmip_version",
                               json_object_new_string(text));
        ok = query(client, version, result, &status) == KMIP_OK;
    }
    if (!ok) {
        const char *reason =
            status.rc == KMIP_E_RESULT
                ? kmip_enum_name(KMIP_TAG_RESULT_REASON, status.result_reason)
                : kmip_rc_name(status.rc);
        char error[KMIP_STATUS_MESSAGE_MAX + 80];

        snprintf(error, sizeof(error), "%s: %s", reason != NULL ? reason : "?",
                 status.message);
        json_object_object_add(result, "error", json_object_new_string(error));
    }
    json_object_object_add(result, "ok", json_object_new_boolean(ok));
    kmip_client_free(client);
    return ok;
}

static void print_names(const char *title, json_object *array)
{
    if (array == NULL)
        return;
    printf("  %s:%s", title,
           json_object_array_length(array) == 0 ? " (none reported)" : "");
    for (size_t i = 0; i < json_object_array_length(array); i++)
        printf("%s %s", i > 0 ? "," : "",
               json_object_get_string(json_object_array_get_idx(array, i)));
    printf("\n");
}

static void print_result(json_object *result)
{
    json_object *value;

#define FIELD(name)                                                            \
    (json_object_object_get_ex(result, name, &value) ? value : NULL)
    printf("slot \"%s\" server %s: ", json_object_get_string(FIELD("slot")),
           json_object_get_string(FIELD("server")));
    if (!json_object_get_boolean(FIELD("ok"))) {
        printf("FAILED: %s\n", json_object_get_string(FIELD("error")));
        return;
    }
    printf("ok, KMIP %s, connected in %.1f ms, round trip %.1f ms\n",
           json_object_get_string(FIELD("kmip_version")),
           json_object_get_double(FIELD("connect_ms")),
           json_object_get_double(FIELD("round_trip_ms")));
    if (FIELD("vendor") != NULL)
        printf("  vendor: %s\n", json_object_get_string(FIELD("vendor")));
    print_names("operations", FIELD("operations"));
    print_names("objects", FIELD("object_types"));
#undef FIELD
}

int cli_config_check(const p11kmip_conf *conf, const char *only, bool json)
{
    json_object *all = json_object_new_array();
    size_t checked = 0, failed = 0;

    for (size_t i = 0; i < conf->slot_count; i++) {
        const p11kmip_slot_conf *slot = &conf->slots[i];

        if (only != NULL && strcmp(slot->label, only) != 0)
            continue;
        for (size_t j = 0; j < slot->server_count; j++) {
            json_object *result = json_object_new_object();
            cli_progress *progress = cli_progress_start(
                "checking %s of slot \"%s\"", slot->servers[j], slot->label);
            bool ok;

            json_object_object_add(result, "slot",
                                   json_object_new_string(slot->label));
            json_object_object_add(result, "server",
                                   json_object_new_string(slot->servers[j]));
            ok = check_server(slot, slot->servers[j], result);
            cli_progress_end(progress, ok);
            failed += !ok;
            checked++;
            if (!json)
                print_result(result);
            json_object_array_add(all, result);
        }
    }
    if (json)
        printf("%s\n", json_object_to_json_string_ext(
                           all, JSON_C_TO_STRING_PRETTY |
                                    JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(all);
    if (checked == 0)
        return cli_error(CLI_EXIT_CONFIG, "%s: no slot labelled \"%s\"",
                         conf->source, only);
    if (failed > 0)
        return cli_error(CLI_EXIT_SERVER,
                         "%zu of %zu servers failed the check; see the "
                         "errors above (which server, which reason)",
                         failed, checked);
    return CLI_OK;
}
