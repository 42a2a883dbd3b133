/* SPDX-License-Identifier: Apache-2.0 */
/* The CKA_EC_PARAMS of the tests' EC keys: P-256's OID in DER. */
#ifndef TESTS_P11CORE_P256_H
#define TESTS_P11CORE_P256_H

static const unsigned char p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                     0xce, 0x3d, 0x03, 0x01, 0x07};

#endif
