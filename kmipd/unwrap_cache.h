/* SPDX-License-Identifier: Apache-2.0 */
/* Remembers recently unwrapped key material, so that a key used again and
 * again (a Sign per request) is not unwrapped every time. An entry is used
 * only when the stored wrapped bytes are the very ones it was made from.
 * Thread safe; the plaintext is wiped when an entry goes. */
#ifndef KMIPD_UNWRAP_CACHE_H
#define KMIPD_UNWRAP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kmipd_unwrap_cache kmipd_unwrap_cache;

/* A cache of slots entries; NULL when out of memory. */
kmipd_unwrap_cache *kmipd_unwrap_cache_new(size_t slots);
void kmipd_unwrap_cache_free(kmipd_unwrap_cache *cache);

/* On a hit, a copy of the plaintext in *out (the caller wipes and frees
 * it) and true. */
bool kmipd_unwrap_cache_get(kmipd_unwrap_cache *cache, const char *uid,
                            const uint8_t *wrapped, size_t wrapped_len,
                            uint8_t **out, size_t *out_len);

/* Remembers that wrapped (of object uid) unwraps to plain. */
void kmipd_unwrap_cache_put(kmipd_unwrap_cache *cache, const char *uid,
                            const uint8_t *wrapped, size_t wrapped_len,
                            const uint8_t *plain, size_t plain_len);

#endif
