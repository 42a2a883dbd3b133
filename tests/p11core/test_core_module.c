/* SPDX-License-Identifier: Apache-2.0 */
/* p11core without a server, the module itself: C_Initialize and its
 * arguments, C_Finalize, C_GetInfo, the function list, the functions not
 * offered, fork, the log file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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
static const char *const one_passphrase[] = {"key-passphrase"};

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
    CK_SESSION_HANDLE session = fixture_session(0, 0);

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
    fixture_session(0, 0);
    assert_int_equal(in_child(child_without_initialize), 0);
}

static void forked_child_initializes_again(void **state)
{
    (void)state;
    fixture_session(0, 0);
    assert_int_equal(in_child(child_that_initializes), 0);
    /* The parent is untouched. */
    assert_int_equal(C_GetInfo(&(CK_INFO){0}), CKR_OK);
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
    session = fixture_session(0, 0);
    assert_int_equal(fixture_login(session, "secret-wrong-pin"),
                     CKR_PIN_INCORRECT);
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_OK);
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

#define WITH(test, setup) FIXTURE_TEST(&fixture, test, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH(initialize_twice_is_already_initialized, fixture_init_none),
        cmocka_unit_test(finalize_without_initialize_is_not_initialized),
        WITH(finalize_with_reserved_is_arguments_bad, fixture_init_none),
        cmocka_unit_test(initialize_with_reserved_is_arguments_bad),
        cmocka_unit_test(initialize_with_some_mutex_callbacks_is_arguments_bad),
        cmocka_unit_test(initialize_with_mutex_callbacks_only_cannot_lock),
        cmocka_unit_test(initialize_with_os_locking_ok_succeeds),
        cmocka_unit_test(bad_configuration_fails_initialize),
        cmocka_unit_test(unconfigured_module_has_no_slot),
        WITH(get_info_reports_cryptoki_2_40_and_manufacturer,
             fixture_init_none),
        cmocka_unit_test(function_list_has_every_entry_point),
        cmocka_unit_test(functions_not_offered_need_initialize_first),
        cmocka_unit_test(derive_key_needs_initialize_first),
        cmocka_unit_test(offered_functions_need_initialize_first),
        WITH(functions_not_offered_are_not_supported, fixture_init_none),
        WITH(forked_child_is_not_initialized, fixture_init_none),
        WITH(forked_child_initializes_again, fixture_init_none),
        cmocka_unit_test(log_file_gets_failures_and_never_the_pin),
    };
    return FIXTURE_RUN(&fixture, tests);
}
