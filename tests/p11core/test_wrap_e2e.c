// SPDX-License-Identifier: Apache-2.0
/* C_WrapKey and C_UnwrapKey through p11kmip-pkcs11.so against kmipd
 * (run under integration/with_server.py): known keys imported, wrapped
 * on the server with AES key wrap (RFC 3394), with padding (RFC 5649) and
 * RSA OAEP, and checked against OpenSSL locally; keys wrapped by OpenSSL
 * unwrapped on the server and used; every refusal with its code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto_fixture.h"

static const uint8_t kek_bytes[32] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
    0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
    0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};
static const uint8_t key_bytes[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                      0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                      0xcc, 0xdd, 0xee, 0xff};
/* RFC 3394 4.3: 128 bits of key data wrapped with a 256-bit KEK. */
static const uint8_t rfc3394_wrapped[24] = {
    0x64, 0xe8, 0xc3, 0xf9, 0xce, 0x0f, 0x5b, 0xa2, 0x63, 0xe9, 0x77, 0x79,
    0x05, 0x81, 0x8a, 0x2a, 0x93, 0xc8, 0x19, 0x1e, 0x7d, 0x6e, 0x8a, 0xe7};

static CK_OBJECT_CLASS secret_class = CKO_SECRET_KEY;
static CK_KEY_TYPE aes_type = CKK_AES;

/* An AES (or generic) secret of known bytes; usage is CKA_WRAP,
 * CKA_UNWRAP or CKA_ENCRYPT, given extractable, wrap_with_trusted. */
static CK_OBJECT_HANDLE known_secret(CK_KEY_TYPE type, const uint8_t *value,
                                     CK_ULONG len, CK_ATTRIBUTE_TYPE usage,
                                     CK_BBOOL extractable,
                                     CK_BBOOL wrap_with_trusted)
{
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &secret_class, sizeof(secret_class)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VALUE, (CK_BYTE_PTR)value, len},
        {CKA_SENSITIVE, &yes, sizeof(yes)},
        {CKA_EXTRACTABLE, &extractable, sizeof(extractable)},
        {CKA_WRAP_WITH_TRUSTED, &wrap_with_trusted, sizeof(wrap_with_trusted)},
        {CKA_ENCRYPT, &no, sizeof(no)},
        {CKA_DECRYPT, &no, sizeof(no)},
        {CKA_WRAP, &no, sizeof(no)},
        {CKA_UNWRAP, &no, sizeof(no)},
        {CKA_SIGN, &no, sizeof(no)},
        {CKA_VERIFY, &no, sizeof(no)},
    };
    for (size_t i = 7; i < sizeof(template) / sizeof(template[0]); i++)
        if (template[i].type == usage ||
            (usage == CKA_ENCRYPT && template[i].type == CKA_DECRYPT))
            template[i].pValue = &yes;
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_CreateObject(session, template,
                                         sizeof(template) / sizeof(template[0]),
                                         &handle),
                     CKR_OK);
    return handle;
}

static CK_OBJECT_HANDLE kek(CK_ATTRIBUTE_TYPE usage)
{
    return known_secret(CKK_AES, kek_bytes, sizeof(kek_bytes), usage, no, no);
}

static CK_OBJECT_HANDLE wrappable(void)
{
    return known_secret(CKK_AES, key_bytes, sizeof(key_bytes), CKA_ENCRYPT, yes,
                        no);
}

/* OpenSSL's AES key wrap (padded or not; enc 1 wraps) of in. */
static size_t local_wrap(bool pad, int enc, const uint8_t *in, size_t len,
                         uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, tail = 0;
    assert_int_equal(EVP_CipherInit_ex2(
                         ctx, pad ? EVP_aes_256_wrap_pad() : EVP_aes_256_wrap(),
                         kek_bytes, NULL, enc, NULL),
                     1);
    assert_int_equal(EVP_CipherUpdate(ctx, out, &n, in, (int)len), 1);
    assert_int_equal(EVP_CipherFinal_ex(ctx, out + n, &tail), 1);
    EVP_CIPHER_CTX_free(ctx);
    return (size_t)(n + tail);
}

/* One AES-ECB block of zeros encrypted with key through the module equals
 * OpenSSL's under the known bytes. */
static void encrypts_as(CK_OBJECT_HANDLE key, const uint8_t *bytes)
{
    CK_MECHANISM ecb = {CKM_AES_ECB, NULL, 0};
    uint8_t zeros[16] = {0}, got[16], want[16];
    CK_ULONG got_len = sizeof(got);
    int n = 0;
    assert_int_equal(p11->C_EncryptInit(session, &ecb, key), CKR_OK);
    assert_int_equal(p11->C_Encrypt(session, zeros, 16, got, &got_len), CKR_OK);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    assert_int_equal(
        EVP_EncryptInit_ex2(ctx, EVP_aes_128_ecb(), bytes, NULL, NULL), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, want, &n, zeros, 16), 1);
    EVP_CIPHER_CTX_free(ctx);
    assert_int_equal(got_len, 16);
    assert_memory_equal(got, want, 16);
}

static CK_ATTRIBUTE unwrap_template[] = {
    {CKA_CLASS, &secret_class, sizeof(secret_class)},
    {CKA_KEY_TYPE, &aes_type, sizeof(aes_type)},
    {CKA_TOKEN, &yes, sizeof(yes)},
    {CKA_ENCRYPT, &yes, sizeof(yes)},
};
#define UNWRAP_COUNT (sizeof(unwrap_template) / sizeof(unwrap_template[0]))

static CK_RV unwrap(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE unwrapping,
                    const uint8_t *wrapped, size_t len, CK_OBJECT_HANDLE *key)
{
    return p11->C_UnwrapKey(session, mechanism, unwrapping,
                            (CK_BYTE_PTR)wrapped, len, unwrap_template,
                            UNWRAP_COUNT, key);
}

static void aes_key_wrap_is_the_rfc_3394_vector(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(CKA_WRAP), key = wrappable();
    uint8_t wrapped[64];
    CK_ULONG len = sizeof(wrapped);
    assert_int_equal(p11->C_WrapKey(session, &kw, wrapping, key, wrapped, &len),
                     CKR_OK);
    assert_int_equal(len, 24);
    assert_memory_equal(wrapped, rfc3394_wrapped, 24);
}

static void length_query_and_short_buffer_answer_the_length(void **state)
{
    (void)state;
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(CKA_WRAP), key = wrappable();
    uint8_t wrapped[64], want[64];
    CK_ULONG len = 0;
    assert_int_equal(p11->C_WrapKey(session, &kwp, wrapping, key, NULL, &len),
                     CKR_OK);
    assert_int_equal(len, 24);
    len = 23;
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, key, wrapped, &len),
        CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 24);
    assert_int_equal(
        p11->C_WrapKey(session, &kwp, wrapping, key, wrapped, &len), CKR_OK);
    assert_int_equal(len, local_wrap(true, 1, key_bytes, 16, want));
    assert_memory_equal(wrapped, want, len);
}

static void keys_wrapped_by_openssl_unwrap_and_encrypt(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_MECHANISM kwp = {CKM_AES_KEY_WRAP_PAD, NULL, 0};
    CK_OBJECT_HANDLE unwrapping = kek(CKA_UNWRAP), key = CK_INVALID_HANDLE;
    uint8_t wrapped[64];
    assert_int_equal(unwrap(&kw, unwrapping, rfc3394_wrapped, 24, &key),
                     CKR_OK);
    encrypts_as(key, key_bytes);
    size_t len = local_wrap(true, 1, key_bytes, 16, wrapped);
    assert_int_equal(unwrap(&kwp, unwrapping, wrapped, len, &key), CKR_OK);
    encrypts_as(key, key_bytes);
    CK_BBOOL local = CK_TRUE;
    CK_ATTRIBUTE read = {CKA_LOCAL, &local, sizeof(local)};
    assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1), CKR_OK);
    assert_false(local);
}

/* An RSA-2048 key pair made by OpenSSL, imported: the public key wraps,
 * the private key unwraps. */
static EVP_PKEY *rsa;

static void rsa_part(const char *name, uint8_t *out, CK_ATTRIBUTE *attr,
                     CK_ATTRIBUTE_TYPE type)
{
    BIGNUM *bn = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(rsa, name, &bn), 1);
    *attr = (CK_ATTRIBUTE){type, out, (CK_ULONG)BN_bn2bin(bn, out)};
    BN_clear_free(bn);
}

static CK_OBJECT_HANDLE rsa_key(CK_OBJECT_CLASS class, CK_ATTRIBUTE_TYPE usage)
{
    static const struct {
        const char *param;
        CK_ATTRIBUTE_TYPE type;
    } parts[] = {
        {OSSL_PKEY_PARAM_RSA_N, CKA_MODULUS},
        {OSSL_PKEY_PARAM_RSA_E, CKA_PUBLIC_EXPONENT},
        {OSSL_PKEY_PARAM_RSA_D, CKA_PRIVATE_EXPONENT},
        {OSSL_PKEY_PARAM_RSA_FACTOR1, CKA_PRIME_1},
        {OSSL_PKEY_PARAM_RSA_FACTOR2, CKA_PRIME_2},
        {OSSL_PKEY_PARAM_RSA_EXPONENT1, CKA_EXPONENT_1},
        {OSSL_PKEY_PARAM_RSA_EXPONENT2, CKA_EXPONENT_2},
        {OSSL_PKEY_PARAM_RSA_COEFFICIENT1, CKA_COEFFICIENT},
    };
    CK_KEY_TYPE type = CKK_RSA;
    uint8_t values[8][256];
    CK_ATTRIBUTE template[12] = {
        {CKA_CLASS, &class, sizeof(class)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {usage, &yes, sizeof(yes)},
    };
    size_t count = class == CKO_PUBLIC_KEY ? 2 : 8;
    for (size_t i = 0; i < count; i++)
        rsa_part(parts[i].param, values[i], &template[4 + i], parts[i].type);
    CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_CreateObject(session, template, 4 + count, &handle),
                     CKR_OK);
    return handle;
}

static void local_oaep(int encrypt, const EVP_MD *md, const uint8_t *in,
                       size_t len, uint8_t *out, size_t *out_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(rsa, NULL);
    assert_int_equal(
        encrypt ? EVP_PKEY_encrypt_init(ctx) : EVP_PKEY_decrypt_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING),
                     1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha1()), 1);
    assert_int_equal(encrypt ? EVP_PKEY_encrypt(ctx, out, out_len, in, len)
                             : EVP_PKEY_decrypt(ctx, out, out_len, in, len),
                     1);
    EVP_PKEY_CTX_free(ctx);
}

static CK_RSA_PKCS_OAEP_PARAMS oaep_sha256 = {CKM_SHA256, CKG_MGF1_SHA1,
                                              CKZ_DATA_SPECIFIED, NULL, 0};

static void oaep_wraps_under_the_public_key_for_openssl(void **state)
{
    (void)state;
    CK_MECHANISM oaep = {CKM_RSA_PKCS_OAEP, &oaep_sha256, sizeof(oaep_sha256)};
    CK_OBJECT_HANDLE wrapping = rsa_key(CKO_PUBLIC_KEY, CKA_WRAP);
    CK_OBJECT_HANDLE key = wrappable();
    uint8_t wrapped[256], plain[256];
    CK_ULONG len = 0;
    assert_int_equal(p11->C_WrapKey(session, &oaep, wrapping, key, NULL, &len),
                     CKR_OK);
    assert_int_equal(len, 256);
    assert_int_equal(
        p11->C_WrapKey(session, &oaep, wrapping, key, wrapped, &len), CKR_OK);
    size_t plain_len = sizeof(plain);
    local_oaep(0, EVP_sha256(), wrapped, len, plain, &plain_len);
    assert_int_equal(plain_len, 16);
    assert_memory_equal(plain, key_bytes, 16);
}

static void oaep_unwraps_under_the_private_key(void **state)
{
    (void)state;
    CK_MECHANISM oaep = {CKM_RSA_PKCS_OAEP, &oaep_sha256, sizeof(oaep_sha256)};
    CK_OBJECT_HANDLE unwrapping = rsa_key(CKO_PRIVATE_KEY, CKA_UNWRAP);
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    uint8_t wrapped[256];
    size_t len = sizeof(wrapped);
    local_oaep(1, EVP_sha256(), key_bytes, 16, wrapped, &len);
    assert_int_equal(unwrap(&oaep, unwrapping, wrapped, len, &key), CKR_OK);
    encrypts_as(key, key_bytes);
    /* The same bytes under another hash do not unwrap. */
    CK_RSA_PKCS_OAEP_PARAMS sha1 = {CKM_SHA_1, CKG_MGF1_SHA1,
                                    CKZ_DATA_SPECIFIED, NULL, 0};
    oaep.pParameter = &sha1;
    assert_int_equal(unwrap(&oaep, unwrapping, wrapped, len, &key),
                     CKR_WRAPPED_KEY_INVALID);
}

/* A generated key pair wraps and unwraps: its public half, left
 * Pre-Active by Create Key Pair, is activated with the first wrap. */
static void a_generated_key_pair_wraps_and_unwraps(void **state)
{
    (void)state;
    CK_MECHANISM oaep = {CKM_RSA_PKCS_OAEP, &oaep_sha256, sizeof(oaep_sha256)};
    CK_OBJECT_HANDLE public_key, private_key, key = wrappable();
    CK_OBJECT_HANDLE unwrapped = CK_INVALID_HANDLE;
    uint8_t wrapped[256];
    CK_ULONG len = sizeof(wrapped);
    rsa_key_pair(&public_key, &private_key);
    for (int i = 0; i < 2; i++) {
        len = sizeof(wrapped);
        assert_int_equal(
            p11->C_WrapKey(session, &oaep, public_key, key, wrapped, &len),
            CKR_OK);
    }
    assert_int_equal(unwrap(&oaep, private_key, wrapped, len, &unwrapped),
                     CKR_OK);
    encrypts_as(unwrapped, key_bytes);
}

/* A KEK that wraps and unwraps, with one more attribute (an array). */
static CK_RV kek_with(CK_ATTRIBUTE extra, CK_OBJECT_HANDLE *handle)
{
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &secret_class, sizeof(secret_class)},
        {CKA_KEY_TYPE, &aes_type, sizeof(aes_type)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VALUE, (CK_BYTE_PTR)kek_bytes, sizeof(kek_bytes)},
        {CKA_WRAP, &yes, sizeof(yes)},
        {CKA_UNWRAP, &yes, sizeof(yes)},
        extra,
    };
    return p11->C_CreateObject(session, template, 7, handle);
}

static void the_wrap_template_says_what_wraps(void **state)
{
    (void)state;
    CK_ATTRIBUTE wrap_only[] = {{CKA_ENCRYPT, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE wrapping, key = wrappable();
    assert_int_equal(kek_with((CK_ATTRIBUTE){CKA_WRAP_TEMPLATE, wrap_only,
                                             sizeof(wrap_only)},
                              &wrapping),
                     CKR_OK);
    CK_OBJECT_HANDLE signs =
        known_secret(CKK_AES, key_bytes, 16, CKA_SIGN, yes, no);
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    uint8_t out[64];
    CK_ULONG len = sizeof(out);
    assert_int_equal(p11->C_WrapKey(session, &kw, wrapping, key, out, &len),
                     CKR_OK);
    len = sizeof(out);
    assert_int_equal(p11->C_WrapKey(session, &kw, wrapping, signs, out, &len),
                     CKR_KEY_NOT_WRAPPABLE);

    /* Read back by the rules of arrays: the length, the members' lengths,
     * then their values. */
    CK_ATTRIBUTE read = {CKA_WRAP_TEMPLATE, NULL, 0};
    assert_int_equal(p11->C_GetAttributeValue(session, wrapping, &read, 1),
                     CKR_OK);
    assert_int_equal(read.ulValueLen, sizeof(CK_ATTRIBUTE));
    CK_ATTRIBUTE member = {0, NULL, 0};
    read.pValue = &member;
    assert_int_equal(p11->C_GetAttributeValue(session, wrapping, &read, 1),
                     CKR_OK);
    assert_int_equal(member.type, CKA_ENCRYPT);
    assert_int_equal(member.ulValueLen, sizeof(CK_BBOOL));
    CK_BBOOL value = CK_FALSE;
    member.pValue = &value;
    assert_int_equal(p11->C_GetAttributeValue(session, wrapping, &read, 1),
                     CKR_OK);
    assert_int_equal(value, CK_TRUE);
}

static void the_unwrap_template_is_the_new_keys(void **state)
{
    (void)state;
    CK_ATTRIBUTE no_encrypt[] = {{CKA_ENCRYPT, &no, sizeof(no)}};
    CK_OBJECT_HANDLE unwrapping, key = CK_INVALID_HANDLE;
    assert_int_equal(kek_with((CK_ATTRIBUTE){CKA_UNWRAP_TEMPLATE, no_encrypt,
                                             sizeof(no_encrypt)},
                              &unwrapping),
                     CKR_OK);
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    /* unwrap_template asks CKA_ENCRYPT true: inconsistent. */
    assert_int_equal(unwrap(&kw, unwrapping, rfc3394_wrapped, 24, &key),
                     CKR_TEMPLATE_INCONSISTENT);
    CK_ATTRIBUTE plain[] = {
        {CKA_CLASS, &secret_class, sizeof(secret_class)},
        {CKA_KEY_TYPE, &aes_type, sizeof(aes_type)},
        {CKA_ENCRYPT, NULL, sizeof(CK_BBOOL)},
    };
    /* A member given without its value: a bad value, not a clash. */
    assert_int_equal(p11->C_UnwrapKey(session, &kw, unwrapping,
                                      (CK_BYTE_PTR)rfc3394_wrapped, 24, plain,
                                      3, &key),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(p11->C_UnwrapKey(session, &kw, unwrapping,
                                      (CK_BYTE_PTR)rfc3394_wrapped, 24, plain,
                                      2, &key),
                     CKR_OK);
    CK_BBOOL encrypt = CK_TRUE;
    CK_ATTRIBUTE read = {CKA_ENCRYPT, &encrypt, sizeof(encrypt)};
    assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1), CKR_OK);
    assert_false(encrypt);
}

static void a_template_array_that_is_no_array_is_value_invalid(void **state)
{
    (void)state;
    CK_ATTRIBUTE unknown[] = {{0x7ffffff1, &yes, sizeof(yes)}};
    CK_BYTE odd[5] = {0};
    CK_OBJECT_HANDLE handle;
    assert_int_equal(
        kek_with((CK_ATTRIBUTE){CKA_WRAP_TEMPLATE, odd, sizeof(odd)}, &handle),
        CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(
        kek_with((CK_ATTRIBUTE){CKA_WRAP_TEMPLATE, unknown, sizeof(unknown)},
                 &handle),
        CKR_ATTRIBUTE_VALUE_INVALID);
}

static void wrapping_refusals_have_the_standards_codes(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_MECHANISM cbc = {CKM_AES_CBC, NULL, 0};
    uint8_t iv[8] = {0};
    CK_MECHANISM kw_iv = {CKM_AES_KEY_WRAP, iv, sizeof(iv)};
    CK_RSA_PKCS_OAEP_PARAMS md5 = {CKM_MD5, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED,
                                   NULL, 0};
    CK_MECHANISM oaep = {CKM_RSA_PKCS_OAEP, &md5, sizeof(md5)};
    CK_OBJECT_HANDLE wrapping = kek(CKA_WRAP), key = wrappable();
    CK_OBJECT_HANDLE no_wrap = kek(CKA_ENCRYPT);
    CK_OBJECT_HANDLE rsa_public = rsa_key(CKO_PUBLIC_KEY, CKA_WRAP);
    CK_OBJECT_HANDLE stays =
        known_secret(CKK_AES, key_bytes, 16, CKA_ENCRYPT, no, no);
    CK_OBJECT_HANDLE trusted_only =
        known_secret(CKK_AES, key_bytes, 16, CKA_ENCRYPT, yes, yes);
    uint8_t odd[20] = {1};
    CK_OBJECT_HANDLE twenty =
        known_secret(CKK_GENERIC_SECRET, odd, 20, CKA_SIGN, yes, no);
    uint8_t out[64];
    CK_ULONG len = sizeof(out);
    struct {
        CK_MECHANISM *mechanism;
        CK_OBJECT_HANDLE wrapping, key;
        CK_RV rv;
    } cases[] = {
        {&cbc, wrapping, key, CKR_MECHANISM_INVALID},
        {&kw_iv, wrapping, key, CKR_MECHANISM_PARAM_INVALID},
        {&oaep, rsa_public, key, CKR_MECHANISM_PARAM_INVALID},
        {&kw, 0xfffff, key, CKR_WRAPPING_KEY_HANDLE_INVALID},
        {&kw, rsa_public, key, CKR_WRAPPING_KEY_TYPE_INCONSISTENT},
        {&kw, no_wrap, key, CKR_KEY_FUNCTION_NOT_PERMITTED},
        {&kw, wrapping, 0xfffff, CKR_KEY_HANDLE_INVALID},
        {&kw, wrapping, rsa_public, CKR_KEY_NOT_WRAPPABLE},
        {&kw, wrapping, stays, CKR_KEY_UNEXTRACTABLE},
        {&kw, wrapping, trusted_only, CKR_KEY_NOT_WRAPPABLE},
        {&kw, wrapping, twenty, CKR_KEY_SIZE_RANGE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        len = sizeof(out);
        CK_RV rv = p11->C_WrapKey(session, cases[i].mechanism,
                                  cases[i].wrapping, cases[i].key, out, &len);
        if (rv != cases[i].rv)
            fail_msg("case %zu: 0x%lx, wanted 0x%lx", i, rv, cases[i].rv);
    }
    assert_int_equal(p11->C_WrapKey(session, &kw, wrapping, key, out, NULL),
                     CKR_ARGUMENTS_BAD);
    /* The key still wraps after every refusal. */
    len = sizeof(out);
    assert_int_equal(p11->C_WrapKey(session, &kw, wrapping, key, out, &len),
                     CKR_OK);
}

static void unwrapping_refusals_have_the_standards_codes(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_MECHANISM oaep = {CKM_RSA_PKCS_OAEP, &oaep_sha256, sizeof(oaep_sha256)};
    CK_OBJECT_HANDLE unwrapping = kek(CKA_UNWRAP), key = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE no_unwrap = kek(CKA_ENCRYPT);
    CK_OBJECT_HANDLE rsa_public = rsa_key(CKO_PUBLIC_KEY, CKA_WRAP);
    uint8_t tampered[24];
    memcpy(tampered, rfc3394_wrapped, 24);
    tampered[5] ^= 1;
    struct {
        CK_MECHANISM *mechanism;
        CK_OBJECT_HANDLE unwrapping;
        const uint8_t *wrapped;
        size_t len;
        CK_RV rv;
    } cases[] = {
        {&kw, 0xfffff, rfc3394_wrapped, 24, CKR_UNWRAPPING_KEY_HANDLE_INVALID},
        {&kw, rsa_public, rfc3394_wrapped, 24,
         CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT},
        {&oaep, unwrapping, rfc3394_wrapped, 24,
         CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT},
        {&kw, no_unwrap, rfc3394_wrapped, 24, CKR_KEY_FUNCTION_NOT_PERMITTED},
        {&kw, unwrapping, rfc3394_wrapped, 20, CKR_WRAPPED_KEY_LEN_RANGE},
        {&kw, unwrapping, rfc3394_wrapped, 16, CKR_WRAPPED_KEY_LEN_RANGE},
        {&kw, unwrapping, tampered, 24, CKR_WRAPPED_KEY_INVALID},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CK_RV rv = unwrap(cases[i].mechanism, cases[i].unwrapping,
                          cases[i].wrapped, cases[i].len, &key);
        if (rv != cases[i].rv)
            fail_msg("case %zu: 0x%lx, wanted 0x%lx", i, rv, cases[i].rv);
    }
    CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE no_type[] = {{CKA_CLASS, &secret_class, sizeof(secret_class)}};
    CK_ATTRIBUTE private_key[] = {
        {CKA_CLASS, &private_class, sizeof(private_class)},
        {CKA_KEY_TYPE, &aes_type, sizeof(aes_type)}};
    CK_BYTE_PTR wrapped = (CK_BYTE_PTR)rfc3394_wrapped;
    assert_int_equal(p11->C_UnwrapKey(session, &kw, unwrapping, wrapped, 24,
                                      no_type, 1, &key),
                     CKR_TEMPLATE_INCOMPLETE);
    assert_int_equal(p11->C_UnwrapKey(session, &kw, unwrapping, wrapped, 24,
                                      private_key, 2, &key),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(p11->C_UnwrapKey(session, &kw, unwrapping, wrapped, 24,
                                      unwrap_template, UNWRAP_COUNT, NULL),
                     CKR_ARGUMENTS_BAD);
}

/* A template's CKA_VALUE_LEN must be the unwrapped key's length. */
static void the_value_len_asked_is_the_unwrapped_length(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_OBJECT_HANDLE unwrapping = kek(CKA_UNWRAP), key = CK_INVALID_HANDLE;
    CK_ULONG value_len = 32;
    CK_ATTRIBUTE templ[UNWRAP_COUNT + 1];
    memcpy(templ, unwrap_template, sizeof(unwrap_template));
    templ[UNWRAP_COUNT] =
        (CK_ATTRIBUTE){CKA_VALUE_LEN, &value_len, sizeof(value_len)};
    CK_BYTE_PTR wrapped = (CK_BYTE_PTR)rfc3394_wrapped;
    assert_int_equal(p11->C_UnwrapKey(session, &kw, unwrapping, wrapped, 24,
                                      templ, UNWRAP_COUNT + 1, &key),
                     CKR_TEMPLATE_INCONSISTENT);
    value_len = 16;
    assert_int_equal(p11->C_UnwrapKey(session, &kw, unwrapping, wrapped, 24,
                                      templ, UNWRAP_COUNT + 1, &key),
                     CKR_OK);
    encrypts_as(key, key_bytes);
}

/* A read-only session wraps (nothing is made) but does not unwrap into
 * a token object. */
/* A read-only session wraps, unwraps no token key, and unwraps a session
 * key (CKA_TOKEN false) that works and goes with the session. */
static void a_read_only_session_unwraps_only_session_keys(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_OBJECT_HANDLE wrapping = kek(CKA_WRAP), key = wrappable();
    CK_OBJECT_HANDLE unwrapping = kek(CKA_UNWRAP), made = CK_INVALID_HANDLE;
    CK_SESSION_INFO info;
    CK_SESSION_HANDLE ro;
    uint8_t out[32];
    CK_ULONG len = sizeof(out);
    assert_int_equal(p11->C_GetSessionInfo(session, &info), CKR_OK);
    assert_int_equal(
        p11->C_OpenSession(info.slotID, CKF_SERIAL_SESSION, NULL, NULL, &ro),
        CKR_OK);
    assert_int_equal(p11->C_WrapKey(ro, &kw, wrapping, key, out, &len), CKR_OK);
    assert_memory_equal(out, rfc3394_wrapped, 24);
    assert_int_equal(p11->C_UnwrapKey(ro, &kw, unwrapping, out, len,
                                      unwrap_template, UNWRAP_COUNT, &made),
                     CKR_SESSION_READ_ONLY);
    assert_int_equal(made, CK_INVALID_HANDLE);
    CK_ATTRIBUTE session_key[UNWRAP_COUNT];
    memcpy(session_key, unwrap_template, sizeof(session_key));
    session_key[2].pValue = &no; /* CKA_TOKEN */
    assert_int_equal(p11->C_UnwrapKey(ro, &kw, unwrapping, out, len,
                                      session_key, UNWRAP_COUNT, &made),
                     CKR_OK);
    CK_BBOOL token = CK_TRUE;
    CK_ATTRIBUTE read = {CKA_TOKEN, &token, sizeof(token)};
    assert_int_equal(p11->C_GetAttributeValue(session, made, &read, 1), CKR_OK);
    assert_int_equal(token, CK_FALSE);
    encrypts_as(made, key_bytes);
    assert_int_equal(p11->C_CloseSession(ro), CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(session, made, &read, 1),
                     CKR_OBJECT_HANDLE_INVALID);
}

/* A failed wrap or unwrap leaves the session's operations as they were. */
static void a_failed_wrap_leaves_the_active_operation(void **state)
{
    (void)state;
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_MECHANISM ecb = {CKM_AES_ECB, NULL, 0};
    CK_OBJECT_HANDLE key = wrappable(), wrapping = kek(CKA_ENCRYPT);
    uint8_t out[32], zeros[16] = {0};
    CK_ULONG len = sizeof(out);
    assert_int_equal(p11->C_EncryptInit(session, &ecb, key), CKR_OK);
    assert_int_equal(p11->C_WrapKey(session, &kw, wrapping, key, out, &len),
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
    CK_OBJECT_HANDLE made = CK_INVALID_HANDLE;
    assert_int_equal(unwrap(&kw, wrapping, rfc3394_wrapped, 24, &made),
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(made, CK_INVALID_HANDLE);
    len = sizeof(out);
    assert_int_equal(p11->C_Encrypt(session, zeros, 16, out, &len), CKR_OK);
    assert_int_equal(len, 16);
}

static void the_mechanisms_wrap_and_unwrap(void **state)
{
    (void)state;
    static const CK_MECHANISM_TYPE types[] = {
        CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_PAD, CKM_RSA_PKCS_OAEP};
    CK_SLOT_ID slot;
    CK_ULONG count = 1;
    assert_int_equal(p11->C_GetSlotList(CK_TRUE, &slot, &count), CKR_OK);
    for (size_t i = 0; i < 3; i++) {
        CK_MECHANISM_INFO info;
        assert_int_equal(p11->C_GetMechanismInfo(slot, types[i], &info),
                         CKR_OK);
        assert_true(info.flags & CKF_WRAP);
        assert_true(info.flags & CKF_UNWRAP);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_mechanisms_wrap_and_unwrap),
        cmocka_unit_test(aes_key_wrap_is_the_rfc_3394_vector),
        cmocka_unit_test(length_query_and_short_buffer_answer_the_length),
        cmocka_unit_test(keys_wrapped_by_openssl_unwrap_and_encrypt),
        cmocka_unit_test(oaep_wraps_under_the_public_key_for_openssl),
        cmocka_unit_test(oaep_unwraps_under_the_private_key),
        cmocka_unit_test(a_generated_key_pair_wraps_and_unwraps),
        cmocka_unit_test(the_wrap_template_says_what_wraps),
        cmocka_unit_test(the_unwrap_template_is_the_new_keys),
        cmocka_unit_test(a_template_array_that_is_no_array_is_value_invalid),
        cmocka_unit_test(wrapping_refusals_have_the_standards_codes),
        cmocka_unit_test(unwrapping_refusals_have_the_standards_codes),
        cmocka_unit_test(the_value_len_asked_is_the_unwrapped_length),
        cmocka_unit_test(a_read_only_session_unwraps_only_session_keys),
        cmocka_unit_test(a_failed_wrap_leaves_the_active_operation),
    };
    rsa = EVP_RSA_gen(2048);
    if (rsa == NULL || !load_module())
        return 1;
    int failed =
        cmocka_run_group_tests_name("wrap", tests, open_session, close_session);
    EVP_PKEY_free(rsa);
    return failed;
}
