/* SPDX-License-Identifier: Apache-2.0 */
/* p11core's tables and converters on their own: the Result Reason table,
 * what an answer means and the facts a server learns, the attribute
 * table over cached objects, template values to KMIP
 * objects, CKA_ID in x-pkcs11-id, and attribute arrays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "attr_table.h"
#include "attrmap.h"
#include "key_import.h"
#include "kmip/tags.h"
#include "core.h"
#include "test_cert.h"

static const uint8_t p256_oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                   0xce, 0x3d, 0x03, 0x01, 0x07};

/* ---- What an answer means (errors.c) and the facts (server.c) ---- */

static p11_reply reply_to(uint32_t reason)
{
    kmip_status status = {.rc = KMIP_E_RESULT, .result_reason = reason};

    return p11_reply_of(KMIP_E_RESULT, &status);
}

static void reasons_map_through_the_table(void **state)
{
    (void)state;
    assert_int_equal(reply_to(KMIP_RESULT_REASON_ITEM_NOT_FOUND).rv,
                     CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(
        reply_to(KMIP_RESULT_REASON_AUTHENTICATION_NOT_SUCCESSFUL).rv,
        CKR_PIN_INCORRECT);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_PERMISSION_DENIED).rv,
                     CKR_ACTION_PROHIBITED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE).rv,
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_INVALID_FIELD).reason,
                     KMIP_RESULT_REASON_INVALID_FIELD);
}

static void unknown_reason_is_a_server_failure(void **state)
{
    (void)state;
    p11_reply reply = reply_to(0x7777);

    assert_int_equal(reply.rv, CKR_DEVICE_ERROR);
    assert_int_equal(reply.answer, P11_ANSWER_SERVER_FAILURE);
    assert_int_equal(reply.reason, 0x7777);
}

static void transport_failures_are_device_errors(void **state)
{
    kmip_status status = {.rc = KMIP_E_TIMEOUT};

    (void)state;
    assert_int_equal(p11_reply_of(KMIP_E_TIMEOUT, &status).rv,
                     CKR_DEVICE_ERROR);
    assert_int_equal(p11_classify(KMIP_E_TIMEOUT, &status),
                     P11_ANSWER_TRANSPORT);
    assert_int_equal(p11_classify(KMIP_E_TLS, &status), P11_ANSWER_TRANSPORT);
    assert_int_equal(p11_reply_of(KMIP_E_TRANSPORT, &status).reason, 0);
    assert_int_equal(p11_reply_of(KMIP_E_NOMEM, &status).rv, CKR_HOST_MEMORY);
    assert_int_equal(p11_classify(KMIP_E_DECODE, &status),
                     P11_ANSWER_SERVER_FAILURE);
    assert_int_equal(p11_classify(KMIP_OK, NULL), P11_ANSWER_DONE);
}

/* Every way a server says it does not do what was asked. */
static void refusals_of_what_is_asked_are_unsupported(void **state)
{
    static const uint32_t reasons[] = {
        KMIP_RESULT_REASON_OPERATION_NOT_SUPPORTED,
        KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
        KMIP_RESULT_REASON_INVALID_FIELD,
        KMIP_RESULT_REASON_INVALID_MESSAGE,
        KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
        KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
        KMIP_RESULT_REASON_INVALID_ATTRIBUTE,
        KMIP_RESULT_REASON_UNSUPPORTED_ATTRIBUTE,
    };

    (void)state;
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        assert_int_equal(reply_to(reasons[i]).answer, P11_ANSWER_UNSUPPORTED);
}

static void answers_say_what_failed(void **state)
{
    (void)state;
    assert_int_equal(reply_to(KMIP_RESULT_REASON_OBJECT_NOT_FOUND).answer,
                     P11_ANSWER_NOT_FOUND);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_PERMISSION_DENIED).answer,
                     P11_ANSWER_PERMISSION);
    assert_int_equal(
        reply_to(KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE).answer,
        P11_ANSWER_PERMISSION);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_BAD_PASSWORD).answer,
                     P11_ANSWER_AUTHENTICATION);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE).answer,
                     P11_ANSWER_CRYPTO_FAILED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_NUMERIC_RANGE).answer,
                     P11_ANSWER_REFUSED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_GENERAL_FAILURE).answer,
                     P11_ANSWER_SERVER_FAILURE);
    assert_int_equal(p11_reply_local(CKR_OK).answer, P11_ANSWER_DONE);
    assert_int_equal(p11_reply_local(CKR_HOST_MEMORY).answer, P11_ANSWER_NONE);
}

static void a_server_learns_each_fact_on_its_own(void **state)
{
    p11kmip_slot_conf conf = {.label = "facts"};
    p11_server server;

    (void)state;
    assert_int_equal(p11_server_init(&server, 0, &conf), CKR_OK);
    for (int fact = 0; fact < P11_FACTS; fact++)
        assert_int_equal(p11_server_knows(&server, (p11_fact)fact),
                         P11_SUPPORT_UNKNOWN);
    p11_server_learn(&server, P11_FACT_CUSTOM_ID, false);
    p11_server_learn(&server, P11_FACT_DIGESTED_SIGN, true);
    assert_int_equal(p11_server_knows(&server, P11_FACT_CUSTOM_ID),
                     P11_SUPPORT_REFUSED);
    assert_int_equal(p11_server_knows(&server, P11_FACT_DIGESTED_SIGN),
                     P11_SUPPORT_SERVED);
    assert_int_equal(p11_server_knows(&server, P11_FACT_ID_PLACEHOLDER),
                     P11_SUPPORT_UNKNOWN);
    p11_server_clear(&server);
}

/* ---- the attribute table ---- */

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
    read_expect(&object, CKA_EC_PARAMS, p256_oid, sizeof(p256_oid));
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

/* ---- template values -> KMIP objects ---- */

static void rsa_public_key_is_registered_as_pkcs1(void **state)
{
    EVP_PKEY *key = EVP_RSA_gen(1024);
    BIGNUM *n = NULL;
    uint8_t modulus[128];
    CK_BYTE exponent[] = {1, 0, 1};
    CK_OBJECT_CLASS public_class = CKO_PUBLIC_KEY;
    CK_KEY_TYPE rsa = CKK_RSA;
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &public_class, sizeof(public_class)},
        {CKA_KEY_TYPE, &rsa, sizeof(rsa)},
        {CKA_MODULUS, modulus, sizeof(modulus)},
        {CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent)},
    };
    p11_import import;
    EVP_PKEY *back;

    (void)state;
    assert_true(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n));
    assert_int_equal(BN_bn2binpad(n, modulus, sizeof(modulus)),
                     sizeof(modulus));
    assert_int_equal(
        p11_import_build(templ, 4, CKO_PUBLIC_KEY, CKK_RSA, &import), CKR_OK);
    assert_int_equal(import.object.format, KMIP_KEY_FORMAT_TYPE_PKCS_1);
    assert_int_equal(import.object.length, 1024);
    back = p11_public_key_from_kmip(&import.object);
    assert_non_null(back);
    assert_int_equal(EVP_PKEY_eq(back, key), 1);
    EVP_PKEY_free(back);
    p11_import_clear(&import);
    BN_free(n);
    EVP_PKEY_free(key);
}

static void ec_private_key_is_registered_as_pkcs8(void **state)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    BIGNUM *d = NULL;
    uint8_t scalar[32];
    CK_ATTRIBUTE templ[] = {
        {CKA_EC_PARAMS, (void *)p256_oid, sizeof(p256_oid)},
        {CKA_VALUE, scalar, sizeof(scalar)},
    };
    p11_import import;
    const unsigned char *der;
    PKCS8_PRIV_KEY_INFO *info;

    (void)state;
    assert_true(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d));
    assert_int_equal(BN_bn2binpad(d, scalar, sizeof(scalar)), sizeof(scalar));
    assert_int_equal(
        p11_import_build(templ, 2, CKO_PRIVATE_KEY, CKK_EC, &import), CKR_OK);
    assert_int_equal(import.object.object_type, KMIP_OBJECT_TYPE_PRIVATE_KEY);
    assert_int_equal(import.object.format, KMIP_KEY_FORMAT_TYPE_PKCS_8);
    der = import.der;
    info = d2i_PKCS8_PRIV_KEY_INFO(NULL, &der, (long)import.der_len);
    assert_non_null(info);
    PKCS8_PRIV_KEY_INFO_free(info);
    p11_import_clear(&import);
    assert_null(import.der);
    BN_clear_free(d);
    EVP_PKEY_free(key);
}

static void ec_point_may_come_raw_or_as_der(void **state)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    uint8_t der[67] = {0x04, 0x41};
    size_t len;
    CK_ATTRIBUTE templ[] = {
        {CKA_EC_PARAMS, (void *)p256_oid, sizeof(p256_oid)},
        {CKA_EC_POINT, der, sizeof(der)},
    };
    p11_import import;

    (void)state;
    assert_true(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY,
                                                der + 2, 65, &len));
    assert_int_equal(
        p11_import_build(templ, 2, CKO_PUBLIC_KEY, CKK_EC, &import), CKR_OK);
    assert_int_equal(import.object.format, KMIP_KEY_FORMAT_TYPE_X_509);
    p11_import_clear(&import);
    templ[1].pValue = der + 2;
    templ[1].ulValueLen = 65;
    assert_int_equal(
        p11_import_build(templ, 2, CKO_PUBLIC_KEY, CKK_EC, &import), CKR_OK);
    p11_import_clear(&import);
    EVP_PKEY_free(key);
}

static void aes_key_of_20_bytes_is_attribute_value_invalid(void **state)
{
    uint8_t value[20] = {0};
    CK_ATTRIBUTE templ[] = {{CKA_VALUE, value, sizeof(value)}};
    p11_import import;

    (void)state;
    assert_int_equal(
        p11_import_build(templ, 1, CKO_SECRET_KEY, CKK_AES, &import),
        CKR_ATTRIBUTE_VALUE_INVALID);
    p11_import_clear(&import);
    assert_int_equal(
        p11_import_build(templ, 1, CKO_SECRET_KEY, CKK_GENERIC_SECRET, &import),
        CKR_OK);
    assert_int_equal(import.object.length, 160);
    p11_import_clear(&import);
}

/* ---- CKA_ID in x-pkcs11-id ---- */

static void id_round_trips_as_hex_text(void **state)
{
    const uint8_t id[] = {0x00, 0xab, 0x7f};
    kmip_item *attrs = kmip_attrs_new();
    const char *text;
    uint8_t *back = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(p11_id_attr_add(attrs, id, sizeof(id)));
    assert_int_equal(
        kmip_attrs_get_custom_text(attrs, P11_ID_ATTRIBUTE, &text, NULL),
        KMIP_OK);
    assert_string_equal(text, "00ab7f");
    assert_true(p11_id_attr_get(attrs, &back, &len));
    assert_int_equal(len, sizeof(id));
    assert_memory_equal(back, id, sizeof(id));
    free(back);
    kmip_item_free(attrs);
}

static void id_written_as_bytes_is_read_too(void **state)
{
    kmip_item *attrs = kmip_attrs_new();
    uint8_t *back = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(kmip_attrs_add_custom_bytes(
        attrs, P11_ID_ATTRIBUTE, (const uint8_t *)"\x01\x02", 2));
    assert_true(p11_id_attr_get(attrs, &back, &len));
    assert_int_equal(len, 2);
    assert_memory_equal(back, "\x01\x02", 2);
    free(back);
    kmip_item_free(attrs);
}

static void malformed_hex_id_is_absent(void **state)
{
    kmip_item *attrs = kmip_attrs_new();
    uint8_t *back = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(kmip_attrs_add_custom_text(attrs, P11_ID_ATTRIBUTE, "0g"));
    assert_false(p11_id_attr_get(attrs, &back, &len));
    assert_null(back);
    kmip_item_free(attrs);
}

static void public_key_id_falls_back_to_its_private_key(void **state)
{
    (void)state;
    assert_string_equal(p11_fallback_id_uid(CKO_PUBLIC_KEY, "pub", "priv"),
                        "priv");
    assert_string_equal(p11_fallback_id_uid(CKO_PUBLIC_KEY, "pub", NULL),
                        "pub");
    assert_string_equal(p11_fallback_id_uid(CKO_PRIVATE_KEY, "priv", "pub"),
                        "priv");
}

/* ---- Attribute arrays (attr_array.c) ---- */

/* An array packs, and reads back by the rules of arrays: its length,
 * the members' types and lengths, then their values. */
static void attribute_array_packs_and_reads_back(void **state)
{
    (void)state;
    CK_BBOOL yes = CK_TRUE;
    CK_ULONG aes = CKK_AES;
    CK_ATTRIBUTE array[] = {{CKA_ENCRYPT, &yes, sizeof(yes)},
                            {CKA_KEY_TYPE, &aes, sizeof(aes)}};
    uint8_t *packed = NULL;
    size_t len = 0;
    assert_int_equal(p11_attr_array_pack(array, sizeof(array), &packed, &len),
                     CKR_OK);
    CK_ATTRIBUTE read = {CKA_WRAP_TEMPLATE, NULL, 0};
    assert_int_equal(p11_attr_array_out(packed, len, &read), CKR_OK);
    assert_int_equal(read.ulValueLen, sizeof(array));
    CK_ATTRIBUTE members[2] = {{0, NULL, 0}, {0, NULL, 0}};
    read.pValue = members;
    read.ulValueLen = sizeof(CK_ATTRIBUTE);
    assert_int_equal(p11_attr_array_out(packed, len, &read),
                     CKR_BUFFER_TOO_SMALL);
    read.ulValueLen = sizeof(members);
    assert_int_equal(p11_attr_array_out(packed, len, &read), CKR_OK);
    assert_int_equal(members[1].type, CKA_KEY_TYPE);
    assert_int_equal(members[1].ulValueLen, sizeof(CK_ULONG));
    CK_BBOOL flag = CK_FALSE;
    CK_ULONG type = 0;
    uint8_t small[1];
    members[0].pValue = &flag;
    members[1].pValue = small;
    members[1].ulValueLen = sizeof(small);
    assert_int_equal(p11_attr_array_out(packed, len, &read),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(flag, CK_TRUE);
    assert_int_equal(members[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    members[1].pValue = &type;
    members[1].ulValueLen = sizeof(type);
    assert_int_equal(p11_attr_array_out(packed, len, &read), CKR_OK);
    assert_int_equal(type, CKK_AES);
    free(packed);
}

/* A length that is no whole array, an array member, a member without
 * its value, and packed bytes cut short are refused or end the walk. */
static void malformed_attribute_arrays_are_refused(void **state)
{
    (void)state;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE nested[] = {{CKA_WRAP_TEMPLATE, NULL, 0}};
    CK_ATTRIBUTE no_value[] = {{CKA_ENCRYPT, NULL, 1}};
    CK_ATTRIBUTE one[] = {{CKA_ENCRYPT, &yes, 1}};
    uint8_t *packed = NULL;
    size_t len = 0;
    assert_int_equal(p11_attr_array_pack(one, 5, &packed, &len),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(p11_attr_array_pack(nested, sizeof(nested), &packed, &len),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(
        p11_attr_array_pack(no_value, sizeof(no_value), &packed, &len),
        CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(p11_attr_array_pack(one, sizeof(one), &packed, &len),
                     CKR_OK);
    const uint8_t *walk = packed;
    size_t left = len - 1; /* the value's byte missing */
    CK_ATTRIBUTE member;
    assert_false(p11_attr_array_next(&walk, &left, &member));
    free(packed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reasons_map_through_the_table),
        cmocka_unit_test(unknown_reason_is_a_server_failure),
        cmocka_unit_test(template_may_only_repeat_what_is_read_back),
        cmocka_unit_test(unmapped_attributes_are_kept_as_given),
        cmocka_unit_test(certificate_fields_must_be_the_certificate_s),
        cmocka_unit_test(every_fixed_flag_is_accepted_only_as_read),
        cmocka_unit_test(transport_failures_are_device_errors),
        cmocka_unit_test(refusals_of_what_is_asked_are_unsupported),
        cmocka_unit_test(answers_say_what_failed),
        cmocka_unit_test(a_server_learns_each_fact_on_its_own),
        cmocka_unit_test(ec_public_key_shows_curve_and_point),
        cmocka_unit_test(rsa_public_key_shows_modulus_and_exponent),
        cmocka_unit_test(private_key_material_is_sensitive),
        cmocka_unit_test(secret_key_shows_its_length_not_its_value),
        cmocka_unit_test(attribute_table_names_the_kmip_attribute),
        cmocka_unit_test(rsa_public_key_is_registered_as_pkcs1),
        cmocka_unit_test(ec_private_key_is_registered_as_pkcs8),
        cmocka_unit_test(ec_point_may_come_raw_or_as_der),
        cmocka_unit_test(aes_key_of_20_bytes_is_attribute_value_invalid),
        cmocka_unit_test(id_round_trips_as_hex_text),
        cmocka_unit_test(attribute_array_packs_and_reads_back),
        cmocka_unit_test(malformed_attribute_arrays_are_refused),
        cmocka_unit_test(id_written_as_bytes_is_read_too),
        cmocka_unit_test(malformed_hex_id_is_absent),
        cmocka_unit_test(public_key_id_falls_back_to_its_private_key),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
