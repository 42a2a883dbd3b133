/* SPDX-License-Identifier: Apache-2.0 */
/* A certificate for the tests that store one. */
#ifndef TESTS_P11CORE_TEST_CERT_H
#define TESTS_P11CORE_TEST_CERT_H

#include <stdint.h>

/* A self-signed P-256 certificate for CN=cn, serial 7, valid for an hour,
 * as DER into *der (free with OPENSSL_free); its length, <= 0 on
 * failure. */
int test_self_signed_cert(const char *cn, uint8_t **der);

#endif
