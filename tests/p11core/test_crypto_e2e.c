/* SPDX-License-Identifier: Apache-2.0 */
/* Digests, random bytes and key derivation end to end: p11kmip-pkcs11.so
 * (crypto_fixture.h) against the server with_server.py started, argv[1]
 * naming it ("kmipd" or "pykmip"): SHA-256 and multi-part SHA-1 against the
 * FIPS vectors and C_GenerateRandom on both; X25519 derivation like
 * OpenSSL's on kmipd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

#include "by_server.h"
#include "crypto_fixture.h"

static void sha256_digest_of_abc_is_the_fips_vector(void **state)
{
    (void)state;
    static const uint8_t expected[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    CK_MECHANISM mechanism = {CKM_SHA256, NULL, 0};
    uint8_t digest[32];
    CK_ULONG digest_len = sizeof(digest);
    assert_int_equal(p11->C_DigestInit(session, &mechanism), CKR_OK);
    assert_int_equal(
        p11->C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &digest_len),
        CKR_OK);
    assert_int_equal(digest_len, 32);
    assert_memory_equal(digest, expected, 32);
}

static void sha1_multi_part_digest_is_the_fips_vector(void **state)
{
    (void)state;
    static const uint8_t expected[20] = {
        0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
        0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
    CK_MECHANISM mechanism = {CKM_SHA_1, NULL, 0};
    uint8_t digest[20];
    CK_ULONG digest_len = sizeof(digest);
    assert_int_equal(p11->C_DigestInit(session, &mechanism), CKR_OK);
    assert_int_equal(p11->C_DigestUpdate(session, (CK_BYTE_PTR) "a", 1),
                     CKR_OK);
    assert_int_equal(p11->C_DigestUpdate(session, (CK_BYTE_PTR) "bc", 2),
                     CKR_OK);
    assert_int_equal(p11->C_DigestFinal(session, digest, &digest_len), CKR_OK);
    assert_memory_equal(digest, expected, 20);
}

static void random_bytes_differ_and_seeding_is_not_supported(void **state)
{
    (void)state;
    uint8_t first[32] = {0}, second[32] = {0};
    assert_int_equal(p11->C_GenerateRandom(session, first, sizeof(first)),
                     CKR_OK);
    assert_int_equal(p11->C_GenerateRandom(session, second, sizeof(second)),
                     CKR_OK);
    assert_memory_not_equal(first, second, sizeof(first));
    assert_int_equal(p11->C_SeedRandom(session, first, sizeof(first)),
                     CKR_RANDOM_SEED_NOT_SUPPORTED);
}

/* X25519 (PKCS#11 3.0 values, which p11-kit's header lacks). */
#define CKK_X25519 0x41UL                /* CKK_EC_MONTGOMERY */
#define CKM_X25519_KEY_PAIR_GEN 0x1056UL /* CKM_EC_MONTGOMERY_... */
static const CK_BYTE x25519_oid[] = {0x06, 0x03, 0x2b, 0x65, 0x6e};

/* The shared secret private_key derives with peer (CKM_ECDH1_DERIVE, no
 * KDF, a readable generic secret), into out. */
static void derive_with(CK_OBJECT_HANDLE private_key, EVP_PKEY *peer,
                        uint8_t out[32])
{
    uint8_t peer_raw[32];
    size_t peer_len = sizeof(peer_raw);
    assert_int_equal(EVP_PKEY_get_raw_public_key(peer, peer_raw, &peer_len), 1);
    CK_ECDH1_DERIVE_PARAMS params = {CKD_NULL, 0, NULL, peer_len, peer_raw};
    CK_MECHANISM ecdh = {CKM_ECDH1_DERIVE, &params, sizeof(params)};
    CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
    CK_KEY_TYPE generic = CKK_GENERIC_SECRET;
    CK_ULONG len = 32;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &secret, sizeof(secret)},
                            {CKA_KEY_TYPE, &generic, sizeof(generic)},
                            {CKA_VALUE_LEN, &len, sizeof(len)},
                            {CKA_SENSITIVE, &no, sizeof(no)},
                            {CKA_EXTRACTABLE, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE derived;
    assert_int_equal(
        p11->C_DeriveKey(session, &ecdh, private_key, templ, 5, &derived),
        CKR_OK);
    CK_ATTRIBUTE value = {CKA_VALUE, out, 32};
    assert_int_equal(p11->C_GetAttributeValue(session, derived, &value, 1),
                     CKR_OK);
    assert_int_equal(value.ulValueLen, 32);
    params.public_data_len = 31;
    assert_int_equal(
        p11->C_DeriveKey(session, &ecdh, private_key, templ, 5, &derived),
        CKR_MECHANISM_PARAM_INVALID);
}

/* OpenSSL's X25519 agreement of own with the raw public key pub. */
static void local_x25519(EVP_PKEY *own, const uint8_t *pub, uint8_t out[32])
{
    EVP_PKEY *peer =
        EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, pub, 32);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(own, NULL);
    size_t len = 32;
    assert_non_null(peer);
    assert_int_equal(EVP_PKEY_derive_init(ctx), 1);
    assert_int_equal(EVP_PKEY_derive_set_peer(ctx, peer), 1);
    assert_int_equal(EVP_PKEY_derive(ctx, out, &len), 1);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
}

static void x25519_generated_and_imported_keys_derive_like_openssl(void **state)
{
    (void)state;
    CK_MECHANISM generate = {CKM_X25519_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pub_templ[] = {
        {CKA_EC_PARAMS, (void *)x25519_oid, sizeof(x25519_oid)}};
    CK_ATTRIBUTE priv_templ[] = {{CKA_DERIVE, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE public_key, private_key;
    assert_int_equal(p11->C_GenerateKeyPair(session, &generate, pub_templ, 1,
                                            priv_templ, 1, &public_key,
                                            &private_key),
                     CKR_OK);
    uint8_t point[34], got[32], want[32];
    CK_ATTRIBUTE ec_point = {CKA_EC_POINT, point, sizeof(point)};
    assert_int_equal(
        p11->C_GetAttributeValue(session, public_key, &ec_point, 1), CKR_OK);
    assert_int_equal(ec_point.ulValueLen, 34);
    EVP_PKEY *peer = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    local_x25519(peer, point + 2, want);
    derive_with(private_key, peer, got);
    assert_memory_equal(got, want, 32);

    uint8_t raw[32];
    size_t raw_len = sizeof(raw);
    EVP_PKEY *own = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    assert_int_equal(EVP_PKEY_get_raw_private_key(own, raw, &raw_len), 1);
    CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
    CK_KEY_TYPE x25519 = CKK_X25519;
    CK_ATTRIBUTE import[] = {
        {CKA_CLASS, &private_class, sizeof(private_class)},
        {CKA_KEY_TYPE, &x25519, sizeof(x25519)},
        {CKA_EC_PARAMS, (void *)x25519_oid, sizeof(x25519_oid)},
        {CKA_VALUE, raw, sizeof(raw)},
        {CKA_DERIVE, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE imported;
    assert_int_equal(p11->C_CreateObject(session, import, 5, &imported),
                     CKR_OK);
    uint8_t peer_raw[32];
    size_t peer_len = sizeof(peer_raw);
    assert_int_equal(EVP_PKEY_get_raw_public_key(peer, peer_raw, &peer_len), 1);
    local_x25519(own, peer_raw, want);
    derive_with(imported, peer, got);
    assert_memory_equal(got, want, 32);
    EVP_PKEY_free(own);
    EVP_PKEY_free(peer);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every[] = {
        cmocka_unit_test(sha256_digest_of_abc_is_the_fips_vector),
        cmocka_unit_test(sha1_multi_part_digest_is_the_fips_vector),
        cmocka_unit_test(random_bytes_differ_and_seeding_is_not_supported),
    };
    const struct CMUnitTest kmipd_only[] = {
        cmocka_unit_test(
            x25519_generated_and_imported_keys_derive_like_openssl),
    };

    if (load_module_for(argc, argv) == TEST_SERVER_NONE)
        return 1;
    return run_by_server_with(argv[1], open_session, close_session,
                              TEST_GROUP(every), TEST_GROUP(kmipd_only),
                              NO_TEST_GROUP);
}
