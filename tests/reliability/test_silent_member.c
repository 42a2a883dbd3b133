/* SPDX-License-Identifier: Apache-2.0 */
/* A slot over two kmipd instances sharing one key; during a stream of
 * ECDSA signatures from four threads through p11kmip-pkcs11.so, the first
 * server stops answering (SIGSTOP: its connections and its listening
 * socket stay open, nothing is read). Each thread's signature in flight
 * waits one timeout, then goes to the second server; no signature fails,
 * and none after it waits for the first server again. The scenario runs
 * once (group setup); each test checks one property. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmipd_proc.h"
#include "server_group.h"
#include "sign_stream.h"

#define TIMEOUT_MS 1000
#define TIMEOUT_S (TIMEOUT_MS / 1000.0)
#define THREADS 4
#define BOTH_UP_S 0.5
#define SILENT_S (3 * TIMEOUT_S)

static kmipd_proc first, second;
static sign_stream stream;
static double stopped_at;

static int run_scenario(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = server_group_start(&first, &second, "kmipd-silent",
                                              "silent", TIMEOUT_MS);
    if (key == CK_INVALID_HANDLE)
        return -1;
    sign_stream_start(&stream, key, THREADS);
    sleep_seconds(BOTH_UP_S);
    stopped_at = sign_stream_clock(&stream);
    kill(first.pid, SIGSTOP);
    sleep_seconds(SILENT_S);
    return sign_stream_stop(&stream, 5.0) ? 0 : -1;
}

static int clean_up(void **state)
{
    (void)state;
    module_finalize();
    if (first.pid > 0)
        kill(first.pid, SIGCONT);
    kmipd_proc_stop(&first, SIGTERM);
    kmipd_proc_stop(&second, SIGTERM);
    sign_stream_free(&stream);
    return 0;
}

static void no_signature_fails(void **state)
{
    (void)state;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        assert_int_equal(r->rv, CKR_OK);
    }
}

static void signing_goes_on_through_the_second_server(void **state)
{
    (void)state;
    size_t after = 0;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        if (r->start > stopped_at + TIMEOUT_S)
            after++;
    }
    assert_true(after >= 10);
}

/* Two timeouts in one signature would be a second wait for the silent
 * server (the bound leaves the machine a full timeout of slack). */
static void no_signature_waits_two_timeouts(void **state)
{
    (void)state;
    SIGN_STREAM_FOR_EACH(&stream, r)
    {
        assert_true(r->end - r->start < 2 * TIMEOUT_S);
    }
}

static void each_thread_waits_for_the_silent_server_once(void **state)
{
    (void)state;
    for (size_t t = 0; t < stream.threads; t++) {
        size_t slow = 0;
        for (size_t i = 0; i < stream.logs[t].count; i++) {
            const sign_record *r = &stream.logs[t].records[i];
            slow += r->end - r->start >= TIMEOUT_S / 2;
        }
        assert_true(slow <= 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_signature_fails),
        cmocka_unit_test(signing_goes_on_through_the_second_server),
        cmocka_unit_test(no_signature_waits_two_timeouts),
        cmocka_unit_test(each_thread_waits_for_the_silent_server_once),
    };
    return cmocka_run_group_tests(tests, run_scenario, clean_up);
}
