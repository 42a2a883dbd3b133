/* SPDX-License-Identifier: Apache-2.0 */
/* Building and encoding each TTLV type, and decoding it back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/ttlv.h"

#define TAG 0x420001
#define OTHER_TAG 0x420002

/* Encodes item (taking ownership) and checks the bytes. */
static void assert_encodes_to(kmip_item *item, const uint8_t *expected,
                              size_t expected_len)
{
    assert_non_null(item);
    uint8_t *encoded = NULL;
    size_t len = 0;
    kmip_status status;
    assert_int_equal(kmip_ttlv_encode_alloc(item, &encoded, &len, &status),
                     KMIP_OK);
    assert_int_equal(len, expected_len);
    assert_memory_equal(encoded, expected, expected_len);
    free(encoded);
    kmip_item_free(item);
}

/* Encodes item, decodes the result and returns the decoded copy. */
static kmip_item *round_trip(const kmip_item *item)
{
    uint8_t *encoded = NULL;
    size_t len = 0;
    kmip_status status;
    assert_int_equal(kmip_ttlv_encode_alloc(item, &encoded, &len, &status),
                     KMIP_OK);
    kmip_item *decoded = NULL;
    if (kmip_ttlv_decode(encoded, len, NULL, &decoded, &status) != KMIP_OK)
        fail_msg("decode of own encoding failed: %s", status.message);
    free(encoded);
    return decoded;
}

static void test_integer_encodes_with_four_padding_bytes(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x02, 0, 0, 0, 4,
                                       0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 0};
    assert_encodes_to(kmip_item_new_integer(TAG, -2), expected,
                      sizeof(expected));
}

static void test_long_integer_encodes_big_endian(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x03, 0,    0,
                                       0,    8,    0x01, 0x02, 0x03, 0x04,
                                       0x05, 0x06, 0x07, 0x08};
    assert_encodes_to(kmip_item_new_long(TAG, 0x0102030405060708), expected,
                      sizeof(expected));
}

static void test_enumeration_encodes_with_padding(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x05, 0, 0, 0, 4,
                                       0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0};
    assert_encodes_to(kmip_item_new_enum(TAG, 0x80000001), expected,
                      sizeof(expected));
}

static void test_boolean_true_encodes_as_eight_byte_one(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x06, 0, 0, 0, 8,
                                       0,    0,    0,    0,    0, 0, 0, 1};
    assert_encodes_to(kmip_item_new_bool(TAG, true), expected,
                      sizeof(expected));
}

static void test_datetime_encodes_seconds(void **state)
{
    (void)state;
    static const uint8_t expected[] = {
        0x42, 0x00, 0x01, 0x09, 0, 0, 0, 8, 0, 0, 0, 0, 0x4f, 0x9a, 0x54, 0xe5};
    assert_encodes_to(kmip_item_new_datetime(TAG, 0x4F9A54E5), expected,
                      sizeof(expected));
}

static void test_datetime_extended_encodes_microseconds(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x0b, 0,    0,
                                       0,    8,    0x00, 0x04, 0xbe, 0xa4,
                                       0xa9, 0xe5, 0x26, 0x15};
    kmip_item *item = kmip_item_new_datetime_ext(TAG, 1335514341123605);
    kmip_item *decoded = round_trip(item);
    assert_int_equal(decoded->type, KMIP_TYPE_DATE_TIME_EXTENDED);
    assert_true(decoded->v.long_integer == 1335514341123605);
    kmip_item_free(decoded);
    assert_encodes_to(item, expected, sizeof(expected));
}

static void test_interval_encodes_with_padding(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x0a, 0, 0, 0, 4,
                                       0x00, 0x0d, 0x2f, 0x00, 0, 0, 0, 0};
    assert_encodes_to(kmip_item_new_interval(TAG, 864000), expected,
                      sizeof(expected));
}

/* Text and bytes of every length 0..9 carry length L and zero padding to
 * the next multiple of 8. */
static void test_string_padding_for_lengths_0_to_9(void **state)
{
    (void)state;
    static const char text[] = "abcdefghi";
    for (size_t len = 0; len <= 9; len++) {
        kmip_item *items[2] = {
            kmip_item_new_text_len(TAG, text, len),
            kmip_item_new_bytes(TAG, (const uint8_t *)text, len),
        };
        for (size_t k = 0; k < 2; k++) {
            uint8_t *encoded = NULL;
            size_t encoded_len = 0;
            assert_int_equal(
                kmip_ttlv_encode_alloc(items[k], &encoded, &encoded_len, NULL),
                KMIP_OK);
            size_t padded = (len + 7) / 8 * 8;
            assert_int_equal(encoded_len, 8 + padded);
            assert_int_equal(encoded[3], k == 0 ? 0x07 : 0x08);
            assert_int_equal(encoded[7], len);
            assert_memory_equal(encoded + 8, text, len);
            for (size_t i = 8 + len; i < encoded_len; i++)
                assert_int_equal(encoded[i], 0);
            kmip_item *decoded = NULL;
            assert_int_equal(
                kmip_ttlv_decode(encoded, encoded_len, NULL, &decoded, NULL),
                KMIP_OK);
            assert_int_equal(decoded->v.bytes.len, len);
            assert_memory_equal(decoded->v.bytes.data, text, len);
            assert_int_equal(decoded->v.bytes.data[len], 0);
            kmip_item_free(decoded);
            free(encoded);
            kmip_item_free(items[k]);
        }
    }
}

/* Two's complement: 0x8000 alone is negative, so the positive value
 * 0x8000 is given with a 0x00 prefix byte, and is filled with zeros. */
static void test_bigint_positive_with_top_bit_needs_zero_prefix(void **state)
{
    (void)state;
    static const uint8_t value[] = {0x00, 0x80, 0x00};
    static const uint8_t expected[] = {
        0x42, 0x00, 0x01, 0x04, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x80, 0x00};
    assert_encodes_to(kmip_item_new_bigint(TAG, value, sizeof(value)), expected,
                      sizeof(expected));
}

/* The caller gives the 0x00 prefix that makes 0x80... positive; the
 * encoder fills with zeros and the value reads back positive. */
static void test_bigint_prefixed_positive_round_trips(void **state)
{
    (void)state;
    static const uint8_t value[] = {0x00, 0xff, 0xff, 0xff, 0xff,
                                    0xff, 0xff, 0xff, 0xff};
    kmip_item *item = kmip_item_new_bigint(TAG, value, sizeof(value));
    kmip_item *decoded = round_trip(item);
    assert_int_equal(decoded->v.bytes.len, 16);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(decoded->v.bytes.data[i], 0x00);
    uint8_t *minimal = NULL;
    size_t minimal_len = 0;
    assert_int_equal(kmip_bigint_minimal(decoded, &minimal, &minimal_len),
                     KMIP_OK);
    assert_int_equal(minimal_len, sizeof(value));
    assert_memory_equal(minimal, value, sizeof(value));
    free(minimal);
    kmip_item_free(decoded);
    kmip_item_free(item);
}

static void test_bigint_top_bit_without_prefix_is_negative(void **state)
{
    (void)state;
    static const uint8_t value[] = {0x80, 0x00};
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x04, 0,    0,
                                       0,    8,    0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0x80, 0x00};
    assert_encodes_to(kmip_item_new_bigint(TAG, value, sizeof(value)), expected,
                      sizeof(expected));
}

static void test_bigint_negative_gets_ff_fill(void **state)
{
    (void)state;
    static const uint8_t minus_1000[] = {0xfc, 0x18};
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x04, 0,    0,
                                       0,    8,    0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xfc, 0x18};
    assert_encodes_to(kmip_item_new_bigint(TAG, minus_1000, sizeof(minus_1000)),
                      expected, sizeof(expected));
}

static void test_bigint_empty_encodes_as_zero(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x42, 0x00, 0x01, 0x04, 0, 0, 0, 8,
                                       0,    0,    0,    0,    0, 0, 0, 0};
    assert_encodes_to(kmip_item_new_bigint(TAG, NULL, 0), expected,
                      sizeof(expected));
}

static void test_bigint_of_eight_bytes_is_not_extended(void **state)
{
    (void)state;
    static const uint8_t value[] = {0x81, 2, 3, 4, 5, 6, 7, 8};
    uint8_t expected[16] = {0x42, 0x00, 0x01, 0x04, 0, 0, 0, 8};
    memcpy(expected + 8, value, 8);
    assert_encodes_to(kmip_item_new_bigint(TAG, value, sizeof(value)), expected,
                      sizeof(expected));
}

static void test_bigint_minimal_strips_sign_bytes(void **state)
{
    (void)state;
    static const struct {
        uint8_t wire[8];
        size_t minimal_len;
    } cases[] = {
        {{0, 0, 0, 0, 0, 0, 0, 0}, 1},
        {{0, 0, 0, 0, 0, 0, 0, 0x7f}, 1},
        {{0, 0, 0, 0, 0, 0, 0, 0x80}, 2},
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 1},
        {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 2},
        {{0x12, 0, 0, 0, 0, 0, 0, 0}, 8},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kmip_item *item = kmip_item_new_bigint(TAG, cases[i].wire, 8);
        uint8_t *minimal = NULL;
        size_t len = 0;
        assert_int_equal(kmip_bigint_minimal(item, &minimal, &len), KMIP_OK);
        assert_int_equal(len, cases[i].minimal_len);
        assert_memory_equal(minimal, cases[i].wire + 8 - len, len);
        free(minimal);
        kmip_item_free(item);
    }
}

static void test_bigint_minimal_rejects_other_types(void **state)
{
    (void)state;
    kmip_item *item = kmip_item_new_integer(TAG, 1);
    uint8_t *minimal = NULL;
    size_t len = 0;
    assert_int_equal(kmip_bigint_minimal(item, &minimal, &len),
                     KMIP_E_INVALID_ARG);
    assert_null(minimal);
    kmip_item_free(item);
}

/* A structure's length counts its children with their padding. */
static void test_structure_length_includes_child_padding(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    assert_non_null(kmip_add_text(root, OTHER_TAG, "abc"));
    assert_non_null(kmip_add_integer(root, OTHER_TAG, 7));
    kmip_item *inner = kmip_add_structure(root, OTHER_TAG);
    assert_non_null(kmip_add_bool(inner, OTHER_TAG, false));
    uint8_t *encoded = NULL;
    size_t len = 0;
    assert_int_equal(kmip_ttlv_encode_alloc(root, &encoded, &len, NULL),
                     KMIP_OK);
    /* text 8+8, integer 8+8, inner structure 8 + boolean 8+8 */
    assert_int_equal(len, 8 + 16 + 16 + 24);
    static const uint8_t root_header[] = {0x42, 0x00, 0x01, 0x01, 0, 0, 0, 56};
    assert_memory_equal(encoded, root_header, 8);
    static const uint8_t inner_header[] = {0x42, 0x00, 0x02, 0x01, 0, 0, 0, 16};
    assert_memory_equal(encoded + 40, inner_header, 8);
    free(encoded);
    kmip_item_free(root);
}

static void test_empty_structure_encodes_header_only(void **state)
{
    (void)state;
    static const uint8_t expected[] = {0x54, 0x00, 0x10, 0x01, 0, 0, 0, 0};
    assert_encodes_to(kmip_item_new_structure(0x540010), expected,
                      sizeof(expected));
}

static void test_nested_tree_round_trips(void **state)
{
    (void)state;
    static const uint8_t key[] = {1, 2, 3, 4, 5};
    kmip_item *root = kmip_item_new_structure(TAG);
    kmip_item *inner = kmip_add_structure(root, OTHER_TAG);
    assert_non_null(kmip_add_bytes(inner, 0x420043, key, sizeof(key)));
    assert_non_null(kmip_add_long(inner, 0x420003, -5));
    assert_non_null(kmip_add_enum(root, 0x420057, 2));
    assert_non_null(kmip_add_datetime(root, 0x420092, 1000));
    assert_non_null(kmip_add_interval(root, 0x420093, 60));
    kmip_item *decoded = round_trip(root);
    assert_int_equal(decoded->v.children.count, 4);
    const kmip_item *decoded_inner = NULL;
    assert_int_equal(
        kmip_get_structure(decoded, OTHER_TAG, &decoded_inner, NULL), KMIP_OK);
    const uint8_t *bytes = NULL;
    size_t bytes_len = 0;
    assert_int_equal(
        kmip_get_bytes(decoded_inner, 0x420043, &bytes, &bytes_len, NULL),
        KMIP_OK);
    assert_int_equal(bytes_len, sizeof(key));
    assert_memory_equal(bytes, key, sizeof(key));
    int64_t long_value = 0;
    assert_int_equal(kmip_get_long(decoded_inner, 0x420003, &long_value, NULL),
                     KMIP_OK);
    assert_true(long_value == -5);
    uint32_t enum_value = 0;
    assert_int_equal(kmip_get_enum(decoded, 0x420057, &enum_value, NULL),
                     KMIP_OK);
    assert_int_equal(enum_value, 2);
    kmip_item_free(decoded);
    kmip_item_free(root);
}

static void test_dup_is_a_deep_equal_copy(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    kmip_item *inner = kmip_add_structure(root, OTHER_TAG);
    assert_non_null(kmip_add_text(inner, 0x420055, "name"));
    assert_non_null(kmip_add_integer(root, 0x42002A, 128));
    kmip_item *copy = kmip_item_dup(root);
    assert_non_null(copy);
    uint8_t *a = NULL, *b = NULL;
    size_t a_len = 0, b_len = 0;
    assert_int_equal(kmip_ttlv_encode_alloc(root, &a, &a_len, NULL), KMIP_OK);
    kmip_item_free(root);
    assert_int_equal(kmip_ttlv_encode_alloc(copy, &b, &b_len, NULL), KMIP_OK);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    free(a);
    free(b);
    kmip_item_free(copy);
}

static void test_add_to_non_structure_frees_child(void **state)
{
    (void)state;
    kmip_item *integer = kmip_item_new_integer(TAG, 1);
    assert_null(kmip_item_add(integer, kmip_item_new_text(TAG, "x")));
    assert_null(kmip_add_integer(NULL, TAG, 1));
    assert_null(kmip_item_add(integer, NULL));
    kmip_item_free(integer);
}

static void test_remove_unlinks_middle_and_last_child(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    kmip_item *first = kmip_add_integer(root, 0x420001, 1);
    kmip_item *middle = kmip_add_integer(root, 0x420002, 2);
    kmip_item *last = kmip_add_integer(root, 0x420003, 3);
    kmip_item_remove(root, middle);
    assert_int_equal(root->v.children.count, 2);
    assert_ptr_equal(first->next, last);
    assert_null(kmip_item_find(root, 0x420002));
    kmip_item_remove(root, last);
    assert_ptr_equal(root->v.children.last, first);
    assert_null(first->next);
    assert_non_null(kmip_add_integer(root, 0x420004, 4));
    assert_int_equal(kmip_item_count(root, 0x420004), 1);
    kmip_item_free(middle);
    kmip_item_free(last);
    kmip_item_free(root);
}

static void test_find_next_and_count_walk_repeated_tags(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    assert_non_null(kmip_add_integer(root, 0x420094, 1));
    assert_non_null(kmip_add_integer(root, 0x420001, 9));
    assert_non_null(kmip_add_integer(root, 0x420094, 2));
    assert_int_equal(kmip_item_count(root, 0x420094), 2);
    const kmip_item *first = kmip_item_find(root, 0x420094);
    const kmip_item *second = kmip_item_next_with_tag(first, 0x420094);
    assert_int_equal(first->v.integer, 1);
    assert_int_equal(second->v.integer, 2);
    assert_null(kmip_item_next_with_tag(second, 0x420094));
    assert_null(kmip_item_find(first, 0x420094));
    assert_int_equal(kmip_item_count(NULL, 0x420094), 0);
    kmip_item_free(root);
}

static void test_getter_names_missing_tag(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    kmip_status status;
    const char *text = NULL;
    assert_int_equal(kmip_get_text(root, 0x420094, &text, NULL, &status),
                     KMIP_E_NOT_FOUND);
    assert_int_equal(status.rc, KMIP_E_NOT_FOUND);
    assert_string_equal(status.message, "tag 0x420094 missing");
    int64_t date;
    assert_int_equal(kmip_get_datetime(root, 0x42abcf, &date, &status),
                     KMIP_E_NOT_FOUND);
    assert_string_equal(status.message, "tag 0x42abcf missing");
    assert_int_equal(kmip_get_datetime(root, 0x1000000, &date, &status),
                     KMIP_E_NOT_FOUND);
    assert_string_equal(status.message, "tag 0x1000000 missing");
    kmip_item_free(root);
}

static void test_getter_rejects_wrong_type(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    assert_non_null(kmip_add_text(root, 0x420094, "id"));
    kmip_status status;
    int32_t value = 0;
    assert_int_equal(kmip_get_integer(root, 0x420094, &value, &status),
                     KMIP_E_DECODE);
    assert_non_null(strstr(status.message, "0x420094"));
    bool flag = false;
    assert_int_equal(kmip_get_bool(root, 0x420094, &flag, NULL), KMIP_E_DECODE);
    kmip_item_free(root);
}

static void test_encoder_rejects_tag_past_24_bits(void **state)
{
    (void)state;
    kmip_item *item = kmip_item_new_integer(0x1420001, 1);
    kmip_writer w;
    kmip_writer_init(&w);
    kmip_status status;
    assert_int_equal(kmip_ttlv_encode(item, &w, &status), KMIP_E_ENCODE);
    assert_int_equal(status.rc, KMIP_E_ENCODE);
    kmip_writer_free(&w);
    kmip_item_free(item);
}

static void test_encoder_rejects_unknown_type(void **state)
{
    (void)state;
    kmip_item *item = kmip_item_new_integer(TAG, 1);
    item->type = (kmip_type)0x0C;
    uint8_t *encoded = NULL;
    size_t len = 0;
    assert_int_equal(kmip_ttlv_encode_alloc(item, &encoded, &len, NULL),
                     KMIP_E_ENCODE);
    assert_null(encoded);
    item->type = KMIP_TYPE_INTEGER;
    kmip_item_free(item);
}

static void test_encoder_rejects_invalid_utf8_text(void **state)
{
    (void)state;
    kmip_item *item = kmip_item_new_text(TAG, "caf\xe9");
    uint8_t *encoded = NULL;
    size_t len = 0;
    kmip_status status;
    assert_int_equal(kmip_ttlv_encode_alloc(item, &encoded, &len, &status),
                     KMIP_E_ENCODE);
    assert_non_null(strstr(status.message, "UTF-8"));
    kmip_item_free(item);
}

static void test_encoder_rejects_bad_child(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    assert_non_null(kmip_add_integer(root, 0x2000000, 1));
    uint8_t *encoded = NULL;
    size_t len = 0;
    assert_int_equal(kmip_ttlv_encode_alloc(root, &encoded, &len, NULL),
                     KMIP_E_ENCODE);
    kmip_item_free(root);
}

static void test_failed_encode_leaves_writer_unchanged(void **state)
{
    (void)state;
    kmip_item *root = kmip_item_new_structure(TAG);
    assert_non_null(kmip_add_text(root, OTHER_TAG, "secret"));
    assert_non_null(kmip_add_integer(root, 0x2000000, 1));
    kmip_writer w;
    kmip_writer_init(&w);
    assert_true(kmip_writer_u32(&w, 0xCAFEF00D));
    assert_int_equal(kmip_ttlv_encode(root, &w, NULL), KMIP_E_ENCODE);
    assert_int_equal(w.len, 4);
    assert_false(w.failed);
    kmip_writer_free(&w);
    kmip_item_free(root);
}

static void test_writer_patch_and_release(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    assert_true(kmip_writer_u32(&w, 0));
    assert_true(kmip_writer_u8(&w, 0xAB));
    assert_true(kmip_writer_u64(&w, 0x0102030405060708));
    kmip_writer_patch_u32(&w, 0, 0xDEADBEEF);
    size_t len = 0;
    uint8_t *bytes = kmip_writer_release(&w, &len);
    static const uint8_t expected[] = {0xde, 0xad, 0xbe, 0xef, 0xab, 1, 2,
                                       3,    4,    5,    6,    7,    8};
    assert_int_equal(len, sizeof(expected));
    assert_memory_equal(bytes, expected, sizeof(expected));
    assert_null(w.data);
    free(bytes);
}

static void test_writer_patch_past_the_end_fails_the_writer(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    assert_true(kmip_writer_u32(&w, 0));
    assert_true(kmip_writer_u8(&w, 0xAB));
    kmip_writer_patch_u32(&w, 2, 0xDEADBEEF);
    size_t len = 1;
    assert_null(kmip_writer_release(&w, &len));
    assert_int_equal(len, 0);
}

static void test_writer_grows_past_initial_capacity(void **state)
{
    (void)state;
    kmip_writer w;
    kmip_writer_init(&w);
    for (uint32_t i = 0; i < 10000; i++)
        assert_true(kmip_writer_u32(&w, i));
    assert_int_equal(w.len, 40000);
    assert_int_equal(w.data[39999], (uint8_t)9999);
    kmip_writer_free(&w);
    assert_null(w.data);
}

static void test_reader_refuses_short_reads_without_consuming(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {1, 2, 3};
    kmip_reader r;
    kmip_reader_init(&r, bytes, sizeof(bytes));
    uint32_t u32 = 0;
    assert_false(kmip_reader_u32(&r, &u32));
    assert_int_equal(r.len, 3);
    assert_true(kmip_reader_u24(&r, &u32));
    assert_int_equal(u32, 0x010203);
    assert_int_equal(r.len, 0);
    uint8_t u8 = 0;
    assert_false(kmip_reader_u8(&r, &u8));
    kmip_reader sub;
    assert_false(kmip_reader_sub(&r, 1, &sub));
    assert_true(kmip_reader_skip(&r, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_encodes_with_four_padding_bytes),
        cmocka_unit_test(test_long_integer_encodes_big_endian),
        cmocka_unit_test(test_enumeration_encodes_with_padding),
        cmocka_unit_test(test_boolean_true_encodes_as_eight_byte_one),
        cmocka_unit_test(test_datetime_encodes_seconds),
        cmocka_unit_test(test_datetime_extended_encodes_microseconds),
        cmocka_unit_test(test_interval_encodes_with_padding),
        cmocka_unit_test(test_string_padding_for_lengths_0_to_9),
        cmocka_unit_test(test_bigint_positive_with_top_bit_needs_zero_prefix),
        cmocka_unit_test(test_bigint_top_bit_without_prefix_is_negative),
        cmocka_unit_test(test_bigint_prefixed_positive_round_trips),
        cmocka_unit_test(test_bigint_negative_gets_ff_fill),
        cmocka_unit_test(test_bigint_empty_encodes_as_zero),
        cmocka_unit_test(test_bigint_of_eight_bytes_is_not_extended),
        cmocka_unit_test(test_bigint_minimal_strips_sign_bytes),
        cmocka_unit_test(test_bigint_minimal_rejects_other_types),
        cmocka_unit_test(test_structure_length_includes_child_padding),
        cmocka_unit_test(test_empty_structure_encodes_header_only),
        cmocka_unit_test(test_nested_tree_round_trips),
        cmocka_unit_test(test_dup_is_a_deep_equal_copy),
        cmocka_unit_test(test_add_to_non_structure_frees_child),
        cmocka_unit_test(test_remove_unlinks_middle_and_last_child),
        cmocka_unit_test(test_find_next_and_count_walk_repeated_tags),
        cmocka_unit_test(test_getter_names_missing_tag),
        cmocka_unit_test(test_getter_rejects_wrong_type),
        cmocka_unit_test(test_encoder_rejects_tag_past_24_bits),
        cmocka_unit_test(test_encoder_rejects_unknown_type),
        cmocka_unit_test(test_encoder_rejects_invalid_utf8_text),
        cmocka_unit_test(test_encoder_rejects_bad_child),
        cmocka_unit_test(test_failed_encode_leaves_writer_unchanged),
        cmocka_unit_test(test_writer_patch_and_release),
        cmocka_unit_test(test_writer_patch_past_the_end_fails_the_writer),
        cmocka_unit_test(test_writer_grows_past_initial_capacity),
        cmocka_unit_test(test_reader_refuses_short_reads_without_consuming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
