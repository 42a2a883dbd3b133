/* SPDX-License-Identifier: Apache-2.0 */
/* A stalled server: kmipd restarted with its fault injection delaying
 * every response far beyond the slot's timeout. Four threads sign: every
 * C_Sign gives up with CKR_DEVICE_ERROR within the timeout bound and every
 * thread returns; once the server answers again, signing works. The
 * scenario runs once (group setup); each test checks one property. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmipd_proc.h"
#include "sign_stream.h"

#define TIMEOUT_MS 500
#define DELAY_JSON "{ \"delay_ms\": 5000 }"
#define THREADS 4
#define STALLED_S 2.0
/* A pooled connection found dead is retried once on a new one: at most
 * two reads time out, plus the connect and handshake of the retry. */
#define BOUND_S (2 * TIMEOUT_MS / 1000.0 + 1.0)

static kmipd_proc server;
static sign_stream stream;
static bool threads_returned;
static CK_RV after_recovery = CKR_GENERAL_ERROR;

static bool restart(const char *faults_json)
{
    kmipd_proc_stop(&server, SIGKILL);
    return kmipd_proc_configure(&server, "kmipd-stall", server.port,
                                faults_json) &&
           kmipd_proc_start(&server);
}

static int run_scenario(void **state)
{
    (void)state;
    if (!kmipd_proc_configure(&server, "kmipd-stall", kmipd_free_port(),
                              NULL) ||
        !kmipd_proc_start(&server))
        return -1;
    const char *servers[] = {server.address};
    module_configure(servers, 1, TIMEOUT_MS);
    if (module_initialize() == NULL)
        return -1;
    CK_SESSION_HANDLE session = module_session();
    CK_OBJECT_HANDLE key = module_ec_key(session, "stall");
    if (key == CK_INVALID_HANDLE || module_sign(session, key) != CKR_OK ||
        !restart(DELAY_JSON))
        return -1;
    sign_stream_start(&stream, key, THREADS);
    sleep_seconds(STALLED_S);
    threads_returned = sign_stream_stop(&stream, BOUND_S);
    if (!restart(NULL))
        return -1;
    after_recovery = module_sign(session, key);
    return 0;
}

static int clean_up(void **state)
{
    (void)state;
    if (threads_returned)
        module_finalize();
    kmipd_proc_stop(&server, SIGTERM);
    sign_stream_free(&stream);
    return 0;
}

static void every_thread_returns(void **state)
{
    (void)state;
    assert_true(threads_returned);
}

static void every_signature_fails_with_device_error(void **state)
{
    (void)state;
    size_t failed = 0;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        assert_int_equal(r->rv, CKR_DEVICE_ERROR);
        failed++;
    }
    assert_true(failed >= THREADS);
}

static void every_failure_comes_within_the_timeout_bound(void **state)
{
    (void)state;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        assert_true(r->end - r->start <= BOUND_S);
    }
}

static void signing_works_once_the_server_answers_again(void **state)
{
    (void)state;
    assert_int_equal(after_recovery, CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_thread_returns),
        cmocka_unit_test(every_signature_fails_with_device_error),
        cmocka_unit_test(every_failure_comes_within_the_timeout_bound),
        cmocka_unit_test(signing_works_once_the_server_answers_again),
    };
    return cmocka_run_group_tests(tests, run_scenario, clean_up);
}
