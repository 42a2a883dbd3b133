// SPDX-License-Identifier: Apache-2.0
/* Public material through p11kmip-pkcs11.so (attrs_fixture.h): loading
 * keeps every object's, imported and generated private keys keep their
 * public half, a private key shows its pair's public attributes. argv[1]
 * names the server with_server.py started ("kmipd" or "pykmip"). */
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
#include "p256.h"

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

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        T(private_key_shows_its_pair_s_public_attributes),
    };
    const struct CMUnitTest kmipd_only[] = {
        T(destroyed_link_does_not_drop_later_public_material),
        T(imported_private_keys_keep_their_public_half),
        T(generated_private_keys_keep_their_public_half),
    };

    return attrs_main(argc, argv, TEST_GROUP(every_server),
                      TEST_GROUP(kmipd_only), NO_TEST_GROUP);
}
