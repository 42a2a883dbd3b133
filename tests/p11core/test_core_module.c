/* SPDX-License-Identifier: Apache-2.0 */
/* p11core without a server: C_Initialize and its arguments, C_Finalize,
 * C_GetInfo, the function list, fork, slots and tokens, sessions and the
 * login modes. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "p11core_internal.h"

static core_fixture fixture;

static const char *const one_none[] = {"none"};
static const char *const two_slots[] = {"none", "key-passphrase"};
static const char *const one_passphrase[] = {"key-passphrase"};

static int setup_none(void **state)
{
    (void)state;
    return fixture_initialize(&fixture, one_none, 1);
}

static int setup_two(void **state)
{
    (void)state;
    return fixture_initialize(&fixture, two_slots, 2);
}

static int setup_passphrase(void **state)
{
    (void)state;
    return fixture_initialize(&fixture, one_passphrase, 1);
}

static CK_SESSION_HANDLE open_session(CK_SLOT_ID slot, CK_FLAGS flags)
{
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;

    assert_int_equal(
        C_OpenSession(slot, flags | CKF_SERIAL_SESSION, NULL, NULL, &session),
        CKR_OK);
    return session;
}

static CK_STATE session_state(CK_SESSION_HANDLE session)
{
    CK_SESSION_INFO info;

    assert_int_equal(C_GetSessionInfo(session, &info), CKR_OK);
    return info.state;
}

static CK_RV login(CK_SESSION_HANDLE session, const char *pin)
{
    return C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

/* ---- C_Initialize, C_Finalize ---- */

static void initialize_twice_is_already_initialized(void **state)
{
    (void)state;
    assert_int_equal(C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
}

static void finalize_without_initialize_is_not_initialized(void **state)
{
    (void)state;
    assert_int_equal(C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void finalize_with_reserved_is_arguments_bad(void **state)
{
    int reserved;

    (void)state;
    assert_int_equal(C_Finalize(&reserved), CKR_ARGUMENTS_BAD);
}

static void initialize_with_reserved_is_arguments_bad(void **state)
{
    int reserved;
    CK_C_INITIALIZE_ARGS args = {.pReserved = &reserved};

    (void)state;
    assert_int_equal(C_Initialize(&args), CKR_ARGUMENTS_BAD);
}

static CK_RV create_mutex(CK_VOID_PTR_PTR mutex)
{
    *mutex = NULL;
    return CKR_OK;
}

static CK_RV mutex_op(CK_VOID_PTR mutex)
{
    (void)mutex;
    return CKR_OK;
}

static void initialize_with_some_mutex_callbacks_is_arguments_bad(void **state)
{
    CK_C_INITIALIZE_ARGS args = {.CreateMutex = create_mutex,
                                 .LockMutex = mutex_op};

    (void)state;
    assert_int_equal(C_Initialize(&args), CKR_ARGUMENTS_BAD);
}

static void initialize_with_mutex_callbacks_only_cannot_lock(void **state)
{
    CK_C_INITIALIZE_ARGS args = {create_mutex, mutex_op, mutex_op,
                                 mutex_op,     0,        NULL};

    (void)state;
    assert_int_equal(C_Initialize(&args), CKR_CANT_LOCK);
}

static void initialize_with_os_locking_ok_succeeds(void **state)
{
    CK_C_INITIALIZE_ARGS args = {create_mutex, mutex_op,          mutex_op,
                                 mutex_op,     CKF_OS_LOCKING_OK, NULL};

    (void)state;
    fixture_config(&fixture, one_none, 1);
    assert_int_equal(C_Initialize(&args), CKR_OK);
    assert_int_equal(C_Finalize(NULL), CKR_OK);
}

static void bad_configuration_fails_initialize(void **state)
{
    FILE *out = fopen(fixture.config, "w");

    (void)state;
    fputs("{\"slots\": [{\"label\": \"x\", \"unknown\": 1}]}", out);
    fclose(out);
    setenv("P11KMIP_CONFIG", fixture.config, 1);
    assert_int_equal(C_Initialize(NULL), CKR_FUNCTION_FAILED);
    assert_int_equal(C_GetInfo(&(CK_INFO){0}), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void unconfigured_module_has_no_slot(void **state)
{
    CK_ULONG count = 99;

    (void)state;
    if (access(P11KMIP_DEFAULT_CONFIG, F_OK) == 0)
        fail_msg("%s exists on this machine", P11KMIP_DEFAULT_CONFIG);
    unsetenv("P11KMIP_CONFIG");
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    assert_int_equal(C_GetSlotList(CK_FALSE, NULL, &count), CKR_OK);
    assert_int_equal(count, 0);
    assert_int_equal(C_Finalize(NULL), CKR_OK);
}

static void get_info_reports_cryptoki_2_40_and_manufacturer(void **state)
{
    CK_INFO info;

    (void)state;
    assert_int_equal(C_GetInfo(&info), CKR_OK);
    assert_int_equal(info.cryptokiVersion.major, 2);
    assert_int_equal(info.cryptokiVersion.minor, 40);
    assert_memory_equal(info.manufacturerID, "p11kmip ", 8);
    assert_int_equal(info.manufacturerID[31], ' ');
    assert_int_equal(C_GetInfo(NULL), CKR_ARGUMENTS_BAD);
}

static void function_list_has_every_entry_point(void **state)
{
    CK_FUNCTION_LIST_PTR list = NULL;
    void (**entry)(void);
    size_t n;

    (void)state;
    assert_int_equal(C_GetFunctionList(NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetFunctionList(&list), CKR_OK);
    assert_int_equal(list->version.major, 2);
    assert_int_equal(list->version.minor, 40);
    entry = (void (**)(void)) & list->C_Initialize;
    n = (sizeof(*list) - offsetof(CK_FUNCTION_LIST, C_Initialize)) /
        sizeof(*entry);
    assert_int_equal(n, 68);
    for (size_t i = 0; i < n; i++)
        assert_non_null(entry[i]);
}

/* Each function the module does not offer, with harmless arguments. */
static CK_RV init_pin(void)
{
    return C_InitPIN(1, NULL, 0);
}
static CK_RV get_state(void)
{
    return C_GetOperationState(1, NULL, NULL);
}
static CK_RV set_state(void)
{
    return C_SetOperationState(1, NULL, 0, 0, 0);
}
static CK_RV digest_key(void)
{
    return C_DigestKey(1, 2);
}
static CK_RV sign_recover_init(void)
{
    return C_SignRecoverInit(1, NULL, 2);
}
static CK_RV sign_recover(void)
{
    return C_SignRecover(1, NULL, 0, NULL, NULL);
}
static CK_RV verify_recover_init(void)
{
    return C_VerifyRecoverInit(1, NULL, 2);
}
static CK_RV verify_recover(void)
{
    return C_VerifyRecover(1, NULL, 0, NULL, NULL);
}
static CK_RV digest_encrypt(void)
{
    return C_DigestEncryptUpdate(1, NULL, 0, NULL, NULL);
}
static CK_RV decrypt_digest(void)
{
    return C_DecryptDigestUpdate(1, NULL, 0, NULL, NULL);
}
static CK_RV sign_encrypt(void)
{
    return C_SignEncryptUpdate(1, NULL, 0, NULL, NULL);
}
static CK_RV decrypt_verify(void)
{
    return C_DecryptVerifyUpdate(1, NULL, 0, NULL, NULL);
}
static CK_RV derive_key(void)
{
    return C_DeriveKey(1, NULL, 2, NULL, 0, NULL);
}
static CK_RV wait_for_slot(void)
{
    return C_WaitForSlotEvent(0, NULL, NULL);
}

static CK_RV (*const not_offered[])(void) = {
    init_pin,          get_state,      set_state,           digest_key,
    sign_recover_init, sign_recover,   verify_recover_init, verify_recover,
    digest_encrypt,    decrypt_digest, sign_encrypt,        decrypt_verify,
    wait_for_slot,
};

#define NOT_OFFERED_COUNT (sizeof(not_offered) / sizeof(not_offered[0]))

static void functions_not_offered_need_initialize_first(void **state)
{
    (void)state;
    for (size_t i = 0; i < NOT_OFFERED_COUNT; i++)
        assert_int_equal(not_offered[i](), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_GetFunctionStatus(1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_CancelFunction(1), CKR_CRYPTOKI_NOT_INITIALIZED);
}

/* Every offered function answers CKR_CRYPTOKI_NOT_INITIALIZED before
 * C_Initialize, before looking at its arguments. */
static void offered_functions_need_initialize_first(void **state)
{
    const CK_RV rvs[] = {
        C_Finalize(NULL),
        C_GetInfo(NULL),
        C_GetSlotList(CK_FALSE, NULL, NULL),
        C_GetSlotInfo(0, NULL),
        C_GetTokenInfo(0, NULL),
        C_GetMechanismList(0, NULL, NULL),
        C_GetMechanismInfo(0, CKM_RSA_PKCS, NULL),
        C_InitToken(0, NULL, 0, NULL),
        C_SetPIN(1, NULL, 0, NULL, 0),
        C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, NULL),
        C_CloseSession(1),
        C_CloseAllSessions(0),
        C_GetSessionInfo(1, NULL),
        C_Login(1, CKU_USER, NULL, 0),
        C_Logout(1),
        C_CreateObject(1, NULL, 0, NULL),
        C_CopyObject(1, 2, NULL, 0, NULL),
        C_DestroyObject(1, 2),
        C_GetObjectSize(1, 2, NULL),
        C_GetAttributeValue(1, 2, NULL, 0),
        C_SetAttributeValue(1, 2, NULL, 0),
        C_FindObjectsInit(1, NULL, 0),
        C_FindObjects(1, NULL, 0, NULL),
        C_FindObjectsFinal(1),
        C_EncryptInit(1, NULL, 2),
        C_Encrypt(1, NULL, 0, NULL, NULL),
        C_EncryptUpdate(1, NULL, 0, NULL, NULL),
        C_EncryptFinal(1, NULL, NULL),
        C_DecryptInit(1, NULL, 2),
        C_Decrypt(1, NULL, 0, NULL, NULL),
        C_DecryptUpdate(1, NULL, 0, NULL, NULL),
        C_DecryptFinal(1, NULL, NULL),
        C_DigestInit(1, NULL),
        C_Digest(1, NULL, 0, NULL, NULL),
        C_DigestUpdate(1, NULL, 0),
        C_DigestFinal(1, NULL, NULL),
        C_SignInit(1, NULL, 2),
        C_Sign(1, NULL, 0, NULL, NULL),
        C_SignUpdate(1, NULL, 0),
        C_SignFinal(1, NULL, NULL),
        C_VerifyInit(1, NULL, 2),
        C_Verify(1, NULL, 0, NULL, 0),
        C_VerifyUpdate(1, NULL, 0),
        C_VerifyFinal(1, NULL, 0),
        C_GenerateKey(1, NULL, NULL, 0, NULL),
        C_GenerateKeyPair(1, NULL, NULL, 0, NULL, 0, NULL, NULL),
        C_SeedRandom(1, NULL, 0),
        C_GenerateRandom(1, NULL, 0),
        C_WrapKey(1, NULL, 2, 3, NULL, NULL),
        C_UnwrapKey(1, NULL, 2, NULL, 0, NULL, 0, NULL),
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rvs) / sizeof(rvs[0]); i++) {
        if (rvs[i] != CKR_CRYPTOKI_NOT_INITIALIZED)
            fail_msg("call %zu answers 0x%lx", i, rvs[i]);
    }
}

static void derive_key_needs_initialize_first(void **state)
{
    (void)state;
    assert_int_equal(derive_key(), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void functions_not_offered_are_not_supported(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);

    (void)state;
    for (size_t i = 0; i < NOT_OFFERED_COUNT; i++)
        assert_int_equal(not_offered[i](), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(C_GetFunctionStatus(session), CKR_FUNCTION_NOT_PARALLEL);
    assert_int_equal(C_CancelFunction(session), CKR_FUNCTION_NOT_PARALLEL);
    assert_int_equal(C_GetFunctionStatus(session + 1000),
                     CKR_SESSION_HANDLE_INVALID);
}

/* ---- fork ---- */

/* Runs check in a child; returns its exit status. */
static int in_child(int (*check)(void))
{
    pid_t pid = fork();
    int status;

    if (pid == 0)
        _exit(check());
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static int child_without_initialize(void)
{
    CK_INFO info;
    CK_SESSION_INFO session_info;

    if (C_GetInfo(&info) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 1;
    if (C_GetSessionInfo(1, &session_info) != CKR_CRYPTOKI_NOT_INITIALIZED)
        return 2;
    return 0;
}

static int child_that_initializes(void)
{
    CK_ULONG count = 0;
    CK_SESSION_HANDLE session;

    if (C_Initialize(NULL) != CKR_OK)
        return 1;
    if (C_GetSlotList(CK_TRUE, NULL, &count) != CKR_OK || count != 1)
        return 2;
    if (C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session) != CKR_OK)
        return 3;
    return C_Finalize(NULL) == CKR_OK ? 0 : 4;
}

static void forked_child_is_not_initialized(void **state)
{
    (void)state;
    open_session(0, 0);
    assert_int_equal(in_child(child_without_initialize), 0);
}

static void forked_child_initializes_again(void **state)
{
    (void)state;
    open_session(0, 0);
    assert_int_equal(in_child(child_that_initializes), 0);
    /* The parent is untouched. */
    assert_int_equal(C_GetInfo(&(CK_INFO){0}), CKR_OK);
}

/* ---- slots and tokens ---- */

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
    CK_SESSION_HANDLE session = open_session(0, 0);
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(C_CloseSession(session), CKR_OK);
    assert_int_equal(C_GetSessionInfo(session, &info),
                     CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_CloseSession(session), CKR_SESSION_HANDLE_INVALID);
}

static void session_info_reports_slot_flags_and_state(void **state)
{
    CK_SESSION_HANDLE ro = open_session(1, 0);
    CK_SESSION_HANDLE rw = open_session(1, CKF_RW_SESSION);
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.slotID, 1);
    assert_int_equal(info.flags, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    assert_int_equal(info.state, CKS_RW_PUBLIC_SESSION);
    assert_int_equal(info.ulDeviceError, 0);
    assert_int_equal(session_state(ro), CKS_RO_PUBLIC_SESSION);
    assert_int_equal(C_GetSessionInfo(rw, NULL), CKR_ARGUMENTS_BAD);
}

static void token_info_counts_sessions(void **state)
{
    CK_TOKEN_INFO info;

    (void)state;
    open_session(0, 0);
    open_session(0, CKF_RW_SESSION);
    open_session(1, CKF_RW_SESSION);
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_int_equal(info.ulSessionCount, 2);
    assert_int_equal(info.ulRwSessionCount, 1);
}

static void close_all_sessions_closes_only_that_slot(void **state)
{
    CK_SESSION_HANDLE a = open_session(0, 0);
    CK_SESSION_HANDLE b = open_session(0, CKF_RW_SESSION);
    CK_SESSION_HANDLE other = open_session(1, 0);
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

/* ---- login ---- */

static void login_none_accepts_any_pin_once(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);

    (void)state;
    assert_int_equal(C_Login(session, CKU_USER, NULL, 0), CKR_OK);
    assert_int_equal(session_state(session), CKS_RO_USER_FUNCTIONS);
    assert_int_equal(login(session, "anything"), CKR_USER_ALREADY_LOGGED_IN);
    assert_int_equal(C_Logout(session), CKR_OK);
    assert_int_equal(session_state(session), CKS_RO_PUBLIC_SESSION);
}

static void logout_without_login_is_user_not_logged_in(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);

    (void)state;
    assert_int_equal(C_Logout(session), CKR_USER_NOT_LOGGED_IN);
}

static void security_officer_is_user_type_invalid(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);

    (void)state;
    assert_int_equal(C_Login(session, CKU_SO, NULL, 0), CKR_USER_TYPE_INVALID);
    assert_int_equal(C_Login(session, CKU_CONTEXT_SPECIFIC, NULL, 0),
                     CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_Login(session, CKU_USER, NULL, 4), CKR_ARGUMENTS_BAD);
}

static void wrong_passphrase_is_pin_incorrect(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);

    (void)state;
    assert_int_equal(login(session, "wrong-pin"), CKR_PIN_INCORRECT);
    assert_int_equal(session_state(session), CKS_RO_PUBLIC_SESSION);
}

static void right_passphrase_logs_the_token_in(void **state)
{
    CK_SESSION_HANDLE first = open_session(0, 0);
    CK_SESSION_HANDLE second = open_session(0, CKF_RW_SESSION);

    (void)state;
    assert_int_equal(login(first, FIXTURE_PIN), CKR_OK);
    /* Login is per token: every session sees it. */
    assert_int_equal(session_state(second), CKS_RW_USER_FUNCTIONS);
    assert_int_equal(login(second, FIXTURE_PIN), CKR_USER_ALREADY_LOGGED_IN);
}

static void unreadable_client_key_is_device_error(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);
    char moved[FIXTURE_PATH_MAX + 8];

    (void)state;
    snprintf(moved, sizeof(moved), "%s.moved", fixture.key_enc);
    assert_int_equal(rename(fixture.key_enc, moved), 0);
    assert_int_equal(login(session, FIXTURE_PIN), CKR_DEVICE_ERROR);
    assert_int_equal(rename(moved, fixture.key_enc), 0);
    assert_int_equal(login(session, FIXTURE_PIN), CKR_OK);
}

static void closing_the_last_session_logs_out(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);

    (void)state;
    assert_int_equal(login(session, FIXTURE_PIN), CKR_OK);
    assert_int_equal(C_CloseSession(session), CKR_OK);
    session = open_session(0, 0);
    assert_int_equal(session_state(session), CKS_RO_PUBLIC_SESSION);
}

static CK_RV set_pin(CK_SESSION_HANDLE session, const char *old_pin,
                     const char *new_pin)
{
    return C_SetPIN(session, (CK_UTF8CHAR_PTR)old_pin, strlen(old_pin),
                    (CK_UTF8CHAR_PTR)new_pin, strlen(new_pin));
}

static void set_pin_re_encrypts_the_client_key(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, CKF_RW_SESSION);

    (void)state;
    assert_int_equal(set_pin(session, "wrong-pin", "new-pin"),
                     CKR_PIN_INCORRECT);
    assert_int_equal(set_pin(session, FIXTURE_PIN, ""), CKR_PIN_LEN_RANGE);
    assert_int_equal(set_pin(session, FIXTURE_PIN, "new-pin"), CKR_OK);
    assert_int_equal(login(session, FIXTURE_PIN), CKR_PIN_INCORRECT);
    assert_int_equal(login(session, "new-pin"), CKR_OK);
    assert_int_equal(set_pin(session, "new-pin", FIXTURE_PIN), CKR_OK);
}

static void set_pin_needs_a_read_write_session(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);

    (void)state;
    assert_int_equal(set_pin(session, FIXTURE_PIN, "new-pin"),
                     CKR_SESSION_READ_ONLY);
}

/* The standard checks arguments and the mechanism before the session's
 * read-only state. */
static void generation_checks_mechanism_before_read_only(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, 0);
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
    CK_SESSION_HANDLE session = open_session(0, CKF_RW_SESSION);
    CK_OBJECT_HANDLE object;

    (void)state;
    assert_int_equal(C_CreateObject(session, NULL, 0, &object),
                     CKR_ARGUMENTS_BAD);
}

static void set_pin_without_passphrase_is_not_supported(void **state)
{
    CK_SESSION_HANDLE session = open_session(0, CKF_RW_SESSION);

    (void)state;
    assert_int_equal(set_pin(session, "a", "b"), CKR_FUNCTION_NOT_SUPPORTED);
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
        shared_sessions[i] = open_session(0, 0);
    for (size_t i = 0; i < RACERS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, race_sessions,
                                        (void *)(uintptr_t)i),
                         0);
    for (size_t i = 0; i < RACERS; i++)
        assert_int_equal(pthread_join(threads[i], &results[i]), 0);
    for (size_t i = 0; i < RACERS; i++)
        assert_int_equal((uintptr_t)results[i], CKR_OK);
}

/* ---- logging ---- */

static void log_file_gets_failures_and_never_the_pin(void **state)
{
    char log_path[FIXTURE_PATH_MAX + 8];
    char text[4096] = {0};
    CK_SESSION_HANDLE session;
    FILE *in;

    (void)state;
    snprintf(log_path, sizeof(log_path), "%s/log", fixture.dir);
    setenv("P11KMIP_LOG_FILE", log_path, 1);
    setenv("P11KMIP_LOG_LEVEL", "info", 1);
    fixture_config(&fixture, one_passphrase, 1);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    session = open_session(0, 0);
    assert_int_equal(login(session, "secret-wrong-pin"), CKR_PIN_INCORRECT);
    assert_int_equal(login(session, FIXTURE_PIN), CKR_OK);
    assert_int_equal(C_FindObjectsInit(session, NULL, 0), CKR_DEVICE_ERROR);
    assert_int_equal(C_Finalize(NULL), CKR_OK);
    unsetenv("P11KMIP_LOG_FILE");
    setenv("P11KMIP_LOG_LEVEL", "error", 1);
    in = fopen(log_path, "r");
    assert_non_null(in);
    assert_true(fread(text, 1, sizeof(text) - 1, in) > 0);
    fclose(in);
    unlink(log_path);
    assert_non_null(strstr(text, "initialized: 1 slot(s)"));
    assert_non_null(strstr(text, "slot 0"));
    assert_null(strstr(text, "secret-wrong-pin"));
    assert_null(strstr(text, FIXTURE_PIN));
}

#define WITH(test, setup)                                                      \
    cmocka_unit_test_setup_teardown(test, setup, fixture_finalize)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH(initialize_twice_is_already_initialized, setup_none),
        cmocka_unit_test(finalize_without_initialize_is_not_initialized),
        WITH(finalize_with_reserved_is_arguments_bad, setup_none),
        cmocka_unit_test(initialize_with_reserved_is_arguments_bad),
        cmocka_unit_test(initialize_with_some_mutex_callbacks_is_arguments_bad),
        cmocka_unit_test(initialize_with_mutex_callbacks_only_cannot_lock),
        cmocka_unit_test(initialize_with_os_locking_ok_succeeds),
        cmocka_unit_test(bad_configuration_fails_initialize),
        cmocka_unit_test(unconfigured_module_has_no_slot),
        WITH(get_info_reports_cryptoki_2_40_and_manufacturer, setup_none),
        cmocka_unit_test(function_list_has_every_entry_point),
        cmocka_unit_test(functions_not_offered_need_initialize_first),
        cmocka_unit_test(derive_key_needs_initialize_first),
        cmocka_unit_test(offered_functions_need_initialize_first),
        WITH(functions_not_offered_are_not_supported, setup_none),
        WITH(forked_child_is_not_initialized, setup_none),
        WITH(forked_child_initializes_again, setup_none),
        WITH(slot_list_counts_slots_and_reports_short_buffers, setup_two),
        WITH(unknown_slot_is_slot_id_invalid, setup_two),
        WITH(slot_info_has_a_present_token, setup_two),
        WITH(token_without_login_has_protected_authentication_path, setup_two),
        WITH(token_with_passphrase_requires_login, setup_two),
        WITH(mechanism_list_is_the_table, setup_none),
        WITH(mechanism_info_comes_from_the_table, setup_none),
        WITH(session_needs_the_serial_flag, setup_none),
        WITH(closed_session_handle_is_invalid, setup_none),
        WITH(session_info_reports_slot_flags_and_state, setup_two),
        WITH(token_info_counts_sessions, setup_two),
        WITH(close_all_sessions_closes_only_that_slot, setup_two),
        WITH(login_none_accepts_any_pin_once, setup_none),
        WITH(logout_without_login_is_user_not_logged_in, setup_none),
        WITH(security_officer_is_user_type_invalid, setup_none),
        WITH(wrong_passphrase_is_pin_incorrect, setup_passphrase),
        WITH(right_passphrase_logs_the_token_in, setup_passphrase),
        WITH(unreadable_client_key_is_device_error, setup_passphrase),
        WITH(closing_the_last_session_logs_out, setup_passphrase),
        WITH(set_pin_re_encrypts_the_client_key, setup_passphrase),
        WITH(set_pin_needs_a_read_write_session, setup_passphrase),
        WITH(set_pin_without_passphrase_is_not_supported, setup_none),
        WITH(sessions_survive_concurrent_use_and_close, setup_none),
        WITH(generation_checks_mechanism_before_read_only, setup_none),
        WITH(create_object_without_template_is_arguments_bad, setup_none),
        cmocka_unit_test(log_file_gets_failures_and_never_the_pin),
    };
    return FIXTURE_RUN(&fixture, tests);
}
