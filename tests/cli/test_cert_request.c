// SPDX-License-Identifier: Apache-2.0
/* --self-signed SUBJECT and --days N of keygen and cert
 * (cli/cert_request.c): what is taken, what is a usage error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/x509.h>

#include "cli.h"
#include "signing.h"

/* The text of the entry nid of name, or "" when there is none. */
static const char *entry(const X509_NAME *name, int nid)
{
    int at = X509_NAME_get_index_by_NID(name, nid, -1);
    const ASN1_STRING *value =
        at >= 0 ? X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at))
                : NULL;

    return value != NULL ? (const char *)ASN1_STRING_get0_data(value) : "";
}

static void test_subject_components_in_order_with_escaped_slash(void **state)
{
    cli_cert_request req = {0};

    (void)state;
    assert_int_equal(
        cli_cert_request_parse("/CN=web.example.com/O=Ex\\/Org", NULL, &req),
        CLI_OK);
    assert_int_equal(X509_NAME_entry_count(req.subject), 2);
    assert_string_equal(entry(req.subject, NID_commonName), "web.example.com");
    assert_string_equal(entry(req.subject, NID_organizationName), "Ex/Org");
    assert_int_equal(
        X509_NAME_get_index_by_NID(req.subject, NID_commonName, -1), 0);
    cli_cert_request_clear(&req);
    assert_null(req.subject);
}

static void test_utf8_value_is_kept(void **state)
{
    cli_cert_request req = {0};

    (void)state;
    assert_int_equal(cli_cert_request_parse("/CN=Gr\xc3\xbc\xc3\x9f"
                                            "e",
                                            NULL, &req),
                     CLI_OK);
    assert_string_equal(entry(req.subject, NID_commonName), "Gr\xc3\xbc\xc3\x9f"
                                                            "e");
    cli_cert_request_clear(&req);
}

static void test_days_default_and_bounds(void **state)
{
    static const struct {
        const char *days;
        long want;
    } good[] = {{NULL, CLI_CERT_DEFAULT_DAYS}, {"1", 1}, {"36525", 36525}};

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        cli_cert_request req = {0};

        assert_int_equal(cli_cert_request_parse("/CN=x", good[i].days, &req),
                         CLI_OK);
        assert_int_equal(req.days, good[i].want);
        cli_cert_request_clear(&req);
    }
    assert_int_equal(CLI_CERT_DEFAULT_DAYS, 365);
}

static void test_bad_days_are_usage_errors(void **state)
{
    static const char *const bad[] = {
        "0", "-1", "36526", "99999999999999999999", "7x", "", "+5", " 5",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cli_cert_request req = {0};

        assert_int_equal(cli_cert_request_parse("/CN=x", bad[i], &req),
                         CLI_EXIT_USAGE);
        assert_null(req.subject);
    }
}

static void test_malformed_subjects_are_usage_errors(void **state)
{
    static const char *const bad[] = {
        "",       "/",      "CN=x",       "/CN", "/CN=", "/=x", "/NOSUCHTYPE=x",
        "//CN=x", "/CN=x/", "/CN=x//O=y",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cli_cert_request req = {0};

        assert_int_equal(cli_cert_request_parse(bad[i], NULL, &req),
                         CLI_EXIT_USAGE);
        assert_null(req.subject);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_components_in_order_with_escaped_slash),
        cmocka_unit_test(test_utf8_value_is_kept),
        cmocka_unit_test(test_days_default_and_bounds),
        cmocka_unit_test(test_bad_days_are_usage_errors),
        cmocka_unit_test(test_malformed_subjects_are_usage_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
