// SPDX-License-Identifier: Apache-2.0
/* C_WrapKey and C_UnwrapKey of private keys through p11kmip-pkcs11.so
 * against kmipd (run under integration/with_server.py): RSA, EC,
 * Ed25519 / Ed448 and X25519 / X448 keys made by OpenSSL and imported
 * extractable, wrapped on the server as PKCS#8 with AES key wrap (with
 * padding) and checked against OpenSSL locally, unwrapped into new keys
 * that show the same public key and sign for OpenSSL (or agree with it,
 * CKM_ECDH1_DERIVE), the curve taken from the PKCS#8; a PKCS#8 wrapped
 * by OpenSSL (also padded with zeros, as SoftHSM2 wraps it) unwrapped and used;
 * every refusal with its code. */
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

#include "../../cli/import.h"
#include "crypto_fixture.h"

static const uint8_t kek_bytes[32] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
    0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
    0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
#ifndef CKK_EC_MONTGOMERY
#define CKK_EC_MONTGOMERY (0x41UL)
#endif
static const CK_BYTE ed25519_oid[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const CK_BYTE ed448_oid[] = {0x06, 0x03, 0x2b, 0x65, 0x71};
static const CK_BYTE x25519_oid[] = {0x06, 0x03, 0x2b, 0x65, 0x6e};
static const CK_BYTE x448_oid[] = {0x06, 0x03, 0x2b, 0x65, 0x6f};
static CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;

/* A key kind: its PKCS#11 type, curve and signature mechanism
 * (CKM_ECDH1_DERIVE: it agrees, not signs). */
typedef struct kind {
    CK_KEY_TYPE key_type;
    CK_MECHANISM_TYPE sign;
    const CK_BYTE *curve; /* NULL: RSA-2048 */
    CK_ULONG curve_len;
    const char *openssl_curve; /* an EC key's, or the raw key's type */
} kind;

static const kind rsa2048 = {CKK_RSA, CKM_SHA256_RSA_PKCS, NULL, 0, NULL};
static const CK_BYTE p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
static const kind ec_p256 = {CKK_EC, CKM_ECDSA, p256, sizeof(p256), "P-256"};
static const kind ec_p384 = {CKK_EC, CKM_ECDSA, p384, sizeof(p384), "P-384"};
static const kind ec_p521 = {CKK_EC, CKM_ECDSA, p521, sizeof(p521), "P-521"};
static const kind ed25519 = {CKK_EC_EDWARDS, CKM_EDDSA, ed25519_oid,
                             sizeof(ed25519_oid), "ED25519"};
static const kind ed448 = {CKK_EC_EDWARDS, CKM_EDDSA, ed448_oid,
                           sizeof(ed448_oid), "ED448"};
static const kind x25519 = {CKK_EC_MONTGOMERY, CKM_ECDH1_DERIVE, x25519_oid,
                            sizeof(x25519_oid), "X25519"};
static const kind x448 = {CKK_EC_MONTGOMERY, CKM_ECDH1_DERIVE, x448_oid,
                          sizeof(x448_oid), "X448"};

/* The known AES key, which wraps (and unwraps) or only unwraps. */
static CK_OBJECT_HANDLE kek_that(CK_BBOOL wraps)
{
    CK_OBJECT_CLASS secret_class = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &secret_class, sizeof(secret_class)},
        {CKA_KEY_TYPE, &aes, sizeof(aes)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VALUE, (CK_BYTE_PTR)kek_bytes, sizeof(kek_bytes)},
        {CKA_WRAP, &wraps, sizeof(wraps)},
        {CKA_UNWRAP, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_CreateObject(session, template, 6, &handle),
                     CKR_OK);
    return handle;
}

static CK_OBJECT_HANDLE kek(void)
{
    return kek_that(yes);
}

/* A key of k made by OpenSSL. */
static EVP_PKEY *local_key(const kind *k)
{
    EVP_PKEY *pkey = k->key_type == CKK_RSA
                         ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
                     : k->key_type == CKK_EC
                         ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", k->openssl_curve)
                         : EVP_PKEY_Q_keygen(NULL, NULL, k->openssl_curve);
    assert_non_null(pkey);
    return pkey;
}

/* The Edwards or Montgomery kind of pkey, or NULL. */
static const kind *raw_kind(const EVP_PKEY *pkey)
{
    static const kind *const raw_kinds[] = {&ed25519, &ed448, &x25519, &x448};
    for (size_t i = 0; i < sizeof(raw_kinds) / sizeof(raw_kinds[0]); i++)
        if (EVP_PKEY_is_a(pkey, raw_kinds[i]->openssl_curve))
            return raw_kinds[i];
    return NULL;
}

/* pkey imported as a token private key that signs (or derives),
 * extractable or not, wrapped under trusted keys only or not:
 * RSA and EC by the template `p11kmip import` makes (cli/), Edwards and
 * Montgomery keys with their curve and raw private key (RFC 8410). */
static CK_OBJECT_HANDLE imported(EVP_PKEY *pkey, CK_BBOOL extractable,
                                 CK_BBOOL trusted_only)
{
    cli_template t = {0};
    uint8_t raw[64];
    size_t raw_len = sizeof(raw);
    const kind *k = raw_kind(pkey);
    if (k != NULL)
        assert_true(
            EVP_PKEY_get_raw_private_key(pkey, raw, &raw_len) == 1 &&
            cli_template_add(&t, CKA_CLASS, &private_class,
                             sizeof(private_class)) == 0 &&
            cli_template_add(&t, CKA_KEY_TYPE, &k->key_type,
                             sizeof(k->key_type)) == 0 &&
            cli_template_add(&t, CKA_EC_PARAMS, k->curve, k->curve_len) == 0 &&
            cli_template_add(&t, CKA_VALUE, raw, raw_len) == 0 &&
            cli_template_add(&t, k->sign == CKM_EDDSA ? CKA_SIGN : CKA_DERIVE,
                             &yes, sizeof(yes)) == 0);
    else
        assert_int_equal(cli_template_private_key(pkey, &t), 0);
    assert_int_equal(cli_template_add(&t, CKA_TOKEN, &yes, sizeof(yes)), 0);
    assert_int_equal(cli_template_add(&t, CKA_WRAP_WITH_TRUSTED, &trusted_only,
                                      sizeof(trusted_only)),
                     0);
    assert_int_equal(cli_template_add(&t, CKA_EXTRACTABLE, &extractable,
                                      sizeof(extractable)),
                     0);
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_CreateObject(session, t.attrs, t.count, &handle),
                     CKR_OK);
    cli_template_clear(&t);
    OPENSSL_cleanse(raw, sizeof(raw));
    return handle;
}

/* Reads attribute type of key into out (at most 1024 bytes); its length. */
static CK_ULONG read_attr(CK_OBJECT_HANDLE key, CK_ATTRIBUTE_TYPE type,
                          uint8_t *out)
{
    CK_ATTRIBUTE attr = {type, out, 1024};
    assert_int_equal(p11->C_GetAttributeValue(session, key, &attr, 1), CKR_OK);
    return attr.ulValueLen;
}

/* key (a private key of k) shows pkey's public key: its CKA_MODULUS, or
 * its CKA_EC_POINT (an OCTET STRING of the point) and CKA_EC_PARAMS. */
static void openssl_public_is(const kind *k, EVP_PKEY *pkey,
                              CK_OBJECT_HANDLE key)
{
    uint8_t want[1024], got[1024];
    CK_ULONG got_len =
        read_attr(key, k->curve ? CKA_EC_POINT : CKA_MODULUS, got);
    size_t want_len = sizeof(want);
    if (k->key_type == CKK_RSA) {
        BIGNUM *n = NULL;
        assert_int_equal(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n),
                         1);
        want_len = (size_t)BN_bn2bin(n, want);
        BN_free(n);
    } else if (k->key_type == CKK_EC) {
        assert_int_equal(EVP_PKEY_get_octet_string_param(
                             pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, want,
                             sizeof(want), &want_len),
                         1);
    } else {
        assert_int_equal(EVP_PKEY_get_raw_public_key(pkey, want, &want_len), 1);
    }
    if (k->curve != NULL) {
        assert_int_equal(read_attr(key, CKA_EC_PARAMS, got), k->curve_len);
        assert_memory_equal(got, k->curve, k->curve_len);
        got_len = read_attr(key, CKA_EC_POINT, got);
        assert_true(got_len > want_len);
        memmove(got, got + got_len - want_len, want_len);
        got_len = want_len;
    }
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);
}

/* An ECDSA r || s signature of len bytes as DER into *der (free with
 * OPENSSL_free); its length. */
static size_t ecdsa_der(const uint8_t *signature, CK_ULONG len, uint8_t **der)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    int half = (int)len / 2;
    assert_int_equal(ECDSA_SIG_set0(sig, BN_bin2bn(signature, half, NULL),
                                    BN_bin2bn(signature + half, half, NULL)),
                     1);
    int der_len = i2d_ECDSA_SIG(sig, der);
    ECDSA_SIG_free(sig);
    assert_true(der_len > 0);
    return (size_t)der_len;
}

/* A signature by key (of k) of message (CKM_ECDSA: its SHA-256) verifies
 * with OpenSSL's pkey. */
static void signs_for(const kind *k, CK_OBJECT_HANDLE key, EVP_PKEY *pkey)
{
    CK_MECHANISM mechanism = {k->sign, NULL, 0};
    uint8_t signature[512], digest[32], *der = NULL;
    CK_ULONG len = sizeof(signature);
    bool ecdsa = k->sign == CKM_ECDSA;
    const uint8_t *data = ecdsa ? digest : message;
    size_t data_len = ecdsa ? sizeof(digest) : MESSAGE_LEN;
    sha256(message, MESSAGE_LEN, digest);
    assert_int_equal(sign(&mechanism, key, data, data_len, signature, &len),
                     CKR_OK);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok;
    if (ecdsa) {
        size_t der_len = ecdsa_der(signature, len, &der);
        ok = EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_verify(ctx, der, der_len, data, data_len) == 1;
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

/* OpenSSL's AES-256 key wrap, with padding or not (enc 1 wraps), of in
 * under the known KEK into out; its length, 0 when it does not unwrap. */
static size_t local_wrap(bool pad, int enc, const uint8_t *in, size_t len,
                         uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, tail = 0;
    int ok = EVP_CipherInit_ex2(
                 ctx, pad ? EVP_aes_256_wrap_pad() : EVP_aes_256_wrap(),
                 kek_bytes, NULL, enc, NULL) == 1 &&
             EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 &&
             EVP_CipherFinal_ex(ctx, out + n, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? (size_t)(n + tail) : 0;
}

/* Unwraps wrapped as a private key of k that signs (or derives), with
 * k's curve in the template when with_curve. */
static CK_RV unwrap_kind(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE unwrapping,
                         const uint8_t *wrapped, size_t len, const kind *k,
                         bool with_curve, CK_BBOOL token, CK_OBJECT_HANDLE *key)
{
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &private_class, sizeof(private_class)},
        {CKA_KEY_TYPE, (CK_VOID_PTR)&k->key_type, sizeof(k->key_type)},
        {CKA_TOKEN, &token, sizeof(token)},
        {k->sign == CKM_ECDH1_DERIVE ? CKA_DERIVE : CKA_SIGN, &yes,
         sizeof(yes)},
        {CKA_EC_PARAMS, (CK_VOID_PTR)k->curve, k->curve_len},
    };
    return p11->C_UnwrapKey(session, mechanism, unwrapping,
                            (CK_BYTE_PTR)wrapped, len, template,
                            with_curve ? 5 : 4, key);
}

static CK_RV unwrap_as(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE unwrapping,
                       const uint8_t *wrapped, size_t len, CK_KEY_TYPE type,
                       CK_BBOOL token, CK_OBJECT_HANDLE *key)
{
    kind k = {type, CKM_SHA256_RSA_PKCS, NULL, 0, NULL};
    return unwrap_kind(mechanism, unwrapping, wrapped, len, &k, false, token,
                       key);
}

/* The secret key (CKM_ECDH1_DERIVE, no KDF) derives with a new peer of
 * k is OpenSSL's own agreement of pkey with it. */
static void agrees_with(const kind *k, CK_OBJECT_HANDLE key, EVP_PKEY *pkey)
{
    EVP_PKEY *peer = EVP_PKEY_Q_keygen(NULL, NULL, k->openssl_curve);
    uint8_t peer_raw[64], want[64], got[64];
    size_t peer_len = sizeof(peer_raw), want_len = sizeof(want);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
    assert_true(EVP_PKEY_get_raw_public_key(peer, peer_raw, &peer_len) == 1 &&
                EVP_PKEY_derive_init(ctx) == 1 &&
                EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
                EVP_PKEY_derive(ctx, want, &want_len) == 1);
    CK_ECDH1_DERIVE_PARAMS params = {CKD_NULL, 0, NULL, peer_len, peer_raw};
    CK_MECHANISM ecdh = {CKM_ECDH1_DERIVE, &params, sizeof(params)};
    CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
    CK_KEY_TYPE generic = CKK_GENERIC_SECRET;
    CK_ULONG value_len = want_len;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &secret, sizeof(secret)},
                            {CKA_KEY_TYPE, &generic, sizeof(generic)},
                            {CKA_VALUE_LEN, &value_len, sizeof(value_len)},
                            {CKA_SENSITIVE, &no, sizeof(no)},
                            {CKA_EXTRACTABLE, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE derived;
    assert_int_equal(p11->C_DeriveKey(session, &ecdh, key, templ, 5, &derived),
                     CKR_OK);
    assert_int_equal(read_attr(derived, CKA_VALUE, got), want_len);
    assert_memory_equal(got, want, want_len);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
}

/* key (a private key of k, unwrapped) works as pkey: signs for it or
 * agrees with it. */
static void works_as(const kind *k, CK_OBJECT_HANDLE key, EVP_PKEY *pkey)
{
    if (k->sign == CKM_ECDH1_DERIVE)
        agrees_with(k, key, pkey);
    else
        signs_for(k, key, pkey);
}

/* The PKCS#8 in wrapped (as OpenSSL unwraps it) holds pkey's key. */
static void holds_pkcs8_of(bool pad, const uint8_t *wrapped, size_t len,
                           EVP_PKEY *pkey)
{
    uint8_t plain[2048];
    size_t plain_len = local_wrap(pad, 0, wrapped, len, plain);
    const unsigned char *cursor = plain;
    PKCS8_PRIV_KEY_INFO *info =
        d2i_PKCS8_PRIV_KEY_INFO(NULL, &cursor, (long)plain_len);
    assert_non_null(info);
    assert_ptr_equal(cursor, plain + plain_len);
    EVP_PKEY *inside = EVP_PKCS82PKEY(info);
    assert_non_null(inside);
    assert_int_equal(EVP_PKEY_eq(inside, pkey), 1);
    EVP_PKEY_free(inside);
    PKCS8_PRIV_KEY_INFO_free(info);
    OPENSSL_cleanse(plain, sizeof(plain));
}

/* Wraps a key of k with mechanism (the length asked first), checks the
 * PKCS#8 inside with OpenSSL, unwraps it (a token or session object):
 * the new key shows the public key and signs for it
 * (or agrees with it). */
static void round_trip(const kind *k, CK_MECHANISM_TYPE type, CK_BBOOL token)
{
    CK_MECHANISM mechanism = {type, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(), unwrapped;
    EVP_PKEY *pkey = local_key(k);
    CK_OBJECT_HANDLE key = imported(pkey, yes, no);
    uint8_t wrapped[2048];
    CK_ULONG len = 0;
    assert_int_equal(
        p11->C_WrapKey(session, &mechanism, wrapping, key, NULL, &len), CKR_OK);
    CK_ULONG asked = len;
    len = sizeof(wrapped);
    assert_int_equal(
        p11->C_WrapKey(session, &mechanism, wrapping, key, wrapped, &len),
        CKR_OK);
    assert_int_equal(len, asked);
    holds_pkcs8_of(type == CKM_AES_KEY_WRAP_PAD, wrapped, len, pkey);
    assert_int_equal(unwrap_kind(&mechanism, wrapping, wrapped, len, k, false,
                                 token, &unwrapped),
                     CKR_OK);
    openssl_public_is(k, pkey, unwrapped);
    works_as(k, unwrapped, pkey);
    EVP_PKEY_free(pkey);
}

static void an_rsa_key_wraps_as_pkcs8_and_unwraps(void **state)
{
    (void)state;
    round_trip(&rsa2048, CKM_AES_KEY_WRAP_PAD, yes);
}

static void a_p256_key_wraps_as_pkcs8_and_unwraps(void **state)
{
    (void)state;
    round_trip(&ec_p256, CKM_AES_KEY_WRAP_PAD, yes);
}

static void an_ed25519_key_wraps_as_pkcs8_and_unwraps(void **state)
{
    (void)state;
    round_trip(&ed25519, CKM_AES_KEY_WRAP_PAD, yes);
}

/* Ed448, X25519 and X448 keys, the curve the PKCS#8's. */
static void an_ed448_key_wraps_as_pkcs8_and_unwraps(void **state)
{
    (void)state;
    round_trip(&ed448, CKM_AES_KEY_WRAP_PAD, yes);
}

static void x25519_and_x448_keys_wrap_as_pkcs8_and_unwrap(void **state)
{
    (void)state;
    round_trip(&x25519, CKM_AES_KEY_WRAP_PAD, yes);
    round_trip(&x25519, CKM_AES_KEY_WRAP_PAD, no);
    round_trip(&x448, CKM_AES_KEY_WRAP_PAD, yes);
}

/* A key of k wrapped under the known KEK (AES-KWP) does not unwrap as a
 * key of as (its curve in the template when with_curve): rv. */
static void unwraps_not_as(const kind *k, const kind *as, bool with_curve,
                           CK_RV rv)
{
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(), unwrapped;
    EVP_PKEY *pkey = local_key(k);
    CK_OBJECT_HANDLE key = imported(pkey, yes, no);
    uint8_t wrapped[512];
    CK_ULONG len = sizeof(wrapped);
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, key, wrapped, &len), CKR_OK);
    assert_int_equal(unwrap_kind(&kwp, wrapping, wrapped, len, as, with_curve,
                                 yes, &unwrapped),
                     rv);
    EVP_PKEY_free(pkey);
}

/* A PKCS#8 of another type than the template's is refused: an Edwards
 * key is no Montgomery key and no EC key, and the other way round; a
 * private key's CKA_EC_PARAMS a template may not give to C_UnwrapKey
 * (PKCS#11 2.40, table 37: "must not be specified when unwrapped"). */
static void an_edwards_or_montgomery_key_unwraps_as_no_other(void **state)
{
    (void)state;
    unwraps_not_as(&ed448, &x448, false, CKR_WRAPPED_KEY_INVALID);
    unwraps_not_as(&ed25519, &x25519, false, CKR_WRAPPED_KEY_INVALID);
    unwraps_not_as(&x448, &ed448, false, CKR_WRAPPED_KEY_INVALID);
    unwraps_not_as(&x25519, &ec_p256, false, CKR_WRAPPED_KEY_INVALID);
    unwraps_not_as(&ec_p256, &x25519, false, CKR_WRAPPED_KEY_INVALID);
    unwraps_not_as(&ed448, &ed448, true, CKR_TEMPLATE_INCONSISTENT);
}

static void a_private_key_unwraps_as_a_session_object(void **state)
{
    (void)state;
    round_trip(&ec_p256, CKM_AES_KEY_WRAP_PAD, no);
}

static void p384_and_p521_keys_wrap_as_pkcs8_and_unwrap(void **state)
{
    (void)state;
    round_trip(&ec_p384, CKM_AES_KEY_WRAP_PAD, yes);
    round_trip(&ec_p521, CKM_AES_KEY_WRAP_PAD, yes);
}

/* An Ed25519 PKCS#8 (48 bytes) wraps without padding too. */
static void aes_key_wrap_wraps_a_pkcs8_of_whole_blocks(void **state)
{
    (void)state;
    round_trip(&ed25519, CKM_AES_KEY_WRAP, yes);
}

/* A key of k made and wrapped by OpenSSL (its PKCS#8, AES-KWP) unwraps on
 * the token and signs for OpenSSL's public key. */
static void openssl_wrapped(const kind *k)
{
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    EVP_PKEY *pkey = local_key(k);
    PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(pkey);
    uint8_t *der = NULL, wrapped[2048];
    int der_len = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
    assert_true(der_len > 0);
    size_t len = local_wrap(true, 1, der, (size_t)der_len, wrapped);
    OPENSSL_clear_free(der, (size_t)der_len);
    PKCS8_PRIV_KEY_INFO_free(info);
    CK_OBJECT_HANDLE unwrapped;
    assert_int_equal(
        unwrap_kind(&kwp, kek(), wrapped, len, k, false, yes, &unwrapped),
        CKR_OK);
    openssl_public_is(k, pkey, unwrapped);
    works_as(k, unwrapped, pkey);
    EVP_PKEY_free(pkey);
}

static void keys_wrapped_by_openssl_unwrap_and_sign(void **state)
{
    (void)state;
    openssl_wrapped(&rsa2048);
    openssl_wrapped(&ec_p256);
    openssl_wrapped(&ed25519);
    openssl_wrapped(&ed448);
    openssl_wrapped(&x448);
}

/* SoftHSM2 pads a PKCS#8 with zero bytes to whole blocks for
 * CKM_AES_KEY_WRAP: such a key unwraps (fewer than 8 zeros) and signs;
 * more zeros, or another byte, are no padding. */
static void a_pkcs8_padded_with_zeros_unwraps(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(), key;
    EVP_PKEY *pkey = local_key(&ec_p256);
    PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(pkey);
    uint8_t padded[160] = {0}, *der = padded, wrapped[176];
    int der_len = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
    PKCS8_PRIV_KEY_INFO_free(info);
    size_t blocks = ((size_t)der_len + 7) / 8 * 8;
    assert_true(der_len > 0 && blocks > (size_t)der_len);
    size_t len = local_wrap(false, 1, padded, blocks, wrapped);
    assert_int_equal(unwrap_as(&kw, wrapping, wrapped, len, CKK_EC, yes, &key),
                     CKR_OK);
    signs_for(&ec_p256, key, pkey);
    len = local_wrap(false, 1, padded, blocks + 8, wrapped);
    assert_int_equal(unwrap_as(&kw, wrapping, wrapped, len, CKK_EC, yes, &key),
                     CKR_WRAPPED_KEY_INVALID);
    padded[blocks - 1] = 1;
    len = local_wrap(false, 1, padded, blocks, wrapped);
    assert_int_equal(unwrap_as(&kw, wrapping, wrapped, len, CKK_EC, yes, &key),
                     CKR_WRAPPED_KEY_INVALID);
    OPENSSL_cleanse(padded, sizeof(padded));
    EVP_PKEY_free(pkey);
}

/* An RSA public key (of pkey) that wraps. */
static CK_OBJECT_HANDLE rsa_wrapping_key(EVP_PKEY *pkey)
{
    cli_template t = {0};
    assert_int_equal(cli_template_public_key(pkey, &t), 0);
    assert_int_equal(cli_template_add(&t, CKA_WRAP, &yes, sizeof(yes)), 0);
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_CreateObject(session, t.attrs, t.count, &handle),
                     CKR_OK);
    cli_template_clear(&t);
    return handle;
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
    EVP_PKEY *ec = local_key(&ec_p256), *rsa = local_key(&rsa2048);
    CK_OBJECT_HANDLE wrapping = kek(), rsa_wrapping = rsa_wrapping_key(rsa);
    CK_OBJECT_HANDLE ec_key = imported(ec, yes, no);
    CK_OBJECT_HANDLE stays = imported(ec, no, no);
    CK_OBJECT_HANDLE rsa_key = imported(rsa, yes, no);
    CK_OBJECT_HANDLE trusted_only = imported(ec, yes, yes);
    uint8_t out[2048];
    CK_ULONG len;
    struct {
        CK_MECHANISM *mechanism;
        CK_OBJECT_HANDLE wrapping, key;
        CK_RV rv;
    } cases[] = {
        {&kwp, wrapping, stays, CKR_KEY_UNEXTRACTABLE},
        {&kwp, wrapping, trusted_only, CKR_KEY_NOT_WRAPPABLE},
        {&kwp, kek_that(no), ec_key, CKR_KEY_FUNCTION_NOT_PERMITTED},
        {&cbc, wrapping, ec_key, CKR_MECHANISM_INVALID},
        {&oaep, rsa_wrapping, ec_key, CKR_KEY_NOT_WRAPPABLE},
        /* A P-256 PKCS#8 with its public key: 138 bytes, no multiple
         * of 8. */
        {&kw, wrapping, ec_key, CKR_KEY_SIZE_RANGE},
        {&kwp, wrapping, rsa_key, CKR_BUFFER_TOO_SMALL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        len = 8;
        CK_RV rv = p11->C_WrapKey(session, cases[i].mechanism,
                                  cases[i].wrapping, cases[i].key, out, &len);
        if (rv != cases[i].rv)
            fail_msg("case %zu: 0x%lx, wanted 0x%lx", i, rv, cases[i].rv);
    }
    assert_true(len > 1200); /* what the short buffer is told */
    /* The mechanisms stay offered for what they wrap. */
    len = sizeof(out);
    assert_int_equal(p11->C_WrapKey(session, &kwp, wrapping, ec_key, out, &len),
                     CKR_OK);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(rsa);
}

static void unwrapping_refusals_have_the_standards_codes(void **state)
{
    (void)state;
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    EVP_PKEY *pkey = local_key(&rsa2048);
    CK_OBJECT_HANDLE wrapping = kek(), key;
    CK_OBJECT_HANDLE to_wrap = imported(pkey, yes, no);
    uint8_t wrapped[2048], bad[2048];
    CK_ULONG len = sizeof(wrapped);
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, to_wrap, wrapped, &len),
        CKR_OK);
    memcpy(bad, wrapped, len);
    bad[5] ^= 1;
    /* A wrapped non-key: OpenSSL's padded wrap of 40 zero bytes. */
    uint8_t zeros[40] = {0}, no_key[64];
    size_t no_key_len = local_wrap(true, 1, zeros, sizeof(zeros), no_key);
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
    EVP_PKEY_free(pkey);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_rsa_key_wraps_as_pkcs8_and_unwraps),
        cmocka_unit_test(a_p256_key_wraps_as_pkcs8_and_unwraps),
        cmocka_unit_test(p384_and_p521_keys_wrap_as_pkcs8_and_unwrap),
        cmocka_unit_test(an_ed25519_key_wraps_as_pkcs8_and_unwraps),
        cmocka_unit_test(an_ed448_key_wraps_as_pkcs8_and_unwraps),
        cmocka_unit_test(x25519_and_x448_keys_wrap_as_pkcs8_and_unwrap),
        cmocka_unit_test(an_edwards_or_montgomery_key_unwraps_as_no_other),
        cmocka_unit_test(a_private_key_unwraps_as_a_session_object),
        cmocka_unit_test(aes_key_wrap_wraps_a_pkcs8_of_whole_blocks),
        cmocka_unit_test(keys_wrapped_by_openssl_unwrap_and_sign),
        cmocka_unit_test(a_pkcs8_padded_with_zeros_unwraps),
        cmocka_unit_test(wrapping_refusals_have_the_standards_codes),
        cmocka_unit_test(unwrapping_refusals_have_the_standards_codes),
    };
    if (!load_module())
        return 1;
    return cmocka_run_group_tests_name("wrap private keys", tests, open_session,
                                       close_session);
}
