/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the kmipd crypto unit tests. */
#ifndef TESTS_KMIPD_CRYPTO_TEST_H
#define TESTS_KMIPD_CRYPTO_TEST_H

#include <stdint.h>

#include <openssl/evp.h>

#include "kmip/status.h"

/* The private key of a key pair kmipd generates (RSA of length bits, or
 * EC on the curve of length bits), loaded; NULL on failure. Free with
 * EVP_PKEY_free. */
EVP_PKEY *crypto_test_private_key(uint32_t algorithm, int32_t length);

/* Asserts that rc is a KMIP failure with reason. */
void crypto_test_assert_reason(kmip_rc rc, const kmip_status *st,
                               uint32_t reason);

/* A cmocka group teardown: empties kmipd's parsed-key cache, so that
 * leak checkers see no key left. */
int crypto_test_clear_cache(void **state);

#endif
