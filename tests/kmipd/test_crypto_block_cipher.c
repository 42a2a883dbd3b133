/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's block ciphers (AES ECB/CBC/CTR/GCM, Triple DES), checked against
 * OpenSSL, published test vectors and the OASIS cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

static const uint8_t message[] = "kmipd seals what it is given";

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

/* Asserts that AES-128 encryption of len bytes of message under p and in
 * fails with reason and gives no IV. */
static void assert_aes_128_refused(const kmipd_crypto_params *p,
                                   const kmipd_cipher_input *in, size_t len,
                                   uint32_t reason)
{
    kmipd_cipher_output out;
    kmip_status st;

    crypto_test_assert_reason(
        kmipd_aes_encrypt(aes_key, 16, p, in, message, len, &out, &st), &st,
        reason);
    assert_null(out.iv.data);
}

static void cbc_without_padding_rejects_a_partial_block(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC,
                             .padding_method = KMIP_PADDING_METHOD_NONE};
    kmipd_cipher_input none = {0};

    assert_aes_128_refused(&p, &none, 17, KMIP_RESULT_REASON_INVALID_FIELD);
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

    assert_aes_128_refused(&p, &in, 16,
                           KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

static void cbc_with_a_short_iv_is_bad_parameters(void **state)
{
    (void)state;
    static const uint8_t iv[8] = {0};
    kmipd_crypto_params p = {.block_cipher_mode = KMIP_BLOCK_CIPHER_MODE_CBC};
    kmipd_cipher_input in = {.iv = iv, .iv_len = sizeof(iv)};

    assert_aes_128_refused(&p, &in, 16,
                           KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

static void aes_without_mode_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {0};
    kmipd_cipher_input none = {0};

    assert_aes_128_refused(&p, &none, 16,
                           KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
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
    };
    return cmocka_run_group_tests(tests, NULL, crypto_test_clear_cache);
}
