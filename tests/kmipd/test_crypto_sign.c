/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd's signatures (RSA PKCS#1 v1.5 and PSS, ECDSA), checked against
 * OpenSSL's own verifiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

static EVP_PKEY *rsa_key;    /* RSA-2048, private (holds the public part) */
static EVP_PKEY *ec_keys[3]; /* P-256, P-384, P-521 */

static const uint8_t message[] = "kmipd signs what it is given";

static int generate_keys(void **state)
{
    (void)state;
    rsa_key = crypto_test_private_key(KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA, 2048);
    ec_keys[0] = crypto_test_private_key(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256);
    ec_keys[1] = crypto_test_private_key(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 384);
    ec_keys[2] = crypto_test_private_key(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 521);
    return rsa_key && ec_keys[0] && ec_keys[1] && ec_keys[2] ? 0 : -1;
}

static int free_keys(void **state)
{
    (void)state;
    EVP_PKEY_free(rsa_key);
    for (size_t i = 0; i < 3; i++)
        EVP_PKEY_free(ec_keys[i]);
    kmipd_key_cache_clear();
    return 0;
}

static kmipd_buf sign(EVP_PKEY *key, const kmipd_crypto_params *p,
                      const uint8_t *data, size_t len, bool digested)
{
    kmipd_buf sig = {0};
    kmip_status st;
    assert_int_equal(kmipd_sign(key, p, data, len, digested, &sig, &st),
                     KMIP_OK);
    return sig;
}

/* OpenSSL's own verdict on sig over message, with an RSA padding and, for
 * PSS, a salt length and MGF1 hash (NULL: the message hash). */
static bool openssl_verifies(EVP_PKEY *key, const char *md_name, int padding,
                             int salt_length, const char *mgf1_name,
                             const kmipd_buf *sig)
{
    EVP_MD_CTX *md_ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    assert_int_equal(
        EVP_DigestVerifyInit_ex(md_ctx, &pctx, md_name, NULL, NULL, key, NULL),
        1);
    if (padding != 0) {
        assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, padding), 1);
    }
    if (padding == RSA_PKCS1_PSS_PADDING) {
        assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt_length),
                         1);
        assert_int_equal(
            EVP_PKEY_CTX_set_rsa_mgf1_md_name(
                pctx, mgf1_name != NULL ? mgf1_name : md_name, NULL),
            1);
    }
    int rc =
        EVP_DigestVerify(md_ctx, sig->data, sig->len, message, sizeof(message));
    EVP_MD_CTX_free(md_ctx);
    return rc == 1;
}

/* ---- RSA PKCS#1 v1.5. ---- */

static void rsa_pkcs1_signature_verifies_with_openssl(void **state)
{
    (void)state;
    kmipd_crypto_params p = {
        .digital_signature_algorithm =
            KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA256_WITH_RSA_ENCRYPTION};
    kmipd_buf sig = sign(rsa_key, &p, message, sizeof(message), false);
    assert_int_equal(sig.len, 256);
    assert_true(
        openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PADDING, 0, NULL, &sig));
    kmipd_buf_clear(&sig);
}

static void rsa_pkcs1_over_digested_data_equals_over_data(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_384,
                             .padding_method = KMIP_PADDING_METHOD_PKCS1V15};
    uint8_t digest[48];
    assert_int_equal(
        EVP_Digest(message, sizeof(message), digest, NULL, EVP_sha384(), NULL),
        1);
    kmipd_buf over_data = sign(rsa_key, &p, message, sizeof(message), false);
    kmipd_buf over_digest = sign(rsa_key, &p, digest, sizeof(digest), true);
    assert_int_equal(over_data.len, over_digest.len);
    assert_memory_equal(over_data.data, over_digest.data, over_data.len);
    kmipd_buf_clear(&over_data);
    kmipd_buf_clear(&over_digest);
}

static void rsa_pkcs1_without_hash_signs_the_given_digest_info(void **state)
{
    (void)state;
    /* DigestInfo prefix of SHA-256 (RFC 8017, 9.2 note 1). */
    static const uint8_t prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                     0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                     0x01, 0x05, 0x00, 0x04, 0x20};
    uint8_t digest_info[sizeof(prefix) + 32];
    memcpy(digest_info, prefix, sizeof(prefix));
    assert_int_equal(EVP_Digest(message, sizeof(message),
                                digest_info + sizeof(prefix), NULL,
                                EVP_sha256(), NULL),
                     1);
    kmipd_crypto_params raw = {.padding_method = KMIP_PADDING_METHOD_PKCS1V15};
    kmipd_buf sig = sign(rsa_key, &raw, digest_info, sizeof(digest_info), true);
    assert_true(
        openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PADDING, 0, NULL, &sig));
    kmipd_buf_clear(&sig);
}

/* ---- Raw RSA (Padding Method None). ---- */

static void raw_rsa_signature_is_undone_by_the_public_key(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_NONE};
    uint8_t block[256] = {0, 1, 2, 3};
    memcpy(block + 200, message, sizeof(message));
    kmipd_buf sig = sign(rsa_key, &p, block, sizeof(block), false);
    assert_int_equal(sig.len, 256);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, rsa_key, NULL);
    uint8_t recovered[256];
    size_t recovered_len = sizeof(recovered);
    assert_int_equal(EVP_PKEY_verify_recover_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
    assert_int_equal(EVP_PKEY_verify_recover(ctx, recovered, &recovered_len,
                                             sig.data, sig.len),
                     1);
    assert_int_equal(recovered_len, sizeof(block));
    assert_memory_equal(recovered, block, sizeof(block));
    EVP_PKEY_CTX_free(ctx);
    kmipd_buf_clear(&sig);
}

static void raw_rsa_of_another_length_is_invalid_field(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_NONE};
    uint8_t block[255] = {0};
    kmipd_buf sig = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_sign(rsa_key, &p, block, sizeof(block), false, &sig, &st), &st,
        KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(sig.data);
}

static void raw_rsa_with_a_hash_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_NONE,
                             .hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256};
    kmipd_buf sig = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_sign(rsa_key, &p, message, sizeof(message), false, &sig, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

static void digested_data_of_the_wrong_length_is_invalid_field(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256};
    uint8_t digest[20] = {0};
    kmipd_buf sig = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_sign(rsa_key, &p, digest, sizeof(digest), true, &sig, &st), &st,
        KMIP_RESULT_REASON_INVALID_FIELD);
    assert_null(sig.data);
}

static void ecdsa_algorithm_on_an_rsa_key_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {
        .digital_signature_algorithm =
            KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA256};
    kmipd_buf sig = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_sign(rsa_key, &p, message, sizeof(message), false, &sig, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

/* ---- RSA PSS. ---- */

static kmipd_crypto_params pss(void)
{
    kmipd_crypto_params p = {.hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256,
                             .padding_method = KMIP_PADDING_METHOD_PSS};
    return p;
}

static void pss_salt_defaults_to_the_digest_length(void **state)
{
    (void)state;
    kmipd_crypto_params p = pss();
    kmipd_buf sig = sign(rsa_key, &p, message, sizeof(message), false);
    assert_true(openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PSS_PADDING, 32,
                                 NULL, &sig));
    assert_false(openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PSS_PADDING,
                                  RSA_PSS_SALTLEN_MAX, NULL, &sig));
    kmipd_buf_clear(&sig);
}

static void pss_honours_the_salt_length(void **state)
{
    (void)state;
    const int32_t salts[] = {0, 20, 222};
    for (size_t i = 0; i < 3; i++) {
        kmipd_crypto_params p = pss();
        p.salt_length_set = true;
        p.salt_length = salts[i];
        kmipd_buf sig = sign(rsa_key, &p, message, sizeof(message), false);
        assert_true(openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PSS_PADDING,
                                     salts[i], NULL, &sig));
        assert_false(openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PSS_PADDING,
                                      salts[i] + 1, NULL, &sig));
        kmipd_buf_clear(&sig);
    }
}

static void pss_salt_longer_than_the_key_allows_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = pss();
    p.salt_length_set = true;
    p.salt_length = 223;
    kmipd_buf sig = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_sign(rsa_key, &p, message, sizeof(message), false, &sig, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

static void pss_honours_the_mask_generator_hash(void **state)
{
    (void)state;
    kmipd_crypto_params p = pss();
    p.mask_generator = KMIP_MASK_GENERATOR_MGF1;
    p.mask_generator_hashing_algorithm = KMIP_HASHING_ALGORITHM_SHA_1;
    kmipd_buf sig = sign(rsa_key, &p, message, sizeof(message), false);
    assert_true(openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PSS_PADDING, 32,
                                 "SHA1", &sig));
    assert_false(openssl_verifies(rsa_key, "SHA256", RSA_PKCS1_PSS_PADDING, 32,
                                  "SHA256", &sig));
    kmipd_buf_clear(&sig);
}

static void pss_without_hash_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.padding_method = KMIP_PADDING_METHOD_PSS};
    kmipd_buf sig = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_sign(rsa_key, &p, message, sizeof(message), false, &sig, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

static void pss_signature_verifies_with_kmipd(void **state)
{
    (void)state;
    kmipd_crypto_params p = pss();
    kmipd_buf sig = sign(rsa_key, &p, message, sizeof(message), false);
    bool valid = false;
    kmip_status st;
    assert_int_equal(kmipd_verify(rsa_key, &p, message, sizeof(message), false,
                                  sig.data, sig.len, &valid, &st),
                     KMIP_OK);
    assert_true(valid);
    kmipd_buf_clear(&sig);
}

static void pss_verify_honours_the_salt_length(void **state)
{
    (void)state;
    /* OpenSSL signs with the largest salt: 256 - 32 - 2 bytes. */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    assert_int_equal(
        EVP_DigestSignInit_ex(md, &pctx, "SHA256", NULL, NULL, rsa_key, NULL),
        1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING),
                     1);
    assert_int_equal(
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_MAX), 1);
    uint8_t raw[256];
    size_t raw_len = sizeof(raw);
    assert_int_equal(
        EVP_DigestSign(md, raw, &raw_len, message, sizeof(message)), 1);
    EVP_MD_CTX_free(md);
    /* No Salt Length given: any salt length verifies (issue 10 item 7). */
    kmipd_crypto_params p = pss();
    bool valid = false;
    kmip_status st;
    assert_int_equal(kmipd_verify(rsa_key, &p, message, sizeof(message), false,
                                  raw, raw_len, &valid, &st),
                     KMIP_OK);
    assert_true(valid);
    p.salt_length_set = true;
    p.salt_length = 32;
    assert_int_equal(kmipd_verify(rsa_key, &p, message, sizeof(message), false,
                                  raw, raw_len, &valid, &st),
                     KMIP_OK);
    assert_false(valid);
    p.salt_length = 222;
    assert_int_equal(kmipd_verify(rsa_key, &p, message, sizeof(message), false,
                                  raw, raw_len, &valid, &st),
                     KMIP_OK);
    assert_true(valid);
}

/* ---- ECDSA. ---- */

static void ecdsa_signature_is_der_and_verifies_on_every_curve(void **state)
{
    (void)state;
    const char *mds[] = {"SHA256", "SHA384", "SHA512"};
    const uint32_t algs[] = {
        KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA256,
        KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA384,
        KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA512};
    for (size_t i = 0; i < 3; i++) {
        kmipd_crypto_params p = {.digital_signature_algorithm = algs[i]};
        kmipd_buf sig = sign(ec_keys[i], &p, message, sizeof(message), false);
        const unsigned char *cursor = sig.data;
        ECDSA_SIG *parsed = d2i_ECDSA_SIG(NULL, &cursor, (long)sig.len);
        assert_non_null(parsed);
        assert_ptr_equal(cursor, sig.data + sig.len);
        ECDSA_SIG_free(parsed);
        assert_true(openssl_verifies(ec_keys[i], mds[i], 0, 0, NULL, &sig));
        kmipd_buf_clear(&sig);
    }
}

static void ecdsa_over_digested_data_verifies(void **state)
{
    (void)state;
    uint8_t digest[32];
    assert_int_equal(
        EVP_Digest(message, sizeof(message), digest, NULL, EVP_sha256(), NULL),
        1);
    kmipd_crypto_params p = {.hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256};
    kmipd_buf sig = sign(ec_keys[0], &p, digest, sizeof(digest), true);
    assert_true(openssl_verifies(ec_keys[0], "SHA256", 0, 0, NULL, &sig));
    kmipd_buf_clear(&sig);
}

static void tampered_signature_does_not_verify(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256};
    kmipd_buf sig = sign(ec_keys[0], &p, message, sizeof(message), false);
    sig.data[sig.len - 1] ^= 1;
    bool valid = true;
    kmip_status st;
    assert_int_equal(kmipd_verify(ec_keys[0], &p, message, sizeof(message),
                                  false, sig.data, sig.len, &valid, &st),
                     KMIP_OK);
    assert_false(valid);
    kmipd_buf_clear(&sig);
}

static void ecdsa_with_a_padding_method_is_bad_parameters(void **state)
{
    (void)state;
    kmipd_crypto_params p = {.hashing_algorithm =
                                 KMIP_HASHING_ALGORITHM_SHA_256,
                             .padding_method = KMIP_PADDING_METHOD_PSS};
    kmipd_buf sig = {0};
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_sign(ec_keys[0], &p, message, sizeof(message), false, &sig, &st),
        &st, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rsa_pkcs1_signature_verifies_with_openssl),
        cmocka_unit_test(rsa_pkcs1_over_digested_data_equals_over_data),
        cmocka_unit_test(rsa_pkcs1_without_hash_signs_the_given_digest_info),
        cmocka_unit_test(raw_rsa_signature_is_undone_by_the_public_key),
        cmocka_unit_test(raw_rsa_of_another_length_is_invalid_field),
        cmocka_unit_test(raw_rsa_with_a_hash_is_bad_parameters),
        cmocka_unit_test(digested_data_of_the_wrong_length_is_invalid_field),
        cmocka_unit_test(ecdsa_algorithm_on_an_rsa_key_is_bad_parameters),
        cmocka_unit_test(pss_salt_defaults_to_the_digest_length),
        cmocka_unit_test(pss_honours_the_salt_length),
        cmocka_unit_test(pss_salt_longer_than_the_key_allows_is_bad_parameters),
        cmocka_unit_test(pss_honours_the_mask_generator_hash),
        cmocka_unit_test(pss_without_hash_is_bad_parameters),
        cmocka_unit_test(pss_signature_verifies_with_kmipd),
        cmocka_unit_test(pss_verify_honours_the_salt_length),
        cmocka_unit_test(ecdsa_signature_is_der_and_verifies_on_every_curve),
        cmocka_unit_test(ecdsa_over_digested_data_verifies),
        cmocka_unit_test(tampered_signature_does_not_verify),
        cmocka_unit_test(ecdsa_with_a_padding_method_is_bad_parameters),
    };
    return cmocka_run_group_tests(tests, generate_keys, free_keys);
}
