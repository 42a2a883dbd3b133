// SPDX-License-Identifier: Apache-2.0
/* What the end-to-end tests of the cryptographic operations share: the
 * module loaded with dlopen, one session, keys made on the server and the
 * single-part sign and verify calls. */
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

#include "crypto_fixture.h"
#include "module_load.h"

CK_FUNCTION_LIST_PTR p11;
CK_SESSION_HANDLE session;

const uint8_t message[] = "The quick brown fox jumps over the lazy dog";

CK_BBOOL yes = CK_TRUE;
CK_BBOOL no = CK_FALSE;

const CK_BYTE p521[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};

void rsa_key_pair(CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key)
{
    CK_ULONG bits = 2048;
    CK_BYTE exponent[] = {1, 0, 1};
    CK_ATTRIBUTE public_template[] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_ENCRYPT, &yes, sizeof(yes)},
        {CKA_MODULUS_BITS, &bits, sizeof(bits)},
        {CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent)},
    };
    CK_ATTRIBUTE private_template[] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_DECRYPT, &yes, sizeof(yes)},
    };
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    assert_int_equal(
        p11->C_GenerateKeyPair(session, &mechanism, public_template, 5,
                               private_template, 3, public_key, private_key),
        CKR_OK);
}

void ec_key_pair_on(const CK_BYTE *curve, CK_ULONG curve_len,
                    CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key)
{
    CK_ATTRIBUTE public_template[] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_EC_PARAMS, (CK_BYTE_PTR)curve, curve_len},
    };
    CK_ATTRIBUTE private_template[] = {
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_SIGN, &yes, sizeof(yes)},
    };
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    assert_int_equal(
        p11->C_GenerateKeyPair(session, &mechanism, public_template, 3,
                               private_template, 2, public_key, private_key),
        CKR_OK);
}

void ec_key_pair(CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key)
{
    ec_key_pair_on(p256, sizeof(p256), public_key, private_key);
}

/* An AES key that encrypts and decrypts, or a generic secret that signs
 * and verifies (HMAC). */
CK_OBJECT_HANDLE secret_key(CK_MECHANISM_TYPE generator, CK_KEY_TYPE type,
                            CK_ULONG bytes)
{
    CK_OBJECT_CLASS class = CKO_SECRET_KEY;
    bool aes = type == CKK_AES;
    CK_ATTRIBUTE template[] = {
        {CKA_CLASS, &class, sizeof(class)},
        {CKA_KEY_TYPE, &type, sizeof(type)},
        {CKA_TOKEN, &yes, sizeof(yes)},
        {CKA_VALUE_LEN, &bytes, sizeof(bytes)},
        {aes ? CKA_ENCRYPT : CKA_SIGN, &yes, sizeof(yes)},
        {aes ? CKA_DECRYPT : CKA_VERIFY, &yes, sizeof(yes)},
    };
    CK_MECHANISM mechanism = {generator, NULL, 0};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_GenerateKey(session, &mechanism, template, 6, &key),
                     CKR_OK);
    return key;
}

CK_RV sign(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key, const uint8_t *data,
           size_t len, uint8_t *signature, CK_ULONG *signature_len)
{
    CK_RV rv = p11->C_SignInit(session, mechanism, key);
    if (rv != CKR_OK)
        return rv;
    return p11->C_Sign(session, (CK_BYTE_PTR)data, len, signature,
                       signature_len);
}

CK_RV verify(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key, const uint8_t *data,
             size_t len, uint8_t *signature, CK_ULONG signature_len)
{
    CK_RV rv = p11->C_VerifyInit(session, mechanism, key);
    if (rv != CKR_OK)
        return rv;
    return p11->C_Verify(session, (CK_BYTE_PTR)data, len, signature,
                         signature_len);
}

void sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
    unsigned int out_len = 32;
    assert_int_equal(EVP_Digest(data, len, out, &out_len, EVP_sha256(), NULL),
                     1);
}

static void export_test_env(const char *to, const char *from)
{
    const char *value = getenv(from);
    if (value != NULL)
        setenv(to, value, 1);
}

/* Each group initializes the module and opens a session. The module is
 * loaded once and stays loaded until exit, as applications do with
 * PKCS#11 modules (p11-kit never unloads them either). */
int open_session(void **state)
{
    (void)state;
    CK_SLOT_ID slot;
    CK_ULONG slot_count = 1;
    if (p11->C_Initialize(NULL) != CKR_OK ||
        p11->C_GetSlotList(CK_TRUE, &slot, &slot_count) != CKR_OK ||
        slot_count != 1 ||
        p11->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                           NULL, &session) != CKR_OK)
        return -1;
    return 0;
}

int close_session(void **state)
{
    (void)state;
    p11->C_CloseSession(session);
    p11->C_Finalize(NULL);
    return 0;
}

bool load_module(void)
{
    unsetenv("P11KMIP_CONFIG");
    export_test_env("P11KMIP_SERVER", "P11KMIP_TEST_SERVER");
    export_test_env("P11KMIP_CA", "P11KMIP_TEST_CA");
    export_test_env("P11KMIP_CERT", "P11KMIP_TEST_CERT");
    export_test_env("P11KMIP_KEY", "P11KMIP_TEST_KEY");
    p11 = module_load();
    return p11 != NULL;
}

test_server load_module_for(int argc, char **argv)
{
    static const char *const names[] = {"kmipd", "pykmip"};
    for (size_t i = 0; argc == 2 && i < 2; i++) {
        if (strcmp(argv[1], names[i]) != 0)
            continue;
        if (i == 1)
            setenv("P11KMIP_KMIP_VERSION", "1.4", 1);
        return load_module() ? (test_server)(TEST_SERVER_KMIPD + i)
                             : TEST_SERVER_NONE;
    }
    fprintf(stderr, "usage: %s kmipd|pykmip\n", argv[0]);
    return TEST_SERVER_NONE;
}

CK_OBJECT_HANDLE imported_aes_key(const uint8_t *value, size_t len)
{
    CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &secret, sizeof(secret)}, {CKA_KEY_TYPE, &aes, sizeof(aes)},
        {CKA_TOKEN, &yes, sizeof(yes)},       {CKA_ENCRYPT, &yes, sizeof(yes)},
        {CKA_DECRYPT, &yes, sizeof(yes)},     {CKA_VALUE, (void *)value, len}};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    assert_int_equal(p11->C_CreateObject(session, templ, 6, &key), CKR_OK);
    return key;
}
