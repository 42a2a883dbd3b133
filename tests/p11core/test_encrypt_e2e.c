/* SPDX-License-Identifier: Apache-2.0 */
/* Encryption end to end: p11kmip-pkcs11.so (crypto_fixture.h) against the
 * server with_server.py started, argv[1] naming it ("kmipd" or "pykmip"):
 * AES-GCM single and multi-part on both (PyKMIP at KMIP 1.4); RSA OAEP,
 * AES CBC-PAD and CTR, a wrong GCM tag, a decrypt-only key on kmipd. */
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

/* C_EncryptInit and C_Encrypt of message with key into out (size
 * bytes); the ciphertext's length. */
static CK_ULONG encrypt_message(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key,
                                uint8_t *out, CK_ULONG size)
{
    assert_int_equal(p11->C_EncryptInit(session, mechanism, key), CKR_OK);
    assert_int_equal(
        p11->C_Encrypt(session, (CK_BYTE_PTR)message, MESSAGE_LEN, out, &size),
        CKR_OK);
    return size;
}

/* C_DecryptInit and C_Decrypt of ciphertext with key give message back. */
static void assert_decrypts_to_message(CK_MECHANISM *mechanism,
                                       CK_OBJECT_HANDLE key,
                                       uint8_t *ciphertext, CK_ULONG len)
{
    uint8_t plaintext[256];
    CK_ULONG plaintext_len = sizeof(plaintext);

    assert_int_equal(p11->C_DecryptInit(session, mechanism, key), CKR_OK);
    assert_int_equal(
        p11->C_Decrypt(session, ciphertext, len, plaintext, &plaintext_len),
        CKR_OK);
    assert_int_equal(plaintext_len, MESSAGE_LEN);
    assert_memory_equal(plaintext, message, MESSAGE_LEN);
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
    CK_ULONG ciphertext_len =
        encrypt_message(&mechanism, key, ciphertext, sizeof(ciphertext));

    assert_int_equal(ciphertext_len, MESSAGE_LEN + 16);
    assert_decrypts_to_message(&mechanism, key, ciphertext, ciphertext_len);
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
    CK_ULONG single_len =
        encrypt_message(&mechanism, key, single, sizeof(single));
    CK_ULONG done = 0;

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
    CK_ULONG ciphertext_len =
        encrypt_message(&mechanism, public_key, ciphertext, sizeof(ciphertext));
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
        uint8_t ciphertext[64];
        CK_ULONG ciphertext_len = encrypt_message(
            &mechanisms[i], key, ciphertext, sizeof(ciphertext));

        assert_int_equal(ciphertext_len, expected_len[i]);
        assert_decrypts_to_message(&mechanisms[i], key, ciphertext,
                                   ciphertext_len);
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
    CK_ULONG ciphertext_len =
        encrypt_message(&mechanism, key, ciphertext, sizeof(ciphertext));
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

int main(int argc, char **argv)
{
    const struct CMUnitTest every[] = {
        cmocka_unit_test(aes_gcm_appends_the_tag_and_decrypts),
        cmocka_unit_test(aes_gcm_multi_part_matches_the_single_part),
    };
    const struct CMUnitTest kmipd_only[] = {
        cmocka_unit_test(oaep_encrypts_locally_and_decrypts_on_the_server),
        cmocka_unit_test(aes_cbc_pad_and_ctr_round_trip),
        cmocka_unit_test(aes_gcm_with_a_wrong_tag_is_encrypted_data_invalid),
        cmocka_unit_test(encrypting_with_a_decrypt_only_key_is_not_permitted),
    };

    if (load_module_for(argc, argv) == TEST_SERVER_NONE)
        return 1;
    return run_by_server_with(argv[1], open_session, close_session,
                              TEST_GROUP(every), TEST_GROUP(kmipd_only),
                              NO_TEST_GROUP);
}
