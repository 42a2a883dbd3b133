/* SPDX-License-Identifier: Apache-2.0 */
/* The bounded byte count that holds kmipd's partly received requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "kmipd/budget.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static atomic_bool running;

static void test_takes_up_to_the_bound_and_no_more(void **state)
{
    (void)state;
    kmipd_budget budget;
    kmipd_budget_init(&budget, 100);
    assert_true(kmipd_budget_take(&budget, 60, 0, &running));
    assert_true(kmipd_budget_take(&budget, 40, 0, &running));
    assert_int_equal(kmipd_budget_used(&budget), 100);
    assert_false(kmipd_budget_take(&budget, 1, 0, &running));
    kmipd_budget_give(&budget, 40);
    assert_true(kmipd_budget_take(&budget, 40, 0, &running));
    kmipd_budget_give(&budget, 100);
    assert_int_equal(kmipd_budget_used(&budget), 0);
    kmipd_budget_destroy(&budget);
}

static void test_a_taker_waits_until_its_deadline(void **state)
{
    (void)state;
    kmipd_budget budget;
    kmipd_budget_init(&budget, 10);
    assert_true(kmipd_budget_take(&budget, 10, 0, &running));
    int64_t start = now_ms();
    assert_false(kmipd_budget_take(&budget, 5, start + 300, &running));
    int64_t waited = now_ms() - start;
    assert_true(waited >= 290 && waited < 1000);
    assert_int_equal(kmipd_budget_used(&budget), 10);
    kmipd_budget_destroy(&budget);
}

static void *give_later(void *arg)
{
    struct timespec pause = {.tv_nsec = 200 * 1000000L};
    nanosleep(&pause, NULL);
    kmipd_budget_give(arg, 10);
    return NULL;
}

static void test_a_waiting_taker_gets_what_another_gives_back(void **state)
{
    (void)state;
    kmipd_budget budget;
    kmipd_budget_init(&budget, 10);
    assert_true(kmipd_budget_take(&budget, 10, 0, &running));
    pthread_t giver;
    assert_int_equal(pthread_create(&giver, NULL, give_later, &budget), 0);
    int64_t start = now_ms();
    assert_true(kmipd_budget_take(&budget, 8, start + 5000, &running));
    assert_true(now_ms() - start < 1000);
    pthread_join(giver, NULL);
    assert_int_equal(kmipd_budget_used(&budget), 8);
    kmipd_budget_destroy(&budget);
}

static void test_a_stopping_server_ends_the_wait(void **state)
{
    (void)state;
    atomic_bool stopping = true;
    kmipd_budget budget;
    kmipd_budget_init(&budget, 10);
    assert_true(kmipd_budget_take(&budget, 10, 0, &running));
    int64_t start = now_ms();
    assert_false(kmipd_budget_take(&budget, 1, start + 5000, &stopping));
    assert_true(now_ms() - start < 100);
    kmipd_budget_destroy(&budget);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_takes_up_to_the_bound_and_no_more),
        cmocka_unit_test(test_a_taker_waits_until_its_deadline),
        cmocka_unit_test(test_a_waiting_taker_gets_what_another_gives_back),
        cmocka_unit_test(test_a_stopping_server_ends_the_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
