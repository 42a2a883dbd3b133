/* SPDX-License-Identifier: Apache-2.0 */
#include "msg_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "vectors.h"

static void print_hex(const char *label, const uint8_t *data, size_t len)
{
    print_message("%s (%zu bytes):\n", label, len);
    for (size_t i = 0; i < len; i++)
        print_message("%02x%s", data[i], (i % 32 == 31) ? "\n" : "");
    print_message("\n");
}

void assert_encodes_to_vector(kmip_item *item, const char *name)
{
    assert_non_null(item);
    size_t want_len = 0;
    uint8_t *want = test_vector_load(name, &want_len);
    uint8_t *got = NULL;
    size_t got_len = 0;
    kmip_status status;
    kmip_status_clear(&status);
    if (kmip_ttlv_encode_alloc(item, &got, &got_len, &status) != KMIP_OK)
        fail_msg("encoding for %s failed: %s", name, status.message);
    kmip_item_free(item);
    bool same = got_len == want_len && memcmp(got, want, want_len) == 0;
    if (!same) {
        print_hex("got", got, got_len);
        print_hex("want", want, want_len);
    }
    free(got);
    free(want);
    if (!same)
        fail_msg("encoding differs from %s", name);
}

void assert_message_has(const kmip_status *status, const char *needle)
{
    if (strstr(status->message, needle) == NULL)
        fail_msg("status message \"%s\" lacks \"%s\"", status->message, needle);
}

kmip_item *must_find(kmip_item *parent, uint32_t tag)
{
    const kmip_item *child = kmip_item_find(parent, tag);
    if (child == NULL)
        fail_msg("no child with tag 0x%06x", (unsigned)tag);
    return (kmip_item *)child;
}

kmip_item *aes_128_encrypt_decrypt(void)
{
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(
        kmip_attrs_add_algorithm(attrs, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES));
    assert_non_null(kmip_attrs_add_length(attrs, 128));
    assert_non_null(kmip_attrs_add_usage_mask(
        attrs, KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                   KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT));
    return attrs;
}
