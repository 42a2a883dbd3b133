/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd killed (SIGKILL) during a stream of ECDSA signatures from two
 * threads through p11kmip-pkcs11.so, then restarted on the same port with
 * the same database. The scenario runs once (group setup); each test
 * checks one property of what C_Sign answered along the way. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmipd_proc.h"
#include "sign_stream.h"

#define TIMEOUT_MS 2000
#define THREADS 2
#define UP_S 0.5    /* signing before the kill */
#define DOWN_S 1.0  /* the server is away */
#define AGAIN_S 1.0 /* signing after the restart */

static kmipd_proc server;
static sign_stream stream;
static double killed_at, restarting_at, ready_at;

static int run_scenario(void **state)
{
    (void)state;
    if (!kmipd_proc_configure(&server, "kmipd-loss", kmipd_free_port(), NULL) ||
        !kmipd_proc_start(&server))
        return -1;
    const char *servers[] = {server.address};
    module_configure(servers, 1, TIMEOUT_MS);
    if (module_initialize() == NULL)
        return -1;
    CK_OBJECT_HANDLE key = module_ec_key(module_session(), "loss");
    if (key == CK_INVALID_HANDLE)
        return -1;
    sign_stream_start(&stream, key, THREADS);
    sleep_seconds(UP_S);
    killed_at = sign_stream_clock(&stream);
    kmipd_proc_stop(&server, SIGKILL);
    sleep_seconds(DOWN_S);
    restarting_at = sign_stream_clock(&stream);
    if (!kmipd_proc_start(&server))
        return -1;
    ready_at = sign_stream_clock(&stream);
    sleep_seconds(AGAIN_S);
    return sign_stream_stop(&stream, 5.0) ? 0 : -1;
}

static int clean_up(void **state)
{
    (void)state;
    module_finalize();
    kmipd_proc_stop(&server, SIGTERM);
    sign_stream_free(&stream);
    return 0;
}

static void signing_before_the_kill_succeeds(void **state)
{
    (void)state;
    size_t before = 0;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->end < killed_at) {
            assert_int_equal(r->rv, CKR_OK);
            before++;
        }
    }
    assert_true(before >= 10);
}

static void signatures_while_down_fail_with_device_error(void **state)
{
    (void)state;
    size_t failed = 0;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->start >= killed_at && r->end <= restarting_at) {
            assert_int_equal(r->rv, CKR_DEVICE_ERROR);
            failed++;
        }
    }
    assert_true(failed >= THREADS);
}

static void failures_come_within_the_timeout(void **state)
{
    (void)state;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->rv != CKR_OK) {
            assert_int_equal(r->rv, CKR_DEVICE_ERROR);
            assert_true(r->end - r->start <= TIMEOUT_MS / 1000.0);
        }
    }
}

static void signing_resumes_once_the_server_is_back(void **state)
{
    (void)state;
    size_t after = 0;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->start >= ready_at) {
            assert_int_equal(r->rv, CKR_OK);
            after++;
        }
    }
    assert_true(after >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signing_before_the_kill_succeeds),
        cmocka_unit_test(signatures_while_down_fail_with_device_error),
        cmocka_unit_test(failures_come_within_the_timeout),
        cmocka_unit_test(signing_resumes_once_the_server_is_back),
    };
    return cmocka_run_group_tests(tests, run_scenario, clean_up);
}
