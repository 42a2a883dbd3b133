/* SPDX-License-Identifier: Apache-2.0 */
/* How a server entry is named in messages (kmip/endpoint.c, internal):
 * host:port, an IPv6 address in brackets, the default port when absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "client_internal.h"

static void label_is(const char *entry, const char *host, const char *label)
{
    kmip_endpoint endpoint;

    assert_int_equal(kmip_endpoint_parse(entry, &endpoint, NULL), KMIP_OK);
    assert_string_equal(endpoint.host, host);
    assert_string_equal(endpoint.label, label);
    kmip_endpoint_clear(&endpoint);
}

static void names_and_ipv4_are_host_colon_port(void **state)
{
    (void)state;
    label_is("kmip.example.com:5697", "kmip.example.com",
             "kmip.example.com:5697");
    label_is("127.0.0.1:1", "127.0.0.1", "127.0.0.1:1");
}

static void ipv6_keeps_its_brackets(void **state)
{
    (void)state;
    label_is("[2001:db8::1]:5697", "2001:db8::1", "[2001:db8::1]:5697");
    label_is("[::1]", "::1", "[::1]:5696");
}

static void an_absent_port_is_5696(void **state)
{
    (void)state;
    label_is("kmip.example.com", "kmip.example.com", "kmip.example.com:5696");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_ipv4_are_host_colon_port),
        cmocka_unit_test(ipv6_keeps_its_brackets),
        cmocka_unit_test(an_absent_port_is_5696),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
