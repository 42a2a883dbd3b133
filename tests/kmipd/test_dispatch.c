/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd_serve_message without the network: every request gets a
 * response, malformed ones included, and the test faults work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmip/message.h"
#include "kmip/tags.h"

#include "kmipd/server.h"

#include "server_fixture.h"

typedef server_fixture fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    server_fixture_open(f, "dispatch");
    f->session.version = KMIP_VERSION(1, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    server_fixture_close(*state);
    free(*state);
    return 0;
}

/* Serves a request of one operation with an empty payload. */
static kmip_response *serve_op(fixture *f, kmip_version version,
                               uint32_t operation, bool *keep_open)
{
    kmip_request_item item = {.operation = operation};
    return server_fixture_serve_item(f, version, &item, keep_open);
}

static void test_garbage_gets_an_invalid_message_response(void **state)
{
    fixture *f = *state;
    static const uint8_t garbage[16] = {0x42, 0x00, 0x78, 0x01, 0,    0,
                                        0,    8,    0xde, 0xad, 0xbe, 0xef};
    bool keep_open = false;
    kmip_response *resp =
        server_fixture_serve(f, garbage, sizeof(garbage), &keep_open);
    assert_int_equal(resp->count, 1);
    assert_int_equal(resp->items[0].result_status,
                     KMIP_STATUS_OPERATION_FAILED);
    assert_int_equal(resp->items[0].result_reason,
                     KMIP_RESULT_REASON_INVALID_MESSAGE);
    assert_int_equal(resp->items[0].operation, 0);
    assert_true(keep_open);
    kmip_response_free(resp);
}

static void test_the_response_speaks_the_request_version(void **state)
{
    fixture *f = *state;
    bool keep_open;
    kmip_response *resp =
        serve_op(f, KMIP_VERSION(1, 3), KMIP_OPERATION_QUERY, &keep_open);
    assert_int_equal(resp->version.major, 1);
    assert_int_equal(resp->version.minor, 3);
    assert_int_equal(resp->items[0].result_status, KMIP_STATUS_SUCCESS);
    assert_int_equal(f->session.version.minor, 3);
    kmip_response_free(resp);
}

static void test_an_unserved_operation_is_not_supported(void **state)
{
    fixture *f = *state;
    bool keep_open;
    kmip_response *resp =
        serve_op(f, KMIP_VERSION(2, 0), KMIP_OPERATION_REKEY, &keep_open);
    assert_int_equal(resp->items[0].operation, KMIP_OPERATION_REKEY);
    assert_int_equal(resp->items[0].result_reason,
                     KMIP_RESULT_REASON_OPERATION_NOT_SUPPORTED);
    kmip_response_free(resp);
}

static void test_fault_answers_an_operation_with_the_chosen_reason(void **state)
{
    fixture *f = *state;
    f->config.faults.fail_operation = KMIP_OPERATION_QUERY;
    f->config.faults.fail_reason = KMIP_RESULT_REASON_PERMISSION_DENIED;
    bool keep_open;
    kmip_response *resp =
        serve_op(f, KMIP_VERSION(1, 4), KMIP_OPERATION_QUERY, &keep_open);
    assert_int_equal(resp->items[0].result_status,
                     KMIP_STATUS_OPERATION_FAILED);
    assert_int_equal(resp->items[0].result_reason,
                     KMIP_RESULT_REASON_PERMISSION_DENIED);
    kmip_response_free(resp);
    resp = serve_op(f, KMIP_VERSION(1, 4), KMIP_OPERATION_DISCOVER_VERSIONS,
                    &keep_open);
    assert_int_equal(resp->items[0].result_status, KMIP_STATUS_SUCCESS);
    kmip_response_free(resp);
}

static void test_fault_closes_after_n_requests(void **state)
{
    fixture *f = *state;
    f->config.faults.close_after = 2;
    bool keep_open;
    kmip_response *resp =
        serve_op(f, KMIP_VERSION(1, 4), KMIP_OPERATION_QUERY, &keep_open);
    assert_true(keep_open);
    kmip_response_free(resp);
    resp = serve_op(f, KMIP_VERSION(1, 4), KMIP_OPERATION_QUERY, &keep_open);
    assert_false(keep_open);
    assert_int_equal(resp->items[0].result_status, KMIP_STATUS_SUCCESS);
    kmip_response_free(resp);
}

/* A Batch Error Continuation Option past Undo (3) is no option: the
 * header is refused whole, Continue (1) and Undo are served. */
static void test_an_undefined_error_continuation_is_invalid(void **state)
{
    fixture *f = *state;
    static const uint32_t options[] = {4, 1, 3};
    static const uint32_t statuses[] = {
        KMIP_STATUS_OPERATION_FAILED, KMIP_STATUS_SUCCESS, KMIP_STATUS_SUCCESS};
    for (size_t i = 0; i < 3; i++) {
        kmip_request_options opts = {.batch_error_continuation = options[i]};
        kmip_request_item item = {.operation = KMIP_OPERATION_QUERY};
        kmip_item *tree = NULL;
        kmip_status st;
        assert_int_equal(kmip_request_build(KMIP_VERSION(1, 4), NULL, &opts,
                                            &item, 1, true, &tree, &st),
                         KMIP_OK);
        uint8_t *msg;
        size_t len;
        assert_int_equal(kmip_ttlv_encode_alloc(tree, &msg, &len, &st),
                         KMIP_OK);
        kmip_item_free(tree);
        bool keep_open;
        kmip_response *resp = server_fixture_serve(f, msg, len, &keep_open);
        free(msg);
        assert_int_equal(resp->items[0].result_status, statuses[i]);
        if (i == 0)
            assert_int_equal(resp->items[0].result_reason,
                             KMIP_RESULT_REASON_INVALID_MESSAGE);
        kmip_response_free(resp);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_garbage_gets_an_invalid_message_response),
        T(test_the_response_speaks_the_request_version),
        T(test_an_unserved_operation_is_not_supported),
        T(test_fault_answers_an_operation_with_the_chosen_reason),
        T(test_fault_closes_after_n_requests),
        T(test_an_undefined_error_continuation_is_invalid),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
