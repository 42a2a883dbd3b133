/* SPDX-License-Identifier: Apache-2.0 */
/* Operations a key may not do are refused by the provider with
 * P11PROV_R_KEY_USAGE and an error that says why (a public key cannot sign
 * or decrypt); a digest the token cannot use is P11PROV_R_UNSUPPORTED,
 * naming the digest. Runs under test_evp_ops.sh, on its "rsa" key pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "token_keys.h"

/* P11PROV_R_* (provider/provider.h) */
#define REASON_KEY_USAGE 7
#define REASON_UNSUPPORTED 8

static const unsigned char message[] = "a message the key may not sign";

/* Expects the last error to have reason and a text holding each of the
 * texts (NULL-terminated). */
static void expect_error(int reason, const char *texts[])
{
    const char *data = NULL;
    int flags = 0;
    unsigned long err = ERR_peek_last_error_data(&data, &flags);

    assert_int_equal(ERR_GET_REASON(err), reason);
    assert_non_null(data);
    for (; *texts != NULL; texts++) {
        if (strstr(data, *texts) == NULL)
            fail_msg("no \"%s\" in \"%s\"", *texts, data);
    }
}

/* Expects init on a context for a public-only key to fail saying text. */
static void expect_refused_for_public_key(int (*init)(EVP_PKEY_CTX *),
                                          const char *text)
{
    EVP_PKEY *key = public_only("rsa", "RSA");
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    const char *texts[] = {text, NULL};

    ERR_clear_error();
    assert_int_not_equal(init(pctx), 1);
    expect_error(REASON_KEY_USAGE, texts);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

static void test_decrypt_with_a_public_key_is_refused(void **state)
{
    (void)state;
    expect_refused_for_public_key(EVP_PKEY_decrypt_init,
                                  "decrypting needs a private key");
}

static void test_sign_with_a_public_key_is_refused(void **state)
{
    (void)state;
    expect_refused_for_public_key(EVP_PKEY_sign_init,
                                  "signing needs a private key");
}

/* 1 when a digest-sign with md and label's private key succeeds. */
static int digest_sign(const char *label, const char *md)
{
    EVP_PKEY *key = load(label, "private");
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t siglen = sizeof(sig);
    int ok;

    ERR_clear_error();
    ok = EVP_DigestSignInit_ex(mdctx, NULL, md, NULL, NULL, key, NULL) == 1 &&
         EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)) == 1;
    EVP_MD_CTX_free(mdctx);
    EVP_PKEY_free(key);
    return ok;
}

static void test_digest_the_token_cannot_use_is_unsupported(void **state)
{
    const char *texts[] = {"SHA3-256", NULL};

    (void)state;
    assert_int_equal(digest_sign("rsa", "SHA3-256"), 0);
    expect_error(REASON_UNSUPPORTED, texts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decrypt_with_a_public_key_is_refused),
        cmocka_unit_test(test_sign_with_a_public_key_is_refused),
        cmocka_unit_test(test_digest_the_token_cannot_use_is_unsupported),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
