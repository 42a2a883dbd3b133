/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

EVP_PKEY *crypto_test_private_key(uint32_t algorithm, int32_t length)
{
    kmipd_buf priv = {0}, pub = {0};
    kmipd_key_info info;
    kmip_status st;
    EVP_PKEY *pkey = NULL;
    if (kmipd_generate_key_pair(algorithm, length, 0, &priv, &pub, &info,
                                &st) == KMIP_OK &&
        kmipd_key_load(KMIP_OBJECT_TYPE_PRIVATE_KEY, priv.data, priv.len, &pkey,
                       &st) != KMIP_OK)
        pkey = NULL;
    kmipd_buf_clear(&priv);
    kmipd_buf_clear(&pub);
    return pkey;
}

void crypto_test_assert_reason(kmip_rc rc, const kmip_status *st,
                               uint32_t reason)
{
    assert_int_equal(rc, KMIP_E_RESULT);
    assert_int_equal(st->result_reason, reason);
}

int crypto_test_clear_cache(void **state)
{
    (void)state;
    kmipd_key_cache_clear();
    return 0;
}
