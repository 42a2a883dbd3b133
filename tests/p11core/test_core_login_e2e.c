// SPDX-License-Identifier: Apache-2.0
/* The login modes of the module end to end (core_e2e.h) against the server
 * with_server.py started, argv[1] naming it ("kmipd" or "pykmip"):
 * key-passphrase (the client key decrypted by the PIN) and credential (a
 * KMIP Credential with each request). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core_e2e.h"

static CK_RV login(const char *pin)
{
    return p11->C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

static void passphrase_token_works_after_login_only(void **state)
{
    const char *label = label_for("locked");
    CK_OBJECT_HANDLE pub, priv, found[4];
    CK_TOKEN_INFO token;

    (void)state;
    assert_int_equal(p11->C_GetTokenInfo(0, &token), CKR_OK);
    assert_true(token.flags & CKF_LOGIN_REQUIRED);
    assert_int_equal(find(NULL, 0, found, 4), 0);
    assert_int_equal(login("not-the-pin"), CKR_PIN_INCORRECT);
    assert_int_equal(login(test_env("P11KMIP_TEST_KEY_PASS")), CKR_OK);
    rsa_pair(label, &pub, &priv);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 1);
    assert_int_equal(p11->C_Logout(session), CKR_OK);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 0);
}

static void credential_login_is_sent_with_each_request(void **state)
{
    const char *label = label_for("credential");
    CK_OBJECT_HANDLE pub, priv, found[4];
    CK_ATTRIBUTE probe = {CKA_CLASS, NULL, 0};

    (void)state;
    assert_int_equal(p11->C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR) "pw", 2),
                     CKR_OK);
    rsa_pair(label, &pub, &priv);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 1);
    assert_int_equal(found[0], priv);
    /* After logout the keys are private objects again. */
    assert_int_equal(p11->C_Logout(session), CKR_OK);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 0);
    assert_int_equal(find_label(CKO_PUBLIC_KEY, label, found), 1);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &probe, 1),
                     CKR_USER_NOT_LOGGED_IN);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        cmocka_unit_test_setup_teardown(passphrase_token_works_after_login_only,
                                        setup_passphrase, teardown),
        cmocka_unit_test_setup_teardown(
            credential_login_is_sent_with_each_request, setup_credential,
            teardown),
    };

    return core_e2e_main(argc, argv, TEST_GROUP(every_server), NO_TEST_GROUP,
                         NO_TEST_GROUP);
}
