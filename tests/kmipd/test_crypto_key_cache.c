/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's parsed-key cache: the same material loaded twice hits it,
 * forgotten material is parsed again without its prepared contexts, public
 * material never loads as private. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

#include "crypto_test.h"
#include "key_pairs.h"

static void loading_the_same_material_twice_hits_the_cache(void **state)
{
    (void)state;
    EVP_PKEY *first = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    EVP_PKEY *second = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    assert_ptr_equal(first, second);
    EVP_PKEY_free(first);
    EVP_PKEY_free(second);
}

static void forgotten_material_is_parsed_again(void **state)
{
    (void)state;
    EVP_PKEY *first = load(KMIP_OBJECT_TYPE_PUBLIC_KEY, &ec_public);
    kmipd_key_forget(ec_public.data, ec_public.len);
    EVP_PKEY *second = load(KMIP_OBJECT_TYPE_PUBLIC_KEY, &ec_public);
    assert_ptr_not_equal(first, second);
    assert_int_equal(EVP_PKEY_eq(first, second), 1);
    EVP_PKEY_free(first);
    EVP_PKEY_free(second);
}

/* A destroyed key's prepared signature contexts go with its parsed key. */
static void forgotten_material_drops_its_prepared_contexts(void **state)
{
    (void)state;
    EVP_PKEY *key = load(KMIP_OBJECT_TYPE_PRIVATE_KEY, &ec_private);
    const uintptr_t setup[KMIPD_CTX_SETUP_WORDS] = {1, 2, 3};
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    assert_non_null(ctx);
    kmipd_ctx_cache_put(key, setup, ctx);
    EVP_PKEY_CTX *copy = kmipd_ctx_cache_dup(key, setup);
    assert_non_null(copy);
    EVP_PKEY_CTX_free(copy);
    kmipd_key_forget(ec_private.data, ec_private.len);
    assert_null(kmipd_ctx_cache_dup(key, setup));
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
}

static void public_material_does_not_load_as_private(void **state)
{
    (void)state;
    EVP_PKEY *pkey = NULL;
    kmip_status st;
    crypto_test_assert_reason(kmipd_key_load(KMIP_OBJECT_TYPE_PRIVATE_KEY,
                                             ec_public.data, ec_public.len,
                                             &pkey, &st),
                              &st, KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(pkey);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loading_the_same_material_twice_hits_the_cache),
        cmocka_unit_test(forgotten_material_is_parsed_again),
        cmocka_unit_test(forgotten_material_drops_its_prepared_contexts),
        cmocka_unit_test(public_material_does_not_load_as_private),
    };
    return cmocka_run_group_tests(tests, generate_pairs, free_pairs);
}
