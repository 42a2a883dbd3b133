/* SPDX-License-Identifier: Apache-2.0 */
/* The keys test_evp_ops.sh put on the token, for the EVP tests. */
#ifndef TESTS_PROVIDER_TOKEN_KEYS_H
#define TESTS_PROVIDER_TOKEN_KEYS_H

#include <openssl/evp.h>

/* The URI of the object label of type ("private", "public",
 * "secret-key") on the test token; a static buffer. */
char *uri(const char *label, const char *type);
/* The first key the store finds at location (a URI or a file), NULL when
 * none loads: no assertion, for threads other than cmocka's. */
EVP_PKEY *find_key(const char *location);
/* find_key that fails the test when there is none. */
EVP_PKEY *load_from(const char *location);
/* The key uri(label, type) names: by reference (private) or by value
 * (public). */
EVP_PKEY *load(const char *label, const char *type);
/* A key with only the public half of label, of algorithm ("RSA", "EC"),
 * held by the provider (imported by value). */
EVP_PKEY *public_only(const char *label, const char *algorithm);

/* 1 when key signs a short message with SHA-256 (errors left in the
 * queue), else 0. */
int token_key_signs(EVP_PKEY *key);

/* A SHA-256 digest-sign with key, message (len bytes) given to it in one
 * update; *pctx, when pctx is not NULL, is its EVP_PKEY_CTX. */
EVP_MD_CTX *digest_sign_begun(EVP_PKEY *key, EVP_PKEY_CTX **pctx,
                              const unsigned char *message, size_t len);
/* Finishes the SHA-256 digest-sign mdctx of message (len bytes) begun
 * with key; fails the test unless the signature verifies. */
void finish_and_verify(EVP_MD_CTX *mdctx, EVP_PKEY *key,
                       const unsigned char *message, size_t len);

/* Fails the test unless the last error raised has the P11PROV_R_*
 * reason (provider/provider.h) and a text holding text. */
void expect_last_error(int reason, const char *text);
/* The text of the last error raised ("" when it has none). */
const char *last_error_text(void);

/* Runs body(key) in a forked child; fails the test unless the child
 * exits with 0. */
void in_child(int (*body)(EVP_PKEY *key), EVP_PKEY *key);

#endif
