/* SPDX-License-Identifier: Apache-2.0 */
/* The hash table and the DigestInfo parser (CKM_RSA_PKCS signing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hashes.h"
#include "kmip/tags.h"

static const uint8_t sha256_prefix[] = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
/* SHA-1 with the parameters left out, as some signers write it. */
static const uint8_t sha1_no_null_prefix[] = {0x30, 0x1f, 0x30, 0x07, 0x06,
                                              0x05, 0x2b, 0x0e, 0x03, 0x02,
                                              0x1a, 0x04, 0x14};
static const uint8_t md5_prefix[] = {0x30, 0x20, 0x30, 0x0c, 0x06, 0x08,
                                     0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                                     0x02, 0x05, 0x05, 0x00, 0x04, 0x10};

/* prefix followed by digest_len bytes 0xA5; returns the total length. */
static size_t digest_info(const uint8_t *prefix, size_t prefix_len,
                          size_t digest_len, uint8_t *out)
{
    memcpy(out, prefix, prefix_len);
    memset(out + prefix_len, 0xA5, digest_len);
    return prefix_len + digest_len;
}

static void sha256_digest_info_gives_sha256_and_its_digest(void **state)
{
    (void)state;
    uint8_t der[64];
    size_t len = digest_info(sha256_prefix, sizeof(sha256_prefix), 32, der);
    const uint8_t *digest = NULL;
    const p11_hash *hash = p11_digest_info_parse(der, len, &digest);
    assert_non_null(hash);
    assert_int_equal(hash->mechanism, CKM_SHA256);
    assert_ptr_equal(digest, der + sizeof(sha256_prefix));
}

static void digest_info_without_null_parameters_is_accepted(void **state)
{
    (void)state;
    uint8_t der[64];
    size_t len =
        digest_info(sha1_no_null_prefix, sizeof(sha1_no_null_prefix), 20, der);
    const uint8_t *digest = NULL;
    const p11_hash *hash = p11_digest_info_parse(der, len, &digest);
    assert_non_null(hash);
    assert_int_equal(hash->kmip, KMIP_HASHING_ALGORITHM_SHA_1);
}

static void digest_info_with_trailing_byte_is_rejected(void **state)
{
    (void)state;
    uint8_t der[64];
    size_t len = digest_info(sha256_prefix, sizeof(sha256_prefix), 32, der);
    der[len] = 0;
    const uint8_t *digest = NULL;
    assert_null(p11_digest_info_parse(der, len + 1, &digest));
}

static void digest_of_wrong_length_is_rejected(void **state)
{
    (void)state;
    uint8_t der[64];
    uint8_t prefix[sizeof(sha256_prefix)];
    memcpy(prefix, sha256_prefix, sizeof(prefix));
    prefix[1] = 0x30;  /* outer length one less */
    prefix[18] = 0x1f; /* a 31-byte digest */
    size_t len = digest_info(prefix, sizeof(prefix), 31, der);
    const uint8_t *digest = NULL;
    assert_null(p11_digest_info_parse(der, len, &digest));
    prefix[1] = 0x32;  /* outer length one more */
    prefix[18] = 0x21; /* a 33-byte digest */
    len = digest_info(prefix, sizeof(prefix), 33, der);
    assert_null(p11_digest_info_parse(der, len, &digest));
}

static void md5_digest_info_is_rejected(void **state)
{
    (void)state;
    uint8_t der[64];
    size_t len = digest_info(md5_prefix, sizeof(md5_prefix), 16, der);
    const uint8_t *digest = NULL;
    assert_null(p11_digest_info_parse(der, len, &digest));
}

static void raw_tls_md5_sha1_block_is_not_a_digest_info(void **state)
{
    (void)state;
    uint8_t raw[36];
    memset(raw, 0x42, sizeof(raw));
    const uint8_t *digest = NULL;
    assert_null(p11_digest_info_parse(raw, sizeof(raw), &digest));
}

static void hash_lookups_agree(void **state)
{
    (void)state;
    const p11_hash *by_length = p11_hash_by_length(48);
    assert_non_null(by_length);
    assert_int_equal(by_length->mechanism, CKM_SHA384);
    assert_ptr_equal(p11_hash_by_mgf1(CKG_MGF1_SHA384), by_length);
    assert_ptr_equal(p11_hash_by_kmip(KMIP_HASHING_ALGORITHM_SHA_384),
                     by_length);
    assert_ptr_equal(p11_hash_by_mechanism(CKM_SHA384), by_length);
    assert_null(p11_hash_by_length(17));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_digest_info_gives_sha256_and_its_digest),
        cmocka_unit_test(digest_info_without_null_parameters_is_accepted),
        cmocka_unit_test(digest_info_with_trailing_byte_is_rejected),
        cmocka_unit_test(digest_of_wrong_length_is_rejected),
        cmocka_unit_test(md5_digest_info_is_rejected),
        cmocka_unit_test(raw_tls_md5_sha1_block_is_not_a_digest_info),
        cmocka_unit_test(hash_lookups_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
