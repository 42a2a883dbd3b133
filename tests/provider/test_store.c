/* SPDX-License-Identifier: Apache-2.0 */
/* The pkcs11: store through OSSL_STORE: every object a URI matches is
 * listed, in a fixed order (private keys, public keys, certificates, each
 * by CKA_ID); a key pair generated without p11kmip-uri is found again by
 * the key file written for it. Runs under test_evp_ops.sh, on its "rsa"
 * (CKA_ID 01) and "p256" (02) key pairs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/store.h>

#include "token_keys.h"

#define MAX_LISTED 16

/* The OSSL_STORE_INFO types location lists, in order; their number. */
static size_t listed(const char *location, int types[MAX_LISTED])
{
    OSSL_STORE_CTX *store = OSSL_STORE_open(location, NULL, NULL, NULL, NULL);
    size_t count = 0;

    assert_non_null(store);
    while (!OSSL_STORE_eof(store) && count < MAX_LISTED) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(store);

        if (info != NULL)
            types[count++] = OSSL_STORE_INFO_get_type(info);
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(store);
    return count;
}

static void test_a_label_lists_its_private_then_its_public_key(void **state)
{
    int types[MAX_LISTED];
    char location[256];

    (void)state;
    snprintf(location, sizeof(location), "pkcs11:%sobject=rsa",
             getenv("P11KMIP_TEST_TOKEN_ATTR"));
    assert_int_equal(listed(location, types), 2);
    assert_int_equal(types[0], OSSL_STORE_INFO_PKEY);
    assert_int_equal(types[1], OSSL_STORE_INFO_PUBKEY);
}

/* Two private keys: the first listed is the lowest CKA_ID, every time. */
static void test_private_keys_listed_by_cka_id(void **state)
{
    EVP_PKEY *rsa = load("rsa", "public");
    char location[256];

    (void)state;
    snprintf(location, sizeof(location), "pkcs11:%stype=private",
             getenv("P11KMIP_TEST_TOKEN_ATTR"));
    for (int i = 0; i < 3; i++) {
        EVP_PKEY *first = load_from(location);

        assert_int_equal(EVP_PKEY_eq(first, rsa), 1);
        EVP_PKEY_free(first);
    }
    EVP_PKEY_free(rsa);
}

/* An EC pair generated on the token without p11kmip-uri. */
static EVP_PKEY *generate_unnamed(void)
{
    EVP_PKEY_CTX *ctx =
        EVP_PKEY_CTX_new_from_name(NULL, "EC", "provider=p11kmip");
    EVP_PKEY *key = NULL;

    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_group_name(ctx, "P-256"), 1);
    assert_int_equal(EVP_PKEY_keygen(ctx, &key), 1);
    EVP_PKEY_CTX_free(ctx);
    return key;
}

/* key written as a key file and read back. */
static EVP_PKEY *through_keyfile(EVP_PKEY *key)
{
    BIO *file = BIO_new(BIO_s_mem());
    EVP_PKEY *read = NULL;

    assert_int_equal(
        PEM_write_bio_PrivateKey(file, key, NULL, NULL, 0, NULL, NULL), 1);
    read = PEM_read_bio_PrivateKey(file, NULL, NULL, NULL);
    assert_non_null(read);
    BIO_free(file);
    return read;
}

static void test_unnamed_generated_pairs_are_found_again(void **state)
{
    EVP_PKEY *first = generate_unnamed(), *second = generate_unnamed();
    EVP_PKEY *first_again = through_keyfile(first);
    EVP_PKEY *second_again = through_keyfile(second);

    (void)state;
    assert_int_not_equal(EVP_PKEY_eq(first, second), 1);
    assert_int_equal(EVP_PKEY_eq(first_again, first), 1);
    assert_int_equal(EVP_PKEY_eq(second_again, second), 1);
    EVP_PKEY_free(first);
    EVP_PKEY_free(second);
    EVP_PKEY_free(first_again);
    EVP_PKEY_free(second_again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_label_lists_its_private_then_its_public_key),
        cmocka_unit_test(test_private_keys_listed_by_cka_id),
        cmocka_unit_test(test_unnamed_generated_pairs_are_found_again),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
