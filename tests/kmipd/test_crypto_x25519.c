// SPDX-License-Identifier: Apache-2.0
/* kmipd's X25519 and X448 (KMIP ECDH on CURVE25519 / CURVE448): key pairs,
 * the agreement checked against OpenSSL, the Raw public key in and out,
 * refused curves, lengths, peers and signatures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"

#include "crypto_test.h"

static const struct montgomery_case {
    uint32_t curve;
    const char *keytype;
    int32_t bits;
    size_t key_len;
} cases[] = {
    {KMIP_RECOMMENDED_CURVE_CURVE25519, "X25519", 255, 32},
    {KMIP_RECOMMENDED_CURVE_CURVE448, "X448", 448, 56},
};

#define ECDH KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDH

/* A key pair kmipd generates for c: the private key loaded, the public
 * key's raw bytes in raw. */
static EVP_PKEY *generate(const struct montgomery_case *c, kmipd_buf *raw)
{
    kmipd_buf priv = {0}, pub = {0};
    kmipd_key_info info;
    kmip_status st;
    EVP_PKEY *key = NULL;
    assert_int_equal(kmipd_generate_key_pair(ECDH, c->bits, c->curve, &priv,
                                             &pub, &info, &st),
                     KMIP_OK);
    assert_int_equal(info.algorithm, ECDH);
    assert_int_equal(info.length, c->bits);
    assert_int_equal(info.curve, c->curve);
    assert_int_equal(kmipd_key_load(KMIP_OBJECT_TYPE_PRIVATE_KEY, priv.data,
                                    priv.len, &key, &st),
                     KMIP_OK);
    assert_true(EVP_PKEY_is_a(key, c->keytype));
    assert_int_equal(kmipd_key_export(KMIP_OBJECT_TYPE_PUBLIC_KEY, pub.data,
                                      pub.len, KMIP_KEY_FORMAT_TYPE_RAW, raw,
                                      &st),
                     KMIP_OK);
    assert_int_equal(raw->len, c->key_len);
    kmipd_buf_clear(&priv);
    kmipd_buf_clear(&pub);
    return key;
}

/* OpenSSL's agreement of own with peer's raw public key into out. */
static void local_agreement(EVP_PKEY *own, const kmipd_buf *peer, uint8_t *out,
                            size_t len)
{
    EVP_PKEY *pub = EVP_PKEY_new_raw_public_key_ex(
        NULL, EVP_PKEY_get0_type_name(own), NULL, peer->data, peer->len);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(own, NULL);
    assert_non_null(pub);
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_derive_init(ctx), 1);
    assert_int_equal(EVP_PKEY_derive_set_peer(ctx, pub), 1);
    assert_int_equal(EVP_PKEY_derive(ctx, out, &len), 1);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pub);
}

static void pairs_agree_with_openssl(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kmipd_buf server_raw = {0}, secret = {0};
        EVP_PKEY *own = generate(&cases[i], &server_raw);
        EVP_PKEY *peer = EVP_PKEY_Q_keygen(NULL, NULL, cases[i].keytype);
        uint8_t peer_raw[56], want[56];
        size_t peer_len = sizeof(peer_raw);
        assert_int_equal(EVP_PKEY_get_raw_public_key(peer, peer_raw, &peer_len),
                         1);
        local_agreement(peer, &server_raw, want, cases[i].key_len);
        const kmipd_ecdh_input in = {peer_raw, peer_len, 0, NULL, 0};
        kmip_status st;
        assert_int_equal(
            kmipd_ecdh_derive(own, &in, cases[i].key_len, &secret, &st),
            KMIP_OK);
        assert_int_equal(secret.len, cases[i].key_len);
        assert_memory_equal(secret.data, want, cases[i].key_len);
        kmipd_buf_clear(&secret);
        const kmipd_ecdh_input short_peer = {peer_raw, peer_len - 1, 0, NULL,
                                             0};
        crypto_test_assert_reason(
            kmipd_ecdh_derive(own, &short_peer, 16, &secret, &st), &st,
            KMIP_RESULT_REASON_INVALID_FIELD);
        EVP_PKEY_free(peer);
        EVP_PKEY_free(own);
        kmipd_buf_clear(&server_raw);
    }
}

static void raw_public_keys_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kmipd_buf raw = {0}, canonical = {0}, again = {0};
        kmipd_key_info info;
        kmip_status st;
        EVP_PKEY *own = generate(&cases[i], &raw);
        assert_int_equal(kmipd_key_from_raw_public(ECDH, cases[i].curve,
                                                   raw.data, raw.len,
                                                   &canonical, &info, &st),
                         KMIP_OK);
        assert_int_equal(info.algorithm, ECDH);
        assert_int_equal(info.curve, cases[i].curve);
        assert_int_equal(kmipd_key_export(KMIP_OBJECT_TYPE_PUBLIC_KEY,
                                          canonical.data, canonical.len,
                                          KMIP_KEY_FORMAT_TYPE_RAW, &again,
                                          &st),
                         KMIP_OK);
        assert_int_equal(again.len, raw.len);
        assert_memory_equal(again.data, raw.data, raw.len);
        EVP_PKEY_free(own);
        kmipd_buf_clear(&raw);
        kmipd_buf_clear(&canonical);
        kmipd_buf_clear(&again);
    }
}

static void other_curves_and_lengths_are_invalid_field(void **state)
{
    (void)state;
    kmipd_buf priv = {0}, pub = {0};
    kmipd_key_info info;
    kmip_status st;
    crypto_test_assert_reason(
        kmipd_generate_key_pair(ECDH, 448, KMIP_RECOMMENDED_CURVE_CURVE25519,
                                &priv, &pub, &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
    crypto_test_assert_reason(
        kmipd_generate_key_pair(ECDH, 256, KMIP_RECOMMENDED_CURVE_P_256, &priv,
                                &pub, &info, &st),
        &st, KMIP_RESULT_REASON_INVALID_FIELD);
}

static void montgomery_keys_do_not_sign(void **state)
{
    (void)state;
    kmipd_buf raw = {0}, sig = {0};
    EVP_PKEY *own = generate(&cases[0], &raw);
    kmipd_crypto_params p = {0};
    kmip_status st;
    static const uint8_t message[] = "X25519 agrees, it does not sign";
    crypto_test_assert_reason(
        kmipd_sign(own, &p, message, sizeof(message), false, &sig, &st), &st,
        KMIP_RESULT_REASON_INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK);
    EVP_PKEY_free(own);
    kmipd_buf_clear(&raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs_agree_with_openssl),
        cmocka_unit_test(raw_public_keys_round_trip),
        cmocka_unit_test(other_curves_and_lengths_are_invalid_field),
        cmocka_unit_test(montgomery_keys_do_not_sign),
    };
    return cmocka_run_group_tests(tests, NULL, crypto_test_clear_cache);
}
