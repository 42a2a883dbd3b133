/* SPDX-License-Identifier: Apache-2.0 */
/* p11core without a server: the token's label and PIN lifecycle
 * (C_InitToken renames in the configuration file, C_SetPIN re-encrypts a
 * PEM key or a PKCS#12 bundle), the PIN rules, CKF_HW_SLOT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "core_fixture.h"
#include "p11core_internal.h"

static core_fixture fixture;

static int setup_p12(void **state)
{
    static const char *const login[] = {"p12"};

    return fixture_initialize(*state, login, 1);
}

static int teardown_module(void **state)
{
    fixture_finalize(state);
    unsetenv("P11KMIP_HARDWARE_SLOT");
    return 0;
}

static CK_RV login_len(CK_SESSION_HANDLE session, const char *pin, size_t len)
{
    return C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, len);
}

static CK_RV set_pin_len(CK_SESSION_HANDLE session, const char *old_pin,
                         const char *new_pin, size_t new_len)
{
    return C_SetPIN(session, (CK_UTF8CHAR_PTR)old_pin, strlen(old_pin),
                    (CK_UTF8CHAR_PTR)new_pin, new_len);
}

static CK_RV init_token(CK_SLOT_ID slot, const char *pin, const char *label)
{
    CK_UTF8CHAR padded[32];

    memset(padded, ' ', sizeof(padded));
    memcpy(padded, label, strlen(label));
    return C_InitToken(slot, (CK_UTF8CHAR_PTR)pin, pin ? strlen(pin) : 0,
                       padded);
}

static void token_label(char *out)
{
    CK_TOKEN_INFO info;
    size_t len = sizeof(info.label);

    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    while (len > 0 && info.label[len - 1] == ' ')
        len--;
    memcpy(out, info.label, len);
    out[len] = '\0';
}

static char *read_config(void)
{
    static char text[4096];
    FILE *in = fopen(fixture.config, "r");
    size_t n;

    assert_non_null(in);
    n = fread(text, 1, sizeof(text) - 1, in);
    fclose(in);
    text[n] = '\0';
    return text;
}

/* The DER of the bundle's certificate, opened with passphrase; 0 when it
 * does not open. */
static int p12_certificate(const char *passphrase, unsigned char **der)
{
    FILE *in = fopen(fixture.p12, "rb");
    PKCS12 *p12 = in != NULL ? d2i_PKCS12_fp(in, NULL) : NULL;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    int len = 0;

    if (in != NULL)
        fclose(in);
    if (p12 != NULL && PKCS12_parse(p12, passphrase, &key, &cert, NULL) == 1 &&
        key != NULL)
        len = i2d_X509(cert, der);
    EVP_PKEY_free(key);
    X509_free(cert);
    PKCS12_free(p12);
    return len > 0 ? len : 0;
}

/* ---- PINs: 1 to 256 bytes, no NUL ---- */

static void pins_out_of_range_or_with_a_nul_are_refused(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, CKF_RW_SESSION);
    char long_pin[258];

    (void)state;
    memset(long_pin, 'x', sizeof(long_pin) - 1);
    long_pin[257] = '\0';
    assert_int_equal(login_len(session, "", 0), CKR_PIN_LEN_RANGE);
    assert_int_equal(login_len(session, long_pin, 257), CKR_PIN_LEN_RANGE);
    assert_int_equal(login_len(session, long_pin, 256), CKR_PIN_INCORRECT);
    assert_int_equal(login_len(session, "right\0pin", 9), CKR_PIN_INVALID);
    assert_int_equal(set_pin_len(session, FIXTURE_PIN, long_pin, 257),
                     CKR_PIN_LEN_RANGE);
    assert_int_equal(set_pin_len(session, FIXTURE_PIN, "new\0pin", 7),
                     CKR_PIN_INVALID);
    assert_int_equal(fixture_set_pin(session, FIXTURE_PIN, ""),
                     CKR_PIN_LEN_RANGE);
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_OK);
}

/* ---- PKCS#12 ---- */

static void p12_pin_opens_the_bundle(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, 0);

    (void)state;
    assert_int_equal(fixture_login(session, "wrong-pin"), CKR_PIN_INCORRECT);
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_OK);
}

static void set_pin_rewrites_the_bundle_with_the_same_contents(void **state)
{
    CK_SESSION_HANDLE session = fixture_session(0, CKF_RW_SESSION);
    unsigned char *before = NULL, *after = NULL;
    int before_len = p12_certificate(FIXTURE_PIN, &before);
    struct stat st;

    (void)state;
    assert_true(before_len > 0);
    assert_int_equal(fixture_set_pin(session, "wrong-pin", "new-pin"),
                     CKR_PIN_INCORRECT);
    assert_int_equal(fixture_set_pin(session, FIXTURE_PIN, "new-pin"), CKR_OK);
    assert_int_equal(stat(fixture.p12, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(p12_certificate(FIXTURE_PIN, &after), 0);
    assert_int_equal(p12_certificate("new-pin", &after), before_len);
    assert_memory_equal(before, after, (size_t)before_len);
    assert_int_equal(fixture_login(session, FIXTURE_PIN), CKR_PIN_INCORRECT);
    assert_int_equal(fixture_login(session, "new-pin"), CKR_OK);
    assert_int_equal(fixture_set_pin(session, "new-pin", FIXTURE_PIN), CKR_OK);
    OPENSSL_free(before);
    OPENSSL_free(after);
}

/* ---- C_InitToken ---- */

static void init_token_renames_the_token_in_its_file(void **state)
{
    char label[33];

    (void)state;
    assert_int_equal(init_token(0, NULL, "renamed"), CKR_OK);
    token_label(label);
    assert_string_equal(label, "renamed");
    assert_non_null(strstr(read_config(), "\"renamed\""));
    assert_null(strstr(read_config(), "\"slot0\""));
    assert_int_equal(C_Finalize(NULL), CKR_OK);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    token_label(label);
    assert_string_equal(label, "renamed");
}

static void init_token_checks_the_pin_as_the_so_pin(void **state)
{
    char label[33];

    (void)state;
    assert_int_equal(init_token(0, "wrong-pin", "other"), CKR_PIN_INCORRECT);
    assert_int_equal(init_token(0, "", "other"), CKR_PIN_LEN_RANGE);
    token_label(label);
    assert_string_equal(label, "slot0");
    assert_int_equal(init_token(0, FIXTURE_PIN, "other"), CKR_OK);
    token_label(label);
    assert_string_equal(label, "other");
}

static void init_token_with_a_session_open_is_session_exists(void **state)
{
    (void)state;
    fixture_session(0, 0);
    assert_int_equal(init_token(0, NULL, "renamed"), CKR_SESSION_EXISTS);
    assert_int_equal(init_token(0, NULL, ""), CKR_ARGUMENTS_BAD);
}

static int init_token_as_nobody(void)
{
    if (setgid(65534) != 0 || setuid(65534) != 0)
        return 2;
    if (C_Initialize(NULL) != CKR_OK)
        return 3;
    return init_token(0, NULL, "renamed") == CKR_TOKEN_WRITE_PROTECTED ? 0 : 1;
}

static void
a_configuration_the_caller_cannot_write_is_write_protected(void **state)
{
    int status;
    pid_t pid;

    (void)state;
    C_Finalize(NULL); /* the child starts afresh as another user */
    assert_int_equal(chmod(fixture.dir, 0755), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(init_token_as_nobody());
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(chmod(fixture.dir, 0700), 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_non_null(strstr(read_config(), "\"slot0\""));
}

static void a_configuration_from_the_environment_cannot_be_renamed(void **state)
{
    (void)state;
    unsetenv("P11KMIP_CONFIG");
    setenv("XDG_CONFIG_HOME", fixture.dir, 1);
    setenv("P11KMIP_SERVER", fixture.server, 1);
    setenv("P11KMIP_CA", fixture.cert, 1);
    setenv("P11KMIP_CERT", fixture.cert, 1);
    setenv("P11KMIP_KEY", fixture.key, 1);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    assert_int_equal(init_token(0, NULL, "renamed"),
                     CKR_FUNCTION_NOT_SUPPORTED);
    unsetenv("P11KMIP_SERVER");
    unsetenv("P11KMIP_CA");
    unsetenv("P11KMIP_CERT");
    unsetenv("P11KMIP_KEY");
}

/* ---- CKF_HW_SLOT ---- */

static void hardware_slot_setting_sets_ckf_hw_slot(void **state)
{
    CK_SLOT_INFO info;

    (void)state;
    assert_int_equal(C_GetSlotInfo(0, &info), CKR_OK);
    assert_false(info.flags & CKF_HW_SLOT);
    assert_int_equal(C_Finalize(NULL), CKR_OK);
    setenv("P11KMIP_HARDWARE_SLOT", "true", 1);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    assert_int_equal(C_GetSlotInfo(0, &info), CKR_OK);
    assert_true(info.flags & CKF_HW_SLOT);
}

#define WITH(test, setup)                                                      \
    cmocka_unit_test_prestate_setup_teardown(test, setup, teardown_module,     \
                                             &fixture)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH(pins_out_of_range_or_with_a_nul_are_refused, setup_p12),
        WITH(p12_pin_opens_the_bundle, setup_p12),
        WITH(set_pin_rewrites_the_bundle_with_the_same_contents, setup_p12),
        WITH(init_token_renames_the_token_in_its_file, fixture_init_none),
        WITH(init_token_checks_the_pin_as_the_so_pin, fixture_init_passphrase),
        WITH(init_token_with_a_session_open_is_session_exists,
             fixture_init_none),
        WITH(a_configuration_the_caller_cannot_write_is_write_protected,
             fixture_init_none),
        cmocka_unit_test_teardown(
            a_configuration_from_the_environment_cannot_be_renamed,
            teardown_module),
        WITH(hardware_slot_setting_sets_ckf_hw_slot, fixture_init_none),
    };
    return FIXTURE_RUN(&fixture, tests);
}
