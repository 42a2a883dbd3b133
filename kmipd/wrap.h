/* SPDX-License-Identifier: Apache-2.0 */
/* Key material at rest: AES-256 key wrap with padding (RFC 5649). */
#ifndef KMIPD_WRAP_H
#define KMIPD_WRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMIPD_WRAP_KEY_LEN 32

/* Wraps plain under key into a new buffer (*out, freed by the caller with
 * free()). Returns false on failure. len must be at least 1. */
bool kmipd_wrap(const uint8_t key[KMIPD_WRAP_KEY_LEN], const uint8_t *plain,
                size_t len, uint8_t **out, size_t *out_len);

/* Unwraps into a new buffer the caller wipes and frees. Returns false
 * when the integrity check fails (wrong key or altered data). */
bool kmipd_unwrap(const uint8_t key[KMIPD_WRAP_KEY_LEN], const uint8_t *wrapped,
                  size_t len, uint8_t **out, size_t *out_len);

/* Reads the master key from path: exactly 32 bytes, or 64 hex digits
 * (surrounding white space allowed). Returns false with a reason in why
 * (why_len bytes) when the file is unreadable, holds anything else, or
 * may be read or written by others than its owner (mode & 077). */
bool kmipd_master_key_read(const char *path, uint8_t key[KMIPD_WRAP_KEY_LEN],
                           char *why, size_t why_len);

#endif
