/* SPDX-License-Identifier: Apache-2.0 */
/* p11core without a server: slots and their tokens (C_GetSlotList,
 * C_GetSlotInfo, C_GetTokenInfo) and the mechanism list and info. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "p11core_internal.h"

static core_fixture fixture;

static void slot_list_counts_slots_and_reports_short_buffers(void **state)
{
    CK_SLOT_ID slots[2];
    CK_ULONG count = 0;

    (void)state;
    assert_int_equal(C_GetSlotList(CK_TRUE, NULL, &count), CKR_OK);
    assert_int_equal(count, 2);
    count = 1;
    assert_int_equal(C_GetSlotList(CK_TRUE, slots, &count),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(count, 2);
    assert_int_equal(C_GetSlotList(CK_TRUE, slots, &count), CKR_OK);
    assert_int_equal(slots[0], 0);
    assert_int_equal(slots[1], 1);
    assert_int_equal(C_GetSlotList(CK_TRUE, slots, NULL), CKR_ARGUMENTS_BAD);
}

static void unknown_slot_is_slot_id_invalid(void **state)
{
    CK_SLOT_INFO info;
    CK_TOKEN_INFO token;
    CK_SESSION_HANDLE session;

    (void)state;
    assert_int_equal(C_GetSlotInfo(2, &info), CKR_SLOT_ID_INVALID);
    assert_int_equal(C_GetTokenInfo(2, &token), CKR_SLOT_ID_INVALID);
    assert_int_equal(C_OpenSession(2, CKF_SERIAL_SESSION, NULL, NULL, &session),
                     CKR_SLOT_ID_INVALID);
}

static void slot_info_has_a_present_token(void **state)
{
    CK_SLOT_INFO info;

    (void)state;
    assert_int_equal(C_GetSlotInfo(0, &info), CKR_OK);
    assert_true(info.flags & CKF_TOKEN_PRESENT);
    assert_memory_equal(info.slotDescription, "p11kmip slot0 (127.0.0.1:1)",
                        27);
}

static void token_without_login_has_protected_authentication_path(void **state)
{
    CK_TOKEN_INFO info;

    (void)state;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_memory_equal(info.label, "slot0                           ", 32);
    assert_true(info.flags & CKF_TOKEN_INITIALIZED);
    assert_true(info.flags & CKF_PROTECTED_AUTHENTICATION_PATH);
    assert_false(info.flags & CKF_LOGIN_REQUIRED);
}

static void token_with_passphrase_requires_login(void **state)
{
    CK_TOKEN_INFO info;
    CK_TOKEN_INFO other;

    (void)state;
    assert_int_equal(C_GetTokenInfo(1, &info), CKR_OK);
    assert_true(info.flags & CKF_LOGIN_REQUIRED);
    assert_true(info.flags & CKF_USER_PIN_INITIALIZED);
    assert_false(info.flags & CKF_PROTECTED_AUTHENTICATION_PATH);
    assert_int_equal(C_GetTokenInfo(0, &other), CKR_OK);
    /* Serial numbers tell the tokens apart. */
    assert_memory_not_equal(info.serialNumber, other.serialNumber, 16);
}

static void mechanism_list_is_the_table(void **state)
{
    CK_MECHANISM_TYPE list[128];
    CK_ULONG count = 0;

    (void)state;
    assert_int_equal(C_GetMechanismList(0, NULL, &count), CKR_OK);
    assert_int_equal(count, p11_mechanism_count);
    assert_true(count <= 128);
    count = 1;
    assert_int_equal(C_GetMechanismList(0, list, &count), CKR_BUFFER_TOO_SMALL);
    count = 128;
    assert_int_equal(C_GetMechanismList(0, list, &count), CKR_OK);
    for (size_t i = 0; i < p11_mechanism_count; i++)
        assert_int_equal(list[i], p11_mechanisms[i].type);
}

static void mechanism_info_comes_from_the_table(void **state)
{
    CK_MECHANISM_INFO info;

    (void)state;
    assert_int_equal(C_GetMechanismInfo(0, CKM_RSA_PKCS_KEY_PAIR_GEN, &info),
                     CKR_OK);
    assert_true(info.flags & CKF_GENERATE_KEY_PAIR);
    assert_int_equal(
        info.ulMinKeySize,
        p11_mechanism_find(CKM_RSA_PKCS_KEY_PAIR_GEN)->min_key_size);
    assert_int_equal(C_GetMechanismInfo(0, CKM_MD5, &info),
                     CKR_MECHANISM_INVALID);
}

#define WITH(test, setup) FIXTURE_TEST(&fixture, test, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH(slot_list_counts_slots_and_reports_short_buffers,
             fixture_init_two),
        WITH(unknown_slot_is_slot_id_invalid, fixture_init_two),
        WITH(slot_info_has_a_present_token, fixture_init_two),
        WITH(token_without_login_has_protected_authentication_path,
             fixture_init_two),
        WITH(token_with_passphrase_requires_login, fixture_init_two),
        WITH(mechanism_list_is_the_table, fixture_init_none),
        WITH(mechanism_info_comes_from_the_table, fixture_init_none),
    };
    return FIXTURE_RUN(&fixture, tests);
}
