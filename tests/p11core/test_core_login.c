/* SPDX-License-Identifier: Apache-2.0 */
/* p11core without a server: C_Login and C_Logout in the login modes
 * "none" and "key-passphrase", and C_SetPIN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "p11core_internal.h"

static core_fixture fixture;

static void login_none_accepts_any_pin_once(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);

    (void)state;
    assert_int_equal(C_Login(session, CKU_USER, NULL, 0), CKR_OK);
    assert_int_equal(fixture_session_state(session), CKS_RO_USER_FUNCTIONS);
    assert_int_equal(fixture_login(session, "anything"),
                     CKR_USER_ALREADY_LOGGED_IN);
    assert_int_equal(C_Logout(session), CKR_OK);
    assert_int_equal(fixture_session_state(session), CKS_RO_PUBLIC_SESSION);
}

static void logout_without_login_is_user_not_logged_in(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);

    (void)state;
    assert_int_equal(C_Logout(session), CKR_USER_NOT_LOGGED_IN);
}

static void security_officer_is_user_type_invalid(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);

    (void)state;
    assert_int_equal(C_Login(session, CKU_SO, NULL, 0), CKR_USER_TYPE_INVALID);
    assert_int_equal(C_Login(session, CKU_CONTEXT_SPECIFIC, NULL, 0),
                     CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_Login(session, CKU_USER, NULL, 4), CKR_ARGUMENTS_BAD);
}

static void wrong_passphrase_is_pin_incorrect(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);

    (void)state;
    assert_int_equal(fixture_login(session, "wrong-pin"), CKR_PIN_INCORRECT);
    assert_int_equal(fixture_session_state(session), CKS_RO_PUBLIC_SESSION);
}

static void right_passphrase_logs_the_token_in(void **state)
{
    CK_SESSION_HANDLE first = fixture_session(0, 0);
    CK_SESSION_HANDLE second = fixture_session(0, CKF_RW_SESSION);

    (void)state;
    assert_int_equal(fixture_login(first, FIXTURE_PIN), CKR_OK);
    /* Login is per token: every session sees it. */
    assert_int_equal(fixture_session_state(second), CKS_RW_USER_FUNCTIONS);
    assert_int_equal(fixture_login(second, FIXTURE_PIN),
                     CKR_USER_ALREADY_LOGGED_IN);
}

static void unreadable_client_key_is_device_error(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);
    char moved[FIXTURE_PATH_MAX + 8];

    (void)state;
    snprintf(moved, sizeof(moved), "%s.moved", fixture.key_enc);
    assert_int_equal(rename(fixture.key_enc, moved), 0);
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_DEVICE_ERROR);
    assert_int_equal(rename(moved, fixture.key_enc), 0);
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_OK);
}

static void closing_the_last_session_logs_out(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);

    (void)state;
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_OK);
    assert_int_equal(C_CloseSession(session), CKR_OK);
    session = fixture_session(0, 0);
    assert_int_equal(fixture_session_state(session), CKS_RO_PUBLIC_SESSION);
}

static void set_pin_re_encrypts_the_client_key(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, CKF_RW_SESSION);

    (void)state;
    assert_int_equal(fixture_set_pin(session, "wrong-pin", "new-pin"),
                     CKR_PIN_INCORRECT);
    assert_int_equal(fixture_set_pin(session, FIXTURE_PIN, ""),
                     CKR_PIN_LEN_RANGE);
    assert_int_equal(fixture_set_pin(session, FIXTURE_PIN, "new-pin"), CKR_OK);
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_PIN_INCORRECT);
    assert_int_equal(fixture_login(session, "new-pin"), CKR_OK);
    assert_int_equal(fixture_set_pin(session, "new-pin", FIXTURE_PIN), CKR_OK);
}

static void set_pin_needs_a_read_write_session(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);

    (void)state;
    assert_int_equal(fixture_set_pin(session, FIXTURE_PIN, "new-pin"),
                     CKR_SESSION_READ_ONLY);
}

static void set_pin_without_passphrase_is_not_supported(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, CKF_RW_SESSION);

    (void)state;
    assert_int_equal(fixture_set_pin(session, "a", "b"),
                     CKR_FUNCTION_NOT_SUPPORTED);
}

#define WITH(test, setup) FIXTURE_TEST(&fixture, test, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH(login_none_accepts_any_pin_once, fixture_init_none),
        WITH(logout_without_login_is_user_not_logged_in, fixture_init_none),
        WITH(security_officer_is_user_type_invalid, fixture_init_none),
        WITH(wrong_passphrase_is_pin_incorrect, fixture_init_passphrase),
        WITH(right_passphrase_logs_the_token_in, fixture_init_passphrase),
        WITH(unreadable_client_key_is_device_error, fixture_init_passphrase),
        WITH(closing_the_last_session_logs_out, fixture_init_passphrase),
        WITH(set_pin_re_encrypts_the_client_key, fixture_init_passphrase),
        WITH(set_pin_needs_a_read_write_session, fixture_init_passphrase),
        WITH(set_pin_without_passphrase_is_not_supported, fixture_init_none),
    };
    return FIXTURE_RUN(&fixture, tests);
}
