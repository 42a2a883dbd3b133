// SPDX-License-Identifier: Apache-2.0
/* Session objects (CKA_TOKEN false) of the classes kept in the process:
 * made, read, changed and destroyed without a server (slots at
 * 127.0.0.1:1), in read-only sessions too, seen by every session, gone
 * with the session that made them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "p11core_internal.h"

static core_fixture fixture;
static const char *const slots[] = {"none"};
static CK_SESSION_HANDLE rw;
static CK_SESSION_HANDLE ro;

static CK_BBOOL yes = CK_TRUE;
static CK_BBOOL no = CK_FALSE;
static CK_OBJECT_CLASS data_class = CKO_DATA;
static CK_OBJECT_CLASS secret_class = CKO_SECRET_KEY;
static CK_KEY_TYPE aes = CKK_AES;

static int setup(void **state)
{
    (void)state;
    return fixture_open_sessions(&fixture, slots, 1, &rw, &ro);
}

static CK_RV make_data(CK_SESSION_HANDLE session, CK_BBOOL *token,
                       CK_OBJECT_HANDLE *handle)
{
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &data_class, sizeof(data_class)},
                            {CKA_TOKEN, token, sizeof(*token)},
                            {CKA_LABEL, "note", 4},
                            {CKA_VALUE, "x", 1}};

    return C_CreateObject(session, templ, 4, handle);
}

static CK_RV read_bytes(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE handle,
                        CK_ATTRIBUTE_TYPE type, char *out, CK_ULONG *len)
{
    CK_ATTRIBUTE attr = {type, out, *len};
    CK_RV rv = C_GetAttributeValue(session, handle, &attr, 1);

    *len = attr.ulValueLen;
    return rv;
}

static void read_only_session_makes_session_objects_only(void **state)
{
    CK_OBJECT_HANDLE handle;
    CK_BBOOL token = CK_TRUE;
    CK_ATTRIBUTE attr = {CKA_TOKEN, &token, sizeof(token)};
    char value[8];
    CK_ULONG len = sizeof(value);

    (void)state;
    assert_int_equal(make_data(ro, &yes, &handle), CKR_SESSION_READ_ONLY);
    assert_int_equal(make_data(ro, &no, &handle), CKR_OK);
    assert_int_equal(C_GetAttributeValue(ro, handle, &attr, 1), CKR_OK);
    assert_int_equal(token, CK_FALSE);
    assert_int_equal(read_bytes(ro, handle, CKA_VALUE, value, &len), CKR_OK);
    assert_int_equal(len, 1);
    assert_memory_equal(value, "x", 1);
}

static void other_sessions_see_change_and_destroy_it(void **state)
{
    CK_OBJECT_HANDLE handle;
    CK_ATTRIBUTE label = {CKA_LABEL, "renamed", 7};
    char value[16];
    CK_ULONG len = sizeof(value);

    (void)state;
    assert_int_equal(make_data(ro, &no, &handle), CKR_OK);
    assert_int_equal(read_bytes(rw, handle, CKA_LABEL, value, &len), CKR_OK);
    assert_memory_equal(value, "note", len);
    /* A read-only session may change a session object. */
    assert_int_equal(C_SetAttributeValue(ro, handle, &label, 1), CKR_OK);
    len = sizeof(value);
    assert_int_equal(read_bytes(rw, handle, CKA_LABEL, value, &len), CKR_OK);
    assert_int_equal(len, 7);
    assert_memory_equal(value, "renamed", 7);
    assert_int_equal(C_DestroyObject(ro, handle), CKR_OK);
    assert_int_equal(read_bytes(rw, handle, CKA_LABEL, value, &len),
                     CKR_OBJECT_HANDLE_INVALID);
}

static void object_goes_with_its_session(void **state)
{
    CK_OBJECT_HANDLE mine;
    CK_OBJECT_HANDLE other;
    char value[8];
    CK_ULONG len = sizeof(value);

    (void)state;
    assert_int_equal(make_data(ro, &no, &mine), CKR_OK);
    assert_int_equal(make_data(rw, &no, &other), CKR_OK);
    assert_int_equal(C_CloseSession(ro), CKR_OK);
    assert_int_equal(read_bytes(rw, mine, CKA_VALUE, value, &len),
                     CKR_OBJECT_HANDLE_INVALID);
    len = sizeof(value);
    assert_int_equal(read_bytes(rw, other, CKA_VALUE, value, &len), CKR_OK);
    assert_int_equal(C_CloseAllSessions(0), CKR_OK);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro),
                     CKR_OK);
    len = sizeof(value);
    assert_int_equal(read_bytes(ro, other, CKA_VALUE, value, &len),
                     CKR_OBJECT_HANDLE_INVALID);
}

/* A copy keeps the source's CKA_TOKEN unless the template sets it. */
static void copy_of_a_session_object_is_one(void **state)
{
    CK_OBJECT_HANDLE source;
    CK_OBJECT_HANDLE copy;
    CK_BBOOL token = CK_TRUE;
    CK_ATTRIBUTE attr = {CKA_TOKEN, &token, sizeof(token)};
    CK_ATTRIBUTE to_token = {CKA_TOKEN, &yes, sizeof(yes)};
    char value[8];
    CK_ULONG len = sizeof(value);

    (void)state;
    assert_int_equal(make_data(ro, &no, &source), CKR_OK);
    assert_int_equal(C_CopyObject(ro, source, &to_token, 1, &copy),
                     CKR_SESSION_READ_ONLY);
    assert_int_equal(C_CopyObject(ro, source, NULL, 0, &copy), CKR_OK);
    assert_int_not_equal(copy, source);
    assert_int_equal(C_GetAttributeValue(rw, copy, &attr, 1), CKR_OK);
    assert_int_equal(token, CK_FALSE);
    assert_int_equal(read_bytes(rw, copy, CKA_VALUE, value, &len), CKR_OK);
    assert_memory_equal(value, "x", 1);
}

/* Secret and private keys are not kept in the process: made on the
 * server (none here), in a read-only session too. */
static void session_secret_key_is_not_kept_here(void **state)
{
    CK_OBJECT_HANDLE handle;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &secret_class, sizeof(secret_class)},
                            {CKA_KEY_TYPE, &aes, sizeof(aes)},
                            {CKA_TOKEN, &no, sizeof(no)},
                            {CKA_VALUE, "0123456789abcdef", 16}};

    (void)state;
    assert_int_equal(C_CreateObject(ro, templ, 4, &handle), CKR_DEVICE_ERROR);
    assert_int_equal(C_CreateObject(rw, templ, 4, &handle), CKR_DEVICE_ERROR);
}

#define T(test) cmocka_unit_test_setup_teardown(test, setup, fixture_finalize)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(read_only_session_makes_session_objects_only),
        T(other_sessions_see_change_and_destroy_it),
        T(object_goes_with_its_session),
        T(copy_of_a_session_object_is_one),
        T(session_secret_key_is_not_kept_here),
    };
    return FIXTURE_RUN(&fixture, tests);
}
