/* SPDX-License-Identifier: Apache-2.0 */
/* Discover Versions and Query payloads against the vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/payloads.h"
#include "msg_test_util.h"

static const kmip_version v11 = {1, 1};
static const kmip_version versions_11_10[] = {{1, 1}, {1, 0}};

static void test_discover_versions_requests_match_vectors(void **state)
{
    (void)state;
    assert_encodes_to_vector(
        kmip_discover_versions_request(v11, versions_11_10, 2),
        "payload-discover-versions-request.hex");
    assert_encodes_to_vector(kmip_discover_versions_request(v11, NULL, 0),
                             "payload-discover-versions-request-empty.hex");
}

static void test_discover_versions_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload =
        decode_vector("payload-discover-versions-response.hex");
    kmip_version got[4];
    size_t n = 0;
    kmip_status status;
    assert_int_equal(kmip_discover_versions_parse(payload, got, 4, &n, &status),
                     KMIP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(got[0].major, 1);
    assert_int_equal(got[0].minor, 1);
    assert_int_equal(got[1].minor, 0);
    assert_encodes_to_vector(kmip_discover_versions_response_build(v11, got, n),
                             "payload-discover-versions-response.hex");
    kmip_item_free(payload);
}

static void test_discover_versions_parse_respects_capacity(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-discover-versions-request.hex");
    kmip_version got[1];
    size_t n = 0;
    kmip_status status;
    assert_int_equal(kmip_discover_versions_parse(payload, got, 1, &n, &status),
                     KMIP_E_TOO_BIG);
    assert_message_has(&status, "more than 1 Protocol Versions");
    kmip_item_free(payload);
}

static void test_discover_versions_parse_refuses_a_bad_version(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-discover-versions-request.hex");
    kmip_item *pv = must_find(payload, KMIP_TAG_PROTOCOL_VERSION);
    must_find(pv, KMIP_TAG_PROTOCOL_VERSION_MINOR)->type =
        KMIP_TYPE_ENUMERATION;
    kmip_version got[2];
    size_t n = 0;
    kmip_status status;
    assert_int_equal(kmip_discover_versions_parse(payload, got, 2, &n, &status),
                     KMIP_E_DECODE);
    assert_message_has(&status, "Protocol Version 0 is invalid");
    kmip_item_free(payload);
}

static const uint32_t query_functions[] = {KMIP_QUERY_FUNCTION_QUERY_OPERATIONS,
                                           KMIP_QUERY_FUNCTION_QUERY_OBJECTS};

static void test_query_request_matches_vector_and_parses(void **state)
{
    (void)state;
    assert_encodes_to_vector(kmip_query_request(v11, query_functions, 2),
                             "payload-query-request.hex");
    kmip_item *payload = decode_vector("payload-query-request.hex");
    kmip_list functions;
    kmip_status status;
    assert_int_equal(kmip_query_request_parse(payload, &functions, &status),
                     KMIP_OK);
    assert_int_equal(functions.count, 2);
    assert_int_equal(functions.first->v.enumeration,
                     KMIP_QUERY_FUNCTION_QUERY_OPERATIONS);
    kmip_item_free(payload);
}

/* Copies the enumerations of list into out (capacity max). */
static size_t list_enums(const kmip_list *list, uint32_t *out, size_t max)
{
    size_t n = 0;
    for (const kmip_item *it = list->first; it != NULL && n < max;
         it = kmip_item_next_with_tag(it, list->tag))
        out[n++] = it->v.enumeration;
    return n;
}

static void test_query_response_parses_and_builds(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-query-response.hex");
    kmip_query_result result;
    kmip_status status;
    assert_int_equal(kmip_query_response(payload, &result, &status), KMIP_OK);
    assert_int_equal(result.operations.count, 26);
    assert_int_equal(result.object_types.count, 6);
    assert_string_equal(result.vendor_identification,
                        "IBM test server, not-TKLM 2.0.1.1 KMIP 2.0.0.1");
    assert_non_null(result.server_information);
    assert_int_equal(result.application_namespaces.count, 2);

    uint32_t operations[32], object_types[8];
    const char *namespaces[2] = {"Namespace 1", "Namespace 2"};
    kmip_query_info info = {
        operations,
        list_enums(&result.operations, operations, 32),
        object_types,
        list_enums(&result.object_types, object_types, 8),
        result.vendor_identification,
        result.server_information,
        namespaces,
        2,
    };
    assert_encodes_to_vector(kmip_query_response_build(v11, &info),
                             "payload-query-response.hex");
    kmip_item_free(payload);
}

static void test_query_response_with_text_operation_fails(void **state)
{
    (void)state;
    kmip_item *payload = decode_vector("payload-query-response.hex");
    must_find(payload, KMIP_TAG_OPERATION)->type = KMIP_TYPE_INTEGER;
    kmip_query_result result;
    kmip_status status;
    assert_int_equal(kmip_query_response(payload, &result, &status),
                     KMIP_E_DECODE);
    assert_message_has(&status, "Query response: Operation must be a");
    kmip_item_free(payload);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discover_versions_requests_match_vectors),
        cmocka_unit_test(test_discover_versions_response_parses_and_builds),
        cmocka_unit_test(test_discover_versions_parse_respects_capacity),
        cmocka_unit_test(test_discover_versions_parse_refuses_a_bad_version),
        cmocka_unit_test(test_query_request_matches_vector_and_parses),
        cmocka_unit_test(test_query_response_parses_and_builds),
        cmocka_unit_test(test_query_response_with_text_operation_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
