/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA signatures between DER (KMIP, OpenSSL) and r || s (PKCS#11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "ecdsa_sig.h"

/* SEQUENCE { INTEGER 0x01, INTEGER 0x00FF } */
static const uint8_t small_der[] = {0x30, 0x07, 0x02, 0x01, 0x01,
                                    0x02, 0x02, 0x00, 0xff};

static void short_integers_are_left_padded_to_the_order(void **state)
{
    (void)state;
    uint8_t raw[64];
    assert_int_equal(p11_ecdsa_der_to_raw(small_der, sizeof(small_der), 32, raw,
                                          sizeof(raw)),
                     CKR_OK);
    uint8_t expected[64] = {0};
    expected[31] = 0x01;
    expected[63] = 0xff;
    assert_memory_equal(raw, expected, 64);
}

static void raw_buffer_smaller_than_two_orders_is_too_small(void **state)
{
    (void)state;
    uint8_t raw[63];
    assert_int_equal(p11_ecdsa_der_to_raw(small_der, sizeof(small_der), 32, raw,
                                          sizeof(raw)),
                     CKR_BUFFER_TOO_SMALL);
}

static void der_with_trailing_bytes_is_a_device_error(void **state)
{
    (void)state;
    uint8_t der[sizeof(small_der) + 1];
    memcpy(der, small_der, sizeof(small_der));
    der[sizeof(small_der)] = 0;
    uint8_t raw[64];
    assert_int_equal(
        p11_ecdsa_der_to_raw(der, sizeof(der), 32, raw, sizeof(raw)),
        CKR_DEVICE_ERROR);
}

static void integer_longer_than_the_order_is_a_device_error(void **state)
{
    (void)state;
    uint8_t raw[4];
    /* r = 0x0100 needs two bytes: it cannot be an integer mod a one-byte
     * order. */
    static const uint8_t der[] = {0x30, 0x07, 0x02, 0x02, 0x01,
                                  0x00, 0x02, 0x01, 0x01};
    assert_int_equal(
        p11_ecdsa_der_to_raw(der, sizeof(der), 1, raw, sizeof(raw)),
        CKR_DEVICE_ERROR);
}

/* Raw r||s is exactly two orders long: odd, one short or one over. */
static void raw_not_two_orders_long_is_signature_len_range(void **state)
{
    (void)state;
    static const size_t lengths[] = {63, 62, 65, 66};
    uint8_t raw[66] = {1};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        uint8_t *der = NULL;
        size_t der_len = 0;
        assert_int_equal(
            p11_ecdsa_raw_to_der(raw, lengths[i], 32, &der, &der_len),
            CKR_SIGNATURE_LEN_RANGE);
        assert_null(der);
    }
}

static void openssl_signature_survives_raw_round_trip(void **state)
{
    (void)state;
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
    assert_non_null(key);
    static const uint8_t msg[] = "message";
    uint8_t der[160];
    size_t der_len = sizeof(der);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(
        EVP_DigestSignInit_ex(md, NULL, "SHA512", NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestSign(md, der, &der_len, msg, sizeof(msg)), 1);
    EVP_MD_CTX_free(md);

    uint8_t raw[132];
    assert_int_equal(p11_ecdsa_der_to_raw(der, der_len, 66, raw, sizeof(raw)),
                     CKR_OK);
    uint8_t *again = NULL;
    size_t again_len = 0;
    assert_int_equal(
        p11_ecdsa_raw_to_der(raw, sizeof(raw), 66, &again, &again_len), CKR_OK);

    md = EVP_MD_CTX_new();
    assert_int_equal(
        EVP_DigestVerifyInit_ex(md, NULL, "SHA512", NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestVerify(md, again, again_len, msg, sizeof(msg)),
                     1);
    EVP_MD_CTX_free(md);
    OPENSSL_free(again);
    EVP_PKEY_free(key);
}

/* What d2i_ECDSA_SIG refuses: a negative integer, a 0x00 not needed
 * before a high bit, an empty integer, another tag, lengths past the
 * data, a SEQUENCE shorter than its integers. */
static void der_openssl_refuses_is_a_device_error(void **state)
{
    (void)state;
    static const uint8_t bad[][9] = {
        {0x30, 0x07, 0x02, 0x01, 0x81, 0x02, 0x02, 0x00, 0xff},
        {0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01},
        {0x30, 0x07, 0x02, 0x00, 0x02, 0x03, 0x01, 0x00, 0xff},
        {0x30, 0x07, 0x03, 0x01, 0x01, 0x02, 0x02, 0x00, 0xff},
        {0x30, 0x08, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0xff},
        {0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x03, 0x00, 0xff},
        {0x30, 0x81, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0xff},
        {0x30, 0x05, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0xff},
        {0x30, 0x82, 0x00, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01},
    };
    uint8_t raw[64];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const unsigned char *cursor = bad[i];
        ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &cursor, sizeof(bad[i]));
        assert_true(sig == NULL || cursor != bad[i] + sizeof(bad[i]));
        ECDSA_SIG_free(sig);
        assert_int_equal(
            p11_ecdsa_der_to_raw(bad[i], sizeof(bad[i]), 32, raw, sizeof(raw)),
            CKR_DEVICE_ERROR);
    }
}

/* The hand-written encoder writes what OpenSSL's i2d_ECDSA_SIG writes:
 * leading zeros dropped, a 0x00 before a high bit, zero as one byte, the
 * long form of a length past 127 (P-521); the decoder reads it back. */
static void raw_to_der_matches_openssl(void **state)
{
    (void)state;
    static const size_t orders[] = {1, 32, 48, 66};
    static const uint8_t firsts[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
    for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
        size_t order = orders[o];
        for (size_t f = 0; f < 5 * 5 * 3; f++) {
            uint8_t raw[132];
            memset(raw, f % 3 == 0 ? 0 : 0x5a, sizeof(raw));
            raw[0] = firsts[f % 5];
            raw[order] = firsts[(f / 5) % 5];
            if (f % 3 == 2 && order > 1)
                raw[1] = raw[order + 1] = 0; /* two leading zero bytes */
            ECDSA_SIG *sig = ECDSA_SIG_new();
            assert_int_equal(
                ECDSA_SIG_set0(sig, BN_bin2bn(raw, (int)order, NULL),
                               BN_bin2bn(raw + order, (int)order, NULL)),
                1);
            unsigned char *expected = NULL;
            int expected_len = i2d_ECDSA_SIG(sig, &expected);
            ECDSA_SIG_free(sig);
            uint8_t der[300];
            size_t der_len = 0;
            assert_int_equal(p11_ecdsa_raw_to_der_into(raw, 2 * order, der,
                                                       sizeof(der), &der_len),
                             CKR_OK);
            assert_int_equal(der_len, (size_t)expected_len);
            assert_memory_equal(der, expected, der_len);
            assert_int_equal(p11_ecdsa_raw_to_der_into(raw, 2 * order, der,
                                                       der_len - 1, &der_len),
                             CKR_BUFFER_TOO_SMALL);
            uint8_t back[132];
            assert_int_equal(p11_ecdsa_der_to_raw(expected, der_len, order,
                                                  back, sizeof(back)),
                             CKR_OK);
            assert_memory_equal(back, raw, 2 * order);
            OPENSSL_free(expected);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_integers_are_left_padded_to_the_order),
        cmocka_unit_test(raw_buffer_smaller_than_two_orders_is_too_small),
        cmocka_unit_test(der_with_trailing_bytes_is_a_device_error),
        cmocka_unit_test(integer_longer_than_the_order_is_a_device_error),
        cmocka_unit_test(raw_not_two_orders_long_is_signature_len_range),
        cmocka_unit_test(openssl_signature_survives_raw_round_trip),
        cmocka_unit_test(der_openssl_refuses_is_a_device_error),
        cmocka_unit_test(raw_to_der_matches_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
