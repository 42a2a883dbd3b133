/* SPDX-License-Identifier: Apache-2.0 */
/* The codec against the byte-exact vectors of tests/vectors/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/ttlv.h"
#include "vectors.h"

#define PLACEHOLDER_TAG 0x420000

static void assert_round_trip(const char *name)
{
    size_t len = 0;
    uint8_t *bytes = test_vector_load(name, &len);
    kmip_item *item = NULL;
    kmip_status status;
    kmip_status_clear(&status);
    if (kmip_ttlv_decode(bytes, len, NULL, &item, &status) != KMIP_OK)
        fail_msg("%s does not decode: %s", name, status.message);
    uint8_t *encoded = NULL;
    size_t encoded_len = 0;
    assert_int_equal(
        kmip_ttlv_encode_alloc(item, &encoded, &encoded_len, &status), KMIP_OK);
    if (encoded_len != len || memcmp(encoded, bytes, len) != 0)
        fail_msg("%s re-encodes differently (%zu bytes, %zu expected)", name,
                 encoded_len, len);
    free(encoded);
    free(bytes);
    kmip_item_free(item);
}

static void test_every_vector_round_trips_byte_identically(void **state)
{
    (void)state;
    assert_int_equal(test_vector_each(assert_round_trip), TEST_VECTOR_COUNT);
}

static void test_prim_integer_is_one(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-integer.hex");
    assert_int_equal(item->tag, PLACEHOLDER_TAG);
    assert_int_equal(item->type, KMIP_TYPE_INTEGER);
    assert_int_equal(item->v.integer, 1);
    kmip_item_free(item);
}

static void test_prim_enumeration_is_zero(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-enumeration.hex");
    assert_int_equal(item->type, KMIP_TYPE_ENUMERATION);
    assert_int_equal(item->v.enumeration, 0);
    kmip_item_free(item);
}

static void test_prim_negative_bigint_is_minus_1000(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-biginteger-negative.hex");
    assert_int_equal(item->type, KMIP_TYPE_BIG_INTEGER);
    static const uint8_t wire[] = {0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xfc, 0x18};
    assert_int_equal(item->v.bytes.len, sizeof(wire));
    assert_memory_equal(item->v.bytes.data, wire, sizeof(wire));
    uint8_t *minimal = NULL;
    size_t minimal_len = 0;
    assert_int_equal(kmip_bigint_minimal(item, &minimal, &minimal_len),
                     KMIP_OK);
    static const uint8_t minus_1000[] = {0xfc, 0x18};
    assert_int_equal(minimal_len, sizeof(minus_1000));
    assert_memory_equal(minimal, minus_1000, sizeof(minus_1000));
    free(minimal);
    kmip_item_free(item);
}

static void test_prim_zero_bigint_is_eight_zero_bytes(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-biginteger-zero.hex");
    static const uint8_t zeros[8] = {0};
    assert_int_equal(item->v.bytes.len, 8);
    assert_memory_equal(item->v.bytes.data, zeros, 8);
    kmip_item_free(item);
}

static void test_prim_positive_bigint_keeps_256_bytes(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-biginteger-positive.hex");
    assert_int_equal(item->v.bytes.len, 256);
    assert_int_equal(item->v.bytes.data[0], 0x3b);
    assert_int_equal(item->v.bytes.data[255], 0x29);
    kmip_item_free(item);
}

static void test_prim_long_integer_min_and_max(void **state)
{
    (void)state;
    kmip_item *min = decode_vector("prim-long-integer-min.hex");
    kmip_item *max = decode_vector("prim-long-integer-max.hex");
    kmip_item *minus_one = decode_vector("prim-long-integer-minus-one.hex");
    assert_int_equal(min->type, KMIP_TYPE_LONG_INTEGER);
    assert_true(min->v.long_integer == INT64_MIN);
    assert_true(max->v.long_integer == INT64_MAX);
    assert_true(minus_one->v.long_integer == -1);
    kmip_item_free(min);
    kmip_item_free(max);
    kmip_item_free(minus_one);
}

static void test_prim_datetime_is_2012_04_27(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-datetime.hex");
    assert_int_equal(item->type, KMIP_TYPE_DATE_TIME);
    assert_int_equal(item->v.long_integer, 0x4F9A54E5);
    kmip_item_free(item);
}

static void test_prim_interval_is_ten_days(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-interval.hex");
    assert_int_equal(item->type, KMIP_TYPE_INTERVAL);
    assert_int_equal(item->v.enumeration, 864000);
    kmip_item_free(item);
}

static void test_prim_text_is_hello_world(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-textstring-padded.hex");
    assert_int_equal(item->type, KMIP_TYPE_TEXT_STRING);
    assert_int_equal(item->v.bytes.len, 11);
    assert_string_equal((const char *)item->v.bytes.data, "Hello World");
    kmip_item_free(item);
}

static void test_prim_bytes_are_010203(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-bytestring-padded.hex");
    static const uint8_t expected[] = {1, 2, 3};
    assert_int_equal(item->type, KMIP_TYPE_BYTE_STRING);
    assert_int_equal(item->v.bytes.len, 3);
    assert_memory_equal(item->v.bytes.data, expected, 3);
    kmip_item_free(item);
}

static void test_prim_booleans_are_true_and_false(void **state)
{
    (void)state;
    kmip_item *yes = decode_vector("prim-boolean-true.hex");
    kmip_item *no = decode_vector("prim-boolean-false.hex");
    assert_int_equal(yes->type, KMIP_TYPE_BOOLEAN);
    assert_true(yes->v.boolean);
    assert_false(no->v.boolean);
    kmip_item_free(yes);
    kmip_item_free(no);
}

static void test_prim_protocol_version_is_1_1(void **state)
{
    (void)state;
    kmip_item *item = decode_vector("prim-structure-protocol-version.hex");
    assert_int_equal(item->tag, 0x420069);
    assert_int_equal(item->type, KMIP_TYPE_STRUCTURE);
    assert_int_equal(item->v.children.count, 2);
    int32_t major = 0, minor = 0;
    assert_int_equal(kmip_get_integer(item, 0x42006A, &major, NULL), KMIP_OK);
    assert_int_equal(kmip_get_integer(item, 0x42006B, &minor, NULL), KMIP_OK);
    assert_int_equal(major, 1);
    assert_int_equal(minor, 1);
    kmip_item_free(item);
}

static void test_create_request_has_batch_count_1(void **state)
{
    (void)state;
    kmip_item *message = decode_vector("msg-create-request.hex");
    const kmip_item *header = NULL;
    int32_t batch_count = 0;
    assert_int_equal(kmip_get_structure(message, 0x420077, &header, NULL),
                     KMIP_OK);
    assert_int_equal(kmip_get_integer(header, 0x42000D, &batch_count, NULL),
                     KMIP_OK);
    assert_int_equal(batch_count, 1);
    assert_int_equal(kmip_item_count(message, 0x42000F), 1);
    kmip_item_free(message);
}

static void test_get_response_holds_the_3des_key(void **state)
{
    (void)state;
    kmip_item *message = decode_vector("msg-get-response.hex");
    const kmip_item *batch = kmip_item_find(message, 0x42000F);
    const kmip_item *payload = kmip_item_find(batch, 0x42007C);
    const char *id = NULL;
    size_t id_len = 0;
    assert_int_equal(kmip_get_text(payload, 0x420094, &id, &id_len, NULL),
                     KMIP_OK);
    assert_string_equal(id, "49a1ca88-6bea-4fb2-b450-7e58802c3038");
    const kmip_item *key = kmip_item_find(payload, 0x42008F);
    const kmip_item *block = kmip_item_find(key, 0x420040);
    const kmip_item *value = kmip_item_find(block, 0x420045);
    const uint8_t *material = NULL;
    size_t material_len = 0;
    assert_int_equal(
        kmip_get_bytes(value, 0x420043, &material, &material_len, NULL),
        KMIP_OK);
    assert_int_equal(material_len, 24);
    assert_int_equal(material[0], 0x73);
    int32_t length = 0;
    assert_int_equal(kmip_get_integer(block, 0x42002A, &length, NULL), KMIP_OK);
    assert_int_equal(length, 168);
    kmip_item_free(message);
}

static void test_create_response_time_stamp(void **state)
{
    (void)state;
    kmip_item *message = decode_vector("msg-create-response.hex");
    const kmip_item *header = kmip_item_find(message, 0x42007A);
    int64_t stamp = 0;
    assert_int_equal(kmip_get_datetime(header, 0x420092, &stamp, NULL),
                     KMIP_OK);
    assert_int_equal(stamp, 0x4F9A54E5);
    kmip_item_free(message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vector_round_trips_byte_identically),
        cmocka_unit_test(test_prim_integer_is_one),
        cmocka_unit_test(test_prim_enumeration_is_zero),
        cmocka_unit_test(test_prim_negative_bigint_is_minus_1000),
        cmocka_unit_test(test_prim_zero_bigint_is_eight_zero_bytes),
        cmocka_unit_test(test_prim_positive_bigint_keeps_256_bytes),
        cmocka_unit_test(test_prim_long_integer_min_and_max),
        cmocka_unit_test(test_prim_datetime_is_2012_04_27),
        cmocka_unit_test(test_prim_interval_is_ten_days),
        cmocka_unit_test(test_prim_text_is_hello_world),
        cmocka_unit_test(test_prim_bytes_are_010203),
        cmocka_unit_test(test_prim_booleans_are_true_and_false),
        cmocka_unit_test(test_prim_protocol_version_is_1_1),
        cmocka_unit_test(test_create_request_has_batch_count_1),
        cmocka_unit_test(test_get_response_holds_the_3des_key),
        cmocka_unit_test(test_create_response_time_stamp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
