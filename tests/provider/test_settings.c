/* SPDX-License-Identifier: Apache-2.0 */
/* Settings of the provider's openssl.cnf section that EVP shows, run by
 * test_evp_ops.sh over SoftHSM2 with
 *   p11kmip-allow-export = 1, p11kmip-cache-pins = cache
 * and p11kmip-pin = file:$P11KMIP_TEST_PIN_FILE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "token_keys.h"

/* p11kmip-allow-export = 1: the token key's public part stays in the
 * provider. */
static void test_public_key_is_not_exported(void **state)
{
    EVP_PKEY *key = load("rsa", "private");
    OSSL_PARAM *params = NULL;

    (void)state;
    assert_true(EVP_PKEY_todata(key, EVP_PKEY_PUBLIC_KEY, &params) <= 0);
    assert_null(params);
    EVP_PKEY_free(key);
}

static int signs_in_child(EVP_PKEY *key)
{
    return token_key_signs(key) ? 0 : 1;
}

/* p11kmip-cache-pins = cache: a child logs in again (its module is new)
 * with the PIN its parent read, when the PIN file is gone (as for a
 * worker that dropped the privileges to read it). */
static void test_child_logs_in_with_the_cached_pin(void **state)
{
    EVP_PKEY *key = load("rsa", "private");

    (void)state;
    assert_int_equal(token_key_signs(key), 1);
    assert_int_equal(unlink(getenv("P11KMIP_TEST_PIN_FILE")), 0);
    in_child(signs_in_child, key);
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_key_is_not_exported),
        cmocka_unit_test(test_child_logs_in_with_the_cached_pin),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
