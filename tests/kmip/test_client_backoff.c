/* SPDX-License-Identifier: Apache-2.0 */
/* A server's back-off (kmip/endpoint.c) at given times: how long a failed
 * server is skipped, how repeated failures lengthen it, and what ends it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "client_internal.h"

#define T0 1000000u /* any time on the monotonic clock */

static kmip_endpoint endpoint;

static int parse(void **state)
{
    (void)state;
    return kmip_endpoint_parse("127.0.0.1:5696", &endpoint, NULL);
}

static int clear(void **state)
{
    (void)state;
    kmip_endpoint_clear(&endpoint);
    return 0;
}

static void test_a_new_server_is_up(void **state)
{
    (void)state;
    assert_false(kmip_endpoint_is_down(&endpoint, T0));
}

static void test_a_failed_server_is_down_for_the_first_back_off(void **state)
{
    (void)state;
    kmip_endpoint_mark_down(&endpoint, T0);
    assert_true(kmip_endpoint_is_down(&endpoint, T0));
    assert_true(kmip_endpoint_is_down(&endpoint, T0 + KMIP_BACKOFF_MIN_MS - 1));
    assert_false(kmip_endpoint_is_down(&endpoint, T0 + KMIP_BACKOFF_MIN_MS));
}

/* The calls in flight when a server failed report it together: once. */
static void test_failures_while_down_do_not_lengthen_it(void **state)
{
    (void)state;
    kmip_endpoint_mark_down(&endpoint, T0);
    kmip_endpoint_mark_down(&endpoint, T0 + 10);
    kmip_endpoint_mark_down(&endpoint, T0 + 20);
    assert_false(kmip_endpoint_is_down(&endpoint, T0 + KMIP_BACKOFF_MIN_MS));
}

static void test_each_failure_in_a_row_doubles_it_up_to_the_max(void **state)
{
    (void)state;
    uint64_t now = T0, expected = KMIP_BACKOFF_MIN_MS;
    for (int i = 0; i < 8; i++) {
        kmip_endpoint_mark_down(&endpoint, now);
        assert_true(kmip_endpoint_is_down(&endpoint, now + expected - 1));
        assert_false(kmip_endpoint_is_down(&endpoint, now + expected));
        now += expected;
        expected = expected * 2 < KMIP_BACKOFF_MAX_MS ? expected * 2
                                                      : KMIP_BACKOFF_MAX_MS;
    }
    assert_int_equal(expected, KMIP_BACKOFF_MAX_MS);
}

static void test_an_answer_ends_it_and_the_count(void **state)
{
    (void)state;
    kmip_endpoint_mark_down(&endpoint, T0);
    kmip_endpoint_mark_down(&endpoint, T0 + KMIP_BACKOFF_MIN_MS);
    kmip_endpoint_mark_up(&endpoint);
    assert_false(kmip_endpoint_is_down(&endpoint, T0 + KMIP_BACKOFF_MIN_MS));
    kmip_endpoint_mark_down(&endpoint, T0 + 2 * KMIP_BACKOFF_MIN_MS);
    assert_false(
        kmip_endpoint_is_down(&endpoint, T0 + 3 * KMIP_BACKOFF_MIN_MS));
}

static void test_health_is_copied(void **state)
{
    (void)state;
    kmip_endpoint copy;
    assert_int_equal(kmip_endpoint_parse("127.0.0.1:5696", &copy, NULL),
                     KMIP_OK);
    kmip_endpoint_mark_down(&endpoint, T0);
    kmip_endpoint_copy_health(&copy, &endpoint);
    assert_true(kmip_endpoint_is_down(&copy, T0 + KMIP_BACKOFF_MIN_MS - 1));
    kmip_endpoint_clear(&copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_new_server_is_up, parse, clear),
        cmocka_unit_test_setup_teardown(
            test_a_failed_server_is_down_for_the_first_back_off, parse, clear),
        cmocka_unit_test_setup_teardown(
            test_failures_while_down_do_not_lengthen_it, parse, clear),
        cmocka_unit_test_setup_teardown(
            test_each_failure_in_a_row_doubles_it_up_to_the_max, parse, clear),
        cmocka_unit_test_setup_teardown(test_an_answer_ends_it_and_the_count,
                                        parse, clear),
        cmocka_unit_test_setup_teardown(test_health_is_copied, parse, clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
