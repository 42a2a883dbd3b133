/* SPDX-License-Identifier: Apache-2.0 */
/* What the end-to-end tests of the cryptographic operations share (run
 * under integration/with_server.py): p11kmip-pkcs11.so loaded with dlopen,
 * configured by the P11KMIP_* variables from P11KMIP_TEST_*, one session,
 * and keys made on the server. Failures fail the running cmocka test. */
#ifndef TEST_CRYPTO_FIXTURE_H
#define TEST_CRYPTO_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "p256.h"

extern CK_FUNCTION_LIST_PTR p11;
extern CK_SESSION_HANDLE session; /* read-write, of the only slot */

extern const uint8_t message[]; /* a NUL-terminated sentence */
#define MESSAGE_LEN (sizeof("The quick brown fox jumps over the lazy dog") - 1)

extern CK_BBOOL yes;
extern CK_BBOOL no;

/* The DER OID of secp521r1 (prime256v1's: p256.h). */
extern const CK_BYTE p521[7];

/* An RSA-2048 key pair (sign, verify, encrypt, decrypt). */
void rsa_key_pair(CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key);

/* An EC key pair on curve (sign, verify); ec_key_pair on P-256. */
void ec_key_pair_on(const CK_BYTE *curve, CK_ULONG curve_len,
                    CK_OBJECT_HANDLE *public_key,
                    CK_OBJECT_HANDLE *private_key);
void ec_key_pair(CK_OBJECT_HANDLE *public_key, CK_OBJECT_HANDLE *private_key);

/* An AES key that encrypts and decrypts, or a generic secret that signs
 * and verifies (HMAC), of bytes bytes. */
CK_OBJECT_HANDLE secret_key(CK_MECHANISM_TYPE generator, CK_KEY_TYPE type,
                            CK_ULONG bytes);

/* A token AES key that encrypts and decrypts, imported with value (so
 * that OpenSSL can compute the same locally). */
CK_OBJECT_HANDLE imported_aes_key(const uint8_t *value, size_t len);

/* C_SignInit then C_Sign; C_VerifyInit then C_Verify. */
CK_RV sign(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key, const uint8_t *data,
           size_t len, uint8_t *signature, CK_ULONG *signature_len);
CK_RV verify(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key, const uint8_t *data,
             size_t len, uint8_t *signature, CK_ULONG signature_len);

/* SHA-256 of data, computed by OpenSSL. */
void sha256(const uint8_t *data, size_t len, uint8_t out[32]);

/* Loads the module and points it at the test server; false on failure. */
bool load_module(void);

/* The server a test program's only argument names, kmipd or pykmip; the
 * module loaded for it (at KMIP 1.4 on PyKMIP, whose GCM needs it). NONE
 * after a usage message or a module that does not load. */
typedef enum test_server {
    TEST_SERVER_NONE,
    TEST_SERVER_KMIPD,
    TEST_SERVER_PYKMIP
} test_server;
test_server load_module_for(int argc, char **argv);

/* cmocka group setup and teardown: C_Initialize and a session; the
 * session closed and C_Finalize. */
int open_session(void **state);
int close_session(void **state);

#endif
