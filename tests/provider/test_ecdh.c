/* SPDX-License-Identifier: Apache-2.0 */
/* ECDH through EVP_PKEY_derive with a token key: the secret is the one
 * OpenSSL's default provider computes with the peer's private key; keys
 * that cannot derive are refused naming the key. Runs under
 * test_evp_ops.sh: "p256" may derive, "victim" may not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "token_keys.h"

/* The secret key derives with peer into secret (64 bytes); its length, or
 * 0 with the error left on the queue. propq picks the provider. */
static size_t derive(EVP_PKEY *key, EVP_PKEY *peer, const char *propq,
                     unsigned char *secret)
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, propq);
    size_t len = 64;

    assert_non_null(pctx);
    if (EVP_PKEY_derive_init(pctx) != 1 ||
        EVP_PKEY_derive_set_peer(pctx, peer) != 1 ||
        EVP_PKEY_derive(pctx, secret, &len) != 1)
        len = 0;
    EVP_PKEY_CTX_free(pctx);
    return len;
}

static EVP_PKEY *local_key(const char *curve)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, "provider=default", "EC", curve);

    assert_non_null(pkey);
    return pkey;
}

/* Expects the last error's text to hold each of texts (NULL-ended). */
static void expect_error(const char *texts[])
{
    const char *data = NULL;
    int flags = 0;

    ERR_peek_last_error_data(&data, &flags);
    assert_non_null(data);
    for (; *texts != NULL; texts++) {
        if (strstr(data, *texts) == NULL)
            fail_msg("no \"%s\" in \"%s\"", *texts, data);
    }
    ERR_clear_error();
}

static void test_derive_gives_the_peers_secret(void **state)
{
    EVP_PKEY *key = load("p256", "private"), *pub = load("p256", "public");
    EVP_PKEY *peer = local_key("P-256");
    unsigned char secret[64], expected[64];
    size_t len = derive(key, peer, NULL, secret);

    (void)state;
    assert_int_equal(len, 32);
    assert_int_equal(derive(peer, pub, "provider=default", expected), 32);
    assert_memory_equal(secret, expected, 32);
    EVP_PKEY_free(peer);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(key);
}

static void test_peer_on_another_curve_is_refused(void **state)
{
    EVP_PKEY *key = load("p256", "private"), *peer = local_key("P-384");
    unsigned char secret[64];

    (void)state;
    assert_int_equal(derive(key, peer, NULL, secret), 0);
    expect_error((const char *[]){"object=p256", "peer key is on curve",
                                  "secp384r1", NULL});
    EVP_PKEY_free(peer);
    EVP_PKEY_free(key);
}

static void test_key_without_derive_is_refused(void **state)
{
    EVP_PKEY *key = load("victim", "private"), *peer = local_key("P-256");
    unsigned char secret[64];

    (void)state;
    assert_int_equal(derive(key, peer, NULL, secret), 0);
    expect_error((const char *[]){"object=victim",
                                  "CKR_KEY_FUNCTION_NOT_PERMITTED", NULL});
    EVP_PKEY_free(peer);
    EVP_PKEY_free(key);
}

static void test_public_key_is_refused(void **state)
{
    EVP_PKEY *key = public_only("p256", "EC");
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);

    (void)state;
    assert_int_equal(EVP_PKEY_derive_init(pctx), 0);
    expect_error(
        (const char *[]){"ECDH key derivation needs a private key", NULL});
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive_gives_the_peers_secret),
        cmocka_unit_test(test_peer_on_another_curve_is_refused),
        cmocka_unit_test(test_key_without_derive_is_refused),
        cmocka_unit_test(test_public_key_is_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
