/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the message, attribute and payload tests. */
#ifndef TEST_KMIP_MSG_TEST_UTIL_H
#define TEST_KMIP_MSG_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/status.h"
#include "kmip/ttlv.h"

#include "vectors.h" /* decode_vector */

/* Fails the running test unless item encodes to the named vector's bytes;
 * then frees item. */
void assert_encodes_to_vector(kmip_item *item, const char *name);

/* Fails the running test unless status->message contains needle. */
void assert_message_has(const kmip_status *status, const char *needle);

/* The first child of parent with tag, failing the test when absent. */
kmip_item *must_find(kmip_item *parent, uint32_t tag);

/* Attributes of a 128-bit AES key that encrypts and decrypts; the caller
 * frees them with kmip_item_free. */
kmip_item *aes_128_encrypt_decrypt(void);

#endif
