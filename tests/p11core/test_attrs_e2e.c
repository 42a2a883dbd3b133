// SPDX-License-Identifier: Apache-2.0
/* Sensitive and Extractable as the server holds them: keys made through
 * p11kmip-pkcs11.so (attrs_fixture.h) read back with C_GetAttributeValue
 * and compared with what a plain KMIP client of the same certificate gets.
 * argv[1] names the server with_server.py started: "kmipd" (keeps and
 * enforces Sensitive and Extractable) or "pykmip" (exports every key to
 * its owner). */
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
#include "e2e.h"
#include "kmip/attrs.h"
#include "kmip/tags.h"

/* ---- Sensitive and Extractable ---- */

static const CK_ATTRIBUTE_TYPE export_flags[] = {CKA_SENSITIVE, CKA_EXTRACTABLE,
                                                 CKA_ALWAYS_SENSITIVE,
                                                 CKA_NEVER_EXTRACTABLE};
static const uint32_t export_tags[] = {KMIP_TAG_SENSITIVE, KMIP_TAG_EXTRACTABLE,
                                       KMIP_TAG_ALWAYS_SENSITIVE,
                                       KMIP_TAG_NEVER_EXTRACTABLE};

/* Reads the four flags of key through the module and, on kmipd, checks
 * the server holds the same. */
static void expect_export_flags(CK_OBJECT_HANDLE key, const bool expected[4])
{
    CK_BBOOL read[4];
    CK_ATTRIBUTE templ[4];
    kmip_item *attrs;

    for (size_t i = 0; i < 4; i++)
        templ[i] = (CK_ATTRIBUTE){export_flags[i], &read[i], 1};
    assert_int_equal(p11->C_GetAttributeValue(session, key, templ, 4), CKR_OK);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(read[i], expected[i]);
    if (pykmip)
        return;
    attrs = server_attrs(uid_of(key), export_tags, 4);
    for (size_t i = 0; i < 4; i++) {
        bool held;

        assert_int_equal(kmip_get_bool(attrs, export_tags[i], &held, NULL),
                         KMIP_OK);
        assert_int_equal(held, expected[i]);
    }
    kmip_item_free(attrs);
}

static void generated_aes_key_is_not_exported_by_a_plain_get(void **state)
{
    static const bool flags[4] = {true, false, true, true};
    CK_OBJECT_HANDLE key = aes_key(NULL, 0);
    kmip_get_args get = {.uid = uid_of(key)};
    kmip_client *old = e2e_client(KMIP_VERSION(1, 2), false);

    (void)state;
    expect_export_flags(key, flags);
    assert_int_equal(e2e_call_fails(plain, KMIP_OPERATION_GET,
                                    kmip_get_request(KMIP_VERSION(1, 4), &get)),
                     KMIP_RESULT_REASON_SENSITIVE);
    assert_int_equal(e2e_call_fails(old, KMIP_OPERATION_GET,
                                    kmip_get_request(KMIP_VERSION(1, 2), &get)),
                     KMIP_RESULT_REASON_PERMISSION_DENIED);
    kmip_client_free(old);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

static void imported_aes_key_is_sensitive_but_not_always(void **state)
{
    static const bool flags[4] = {true, false, false, false};
    CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_BYTE value[16] = {1, 2, 3};
    const char *label = new_label();
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &secret, sizeof(secret)},
                            {CKA_KEY_TYPE, &aes, sizeof(aes)},
                            {CKA_VALUE, value, sizeof(value)},
                            {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE key;
    kmip_get_args get = {0};

    (void)state;
    assert_int_equal(p11->C_CreateObject(session, templ, 4, &key), CKR_OK);
    expect_export_flags(key, flags);
    get.uid = uid_of(key);
    assert_int_equal(e2e_call_fails(plain, KMIP_OPERATION_GET,
                                    kmip_get_request(KMIP_VERSION(1, 4), &get)),
                     KMIP_RESULT_REASON_SENSITIVE);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

/* kmipd: Sensitive only turns on and Extractable only off, and Get
 * checks them as they are now. */
static void export_control_only_tightens(void **state)
{
    static const kmip_version v14 = KMIP_VERSION(1, 4);
    char *uid = e2e_create_key(plain, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 128,
                               KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT, false);
    kmip_get_args get = {.uid = uid};
    kmip_item *off = kmip_item_new_bool(KMIP_TAG_SENSITIVE, false);
    kmip_item *on = kmip_item_new_bool(KMIP_TAG_SENSITIVE, true);
    kmip_item *extractable = kmip_item_new_bool(KMIP_TAG_EXTRACTABLE, true);

    (void)state;
    /* Made by a plain client: exportable, and said so. */
    kmip_response_free(
        e2e_call(plain, KMIP_OPERATION_GET, kmip_get_request(v14, &get)));
    kmip_response_free(
        e2e_call(plain, KMIP_OPERATION_MODIFY_ATTRIBUTE,
                 kmip_modify_attribute_request(v14, uid, NULL, on)));
    assert_int_equal(
        e2e_call_fails(plain, KMIP_OPERATION_GET, kmip_get_request(v14, &get)),
        KMIP_RESULT_REASON_SENSITIVE);
    assert_int_equal(
        e2e_call_fails(plain, KMIP_OPERATION_MODIFY_ATTRIBUTE,
                       kmip_modify_attribute_request(v14, uid, NULL, off)),
        KMIP_RESULT_REASON_PERMISSION_DENIED);
    assert_int_equal(
        e2e_call_fails(plain, KMIP_OPERATION_DELETE_ATTRIBUTE,
                       kmip_delete_attribute_request(v14, uid, on)),
        KMIP_RESULT_REASON_PERMISSION_DENIED);
    /* Extractable may stay true: it does not loosen anything. */
    kmip_response_free(
        e2e_call(plain, KMIP_OPERATION_MODIFY_ATTRIBUTE,
                 kmip_modify_attribute_request(v14, uid, NULL, extractable)));
    kmip_item_free(off);
    kmip_item_free(on);
    kmip_item_free(extractable);
    free(uid);
}

/* A key made by a plain client is exportable, and shown so; the module
 * makes the one-way changes PKCS#11 allows, and the server keeps them. */
static void key_becomes_sensitive_and_unextractable(void **state)
{
    static const bool flags[4] = {true, false, false, false};
    char *uid = e2e_create_key(plain, KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, 128,
                               KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT, true);
    kmip_get_args get = {.uid = uid};
    CK_OBJECT_HANDLE key = find_by_id(CKO_SECRET_KEY, uid);
    CK_BBOOL sensitive = CK_TRUE, extractable = CK_FALSE;
    CK_ATTRIBUTE tighten[] = {{CKA_SENSITIVE, &sensitive, 1},
                              {CKA_EXTRACTABLE, &extractable, 1}};
    uint8_t value[16];
    CK_ATTRIBUTE read = {CKA_VALUE, value, sizeof(value)};

    (void)state;
    assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1), CKR_OK);
    assert_int_equal(p11->C_SetAttributeValue(session, key, tighten, 2),
                     CKR_OK);
    expect_export_flags(key, flags);
    assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1),
                     CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(e2e_call_fails(plain, KMIP_OPERATION_GET,
                                    kmip_get_request(KMIP_VERSION(1, 4), &get)),
                     KMIP_RESULT_REASON_SENSITIVE);
    sensitive = CK_FALSE;
    assert_int_equal(p11->C_SetAttributeValue(session, key, tighten, 1),
                     CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
    free(uid);
}

/* PyKMIP keeps no Extractable and hands every key to its owner: the
 * module says so. */
static void exported_key_is_shown_as_not_sensitive(void **state)
{
    static const bool flags[4] = {false, true, false, false};
    CK_ATTRIBUTE sensitive[] = {{CKA_SENSITIVE, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE key = aes_key(sensitive, 1);
    kmip_get_args get = {.uid = uid_of(key)};

    kmip_response *resp;
    kmip_get_result result;
    uint8_t value[32];
    CK_ATTRIBUTE read = {CKA_VALUE, value, sizeof(value)};

    (void)state;
    expect_export_flags(key, flags);
    resp = e2e_call(plain, KMIP_OPERATION_GET,
                    kmip_get_request(KMIP_VERSION(1, 4), &get));
    assert_int_equal(kmip_get_response(resp->items[0].payload, &result, NULL),
                     KMIP_OK);
    /* What the server exports, the module shows as CKA_VALUE. */
    assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1), CKR_OK);
    assert_int_equal(read.ulValueLen, 16);
    assert_int_equal(result.object.value.len, 16);
    assert_memory_equal(value, result.object.value.data, 16);
    kmip_response_free(resp);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest kmipd_only[] = {
        T(generated_aes_key_is_not_exported_by_a_plain_get),
        T(imported_aes_key_is_sensitive_but_not_always),
        T(export_control_only_tightens),
        T(key_becomes_sensitive_and_unextractable),
    };
    const struct CMUnitTest pykmip_only[] = {
        T(exported_key_is_shown_as_not_sensitive),
    };

    return attrs_main(argc, argv, NO_TEST_GROUP, TEST_GROUP(kmipd_only),
                      TEST_GROUP(pykmip_only));
}
