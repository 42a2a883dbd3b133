/* SPDX-License-Identifier: Apache-2.0 */
/* Multi-part AES through p11kmip-pkcs11.so against the server that
 * with_server.py started (argv[1]: "kmipd" or "pykmip"): ECB, CBC, CBC-PAD
 * and CTR answer output at each C_EncryptUpdate / C_DecryptUpdate, keep
 * under a block between calls, and match OpenSSL computing locally with
 * the same imported key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

#include "by_server.h"
#include "crypto_fixture.h"

#define DATA_LEN (140u * 1024u + 5u) /* several requests, a partial block */
/* PyKMIP parses a request of 100 KiB slower than the module waits. */
#define PYKMIP_DATA_LEN (40u * 1024u + 5u)
#define BLOCK 16

static const uint8_t key_value[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
                                      0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
                                      0x09, 0xcf, 0x4f, 0x3c};
static uint8_t iv[16] = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                         0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};
/* The counter's low bytes carry over within the first request. */
static CK_AES_CTR_PARAMS ctr = {
    128, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xa, 0xb, 0xc, 0xff, 0xff, 0xf0}};

/* Part sizes: odd ones, one over two requests, then the rest. */
static const size_t parts[] = {1, 15, 17, 3, 70000, 66666, 8};

typedef struct stream_case {
    CK_MECHANISM mechanism;
    const char *cipher; /* OpenSSL's name */
    bool padded;
    size_t data_len; /* the unpadded modes take whole blocks */
} stream_case;

static bool on_pykmip;

/* PyKMIP takes CBC and ECB only padded: the first two for it. */
static stream_case cases[] = {
    {{CKM_AES_CBC_PAD, iv, sizeof(iv)}, "AES-128-CBC", true, DATA_LEN},
    {{CKM_AES_CTR, &ctr, sizeof(ctr)}, "AES-128-CTR", false, DATA_LEN},
    {{CKM_AES_CBC, iv, sizeof(iv)}, "AES-128-CBC", false, DATA_LEN - 5},
    {{CKM_AES_ECB, NULL, 0}, "AES-128-ECB", false, DATA_LEN - 5},
};

static CK_OBJECT_HANDLE known_key(void)
{
    return imported_aes_key(key_value, sizeof(key_value));
}

/* OpenSSL's answer for the case; *out has room for len + BLOCK. */
static size_t local_cipher(const stream_case *c, bool encrypt,
                           const uint8_t *in, size_t len, uint8_t *out)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, c->cipher, NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    const uint8_t *start = c->mechanism.mechanism == CKM_AES_CTR ? ctr.cb : iv;
    int n = 0, m = 0;
    assert_int_equal(
        EVP_CipherInit_ex2(ctx, cipher, key_value,
                           c->mechanism.mechanism == CKM_AES_ECB ? NULL : start,
                           encrypt, NULL),
        1);
    EVP_CIPHER_CTX_set_padding(ctx, c->padded);
    assert_int_equal(EVP_CipherUpdate(ctx, out, &n, in, (int)len), 1);
    assert_int_equal(EVP_CipherFinal_ex(ctx, out + n, &m), 1);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
    return (size_t)(n + m);
}

typedef CK_RV update_fn(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR,
                        CK_ULONG_PTR);
typedef CK_RV final_fn(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG_PTR);

/* Runs in through update in the parts above, then final; asserts that
 * after each update the module keeps at most held bytes of input. */
static size_t stream(update_fn *update, final_fn *final, const uint8_t *in,
                     size_t len, uint8_t *out, size_t held)
{
    size_t fed = 0, done = 0;
    for (size_t i = 0; fed < len; i++) {
        size_t n = i < sizeof(parts) / sizeof(parts[0]) ? parts[i] : len - fed;
        n = n < len - fed ? n : len - fed;
        CK_ULONG out_len = (CK_ULONG)(len + BLOCK - done);
        assert_int_equal(
            update(session, (CK_BYTE_PTR)in + fed, n, out + done, &out_len),
            CKR_OK);
        fed += n;
        done += out_len;
        assert_true(fed - done <= held);
    }
    CK_ULONG out_len = (CK_ULONG)(len + BLOCK - done);
    assert_int_equal(final(session, out + done, &out_len), CKR_OK);
    return done + out_len;
}

static void each_update_answers_what_openssl_computes(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = known_key();
    uint8_t *data = malloc(DATA_LEN), *expected = malloc(DATA_LEN + BLOCK);
    uint8_t *got = malloc(DATA_LEN + BLOCK), *back = malloc(DATA_LEN + BLOCK);
    for (size_t i = 0; i < DATA_LEN; i++)
        data[i] = (uint8_t)(i * 7 + i / 256);
    size_t count = on_pykmip ? 2 : sizeof(cases) / sizeof(cases[0]);
    for (size_t i = 0; i < count; i++) {
        stream_case *c = &cases[i];
        /* PyKMIP refuses CBC decryption unpadded: the module gathers. */
        size_t held = !c->padded ? BLOCK - 1 : on_pykmip ? SIZE_MAX : BLOCK;
        size_t data_len = on_pykmip ? PYKMIP_DATA_LEN : c->data_len;
        size_t len = local_cipher(c, true, data, data_len, expected);
        assert_int_equal(p11->C_EncryptInit(session, &c->mechanism, key),
                         CKR_OK);
        assert_int_equal(stream(p11->C_EncryptUpdate, p11->C_EncryptFinal, data,
                                data_len, got, BLOCK - 1),
                         len);
        assert_memory_equal(got, expected, len);
        assert_int_equal(p11->C_DecryptInit(session, &c->mechanism, key),
                         CKR_OK);
        assert_int_equal(stream(p11->C_DecryptUpdate, p11->C_DecryptFinal,
                                expected, len, back, held),
                         data_len);
        assert_memory_equal(back, data, data_len);
    }
    free(data);
    free(expected);
    free(got);
    free(back);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

/* A length query and a short buffer consume nothing and keep the
 * operation; CBC without padding refuses a partial last block. */
static void update_output_follows_the_buffer_convention(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = known_key();
    uint8_t out[64];
    CK_ULONG out_len = 0;
    assert_int_equal(p11->C_EncryptInit(session, &cases[2].mechanism, key),
                     CKR_OK);
    assert_int_equal(
        p11->C_EncryptUpdate(session, (CK_BYTE_PTR)message, 40, NULL, &out_len),
        CKR_OK);
    assert_int_equal(out_len, 32);
    out_len = 16;
    assert_int_equal(
        p11->C_EncryptUpdate(session, (CK_BYTE_PTR)message, 40, out, &out_len),
        CKR_BUFFER_TOO_SMALL);
    assert_int_equal(out_len, 32);
    out_len = sizeof(out);
    assert_int_equal(
        p11->C_EncryptUpdate(session, (CK_BYTE_PTR)message, 40, out, &out_len),
        CKR_OK);
    assert_int_equal(out_len, 32);
    uint8_t expected[64];
    assert_int_equal(local_cipher(&cases[2], true, message, 32, expected), 32);
    assert_memory_equal(out, expected, 32);
    out_len = sizeof(out);
    assert_int_equal(p11->C_EncryptFinal(session, out, &out_len),
                     CKR_DATA_LEN_RANGE);
    out_len = sizeof(out);
    assert_int_equal(p11->C_EncryptFinal(session, out, &out_len),
                     CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

/* An update the server refuses ends the operation. */
static void a_failed_update_ends_the_operation(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = known_key();
    uint8_t out[64];
    CK_ULONG out_len = sizeof(out);
    assert_int_equal(p11->C_EncryptInit(session, &cases[0].mechanism, key),
                     CKR_OK);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
    assert_true(p11->C_EncryptUpdate(session, (CK_BYTE_PTR)message, 32, out,
                                     &out_len) != CKR_OK);
    out_len = sizeof(out);
    assert_int_equal(
        p11->C_EncryptUpdate(session, (CK_BYTE_PTR)message, 32, out, &out_len),
        CKR_OPERATION_NOT_INITIALIZED);
}

/* Past the 16 MB a KMIP message carries, which gathering could not take,
 * with the part's output answered by each update. */
#define LONG_PART (1024u * 1024u)
#define LONG_PARTS 24u

static void a_stream_longer_than_a_message_passes(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = known_key();
    uint8_t *part = calloc(1, LONG_PART), *out = malloc(LONG_PART);
    EVP_MD_CTX *mine = EVP_MD_CTX_new(), *theirs = EVP_MD_CTX_new();
    EVP_CIPHER_CTX *local = EVP_CIPHER_CTX_new();
    assert_int_equal(EVP_DigestInit_ex(mine, EVP_sha256(), NULL), 1);
    assert_int_equal(EVP_DigestInit_ex(theirs, EVP_sha256(), NULL), 1);
    assert_int_equal(
        EVP_EncryptInit_ex(local, EVP_aes_128_ctr(), NULL, key_value, ctr.cb),
        1);
    assert_int_equal(p11->C_EncryptInit(session, &cases[1].mechanism, key),
                     CKR_OK);
    for (unsigned i = 0; i < LONG_PARTS; i++) {
        CK_ULONG out_len = LONG_PART;
        int n = 0;
        part[0] = (uint8_t)i;
        assert_int_equal(
            p11->C_EncryptUpdate(session, part, LONG_PART, out, &out_len),
            CKR_OK);
        assert_int_equal(out_len, LONG_PART);
        EVP_DigestUpdate(mine, out, out_len);
        assert_int_equal(EVP_EncryptUpdate(local, out, &n, part, LONG_PART), 1);
        EVP_DigestUpdate(theirs, out, (size_t)n);
    }
    CK_ULONG out_len = LONG_PART;
    assert_int_equal(p11->C_EncryptFinal(session, out, &out_len), CKR_OK);
    assert_int_equal(out_len, 0);
    uint8_t a[32], b[32];
    EVP_DigestFinal_ex(mine, a, NULL);
    EVP_DigestFinal_ex(theirs, b, NULL);
    assert_memory_equal(a, b, 32);
    EVP_MD_CTX_free(mine);
    EVP_MD_CTX_free(theirs);
    EVP_CIPHER_CTX_free(local);
    free(part);
    free(out);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        cmocka_unit_test(each_update_answers_what_openssl_computes),
        cmocka_unit_test(update_output_follows_the_buffer_convention),
        cmocka_unit_test(a_failed_update_ends_the_operation),
    };
    /* PyKMIP is too slow a server for 24 MB. */
    const struct CMUnitTest kmipd_only[] = {
        cmocka_unit_test(a_stream_longer_than_a_message_passes),
    };
    test_server server = load_module_for(argc, argv);

    if (server == TEST_SERVER_NONE)
        return 1;
    on_pykmip = server == TEST_SERVER_PYKMIP;
    return run_by_server_with(argv[1], open_session, close_session,
                              TEST_GROUP(every_server), TEST_GROUP(kmipd_only),
                              NO_TEST_GROUP);
}
