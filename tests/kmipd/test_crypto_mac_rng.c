/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's MAC (HMAC) and MAC Verify, RNG and Hash, checked against RFC 4231
 * and the OASIS cases; the reasons of cryptographic failures as a KMIP 1.x
 * client gets them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

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
    return cmocka_run_group_tests(tests, NULL, crypto_test_clear_cache);
}
