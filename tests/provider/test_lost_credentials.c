/* SPDX-License-Identifier: Apache-2.0 */
/* A forked child whose module cannot reach the server (its client key
 * cannot be read: P11KMIP_KEY names a file that is not there, as a 0600
 * root key is to a worker) gets an error that says the token could not be
 * used, not that the key is gone (issue: "no object matches ... the key
 * is no longer on the token"). Runs under test_evp_ops.sh over p11core
 * and kmipd, on its "rsa" key pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "token_keys.h"

/* P11PROV_R_NOT_FOUND (provider/provider.h) */
#define REASON_NOT_FOUND 3

static const unsigned char message[] = "signed by a child";

/* In the child: 0 when signing failed with an error that is not "not
 * found" and names the key; 1 otherwise (printing what it got). */
static int child_sign(EVP_PKEY *key)
{
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t siglen = sizeof(sig);
    const char *data = NULL;
    int flags = 0, ok;
    unsigned long err;

    ERR_clear_error();
    ok = EVP_DigestSignInit_ex(mdctx, NULL, "SHA256", NULL, NULL, key, NULL) ==
             1 &&
         EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)) == 1;
    err = ERR_peek_last_error_data(&data, &flags);
    ERR_print_errors_fp(stderr);
    EVP_MD_CTX_free(mdctx);
    if (ok || data == NULL)
        return 1;
    return ERR_GET_REASON(err) == REASON_NOT_FOUND ||
           strstr(data, "no longer on the token") != NULL ||
           strstr(data, "object=rsa") == NULL;
}

static void
test_child_without_credentials_is_not_told_the_key_is_gone(void **state)
{
    EVP_PKEY *key = load("rsa", "private");

    (void)state;
    assert_int_equal(setenv("P11KMIP_KEY", "/nonexistent/client.key", 1), 0);
    in_child(child_sign, key);
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_child_without_credentials_is_not_told_the_key_is_gone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
