// SPDX-License-Identifier: Apache-2.0
/* What the EVP operation tests of test_evp_ops share: the property
 * queries, the provider's reason codes, the message they sign, and the
 * family lists test_evp_ops.c runs. */
#ifndef TESTS_PROVIDER_EVP_OPS_H
#define TESTS_PROVIDER_EVP_OPS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <openssl/evp.h>

#define DEFAULT_PROPQ "provider=default"
#define P11KMIP_PROPQ "provider=p11kmip"
#define KEY_URI_PARAM "p11kmip-key-uri"
/* P11PROV_R_* (provider/provider.h) */
#define REASON_NOT_FOUND 3
#define REASON_KEY_USAGE 7
#define REASON_UNSUPPORTED 8
#define REASON_BAD_ARGUMENT 9

#define MESSAGE_TEXT "The quick brown fox jumps over the lazy dog"
/* MESSAGE_TEXT with its NUL: what the signature tests sign. */
extern const unsigned char message[sizeof(MESSAGE_TEXT)];

/* Signs message with key; configure (or NULL) sets parameters; the
 * signature's length. */
size_t digest_sign_with(EVP_PKEY *key, const char *md,
                        void (*configure)(EVP_PKEY_CTX *), unsigned char *sig,
                        size_t sigsize);

/* Signs message with label's private key; configure sets parameters. */
size_t digest_sign(const char *label, const char *md,
                   void (*configure)(EVP_PKEY_CTX *), unsigned char *sig,
                   size_t sigsize);

/* 1 when the default provider verifies sig over message with label's
 * public key. */
int verify_by_default(const char *label, const char *md,
                      void (*configure)(EVP_PKEY_CTX *),
                      const unsigned char *sig, size_t siglen);

/* RSA PSS with a salt of 32 bytes. */
void pss_salt_32(EVP_PKEY_CTX *pctx);

/* The tests of one operation family (evp_*.c). */
typedef struct evp_family {
    const struct CMUnitTest *tests;
    size_t count;
} evp_family;

extern const evp_family evp_signature_family;   /* evp_signature.c */
extern const evp_family evp_asym_cipher_family; /* evp_asym_cipher.c */
extern const evp_family evp_aes_family;         /* evp_aes.c */
extern const evp_family evp_rsa_params_family;  /* evp_rsa_params.c */
extern const evp_family evp_default_family;     /* evp_default.c */

#endif
