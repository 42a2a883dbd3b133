/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "kmipd/wrap.h"

/* Runs AES-256-WRAP-PAD in direction encrypt (1) or decrypt (0). */
static bool wrap_run(const uint8_t key[KMIPD_WRAP_KEY_LEN], int encrypt,
                     const uint8_t *in, size_t len, uint8_t **out,
                     size_t *out_len)
{
    if (len == 0 || len > (size_t)INT32_MAX - 16)
        return false;
    size_t cap = len + 16;
    uint8_t *buf = malloc(cap);
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-WRAP-PAD", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, fin = 0;
    bool ok = buf != NULL && cipher != NULL && ctx != NULL &&
              EVP_CipherInit_ex2(ctx, cipher, key, NULL, encrypt, NULL) &&
              EVP_CipherUpdate(ctx, buf, &n, in, (int)len) &&
              EVP_CipherFinal_ex(ctx, buf + n, &fin);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
    if (!ok) {
        if (buf != NULL)
            OPENSSL_cleanse(buf, cap);
        free(buf);
        return false;
    }
    *out = buf;
    *out_len = (size_t)n + (size_t)fin;
    return true;
}

bool kmipd_wrap(const uint8_t key[KMIPD_WRAP_KEY_LEN], const uint8_t *plain,
                size_t len, uint8_t **out, size_t *out_len)
{
    return wrap_run(key, 1, plain, len, out, out_len);
}

bool kmipd_unwrap(const uint8_t key[KMIPD_WRAP_KEY_LEN], const uint8_t *wrapped,
                  size_t len, uint8_t **out, size_t *out_len)
{
    return wrap_run(key, 0, wrapped, len, out, out_len);
}
