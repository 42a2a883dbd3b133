/* SPDX-License-Identifier: Apache-2.0 */
/* pkcs11: URIs through the store (provider/uri.c, store.c): a PIN from a
 * pin-source file, named as a file: URI or a path; a pin-source that
 * cannot be read and a URI that does not parse are errors that name what
 * is wrong and never show a PIN; token attributes that match no token say
 * so; the store lists only the kind of object the caller expects. Runs
 * under test_evp_ops.sh, on its "rsa" key pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/store.h>

#include "token_keys.h"

/* P11PROV_R_* (provider/provider.h) */
#define REASON_URI 2
#define REASON_NOT_FOUND 3
#define REASON_LOGIN 5

#define TEST_PIN "1234"

static char location[512];

/* The rsa private key's URI with more attributes; a static buffer. */
static const char *rsa_with(const char *more)
{
    snprintf(location, sizeof(location), "%s;%s", uri("rsa", "private"), more);
    return location;
}

/* A file holding the test token's PIN; its absolute path. */
static const char *pin_file(void)
{
    static char path[256];
    char cwd[200];
    FILE *file;

    assert_non_null(getcwd(cwd, sizeof(cwd)));
    snprintf(path, sizeof(path), "%s/uri-pin.txt", cwd);
    file = fopen(path, "w");
    assert_non_null(file);
    assert_true(fputs(TEST_PIN "\n", file) >= 0);
    assert_int_equal(fclose(file), 0);
    return path;
}

/* Expects location to load no key, with the error reason and text. */
static void expect_no_key(const char *where, int reason, const char *text)
{
    EVP_PKEY *key;

    ERR_clear_error();
    key = find_key(where);
    assert_null(key);
    expect_last_error(reason, text);
}

static void test_pin_source_as_a_file_uri_or_a_path(void **state)
{
    const char *path = pin_file();
    EVP_PKEY *public_key = load("rsa", "public");
    char more[300];

    (void)state;
    snprintf(more, sizeof(more), "pin-source=file:%s", path);
    EVP_PKEY *by_file_uri = load_from(rsa_with(more));
    snprintf(more, sizeof(more), "pin-source=%s", path);
    EVP_PKEY *by_path = load_from(rsa_with(more));

    assert_int_equal(EVP_PKEY_eq(by_file_uri, public_key), 1);
    assert_int_equal(EVP_PKEY_eq(by_path, public_key), 1);
    EVP_PKEY_free(by_file_uri);
    EVP_PKEY_free(by_path);
    EVP_PKEY_free(public_key);
}

static void test_an_unreadable_pin_source_names_its_file(void **state)
{
    (void)state;
    expect_no_key(rsa_with("pin-source=/nonexistent/p11kmip-pin"), REASON_LOGIN,
                  "/nonexistent/p11kmip-pin");
    expect_no_key(rsa_with("pin-source=file:/nonexistent/p11kmip-pin"),
                  REASON_LOGIN, "/nonexistent/p11kmip-pin");
}

/* A URI with a bad escape is refused; its text in the error stops before
 * the PIN it carries. */
static void
test_a_malformed_uri_is_refused_without_showing_its_pin(void **state)
{
    (void)state;
    expect_no_key("pkcs11:object=rs%zz;pin-value=secret-7731", REASON_URI,
                  "pkcs11:object=rs%zz;");
    assert_null(strstr(last_error_text(), "secret-7731"));
    expect_no_key("pkcs11:object=rs%4;pin-value=secret-7731", REASON_URI,
                  "pkcs11:object=rs%4;");
    assert_null(strstr(last_error_text(), "secret-7731"));
}

/* A URI that parses keeps its attributes in the error, never its PIN. */
static void test_a_uri_matching_nothing_is_shown_without_its_pin(void **state)
{
    (void)state;
    expect_no_key("pkcs11:object=no-such-key;pin-value=secret-7731",
                  REASON_NOT_FOUND, "object=no-such-key");
    assert_null(strstr(last_error_text(), "secret-7731"));
}

/* Slot and token attributes that no token has: no token matches. */
static void test_token_attributes_matching_no_token_say_so(void **state)
{
    static const char *attributes[] = {
        "slot-id=4242",
        "slot-description=no-such-slot",
        "slot-manufacturer=no-such-maker",
        "token=no-such-token",
        "manufacturer=no-such-maker",
        "model=no-such-model",
        "serial=0000no-such-serial",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]); i++) {
        snprintf(location, sizeof(location), "pkcs11:object=rsa;%s",
                 attributes[i]);
        expect_no_key(location, REASON_NOT_FOUND, "no token matches");
    }
    expect_no_key("pkcs11:object=no-such-key", REASON_NOT_FOUND,
                  "no object matches");
}

/* The OSSL_STORE_INFO types the store lists at location when the caller
 * expects type (0: any), in order; their number. */
static size_t listed_expecting(const char *where, int type, int types[4])
{
    OSSL_STORE_CTX *store = OSSL_STORE_open(where, NULL, NULL, NULL, NULL);
    size_t count = 0;

    assert_non_null(store);
    if (type != 0)
        assert_int_equal(OSSL_STORE_expect(store, type), 1);
    while (!OSSL_STORE_eof(store) && count < 4) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(store);

        if (info == NULL)
            break;
        types[count++] = OSSL_STORE_INFO_get_type(info);
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(store);
    return count;
}

static void test_the_store_lists_only_what_is_expected(void **state)
{
    int types[4];

    (void)state;
    snprintf(location, sizeof(location), "pkcs11:%sobject=rsa",
             getenv("P11KMIP_TEST_TOKEN_ATTR"));
    assert_int_equal(listed_expecting(location, 0, types), 2);
    assert_int_equal(listed_expecting(location, OSSL_STORE_INFO_PUBKEY, types),
                     1);
    assert_int_equal(types[0], OSSL_STORE_INFO_PUBKEY);
    assert_int_equal(listed_expecting(location, OSSL_STORE_INFO_PKEY, types),
                     1);
    assert_int_equal(types[0], OSSL_STORE_INFO_PKEY);
    ERR_clear_error();
    assert_int_equal(listed_expecting(location, OSSL_STORE_INFO_CERT, types),
                     0);
    expect_last_error(REASON_NOT_FOUND, "no object matches");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pin_source_as_a_file_uri_or_a_path),
        cmocka_unit_test(test_an_unreadable_pin_source_names_its_file),
        cmocka_unit_test(
            test_a_malformed_uri_is_refused_without_showing_its_pin),
        cmocka_unit_test(test_a_uri_matching_nothing_is_shown_without_its_pin),
        cmocka_unit_test(test_token_attributes_matching_no_token_say_so),
        cmocka_unit_test(test_the_store_lists_only_what_is_expected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
