/* SPDX-License-Identifier: Apache-2.0 */
/* The cryptographic operations end to end: p11kmip-pkcs11.so, loaded
 * with dlopen like any application does, against the KMIP server that
 * with_server.py started. argv[1] names the server ("kmipd" or "pykmip"):
 * PyKMIP gets the tests of what it serves (RSA PKCS#1 v1.5 over Data,
 * AES-GCM with KMIP 1.4). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

#include "crypto_fixture.h"

/* Signs message in two C_SignUpdate parts, the first of split bytes. */
static void sign_in_two_parts(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key,
                              size_t split, uint8_t *signature,
                              CK_ULONG *signature_len)
{
    assert_int_equal(p11->C_SignInit(session, mechanism, key), CKR_OK);
    assert_int_equal(p11->C_SignUpdate(session, (CK_BYTE_PTR)message, split),
                     CKR_OK);
    assert_int_equal(p11->C_SignUpdate(session, (CK_BYTE_PTR)message + split,
                                       MESSAGE_LEN - split),
                     CKR_OK);
    assert_int_equal(p11->C_SignFinal(session, signature, signature_len),
                     CKR_OK);
}

/* ---- Tests for every server ---- */

static void sha256_rsa_pkcs_signature_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(sign(&mechanism, private_key, message, MESSAGE_LEN,
                          signature, &signature_len),
                     CKR_OK);
    assert_int_equal(signature_len, 256);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
    signature[10] ^= 1;
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_SIGNATURE_INVALID);
}

static void signature_length_query_keeps_the_operation(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key), CKR_OK);
    CK_ULONG signature_len = 0;
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 NULL, &signature_len),
                     CKR_OK);
    assert_int_equal(signature_len, 256);
    uint8_t signature[256];
    signature_len = 100;
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(signature_len, 256);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_OK);
    /* The operation ended with the signature. */
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_OPERATION_NOT_INITIALIZED);
}

static void multi_part_signature_equals_single_part(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t single[256], multi[256];
    CK_ULONG single_len = sizeof(single), multi_len = sizeof(multi);
    assert_int_equal(sign(&mechanism, private_key, message, MESSAGE_LEN, single,
                          &single_len),
                     CKR_OK);
    sign_in_two_parts(&mechanism, private_key, 10, multi, &multi_len);
    /* PKCS#1 v1.5 is deterministic. */
    assert_int_equal(multi_len, single_len);
    assert_memory_equal(multi, single, single_len);
}

static void aes_gcm_appends_the_tag_and_decrypts(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = secret_key(CKM_AES_KEY_GEN, CKK_AES, 32);
    uint8_t iv[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    uint8_t aad[] = {'h', 'e', 'a', 'd', 'e', 'r'};
    CK_GCM_PARAMS gcm = {iv, sizeof(iv), 96, aad, sizeof(aad), 128};
    CK_MECHANISM mechanism = {CKM_AES_GCM, &gcm, sizeof(gcm)};
    uint8_t ciphertext[128];
    CK_ULONG ciphertext_len = sizeof(ciphertext);
    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
    assert_int_equal(p11->C_Encrypt(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                    ciphertext, &ciphertext_len),
                     CKR_OK);
    assert_int_equal(ciphertext_len, MESSAGE_LEN + 16);

    uint8_t plaintext[128];
    CK_ULONG plaintext_len = sizeof(plaintext);
    assert_int_equal(p11->C_DecryptInit(session, &mechanism, key), CKR_OK);
    assert_int_equal(p11->C_Decrypt(session, ciphertext, ciphertext_len,
                                    plaintext, &plaintext_len),
                     CKR_OK);
    assert_int_equal(plaintext_len, MESSAGE_LEN);
    assert_memory_equal(plaintext, message, MESSAGE_LEN);
}

/* Over kmipd's KMIP stream each update answers its part; PyKMIP does
 * not stream and the module gathers into the final part. Both give the
 * single-part ciphertext and tag. */
static void aes_gcm_multi_part_matches_the_single_part(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = secret_key(CKM_AES_KEY_GEN, CKK_AES, 16);
    uint8_t iv[12] = {3};
    CK_GCM_PARAMS gcm = {iv, sizeof(iv), 96, NULL, 0, 128};
    CK_MECHANISM mechanism = {CKM_AES_GCM, &gcm, sizeof(gcm)};
    uint8_t single[128], multi[128];
    CK_ULONG single_len = sizeof(single), done = 0;
    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
    assert_int_equal(p11->C_Encrypt(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                    single, &single_len),
                     CKR_OK);

    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
    const size_t cuts[] = {0, 7, MESSAGE_LEN};
    for (size_t i = 0; i < 2; i++) {
        CK_ULONG part_len = sizeof(multi) - done;
        assert_int_equal(p11->C_EncryptUpdate(
                             session, (CK_BYTE_PTR)message + cuts[i],
                             cuts[i + 1] - cuts[i], multi + done, &part_len),
                         CKR_OK);
        assert_true(part_len == 0 || part_len == cuts[i + 1] - cuts[i]);
        done += part_len;
    }
    CK_ULONG last_len = 0;
    assert_int_equal(p11->C_EncryptFinal(session, NULL, &last_len), CKR_OK);
    assert_int_equal(done + last_len, MESSAGE_LEN + 16);
    assert_int_equal(p11->C_EncryptFinal(session, multi + done, &last_len),
                     CKR_OK);
    /* Same key, IV and input: the same ciphertext and tag. */
    assert_int_equal(done + last_len, single_len);
    assert_memory_equal(multi, single, single_len);
}

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

/* ---- kmipd only ---- */

static void ecdsa_sha256_signature_is_raw_and_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    uint8_t signature[64];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(sign(&mechanism, private_key, message, MESSAGE_LEN,
                          signature, &signature_len),
                     CKR_OK);
    assert_int_equal(signature_len, 64);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len - 1),
                     CKR_SIGNATURE_LEN_RANGE);
}

static void p521_signature_is_two_66_byte_halves(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair_on(p521, sizeof(p521), &public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA512, NULL, 0};
    uint8_t signature[132];
    CK_ULONG signature_len = 0;
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key), CKR_OK);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 NULL, &signature_len),
                     CKR_OK);
    assert_int_equal(signature_len, 132);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_OK);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
}

static void ecdsa_over_a_hash_verifies_as_ecdsa_sha256(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    uint8_t hash[32];
    sha256(message, MESSAGE_LEN, hash);
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    uint8_t signature[64];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(
        sign(&ecdsa, private_key, hash, 32, signature, &signature_len), CKR_OK);
    CK_MECHANISM ecdsa_sha256 = {CKM_ECDSA_SHA256, NULL, 0};
    assert_int_equal(verify(&ecdsa_sha256, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
}

static void ecdsa_multi_part_sends_digested_data(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    uint8_t signature[64];
    CK_ULONG signature_len = sizeof(signature);
    sign_in_two_parts(&mechanism, private_key, 5, signature, &signature_len);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
}

static void ecdsa_mechanism_with_rsa_key_is_type_inconsistent(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key),
                     CKR_KEY_TYPE_INCONSISTENT);
}

static void signing_with_a_public_key_is_not_permitted(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    assert_int_equal(p11->C_SignInit(session, &mechanism, public_key),
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
}

static void rsa_pss_signature_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(sign(&mechanism, private_key, message, MESSAGE_LEN,
                          signature, &signature_len),
                     CKR_OK);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
    /* The same signature, verified as PSS over the hash. */
    uint8_t hash[32];
    sha256(message, MESSAGE_LEN, hash);
    CK_MECHANISM over_hash = {CKM_RSA_PKCS_PSS, &pss, sizeof(pss)};
    assert_int_equal(
        verify(&over_hash, public_key, hash, 32, signature, signature_len),
        CKR_OK);
    assert_int_equal(
        verify(&over_hash, public_key, hash, 31, signature, signature_len),
        CKR_DATA_LEN_RANGE);
}

static void rsa_pss_with_other_hash_in_params_is_param_invalid(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA384, CKG_MGF1_SHA384, 48};
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key),
                     CKR_MECHANISM_PARAM_INVALID);
}

static void rsa_pkcs_over_digest_info_equals_sha256_rsa_pkcs(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    static const uint8_t prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                     0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                     0x01, 0x05, 0x00, 0x04, 0x20};
    uint8_t digest_info[sizeof(prefix) + 32];
    memcpy(digest_info, prefix, sizeof(prefix));
    sha256(message, MESSAGE_LEN, digest_info + sizeof(prefix));

    CK_MECHANISM raw = {CKM_RSA_PKCS, NULL, 0};
    CK_MECHANISM hashing = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t from_digest_info[256], from_message[256];
    CK_ULONG len1 = sizeof(from_digest_info), len2 = sizeof(from_message);
    assert_int_equal(sign(&raw, private_key, digest_info, sizeof(digest_info),
                          from_digest_info, &len1),
                     CKR_OK);
    assert_int_equal(
        sign(&hashing, private_key, message, MESSAGE_LEN, from_message, &len2),
        CKR_OK);
    assert_int_equal(len1, len2);
    assert_memory_equal(from_digest_info, from_message, len1);
    assert_int_equal(verify(&raw, public_key, digest_info, sizeof(digest_info),
                            from_digest_info, len1),
                     CKR_OK);
}

static void oaep_encrypts_locally_and_decrypts_on_the_server(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    char label[] = "label";
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256,
                                    CKZ_DATA_SPECIFIED, label, 5};
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)};
    uint8_t ciphertext[256];
    CK_ULONG ciphertext_len = sizeof(ciphertext);
    assert_int_equal(p11->C_EncryptInit(session, &mechanism, public_key),
                     CKR_OK);
    assert_int_equal(p11->C_Encrypt(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                    ciphertext, &ciphertext_len),
                     CKR_OK);
    assert_int_equal(ciphertext_len, 256);

    assert_int_equal(p11->C_DecryptInit(session, &mechanism, private_key),
                     CKR_OK);
    /* The upper bound first, then a buffer too small for the plaintext:
     * the answer is kept for the retry. */
    CK_ULONG plaintext_len = 0;
    assert_int_equal(p11->C_Decrypt(session, ciphertext, ciphertext_len, NULL,
                                    &plaintext_len),
                     CKR_OK);
    assert_int_equal(plaintext_len, 256);
    uint8_t plaintext[256];
    plaintext_len = 10;
    assert_int_equal(p11->C_Decrypt(session, ciphertext, ciphertext_len,
                                    plaintext, &plaintext_len),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(plaintext_len, MESSAGE_LEN);
    assert_int_equal(p11->C_Decrypt(session, ciphertext, ciphertext_len,
                                    plaintext, &plaintext_len),
                     CKR_OK);
    assert_int_equal(plaintext_len, MESSAGE_LEN);
    assert_memory_equal(plaintext, message, MESSAGE_LEN);
}

static void aes_cbc_pad_and_ctr_round_trip(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = secret_key(CKM_AES_KEY_GEN, CKK_AES, 16);
    uint8_t iv[16] = {7};
    CK_AES_CTR_PARAMS ctr = {128, {0}};
    CK_MECHANISM mechanisms[] = {{CKM_AES_CBC_PAD, iv, sizeof(iv)},
                                 {CKM_AES_CTR, &ctr, sizeof(ctr)}};
    const CK_ULONG expected_len[] = {48, MESSAGE_LEN};
    for (size_t i = 0; i < 2; i++) {
        uint8_t ciphertext[64], plaintext[64];
        CK_ULONG ciphertext_len = sizeof(ciphertext);
        CK_ULONG plaintext_len = sizeof(plaintext);
        assert_int_equal(p11->C_EncryptInit(session, &mechanisms[i], key),
                         CKR_OK);
        assert_int_equal(p11->C_Encrypt(session, (CK_BYTE_PTR)message,
                                        MESSAGE_LEN, ciphertext,
                                        &ciphertext_len),
                         CKR_OK);
        assert_int_equal(ciphertext_len, expected_len[i]);
        assert_int_equal(p11->C_DecryptInit(session, &mechanisms[i], key),
                         CKR_OK);
        assert_int_equal(p11->C_Decrypt(session, ciphertext, ciphertext_len,
                                        plaintext, &plaintext_len),
                         CKR_OK);
        assert_int_equal(plaintext_len, MESSAGE_LEN);
        assert_memory_equal(plaintext, message, MESSAGE_LEN);
    }
}

/* PyKMIP answers a wrong tag with General Failure, which says nothing
 * about the data; kmipd says Cryptographic Failure. */
static void aes_gcm_with_a_wrong_tag_is_encrypted_data_invalid(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = secret_key(CKM_AES_KEY_GEN, CKK_AES, 32);
    uint8_t iv[12] = {0};
    CK_GCM_PARAMS gcm = {iv, sizeof(iv), 96, NULL, 0, 128};
    CK_MECHANISM mechanism = {CKM_AES_GCM, &gcm, sizeof(gcm)};
    uint8_t ciphertext[128];
    CK_ULONG ciphertext_len = sizeof(ciphertext);
    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
    assert_int_equal(p11->C_Encrypt(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                    ciphertext, &ciphertext_len),
                     CKR_OK);
    ciphertext[ciphertext_len - 1] ^= 1; /* the tag */
    uint8_t plaintext[128];
    CK_ULONG plaintext_len = sizeof(plaintext);
    assert_int_equal(p11->C_DecryptInit(session, &mechanism, key), CKR_OK);
    assert_int_equal(p11->C_Decrypt(session, ciphertext, ciphertext_len,
                                    plaintext, &plaintext_len),
                     CKR_ENCRYPTED_DATA_INVALID);
}

static void encrypting_with_a_decrypt_only_key_is_not_permitted(void **state)
{
    (void)state;
    CK_OBJECT_CLASS class = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_ULONG bytes = 16;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &class, sizeof(class)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VALUE_LEN, &bytes, sizeof(bytes)},
        {CKA_DECRYPT, &yes, sizeof(yes)},
        {CKA_ENCRYPT, &no, sizeof(no)},
    };
    CK_MECHANISM generate = {CKM_AES_KEY_GEN, NULL, 0};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_GenerateKey(session, &generate, template, 6, &key),
                     CKR_OK);
    CK_MECHANISM mechanism = {CKM_AES_ECB, NULL, 0};
    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key),
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(p11->C_DecryptInit(session, &mechanism, key), CKR_OK);
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

static void hmac_sha256_signs_on_the_server_and_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key =
        secret_key(CKM_GENERIC_SECRET_KEY_GEN, CKK_GENERIC_SECRET, 32);
    CK_MECHANISM mechanism = {CKM_SHA256_HMAC, NULL, 0};
    uint8_t mac[32];
    CK_ULONG mac_len = sizeof(mac);
    assert_int_equal(sign(&mechanism, key, message, MESSAGE_LEN, mac, &mac_len),
                     CKR_OK);
    assert_int_equal(mac_len, 32);
    assert_int_equal(
        verify(&mechanism, key, message, MESSAGE_LEN, mac, mac_len), CKR_OK);
    mac[0] ^= 1;
    assert_int_equal(
        verify(&mechanism, key, message, MESSAGE_LEN, mac, mac_len),
        CKR_SIGNATURE_INVALID);
}

#define SIGN_THREADS 8
#define SIGN_SECONDS 10

typedef struct signer {
    pthread_t thread;
    CK_SLOT_ID slot;
    CK_OBJECT_HANDLE private_key;
    CK_OBJECT_HANDLE public_key;
    time_t deadline;
    unsigned long signatures;
    CK_RV failure; /* the first error, CKR_OK when none */
} signer;

/* Signs and verifies in its own session until the deadline. */
static void *sign_until_deadline(void *opaque)
{
    signer *self = opaque;
    CK_SESSION_HANDLE own;
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    self->failure =
        p11->C_OpenSession(self->slot, CKF_SERIAL_SESSION, NULL, NULL, &own);
    while (self->failure == CKR_OK && time(NULL) < self->deadline) {
        uint8_t signature[64];
        CK_ULONG signature_len = sizeof(signature);
        self->failure = p11->C_SignInit(own, &mechanism, self->private_key);
        if (self->failure == CKR_OK)
            self->failure = p11->C_Sign(own, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                        signature, &signature_len);
        if (self->failure == CKR_OK)
            self->failure =
                p11->C_VerifyInit(own, &mechanism, self->public_key);
        if (self->failure == CKR_OK)
            self->failure =
                p11->C_Verify(own, (CK_BYTE_PTR)message, MESSAGE_LEN, signature,
                              signature_len);
        if (self->failure == CKR_OK)
            self->signatures++;
    }
    p11->C_CloseSession(own);
    return NULL;
}

static void eight_threads_sign_with_one_key_for_ten_seconds(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_SESSION_INFO info;
    assert_int_equal(p11->C_GetSessionInfo(session, &info), CKR_OK);
    signer signers[SIGN_THREADS];
    time_t deadline = time(NULL) + SIGN_SECONDS;
    for (int i = 0; i < SIGN_THREADS; i++) {
        signers[i] = (signer){.slot = info.slotID,
                              .private_key = private_key,
                              .public_key = public_key,
                              .deadline = deadline};
        assert_int_equal(pthread_create(&signers[i].thread, NULL,
                                        sign_until_deadline, &signers[i]),
                         0);
    }
    unsigned long total = 0;
    for (int i = 0; i < SIGN_THREADS; i++) {
        assert_int_equal(pthread_join(signers[i].thread, NULL), 0);
        assert_int_equal(signers[i].failure, CKR_OK);
        assert_true(signers[i].signatures > 0);
        total += signers[i].signatures;
    }
    print_message("%lu signatures and verifications in %d s\n", total,
                  SIGN_SECONDS);
}

/* ---- PyKMIP only ---- */

static void rsa_pkcs_over_digest_info_is_mechanism_invalid_then_refused_at_init(
    void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    uint8_t digest_info[51] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                               0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                               0x01, 0x05, 0x00, 0x04, 0x20};
    CK_MECHANISM raw = {CKM_RSA_PKCS, NULL, 0};
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    /* PyKMIP hashes whatever it signs: it cannot take Digested Data. */
    assert_int_equal(sign(&raw, private_key, digest_info, sizeof(digest_info),
                          signature, &signature_len),
                     CKR_MECHANISM_INVALID);
    /* Known from then on: refused at C_SignInit, no request sent. */
    assert_int_equal(p11->C_SignInit(session, &raw, private_key),
                     CKR_MECHANISM_INVALID);
    /* The message mechanisms still sign, sending Data. */
    CK_MECHANISM hashing = {CKM_SHA256_RSA_PKCS, NULL, 0};
    assert_int_equal(sign(&hashing, private_key, message, MESSAGE_LEN,
                          signature, &signature_len),
                     CKR_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest common[] = {
        cmocka_unit_test(sha256_rsa_pkcs_signature_verifies),
        cmocka_unit_test(signature_length_query_keeps_the_operation),
        cmocka_unit_test(multi_part_signature_equals_single_part),
        cmocka_unit_test(aes_gcm_appends_the_tag_and_decrypts),
        cmocka_unit_test(aes_gcm_multi_part_matches_the_single_part),
        cmocka_unit_test(sha256_digest_of_abc_is_the_fips_vector),
        cmocka_unit_test(sha1_multi_part_digest_is_the_fips_vector),
        cmocka_unit_test(random_bytes_differ_and_seeding_is_not_supported),
    };
    const struct CMUnitTest kmipd[] = {
        cmocka_unit_test(ecdsa_sha256_signature_is_raw_and_verifies),
        cmocka_unit_test(p521_signature_is_two_66_byte_halves),
        cmocka_unit_test(ecdsa_over_a_hash_verifies_as_ecdsa_sha256),
        cmocka_unit_test(ecdsa_multi_part_sends_digested_data),
        cmocka_unit_test(ecdsa_mechanism_with_rsa_key_is_type_inconsistent),
        cmocka_unit_test(signing_with_a_public_key_is_not_permitted),
        cmocka_unit_test(rsa_pss_signature_verifies),
        cmocka_unit_test(rsa_pss_with_other_hash_in_params_is_param_invalid),
        cmocka_unit_test(rsa_pkcs_over_digest_info_equals_sha256_rsa_pkcs),
        cmocka_unit_test(oaep_encrypts_locally_and_decrypts_on_the_server),
        cmocka_unit_test(aes_cbc_pad_and_ctr_round_trip),
        cmocka_unit_test(aes_gcm_with_a_wrong_tag_is_encrypted_data_invalid),
        cmocka_unit_test(encrypting_with_a_decrypt_only_key_is_not_permitted),
        cmocka_unit_test(
            x25519_generated_and_imported_keys_derive_like_openssl),
        cmocka_unit_test(hmac_sha256_signs_on_the_server_and_verifies),
        cmocka_unit_test(eight_threads_sign_with_one_key_for_ten_seconds),
    };
    const struct CMUnitTest pykmip[] = {
        cmocka_unit_test(
            rsa_pkcs_over_digest_info_is_mechanism_invalid_then_refused_at_init),
    };
    test_server server = load_module_for(argc, argv);
    if (server == TEST_SERVER_NONE)
        return 1;
    bool is_kmipd = server == TEST_SERVER_KMIPD;
    int failed = cmocka_run_group_tests_name("common", common, open_session,
                                             close_session);
    if (is_kmipd)
        failed += cmocka_run_group_tests_name("kmipd", kmipd, open_session,
                                              close_session);
    else
        failed += cmocka_run_group_tests_name("pykmip", pykmip, open_session,
                                              close_session);
    return failed;
}
