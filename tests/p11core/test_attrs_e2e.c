/* SPDX-License-Identifier: Apache-2.0 */
/* Attributes as the server holds them: keys made through
 * p11kmip-pkcs11.so (dlopen) read back with C_GetAttributeValue and
 * compared with what a plain KMIP client of the same certificate gets
 * (tests/kmipd/e2e.c). argv[1] names the server with_server.py started:
 * "kmipd" (keeps and enforces Sensitive and Extractable) or "pykmip"
 * (exports every key to its owner). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <p11-kit/pkcs11.h>

#include "by_server.h"
#include "e2e.h"
#include "test_cert.h"
#include "kmip/attrs.h"
#include "kmip/tags.h"
#include "module_load.h"
#include "p256.h"

static CK_FUNCTION_LIST_PTR p11;
static CK_SESSION_HANDLE session;
static kmip_client *plain;
static bool pykmip;

static CK_BBOOL yes = CK_TRUE;
static CK_BBOOL no = CK_FALSE;

/* ---- the module and a plain client of the same certificate ---- */

static int setup(void **state)
{
    (void)state;
    if (p11->C_Initialize(NULL) != CKR_OK ||
        p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
                           &session) != CKR_OK)
        return -1;
    /* PyKMIP's 2.0 is partial: both speak 1.4. */
    plain = e2e_client(KMIP_VERSION(1, 4), false);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kmip_client_free(plain);
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : -1;
}

/* A label no other run uses: the plain client finds keys by it. */
static const char *new_label(void)
{
    static char label[64];
    static unsigned count;

    snprintf(label, sizeof(label), "attrs-%ld-%u", (long)getpid(), ++count);
    return label;
}

/* The KMIP Unique Identifier of key, located by its label and class;
 * without a label, its CKA_ID (a key made without x-pkcs11-id). */
static char *uid_of(CK_OBJECT_HANDLE key)
{
    static char uid[128];
    char label[64] = {0};
    CK_OBJECT_CLASS object_class;
    CK_ATTRIBUTE read[] = {{CKA_LABEL, label, sizeof(label) - 1},
                           {CKA_CLASS, &object_class, sizeof(object_class)}};
    kmip_item *filter = kmip_attrs_new();
    kmip_locate_args args = {.attributes = filter};
    kmip_locate_result result;
    kmip_response *resp;

    assert_int_equal(p11->C_GetAttributeValue(session, key, read, 2), CKR_OK);
    if (label[0] == '\0') { /* a secret key of a plain client: CKA_ID */
        CK_ATTRIBUTE id = {CKA_ID, uid, sizeof(uid) - 1};

        kmip_item_free(filter);
        assert_int_equal(p11->C_GetAttributeValue(session, key, &id, 1),
                         CKR_OK);
        uid[id.ulValueLen] = '\0';
        return uid;
    }
    kmip_attrs_add_name(filter, label);
    kmip_attrs_add_object_type(filter, object_class == CKO_PUBLIC_KEY
                                           ? KMIP_OBJECT_TYPE_PUBLIC_KEY
                                       : object_class == CKO_PRIVATE_KEY
                                           ? KMIP_OBJECT_TYPE_PRIVATE_KEY
                                           : KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    resp = e2e_call(plain, KMIP_OPERATION_LOCATE,
                    kmip_locate_request(KMIP_VERSION(1, 4), &args));
    kmip_item_free(filter);
    assert_int_equal(
        kmip_locate_response(resp->items[0].payload, &result, NULL), KMIP_OK);
    assert_int_equal(result.uids.count, 1);
    snprintf(uid, sizeof(uid), "%s",
             (const char *)result.uids.first->v.bytes.data);
    kmip_response_free(resp);
    return uid;
}

/* The attributes tags of uid as the plain client gets them (canonical
 * set, free with kmip_item_free). */
static kmip_item *server_attrs(const char *uid, const uint32_t *tags, size_t n)
{
    kmip_response *resp = e2e_call(
        plain, KMIP_OPERATION_GET_ATTRIBUTES,
        kmip_get_attributes_request(KMIP_VERSION(1, 4), uid, tags, n, NULL, 0));
    kmip_get_attributes_result result;
    kmip_item *attrs = NULL;

    assert_int_equal(
        kmip_get_attributes_response(resp->items[0].payload, &result, NULL),
        KMIP_OK);
    assert_int_equal(kmip_attrs_decode(result.attributes, &attrs, NULL),
                     KMIP_OK);
    kmip_response_free(resp);
    return attrs;
}

/* The key of class whose CKA_ID is id (a key without x-pkcs11-id: its
 * private key's uid), or CK_INVALID_HANDLE. */
static CK_OBJECT_HANDLE find_by_id(CK_OBJECT_CLASS object_class, const char *id)
{
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &object_class, sizeof(object_class)},
                            {CKA_ID, (void *)id, strlen(id)}};
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_ULONG n = 0;

    assert_int_equal(p11->C_FindObjectsInit(session, templ, 2), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, &found, 1, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    return n == 1 ? found : CK_INVALID_HANDLE;
}

static CK_OBJECT_HANDLE aes_key(CK_ATTRIBUTE *extra, CK_ULONG n)
{
    CK_ULONG len = 16;
    const char *label = new_label();
    CK_ATTRIBUTE templ[10] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                              {CKA_LABEL, (void *)label, strlen(label)}};
    CK_MECHANISM mechanism = {CKM_AES_KEY_GEN, NULL, 0};
    CK_OBJECT_HANDLE key;

    assert_true(n < 9);
    if (n > 0)
        memcpy(&templ[2], extra, n * sizeof(*extra));
    assert_int_equal(
        p11->C_GenerateKey(session, &mechanism, templ, n + 2, &key), CKR_OK);
    return key;
}

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

/* ---- usage: every flag read back equals the server's usage mask ---- */

static const struct {
    CK_ATTRIBUTE_TYPE type;
    uint32_t bits; /* of a secret key */
} usages[] = {
    {CKA_ENCRYPT, KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT},
    {CKA_DECRYPT, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT},
    {CKA_WRAP, KMIP_CRYPTOGRAPHIC_USAGE_MASK_WRAP_KEY},
    {CKA_UNWRAP, KMIP_CRYPTOGRAPHIC_USAGE_MASK_UNWRAP_KEY},
    {CKA_SIGN, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN |
                   KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE},
    {CKA_VERIFY, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY |
                     KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY},
    {CKA_DERIVE, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DERIVE_KEY},
};

#define USAGES (sizeof(usages) / sizeof(usages[0]))

static uint32_t server_usage(CK_OBJECT_HANDLE key)
{
    static const uint32_t tag = KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK;
    kmip_item *attrs = server_attrs(uid_of(key), &tag, 1);
    uint32_t mask = 0;

    assert_int_equal(kmip_attrs_get_usage_mask(attrs, &mask, NULL), KMIP_OK);
    kmip_item_free(attrs);
    return mask;
}

static uint32_t bits_of(CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < USAGES; i++)
        if (usages[i].type == type)
            return usages[i].bits;
    return 0;
}

/* Each of the n usage flags of key reads true for on alone, and the
 * server's mask holds exactly that. */
static void expect_usage(CK_OBJECT_HANDLE key, const CK_ATTRIBUTE_TYPE *flags,
                         size_t n, CK_ATTRIBUTE_TYPE on)
{
    uint32_t mask = server_usage(key);

    for (size_t i = 0; i < n; i++) {
        CK_BBOOL value;
        CK_ATTRIBUTE read = {flags[i], &value, 1};
        bool want = flags[i] == on;

        assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1),
                         CKR_OK);
        if (value != want || ((mask & bits_of(flags[i])) != 0) != want)
            fail_msg("with 0x%lx alone, 0x%lx reads %d, the server's mask "
                     "is 0x%x",
                     on, flags[i], value, mask);
    }
}

/* Fills templ with flags, on alone true. */
static void usage_template(CK_ATTRIBUTE *templ, const CK_ATTRIBUTE_TYPE *flags,
                           size_t n, CK_ATTRIBUTE_TYPE on)
{
    for (size_t i = 0; i < n; i++)
        templ[i] = (CK_ATTRIBUTE){flags[i], flags[i] == on ? &yes : &no, 1};
}

static void each_secret_key_usage_alone(void **state)
{
    CK_ATTRIBUTE_TYPE flags[USAGES];

    (void)state;
    for (size_t i = 0; i < USAGES; i++)
        flags[i] = usages[i].type;
    for (size_t on = 0; on < USAGES; on++) {
        CK_ATTRIBUTE templ[USAGES];
        CK_OBJECT_HANDLE key;

        usage_template(templ, flags, USAGES, flags[on]);
        key = aes_key(templ, USAGES);
        expect_usage(key, flags, USAGES, flags[on]);
        assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
    }
}

/* Key pairs: each public usage with its private counterpart. */
static void each_key_pair_usage_alone(void **state)
{
    static const CK_ATTRIBUTE_TYPE pairs[][2] = {
        {CKA_ENCRYPT, CKA_DECRYPT},
        {CKA_VERIFY, CKA_SIGN},
        {CKA_WRAP, CKA_UNWRAP},
    };
    static const CK_ATTRIBUTE_TYPE flags[2][4] = {
        {CKA_ENCRYPT, CKA_VERIFY, CKA_WRAP, CKA_DERIVE},
        {CKA_DECRYPT, CKA_SIGN, CKA_UNWRAP, CKA_DERIVE},
    };
    CK_ULONG bits = 2048;
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};

    (void)state;
    for (size_t p = 0; p < 3; p++) {
        const char *label = new_label();
        CK_ATTRIBUTE pub[6] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                               {CKA_LABEL, (void *)label, strlen(label)}};
        CK_ATTRIBUTE priv[5] = {{CKA_LABEL, (void *)label, strlen(label)}};
        CK_OBJECT_HANDLE keys[2];

        usage_template(&pub[2], flags[0], 4, pairs[p][0]);
        usage_template(&priv[1], flags[1], 4, pairs[p][1]);
        assert_int_equal(p11->C_GenerateKeyPair(session, &mechanism, pub, 6,
                                                priv, 5, &keys[0], &keys[1]),
                         CKR_OK);
        for (size_t k = 0; k < 2; k++) {
            expect_usage(keys[k], flags[k], 4, pairs[p][k]);
            assert_int_equal(p11->C_DestroyObject(session, keys[k]), CKR_OK);
        }
    }
}

/* ---- loading keeps every object's public material ---- */

/* Three pairs made by a plain client (no x-pkcs11-public-key), the first
 * and last without their public keys: loading every private key in one
 * batch, the Get of a destroyed public key must not cost the middle one
 * its modulus (kmipd stops a batch at a failed item). */
static void destroyed_link_does_not_drop_later_public_material(void **state)
{
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE by_class = {CKA_CLASS, &priv_class, sizeof(priv_class)};
    CK_OBJECT_HANDLE found[64];
    char *priv[3], *pub[3];
    CK_ULONG n = 0;
    CK_ATTRIBUTE modulus = {CKA_MODULUS, NULL, 0};

    for (size_t i = 0; i < 3; i++)
        e2e_create_pair(plain, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048,
                        KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
                        KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, &priv[i],
                        &pub[i]);
    for (size_t i = 0; i < 3; i += 2)
        assert_int_equal(
            p11->C_DestroyObject(session, find_by_id(CKO_PUBLIC_KEY, priv[i])),
            CKR_OK);
    /* A fresh module: nothing cached; every private key in one batch. */
    assert_int_equal(teardown(state), 0);
    assert_int_equal(setup(state), 0);
    assert_int_equal(p11->C_FindObjectsInit(session, &by_class, 1), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, found, 64, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    assert_true(n >= 3);
    assert_int_equal(
        p11->C_GetAttributeValue(session, find_by_id(CKO_PRIVATE_KEY, priv[1]),
                                 &modulus, 1),
        CKR_OK);
    assert_int_equal(modulus.ulValueLen, 256);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(
            p11->C_DestroyObject(session, find_by_id(CKO_PRIVATE_KEY, priv[i])),
            CKR_OK);
        free(priv[i]);
        free(pub[i]);
    }
}

/* ---- imported private keys keep their public half ---- */

/* A big number of key as big-endian bytes in out; its length. */
static CK_ULONG key_number(EVP_PKEY *key, const char *name, uint8_t *out)
{
    BIGNUM *bn = NULL;
    int len;

    assert_true(EVP_PKEY_get_bn_param(key, name, &bn));
    len = BN_bn2bin(bn, out);
    BN_clear_free(bn);
    return (CK_ULONG)len;
}

/* The template parts of a private key, by key type: EC (the scalar)
 * or RSA (every part, as the module imports RSA with its CRT values). */
static const struct {
    CK_KEY_TYPE key_type;
    CK_ATTRIBUTE_TYPE type;
    const char *param;
} private_parts[] = {
    {CKK_EC, CKA_VALUE, OSSL_PKEY_PARAM_PRIV_KEY},
    {CKK_RSA, CKA_MODULUS, OSSL_PKEY_PARAM_RSA_N},
    {CKK_RSA, CKA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E},
    {CKK_RSA, CKA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D},
    {CKK_RSA, CKA_PRIME_1, OSSL_PKEY_PARAM_RSA_FACTOR1},
    {CKK_RSA, CKA_PRIME_2, OSSL_PKEY_PARAM_RSA_FACTOR2},
    {CKK_RSA, CKA_EXPONENT_1, OSSL_PKEY_PARAM_RSA_EXPONENT1},
    {CKK_RSA, CKA_EXPONENT_2, OSSL_PKEY_PARAM_RSA_EXPONENT2},
    {CKK_RSA, CKA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
};

#define PARTS (sizeof(private_parts) / sizeof(private_parts[0]))

static CK_OBJECT_HANDLE import_private(EVP_PKEY *key, const char *label)
{
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_KEY_TYPE key_type = EVP_PKEY_is_a(key, "RSA") ? CKK_RSA : CKK_EC;
    uint8_t parts[PARTS][512];
    CK_ATTRIBUTE templ[PARTS + 4] = {
        {CKA_CLASS, &priv_class, sizeof(priv_class)},
        {CKA_KEY_TYPE, &key_type, sizeof(key_type)},
        {CKA_LABEL, (void *)label, strlen(label)},
        {CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
    };
    CK_ULONG n = key_type == CKK_EC ? 4 : 3;
    CK_OBJECT_HANDLE handle;

    for (size_t i = 0; i < PARTS; i++)
        if (private_parts[i].key_type == key_type)
            templ[n++] = (CK_ATTRIBUTE){
                private_parts[i].type, parts[i],
                key_number(key, private_parts[i].param, parts[i])};
    assert_int_equal(p11->C_CreateObject(session, templ, n, &handle), CKR_OK);
    return handle;
}

/* key's CKA_PUBLIC_KEY_INFO is the SubjectPublicKeyInfo of expected. */
static void expect_public_half(CK_OBJECT_HANDLE key, EVP_PKEY *expected)
{
    uint8_t info[1024], *der = NULL;
    CK_ATTRIBUTE read = {CKA_PUBLIC_KEY_INFO, info, sizeof(info)};
    int len = i2d_PUBKEY(expected, &der);

    assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1), CKR_OK);
    assert_int_equal(read.ulValueLen, len);
    assert_memory_equal(info, der, (size_t)len);
    OPENSSL_free(der);
}

static CK_OBJECT_HANDLE find_private(const char *label)
{
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &priv_class, sizeof(priv_class)},
                            {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0;

    assert_int_equal(p11->C_FindObjectsInit(session, templ, 2), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, found, 2, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    assert_int_equal(n, 1);
    return found[0];
}

/* A private key imported alone (no public key object) shows its public
 * attributes, also to a module that did not import it. */
static void imported_private_keys_keep_their_public_half(void **state)
{
    EVP_PKEY *keys[2] = {EVP_RSA_gen(2048), EVP_EC_gen("P-256")};
    char labels[2][64];

    for (size_t i = 0; i < 2; i++) {
        snprintf(labels[i], sizeof(labels[i]), "%s", new_label());
        expect_public_half(import_private(keys[i], labels[i]), keys[i]);
    }
    assert_int_equal(teardown(state), 0);
    assert_int_equal(setup(state), 0);
    for (size_t i = 0; i < 2; i++) {
        CK_OBJECT_HANDLE key = find_private(labels[i]);

        expect_public_half(key, keys[i]);
        assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
        EVP_PKEY_free(keys[i]);
    }
}

/* Generated pairs too: the private key shows its public attributes after
 * its public key is destroyed. */
static void generated_private_keys_keep_their_public_half(void **state)
{
    CK_ULONG bits = 2048;
    CK_MECHANISM mechanisms[2] = {{CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0},
                                  {CKM_EC_KEY_PAIR_GEN, NULL, 0}};
    CK_ATTRIBUTE sizes[2] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                             {CKA_EC_PARAMS, (void *)p256, sizeof(p256)}};
    char labels[2][64];
    uint8_t infos[2][1024];
    CK_ULONG info_lens[2];

    for (size_t i = 0; i < 2; i++) {
        CK_OBJECT_HANDLE pub, priv;
        CK_ATTRIBUTE label = {CKA_LABEL, labels[i], 0};
        CK_ATTRIBUTE pub_templ[2] = {sizes[i], label};
        CK_ATTRIBUTE info = {CKA_PUBLIC_KEY_INFO, infos[i], sizeof(infos[i])};

        snprintf(labels[i], sizeof(labels[i]), "%s", new_label());
        pub_templ[1].ulValueLen = strlen(labels[i]);
        label.ulValueLen = strlen(labels[i]);
        assert_int_equal(p11->C_GenerateKeyPair(session, &mechanisms[i],
                                                pub_templ, 2, &label, 1, &pub,
                                                &priv),
                         CKR_OK);
        assert_int_equal(p11->C_GetAttributeValue(session, pub, &info, 1),
                         CKR_OK);
        info_lens[i] = info.ulValueLen;
        assert_int_equal(p11->C_DestroyObject(session, pub), CKR_OK);
    }
    assert_int_equal(teardown(state), 0);
    assert_int_equal(setup(state), 0);
    for (size_t i = 0; i < 2; i++) {
        uint8_t read[1024];
        CK_ATTRIBUTE info = {CKA_PUBLIC_KEY_INFO, read, sizeof(read)};
        CK_OBJECT_HANDLE key = find_private(labels[i]);

        assert_int_equal(p11->C_GetAttributeValue(session, key, &info, 1),
                         CKR_OK);
        assert_int_equal(info.ulValueLen, info_lens[i]);
        assert_memory_equal(read, infos[i], info_lens[i]);
        assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
    }
}

/* Every server: a fresh module shows a generated private key's public
 * attributes (kmipd: its own copy; PyKMIP, which keeps neither Link nor
 * custom attributes: the only public key of its label). */
static void private_key_shows_its_pair_s_public_attributes(void **state)
{
    const char *label = new_label();
    CK_ULONG bits = 2048;
    CK_ATTRIBUTE pub_templ[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                                {CKA_LABEL, (void *)label, strlen(label)}};
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE pub, priv;
    uint8_t expected[1024], read[1024];
    CK_ATTRIBUTE info = {CKA_PUBLIC_KEY_INFO, expected, sizeof(expected)};
    CK_ATTRIBUTE again = {CKA_PUBLIC_KEY_INFO, read, sizeof(read)};

    assert_int_equal(p11->C_GenerateKeyPair(session, &mechanism, pub_templ, 2,
                                            &pub_templ[1], 1, &pub, &priv),
                     CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(session, pub, &info, 1), CKR_OK);
    assert_int_equal(teardown(state), 0);
    assert_int_equal(setup(state), 0);
    priv = find_private(label);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &again, 1),
                     CKR_OK);
    assert_int_equal(again.ulValueLen, info.ulValueLen);
    assert_memory_equal(read, expected, info.ulValueLen);
    assert_int_equal(p11->C_DestroyObject(session, priv), CKR_OK);
}

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

/* ---- the module ---- */

#define T(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        T(each_secret_key_usage_alone),
        T(each_key_pair_usage_alone),
        T(private_key_shows_its_pair_s_public_attributes),
    };
    const struct CMUnitTest kmipd_only[] = {
        T(generated_aes_key_is_not_exported_by_a_plain_get),
        T(imported_aes_key_is_sensitive_but_not_always),
        T(export_control_only_tightens),
        T(key_becomes_sensitive_and_unextractable),
        T(destroyed_link_does_not_drop_later_public_material),
        T(imported_private_keys_keep_their_public_half),
        T(generated_private_keys_keep_their_public_half),
        T(data_object_keeps_application_and_object_id),
        T(certificate_keeps_what_tools_write),
        T(key_keeps_dates_and_modifiable),
        T(key_pair_keeps_recover_flags),
    };
    const struct CMUnitTest pykmip_only[] = {
        T(exported_key_is_shown_as_not_sensitive),
        T(server_without_custom_attributes_refuses_them),
    };

    if (argc != 2)
        return 1;
    pykmip = strcmp(argv[1], "pykmip") == 0;
    p11 = module_load_one_slot("attrs");
    if (p11 == NULL)
        return 1;
    return run_by_server(argv[1], TEST_GROUP(every_server),
                         TEST_GROUP(kmipd_only), TEST_GROUP(pykmip_only));
}
