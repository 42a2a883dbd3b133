/* SPDX-License-Identifier: Apache-2.0 */
/* p11core without a server: sessions (open, close, their info and
 * counts), the checks made before a session's read-only state, and
 * sessions used and closed by many threads at once. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "p11core_internal.h"

static core_fixture fixture;

/* ---- sessions ---- */

static void session_needs_the_serial_flag(void **state)
{
    CK_SESSION_HANDLE session;

    (void)state;
    assert_int_equal(C_OpenSession(0, 0, NULL, NULL, &session),
                     CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, NULL),
                     CKR_ARGUMENTS_BAD);
}

static void closed_session_handle_is_invalid(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(C_CloseSession(session), CKR_OK);
    assert_int_equal(C_GetSessionInfo(session, &info),
                     CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_CloseSession(session), CKR_SESSION_HANDLE_INVALID);
}

static void session_info_reports_slot_flags_and_state(void **state)
{
    CK_SESSION_HANDLE ro = fixture_session(1, 0);
    CK_SESSION_HANDLE rw = fixture_session(1, CKF_RW_SESSION);
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.slotID, 1);
    assert_int_equal(info.flags, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    assert_int_equal(info.state, CKS_RW_PUBLIC_SESSION);
    assert_int_equal(info.ulDeviceError, 0);
    assert_int_equal(fixture_session_state(ro), CKS_RO_PUBLIC_SESSION);
    assert_int_equal(C_GetSessionInfo(rw, NULL), CKR_ARGUMENTS_BAD);
}

static void token_info_counts_sessions(void **state)
{
    CK_TOKEN_INFO info;

    (void)state;
    fixture_session(0, 0);
    fixture_session(0, CKF_RW_SESSION);
    fixture_session(1, CKF_RW_SESSION);
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_int_equal(info.ulSessionCount, 2);
    assert_int_equal(info.ulRwSessionCount, 1);
}

static void close_all_sessions_closes_only_that_slot(void **state)
{
    CK_SESSION_HANDLE a = fixture_session(0, 0);
    CK_SESSION_HANDLE b = fixture_session(0, CKF_RW_SESSION);
    CK_SESSION_HANDLE other = fixture_session(1, 0);
    CK_SESSION_INFO info;
    CK_TOKEN_INFO token;

    (void)state;
    assert_int_equal(C_CloseAllSessions(0), CKR_OK);
    assert_int_equal(C_GetSessionInfo(a, &info), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_GetSessionInfo(b, &info), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_GetSessionInfo(other, &info), CKR_OK);
    assert_int_equal(C_GetTokenInfo(0, &token), CKR_OK);
    assert_int_equal(token.ulSessionCount, 0);
}

/* The standard checks arguments and the mechanism before the session's
 * read-only state. */
static void generation_checks_mechanism_before_read_only(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);
    CK_MECHANISM digest = {CKM_SHA256, NULL, 0};
    CK_OBJECT_HANDLE key, pub;

    (void)state;
    assert_int_equal(C_GenerateKey(session, NULL, NULL, 0, &key),
                     CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GenerateKey(session, &digest, NULL, 0, &key),
                     CKR_MECHANISM_INVALID);
    assert_int_equal(
        C_GenerateKeyPair(session, NULL, NULL, 0, NULL, 0, &pub, &key),
        CKR_ARGUMENTS_BAD);
    assert_int_equal(
        C_GenerateKeyPair(session, &digest, NULL, 0, NULL, 0, &pub, &key),
        CKR_MECHANISM_INVALID);
    assert_int_equal(C_DeriveKey(session, &digest, 1, NULL, 0, &key),
                     CKR_MECHANISM_INVALID);
}

static void create_object_without_template_is_arguments_bad(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, CKF_RW_SESSION);
    CK_OBJECT_HANDLE object;

    (void)state;
    assert_int_equal(C_CreateObject(session, NULL, 0, &object),
                     CKR_ARGUMENTS_BAD);
}

/* ---- threads ---- */

#define RACERS 8
#define ROUNDS 2000

static CK_SESSION_HANDLE shared_sessions[RACERS];

/* Uses sessions other threads close; every answer must be one PKCS#11
 * allows: CKR_OK or CKR_SESSION_HANDLE_INVALID. */
static void *race_sessions(void *arg)
{
    size_t me = (size_t)(uintptr_t)arg;
    CK_RV bad = CKR_OK;

    for (int round = 0; round < ROUNDS && bad == CKR_OK; round++) {
        CK_SESSION_HANDLE other =
            shared_sessions[(me + (size_t)round) % RACERS];
        CK_SESSION_HANDLE mine;
        CK_SESSION_INFO info;
        CK_RV rv = C_GetSessionInfo(other, &info);

        if (rv != CKR_OK && rv != CKR_SESSION_HANDLE_INVALID)
            bad = rv;
        rv = C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &mine);
        if (rv == CKR_OK) {
            shared_sessions[me] = mine;
            rv = C_CloseSession(other);
        }
        if (rv != CKR_OK && rv != CKR_SESSION_HANDLE_INVALID)
            bad = rv;
        if (round % 500 == 0)
            C_CloseAllSessions(0);
    }
    return (void *)(uintptr_t)bad;
}

static void sessions_survive_concurrent_use_and_close(void **state)
{
    pthread_t threads[RACERS];
    void *results[RACERS];

    (void)state;
    for (size_t i = 0; i < RACERS; i++)
        shared_sessions[i] = fixture_session(0, 0);
    for (size_t i = 0; i < RACERS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, race_sessions,
                                        (void *)(uintptr_t)i),
                         0);
    for (size_t i = 0; i < RACERS; i++)
        assert_int_equal(pthread_join(threads[i], &results[i]), 0);
    for (size_t i = 0; i < RACERS; i++)
        assert_int_equal((uintptr_t)results[i], CKR_OK);
}

#define WITH(test, setup) FIXTURE_TEST(&fixture, test, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH(session_needs_the_serial_flag, fixture_init_none),
        WITH(closed_session_handle_is_invalid, fixture_init_none),
        WITH(session_info_reports_slot_flags_and_state, fixture_init_two),
        WITH(token_info_counts_sessions, fixture_init_two),
        WITH(close_all_sessions_closes_only_that_slot, fixture_init_two),
        WITH(sessions_survive_concurrent_use_and_close, fixture_init_none),
        WITH(generation_checks_mechanism_before_read_only, fixture_init_none),
        WITH(create_object_without_template_is_arguments_bad,
             fixture_init_none),
    };
    return FIXTURE_RUN(&fixture, tests);
}
