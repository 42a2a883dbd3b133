/* SPDX-License-Identifier: Apache-2.0 */
#include "key_pairs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <openssl/encoder.h>

#include "kmip/tags.h"

kmipd_buf rsa_private, rsa_public, ec_private, ec_public;

int generate_pairs(void **state)
{
    (void)state;
    kmipd_key_info info;
    kmip_status st;
    if (kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048, 0,
                                &rsa_private, &rsa_public, &info,
                                &st) != KMIP_OK)
        return -1;
    return kmipd_generate_key_pair(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 0,
                                   KMIP_RECOMMENDED_CURVE_P_256, &ec_private,
                                   &ec_public, &info, &st) == KMIP_OK
               ? 0
               : -1;
}

int free_pairs(void **state)
{
    (void)state;
    kmipd_buf_clear(&rsa_private);
    kmipd_buf_clear(&rsa_public);
    kmipd_buf_clear(&ec_private);
    kmipd_buf_clear(&ec_public);
    kmipd_key_cache_clear();
    return 0;
}

kmipd_buf openssl_der(EVP_PKEY *pkey, int selection, const char *structure)
{
    kmipd_buf out = {0};
    OSSL_ENCODER_CTX *ctx =
        OSSL_ENCODER_CTX_new_for_pkey(pkey, selection, "DER", structure, NULL);
    assert_non_null(ctx);
    assert_int_equal(OSSL_ENCODER_to_data(ctx, &out.data, &out.len), 1);
    OSSL_ENCODER_CTX_free(ctx);
    return out;
}

EVP_PKEY *load(uint32_t object_type, const kmipd_buf *der)
{
    EVP_PKEY *pkey = NULL;
    kmip_status st;
    assert_int_equal(
        kmipd_key_load(object_type, der->data, der->len, &pkey, &st), KMIP_OK);
    return pkey;
}
