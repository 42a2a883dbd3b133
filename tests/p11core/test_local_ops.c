/* SPDX-License-Identifier: Apache-2.0 */
/* The operations that never reach a server, through p11kmip-pkcs11.so
 * (dlopen): digests against the FIPS 180 vectors, the output-buffer
 * convention, operation state errors, random bytes, and mechanism
 * information from the mechanism table. The configured server address
 * (127.0.0.1, port 9) is never contacted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "module_load.h"

#include <p11-kit/pkcs11.h>

static CK_FUNCTION_LIST_PTR p11;
static CK_SLOT_ID slot;
static CK_SESSION_HANDLE session;

static void digest_abc(CK_MECHANISM_TYPE type, const uint8_t *expected,
                       CK_ULONG expected_len)
{
    CK_MECHANISM mechanism = {type, NULL, 0};
    uint8_t digest[64];
    CK_ULONG digest_len = sizeof(digest);
    assert_int_equal(p11->C_DigestInit(session, &mechanism), CKR_OK);
    assert_int_equal(
        p11->C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &digest_len),
        CKR_OK);
    assert_int_equal(digest_len, expected_len);
    assert_memory_equal(digest, expected, expected_len);
}

static void sha224_of_abc(void **state)
{
    (void)state;
    static const uint8_t expected[] = {
        0x23, 0x09, 0x7d, 0x22, 0x34, 0x05, 0xd8, 0x22, 0x86, 0x42,
        0xa4, 0x77, 0xbd, 0xa2, 0x55, 0xb3, 0x2a, 0xad, 0xbc, 0xe4,
        0xbd, 0xa0, 0xb3, 0xf7, 0xe3, 0x6c, 0x9d, 0xa7};
    digest_abc(CKM_SHA224, expected, sizeof(expected));
}

static void sha384_of_abc(void **state)
{
    (void)state;
    static const uint8_t expected[] = {
        0xcb, 0x00, 0x75, 0x3f, 0x45, 0xa3, 0x5e, 0x8b, 0xb5, 0xa0, 0x3d, 0x69,
        0x9a, 0xc6, 0x50, 0x07, 0x27, 0x2c, 0x32, 0xab, 0x0e, 0xde, 0xd1, 0x63,
        0x1a, 0x8b, 0x60, 0x5a, 0x43, 0xff, 0x5b, 0xed, 0x80, 0x86, 0x07, 0x2b,
        0xa1, 0xe7, 0xcc, 0x23, 0x58, 0xba, 0xec, 0xa1, 0x34, 0xc8, 0x25, 0xa7};
    digest_abc(CKM_SHA384, expected, sizeof(expected));
}

static void sha512_of_abc(void **state)
{
    (void)state;
    static const uint8_t expected[] = {
        0xdd, 0xaf, 0x35, 0xa1, 0x93, 0x61, 0x7a, 0xba, 0xcc, 0x41, 0x73,
        0x49, 0xae, 0x20, 0x41, 0x31, 0x12, 0xe6, 0xfa, 0x4e, 0x89, 0xa9,
        0x7e, 0xa2, 0x0a, 0x9e, 0xee, 0xe6, 0x4b, 0x55, 0xd3, 0x9a, 0x21,
        0x92, 0x99, 0x2a, 0x27, 0x4f, 0xc1, 0xa8, 0x36, 0xba, 0x3c, 0x23,
        0xa3, 0xfe, 0xeb, 0xbd, 0x45, 0x4d, 0x44, 0x23, 0x64, 0x3c, 0xe8,
        0x0e, 0x2a, 0x9a, 0xc9, 0x4f, 0xa5, 0x4c, 0xa4, 0x9f};
    digest_abc(CKM_SHA512, expected, sizeof(expected));
}

static void
digest_length_query_and_short_buffer_keep_the_operation(void **state)
{
    (void)state;
    CK_MECHANISM mechanism = {CKM_SHA256, NULL, 0};
    uint8_t digest[32];
    CK_ULONG digest_len = 0;
    assert_int_equal(p11->C_DigestInit(session, &mechanism), CKR_OK);
    assert_int_equal(
        p11->C_Digest(session, (CK_BYTE_PTR) "abc", 3, NULL, &digest_len),
        CKR_OK);
    assert_int_equal(digest_len, 32);
    digest_len = 31;
    assert_int_equal(
        p11->C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &digest_len),
        CKR_BUFFER_TOO_SMALL);
    assert_int_equal(digest_len, 32);
    assert_int_equal(
        p11->C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &digest_len),
        CKR_OK);
    assert_int_equal(digest[0], 0xba);
    assert_int_equal(
        p11->C_Digest(session, (CK_BYTE_PTR) "abc", 3, digest, &digest_len),
        CKR_OPERATION_NOT_INITIALIZED);
}

static void second_digest_init_is_operation_active(void **state)
{
    (void)state;
    CK_MECHANISM mechanism = {CKM_SHA256, NULL, 0};
    uint8_t digest[32];
    CK_ULONG digest_len = sizeof(digest);
    assert_int_equal(p11->C_DigestInit(session, &mechanism), CKR_OK);
    assert_int_equal(p11->C_DigestInit(session, &mechanism),
                     CKR_OPERATION_ACTIVE);
    assert_int_equal(p11->C_DigestFinal(session, digest, &digest_len), CKR_OK);
}

static void single_part_digest_after_update_is_refused_and_ends_it(void **state)
{
    (void)state;
    CK_MECHANISM mechanism = {CKM_SHA_1, NULL, 0};
    uint8_t digest[20];
    CK_ULONG digest_len = sizeof(digest);
    assert_int_equal(p11->C_DigestInit(session, &mechanism), CKR_OK);
    assert_int_equal(p11->C_DigestUpdate(session, (CK_BYTE_PTR) "a", 1),
                     CKR_OK);
    assert_int_equal(
        p11->C_Digest(session, (CK_BYTE_PTR) "bc", 2, digest, &digest_len),
        CKR_OPERATION_ACTIVE);
    assert_int_equal(p11->C_DigestFinal(session, digest, &digest_len),
                     CKR_OPERATION_NOT_INITIALIZED);
}

static void digest_with_a_signature_mechanism_is_mechanism_invalid(void **state)
{
    (void)state;
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    assert_int_equal(p11->C_DigestInit(session, &mechanism),
                     CKR_MECHANISM_INVALID);
}

static void digest_with_a_parameter_is_param_invalid(void **state)
{
    (void)state;
    uint8_t param[4] = {0};
    CK_MECHANISM mechanism = {CKM_SHA256, param, sizeof(param)};
    assert_int_equal(p11->C_DigestInit(session, &mechanism),
                     CKR_MECHANISM_PARAM_INVALID);
}

static void digest_without_init_is_not_initialized(void **state)
{
    (void)state;
    uint8_t digest[32];
    CK_ULONG digest_len = sizeof(digest);
    assert_int_equal(p11->C_DigestFinal(session, digest, &digest_len),
                     CKR_OPERATION_NOT_INITIALIZED);
}

static void sign_without_init_is_not_initialized(void **state)
{
    (void)state;
    uint8_t signature[64];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(
        p11->C_Sign(session, (CK_BYTE_PTR) "abc", 3, signature, &signature_len),
        CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(p11->C_VerifyFinal(session, signature, signature_len),
                     CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(p11->C_DecryptFinal(session, signature, &signature_len),
                     CKR_OPERATION_NOT_INITIALIZED);
}

static void random_of_zero_bytes_is_ok_and_seed_is_not_supported(void **state)
{
    (void)state;
    uint8_t seed[8] = {0};
    assert_int_equal(p11->C_GenerateRandom(session, seed, 0), CKR_OK);
    assert_int_equal(p11->C_SeedRandom(session, seed, sizeof(seed)),
                     CKR_RANDOM_SEED_NOT_SUPPORTED);
    assert_int_equal(p11->C_GenerateRandom(session, NULL, 4),
                     CKR_ARGUMENTS_BAD);
}

/* C_GetMechanismInfo of type gives these sizes and flags. */
static void assert_info(CK_MECHANISM_TYPE type, CK_ULONG min, CK_ULONG max,
                        CK_FLAGS flags)
{
    CK_MECHANISM_INFO info;
    assert_int_equal(p11->C_GetMechanismInfo(slot, type, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, min);
    assert_int_equal(info.ulMaxKeySize, max);
    assert_int_equal(info.flags, flags);
}

static void ecdsa_info_gives_curve_bits_and_ec_flags(void **state)
{
    (void)state;
    assert_info(CKM_ECDSA_SHA384, 256, 521,
                CKF_HW | CKF_SIGN | CKF_VERIFY | CKF_EC_F_P |
                    CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS);
}

static void ecdh_and_montgomery_info_cover_x25519_and_x448(void **state)
{
    (void)state;
    assert_info(CKM_ECDH1_DERIVE, 255, 521,
                CKF_HW | CKF_DERIVE | CKF_EC_F_P | CKF_EC_NAMEDCURVE |
                    CKF_EC_UNCOMPRESS);
    assert_info(0x1056 /* CKM_EC_MONTGOMERY_KEY_PAIR_GEN */, 255, 448,
                CKF_HW | CKF_GENERATE_KEY_PAIR | CKF_EC_NAMEDCURVE);
}

/* The sizes kmipd takes (kmipd/crypto_keys.c, crypto_key_import.c): RSA
 * made of 2048 to 4096 bits and imported of 1024 to 8192, AES keys of 16
 * to 32 bytes, HMAC and generic secrets of 1 to 512 bytes, EC P-256 to
 * P-521, Ed25519 / X25519 to Ed448 / X448. */
static void key_sizes_are_what_kmipd_takes(void **state)
{
    (void)state;
    static const struct {
        CK_MECHANISM_TYPE type;
        CK_ULONG min, max;
    } sizes[] = {
        {CKM_RSA_PKCS_KEY_PAIR_GEN, 2048, 4096},
        {CKM_RSA_PKCS, 1024, 8192},
        {CKM_AES_KEY_GEN, 16, 32},
        {CKM_GENERIC_SECRET_KEY_GEN, 1, 512},
        {CKM_SHA256_HMAC_GENERAL, 1, 512},
        {CKM_EC_KEY_PAIR_GEN, 256, 521},
        {0x1055 /* CKM_EC_EDWARDS_KEY_PAIR_GEN */, 255, 448},
        {0x1057 /* CKM_EDDSA */, 255, 448},
    };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        CK_MECHANISM_INFO info;
        assert_int_equal(p11->C_GetMechanismInfo(slot, sizes[i].type, &info),
                         CKR_OK);
        assert_int_equal(info.ulMinKeySize, sizes[i].min);
        assert_int_equal(info.ulMaxKeySize, sizes[i].max);
    }
}

static void aes_gcm_info_gives_key_bytes_and_cipher_flags(void **state)
{
    (void)state;
    assert_info(CKM_AES_GCM, 16, 32, CKF_HW | CKF_ENCRYPT | CKF_DECRYPT);
}

static void digest_info_has_only_the_digest_flag(void **state)
{
    (void)state;
    CK_MECHANISM_INFO info;
    assert_int_equal(p11->C_GetMechanismInfo(slot, CKM_SHA512, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_DIGEST);
}

static void mechanism_list_holds_every_table_entry(void **state)
{
    (void)state;
    CK_ULONG count = 0;
    assert_int_equal(p11->C_GetMechanismList(slot, NULL, &count), CKR_OK);
    /* 39, issue 13's five HMAC _GENERAL forms and CKM_RSA_X_509, the
     * two EdDSA mechanisms, CKM_EC_MONTGOMERY_KEY_PAIR_GEN and the two AES
     * key wraps. */
    assert_int_equal(count, 50);
}

static void key_wraps_wrap_and_unwrap_with_aes_keys(void **state)
{
    (void)state;
    CK_MECHANISM_INFO info;
    assert_int_equal(p11->C_GetMechanismInfo(slot, CKM_AES_KEY_WRAP_PAD, &info),
                     CKR_OK);
    assert_int_equal(info.flags, CKF_HW | CKF_WRAP | CKF_UNWRAP);
    assert_int_equal(info.ulMinKeySize, 16);
    assert_int_equal(info.ulMaxKeySize, 32);
    assert_int_equal(p11->C_GetMechanismInfo(slot, CKM_RSA_PKCS_OAEP, &info),
                     CKR_OK);
    assert_int_equal(info.flags, CKF_HW | CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP |
                                     CKF_UNWRAP);
}

static int open_session(void **state)
{
    (void)state;
    unsetenv("P11KMIP_CONFIG");
    setenv("P11KMIP_SERVER", "127.0.0.1:9", 1);
    setenv("P11KMIP_CA", "/nonexistent/ca.pem", 1);
    setenv("P11KMIP_CERT", "/nonexistent/cert.pem", 1);
    setenv("P11KMIP_KEY", "/nonexistent/key.pem", 1);
    CK_ULONG slot_count = 1;
    p11 = module_load();
    if (p11 == NULL || p11->C_Initialize(NULL) != CKR_OK ||
        p11->C_GetSlotList(CK_TRUE, &slot, &slot_count) != CKR_OK ||
        slot_count != 1 ||
        p11->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &session) !=
            CKR_OK)
        return -1;
    return 0;
}

static int close_session(void **state)
{
    (void)state;
    p11->C_CloseSession(session);
    p11->C_Finalize(NULL);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha224_of_abc),
        cmocka_unit_test(sha384_of_abc),
        cmocka_unit_test(sha512_of_abc),
        cmocka_unit_test(
            digest_length_query_and_short_buffer_keep_the_operation),
        cmocka_unit_test(second_digest_init_is_operation_active),
        cmocka_unit_test(
            single_part_digest_after_update_is_refused_and_ends_it),
        cmocka_unit_test(
            digest_with_a_signature_mechanism_is_mechanism_invalid),
        cmocka_unit_test(digest_with_a_parameter_is_param_invalid),
        cmocka_unit_test(digest_without_init_is_not_initialized),
        cmocka_unit_test(sign_without_init_is_not_initialized),
        cmocka_unit_test(random_of_zero_bytes_is_ok_and_seed_is_not_supported),
        cmocka_unit_test(ecdsa_info_gives_curve_bits_and_ec_flags),
        cmocka_unit_test(ecdh_and_montgomery_info_cover_x25519_and_x448),
        cmocka_unit_test(key_sizes_are_what_kmipd_takes),
        cmocka_unit_test(aes_gcm_info_gives_key_bytes_and_cipher_flags),
        cmocka_unit_test(digest_info_has_only_the_digest_flag),
        cmocka_unit_test(mechanism_list_holds_every_table_entry),
        cmocka_unit_test(key_wraps_wrap_and_unwrap_with_aes_keys),
    };
    return cmocka_run_group_tests(tests, open_session, close_session);
}
