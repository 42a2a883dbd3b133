// SPDX-License-Identifier: Apache-2.0
/* C_WrapKey and C_UnwrapKey of private keys through p11kmip-pkcs11.so
 * against kmipd (run under integration/with_server.py): RSA, EC and
 * Ed25519 key pairs made on the server, their private keys wrapped as
 * PKCS#8 with AES key wrap (with padding), checked against OpenSSL
 * locally, unwrapped into new keys that sign for the original public key;
 * a PKCS#8 wrapped by OpenSSL unwrapped and used; every refusal with its
 * code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto_fixture.h"

static const uint8_t kek_bytes[32] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
    0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
    0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
static const CK_BYTE ed25519_oid[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;

/* A key kind: how the token makes and signs with it, and OpenSSL's name. */
typedef struct kind {
    CK_KEY_TYPE key_type;
    CK_MECHANISM_TYPE generate, sign;
    const CK_BYTE *curve; /* NULL: RSA-2048 */
    CK_ULONG curve_len;
    const char *openssl; /* EVP_PKEY_Q_keygen's */
} kind;

static const kind rsa2048 = {
    CKK_RSA, CKM_RSA_PKCS_KEY_PAIR_GEN, CKM_SHA256_RSA_PKCS, NULL, 0, "RSA"};
static const kind ec_p256 = {CKK_EC, CKM_EC_KEY_PAIR_GEN, CKM_ECDSA,
                             p256,   sizeof(p256),        "EC"};
static const kind ed25519 = {CKK_EC_EDWARDS,      CKM_EC_EDWARDS_KEY_PAIR_GEN,
                             CKM_EDDSA,           ed25519_oid,
                             sizeof(ed25519_oid), "ED25519"};

static CK_OBJECT_HANDLE kek(void)
{
    CK_OBJECT_CLASS secret_class = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &secret_class, sizeof(secret_class)},
        {CKA_KEY_TYPE, &aes, sizeof(aes)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VALUE, (CK_BYTE_PTR)kek_bytes, sizeof(kek_bytes)},
        {CKA_WRAP, &yes, sizeof(yes)},
        {CKA_UNWRAP, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_CreateObject(session, template, 6, &handle),
                     CKR_OK);
    return handle;
}

/* A key pair of k made on the server, its private key extractable or
 * not. */
static void key_pair(const kind *k, CK_BBOOL extractable,
                     CK_OBJECT_HANDLE *public_key,
                     CK_OBJECT_HANDLE *private_key)
{
    CK_ULONG bits = 2048;
    CK_BYTE exponent[] = {1, 0, 1};
    CK_ATTRIBUTE public_template[4] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent)},
        {CKA_MODULUS_BITS, &bits, sizeof(bits)},
    };
    CK_ULONG public_count = 4;
    if (k->curve != NULL) {
        public_template[2] =
            (CK_ATTRIBUTE){CKA_EC_PARAMS, (CK_BYTE_PTR)k->curve, k->curve_len};
        public_count = 3;
    }
    CK_ATTRIBUTE private_template[] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_EXTRACTABLE, &extractable, sizeof(extractable)},
    };
    CK_MECHANISM mechanism = {k->generate, NULL, 0};
    assert_int_equal(p11->C_GenerateKeyPair(
                         session, &mechanism, public_template, public_count,
                         private_template, 3, public_key, private_key),
                     CKR_OK);
}

/* The public attributes of k's keys: what a private key must show as its
 * public key does. */
static CK_ATTRIBUTE_TYPE public_attrs(const kind *k, size_t i)
{
    static const CK_ATTRIBUTE_TYPE rsa[] = {CKA_MODULUS, CKA_PUBLIC_EXPONENT};
    static const CK_ATTRIBUTE_TYPE ec[] = {CKA_EC_PARAMS, CKA_EC_POINT};
    return k->curve ? ec[i] : rsa[i];
}

/* Reads attribute type of key into out (at most 1024 bytes); its length. */
static CK_ULONG read_attr(CK_OBJECT_HANDLE key, CK_ATTRIBUTE_TYPE type,
                          uint8_t *out)
{
    CK_ATTRIBUTE attr = {type, out, 1024};
    assert_int_equal(p11->C_GetAttributeValue(session, key, &attr, 1), CKR_OK);
    return attr.ulValueLen;
}

/* key shows the public attributes of public_key. */
static void same_public(const kind *k, CK_OBJECT_HANDLE key,
                        CK_OBJECT_HANDLE public_key)
{
    for (size_t i = 0; i < 2; i++) {
        uint8_t want[1024], got[1024];
        CK_ULONG want_len = read_attr(public_key, public_attrs(k, i), want);
        assert_int_equal(read_attr(key, public_attrs(k, i), got), want_len);
        assert_memory_equal(got, want, want_len);
    }
}

/* The bytes pkey's public key is in public_key's CKA_MODULUS or
 * CKA_EC_POINT (an OCTET STRING of the point). */
static void openssl_public_is(const kind *k, EVP_PKEY *pkey,
                              CK_OBJECT_HANDLE public_key)
{
    uint8_t want[1024], got[1024];
    CK_ULONG want_len =
        read_attr(public_key, public_attrs(k, k->curve ? 1 : 0), want);
    size_t got_len = 0;
    if (k->curve == NULL) {
        BIGNUM *n = NULL;
        assert_int_equal(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n),
                         1);
        got_len = (size_t)BN_bn2bin(n, got);
        BN_free(n);
    } else {
        assert_int_equal(EVP_PKEY_get_octet_string_param(
                             pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, got,
                             sizeof(got), &got_len),
                         1);
        assert_true(want_len > got_len); /* the OCTET STRING's header */
        memmove(want, want + want_len - got_len, got_len);
        want_len = got_len;
    }
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, got_len);
}

/* What k's mechanism signs: message, or its SHA-256 for CKM_ECDSA. */
static size_t signed_data(const kind *k, uint8_t digest[32],
                          const uint8_t **data)
{
    *data = message;
    if (k->sign != CKM_ECDSA)
        return MESSAGE_LEN;
    sha256(message, MESSAGE_LEN, digest);
    *data = digest;
    return 32;
}

/* A signature of message by key verifies with public_key. */
static void signs_for(const kind *k, CK_OBJECT_HANDLE key,
                      CK_OBJECT_HANDLE public_key)
{
    CK_MECHANISM mechanism = {k->sign, NULL, 0};
    uint8_t signature[512], digest[32];
    CK_ULONG len = sizeof(signature);
    const uint8_t *data;
    size_t data_len = signed_data(k, digest, &data);
    assert_int_equal(sign(&mechanism, key, data, data_len, signature, &len),
                     CKR_OK);
    assert_int_equal(
        verify(&mechanism, public_key, data, data_len, signature, len), CKR_OK);
}

/* OpenSSL's AES-256 key wrap with padding (enc 1 wraps) of in, under the
 * known KEK, into out; its length, 0 when it does not unwrap. */
static size_t local_kwp(int enc, const uint8_t *in, size_t len, uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, tail = 0;
    int ok = EVP_CipherInit_ex2(ctx, EVP_aes_256_wrap_pad(), kek_bytes, NULL,
                                enc, NULL) == 1 &&
             EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 &&
             EVP_CipherFinal_ex(ctx, out + n, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? (size_t)(n + tail) : 0;
}

static CK_RV unwrap_as(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE unwrapping,
                       const uint8_t *wrapped, size_t len, CK_KEY_TYPE type,
                       CK_BBOOL token, CK_OBJECT_HANDLE *key)
{
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &private_class, sizeof(private_class)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &token, sizeof(token)},
        {CKA_SIGN, &yes, sizeof(yes)},
    };
    return p11->C_UnwrapKey(session, mechanism, unwrapping,
                            (CK_BYTE_PTR)wrapped, len, template, 4, key);
}

/* Wraps k's private key with CKM_AES_KEY_WRAP_PAD (the length asked
 * first), checks the PKCS#8 inside with OpenSSL, unwraps it (a token or
 * session object) and signs with it. */
static void round_trip(const kind *k, CK_BBOOL token)
{
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(), public_key, private_key, unwrapped;
    uint8_t wrapped[2048], plain[2048];
    CK_ULONG len = 0;
    key_pair(k, yes, &public_key, &private_key);
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, private_key, NULL, &len),
        CKR_OK);
    CK_ULONG asked = len;
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, private_key, wrapped, &len),
        CKR_OK);
    assert_int_equal(len, asked);
    size_t plain_len = local_kwp(0, wrapped, len, plain);
    const unsigned char *cursor = plain;
    EVP_PKEY *pkey = d2i_AutoPrivateKey(NULL, &cursor, (long)plain_len);
    assert_non_null(pkey);
    assert_ptr_equal(cursor, plain + plain_len);
    openssl_public_is(k, pkey, public_key);
    EVP_PKEY_free(pkey);
    assert_int_equal(
        unwrap_as(&kwp, wrapping, wrapped, len, k->key_type, token, &unwrapped),
        CKR_OK);
    same_public(k, unwrapped, public_key);
    signs_for(k, unwrapped, public_key);
}

static void an_rsa_key_wraps_as_pkcs8_and_unwraps(void **state)
{
    (void)state;
    round_trip(&rsa2048, yes);
}

static void a_p256_key_wraps_as_pkcs8_and_unwraps(void **state)
{
    (void)state;
    round_trip(&ec_p256, yes);
}

static void an_ed25519_key_wraps_as_pkcs8_and_unwraps(void **state)
{
    (void)state;
    round_trip(&ed25519, yes);
}

static void a_private_key_unwraps_as_a_session_object(void **state)
{
    (void)state;
    round_trip(&ec_p256, no);
}

/* An Ed25519 PKCS#8 (48 bytes) wraps without padding too. */
static void aes_key_wrap_wraps_a_pkcs8_of_whole_blocks(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(), public_key, private_key, unwrapped;
    uint8_t wrapped[256];
    CK_ULONG len = sizeof(wrapped);
    key_pair(&ed25519, yes, &public_key, &private_key);
    assert_int_equal(
        p11->C_WrapKey(session, &kw, wrapping, private_key, wrapped, &len),
        CKR_OK);
    assert_int_equal(len, 48 + 8);
    assert_int_equal(
        unwrap_as(&kw, wrapping, wrapped, len, CKK_EC_EDWARDS, yes, &unwrapped),
        CKR_OK);
    signs_for(&ed25519, unwrapped, public_key);
}

/* A signature of message by key verifies with OpenSSL's pkey (an
 * ECDSA r || s turned into DER first). */
static void signs_for_openssl(const kind *k, CK_OBJECT_HANDLE key,
                              EVP_PKEY *pkey)
{
    CK_MECHANISM mechanism = {k->sign, NULL, 0};
    uint8_t signature[512], digest[32], *der = NULL;
    CK_ULONG len = sizeof(signature);
    const uint8_t *data;
    size_t data_len = signed_data(k, digest, &data);
    assert_int_equal(sign(&mechanism, key, data, data_len, signature, &len),
                     CKR_OK);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok;
    if (k->sign == CKM_ECDSA) {
        ECDSA_SIG *sig = ECDSA_SIG_new();
        ECDSA_SIG_set0(sig, BN_bin2bn(signature, (int)len / 2, NULL),
                       BN_bin2bn(signature + len / 2, (int)len / 2, NULL));
        int der_len = i2d_ECDSA_SIG(sig, &der);
        ECDSA_SIG_free(sig);
        ok = EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_verify(ctx, der, (size_t)der_len, data, data_len) == 1;
    } else {
        ok = EVP_DigestVerifyInit_ex(md, NULL, k->curve ? NULL : "SHA256", NULL,
                                     NULL, pkey, NULL) == 1 &&
             EVP_DigestVerify(md, signature, len, data, data_len) == 1;
    }
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(ctx);
    assert_true(ok);
}

/* A key of k made and wrapped by OpenSSL (its PKCS#8, AES-KWP) unwraps on
 * the token and signs for OpenSSL's public key. */
static void openssl_wrapped(const kind *k)
{
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    EVP_PKEY *pkey =
        k->curve == NULL ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
        : k->key_type == CKK_EC ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")
                                : EVP_PKEY_Q_keygen(NULL, NULL, k->openssl);
    PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(pkey);
    uint8_t *der = NULL, wrapped[2048];
    int der_len = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
    assert_true(der_len > 0);
    size_t len = local_kwp(1, der, (size_t)der_len, wrapped);
    OPENSSL_clear_free(der, (size_t)der_len);
    PKCS8_PRIV_KEY_INFO_free(info);
    CK_OBJECT_HANDLE unwrapped;
    assert_int_equal(
        unwrap_as(&kwp, kek(), wrapped, len, k->key_type, yes, &unwrapped),
        CKR_OK);
    openssl_public_is(k, pkey, unwrapped);
    signs_for_openssl(k, unwrapped, pkey);
    EVP_PKEY_free(pkey);
}

static void keys_wrapped_by_openssl_unwrap_and_sign(void **state)
{
    (void)state;
    openssl_wrapped(&rsa2048);
    openssl_wrapped(&ec_p256);
    openssl_wrapped(&ed25519);
}

static void wrapping_refusals_have_the_standards_codes(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_MECHANISM cbc = {CKM_AES_CBC, NULL, 0};
    CK_RSA_PKCS_OAEP_PARAMS sha1 = {CKM_SHA_1, CKG_MGF1_SHA1,
                                    CKZ_DATA_SPECIFIED, NULL, 0};
    CK_MECHANISM oaep = {CKM_RSA_PKCS_OAEP, &sha1, sizeof(sha1)};
    CK_OBJECT_HANDLE wrapping = kek(), ec_public, ec_private, stays_public,
                     stays, rsa_public, rsa_private;
    key_pair(&ec_p256, yes, &ec_public, &ec_private);
    key_pair(&ec_p256, no, &stays_public, &stays);
    key_pair(&rsa2048, yes, &rsa_public, &rsa_private);
    CK_OBJECT_HANDLE rsa_wrapping;
    CK_ATTRIBUTE wrap_usage = {CKA_WRAP, &yes, sizeof(yes)};
    assert_int_equal(
        p11->C_CopyObject(session, rsa_public, &wrap_usage, 1, &rsa_wrapping),
        CKR_OK);
    uint8_t out[2048];
    CK_ULONG len = 8;
    struct {
        CK_MECHANISM *mechanism;
        CK_OBJECT_HANDLE wrapping, key;
        CK_RV rv;
    } cases[] = {
        {&kwp, wrapping, stays, CKR_KEY_UNEXTRACTABLE},
        {&cbc, wrapping, ec_private, CKR_MECHANISM_INVALID},
        {&oaep, rsa_wrapping, ec_private, CKR_KEY_NOT_WRAPPABLE},
        /* A P-256 PKCS#8 of 138 bytes is no multiple of 8. */
        {&kw, wrapping, ec_private, CKR_KEY_SIZE_RANGE},
        {&kwp, wrapping, rsa_private, CKR_BUFFER_TOO_SMALL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        len = 8;
        CK_RV rv = p11->C_WrapKey(session, cases[i].mechanism,
                                  cases[i].wrapping, cases[i].key, out, &len);
        if (rv != cases[i].rv)
            fail_msg("case %zu: 0x%lx, wanted 0x%lx", i, rv, cases[i].rv);
    }
    assert_true(len > 1200); /* the length a short buffer is told */
    /* The mechanisms stay offered for what they wrap. */
    len = sizeof(out);
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, ec_private, out, &len), CKR_OK);
}

static void unwrapping_refusals_have_the_standards_codes(void **state)
{
    (void)state;
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(), public_key, private_key, key;
    uint8_t wrapped[2048], bad[2048];
    CK_ULONG len = sizeof(wrapped);
    key_pair(&rsa2048, yes, &public_key, &private_key);
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, private_key, wrapped, &len),
        CKR_OK);
    memcpy(bad, wrapped, len);
    bad[5] ^= 1;
    /* A wrapped non-key: OpenSSL's padded wrap of 40 bytes of zeros. */
    uint8_t zeros[40] = {0}, no_key[64];
    size_t no_key_len = local_kwp(1, zeros, sizeof(zeros), no_key);
    struct {
        const uint8_t *wrapped;
        size_t len;
        CK_KEY_TYPE type;
        CK_RV rv;
    } cases[] = {
        {bad, len, CKK_RSA, CKR_WRAPPED_KEY_INVALID},
        {wrapped, 48, CKK_RSA, CKR_WRAPPED_KEY_INVALID},
        {wrapped, 12, CKK_RSA, CKR_WRAPPED_KEY_LEN_RANGE},
        {wrapped, len, CKK_EC, CKR_WRAPPED_KEY_INVALID},
        {wrapped, len, CKK_EC_EDWARDS, CKR_WRAPPED_KEY_INVALID},
        {no_key, no_key_len, CKK_EC, CKR_WRAPPED_KEY_INVALID},
        {wrapped, len, CKK_DSA, CKR_TEMPLATE_INCONSISTENT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CK_RV rv = unwrap_as(&kwp, wrapping, cases[i].wrapped, cases[i].len,
                             cases[i].type, yes, &key);
        if (rv != cases[i].rv)
            fail_msg("case %zu: 0x%lx, wanted 0x%lx", i, rv, cases[i].rv);
    }
    assert_int_equal(
        unwrap_as(&kwp, wrapping, wrapped, len, CKK_RSA, yes, &key), CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_rsa_key_wraps_as_pkcs8_and_unwraps),
        cmocka_unit_test(a_p256_key_wraps_as_pkcs8_and_unwraps),
        cmocka_unit_test(an_ed25519_key_wraps_as_pkcs8_and_unwraps),
        cmocka_unit_test(a_private_key_unwraps_as_a_session_object),
        cmocka_unit_test(aes_key_wrap_wraps_a_pkcs8_of_whole_blocks),
        cmocka_unit_test(keys_wrapped_by_openssl_unwrap_and_sign),
        cmocka_unit_test(wrapping_refusals_have_the_standards_codes),
        cmocka_unit_test(unwrapping_refusals_have_the_standards_codes),
    };
    if (!load_module())
        return 1;
    return cmocka_run_group_tests_name("wrap private keys", tests, open_session,
                                       close_session);
}
