/* SPDX-License-Identifier: Apache-2.0 */
/* provider/pin.c: PINs given as themselves or as "file:/path", with the
 * errors a PIN file can give, raised through a recording core. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/crypto.h>

#include "pin.h"

static char last_error[512];
static uint32_t last_reason;
static char dir[] = "/tmp/p11kmip-pin-XXXXXX";
static char path[sizeof(dir) + 16];

static void record_new_error(const OSSL_CORE_HANDLE *handle)
{
    (void)handle;
    last_error[0] = '\0';
}

static void record_vset_error(const OSSL_CORE_HANDLE *handle, uint32_t reason,
                              const char *fmt, va_list args)
{
    (void)handle;
    last_reason = reason;
    vsnprintf(last_error, sizeof(last_error), fmt, args);
}

static p11prov_ctx ctx = {
    .core_new_error = record_new_error,
    .core_vset_error = record_vset_error,
};

/* Writes content to the PIN file; returns its "file:" spec. */
static const char *pin_file(const char *content)
{
    static char spec[sizeof(path) + 8];
    FILE *file = fopen(path, "w");

    assert_non_null(file);
    assert_int_equal(fputs(content, file) >= 0, 1);
    assert_int_equal(fclose(file), 0);
    snprintf(spec, sizeof(spec), "file:%s", path);
    return spec;
}

/* Resolves spec, expecting success; returns the PIN (the caller frees). */
static char *resolved(const char *spec)
{
    char *pin = (char *)"unset";

    assert_int_equal(p11prov_pin_resolve(&ctx, spec, &pin), 0);
    return pin;
}

/* Resolves spec, expecting failure with an error that holds text. */
static void refused(const char *spec, const char *text)
{
    char *pin = (char *)"unset";

    last_error[0] = '\0';
    assert_int_equal(p11prov_pin_resolve(&ctx, spec, &pin), -1);
    assert_null(pin);
    assert_int_equal(last_reason, P11PROV_R_LOGIN);
    assert_non_null(strstr(last_error, text));
    assert_non_null(strstr(last_error, path));
}

static void test_no_pin_stays_none(void **state)
{
    (void)state;
    assert_null(resolved(NULL));
}

static void test_a_pin_is_itself(void **state)
{
    char *pin = resolved("1234");

    (void)state;
    assert_string_equal(pin, "1234");
    OPENSSL_free(pin);
    /* Only "file:" names a file; a PIN may begin with "file". */
    pin = resolved("file1234");
    assert_string_equal(pin, "file1234");
    OPENSSL_free(pin);
}

static void test_pin_file_first_line_without_its_end(void **state)
{
    static const char *contents[] = {"5678\n", "5678\r\n", "5678",
                                     "5678\nsecond line\n"};

    (void)state;
    for (size_t i = 0; i < sizeof(contents) / sizeof(contents[0]); i++) {
        char *pin = resolved(pin_file(contents[i]));

        assert_string_equal(pin, "5678");
        OPENSSL_free(pin);
    }
}

static void test_missing_pin_file_names_the_file(void **state)
{
    char spec[sizeof(path) + 8];

    (void)state;
    unlink(path);
    snprintf(spec, sizeof(spec), "file:%s", path);
    refused(spec, "No such file");
}

static void test_empty_pin_file_is_refused(void **state)
{
    (void)state;
    refused(pin_file(""), "empty");
    refused(pin_file("\nsecond line\n"), "empty");
}

/* A PIN of 256 bytes is read; one of 257 is refused. */
static void test_pin_file_of_256_bytes_and_no_more(void **state)
{
    char content[300], *pin;

    (void)state;
    memset(content, '7', 256);
    strcpy(content + 256, "\n");
    pin = resolved(pin_file(content));
    assert_int_equal(strlen(pin), 256);
    OPENSSL_free(pin);
    memset(content, '7', 257);
    strcpy(content + 257, "\n");
    refused(pin_file(content), "longer than 256");
}

static int make_dir(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/pin", dir);
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    unlink(path);
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_pin_stays_none),
        cmocka_unit_test(test_a_pin_is_itself),
        cmocka_unit_test(test_pin_file_first_line_without_its_end),
        cmocka_unit_test(test_missing_pin_file_names_the_file),
        cmocka_unit_test(test_empty_pin_file_is_refused),
        cmocka_unit_test(test_pin_file_of_256_bytes_and_no_more),
    };

    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
