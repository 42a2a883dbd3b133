/* SPDX-License-Identifier: Apache-2.0 */
/* p11core on its own: the attribute table over cached objects (what each
 * attribute reads back) and templates, which may set only what is read
 * back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "attr_table.h"
#include "attrmap.h"
#include "kmip/tags.h"
#include "core.h"
#include "p256.h"
#include "test_cert.h"

static p11_slot slot;
static p11kmip_slot_conf slot_conf = {.login = P11KMIP_LOGIN_CREDENTIAL};

static p11_object key_object(CK_OBJECT_CLASS object_class, CK_ULONG key_type,
                             EVP_PKEY *public_key)
{
    p11_object object = {
        .slot = &slot,
        .object_class = object_class,
        .subtype = key_type,
        .usage_mask = KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
        .sensitive = object_class != CKO_PUBLIC_KEY,
        .always_sensitive = object_class != CKO_PUBLIC_KEY,
        .never_extractable = object_class != CKO_PUBLIC_KEY,
        .public_key = public_key,
        .key_bits =
            public_key != NULL ? (CK_ULONG)EVP_PKEY_get_bits(public_key) : 128,
        .label = "a label",
        .loaded = true,
    };

    slot.conf = &slot_conf;
    return object;
}

static void read_expect(const p11_object *object, CK_ATTRIBUTE_TYPE type,
                        const void *value, size_t len)
{
    p11_attr_value read;

    assert_int_equal(p11_attr_read(object, type, &read), CKR_OK);
    assert_int_equal(read.len, len);
    assert_memory_equal(read.data, value, len);
    p11_attr_value_clear(&read);
}

static void read_fails(const p11_object *object, CK_ATTRIBUTE_TYPE type,
                       CK_RV expected)
{
    p11_attr_value read;

    assert_int_equal(p11_attr_read(object, type, &read), expected);
    p11_attr_value_clear(&read);
}

static void ec_public_key_shows_curve_and_point(void **state)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    p11_object object = key_object(CKO_PUBLIC_KEY, CKK_EC, key);
    uint8_t point[65];
    size_t point_len;
    p11_attr_value read;

    (void)state;
    read_expect(&object, CKA_EC_PARAMS, p256, sizeof(p256));
    assert_true(EVP_PKEY_get_octet_string_param(
        key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &point_len));
    assert_int_equal(p11_attr_read(&object, CKA_EC_POINT, &read), CKR_OK);
    /* DER OCTET STRING of the uncompressed point. */
    assert_int_equal(read.len, 2 + point_len);
    assert_memory_equal(read.data, "\x04\x41", 2);
    assert_memory_equal((const uint8_t *)read.data + 2, point, point_len);
    p11_attr_value_clear(&read);
    read_fails(&object, CKA_MODULUS, CKR_ATTRIBUTE_TYPE_INVALID);
    read_fails(&object, CKA_SIGN, CKR_ATTRIBUTE_TYPE_INVALID);
    EVP_PKEY_free(key);
}

static void rsa_public_key_shows_modulus_and_exponent(void **state)
{
    EVP_PKEY *key = EVP_RSA_gen(1024);
    p11_object object = key_object(CKO_PUBLIC_KEY, CKK_RSA, key);
    CK_ULONG bits = 1024;
    p11_attr_value read;

    (void)state;
    read_expect(&object, CKA_PUBLIC_EXPONENT, "\x01\x00\x01", 3);
    read_expect(&object, CKA_MODULUS_BITS, &bits, sizeof(bits));
    assert_int_equal(p11_attr_read(&object, CKA_MODULUS, &read), CKR_OK);
    assert_int_equal(read.len, 128);
    p11_attr_value_clear(&read);
    read_fails(&object, CKA_EC_POINT, CKR_ATTRIBUTE_TYPE_INVALID);
    EVP_PKEY_free(key);
}

static void private_key_material_is_sensitive(void **state)
{
    p11_object object = key_object(CKO_PRIVATE_KEY, CKK_RSA, NULL);
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;

    (void)state;
    read_fails(&object, CKA_VALUE, CKR_ATTRIBUTE_SENSITIVE);
    read_fails(&object, CKA_PRIVATE_EXPONENT, CKR_ATTRIBUTE_SENSITIVE);
    read_fails(&object, CKA_PRIME_1, CKR_ATTRIBUTE_SENSITIVE);
    read_expect(&object, CKA_SENSITIVE, &yes, 1);
    read_expect(&object, CKA_EXTRACTABLE, &no, 1);
    read_expect(&object, CKA_NEVER_EXTRACTABLE, &yes, 1);
    read_expect(&object, CKA_SIGN, &yes, 1);
    read_expect(&object, CKA_DECRYPT, &no, 1);
    /* A token with a login keeps its keys private. */
    read_expect(&object, CKA_PRIVATE, &yes, 1);
    read_fails(&object, CKA_ENCRYPT, CKR_ATTRIBUTE_TYPE_INVALID);
}

static void secret_key_shows_its_length_not_its_value(void **state)
{
    p11_object object = key_object(CKO_SECRET_KEY, CKK_AES, NULL);
    CK_ULONG bytes = 16;
    CK_KEY_TYPE aes = CKK_AES;

    (void)state;
    read_expect(&object, CKA_VALUE_LEN, &bytes, sizeof(bytes));
    read_expect(&object, CKA_KEY_TYPE, &aes, sizeof(aes));
    read_expect(&object, CKA_LABEL, "a label", 7);
    read_fails(&object, CKA_VALUE, CKR_ATTRIBUTE_SENSITIVE);
    read_fails(&object, CKA_MODULUS_BITS, CKR_ATTRIBUTE_TYPE_INVALID);
}

static void attribute_table_names_the_kmip_attribute(void **state)
{
    uint32_t tag = 0;

    (void)state;
    assert_int_equal(p11_attr_kmip_tag(CKO_PRIVATE_KEY, CKA_LABEL, &tag),
                     CKR_OK);
    assert_int_equal(tag, KMIP_TAG_NAME);
    assert_int_equal(p11_attr_kmip_tag(CKO_PRIVATE_KEY, CKA_ID, &tag), CKR_OK);
    assert_int_equal(tag, KMIP_TAG_VENDOR_ATTRIBUTE);
    assert_int_equal(p11_attr_kmip_tag(CKO_DATA, CKA_ID, &tag),
                     CKR_ATTRIBUTE_TYPE_INVALID);
}

/* ---- templates: what they set is what is read back ---- */

static CK_RV validate_one(CK_OBJECT_CLASS object_class, CK_ULONG subtype,
                          CK_ATTRIBUTE_TYPE type, const void *value,
                          CK_ULONG len)
{
    CK_ATTRIBUTE attr = {type, (void *)value, len};

    return p11_template_validate(&attr, 1, object_class, subtype,
                                 P11_TEMPLATE_CREATE);
}

static void template_may_only_repeat_what_is_read_back(void **state)
{
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ULONG category = 1;

    (void)state;
    assert_int_equal(validate_one(CKO_DATA, CK_UNAVAILABLE_INFORMATION,
                                  CKA_COPYABLE, &no, 1),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(
        validate_one(CKO_SECRET_KEY, CKK_AES, CKA_COPYABLE, &yes, 1),
        CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(
        validate_one(CKO_SECRET_KEY, CKK_AES, CKA_DESTROYABLE, &no, 1),
        CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(
        validate_one(CKO_CERTIFICATE, CKC_X_509, CKA_TRUSTED, &yes, 1),
        CKR_ATTRIBUTE_VALUE_INVALID);
    /* Kept in x-pkcs11-attrs: any value of the right form. */
    assert_int_equal(validate_one(CKO_PRIVATE_KEY, CKK_RSA,
                                  CKA_ALWAYS_AUTHENTICATE, &yes, 1),
                     CKR_OK);
    assert_int_equal(
        validate_one(CKO_SECRET_KEY, CKK_AES, CKA_MODIFIABLE, &no, 1), CKR_OK);
    assert_int_equal(validate_one(CKO_CERTIFICATE, CKC_X_509,
                                  CKA_CERTIFICATE_CATEGORY, &category,
                                  sizeof(category)),
                     CKR_OK);
    assert_int_equal(validate_one(CKO_CERTIFICATE, CKC_X_509,
                                  CKA_CERTIFICATE_CATEGORY, &yes, 1),
                     CKR_ATTRIBUTE_VALUE_INVALID);
}

/* What KMIP has no place for goes to x-pkcs11-attrs and reads back from
 * it; without custom attributes only the defaults are taken. */
static void unmapped_attributes_are_kept_as_given(void **state)
{
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ULONG sha256 = CKM_SHA256;
    CK_ATTRIBUTE templ[] = {
        {CKA_VERIFY_RECOVER, &no, 1}, /* the default is true */
        {CKA_MODIFIABLE, &no, 1},
        {CKA_START_DATE, "20260101", 8},
        {CKA_SUBJECT, "", 0}, /* the default: not kept */
    };
    CK_ATTRIBUTE cert_templ[] = {
        {CKA_NAME_HASH_ALGORITHM, &sha256, sizeof(sha256)}};
    kmip_item *attrs = kmip_attrs_new();
    const char *bag;
    p11_object object = key_object(CKO_PUBLIC_KEY, CKK_EC, NULL);

    (void)state;
    assert_int_equal(p11_template_validate(templ, 4, CKO_PUBLIC_KEY, CKK_EC,
                                           P11_TEMPLATE_GENERATE),
                     CKR_OK);
    assert_true(p11_template_wants_custom(templ, 4, CKO_PUBLIC_KEY, CKK_EC));
    assert_false(
        p11_template_wants_custom(&templ[3], 1, CKO_PUBLIC_KEY, CKK_EC));
    assert_int_equal(
        p11_template_kmip_attrs(templ, 4, CKO_PUBLIC_KEY, CKK_EC, 0, attrs),
        CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(p11_template_kmip_attrs(templ, 4, CKO_PUBLIC_KEY, CKK_EC,
                                             P11_SEND_CUSTOM, attrs),
                     CKR_OK);
    assert_int_equal(
        kmip_attrs_get_custom_text(attrs, P11_BAG_ATTRIBUTE, &bag, NULL),
        KMIP_OK);
    /* The text servers keep: bags written earlier must stay readable. */
    assert_string_equal(bag, "10b=0;170=0;110=3230323630313031;");
    object.bag = (char *)bag;
    read_expect(&object, CKA_VERIFY_RECOVER, &no, 1);
    read_expect(&object, CKA_MODIFIABLE, &no, 1);
    read_expect(&object, CKA_START_DATE, "20260101", 8);
    read_expect(&object, CKA_SUBJECT, "", 0);
    read_expect(&object, CKA_END_DATE, "", 0);
    object.bag = NULL;
    read_expect(&object, CKA_VERIFY_RECOVER, &yes, 1);
    kmip_item_free(attrs);
    assert_true(
        p11_template_wants_custom(cert_templ, 1, CKO_CERTIFICATE, CKC_X_509));
}

static void certificate_fields_must_be_the_certificate_s(void **state)
{
    CK_OBJECT_CLASS cert_class = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    uint8_t *der, *other, *subject = NULL;
    int len = test_self_signed_cert("mine", &der),
        other_len = test_self_signed_cert("other", &other);
    const unsigned char *p = der;
    X509 *cert = d2i_X509(NULL, &p, len);
    int subject_len = i2d_X509_NAME(X509_get_subject_name(cert), &subject);
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &cert_class, sizeof(cert_class)},
        {CKA_CERTIFICATE_TYPE, &x509, sizeof(x509)},
        {CKA_VALUE, der, (CK_ULONG)len},
        {CKA_SUBJECT, subject, (CK_ULONG)subject_len},
    };

    (void)state;
    assert_int_equal(p11_template_validate(templ, 4, CKO_CERTIFICATE, CKC_X_509,
                                           P11_TEMPLATE_CREATE),
                     CKR_OK);
    templ[2] = (CK_ATTRIBUTE){CKA_VALUE, other, (CK_ULONG)other_len};
    assert_int_equal(p11_template_validate(templ, 4, CKO_CERTIFICATE, CKC_X_509,
                                           P11_TEMPLATE_CREATE),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    X509_free(cert);
    OPENSSL_free(subject);
    OPENSSL_free(der);
    OPENSSL_free(other);
}

/* Every fixed attribute of the table: a template repeating the value read
 * from a new object passes, a boolean's opposite does not. */
static void every_fixed_flag_is_accepted_only_as_read(void **state)
{
    static const CK_OBJECT_CLASS classes[] = {CKO_DATA, CKO_CERTIFICATE,
                                              CKO_PUBLIC_KEY, CKO_PRIVATE_KEY,
                                              CKO_SECRET_KEY};
    size_t count;
    const p11_attr_entry *entries = p11_attr_entries(&count);

    (void)state;
    for (size_t c = 0; c < 5; c++) {
        p11_object made = {.object_class = classes[c], .subtype = CKK_AES};

        for (size_t i = 0; i < count; i++) {
            const p11_attr_entry *e = &entries[i];
            p11_attr_value v;
            CK_BBOOL flipped;

            /* CKA_TOKEN false makes a session object of every class
             * (test_session_objects.c, test_session_keys_e2e.c). */
            bool session_object = e->type == CKA_TOKEN;

            if (e->use != USE_SHOWN || e->form != FORM_BOOL ||
                !(e->classes & p11_class_bit(classes[c])) || session_object)
                continue;
            assert_int_equal(p11_attr_read(&made, e->type, &v), CKR_OK);
            flipped = *(const CK_BBOOL *)v.data ? CK_FALSE : CK_TRUE;
            assert_int_equal(
                validate_one(classes[c], CKK_AES, e->type, v.data, 1), CKR_OK);
            if (validate_one(classes[c], CKK_AES, e->type, &flipped, 1) !=
                CKR_ATTRIBUTE_VALUE_INVALID)
                fail_msg("class %lu: attribute 0x%lx taken as %d, read %d",
                         classes[c], e->type, flipped, !flipped);
            p11_attr_value_clear(&v);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(template_may_only_repeat_what_is_read_back),
        cmocka_unit_test(unmapped_attributes_are_kept_as_given),
        cmocka_unit_test(certificate_fields_must_be_the_certificate_s),
        cmocka_unit_test(every_fixed_flag_is_accepted_only_as_read),
        cmocka_unit_test(ec_public_key_shows_curve_and_point),
        cmocka_unit_test(rsa_public_key_shows_modulus_and_exponent),
        cmocka_unit_test(private_key_material_is_sensitive),
        cmocka_unit_test(secret_key_shows_its_length_not_its_value),
        cmocka_unit_test(attribute_table_names_the_kmip_attribute),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
