// SPDX-License-Identifier: Apache-2.0
/* Templates as tools write them through p11kmip-pkcs11.so
 * (attrs_fixture.h): what KMIP has no place for is kept in x-pkcs11-attrs
 * on kmipd and read back by another module; PyKMIP, without custom
 * attributes, refuses it. argv[1] names the server with_server.py started
 * ("kmipd" or "pykmip"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "attrs_fixture.h"
#include "test_cert.h"

/* ---- templates as tools write them: what KMIP has no place for ---- */

/* Each attribute of templ[from..count) reads back as given. */
static void expect_as_given(CK_OBJECT_HANDLE object, const CK_ATTRIBUTE *templ,
                            CK_ULONG from, CK_ULONG count)
{
    for (CK_ULONG i = from; i < count; i++) {
        uint8_t value[2048];
        CK_ATTRIBUTE read = {templ[i].type, value, sizeof(value)};

        assert_int_equal(p11->C_GetAttributeValue(session, object, &read, 1),
                         CKR_OK);
        if (read.ulValueLen != templ[i].ulValueLen ||
            memcmp(value, templ[i].pValue, read.ulValueLen) != 0)
            fail_msg("attribute 0x%lx does not read back as given",
                     templ[i].type);
    }
}

/* Creates templ, checks it reads back, and again from a fresh module
 * (found by class and label); destroys it. */
static void kept_across_modules(CK_ATTRIBUTE *templ, CK_ULONG count,
                                void **state)
{
    CK_OBJECT_HANDLE object;
    CK_ULONG n = 0;

    assert_int_equal(p11->C_CreateObject(session, templ, count, &object),
                     CKR_OK);
    expect_as_given(object, templ, 2, count);
    assert_int_equal(teardown(state), 0);
    assert_int_equal(setup(state), 0);
    assert_int_equal(p11->C_FindObjectsInit(session, templ, 2), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, &object, 1, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    assert_int_equal(n, 1);
    expect_as_given(object, templ, 2, count);
    assert_int_equal(p11->C_DestroyObject(session, object), CKR_OK);
}

static void data_object_keeps_application_and_object_id(void **state)
{
    static const CK_BYTE oid[] = {0x06, 0x03, 0x2a, 0x03, 0x04};
    CK_OBJECT_CLASS data = CKO_DATA;
    const char *label = new_label();
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &data, sizeof(data)},
        {CKA_LABEL, (void *)label, strlen(label)},
        {CKA_VALUE, "payload", 7},
        {CKA_APPLICATION, "attrs-app", 9},
        {CKA_OBJECT_ID, (void *)oid, sizeof(oid)},
    };

    kept_across_modules(templ, 5, state);
}

/* The certificate attributes libp11, pkcs11-tool, NSS and Java write. */
static void certificate_keeps_what_tools_write(void **state)
{
    CK_OBJECT_CLASS cert_class = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_ULONG category = 1, midp = 2, name_hash = CKM_SHA256;
    CK_BYTE hash[32] = {1, 2, 3}, check[3];
    const char *label = new_label();
    uint8_t *der;
    int len = test_self_signed_cert("attrs", &der);
    uint8_t digest[20];
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &cert_class, sizeof(cert_class)},
        {CKA_LABEL, (void *)label, strlen(label)},
        {CKA_CERTIFICATE_TYPE, &x509, sizeof(x509)},
        {CKA_VALUE, der, (CK_ULONG)len},
        {CKA_CERTIFICATE_CATEGORY, &category, sizeof(category)},
        {CKA_CHECK_VALUE, check, sizeof(check)},
        {CKA_URL, "https://example.test/c", 22},
        {CKA_HASH_OF_SUBJECT_PUBLIC_KEY, hash, sizeof(hash)},
        {CKA_HASH_OF_ISSUER_PUBLIC_KEY, hash, sizeof(hash)},
        {CKA_NAME_HASH_ALGORITHM, &name_hash, sizeof(name_hash)},
        {CKA_JAVA_MIDP_SECURITY_DOMAIN, &midp, sizeof(midp)},
    };

    SHA1(der, (size_t)len, digest);
    memcpy(check, digest, sizeof(check));
    kept_across_modules(templ, 11, state);
    OPENSSL_free(der);
}

/* A key that is not modifiable, with dates: kept, and enforced. */
static void key_keeps_dates_and_modifiable(void **state)
{
    CK_ATTRIBUTE templ[] = {{CKA_MODIFIABLE, &no, 1},
                            {CKA_START_DATE, "20260101", 8},
                            {CKA_END_DATE, "20301231", 8}};
    CK_OBJECT_HANDLE key = aes_key(templ, 3);
    const char *label = "renamed";
    CK_ATTRIBUTE rename = {CKA_LABEL, (void *)label, strlen(label)};

    (void)state;
    expect_as_given(key, templ, 0, 3);
    assert_int_equal(p11->C_SetAttributeValue(session, key, &rename, 1),
                     CKR_ACTION_PROHIBITED);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

static void key_pair_keeps_recover_flags(void **state)
{
    CK_ULONG bits = 2048;
    CK_ATTRIBUTE pub[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                          {CKA_VERIFY_RECOVER, &yes, 1}};
    CK_ATTRIBUTE priv[] = {{CKA_SIGN_RECOVER, &yes, 1}};
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE keys[2];

    (void)state;
    assert_int_equal(p11->C_GenerateKeyPair(session, &mechanism, pub, 2, priv,
                                            1, &keys[0], &keys[1]),
                     CKR_OK);
    expect_as_given(keys[0], pub, 1, 2);
    expect_as_given(keys[1], priv, 0, 1);
    assert_int_equal(p11->C_DestroyObject(session, keys[0]), CKR_OK);
    assert_int_equal(p11->C_DestroyObject(session, keys[1]), CKR_OK);
}

/* PyKMIP keeps no custom attribute: such a template is refused, the
 * default taken. */
static void server_without_custom_attributes_refuses_them(void **state)
{
    CK_OBJECT_CLASS data = CKO_DATA;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &data, sizeof(data)},
                            {CKA_VALUE, "payload", 7},
                            {CKA_APPLICATION, "attrs-app", 9}};
    CK_OBJECT_HANDLE object;

    (void)state;
    assert_int_equal(p11->C_CreateObject(session, templ, 3, &object),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    templ[2].ulValueLen = 0;
    assert_int_equal(p11->C_CreateObject(session, templ, 3, &object), CKR_OK);
    assert_int_equal(p11->C_DestroyObject(session, object), CKR_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest kmipd_only[] = {
        T(data_object_keeps_application_and_object_id),
        T(certificate_keeps_what_tools_write),
        T(key_keeps_dates_and_modifiable),
        T(key_pair_keeps_recover_flags),
    };
    const struct CMUnitTest pykmip_only[] = {
        T(server_without_custom_attributes_refuses_them),
    };

    return attrs_main(argc, argv, NO_TEST_GROUP, TEST_GROUP(kmipd_only),
                      TEST_GROUP(pykmip_only));
}
