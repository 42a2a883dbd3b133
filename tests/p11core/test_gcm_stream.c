// SPDX-License-Identifier: Apache-2.0
/* Multi-part AES-GCM through p11kmip-pkcs11.so against the server that
 * with_server.py started (argv[1]: "kmipd" or "pykmip"), checked against
 * OpenSSL computing locally with the same imported key: with kmipd's KMIP
 * stream each C_EncryptUpdate answers its part and C_DecryptUpdate all
 * but the last tag-length bytes it has seen; PyKMIP does not stream and
 * the module gathers into the final call. A wrong tag fails
 * C_DecryptFinal with CKR_ENCRYPTED_DATA_INVALID and ends the operation;
 * a long stream holds no input and keeps the module's memory flat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

#include "by_server.h"
#include "crypto_fixture.h"

#define DATA_LEN (100u * 1024u + 3u) /* several KMIP requests */
#define PYKMIP_DATA_LEN (20u * 1024u + 3u)

static const uint8_t key_value[32] = {
    0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c, 0x6d, 0x6a, 0x8f,
    0x94, 0x67, 0x30, 0x83, 0x08, 0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65,
    0x73, 0x1c, 0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08};
static uint8_t iv[12] = {0xca, 0xfe, 0xba, 0xbe, 0xfa, 0xce,
                         0xdb, 0xad, 0xde, 0xca, 0xf8, 0x88};
static uint8_t aad[20] = {0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad, 0xbe,
                          0xef, 0xfe, 0xed, 0xfa, 0xce, 0xde, 0xad,
                          0xbe, 0xef, 0xab, 0xad, 0xda, 0xd2};

static bool on_pykmip;

/* The IV, AAD and tag length of each case. */
static CK_GCM_PARAMS cases[] = {
    {iv, sizeof(iv), 96, aad, sizeof(aad), 128},
    {iv, sizeof(iv), 96, NULL, 0, 96},
    {iv, 8, 64, aad, 5, 32},
};

/* Part sizes: odd ones, one over two KMIP requests, then the rest. */
static const size_t parts[] = {0, 1, 15, 17, 3, 70000, 8};

/* OpenSSL's ciphertext and tag of in; returns their length. */
static size_t local_gcm(const CK_GCM_PARAMS *p, const uint8_t *in, size_t len,
                        uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    size_t tag = p->ulTagBits / 8;
    assert_int_equal(
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL), 1);
    assert_int_equal(
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, (int)p->ulIvLen, NULL),
        1);
    assert_int_equal(EVP_EncryptInit_ex(ctx, NULL, NULL, key_value, p->pIv), 1);
    if (p->ulAADLen > 0)
        assert_int_equal(
            EVP_EncryptUpdate(ctx, NULL, &n, p->pAAD, (int)p->ulAADLen), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, in, (int)len), 1);
    assert_int_equal(EVP_EncryptFinal_ex(ctx, out + n, &m), 1);
    assert_int_equal(
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, (int)tag, out + n + m),
        1);
    EVP_CIPHER_CTX_free(ctx);
    return (size_t)(n + m) + tag;
}

typedef CK_RV update_fn(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR,
                        CK_ULONG_PTR);

/* Feeds in through update in the parts above; asserts that after each
 * update the module holds at most held bytes of input. Returns the
 * output so far. */
static size_t feed(update_fn *update, const uint8_t *in, size_t len,
                   uint8_t *out, size_t room, size_t held)
{
    size_t fed = 0, done = 0;
    for (size_t i = 0; fed < len; i++) {
        size_t n = i < sizeof(parts) / sizeof(parts[0]) ? parts[i] : len - fed;
        n = n < len - fed ? n : len - fed;
        CK_ULONG out_len = (CK_ULONG)(room - done);
        assert_int_equal(
            update(session, (CK_BYTE_PTR)in + fed, n, out + done, &out_len),
            CKR_OK);
        fed += n;
        done += out_len;
        assert_true(fed - done <= held);
    }
    return done;
}

static void each_update_answers_what_openssl_computes(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = imported_aes_key(key_value, sizeof(key_value));
    size_t len = on_pykmip ? PYKMIP_DATA_LEN : DATA_LEN;
    uint8_t *data = malloc(len), *expected = malloc(len + 16);
    uint8_t *got = malloc(len + 16), *back = malloc(len + 16);
    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)(i * 13 + i / 256);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CK_MECHANISM mechanism = {CKM_AES_GCM, &cases[i], sizeof(cases[i])};
        size_t tag = cases[i].ulTagBits / 8;
        size_t total = local_gcm(&cases[i], data, len, expected);
        assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
        size_t done = feed(p11->C_EncryptUpdate, data, len, got, len + 16,
                           on_pykmip ? SIZE_MAX : 0);
        CK_ULONG last = (CK_ULONG)(len + 16 - done);
        assert_int_equal(p11->C_EncryptFinal(session, got + done, &last),
                         CKR_OK);
        assert_int_equal(done + last, total);
        assert_memory_equal(got, expected, total);
        assert_int_equal(p11->C_DecryptInit(session, &mechanism, key), CKR_OK);
        done = feed(p11->C_DecryptUpdate, expected, total, back, len + 16,
                    on_pykmip ? SIZE_MAX : tag);
        last = (CK_ULONG)(len + 16 - done);
        assert_int_equal(p11->C_DecryptFinal(session, back + done, &last),
                         CKR_OK);
        assert_int_equal(done + last, len);
        assert_memory_equal(back, data, len);
    }
    free(data);
    free(expected);
    free(got);
    free(back);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

/* The tag's last byte changed: the updates pass, C_DecryptFinal fails
 * and the operation is over. */
static void a_wrong_tag_fails_the_final_call_and_ends_it(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = imported_aes_key(key_value, sizeof(key_value));
    CK_MECHANISM mechanism = {CKM_AES_GCM, &cases[0], sizeof(cases[0])};
    uint8_t ciphertext[MESSAGE_LEN + 16], plain[MESSAGE_LEN + 16];
    size_t total = local_gcm(&cases[0], message, MESSAGE_LEN, ciphertext);
    ciphertext[total - 1] ^= 1;
    assert_int_equal(p11->C_DecryptInit(session, &mechanism, key), CKR_OK);
    size_t done = feed(p11->C_DecryptUpdate, ciphertext, total, plain,
                       sizeof(plain), SIZE_MAX);
    CK_ULONG last = (CK_ULONG)(sizeof(plain) - done);
    /* PyKMIP's answer does not say that the data is wrong. */
    assert_int_equal(p11->C_DecryptFinal(session, plain + done, &last),
                     on_pykmip ? CKR_DEVICE_ERROR : CKR_ENCRYPTED_DATA_INVALID);
    last = sizeof(plain);
    assert_int_equal(p11->C_DecryptFinal(session, plain, &last),
                     CKR_OPERATION_NOT_INITIALIZED);
    CK_ULONG part = sizeof(plain);
    assert_int_equal(
        p11->C_DecryptUpdate(session, ciphertext, 16, plain, &part),
        CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

/* C_EncryptFinal's length query and a short buffer keep the stream; the
 * tag comes after. */
static void the_final_call_follows_the_buffer_convention(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = imported_aes_key(key_value, sizeof(key_value));
    CK_MECHANISM mechanism = {CKM_AES_GCM, &cases[1], sizeof(cases[1])};
    uint8_t expected[MESSAGE_LEN + 16], got[MESSAGE_LEN + 16];
    size_t total = local_gcm(&cases[1], message, MESSAGE_LEN, expected);
    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
    size_t done = feed(p11->C_EncryptUpdate, message, MESSAGE_LEN, got,
                       sizeof(got), SIZE_MAX);
    CK_ULONG last = 0;
    assert_int_equal(p11->C_EncryptFinal(session, NULL, &last), CKR_OK);
    assert_int_equal(done + last, total);
    CK_ULONG needed = last;
    last = needed - 1;
    assert_int_equal(p11->C_EncryptFinal(session, got + done, &last),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(last, needed);
    assert_int_equal(p11->C_EncryptFinal(session, got + done, &last), CKR_OK);
    assert_memory_equal(got, expected, total);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

/* Pages of the process now (the module runs in it; kmipd does not). */
static size_t resident_pages(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lu %lu", &size, &resident), 2);
    fclose(f);
    return resident;
}

/* Past the 16 MB a KMIP message carries, which gathering could not take:
 * every update answers its whole part (the module holds no input), and
 * the process grows by under 4 MiB after the first part, however long
 * the stream. */
#define LONG_PART (1024u * 1024u)
#define LONG_PARTS 24u

static void a_long_stream_holds_no_input(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = imported_aes_key(key_value, sizeof(key_value));
    CK_MECHANISM mechanism = {CKM_AES_GCM, &cases[0], sizeof(cases[0])};
    uint8_t *part = calloc(1, LONG_PART), *out = malloc(LONG_PART);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), first = 0;
    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
    for (unsigned i = 0; i < LONG_PARTS; i++) {
        CK_ULONG out_len = LONG_PART;
        part[0] = (uint8_t)i;
        assert_int_equal(
            p11->C_EncryptUpdate(session, part, LONG_PART, out, &out_len),
            CKR_OK);
        assert_int_equal(out_len, LONG_PART);
        if (i == 0)
            first = resident_pages();
    }
    size_t grown = (resident_pages() - first) * page;
#ifndef __SANITIZE_ADDRESS__ /* ASan keeps freed memory in quarantine */
    assert_true(grown < 4u * 1024u * 1024u);
#endif
    print_message("grew by %zu bytes\n", grown);
    CK_ULONG out_len = LONG_PART;
    assert_int_equal(p11->C_EncryptFinal(session, out, &out_len), CKR_OK);
    assert_int_equal(out_len, 16);
    free(part);
    free(out);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        cmocka_unit_test(each_update_answers_what_openssl_computes),
        cmocka_unit_test(a_wrong_tag_fails_the_final_call_and_ends_it),
        cmocka_unit_test(the_final_call_follows_the_buffer_convention),
    };
    /* PyKMIP does not stream: the module gathers, no long stream. */
    const struct CMUnitTest kmipd_only[] = {
        cmocka_unit_test(a_long_stream_holds_no_input),
    };
    test_server server = load_module_for(argc, argv);

    if (server == TEST_SERVER_NONE)
        return 1;
    on_pykmip = server == TEST_SERVER_PYKMIP;
    return run_by_server_with(argv[1], open_session, close_session,
                              TEST_GROUP(every_server), TEST_GROUP(kmipd_only),
                              NO_TEST_GROUP);
}
