/* SPDX-License-Identifier: Apache-2.0 */
/* Loading the byte-exact TTLV vectors of tests/vectors/ in tests. */
#ifndef TEST_COMMON_VECTORS_H
#define TEST_COMMON_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "kmip/ttlv.h"

/* Reads TEST_VECTORS_DIR "/" name (e.g. "msg-get-request.hex"), drops its
 * '#' comment lines and hex-decodes the rest. Returns the bytes, which the
 * caller frees with free(), and their count in *len. A missing or malformed
 * file fails the running cmocka test with a message naming it. */
uint8_t *test_vector_load(const char *name, size_t *len);

/* Decodes the named vector; fails the running test, with the decoder's
 * message, when it does not. The caller frees the tree with
 * kmip_item_free. */
kmip_item *decode_vector(const char *name);

/* How many vectors tests/vectors/ holds: a test that checks each one
 * checks this many. */
#define TEST_VECTOR_COUNT 66

/* Calls check with the name of every vector (*.hex) of TEST_VECTORS_DIR,
 * in directory order; returns how many there were. */
size_t test_vector_each(void (*check)(const char *name));

#endif
