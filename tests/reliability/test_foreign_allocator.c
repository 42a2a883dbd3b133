// SPDX-License-Identifier: Apache-2.0
/* A program that gives OpenSSL allocation functions of its own (stunnel
 * does) and uses p11kmip-pkcs11.so: every buffer OpenSSL frees must have
 * come from OpenSSL's allocator, and every buffer handed to free() from
 * malloc. The checking allocator below puts a magic word before each of
 * its blocks and counts (where stunnel aborts) each block without it that
 * reaches CRYPTO_free, leaking it; glibc aborts on the reverse. */
#include <setjmp.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/crypto.h>

#include "kmipd_proc.h"
#include "sign_stream.h"

#define MAGIC 0x6b6d6970636b6d70ull /* "kmipckmp" */

typedef union block_header {
    struct {
        uint64_t magic;
        size_t size;
    } h;
    max_align_t align;
} block_header;

static atomic_uint bad_frees;

/* The block's header, or NULL (counted) when ptr is not one of ours. */
static block_header *header_of(void *ptr, const char *file, int line)
{
    block_header *header = (block_header *)ptr - 1;
    if (header->h.magic == MAGIC)
        return header;
    fprintf(stderr, "Bad magic at %s:%d\n", file, line);
    atomic_fetch_add(&bad_frees, 1);
    return NULL;
}

static void *checked_malloc(size_t size, const char *file, int line)
{
    (void)file;
    (void)line;
    block_header *header = malloc(sizeof(*header) + size);
    if (header == NULL)
        return NULL;
    header->h.magic = MAGIC;
    header->h.size = size;
    return header + 1;
}

static void checked_free(void *ptr, const char *file, int line)
{
    if (ptr == NULL)
        return;
    block_header *header = header_of(ptr, file, line);
    if (header == NULL)
        return;
    header->h.magic = 0;
    free(header);
}

static void *checked_realloc(void *ptr, size_t size, const char *file, int line)
{
    if (ptr == NULL)
        return checked_malloc(size, file, line);
    block_header *header = header_of(ptr, file, line);
    if (header == NULL)
        return NULL;
    void *grown = checked_malloc(size, file, line);
    if (grown == NULL)
        return NULL;
    memcpy(grown, ptr, header->h.size < size ? header->h.size : size);
    checked_free(ptr, file, line);
    return grown;
}

static kmipd_proc server;
static CK_FUNCTION_LIST_PTR p11;
static CK_SESSION_HANDLE session;

static int start(void **state)
{
    (void)state;
    if (!kmipd_proc_configure(&server, "kmipd-alloc", kmipd_free_port(),
                              NULL) ||
        !kmipd_proc_start(&server))
        return -1;
    const char *servers[] = {server.address};
    module_configure(servers, 1, 5000);
    p11 = module_initialize();
    if (p11 == NULL)
        return -1;
    session = module_session();
    return session != CK_INVALID_HANDLE ? 0 : -1;
}

static int stop(void **state)
{
    (void)state;
    module_finalize();
    kmipd_proc_stop(&server, SIGTERM);
    return 0;
}

static void key_generation_signing_and_destruction_run_clean(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = module_ec_key(session, "foreign-allocator");
    assert_int_not_equal(key, CK_INVALID_HANDLE);
    assert_int_equal(module_sign(session, key), CKR_OK);
    assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
    assert_int_equal(atomic_load(&bad_frees), 0);
}

/* A second session finds the key by label and loads its attributes. */
static void key_loading_and_signing_run_clean(void **state)
{
    (void)state;
    assert_int_not_equal(module_ec_key(session, "loaded"), CK_INVALID_HANDLE);
    CK_SESSION_HANDLE other = module_session();
    CK_OBJECT_HANDLE key = module_find_key(other, "loaded");
    assert_int_not_equal(key, CK_INVALID_HANDLE);
    CK_BYTE ec_point[128];
    CK_ATTRIBUTE attr = {CKA_EC_POINT, ec_point, sizeof(ec_point)};
    CK_OBJECT_CLASS class = CKO_PUBLIC_KEY;
    CK_ATTRIBUTE find[] = {{CKA_CLASS, &class, sizeof(class)},
                           {CKA_LABEL, "loaded", 6}};
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
    CK_ULONG found = 0;
    assert_int_equal(p11->C_FindObjectsInit(other, find, 2), CKR_OK);
    assert_int_equal(p11->C_FindObjects(other, &public_key, 1, &found), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(other), CKR_OK);
    assert_int_equal(found, 1);
    assert_int_equal(p11->C_GetAttributeValue(other, public_key, &attr, 1),
                     CKR_OK);
    assert_int_equal(module_sign(other, key), CKR_OK);
    assert_int_equal(p11->C_CloseSession(other), CKR_OK);
    assert_int_equal(atomic_load(&bad_frees), 0);
}

/* A secret key made on the server, for verify and decrypt. */
static CK_OBJECT_HANDLE secret_key(CK_MECHANISM_TYPE generator,
                                   CK_KEY_TYPE type, CK_ULONG len)
{
    CK_OBJECT_CLASS class = CKO_SECRET_KEY;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &class, sizeof(class)}, {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_ENCRYPT, &yes, sizeof(yes)},
        {CKA_DECRYPT, &yes, sizeof(yes)},   {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)}};
    CK_MECHANISM mechanism = {generator, NULL, 0};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    CK_ULONG count = type == CKK_AES ? 5 : 7;

    assert_int_equal(
        p11->C_GenerateKey(session, &mechanism, templ, count, &key), CKR_OK);
    return key;
}

/* The server's answers to Decrypt and MAC are freed by the module. */
static void decryption_and_mac_verification_run_clean(void **state)
{
    static const CK_BYTE block[16] = "sixteen bytes!!";
    CK_MECHANISM ecb = {CKM_AES_ECB, NULL, 0};
    CK_MECHANISM hmac = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE encrypted[16], decrypted[16], mac[32];
    CK_ULONG len = sizeof(encrypted), mac_len = sizeof(mac);
    CK_OBJECT_HANDLE aes = secret_key(CKM_AES_KEY_GEN, CKK_AES, 32);
    CK_OBJECT_HANDLE generic =
        secret_key(CKM_GENERIC_SECRET_KEY_GEN, CKK_GENERIC_SECRET, 32);

    (void)state;
    assert_int_equal(p11->C_EncryptInit(session, &ecb, aes), CKR_OK);
    assert_int_equal(
        p11->C_Encrypt(session, (CK_BYTE_PTR)block, 16, encrypted, &len),
        CKR_OK);
    assert_int_equal(p11->C_DecryptInit(session, &ecb, aes), CKR_OK);
    len = sizeof(decrypted);
    assert_int_equal(p11->C_Decrypt(session, encrypted, 16, decrypted, &len),
                     CKR_OK);
    assert_memory_equal(decrypted, block, 16);
    assert_int_equal(p11->C_SignInit(session, &hmac, generic), CKR_OK);
    assert_int_equal(
        p11->C_Sign(session, (CK_BYTE_PTR)block, 16, mac, &mac_len), CKR_OK);
    assert_int_equal(p11->C_VerifyInit(session, &hmac, generic), CKR_OK);
    assert_int_equal(
        p11->C_Verify(session, (CK_BYTE_PTR)block, 16, mac, mac_len), CKR_OK);
    assert_int_equal(atomic_load(&bad_frees), 0);
}

int main(void)
{
    /* Before anything allocates through OpenSSL. */
    if (!CRYPTO_set_mem_functions(checked_malloc, checked_realloc,
                                  checked_free)) {
        fprintf(stderr, "CRYPTO_set_mem_functions refused\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_generation_signing_and_destruction_run_clean),
        cmocka_unit_test(key_loading_and_signing_run_clean),
        cmocka_unit_test(decryption_and_mac_verification_run_clean),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
