/* SPDX-License-Identifier: Apache-2.0 */
/* The AES cipher context (cipher_aes.c: OpenSSL's side) and the modes run
 * on the token (cipher_modes.c). */
#ifndef P11PROV_CIPHER_AES_H
#define P11PROV_CIPHER_AES_H

#include <stdbool.h>

#include <openssl/buffer.h>
#include <openssl/evp.h>

#include "provider.h"

#define AES_BLOCK 16
#define GCM_IV_LEN 12
#define GCM_TAG_MAX 16

typedef struct p11prov_aes_ctx {
    p11prov_ctx *provctx;
    const char *name; /* "AES-256-GCM", ... */
    /* Raw key bytes from the caller (libssl's record layer): the cipher
     * runs locally, in OpenSSL's default provider. NULL: the token key. */
    EVP_CIPHER_CTX *local;
    unsigned int mode; /* EVP_CIPH_GCM_MODE, EVP_CIPH_CBC_MODE, ... */
    size_t key_bytes;
    p11prov_key *key;
    bool encrypting;
    /* CBC: the chaining value. CTR: the initial counter block. GCM: the
     * IV (iv_len bytes). */
    unsigned char iv[AES_BLOCK];
    size_t iv_len;
    bool iv_set;
    /* CTR and GCM data: the counter block and how much of its keystream
     * the data before used. */
    unsigned char counter[AES_BLOCK];
    size_t counter_used;
    bool started; /* data went through since the IV was set */
    /* CBC: padding (default on) and the input not yet processed. */
    unsigned int padding;
    unsigned char held[AES_BLOCK];
    size_t held_len;
    /* GCM */
    BUF_MEM *aad;
    BUF_MEM *message; /* the plaintext, or the ciphertext to check */
    unsigned char tag[GCM_TAG_MAX];
    size_t tag_len;
    bool tag_ready; /* encrypting: tag computed; decrypting: tag set */
} p11prov_aes_ctx;

/* Each processes in with the token into out (at least inl bytes of room,
 * inl + AES_BLOCK - 1 for CBC), sets *outl and returns 1, or raises an
 * error and returns 0. */
int p11prov_aes_ctr_update(p11prov_aes_ctx *ctx, unsigned char *out,
                           size_t *outl, const unsigned char *in, size_t inl);
int p11prov_aes_cbc_update(p11prov_aes_ctx *ctx, unsigned char *out,
                           size_t *outl, const unsigned char *in, size_t inl);
/* out == NULL: in is additional authenticated data. */
int p11prov_aes_gcm_update(p11prov_aes_ctx *ctx, unsigned char *out,
                           size_t *outl, const unsigned char *in, size_t inl);
/* The last block (at most AES_BLOCK bytes, outsize the room in out). */
int p11prov_aes_cbc_final(p11prov_aes_ctx *ctx, unsigned char *out,
                          size_t *outl, size_t outsize);
/* Computes the tag (encrypting) or checks it (decrypting). */
int p11prov_aes_gcm_final(p11prov_aes_ctx *ctx);

#endif
