/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "kmipd/wrap.h"

static EVP_CIPHER *wrap_cipher;
static pthread_once_t wrap_cipher_once = PTHREAD_ONCE_INIT;

/* Fetched once: a fetch per call costs more than the wrap itself. Kept
 * for the life of the process. */
static void wrap_cipher_fetch(void)
{
    wrap_cipher = EVP_CIPHER_fetch(NULL, "AES-256-WRAP-PAD", NULL);
}

/* Runs AES-256-WRAP-PAD in direction encrypt (1) or decrypt (0). */
static bool wrap_run(const uint8_t key[KMIPD_WRAP_KEY_LEN], int encrypt,
                     const uint8_t *in, size_t len, uint8_t **out,
                     size_t *out_len)
{
    if (len == 0 || len > (size_t)INT32_MAX - 16)
        return false;
    size_t cap = len + 16;
    uint8_t *buf = malloc(cap);
    pthread_once(&wrap_cipher_once, wrap_cipher_fetch);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, fin = 0;
    bool ok = buf != NULL && wrap_cipher != NULL && ctx != NULL &&
              EVP_CipherInit_ex2(ctx, wrap_cipher, key, NULL, encrypt, NULL) &&
              EVP_CipherUpdate(ctx, buf, &n, in, (int)len) &&
              EVP_CipherFinal_ex(ctx, buf + n, &fin);
    EVP_CIPHER_CTX_free(ctx);
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

/* The hex digits of text (white space around them ignored) as bytes. */
static bool master_key_from_hex(const uint8_t *text, size_t len,
                                uint8_t key[KMIPD_WRAP_KEY_LEN])
{
    while (len > 0 && isspace(text[len - 1]))
        len--;
    while (len > 0 && isspace(text[0])) {
        text++;
        len--;
    }
    if (len != 2 * KMIPD_WRAP_KEY_LEN)
        return false;
    for (size_t i = 0; i < KMIPD_WRAP_KEY_LEN; i++) {
        unsigned byte;
        char pair[3] = {(char)text[2 * i], (char)text[2 * i + 1], 0};
        if (!isxdigit((unsigned char)pair[0]) ||
            !isxdigit((unsigned char)pair[1]) ||
            sscanf(pair, "%2x", &byte) != 1)
            return false;
        key[i] = (uint8_t)byte;
    }
    return true;
}

bool kmipd_master_key_read(const char *path, uint8_t key[KMIPD_WRAP_KEY_LEN],
                           char *why, size_t why_len)
{
    uint8_t buf[2 * KMIPD_WRAP_KEY_LEN + 8];
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        snprintf(why, why_len, "%s: %s", path, strerror(errno));
        return false;
    }
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || (info.st_mode & 077) != 0) {
        fclose(file);
        snprintf(why, why_len,
                 "%s: others than its owner may read or change it "
                 "(chmod 600)",
                 path);
        return false;
    }
    size_t len = fread(buf, 1, sizeof(buf), file);
    fclose(file);
    bool ok = len == KMIPD_WRAP_KEY_LEN;
    if (ok)
        memcpy(key, buf, KMIPD_WRAP_KEY_LEN);
    else
        ok = master_key_from_hex(buf, len, key);
    OPENSSL_cleanse(buf, sizeof(buf));
    if (!ok)
        snprintf(why, why_len, "%s: must hold 32 bytes or 64 hex digits", path);
    return ok;
}
