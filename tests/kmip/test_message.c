/* SPDX-License-Identifier: Apache-2.0 */
/* Request Message building and Response Message parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/message.h"
#include "kmip/tags.h"
#include "msg_test_util.h"

static const char create_uid[] = "fb4b5b9c-6188-4c63-8142-fe9c328129fc";

/* Builds a one-item 1.1 request around the payload of a payload vector. */
static kmip_item *request_from_payload_vector(uint32_t operation,
                                              const char *payload_vector)
{
    kmip_request_item item = {operation, decode_vector(payload_vector)};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(kmip_request_build(KMIP_VERSION(1, 1), NULL, NULL, &item,
                                        1, false, &msg, &status),
                     KMIP_OK);
    assert_null(item.payload);
    return msg;
}

static kmip_response *parse_vector(const char *name)
{
    kmip_response *resp = NULL;
    kmip_status status;
    if (kmip_response_parse(decode_vector(name), &resp, &status) != KMIP_OK)
        fail_msg("%s: %s", name, status.message);
    return resp;
}

static void test_version_compare_orders_major_then_minor(void **state)
{
    (void)state;
    assert_true(kmip_version_cmp(KMIP_VERSION(1, 4), KMIP_VERSION(2, 0)) < 0);
    assert_true(kmip_version_cmp(KMIP_VERSION(1, 2), KMIP_VERSION(1, 1)) > 0);
    assert_int_equal(kmip_version_cmp(KMIP_VERSION(2, 1), KMIP_VERSION(2, 1)),
                     0);
    assert_false(kmip_version_is_v2(KMIP_VERSION(1, 4)));
    assert_true(kmip_version_is_v2(KMIP_VERSION(2, 0)));
}

static void test_create_request_message_matches_vector(void **state)
{
    (void)state;
    assert_encodes_to_vector(
        request_from_payload_vector(KMIP_OPERATION_CREATE,
                                    "payload-create-request.hex"),
        "msg-create-request.hex");
}

static void test_get_request_message_matches_vector(void **state)
{
    (void)state;
    assert_encodes_to_vector(request_from_payload_vector(
                                 KMIP_OPERATION_GET, "payload-get-request.hex"),
                             "msg-get-request.hex");
}

static void test_destroy_request_message_matches_vector(void **state)
{
    (void)state;
    assert_encodes_to_vector(
        request_from_payload_vector(KMIP_OPERATION_DESTROY,
                                    "payload-destroy-request.hex"),
        "msg-destroy-request.hex");
}

static void test_request_numbers_several_batch_items(void **state)
{
    (void)state;
    kmip_request_item items[2] = {{KMIP_OPERATION_ACTIVATE, NULL},
                                  {KMIP_OPERATION_GET, NULL}};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(kmip_request_build(KMIP_VERSION(1, 2), NULL, NULL, items,
                                        2, false, &msg, &status),
                     KMIP_OK);
    int32_t count = 0;
    assert_int_equal(kmip_get_integer(must_find(msg, KMIP_TAG_REQUEST_HEADER),
                                      KMIP_TAG_BATCH_COUNT, &count, &status),
                     KMIP_OK);
    assert_int_equal(count, 2);
    const kmip_item *batch = kmip_item_find(msg, KMIP_TAG_BATCH_ITEM);
    for (uint8_t i = 0; i < 2; i++, batch = batch->next) {
        const uint8_t *id;
        size_t len;
        assert_int_equal(kmip_get_bytes(batch, KMIP_TAG_UNIQUE_BATCH_ITEM_ID,
                                        &id, &len, &status),
                         KMIP_OK);
        const uint8_t want[4] = {0, 0, 0, i};
        assert_memory_equal(id, want, 4);
        assert_non_null(kmip_item_find(batch, KMIP_TAG_REQUEST_PAYLOAD));
    }
    kmip_item_free(msg);
}

static void test_request_header_carries_credential_and_options(void **state)
{
    (void)state;
    kmip_credential cred = {"alice", "secret"};
    kmip_request_options opts = {.time_stamp = 1335514341,
                                 .max_response = 4096,
                                 .batch_order = true,
                                 .batch_error_continuation =
                                     KMIP_BATCH_ERROR_CONTINUATION_OPTION_STOP};
    kmip_request_item item = {KMIP_OPERATION_QUERY, NULL};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(kmip_request_build(KMIP_VERSION(1, 4), &cred, &opts, &item,
                                        1, true, &msg, &status),
                     KMIP_OK);
    kmip_item *header = must_find(msg, KMIP_TAG_REQUEST_HEADER);
    const uint32_t order[] = {
        KMIP_TAG_PROTOCOL_VERSION,   KMIP_TAG_MAXIMUM_RESPONSE_SIZE,
        KMIP_TAG_AUTHENTICATION,     KMIP_TAG_BATCH_ERROR_CONTINUATION_OPTION,
        KMIP_TAG_BATCH_ORDER_OPTION, KMIP_TAG_TIME_STAMP,
        KMIP_TAG_BATCH_COUNT};
    const kmip_item *child = header->v.children.first;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        assert_non_null(child);
        assert_int_equal(child->tag, order[i]);
        child = child->next;
    }
    assert_null(child);
    kmip_item *credential = must_find(
        must_find(header, KMIP_TAG_AUTHENTICATION), KMIP_TAG_CREDENTIAL);
    uint32_t type = 0;
    assert_int_equal(
        kmip_get_enum(credential, KMIP_TAG_CREDENTIAL_TYPE, &type, &status),
        KMIP_OK);
    assert_int_equal(type, KMIP_CREDENTIAL_TYPE_USERNAME_AND_PASSWORD);
    kmip_item *value = must_find(credential, KMIP_TAG_CREDENTIAL_VALUE);
    const char *text;
    size_t len;
    assert_int_equal(
        kmip_get_text(value, KMIP_TAG_USERNAME, &text, &len, &status), KMIP_OK);
    assert_string_equal(text, "alice");
    assert_int_equal(
        kmip_get_text(value, KMIP_TAG_PASSWORD, &text, &len, &status), KMIP_OK);
    assert_string_equal(text, "secret");
    /* always_ids gives even a single item an ID. */
    assert_non_null(kmip_item_find(must_find(msg, KMIP_TAG_BATCH_ITEM),
                                   KMIP_TAG_UNIQUE_BATCH_ITEM_ID));
    kmip_item_free(msg);
}

static void test_request_rejects_a_payload_with_another_tag(void **state)
{
    (void)state;
    kmip_request_item item = {
        KMIP_OPERATION_GET, kmip_item_new_structure(KMIP_TAG_RESPONSE_PAYLOAD)};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(kmip_request_build(KMIP_VERSION(1, 1), NULL, NULL, &item,
                                        1, false, &msg, &status),
                     KMIP_E_INVALID_ARG);
    assert_null(msg);
    assert_null(item.payload); /* consumed even on failure */
    assert_message_has(&status, "Request Payload");
}

static void test_request_needs_batch_items(void **state)
{
    (void)state;
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(kmip_request_build(KMIP_VERSION(1, 1), NULL, NULL, NULL, 2,
                                        false, &msg, &status),
                     KMIP_E_INVALID_ARG);
    kmip_request_item item = {KMIP_OPERATION_QUERY, NULL};
    assert_int_equal(kmip_request_build(KMIP_VERSION(1, 1), NULL, NULL, &item,
                                        0, false, &msg, &status),
                     KMIP_E_INVALID_ARG);
    assert_null(msg);
    assert_message_has(&status, "batch items");
}

static void test_create_response_parses(void **state)
{
    (void)state;
    kmip_response *resp = parse_vector("msg-create-response.hex");
    assert_int_equal(resp->version.major, 1);
    assert_int_equal(resp->version.minor, 1);
    assert_int_equal(resp->time_stamp, 0x4F9A54E5);
    assert_int_equal(resp->count, 1);
    const kmip_response_item *item = kmip_response_item_for(resp, 0);
    assert_non_null(item);
    assert_int_equal(item->operation, KMIP_OPERATION_CREATE);
    assert_int_equal(item->result_status, KMIP_STATUS_SUCCESS);
    assert_null(item->batch_id);
    kmip_status status;
    assert_int_equal(kmip_response_item_check(item, &status), KMIP_OK);
    const char *uid;
    size_t len;
    assert_int_equal(kmip_get_text(item->payload, KMIP_TAG_UNIQUE_IDENTIFIER,
                                   &uid, &len, &status),
                     KMIP_OK);
    assert_string_equal(uid, create_uid);
    kmip_response_free(resp);
}

static void test_get_response_parses_with_key_block_payload(void **state)
{
    (void)state;
    kmip_response *resp = parse_vector("msg-get-response.hex");
    assert_int_equal(resp->time_stamp, 0x4F9A54E7);
    const kmip_response_item *item = &resp->items[0];
    assert_int_equal(item->operation, KMIP_OPERATION_GET);
    assert_non_null(kmip_item_find(item->payload, KMIP_TAG_SYMMETRIC_KEY));
    kmip_response_free(resp);
}

/* Each success vector: its operation and the Unique Identifier it holds. */
static void assert_success_response(const char *name, uint32_t operation,
                                    const char *uid)
{
    kmip_response *resp = parse_vector(name);
    const kmip_response_item *item = kmip_response_item_for(resp, 0);
    assert_non_null(item);
    assert_int_equal(item->operation, operation);
    kmip_status status;
    assert_int_equal(kmip_response_item_check(item, &status), KMIP_OK);
    const char *got;
    size_t len;
    assert_int_equal(kmip_get_text(item->payload, KMIP_TAG_UNIQUE_IDENTIFIER,
                                   &got, &len, &status),
                     KMIP_OK);
    assert_string_equal(got, uid);
    kmip_response_free(resp);
}

static void test_destroy_locate_register_mac_responses_parse(void **state)
{
    (void)state;
    assert_success_response("msg-destroy-response.hex", KMIP_OPERATION_DESTROY,
                            create_uid);
    assert_success_response("msg-locate-response.hex", KMIP_OPERATION_LOCATE,
                            "49a1ca88-6bea-4fb2-b450-7e58802c3038");
    assert_success_response("msg-register-response.hex",
                            KMIP_OPERATION_REGISTER,
                            "5c9b81ef-4ee5-42cd-ba2d-c002fdd0c7b3");
    assert_success_response("msg-mac-response.hex", KMIP_OPERATION_MAC, "1");
}

static void test_error_response_gives_reason_and_message(void **state)
{
    (void)state;
    kmip_response *resp =
        parse_vector("msg-error-response-invalid-message.hex");
    const kmip_response_item *item = kmip_response_item_for(resp, 0);
    assert_int_equal(item->operation, 0);
    assert_int_equal(item->result_status, KMIP_STATUS_OPERATION_FAILED);
    assert_int_equal(item->result_reason, KMIP_RESULT_REASON_INVALID_MESSAGE);
    assert_string_equal(item->result_message,
                        "Default response. No operations supported.");
    assert_null(item->payload);
    kmip_status status;
    assert_int_equal(kmip_response_item_check(item, &status), KMIP_E_RESULT);
    assert_int_equal(status.rc, KMIP_E_RESULT);
    assert_int_equal(status.result_status, KMIP_STATUS_OPERATION_FAILED);
    assert_int_equal(status.result_reason, KMIP_RESULT_REASON_INVALID_MESSAGE);
    assert_message_has(&status, "Default response. No operations supported.");
    kmip_response_free(resp);
}

static void test_parse_rejects_batch_count_mismatch(void **state)
{
    (void)state;
    kmip_item *tree = decode_vector("msg-destroy-response.hex");
    must_find(must_find(tree, KMIP_TAG_RESPONSE_HEADER), KMIP_TAG_BATCH_COUNT)
        ->v.integer = 2;
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(tree, &resp, &status), KMIP_E_DECODE);
    assert_null(resp);
    assert_message_has(&status, "Batch Count");
}

static void test_parse_rejects_batch_item_without_result_status(void **state)
{
    (void)state;
    kmip_item *tree = decode_vector("msg-destroy-response.hex");
    kmip_item *batch = must_find(tree, KMIP_TAG_BATCH_ITEM);
    kmip_item *result = must_find(batch, KMIP_TAG_RESULT_STATUS);
    kmip_item_remove(batch, result);
    kmip_item_free(result);
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(tree, &resp, &status), KMIP_E_DECODE);
    assert_message_has(&status, "missing Result Status");
}

static void test_parse_rejects_time_stamp_of_wrong_type(void **state)
{
    (void)state;
    kmip_item *tree = decode_vector("msg-destroy-response.hex");
    must_find(must_find(tree, KMIP_TAG_RESPONSE_HEADER), KMIP_TAG_TIME_STAMP)
        ->type = KMIP_TYPE_LONG_INTEGER;
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(tree, &resp, &status), KMIP_E_DECODE);
    assert_message_has(&status, "bad Time Stamp");
}

static void test_parse_rejects_a_request_message(void **state)
{
    (void)state;
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(decode_vector("msg-get-request.hex"),
                                         &resp, &status),
                     KMIP_E_DECODE);
    assert_message_has(&status, "not a Response Message");
}

/* A response with two items whose IDs come in reverse order. */
static kmip_item *two_item_response(void)
{
    kmip_item *tree = decode_vector("msg-destroy-response.hex");
    must_find(must_find(tree, KMIP_TAG_RESPONSE_HEADER), KMIP_TAG_BATCH_COUNT)
        ->v.integer = 2;
    kmip_item *first = must_find(tree, KMIP_TAG_BATCH_ITEM);
    kmip_item *second = kmip_item_add(tree, kmip_item_dup(first));
    const uint8_t id1[4] = {0, 0, 0, 1}, id0[4] = {0, 0, 0, 0};
    assert_non_null(
        kmip_add_bytes(first, KMIP_TAG_UNIQUE_BATCH_ITEM_ID, id1, 4));
    assert_non_null(
        kmip_add_bytes(second, KMIP_TAG_UNIQUE_BATCH_ITEM_ID, id0, 4));
    must_find(second, KMIP_TAG_RESULT_STATUS)->v.enumeration =
        KMIP_STATUS_OPERATION_FAILED;
    return tree;
}

static void test_item_for_matches_unique_batch_item_ids(void **state)
{
    (void)state;
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(two_item_response(), &resp, &status),
                     KMIP_OK);
    assert_ptr_equal(kmip_response_item_for(resp, 0), &resp->items[1]);
    assert_ptr_equal(kmip_response_item_for(resp, 1), &resp->items[0]);
    assert_null(kmip_response_item_for(resp, 2));
    assert_int_equal(
        kmip_response_item_check(kmip_response_item_for(resp, 0), &status),
        KMIP_E_RESULT);
    kmip_response_free(resp);
}

static void test_response_with_a_2_0_header_parses(void **state)
{
    (void)state;
    /* The 2.0 header part carries a Server Hashed Password, which the
     * parser does not need and leaves alone. */
    kmip_item *tree = kmip_item_new_structure(KMIP_TAG_RESPONSE_MESSAGE);
    assert_non_null(
        kmip_item_add(tree, decode_vector("msg-part-response-header-v20.hex")));
    kmip_item *destroy = decode_vector("msg-destroy-response.hex");
    assert_non_null(kmip_item_add(
        tree, kmip_item_dup(must_find(destroy, KMIP_TAG_BATCH_ITEM))));
    kmip_item_free(destroy);
    kmip_response *resp = NULL;
    kmip_status status;
    assert_int_equal(kmip_response_parse(tree, &resp, &status), KMIP_OK);
    assert_int_equal(resp->version.major, 2);
    assert_int_equal(resp->version.minor, 0);
    assert_int_equal(resp->time_stamp, 0x4F9A54E5);
    assert_int_equal(resp->items[0].operation, KMIP_OPERATION_DESTROY);
    kmip_response_free(resp);
}

static void test_credential_without_password_sends_username_only(void **state)
{
    (void)state;
    kmip_credential cred = {"alice", NULL};
    kmip_request_item item = {KMIP_OPERATION_QUERY, NULL};
    kmip_item *msg = NULL;
    kmip_status status;
    assert_int_equal(kmip_request_build(KMIP_VERSION(2, 0), &cred, NULL, &item,
                                        1, false, &msg, &status),
                     KMIP_OK);
    kmip_item *value =
        must_find(must_find(must_find(must_find(msg, KMIP_TAG_REQUEST_HEADER),
                                      KMIP_TAG_AUTHENTICATION),
                            KMIP_TAG_CREDENTIAL),
                  KMIP_TAG_CREDENTIAL_VALUE);
    assert_non_null(kmip_item_find(value, KMIP_TAG_USERNAME));
    assert_null(kmip_item_find(value, KMIP_TAG_PASSWORD));
    kmip_item_free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_compare_orders_major_then_minor),
        cmocka_unit_test(test_create_request_message_matches_vector),
        cmocka_unit_test(test_get_request_message_matches_vector),
        cmocka_unit_test(test_destroy_request_message_matches_vector),
        cmocka_unit_test(test_request_numbers_several_batch_items),
        cmocka_unit_test(test_request_header_carries_credential_and_options),
        cmocka_unit_test(test_request_rejects_a_payload_with_another_tag),
        cmocka_unit_test(test_request_needs_batch_items),
        cmocka_unit_test(test_create_response_parses),
        cmocka_unit_test(test_get_response_parses_with_key_block_payload),
        cmocka_unit_test(test_destroy_locate_register_mac_responses_parse),
        cmocka_unit_test(test_error_response_gives_reason_and_message),
        cmocka_unit_test(test_parse_rejects_batch_count_mismatch),
        cmocka_unit_test(test_parse_rejects_batch_item_without_result_status),
        cmocka_unit_test(test_parse_rejects_time_stamp_of_wrong_type),
        cmocka_unit_test(test_parse_rejects_a_request_message),
        cmocka_unit_test(test_item_for_matches_unique_batch_item_ids),
        cmocka_unit_test(test_response_with_a_2_0_header_parses),
        cmocka_unit_test(test_credential_without_password_sends_username_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
