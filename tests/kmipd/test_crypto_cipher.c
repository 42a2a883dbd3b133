/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's encryption (RSA OAEP and PKCS#1 v1.5, AES ECB/CBC/CTR/GCM), MAC
 * and RNG, checked against OpenSSL and published test vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/rsa.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

static EVP_PKEY *rsa_key; /* RSA-2048, private (holds the public part) */

static const uint8_t message[] = "kmipd seals what it is given";

static int generate_key(void **state)
{
    (void)state;
    rsa_key = crypto_test_private_key(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048);
    return rsa_key != NULL ? 0 : -1;
}

static int free_key(void **state)
{
    (void)state;
    EVP_PKEY_free(rsa_key);
    kmipd_key_cache_clear();
    return 0;
}

/* ---- RSA encryption. ---- */

static void oaep_round_trips_with_hash_mgf1_and_label(void **state)
{
    (void)state;
    static const uint8_t label[] = "label";
    kmipd_crypto_params p = {
        .padding_method = KMIP_PADDING_METHOD_OAEP,
        .hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_256,
        .mask_generator_hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_1,
        .p_source = label,
        .p_source_len = sizeof(label)};
    kmipd_buf cipher = {0}, plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_encrypt(rsa_key, &p, message, sizeof(message), &cipher, &st),
        KMIP_OK);
    assert_int_equal(cipher.len, 256);
    assert_int_equal(
        kmipd_rsa_decrypt(rsa_key, &p, cipher.data, cipher.len, &plain, &st),
        KMIP_OK);
    assert_int_equal(plain.len, sizeof(message));
    assert_memory_equal(plain.data, message, sizeof(message));
    kmipd_buf_clear(&cipher);
    kmipd_buf_clear(&plain);
}

static void oaep_with_another_label_fails_to_decrypt(void **state)
{
    (void)state;
    static const uint8_t label[] = "label";
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_OAEP,
                             .p_source = label,
                             .p_source_len = sizeof(label)};
    kmipd_buf cipher = {0}, plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_encrypt(rsa_key, &p, message, sizeof(message), &cipher, &st),
        KMIP_OK);
    p.p_source_len = 0;
    crypto_test_assert_reason(
        kmipd_rsa_decrypt(rsa_key, &p, cipher.data, cipher.len, &plain, &st),
        &st, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    assert_null(plain.data);
    kmipd_buf_clear(&cipher);
}

static void oaep_decrypts_what_openssl_encrypted(void **state)
{
    (void)state;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, rsa_key, NULL);
    uint8_t cipher[256];
    size_t cipher_len = sizeof(cipher);
    assert_int_equal(EVP_PKEY_encrypt_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()), 1);
    assert_int_equal(
        EVP_PKEY_encrypt(ctx, cipher, &cipher_len, message, sizeof(message)),
        1);
    EVP_PKEY_CTX_free(ctx);
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_OAEP,
                             .hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256};
    kmipd_buf plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_decrypt(rsa_key, &p, cipher, cipher_len, &plain, &st),
        KMIP_OK);
    assert_memory_equal(plain.data, message, sizeof(message));
    kmipd_buf_clear(&plain);
}

static void rsa_pkcs1_encryption_round_trips(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_PKCS1V15};
    kmipd_buf cipher = {0}, plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_encrypt(rsa_key, &p, message, sizeof(message), &cipher, &st),
        KMIP_OK);
    assert_int_equal(
        kmipd_rsa_decrypt(rsa_key, &p, cipher.data, cipher.len, &plain, &st),
        KMIP_OK);
    assert_memory_equal(plain.data, message, sizeof(message));
    kmipd_buf_clear(&cipher);
    kmipd_buf_clear(&plain);
}

/* Raw RSA decrypts what OpenSSL's raw RSA encrypted, and takes only the
 * modulus' length. */
static void raw_rsa_decrypts_openssl_raw_rsa(void **state)
{
    (void)state;
    uint8_t block[256] = {0};
    memcpy(block + 256 - sizeof(message), message, sizeof(message));
    uint8_t cipher[256];
    size_t cipher_len = sizeof(cipher);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, rsa_key, NULL);
    assert_int_equal(EVP_PKEY_encrypt_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
    assert_int_equal(
        EVP_PKEY_encrypt(ctx, cipher, &cipher_len, block, sizeof(block)), 1);
    EVP_PKEY_CTX_free(ctx);

    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_NONE};
    kmipd_buf plain = {0};
    kmip_status st;
    assert_int_equal(
        kmipd_rsa_decrypt(rsa_key, &p, cipher, cipher_len, &plain, &st),
        KMIP_OK);
    assert_int_equal(plain.len, sizeof(block));
    assert_memory_equal(plain.data, block, sizeof(block));
    kmipd_buf_clear(&plain);
    crypto_test_assert_reason(
        kmipd_rsa_decrypt(rsa_key, &p, cipher, cipher_len - 1, &plain, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void
rsa_encryption_without_padding_method_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {0};
    kmipd_buf cipher = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_rsa_encrypt(rsa_key, &p, message, sizeof(message), &cipher, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

/* ---- AES. ---- */

static const uint8_t aes_key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                    12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                    23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void aes_every_mode_and_size_round_trips(void **state)
{
    (void)state;
    const struct {
        uint32_t mode;
        uint32_t padding;
        size_t len;
    } cases[] = {
        {KMIP_BLOCK_CIPHER_MODE_ECB, KMIP_PADDING_METHOD_NONE, 32},
        {KMIP_BLOCK_CIPHER_MODE_ECB, KMIP_PADDING_METHOD_PKCS5, 29},
        {KMIP_BLOCK_CIPHER_MODE_CBC, 0, 48},
        {KMIP_BLOCK_CIPHER_MODE_CBC, KMIP_PADDING_METHOD_PKCS5, 29},
        {KMIP_BLOCK_CIPHER_MODE_CTR, 0, 29},
        {KMIP_BLOCK_CIPHER_MODE_GCM, 0, 29},
    };
    const size_t key_lens[] = {16, 24, 32};
    uint8_t plain[48];
    memset(plain, 0x5a, sizeof(plain));
    for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
        for (size_t k = 0; k < 3; k++) {
            kmipd_crypto_params p = {.block_cipher_mode = cases[c].mode,
                                     .padding_method = cases[c].padding};
            kmipd_cipher_input none = {0};
            kmipd_cipher_output enc, dec;
            kmip_status st;
            assert_int_equal(kmipd_aes_encrypt(aes_key, key_lens[k], &p, &none,
                                               plain, cases[c].len, &enc, &st),
                             KMIP_OK);
            kmipd_cipher_input back = {.iv = enc.iv.data,
                                       .iv_len = enc.iv.len,
                                       .tag = enc.tag.data,
                                       .tag_len = enc.tag.len};
            assert_int_equal(kmipd_aes_decrypt(aes_key, key_lens[k], &p, &back,
                                               enc.data.data, enc.data.len,
                                               &dec, &st),
                             KMIP_OK);
            assert_int_equal(dec.data.len, cases[c].len);
            assert_memory_equal(dec.data.data, plain, cases[c].len);
            kmipd_cipher_output_clear(&enc);
            kmipd_cipher_output_clear(&dec);
        }
    }
}

static void gcm_generates_a_12_byte_iv_and_16_byte_tag(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM,
                             .random_iv_set = true,
                             .random_iv = true};
    kmipd_cipher_input none = {0};
    kmipd_cipher_output out;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(aes_key, 32, &p, &none, message,
                                       sizeof(message), &out, &st),
                     KMIP_OK);
    assert_int_equal(out.iv.len, 12);
    assert_int_equal(out.tag.len, 16);
    kmipd_cipher_output_clear(&out);
}

static void cbc_generates_a_16_byte_iv(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC,
                             .padding_method = KMIP_PADDING_METHOD_PKCS5};
    kmipd_cipher_input none = {0};
    kmipd_cipher_output out;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(aes_key, 16, &p, &none, message,
                                       sizeof(message), &out, &st),
                     KMIP_OK);
    assert_int_equal(out.iv.len, 16);
    assert_null(out.tag.data);
    kmipd_cipher_output_clear(&out);
}

/* NIST GCM test case 2 (McGrew and Viega): zero key, IV and plaintext. */
static void gcm_matches_the_published_test_vector(void **state)
{
    (void)state;
    static const uint8_t zero[16] = {0};
    static const uint8_t cipher[16] = {0x03, 0x88, 0xda, 0xce, 0x60, 0xb6,
                                       0xa3, 0x92, 0xf3, 0x28, 0xc2, 0xb9,
                                       0x71, 0xb2, 0xfe, 0x78};
    static const uint8_t tag[16] = {0xab, 0x6e, 0x47, 0xd4, 0x2c, 0xec,
                                    0x13, 0xbd, 0xf5, 0x3a, 0x67, 0xb2,
                                    0x12, 0x57, 0xbd, 0xdf};
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM};
    kmipd_cipher_input in = {.iv = zero, .iv_len = 12};
    kmipd_cipher_output out;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(zero, 16, &p, &in, zero, 16, &out, &st),
                     KMIP_OK);
    assert_memory_equal(out.data.data, cipher, 16);
    assert_memory_equal(out.tag.data, tag, 16);
    assert_null(out.iv.data);
    kmipd_cipher_output_clear(&out);
}

static kmipd_cipher_output gcm_encrypt_with_aad(const uint8_t *aad,
                                                size_t aad_len)
{
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM};
    kmipd_cipher_input in = {.aad = aad, .aad_len = aad_len};
    kmipd_cipher_output out;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(aes_key, 32, &p, &in, message,
                                       sizeof(message), &out, &st),
                     KMIP_OK);
    return out;
}

static void gcm_with_a_wrong_tag_is_cryptographic_failure(void **state)
{
    (void)state;
    kmipd_cipher_output enc = gcm_encrypt_with_aad(NULL, 0);
    enc.tag.data[0] ^= 1;
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM};
    kmipd_cipher_input back = {.iv = enc.iv.data,
                               .iv_len = enc.iv.len,
                               .tag = enc.tag.data,
                               .tag_len = enc.tag.len};
    kmipd_cipher_output dec;
    kmip_status st;
    crypto_test_assert_reason(kmipd_aes_decrypt(aes_key, 32, &p, &back,
                                                enc.data.data, enc.data.len,
                                                &dec, &st),
                              &st, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    assert_null(dec.data.data);
    kmipd_cipher_output_clear(&enc);
}

static void gcm_with_other_aad_is_cryptographic_failure(void **state)
{
    (void)state;
    static const uint8_t aad[] = "header";
    kmipd_cipher_output enc = gcm_encrypt_with_aad(aad, sizeof(aad));
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM};
    kmipd_cipher_input same = {.iv = enc.iv.data,
                               .iv_len = enc.iv.len,
                               .aad = aad,
                               .aad_len = sizeof(aad),
                               .tag = enc.tag.data,
                               .tag_len = enc.tag.len};
    kmipd_cipher_input other = same;
    other.aad_len = 3;
    kmipd_cipher_output dec;
    kmip_status st;
    assert_int_equal(kmipd_aes_decrypt(aes_key, 32, &p, &same, enc.data.data,
                                       enc.data.len, &dec, &st),
                     KMIP_OK);
    kmipd_cipher_output_clear(&dec);
    crypto_test_assert_reason(kmipd_aes_decrypt(aes_key, 32, &p, &other,
                                                enc.data.data, enc.data.len,
                                                &dec, &st),
                              &st, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    kmipd_cipher_output_clear(&enc);
}

static void gcm_short_tag_length_is_honoured(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM,
                             .tag_length = 12};
    kmipd_cipher_input none = {0};
    kmipd_cipher_output enc, dec;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(aes_key, 16, &p, &none, message,
                                       sizeof(message), &enc, &st),
                     KMIP_OK);
    assert_int_equal(enc.tag.len, 12);
    kmipd_cipher_input back = {.iv = enc.iv.data,
                               .iv_len = enc.iv.len,
                               .tag = enc.tag.data,
                               .tag_len = enc.tag.len};
    assert_int_equal(kmipd_aes_decrypt(aes_key, 16, &p, &back, enc.data.data,
                                       enc.data.len, &dec, &st),
                     KMIP_OK);
    kmipd_cipher_output_clear(&enc);
    kmipd_cipher_output_clear(&dec);
}

/* OASIS CS-BC-M-GCM-2 with an empty plaintext: Data is empty both ways,
 * also when there is AAD (whose length once leaked into Data's). */
static void gcm_with_empty_plaintext_gives_empty_data(void **state)
{
    (void)state;
    static const uint8_t zero[16] = {0};
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM,
                             .tag_length = 16};
    kmipd_cipher_input in = {
        .iv = zero, .iv_len = 12, .aad = zero, .aad_len = 16};
    kmipd_cipher_output enc, dec;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(zero, 16, &p, &in, zero, 0, &enc, &st),
                     KMIP_OK);
    assert_int_equal(enc.data.len, 0);
    assert_int_equal(enc.tag.len, 16);
    in.tag = enc.tag.data;
    in.tag_len = enc.tag.len;
    assert_int_equal(kmipd_aes_decrypt(zero, 16, &p, &in, zero, 0, &dec, &st),
                     KMIP_OK);
    assert_int_equal(dec.data.len, 0);
    in.aad_len = 15;
    kmipd_cipher_output_clear(&dec);
    crypto_test_assert_reason(
        kmipd_aes_decrypt(zero, 16, &p, &in, zero, 0, &dec, &st), &st,
        KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    kmipd_cipher_output_clear(&enc);
}

/* OASIS CS-BC-M-4-12-3DES: Triple DES ECB, checked against the case's
 * answer; CBC round trips with an 8-byte IV; GCM is not a 3DES mode. */
static void triple_des_ecb_matches_the_oasis_case(void **state)
{
    (void)state;
    uint8_t key[24], data[24];
    static const uint8_t want[24] = {
        0xce, 0xad, 0x37, 0x3d, 0xb8, 0x0e, 0xab, 0xf8, 0x74, 0x77, 0xd9, 0x21,
        0xe6, 0xd5, 0xa5, 0xd1, 0x16, 0xc1, 0x0e, 0x38, 0x14, 0xeb, 0xe0, 0x04};
    static const uint8_t plain[24] = {
        1,    2,    3,    4,    5,    6,    7,    8,    9,    0x10, 0x11, 0x12,
        0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x20, 0x21, 0x22, 0x23, 0x24};
    memset(key, 1, sizeof(key));
    memcpy(data, plain, sizeof(data));
    kmipd_crypto_params p = {.cryptographic_algorithm =
                                 KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES,
                             .block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_ECB};
    kmipd_cipher_input none = {0};
    kmipd_cipher_output out, back;
    kmip_status st;
    assert_int_equal(kmipd_aes_encrypt(key, 24, &p, &none, data, 24, &out, &st),
                     KMIP_OK);
    assert_int_equal(out.data.len, 24);
    assert_memory_equal(out.data.data, want, 24);
    kmipd_cipher_output_clear(&out);
    p.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC;
    assert_int_equal(kmipd_aes_encrypt(key, 24, &p, &none, data, 24, &out, &st),
                     KMIP_OK);
    assert_int_equal(out.iv.len, 8);
    kmipd_cipher_input iv = {.iv = out.iv.data, .iv_len = out.iv.len};
    assert_int_equal(kmipd_aes_decrypt(key, 24, &p, &iv, out.data.data,
                                       out.data.len, &back, &st),
                     KMIP_OK);
    assert_memory_equal(back.data.data, plain, 24);
    kmipd_cipher_output_clear(&out);
    kmipd_cipher_output_clear(&back);
    p.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_GCM;
    crypto_test_assert_reason(
        kmipd_aes_encrypt(key, 24, &p, &none, data, 24, &out, &st), &st,
        KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS);
}

static void cbc_without_padding_rejects_a_partial_block(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC,
                             .padding_method = KMIP_PADDING_METHOD_NONE};
    kmipd_cipher_input none = {0};
    kmipd_cipher_output out;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_aes_encrypt(aes_key, 16, &p, &none, message, 17, &out, &st), &st,
        KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(out.iv.data);
}

static void decryption_without_iv_is_missing_iv(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CTR};
    kmipd_cipher_input none = {0};
    kmipd_cipher_output out;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_aes_decrypt(aes_key, 16, &p, &none, message, 16, &out, &st), &st,
        KMIP_RESULT_REASON_MISSING_INITIALIZATION_VECTOR);
}

static void iv_given_with_random_iv_is_bad_parameters(void **state)
{
    (void)state;
    static const uint8_t iv[16] = {0};
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC,
                             .random_iv_set = true,
                             .random_iv = true};
    kmipd_cipher_input in = {.iv = iv, .iv_len = sizeof(iv)};
    kmipd_cipher_output out;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_aes_encrypt(aes_key, 16, &p, &in, message, 16, &out, &st), &st,
        KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

static void cbc_with_a_short_iv_is_bad_parameters(void **state)
{
    (void)state;
    static const uint8_t iv[8] = {0};
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC};
    kmipd_cipher_input in = {.iv = iv, .iv_len = sizeof(iv)};
    kmipd_cipher_output out;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_aes_encrypt(aes_key, 16, &p, &in, message, 16, &out, &st), &st,
        KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

static void aes_without_mode_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {0};
    kmipd_cipher_input none = {0};
    kmipd_cipher_output out;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_aes_encrypt(aes_key, 16, &p, &none, message, 16, &out, &st), &st,
        KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

/* ---- HMAC and RNG. ---- */

/* RFC 4231 test case 2. */
static const uint8_t jefe[] = {'J', 'e', 'f', 'e'};
static const uint8_t jefe_data[] = "what do ya want for nothing?";
static const uint8_t jefe_sha256[32] = {
    0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
    0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
    0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};

static void hmac_sha256_matches_rfc4231(void **state)
{
    (void)state;
    kmipd_crypto_params none = {0};
    kmipd_buf mac = {0};
    kmip_status st;
    assert_int_equal(kmipd_mac(jefe, sizeof(jefe),
                               KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256, &none,
                               jefe_data, sizeof(jefe_data) - 1, &mac, &st),
                     KMIP_OK);
    assert_int_equal(mac.len, 32);
    assert_memory_equal(mac.data, jefe_sha256, 32);
    kmipd_buf_clear(&mac);
}

static void mac_verify_accepts_the_mac_and_rejects_another(void **state)
{
    (void)state;
    kmipd_crypto_params none = {0};
    uint8_t wrong[32];
    memcpy(wrong, jefe_sha256, sizeof(wrong));
    wrong[31] ^= 0x80;
    bool valid = false;
    kmip_status st;
    assert_int_equal(kmipd_mac_verify(jefe, sizeof(jefe),
                                      KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256,
                                      &none, jefe_data, sizeof(jefe_data) - 1,
                                      jefe_sha256, sizeof(jefe_sha256), &valid,
                                      &st),
                     KMIP_OK);
    assert_true(valid);
    assert_int_equal(kmipd_mac_verify(jefe, sizeof(jefe),
                                      KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256,
                                      &none, jefe_data, sizeof(jefe_data) - 1,
                                      wrong, sizeof(wrong), &valid, &st),
                     KMIP_OK);
    assert_false(valid);
}

static void hmac_contradicting_the_key_algorithm_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.cryptographic_algorithm =
                                 KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA512};
    kmipd_buf mac = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_mac(jefe, sizeof(jefe), KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256,
                  &p, jefe_data, 4, &mac, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

/* A key of no HMAC algorithm MACs with the hash the request names
 * (RFC 4231 test case 2 with HMAC-SHA-512, RFC 2202 with SHA-1). */
static void hmac_of_a_key_fixing_no_hash_takes_the_requests(void **state)
{
    (void)state;
    static const uint8_t sha512_start[] = {0x16, 0x4b, 0x7a, 0x7b,
                                           0xfc, 0xf8, 0x19, 0xe2};
    static const uint8_t sha1_start[] = {0xef, 0xfc, 0xdf, 0x6a,
                                         0xe5, 0xeb, 0x2f, 0xa2};
    const kmipd_crypto_params asked[] = {
        {.hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_512},
        {.cryptographic_algorithm = KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA1}};
    const uint8_t *expected[] = {sha512_start, sha1_start};
    const size_t lengths[] = {64, 20};
    for (size_t i = 0; i < 2; i++) {
        kmipd_buf mac = {0};
        kmip_status st;
        assert_int_equal(kmipd_mac(jefe, sizeof(jefe),
                                   KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, &asked[i],
                                   jefe_data, sizeof(jefe_data) - 1, &mac, &st),
                         KMIP_OK);
        assert_int_equal(mac.len, lengths[i]);
        assert_memory_equal(mac.data, expected[i], 8);
        kmipd_buf_clear(&mac);
    }
}

static void rng_returns_the_requested_length(void **state)
{
    (void)state;
    kmipd_buf a = {0}, b = {0};
    kmip_status st;
    assert_int_equal(kmipd_random(32, &a, &st), KMIP_OK);
    assert_int_equal(kmipd_random(32, &b, &st), KMIP_OK);
    assert_int_equal(a.len, 32);
    assert_memory_not_equal(a.data, b.data, 32);
    kmipd_buf_clear(&a);
    kmipd_buf_clear(&b);
}

static void rng_outside_its_bounds_is_invalid_field(void **state)
{
    (void)state;
    kmipd_buf out = {0};
    kmip_status st;
    crypto_test_assert_reason(kmipd_random(0, &out, &st), &st,
                              KMIP_RESULT_REASON_INVALID_FIELD);
    crypto_test_assert_reason(kmipd_random(KMIPD_RNG_MAX + 1, &out, &st), &st,
                              KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(out.data);
}

/* OASIS CS-AC-M-7: SHA-256 of 01 02 .. 16. */
static void hash_matches_the_oasis_case(void **state)
{
    (void)state;
    static const uint8_t data[16] = {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16};
    static const uint8_t want[8] = {0xad, 0x41, 0x23, 0x3d,
                                    0x22, 0xcf, 0x93, 0x22};
    kmipd_buf digest = {0};
    kmip_status st;
    assert_int_equal(kmipd_hash(KMIP_HASHING_ALGORITHM_SHA_256, data,
                                sizeof(data), &digest, &st),
                     KMIP_OK);
    assert_int_equal(digest.len, 32);
    assert_memory_equal(digest.data, want, sizeof(want));
    kmipd_buf_clear(&digest);
    crypto_test_assert_reason(
        kmipd_hash(KMIP_HASHING_ALGORITHM_MD2, data, sizeof(data), &digest,
                   &st),
        &st, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS);
    assert_null(digest.data);
}

static void v2_reasons_are_mapped_for_v1_clients(void **state)
{
    (void)state;
    assert_int_equal(
        kmipd_crypto_reason_for_version(
            KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS, false),
        KMIP_RESULT_REASON_INVALID_FIELD);
    assert_int_equal(kmipd_crypto_reason_for_version(
                         KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS, true),
                     KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
    assert_int_equal(kmipd_crypto_reason_for_version(
                         KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE, false),
                     KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE);
    /* Decrypt without the IV: Invalid Message, as in OASIS CS-BC-M-12. */
    assert_int_equal(
        kmipd_crypto_reason_for_version(
            KMIP_RESULT_REASON_MISSING_INITIALIZATION_VECTOR, false),
        KMIP_RESULT_REASON_INVALID_MESSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(oaep_round_trips_with_hash_mgf1_and_label),
        cmocka_unit_test(oaep_with_another_label_fails_to_decrypt),
        cmocka_unit_test(oaep_decrypts_what_openssl_encrypted),
        cmocka_unit_test(rsa_pkcs1_encryption_round_trips),
        cmocka_unit_test(raw_rsa_decrypts_openssl_raw_rsa),
        cmocka_unit_test(
            rsa_encryption_without_padding_method_is_bad_parameters),
        cmocka_unit_test(aes_every_mode_and_size_round_trips),
        cmocka_unit_test(gcm_generates_a_12_byte_iv_and_16_byte_tag),
        cmocka_unit_test(cbc_generates_a_16_byte_iv),
        cmocka_unit_test(gcm_matches_the_published_test_vector),
        cmocka_unit_test(gcm_with_a_wrong_tag_is_cryptographic_failure),
        cmocka_unit_test(gcm_with_other_aad_is_cryptographic_failure),
        cmocka_unit_test(gcm_short_tag_length_is_honoured),
        cmocka_unit_test(gcm_with_empty_plaintext_gives_empty_data),
        cmocka_unit_test(triple_des_ecb_matches_the_oasis_case),
        cmocka_unit_test(cbc_without_padding_rejects_a_partial_block),
        cmocka_unit_test(decryption_without_iv_is_missing_iv),
        cmocka_unit_test(iv_given_with_random_iv_is_bad_parameters),
        cmocka_unit_test(cbc_with_a_short_iv_is_bad_parameters),
        cmocka_unit_test(aes_without_mode_is_bad_parameters),
        cmocka_unit_test(hmac_sha256_matches_rfc4231),
        cmocka_unit_test(mac_verify_accepts_the_mac_and_rejects_another),
        cmocka_unit_test(
            hmac_contradicting_the_key_algorithm_is_bad_parameters),
        cmocka_unit_test(hmac_of_a_key_fixing_no_hash_takes_the_requests),
        cmocka_unit_test(rng_returns_the_requested_length),
        cmocka_unit_test(rng_outside_its_bounds_is_invalid_field),
        cmocka_unit_test(hash_matches_the_oasis_case),
        cmocka_unit_test(v2_reasons_are_mapped_for_v1_clients),
    };
    return cmocka_run_group_tests(tests, generate_key, free_key);
}
