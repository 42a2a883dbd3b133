/* SPDX-License-Identifier: Apache-2.0 */
/* One RSA-2048 and one P-256 pair kmipd generated, shared by a whole test
 * run (generation is slow), and the OpenSSL views of kmipd's keys that the
 * key tests compare with. */
#ifndef TESTS_KMIPD_KEY_PAIRS_H
#define TESTS_KMIPD_KEY_PAIRS_H

#include <stdint.h>

#include <openssl/evp.h>

#include "kmipd/crypto.h"

/* Private keys as PKCS#8, public keys as SubjectPublicKeyInfo (DER). */
extern kmipd_buf rsa_private, rsa_public, ec_private, ec_public;

/* cmocka group setup: generates the pairs; teardown: frees them and
 * empties kmipd's key cache. */
int generate_pairs(void **state);
int free_pairs(void **state);

/* DER of pkey in structure, for comparisons with OpenSSL's own output
 * (free with kmipd_buf_clear). */
kmipd_buf openssl_der(EVP_PKEY *pkey, int selection, const char *structure);

/* der loaded by kmipd as object_type; fails the test when it does not
 * load. Free with EVP_PKEY_free. */
EVP_PKEY *load(uint32_t object_type, const kmipd_buf *der);

#endif
