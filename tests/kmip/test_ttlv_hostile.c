/* SPDX-License-Identifier: Apache-2.0 */
/* The decoder against malformed and hostile input: every case is a clean
 * error (or, for unknown tags, a kept item), never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/ttlv.h"
#include "vectors.h"

#define TAG 0x420001

static void put_header(kmip_writer *w, uint32_t tag, uint8_t type,
                       uint32_t length)
{
    assert_true(kmip_writer_u8(w, (uint8_t)(tag >> 16)));
    assert_true(kmip_writer_u8(w, (uint8_t)(tag >> 8)));
    assert_true(kmip_writer_u8(w, (uint8_t)tag));
    assert_true(kmip_writer_u8(w, type));
    assert_true(kmip_writer_u32(w, length));
}

/* Decodes the writer's bytes (freeing them) and asserts a decode error
 * whose message contains expected (when not NULL). */
static void assert_decode_fails(kmip_writer *w, const kmip_decode_limits *lim,
                                const char *expected)
{
    kmip_item *item = (kmip_item *)1;
    kmip_status status;
    kmip_status_clear(&status);
    kmip_rc rc = kmip_ttlv_decode(w->data, w->len, lim, &item, &status);
    kmip_writer_free(w);
    assert_int_equal(rc, KMIP_E_DECODE);
    assert_int_equal(status.rc, KMIP_E_DECODE);
    assert_null(item);
    if (expected != NULL && strstr(status.message, expected) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", status.message, expected);
}

/* Decodes the writer's bytes (freeing them); the caller frees the tree. */
static kmip_item *decode_ok(kmip_writer *w, const kmip_decode_limits *lim)
{
    kmip_item *item = NULL;
    kmip_status status;
    kmip_status_clear(&status);
    kmip_rc rc = kmip_ttlv_decode(w->data, w->len, lim, &item, &status);
    kmip_writer_free(w);
    if (rc != KMIP_OK)
        fail_msg("decode failed: %s", status.message);
    return item;
}

static void test_every_truncation_of_a_message_fails(void **state)
{
    (void)state;
    size_t len = 0;
    uint8_t *bytes = test_vector_load("msg-get-response.hex", &len);
    for (size_t cut = 0; cut < len; cut++) {
        /* A copy of exactly cut bytes, so that ASan sees any overread. */
        uint8_t *prefix = malloc(cut ? cut : 1);
        assert_non_null(prefix);
        memcpy(prefix, bytes, cut);
        kmip_item *item = NULL;
        kmip_status status;
        kmip_status_clear(&status);
        assert_int_equal(kmip_ttlv_decode(prefix, cut, NULL, &item, &status),
                         KMIP_E_DECODE);
        assert_null(item);
        assert_true(status.message[0] != '\0');
        free(prefix);
    }
    free(bytes);
}

static void test_length_past_the_end_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_TEXT_STRING, 100);
    assert_true(kmip_writer_zeros(&w, 8));
    assert_decode_fails(&w, NULL, "runs past the end");
}

static void test_nonzero_integer_padding_fails_at_its_offset(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_INTEGER, 4);
    assert_true(kmip_writer_u32(&w, 1));
    assert_true(kmip_writer_u32(&w, 0x00000100));
    assert_decode_fails(&w, NULL, "offset 14");
}

static void test_nonzero_text_padding_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_TEXT_STRING, 3);
    assert_true(kmip_writer_bytes(&w, "abc\0\0\0\0x", 8));
    assert_decode_fails(&w, NULL, "padding");
}

static void test_nonzero_bytes_padding_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_BYTE_STRING, 1);
    assert_true(kmip_writer_bytes(&w, "\x01\x01\0\0\0\0\0\0", 8));
    assert_decode_fails(&w, NULL, "offset 9");
}

static void test_wrong_length_for_each_fixed_type_fails(void **state)
{
    (void)state;
    static const struct {
        kmip_type type;
        uint32_t length;
    } fixed[] = {
        {KMIP_TYPE_INTEGER, 4},
        {KMIP_TYPE_LONG_INTEGER, 8},
        {KMIP_TYPE_ENUMERATION, 4},
        {KMIP_TYPE_BOOLEAN, 8},
        {KMIP_TYPE_DATE_TIME, 8},
        {KMIP_TYPE_INTERVAL, 4},
        {KMIP_TYPE_DATE_TIME_EXTENDED, 8},
    };
    static const uint32_t lengths[] = {0, 1, 3, 4, 5, 7, 8, 9, 16};
    for (size_t t = 0; t < sizeof(fixed) / sizeof(fixed[0]); t++) {
        for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
            if (lengths[l] == fixed[t].length)
                continue;
            kmip_writer w;
            kmip_writer_init(&w);
            put_header(&w, TAG, (uint8_t)fixed[t].type, lengths[l]);
            assert_true(kmip_writer_zeros(&w, (lengths[l] + 7) / 8 * 8));
            assert_decode_fails(&w, NULL, "expected");
        }
    }
}

static void test_bigint_length_not_positive_multiple_of_8_fails(void **state)
{
    (void)state;
    static const uint32_t lengths[] = {0, 1, 4, 12};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        kmip_writer w;
        kmip_writer_init(&w);
        put_header(&w, TAG, KMIP_TYPE_BIG_INTEGER, lengths[i]);
        assert_true(kmip_writer_zeros(&w, (lengths[i] + 7) / 8 * 8));
        assert_decode_fails(&w, NULL, "Big Integer");
    }
}

static void test_boolean_value_2_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_BOOLEAN, 8);
    assert_true(kmip_writer_u64(&w, 2));
    assert_decode_fails(&w, NULL, "Boolean");
}

static void test_huge_lengths_fail_cleanly(void **state)
{
    (void)state;
    static const kmip_type types[] = {
        KMIP_TYPE_TEXT_STRING, KMIP_TYPE_BYTE_STRING, KMIP_TYPE_STRUCTURE,
        KMIP_TYPE_BIG_INTEGER};
    static const uint32_t lengths[] = {0x7FFFFFFF, 0x7FFFFFF8, 0x80000000,
                                       0xFFFFFFF8, 0xFFFFFFFF};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
            kmip_writer w;
            kmip_writer_init(&w);
            put_header(&w, TAG, (uint8_t)types[t], lengths[l]);
            assert_true(kmip_writer_zeros(&w, 64));
            assert_decode_fails(&w, NULL, NULL);
        }
    }
}

static void test_child_overrunning_its_structure_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    /* The structure claims 8 bytes; its Integer child needs 16. */
    put_header(&w, TAG, KMIP_TYPE_STRUCTURE, 8);
    put_header(&w, TAG, KMIP_TYPE_INTEGER, 4);
    assert_true(kmip_writer_zeros(&w, 8));
    assert_decode_fails(&w, NULL, "offset 8");
}

static void test_structure_length_not_multiple_of_8_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_STRUCTURE, 12);
    put_header(&w, TAG, KMIP_TYPE_INTEGER, 4);
    assert_true(kmip_writer_zeros(&w, 8));
    assert_decode_fails(&w, NULL, "multiple of 8");
}

static void test_structure_length_past_the_end_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_STRUCTURE, 64);
    put_header(&w, TAG, KMIP_TYPE_INTEGER, 4);
    assert_true(kmip_writer_zeros(&w, 8));
    assert_decode_fails(&w, NULL, "runs past the end (16 bytes left)");
}

static void test_trailing_bytes_fail(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_INTEGER, 4);
    assert_true(kmip_writer_zeros(&w, 16));
    assert_decode_fails(&w, NULL, "after the item");
}

static void test_empty_input_fails(void **state)
{
    (void)state;
    kmip_item *item = NULL;
    assert_int_equal(kmip_ttlv_decode(NULL, 0, NULL, &item, NULL),
                     KMIP_E_DECODE);
    assert_null(item);
}

/* depth structures, each holding the next; the innermost is empty. */
static void put_nested_structures(kmip_writer *w, size_t depth)
{
    for (size_t i = 0; i < depth; i++)
        put_header(w, TAG, KMIP_TYPE_STRUCTURE,
                   (uint32_t)(8 * (depth - 1 - i)));
}

static void test_ten_thousand_nested_structures_fail_on_depth(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_nested_structures(&w, 10000);
    assert_decode_fails(&w, NULL, "nested deeper than 32");
}

/* With the depth limit lifted, deep input is still decoded without
 * recursion and freed without recursion. */
static void test_deep_nesting_without_limit_decodes_iteratively(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_nested_structures(&w, 100000);
    kmip_decode_limits limits = {SIZE_MAX, SIZE_MAX};
    kmip_item *item = decode_ok(&w, &limits);
    size_t depth = 0;
    for (const kmip_item *cur = item; cur != NULL; cur = cur->v.children.first)
        depth++;
    assert_int_equal(depth, 100000);
    kmip_item_free(item);
}

static void test_depth_limit_is_inclusive(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_nested_structures(&w, KMIP_DEFAULT_MAX_DEPTH);
    kmip_item_free(decode_ok(&w, NULL));
    kmip_writer_init(&w);
    put_nested_structures(&w, KMIP_DEFAULT_MAX_DEPTH + 1);
    assert_decode_fails(&w, NULL, "nested deeper");
}

static void put_structure_of_integers(kmip_writer *w, uint32_t count)
{
    put_header(w, TAG, KMIP_TYPE_STRUCTURE, 16 * count);
    for (uint32_t i = 0; i < count; i++) {
        put_header(w, TAG, KMIP_TYPE_INTEGER, 4);
        assert_true(kmip_writer_u64(w, (uint64_t)i << 32));
    }
}

static void test_default_limits_match_the_header(void **state)
{
    (void)state;
    kmip_decode_limits limits = kmip_decode_limits_default();
    assert_int_equal(limits.max_depth, KMIP_DEFAULT_MAX_DEPTH);
    assert_int_equal(limits.max_items, KMIP_DEFAULT_MAX_ITEMS);
}

static void test_item_count_limit_counts_every_item(void **state)
{
    (void)state;
    kmip_decode_limits limits = kmip_decode_limits_default();
    limits.max_items = 11;
    kmip_writer w;
    kmip_writer_init(&w);
    put_structure_of_integers(&w, 10);
    kmip_item *item = decode_ok(&w, &limits);
    assert_int_equal(item->v.children.count, 10);
    kmip_item_free(item);
    limits.max_items = 10;
    kmip_writer_init(&w);
    put_structure_of_integers(&w, 10);
    assert_decode_fails(&w, &limits, "more than 10 items");
}

static void test_default_item_limit_rejects_100001_items(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_structure_of_integers(&w, KMIP_DEFAULT_MAX_ITEMS);
    assert_decode_fails(&w, NULL, "items");
}

static void put_text(kmip_writer *w, const char *bytes, uint32_t len)
{
    put_header(w, TAG, KMIP_TYPE_TEXT_STRING, len);
    assert_true(kmip_writer_bytes(w, bytes, len));
    assert_true(kmip_writer_zeros(w, (8 - len % 8) % 8));
}

static void test_invalid_utf8_fails(void **state)
{
    (void)state;
    static const char *const invalid[] = {
        "\xff",             /* never a UTF-8 byte */
        "a\x80",            /* lone continuation byte */
        "\xc0\x80",         /* overlong NUL */
        "\xe0\x80\xaf",     /* overlong '/' */
        "\xed\xa0\x80",     /* UTF-16 surrogate */
        "\xf4\x90\x80\x80", /* past U+10FFFF */
        "\xe2\x82",         /* truncated sequence */
        "\xc3(",            /* bad continuation */
    };
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        kmip_writer w;
        kmip_writer_init(&w);
        put_text(&w, invalid[i], (uint32_t)strlen(invalid[i]));
        assert_decode_fails(&w, NULL, "UTF-8");
    }
}

static void test_valid_multibyte_utf8_is_kept(void **state)
{
    (void)state;
    static const char text[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91";
    kmip_writer w;
    kmip_writer_init(&w);
    put_text(&w, text, sizeof(text) - 1);
    kmip_item *item = decode_ok(&w, NULL);
    assert_string_equal((const char *)item->v.bytes.data, text);
    kmip_item_free(item);
}

static void test_unknown_tags_are_kept(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, 0x42FFFF, KMIP_TYPE_STRUCTURE, 16);
    put_header(&w, 0x54ABCD, KMIP_TYPE_INTEGER, 4);
    assert_true(kmip_writer_u64(&w, (uint64_t)7 << 32));
    kmip_item *item = decode_ok(&w, NULL);
    assert_int_equal(item->tag, 0x42FFFF);
    int32_t value = 0;
    assert_int_equal(kmip_get_integer(item, 0x54ABCD, &value, NULL), KMIP_OK);
    assert_int_equal(value, 7);
    kmip_item_free(item);
}

static void test_unknown_type_byte_fails(void **state)
{
    (void)state;
    static const uint8_t types[] = {0x00, 0x0C, 0x80, 0xFF};
    for (size_t i = 0; i < sizeof(types); i++) {
        kmip_writer w;
        kmip_writer_init(&w);
        put_header(&w, TAG, types[i], 4);
        assert_true(kmip_writer_zeros(&w, 8));
        assert_decode_fails(&w, NULL, "unknown item type");
    }
}

static void test_tag_outside_kmip_ranges_fails(void **state)
{
    (void)state;
    static const uint32_t tags[] = {0x000001, 0x410001, 0x430001, 0x530001,
                                    0xFF0001};
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        kmip_writer w;
        kmip_writer_init(&w);
        put_header(&w, tags[i], KMIP_TYPE_INTEGER, 4);
        assert_true(kmip_writer_zeros(&w, 8));
        assert_decode_fails(&w, NULL, "tag");
    }
}

static void test_bad_tag_inside_a_structure_fails(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_STRUCTURE, 16);
    put_header(&w, 0x100001, KMIP_TYPE_INTEGER, 4);
    assert_true(kmip_writer_zeros(&w, 8));
    assert_decode_fails(&w, NULL, "offset 8");
}

static void test_decoded_values_do_not_point_into_input(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, KMIP_TYPE_BYTE_STRING, 4);
    assert_true(kmip_writer_bytes(&w, "\x01\x02\x03\x04\0\0\0\0", 8));
    kmip_item *item = NULL;
    assert_int_equal(kmip_ttlv_decode(w.data, w.len, NULL, &item, NULL),
                     KMIP_OK);
    assert_true(item->v.bytes.data < w.data ||
                item->v.bytes.data >= w.data + w.len);
    memset(w.data, 0xEE, w.len);
    kmip_writer_free(&w);
    assert_memory_equal(item->v.bytes.data, "\x01\x02\x03\x04", 4);
    kmip_item_free(item);
}

static size_t frame_length_of(uint8_t type, uint32_t length, size_t max,
                              kmip_rc expected_rc)
{
    kmip_writer w;
    kmip_writer_init(&w);
    put_header(&w, TAG, type, length);
    size_t total = 0;
    kmip_status status;
    kmip_rc rc = kmip_ttlv_frame_length(w.data, w.len, max, &total, &status);
    kmip_writer_free(&w);
    assert_int_equal(rc, expected_rc);
    return total;
}

static void test_frame_length_rounds_values_up(void **state)
{
    (void)state;
    size_t max = KMIP_DEFAULT_MAX_MESSAGE;
    assert_int_equal(frame_length_of(KMIP_TYPE_INTEGER, 4, max, KMIP_OK), 16);
    assert_int_equal(frame_length_of(KMIP_TYPE_TEXT_STRING, 11, max, KMIP_OK),
                     24);
    assert_int_equal(frame_length_of(KMIP_TYPE_BYTE_STRING, 0, max, KMIP_OK),
                     8);
    assert_int_equal(frame_length_of(KMIP_TYPE_STRUCTURE, 32, max, KMIP_OK),
                     40);
}

static void test_frame_length_limit_is_inclusive(void **state)
{
    (void)state;
    assert_int_equal(frame_length_of(KMIP_TYPE_STRUCTURE, 1016, 1024, KMIP_OK),
                     1024);
    frame_length_of(KMIP_TYPE_STRUCTURE, 1024, 1024, KMIP_E_TOO_BIG);
}

static void test_frame_length_rejects_huge_lengths(void **state)
{
    (void)state;
    size_t max = KMIP_DEFAULT_MAX_MESSAGE;
    frame_length_of(KMIP_TYPE_STRUCTURE, 0xFFFFFFFF, max, KMIP_E_TOO_BIG);
    frame_length_of(KMIP_TYPE_BYTE_STRING, 0xFFFFFFFF, max, KMIP_E_TOO_BIG);
    frame_length_of(KMIP_TYPE_TEXT_STRING, 0x80000000, max, KMIP_E_TOO_BIG);
    frame_length_of(KMIP_TYPE_STRUCTURE, 0xFFFFFFFF, SIZE_MAX,
                    KMIP_OK); /* fits when the caller allows it */
}

static void test_frame_length_rejects_short_or_bad_header(void **state)
{
    (void)state;
    static const uint8_t header[8] = {0x42, 0x00, 0x01, 0x01, 0, 0, 0, 8};
    size_t total = 0;
    assert_int_equal(kmip_ttlv_frame_length(header, 7, 1024, &total, NULL),
                     KMIP_E_DECODE);
    static const uint8_t bad_type[8] = {0x42, 0x00, 0x01, 0x0F, 0, 0, 0, 8};
    assert_int_equal(kmip_ttlv_frame_length(bad_type, 8, 1024, &total, NULL),
                     KMIP_E_DECODE);
    static const uint8_t bad_tag[8] = {0x16, 0x03, 0x01, 0x01, 0, 0, 0, 8};
    assert_int_equal(kmip_ttlv_frame_length(bad_tag, 8, 1024, &total, NULL),
                     KMIP_E_DECODE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_truncation_of_a_message_fails),
        cmocka_unit_test(test_length_past_the_end_fails),
        cmocka_unit_test(test_nonzero_integer_padding_fails_at_its_offset),
        cmocka_unit_test(test_nonzero_text_padding_fails),
        cmocka_unit_test(test_nonzero_bytes_padding_fails),
        cmocka_unit_test(test_wrong_length_for_each_fixed_type_fails),
        cmocka_unit_test(test_bigint_length_not_positive_multiple_of_8_fails),
        cmocka_unit_test(test_boolean_value_2_fails),
        cmocka_unit_test(test_huge_lengths_fail_cleanly),
        cmocka_unit_test(test_child_overrunning_its_structure_fails),
        cmocka_unit_test(test_structure_length_not_multiple_of_8_fails),
        cmocka_unit_test(test_structure_length_past_the_end_fails),
        cmocka_unit_test(test_trailing_bytes_fail),
        cmocka_unit_test(test_empty_input_fails),
        cmocka_unit_test(test_ten_thousand_nested_structures_fail_on_depth),
        cmocka_unit_test(test_deep_nesting_without_limit_decodes_iteratively),
        cmocka_unit_test(test_depth_limit_is_inclusive),
        cmocka_unit_test(test_default_limits_match_the_header),
        cmocka_unit_test(test_item_count_limit_counts_every_item),
        cmocka_unit_test(test_default_item_limit_rejects_100001_items),
        cmocka_unit_test(test_invalid_utf8_fails),
        cmocka_unit_test(test_valid_multibyte_utf8_is_kept),
        cmocka_unit_test(test_unknown_tags_are_kept),
        cmocka_unit_test(test_unknown_type_byte_fails),
        cmocka_unit_test(test_tag_outside_kmip_ranges_fails),
        cmocka_unit_test(test_bad_tag_inside_a_structure_fails),
        cmocka_unit_test(test_decoded_values_do_not_point_into_input),
        cmocka_unit_test(test_frame_length_rounds_values_up),
        cmocka_unit_test(test_frame_length_limit_is_inclusive),
        cmocka_unit_test(test_frame_length_rejects_huge_lengths),
        cmocka_unit_test(test_frame_length_rejects_short_or_bad_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
