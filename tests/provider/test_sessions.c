/* SPDX-License-Identifier: Apache-2.0 */
/* The module and its sessions (provider/session.c): a p11kmip-module-path
 * that does not load, or names a library that is not a PKCS#11 module
 * (libcrypto), is an error naming it when the provider is first used;
 * more digest-signs at once than the pool keeps idle all sign, and the
 * sessions the pool closes do not log the token out. Runs under
 * test_evp_ops.sh, on its "rsa" key pair; a second library context loads the
 * provider (P11KMIP_TEST_PROVIDER) with a module path of the test's. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/store.h>

#include "token_keys.h"

/* P11PROV_R_* (provider/provider.h) */
#define REASON_MODULE 1
#define REASON_UNSUPPORTED 8

/* More than the IDLE_SESSIONS_PER_SLOT (8) a slot's pool keeps. */
#define SIGNERS 11

static const unsigned char message[] = "one of many messages at once";

/* Expects the provider loaded with p11kmip-module-path = module_path to
 * find no key at the rsa key's URI, with the error reason and text. */
static void expect_module_refused(const char *module_path, int reason,
                                  const char *text)
{
    const char *conf_path = "sessions-openssl.cnf";
    FILE *conf = fopen(conf_path, "w");
    OSSL_LIB_CTX *libctx = OSSL_LIB_CTX_new();
    OSSL_STORE_CTX *store;

    assert_non_null(conf);
    assert_non_null(libctx);
    fprintf(conf,
            "openssl_conf = init\n[init]\nproviders = providers\n"
            "[providers]\ndefault = default_sect\np11kmip = p11kmip_sect\n"
            "[default_sect]\nactivate = 1\n"
            "[p11kmip_sect]\nmodule = %s\np11kmip-module-path = %s\n"
            "activate = 1\n",
            getenv("P11KMIP_TEST_PROVIDER"), module_path);
    assert_int_equal(fclose(conf), 0);
    assert_int_equal(OSSL_LIB_CTX_load_config(libctx, conf_path), 1);
    ERR_clear_error();
    store = OSSL_STORE_open_ex(uri("rsa", "private"), libctx, NULL, NULL, NULL,
                               NULL, NULL, NULL);
    assert_non_null(store);
    assert_null(OSSL_STORE_load(store));
    expect_last_error(reason, text);
    OSSL_STORE_close(store);
    OSSL_LIB_CTX_free(libctx);
}

static void test_a_module_path_that_does_not_load_is_named(void **state)
{
    (void)state;
    expect_module_refused("/nonexistent/libpkcs11.so", REASON_MODULE,
                          "cannot load /nonexistent/libpkcs11.so");
}

/* libcrypto has no C_GetFunctionList. */
static void test_a_library_that_is_not_a_pkcs11_module_is_named(void **state)
{
    Dl_info libcrypto;
    char text[512];

    (void)state;
    assert_int_not_equal(dladdr((void *)EVP_MD_CTX_new, &libcrypto), 0);
    snprintf(text, sizeof(text), "%s: ", libcrypto.dli_fname);
    expect_module_refused(libcrypto.dli_fname, REASON_UNSUPPORTED, text);
    expect_last_error(REASON_UNSUPPORTED, "(CKR_FUNCTION_NOT_SUPPORTED)");
}

static void test_more_signers_than_idle_sessions_all_sign(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    EVP_MD_CTX *signers[SIGNERS];

    (void)state;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < SIGNERS; i++)
            /* Each holds a session until it is finished. */
            signers[i] = digest_sign_begun(key, NULL, message, sizeof(message));
        for (size_t i = 0; i < SIGNERS; i++) {
            finish_and_verify(signers[i], key, message, sizeof(message));
            EVP_MD_CTX_free(signers[i]);
        }
    }
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_module_path_that_does_not_load_is_named),
        cmocka_unit_test(test_a_library_that_is_not_a_pkcs11_module_is_named),
        cmocka_unit_test(test_more_signers_than_idle_sessions_all_sign),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
