/* SPDX-License-Identifier: Apache-2.0 */
/* The tag and enumeration tables (kmip/tags.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/tags.h"
#include "vectors.h"

static void assert_tag_named(uint32_t tag, const char *name)
{
    assert_string_equal(kmip_tag_name(tag), name);
    uint32_t found = 0;
    assert_true(kmip_tag_from_name(name, &found));
    assert_int_equal(found, tag);
}

static void test_tag_names_both_ways(void **state)
{
    (void)state;
    assert_tag_named(KMIP_TAG_UNIQUE_IDENTIFIER, "UniqueIdentifier");
    assert_tag_named(KMIP_TAG_ACTIVATION_DATE, "ActivationDate");
    assert_tag_named(KMIP_TAG_PUBLIC_PROTECTION_STORAGE_MASKS,
                     "PublicProtectionStorageMasks");
}

static void test_irregular_tag_names_follow_the_normalizing_rules(void **state)
{
    (void)state;
    assert_tag_named(0x42003D, "IVCounterNonce");
    assert_tag_named(0x42004D, "MACSignature");
    assert_tag_named(0x4200FB, "PKCS_12FriendlyName");
    assert_tag_named(0x420159, "PKCS_11Interface");
    assert_tag_named(0x4200B5, "X_509CertificateIdentifier");
    assert_tag_named(0x42001F, "CommonTemplateAttribute");
    assert_tag_named(0x420073, "Qlength");
    assert_tag_named(0x420093, "UniqueBatchItemID");
    assert_tag_named(0x420027, "CRTCoefficient");
    assert_tag_named(0x420108, "CertificateSubjectCN");
    assert_tag_named(0x4200DC, "FIPS186Variation");
}

static void test_kmip_2_1_tags_are_known(void **state)
{
    (void)state;
    assert_int_equal(KMIP_TAG_OBJECT_GROUPS, 0x420166);
    assert_tag_named(KMIP_TAG_ROTATE_INTERVAL, "RotateInterval");
    assert_tag_named(KMIP_TAG_ASYNCHRONOUS_CORRELATION_VALUES,
                     "AsynchronousCorrelationValues");
}

static void test_unknown_tags_have_no_name(void **state)
{
    (void)state;
    assert_null(kmip_tag_name(0x420000));
    assert_null(kmip_tag_name(0x540001));
    assert_null(kmip_tag_name(0x4201FF));
    assert_false(kmip_tag_from_name("NoSuchTag", NULL));
    assert_false(kmip_tag_from_name("uniqueidentifier", NULL));
    assert_false(kmip_tag_from_name("", NULL));
    assert_false(kmip_tag_from_name(NULL, NULL));
}

static void assert_attribute_named(uint32_t tag, const char *name)
{
    assert_string_equal(kmip_attribute_name(tag), name);
    uint32_t found = 0;
    assert_true(kmip_attribute_tag(name, &found));
    assert_int_equal(found, tag);
}

static void test_attribute_names_both_ways(void **state)
{
    (void)state;
    assert_attribute_named(KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                           "Cryptographic Algorithm");
    assert_attribute_named(KMIP_TAG_UNIQUE_IDENTIFIER, "Unique Identifier");
    assert_attribute_named(KMIP_TAG_NAME, "Name");
    assert_attribute_named(KMIP_TAG_OBJECT_TYPE, "Object Type");
    assert_attribute_named(KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
                           "Cryptographic Usage Mask");
    assert_attribute_named(KMIP_TAG_LINK, "Link");
    assert_attribute_named(KMIP_TAG_STATE, "State");
    assert_attribute_named(KMIP_TAG_CONTACT_INFORMATION, "Contact Information");
    assert_attribute_named(KMIP_TAG_OBJECT_GROUP, "Object Group");
    assert_attribute_named(KMIP_TAG_X_509_CERTIFICATE_IDENTIFIER,
                           "X.509 Certificate Identifier");
    assert_attribute_named(KMIP_TAG_PKCS12_FRIENDLY_NAME,
                           "PKCS#12 Friendly Name");
    assert_attribute_named(KMIP_TAG_ROTATE_INTERVAL, "Rotate Interval");
}

static void test_non_attributes_have_no_attribute_name(void **state)
{
    (void)state;
    assert_null(kmip_attribute_name(KMIP_TAG_REQUEST_MESSAGE));
    assert_null(kmip_attribute_name(KMIP_TAG_ATTRIBUTE));
    assert_null(kmip_attribute_name(KMIP_TAG_CUSTOM_ATTRIBUTE));
    assert_null(kmip_attribute_name(0x420000));
}

static void
test_custom_and_unknown_attribute_names_are_not_standard(void **state)
{
    (void)state;
    assert_false(kmip_attribute_tag("x-Purpose", NULL));
    assert_false(kmip_attribute_tag("y-ID", NULL));
    assert_false(kmip_attribute_tag("Custom Attribute", NULL));
    assert_false(kmip_attribute_tag("cryptographic algorithm", NULL));
    assert_false(kmip_attribute_tag("CryptographicAlgorithm", NULL));
    assert_false(kmip_attribute_tag(NULL, NULL));
}

static void assert_enum_named(uint32_t tag, uint32_t value, const char *name)
{
    assert_string_equal(kmip_enum_name(tag, value), name);
    uint32_t found = 0xFFFFFFFF;
    assert_true(kmip_enum_from_name(tag, name, &found));
    assert_int_equal(found, value);
}

static void test_enumeration_names_both_ways(void **state)
{
    (void)state;
    assert_enum_named(KMIP_TAG_OPERATION, KMIP_OPERATION_CREATE, "Create");
    assert_enum_named(KMIP_TAG_OPERATION, KMIP_OPERATION_GET_ATTRIBUTES,
                      "GetAttributes");
    assert_enum_named(KMIP_TAG_OPERATION, KMIP_OPERATION_REKEY, "ReKey");
    assert_enum_named(KMIP_TAG_OBJECT_TYPE, KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                      "SymmetricKey");
    assert_enum_named(KMIP_TAG_RESULT_REASON, KMIP_RESULT_REASON_ITEM_NOT_FOUND,
                      "ItemNotFound");
    assert_enum_named(KMIP_TAG_STATE, KMIP_STATE_PRE_ACTIVE, "PreActive");
    assert_enum_named(KMIP_TAG_RESULT_STATUS, KMIP_RESULT_STATUS_SUCCESS,
                      "Success");
}

static void test_enumeration_names_with_punctuation(void **state)
{
    (void)state;
    assert_enum_named(KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                      KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, "DES3");
    assert_enum_named(KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                      KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256, "HMAC_SHA256");
    assert_enum_named(KMIP_TAG_HASHING_ALGORITHM,
                      KMIP_HASHING_ALGORITHM_SHA_256, "SHA_256");
    assert_enum_named(KMIP_TAG_KEY_FORMAT_TYPE, KMIP_KEY_FORMAT_TYPE_PKCS_1,
                      "PKCS_1");
    assert_enum_named(KMIP_TAG_CERTIFICATE_TYPE, KMIP_CERTIFICATE_TYPE_X_509,
                      "X_509");
    assert_enum_named(KMIP_TAG_PADDING_METHOD, KMIP_PADDING_METHOD_PKCS1V15,
                      "PKCS1V1_5");
    assert_enum_named(KMIP_TAG_RECOMMENDED_CURVE, KMIP_RECOMMENDED_CURVE_P_256,
                      "P_256");
    assert_enum_named(
        KMIP_TAG_DIGITAL_SIGNATURE_ALGORITHM,
        KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA256_WITH_RSA_ENCRYPTION,
        "SHA_256WithRSAEncryption");
    assert_enum_named(KMIP_TAG_LINK_TYPE,
                      KMIP_LINK_TYPE_PKCS12_CERTIFICATE_LINK,
                      "PKCS_12CertificateLink");
    assert_enum_named(KMIP_TAG_WRAPPING_METHOD,
                      KMIP_WRAPPING_METHOD_ENCRYPT_THEN_MAC_SIGN,
                      "EncryptThenMACSign");
}

static void test_tags_sharing_an_enumeration(void **state)
{
    (void)state;
    assert_enum_named(KMIP_TAG_MASK_GENERATOR_HASHING_ALGORITHM,
                      KMIP_HASHING_ALGORITHM_SHA_1, "SHA_1");
    assert_enum_named(KMIP_TAG_UNIQUE_IDENTIFIER,
                      KMIP_UNIQUE_IDENTIFIER_ID_PLACEHOLDER, "IDPlaceholder");
}

static void test_tag_enumerations_use_tag_names(void **state)
{
    (void)state;
    assert_enum_named(KMIP_TAG_ATTRIBUTE_REFERENCE, KMIP_TAG_SENSITIVE,
                      "Sensitive");
    assert_enum_named(KMIP_TAG_TAG, KMIP_TAG_OBJECT_TYPE, "ObjectType");
}

static void test_mask_bits_have_names(void **state)
{
    (void)state;
    assert_enum_named(KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK,
                      KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN, "Sign");
    assert_enum_named(KMIP_TAG_STORAGE_STATUS_MASK,
                      KMIP_STORAGE_STATUS_MASK_ARCHIVAL_STORAGE,
                      "ArchivalStorage");
}

static void test_unknown_enumeration_values_have_no_name(void **state)
{
    (void)state;
    assert_null(kmip_enum_name(KMIP_TAG_OPERATION, 0));
    assert_null(kmip_enum_name(KMIP_TAG_OPERATION, 0x80000001));
    assert_null(kmip_enum_name(KMIP_TAG_UNIQUE_BATCH_ITEM_ID, 1));
    assert_null(kmip_enum_name(0x420000, 1));
    assert_false(kmip_enum_from_name(KMIP_TAG_OPERATION, "create", NULL));
    assert_false(kmip_enum_from_name(KMIP_TAG_OPERATION, "SymmetricKey", NULL));
    assert_false(kmip_enum_from_name(KMIP_TAG_NAME_VALUE, "Create", NULL));
    assert_false(kmip_enum_from_name(KMIP_TAG_OPERATION, NULL, NULL));
}

static void assert_tag_typed(uint32_t tag, kmip_type want)
{
    kmip_type type = (kmip_type)0;
    assert_true(kmip_tag_type(tag, &type));
    assert_int_equal(type, want);
}

static void test_tag_types(void **state)
{
    (void)state;
    assert_tag_typed(KMIP_TAG_REQUEST_MESSAGE, KMIP_TYPE_STRUCTURE);
    assert_tag_typed(KMIP_TAG_OPERATION, KMIP_TYPE_ENUMERATION);
    assert_tag_typed(KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK, KMIP_TYPE_INTEGER);
    assert_tag_typed(KMIP_TAG_USAGE_LIMITS_TOTAL, KMIP_TYPE_LONG_INTEGER);
    assert_tag_typed(KMIP_TAG_MODULUS, KMIP_TYPE_BIG_INTEGER);
    assert_tag_typed(KMIP_TAG_SENSITIVE, KMIP_TYPE_BOOLEAN);
    assert_tag_typed(KMIP_TAG_NAME_VALUE, KMIP_TYPE_TEXT_STRING);
    assert_tag_typed(KMIP_TAG_IV_COUNTER_NONCE, KMIP_TYPE_BYTE_STRING);
    assert_tag_typed(KMIP_TAG_ACTIVATION_DATE, KMIP_TYPE_DATE_TIME);
    assert_tag_typed(KMIP_TAG_LEASE_TIME, KMIP_TYPE_INTERVAL);
    assert_tag_typed(KMIP_TAG_X_509_CERTIFICATE_SUBJECT, KMIP_TYPE_STRUCTURE);
}

static void test_tags_of_varying_type_have_none(void **state)
{
    (void)state;
    kmip_type type = KMIP_TYPE_STRUCTURE;
    assert_false(kmip_tag_type(KMIP_TAG_ATTRIBUTE_VALUE, &type));
    assert_false(kmip_tag_type(KMIP_TAG_UNIQUE_IDENTIFIER, &type));
    assert_false(kmip_tag_type(KMIP_TAG_KEY_MATERIAL, &type));
    assert_false(kmip_tag_type(0x420000, &type));
    assert_int_equal(type, KMIP_TYPE_STRUCTURE);
}

static void test_type_names_both_ways(void **state)
{
    (void)state;
    static const char *const names[] = {
        "Structure",   "Integer",  "LongInteger",      "BigInteger",
        "Enumeration", "Boolean",  "TextString",       "ByteString",
        "DateTime",    "Interval", "DateTimeExtended",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        kmip_type type = (kmip_type)(i + 1);
        assert_string_equal(kmip_type_name(type), names[i]);
        kmip_type found = (kmip_type)0;
        assert_true(kmip_type_from_name(names[i], &found));
        assert_int_equal(found, type);
    }
    assert_null(kmip_type_name((kmip_type)0));
    assert_null(kmip_type_name((kmip_type)12));
    assert_false(kmip_type_from_name("Text String", NULL));
    assert_false(kmip_type_from_name(NULL, NULL));
}

/* Fails when an item of tree has a type other than its tag's table type. */
static void assert_types_agree(const kmip_item *item, const char *vector)
{
    kmip_type want;
    if (kmip_tag_type(item->tag, &want) && item->type != want)
        fail_msg("%s: tag 0x%06X is a %s, the table says %s", vector,
                 (unsigned)item->tag, kmip_type_name(item->type),
                 kmip_type_name(want));
    if (item->type != KMIP_TYPE_STRUCTURE)
        return;
    for (const kmip_item *c = item->v.children.first; c != NULL; c = c->next)
        assert_types_agree(c, vector);
}

static void assert_vector_types_agree(const char *name)
{
    kmip_item *item = decode_vector(name);
    assert_types_agree(item, name);
    kmip_item_free(item);
}

static void test_table_types_agree_with_every_vector(void **state)
{
    (void)state;
    assert_int_equal(test_vector_each(assert_vector_types_agree),
                     TEST_VECTOR_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_names_both_ways),
        cmocka_unit_test(test_irregular_tag_names_follow_the_normalizing_rules),
        cmocka_unit_test(test_kmip_2_1_tags_are_known),
        cmocka_unit_test(test_unknown_tags_have_no_name),
        cmocka_unit_test(test_attribute_names_both_ways),
        cmocka_unit_test(test_non_attributes_have_no_attribute_name),
        cmocka_unit_test(
            test_custom_and_unknown_attribute_names_are_not_standard),
        cmocka_unit_test(test_enumeration_names_both_ways),
        cmocka_unit_test(test_enumeration_names_with_punctuation),
        cmocka_unit_test(test_tags_sharing_an_enumeration),
        cmocka_unit_test(test_tag_enumerations_use_tag_names),
        cmocka_unit_test(test_mask_bits_have_names),
        cmocka_unit_test(test_unknown_enumeration_values_have_no_name),
        cmocka_unit_test(test_tag_types),
        cmocka_unit_test(test_tags_of_varying_type_have_none),
        cmocka_unit_test(test_type_names_both_ways),
        cmocka_unit_test(test_table_types_agree_with_every_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
