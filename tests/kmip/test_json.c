/* SPDX-License-Identifier: Apache-2.0 */
/* The KMIP JSON encoding (kmip/json.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/json.h"
#include "kmip/tags.h"
#include "vectors.h"

/* The compact JSON text of item. */
static char *json_text_of(const kmip_item *item)
{
    json_object *obj = kmip_item_to_json(item);
    assert_non_null(obj);
    char *text = strdup(json_object_to_json_string_ext(
        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(obj);
    return text;
}

/* Parses text and reads it as an item; fails the test on an error. */
static kmip_item *item_from_text(const char *text)
{
    json_object *obj = json_tokener_parse(text);
    if (obj == NULL)
        fail_msg("not JSON: %s", text);
    kmip_item *item = NULL;
    kmip_status status;
    kmip_status_clear(&status);
    kmip_rc rc = kmip_item_from_json(obj, &item, &status);
    json_object_put(obj);
    if (rc != KMIP_OK)
        fail_msg("%s: %s", text, status.message);
    return item;
}

static void assert_vector_renders(const char *name, const char *want)
{
    kmip_item *item = decode_vector(name);
    char *text = json_text_of(item);
    assert_string_equal(text, want);
    free(text);
    kmip_item_free(item);
}

static void assert_json_round_trip(const char *name)
{
    size_t len = 0;
    uint8_t *bytes = test_vector_load(name, &len);
    kmip_status status;
    kmip_status_clear(&status);
    char *text = kmip_ttlv_to_json_text(bytes, len, 1, &status);
    if (text == NULL)
        fail_msg("%s: %s", name, status.message);
    kmip_item *item = item_from_text(text);
    uint8_t *encoded = NULL;
    size_t encoded_len = 0;
    assert_int_equal(
        kmip_ttlv_encode_alloc(item, &encoded, &encoded_len, &status), KMIP_OK);
    if (encoded_len != len || memcmp(encoded, bytes, len) != 0)
        fail_msg("%s changes through JSON:\n%s", name, text);
    free(encoded);
    kmip_item_free(item);
    free(text);
    free(bytes);
}

static void test_every_vector_survives_json_byte_identically(void **state)
{
    (void)state;
    assert_int_equal(test_vector_each(assert_json_round_trip),
                     TEST_VECTOR_COUNT);
}

static void test_integer_renders_as_number_with_unknown_tag_in_hex(void **state)
{
    (void)state;
    assert_vector_renders("prim-integer.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"Integer\","
                          "\"value\":1}");
}

static void test_structure_omits_its_type(void **state)
{
    (void)state;
    assert_vector_renders(
        "prim-structure-protocol-version.hex",
        "{\"tag\":\"ProtocolVersion\",\"value\":["
        "{\"tag\":\"ProtocolVersionMajor\",\"type\":\"Integer\",\"value\":1},"
        "{\"tag\":\"ProtocolVersionMinor\",\"type\":\"Integer\",\"value\":1}"
        "]}");
}

static void test_locate_name_attribute_renders_with_names(void **state)
{
    (void)state;
    kmip_item *message = decode_vector("msg-locate-request.hex");
    const kmip_item *batch = kmip_item_find(message, KMIP_TAG_BATCH_ITEM);
    const kmip_item *payload = kmip_item_find(batch, KMIP_TAG_REQUEST_PAYLOAD);
    const kmip_item *attr = kmip_item_find(payload, KMIP_TAG_ATTRIBUTE);
    attr = kmip_item_next_with_tag(attr, KMIP_TAG_ATTRIBUTE);
    assert_non_null(attr);
    char *text = json_text_of(attr);
    assert_string_equal(text,
                        "{\"tag\":\"Attribute\",\"value\":["
                        "{\"tag\":\"AttributeName\",\"type\":\"TextString\","
                        "\"value\":\"Name\"},"
                        "{\"tag\":\"AttributeValue\",\"value\":["
                        "{\"tag\":\"NameValue\",\"type\":\"TextString\","
                        "\"value\":\"Key1\"},"
                        "{\"tag\":\"NameType\",\"type\":\"Enumeration\","
                        "\"value\":\"UninterpretedTextString\"}]}]}");
    free(text);
    kmip_item_free(message);
}

/* An Attribute Value takes the names of its Attribute Name's tag, both
 * ways; an unknown or custom name leaves the value a number. */
static void test_attribute_values_are_named_by_attribute_name(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{\"tag\":\"Attribute\",\"value\":["
        "{\"tag\":\"AttributeName\",\"type\":\"TextString\","
        "\"value\":\"Cryptographic Algorithm\"},"
        "{\"tag\":\"AttributeValue\",\"type\":\"Enumeration\","
        "\"value\":\"RSA\"}]}",
        "{\"tag\":\"Attribute\",\"value\":["
        "{\"tag\":\"AttributeName\",\"type\":\"TextString\","
        "\"value\":\"Cryptographic Usage Mask\"},"
        "{\"tag\":\"AttributeValue\",\"type\":\"Integer\","
        "\"value\":\"Sign|Verify\"}]}",
        "{\"tag\":\"Attribute\",\"value\":["
        "{\"tag\":\"AttributeName\",\"type\":\"TextString\","
        "\"value\":\"x-kind\"},"
        "{\"tag\":\"AttributeValue\",\"type\":\"Enumeration\","
        "\"value\":\"0x00000004\"}]}",
    };
    static const uint32_t values[] = {KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA,
                                      KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN |
                                          KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY,
                                      4};
    for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        kmip_item *item = item_from_text(texts[i]);
        const kmip_item *value = kmip_item_find(item, KMIP_TAG_ATTRIBUTE_VALUE);
        assert_non_null(value);
        assert_int_equal(value->type == KMIP_TYPE_INTEGER
                             ? (uint32_t)value->v.integer
                             : value->v.enumeration,
                         values[i]);
        char *text = json_text_of(item);
        assert_string_equal(text, texts[i]);
        free(text);
        kmip_item_free(item);
    }
}

static void test_primitive_renderings(void **state)
{
    (void)state;
    assert_vector_renders("prim-datetime.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"DateTime\","
                          "\"value\":\"2012-04-27T08:12:21Z\"}");
    assert_vector_renders("prim-biginteger-negative.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"BigInteger\","
                          "\"value\":\"0xFFFFFFFFFFFFFC18\"}");
    assert_vector_renders("prim-bytestring-padded.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"ByteString\","
                          "\"value\":\"010203\"}");
    assert_vector_renders("prim-enumeration.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"Enumeration\","
                          "\"value\":\"0x00000000\"}");
    assert_vector_renders("prim-boolean-true.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"Boolean\","
                          "\"value\":true}");
    assert_vector_renders("prim-interval.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"Interval\","
                          "\"value\":864000}");
    assert_vector_renders("prim-textstring-padded.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"TextString\","
                          "\"value\":\"Hello World\"}");
}

static void test_long_integers_past_2_to_53_render_in_hex(void **state)
{
    (void)state;
    assert_vector_renders("prim-long-integer-max.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"LongInteger\","
                          "\"value\":\"0x7FFFFFFFFFFFFFFF\"}");
    assert_vector_renders("prim-long-integer-minus-one.hex",
                          "{\"tag\":\"0x420000\",\"type\":\"LongInteger\","
                          "\"value\":-1}");
}

static void test_usage_mask_renders_as_bit_names(void **state)
{
    (void)state;
    kmip_item *mask =
        kmip_item_new_integer(KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
                              KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                                  KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT);
    char *text = json_text_of(mask);
    assert_string_equal(text, "{\"tag\":\"CryptographicUsageMask\","
                              "\"type\":\"Integer\","
                              "\"value\":\"Encrypt|Decrypt\"}");
    free(text);
    kmip_item_free(mask);
}

static void test_mask_with_unnamed_bits_renders_as_number(void **state)
{
    (void)state;
    kmip_item *mask = kmip_item_new_integer(KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
                                            (int32_t)0x40000001);
    char *text = json_text_of(mask);
    assert_string_equal(text, "{\"tag\":\"CryptographicUsageMask\","
                              "\"type\":\"Integer\",\"value\":1073741825}");
    free(text);
    kmip_item_free(mask);
}

static void test_datetime_extended_keeps_microseconds(void **state)
{
    (void)state;
    kmip_item *item = kmip_item_new_datetime_ext(KMIP_TAG_TIME_STAMP,
                                                 INT64_C(1335514341000001));
    char *text = json_text_of(item);
    assert_string_equal(text, "{\"tag\":\"TimeStamp\","
                              "\"type\":\"DateTimeExtended\","
                              "\"value\":\"2012-04-27T08:12:21.000001Z\"}");
    kmip_item *back = item_from_text(text);
    assert_int_equal(back->type, KMIP_TYPE_DATE_TIME_EXTENDED);
    assert_int_equal(back->v.long_integer, INT64_C(1335514341000001));
    kmip_item_free(back);
    free(text);
    kmip_item_free(item);
}

static void test_reader_accepts_hex_and_name_forms(void **state)
{
    (void)state;
    kmip_item *item = item_from_text(
        "{\"tag\":\"0x420069\",\"value\":["
        "{\"tag\":\"Operation\",\"type\":\"Enumeration\",\"value\":"
        "\"0x0000000A\"},"
        "{\"tag\":\"CryptographicUsageMask\",\"type\":\"Integer\","
        "\"value\":\"Sign|Verify\"},"
        "{\"tag\":\"BatchCount\",\"type\":\"Integer\",\"value\":\"0x00000002\"}"
        ","
        "{\"tag\":\"TimeStamp\",\"type\":\"DateTime\","
        "\"value\":\"2012-04-27T10:12:21+02:00\"}]}");
    assert_int_equal(item->tag, KMIP_TAG_PROTOCOL_VERSION);
    const kmip_item *c = item->v.children.first;
    assert_int_equal(c->v.enumeration, KMIP_OPERATION_GET);
    c = c->next;
    assert_int_equal(c->v.integer, 3);
    c = c->next;
    assert_int_equal(c->v.integer, 2);
    c = c->next;
    assert_int_equal(c->v.long_integer, 1335514341);
    kmip_item_free(item);
}

static void test_reader_accepts_xml_style_space_separated_masks(void **state)
{
    (void)state;
    kmip_item *item = item_from_text(
        "{\"tag\":\"CryptographicUsageMask\",\"type\":\"Integer\","
        "\"value\":\"Encrypt Decrypt\"}");
    assert_int_equal(item->v.integer,
                     KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT |
                         KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT);
    kmip_item_free(item);
}

/* Reads text, expects KMIP_E_DECODE and a message holding want. */
static void assert_rejected(const char *text, const char *want)
{
    json_object *obj = json_tokener_parse(text);
    if (obj == NULL)
        fail_msg("test input is not JSON: %s", text);
    kmip_item *item = (kmip_item *)1;
    kmip_status status;
    kmip_status_clear(&status);
    assert_int_equal(kmip_item_from_json(obj, &item, &status), KMIP_E_DECODE);
    assert_null(item);
    if (strstr(status.message, want) == NULL)
        fail_msg("for %s: message '%s' lacks '%s'", text, status.message, want);
    json_object_put(obj);
}

static void test_reader_rejects_unknown_names(void **state)
{
    (void)state;
    assert_rejected("{\"tag\":\"NoSuchTag\",\"type\":\"Integer\",\"value\":1}",
                    "$.tag: 'NoSuchTag'");
    assert_rejected("{\"tag\":\"0x4200\",\"type\":\"Integer\",\"value\":1}",
                    "$.tag");
    assert_rejected("{\"tag\":\"BatchCount\",\"type\":\"Int\",\"value\":1}",
                    "$.type: 'Int'");
    assert_rejected("{\"tag\":\"Operation\",\"type\":\"Enumeration\","
                    "\"value\":\"Frobnicate\"}",
                    "$.value: 'Frobnicate' is not a value of Operation");
    assert_rejected("{\"tag\":\"CryptographicUsageMask\",\"type\":\"Integer\","
                    "\"value\":\"Sign|Nope\"}",
                    "$.value");
    assert_rejected("{\"tag\":\"CryptographicUsageMask\",\"type\":\"Integer\","
                    "\"value\":\"Sign||Verify\"}",
                    "$.value");
    assert_rejected("{\"tag\":\"CryptographicUsageMask\",\"type\":\"Integer\","
                    "\"value\":\"Sign|\"}",
                    "$.value");
    assert_rejected("{\"tag\":\"BatchCount\",\"type\":\"Integer\","
                    "\"value\":\"Sign\"}",
                    "$.value");
}

static void test_reader_names_the_path_of_a_nested_error(void **state)
{
    (void)state;
    assert_rejected("{\"tag\":\"RequestMessage\",\"value\":["
                    "{\"tag\":\"RequestHeader\",\"value\":[]},"
                    "{\"tag\":\"BatchItem\",\"value\":["
                    "{\"tag\":\"Operation\",\"type\":\"Enumeration\","
                    "\"value\":\"Get\"},"
                    "{\"tag\":\"UniqueBatchItemID\",\"type\":\"ByteString\","
                    "\"value\":\"0g\"}]}]}",
                    "$.value[1].value[1].value: a ByteString needs");
}

static void test_reader_rejects_malformed_items(void **state)
{
    (void)state;
    assert_rejected("[1]", "$: an item needs an object");
    assert_rejected("{\"type\":\"Integer\",\"value\":1}", "missing \"tag\"");
    assert_rejected("{\"tag\":\"BatchCount\",\"value\":1}", "missing \"type\"");
    assert_rejected("{\"tag\":\"BatchCount\",\"type\":\"Integer\"}",
                    "missing \"value\"");
    assert_rejected("{\"tag\":\"BatchCount\",\"type\":\"Integer\",\"value\":1,"
                    "\"extra\":0}",
                    "unknown member \"extra\"");
    assert_rejected("{\"tag\":\"RequestMessage\",\"type\":\"Structure\","
                    "\"value\":{}}",
                    "a Structure needs an array");
}

/* An odd number of hex digits gets a leading zero nibble (issue 19: the
 * first byte was read before it was written). The freed buffer leaves
 * non-zero bytes where the reader allocates. */
static void test_bigint_with_odd_hex_digits_gets_a_zero_nibble(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint8_t bytes[2];
        size_t len;
    } cases[] = {{"0x1", {0x01}, 1}, {"0xabc", {0x0a, 0xbc}, 2}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        volatile uint8_t *dirty = malloc(8);
        assert_non_null(dirty);
        memset((void *)dirty, 0xF0, 8);
        free((void *)dirty);
        char text[96];
        snprintf(text, sizeof(text),
                 "{\"tag\":\"Modulus\",\"type\":\"BigInteger\","
                 "\"value\":\"%s\"}",
                 cases[i].text);
        kmip_item *item = item_from_text(text);
        assert_int_equal(item->v.bytes.len, cases[i].len);
        assert_memory_equal(item->v.bytes.data, cases[i].bytes, cases[i].len);
        kmip_item_free(item);
    }
}

static void test_reader_rejects_bad_values(void **state)
{
    (void)state;
    assert_rejected("{\"tag\":\"BatchCount\",\"type\":\"Integer\","
                    "\"value\":2147483648}",
                    "an Integer needs a 32-bit number");
    assert_rejected("{\"tag\":\"BatchCount\",\"type\":\"Integer\","
                    "\"value\":1.5}",
                    "an Integer needs");
    assert_rejected("{\"tag\":\"Sensitive\",\"type\":\"Boolean\","
                    "\"value\":\"true\"}",
                    "a Boolean needs true or false");
    assert_rejected(
        "{\"tag\":\"Data\",\"type\":\"ByteString\",\"value\":\"abc\"}",
        "even number of hex digits");
    assert_rejected("{\"tag\":\"NameValue\",\"type\":\"TextString\","
                    "\"value\":5}",
                    "a TextString needs a string");
    assert_rejected("{\"tag\":\"Modulus\",\"type\":\"BigInteger\","
                    "\"value\":\"12\"}",
                    "a BigInteger needs");
    assert_rejected("{\"tag\":\"LeaseTime\",\"type\":\"Interval\","
                    "\"value\":-1}",
                    "an Interval needs");
    assert_rejected("{\"tag\":\"UsageLimitsTotal\",\"type\":\"LongInteger\","
                    "\"value\":\"0x10000000000000000\"}",
                    "a LongInteger needs");
}

static void test_reader_rejects_bad_times(void **state)
{
    (void)state;
    assert_rejected("{\"tag\":\"ActivationDate\",\"type\":\"DateTime\","
                    "\"value\":\"2012-02-30T00:00:00Z\"}",
                    "a DateTime needs an ISO 8601 time");
    assert_rejected("{\"tag\":\"ActivationDate\",\"type\":\"DateTime\","
                    "\"value\":\"2012-04-27 08:12:21Z\"}",
                    "a DateTime needs");
    assert_rejected("{\"tag\":\"ActivationDate\",\"type\":\"DateTime\","
                    "\"value\":\"2012-04-27T08:12:21\"}",
                    "a DateTime needs");
    assert_rejected("{\"tag\":\"ActivationDate\",\"type\":\"DateTime\","
                    "\"value\":\"2012-04-27T08:12:21.5Z\"}",
                    "a DateTime needs");
}

static void test_reader_refuses_excessive_nesting(void **state)
{
    (void)state;
    char text[2048] = "";
    for (int i = 0; i < 40; i++)
        strcat(text, "{\"tag\":\"Attribute\",\"value\":[");
    for (int i = 0; i < 40; i++)
        strcat(text, "]}");
    json_tokener *tok = json_tokener_new_ex(200);
    json_object *obj = json_tokener_parse_ex(tok, text, (int)strlen(text));
    json_tokener_free(tok);
    assert_non_null(obj);
    kmip_item *item = NULL;
    kmip_status status;
    kmip_status_clear(&status);
    assert_int_equal(kmip_item_from_json(obj, &item, &status), KMIP_E_DECODE);
    assert_non_null(strstr(status.message, "nested deeper"));
    json_object_put(obj);
}

static void test_text_rendering_reports_malformed_ttlv(void **state)
{
    (void)state;
    static const uint8_t truncated[] = {0x42, 0x00, 0x69, 0x01,
                                        0x00, 0x00, 0x00, 0x20};
    kmip_status status;
    kmip_status_clear(&status);
    assert_null(
        kmip_ttlv_to_json_text(truncated, sizeof(truncated), 0, &status));
    assert_int_equal(status.rc, KMIP_E_DECODE);
    assert_true(status.message[0] != '\0');
}

static void test_pretty_text_is_indented(void **state)
{
    (void)state;
    size_t len = 0;
    uint8_t *bytes =
        test_vector_load("prim-structure-protocol-version.hex", &len);
    char *plain = kmip_ttlv_to_json_text(bytes, len, 0, NULL);
    char *pretty = kmip_ttlv_to_json_text(bytes, len, 1, NULL);
    assert_non_null(plain);
    assert_non_null(pretty);
    assert_null(strchr(plain, '\n'));
    assert_non_null(strchr(pretty, '\n'));
    free(plain);
    free(pretty);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vector_survives_json_byte_identically),
        cmocka_unit_test(
            test_integer_renders_as_number_with_unknown_tag_in_hex),
        cmocka_unit_test(test_structure_omits_its_type),
        cmocka_unit_test(test_locate_name_attribute_renders_with_names),
        cmocka_unit_test(test_attribute_values_are_named_by_attribute_name),
        cmocka_unit_test(test_primitive_renderings),
        cmocka_unit_test(test_long_integers_past_2_to_53_render_in_hex),
        cmocka_unit_test(test_usage_mask_renders_as_bit_names),
        cmocka_unit_test(test_mask_with_unnamed_bits_renders_as_number),
        cmocka_unit_test(test_datetime_extended_keeps_microseconds),
        cmocka_unit_test(test_reader_accepts_hex_and_name_forms),
        cmocka_unit_test(test_reader_accepts_xml_style_space_separated_masks),
        cmocka_unit_test(test_reader_rejects_unknown_names),
        cmocka_unit_test(test_reader_names_the_path_of_a_nested_error),
        cmocka_unit_test(test_reader_rejects_malformed_items),
        cmocka_unit_test(test_reader_rejects_bad_values),
        cmocka_unit_test(test_bigint_with_odd_hex_digits_gets_a_zero_nibble),
        cmocka_unit_test(test_reader_rejects_bad_times),
        cmocka_unit_test(test_reader_refuses_excessive_nesting),
        cmocka_unit_test(test_text_rendering_reports_malformed_ttlv),
        cmocka_unit_test(test_pretty_text_is_indented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
