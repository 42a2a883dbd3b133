/* SPDX-License-Identifier: Apache-2.0 */
/* A slot over two kmipd instances that share nothing but the key (the
 * second starts from a copy of the first's database, with the same master
 * key). During a stream of ECDSA signatures from two threads the first
 * server is killed (SIGKILL): the signatures go on through the second, and
 * no request fails once the first failure has been seen. The scenario
 * runs once (group setup); each test checks one property. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmipd_proc.h"
#include "server_group.h"
#include "sign_stream.h"

#define TIMEOUT_MS 2000
#define THREADS 2
#define BOTH_UP_S 0.5
#define ONE_UP_S 1.0

static kmipd_proc first, second;
static sign_stream stream;
static double killed_at;

static int run_scenario(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key =
        server_group_start(&first, &second, "kmipd", "group", TIMEOUT_MS);
    if (key == CK_INVALID_HANDLE)
        return -1;
    sign_stream_start(&stream, key, THREADS);
    sleep_seconds(BOTH_UP_S);
    killed_at = sign_stream_clock(&stream);
    kmipd_proc_stop(&first, SIGKILL);
    sleep_seconds(ONE_UP_S);
    return sign_stream_stop(&stream, 5.0) ? 0 : -1;
}

static int clean_up(void **state)
{
    (void)state;
    module_finalize();
    kmipd_proc_stop(&first, SIGTERM);
    kmipd_proc_stop(&second, SIGTERM);
    sign_stream_free(&stream);
    return 0;
}

static void signing_goes_on_through_the_second_server(void **state)
{
    (void)state;
    size_t after = 0;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->start > killed_at && r->rv == CKR_OK)
            after++;
    }
    assert_true(after >= 10);
}

static void no_request_fails_after_the_first_failure(void **state)
{
    (void)state;
    double first_failure_seen = 1e9;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->rv != CKR_OK && r->end < first_failure_seen)
            first_failure_seen = r->end;
    }
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->start >= first_failure_seen)
            assert_int_equal(r->rv, CKR_OK);
    }
}

static void only_requests_in_flight_at_the_kill_may_fail(void **state)
{
    (void)state;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->rv != CKR_OK) {
            assert_int_equal(r->rv, CKR_DEVICE_ERROR);
            assert_true(r->start <= killed_at);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signing_goes_on_through_the_second_server),
        cmocka_unit_test(no_request_fails_after_the_first_failure),
        cmocka_unit_test(only_requests_in_flight_at_the_kill_may_fail),
    };
    return cmocka_run_group_tests(tests, run_scenario, clean_up);
}
