/* SPDX-License-Identifier: Apache-2.0 */
/* Block cipher Encrypt and Decrypt: AES (ECB, CBC, CTR, GCM) and Triple
 * DES (ECB, CBC; for the keys of the KMIP profiles that use it). The
 * algorithm is the params' Cryptographic Algorithm, AES when unset. */
#include <string.h>

#include <openssl/rand.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

#define AES_BLOCK 16 /* the largest block */
#define GCM_IV_DEFAULT 12
#define GCM_IV_MAX 128
#define GCM_TAG_DEFAULT 16

/* A resolved AES request. */
typedef struct aes_scheme {
    const EVP_CIPHER *cipher;
    size_t block;
    uint32_t mode;
    bool pad;       /* PKCS5 padding (ECB, CBC) */
    size_t iv_len;  /* IV length to generate or expect; 0: no IV */
    size_t tag_len; /* GCM */
    bool tag_given; /* a Tag Length was given */
} aes_scheme;

void kmipd_cipher_output_clear(kmipd_cipher_output *out)
{
    if (out == NULL)
        return;
    kmipd_buf_clear(&out->data);
    kmipd_buf_clear(&out->iv);
    kmipd_buf_clear(&out->tag);
}

static const EVP_CIPHER *block_cipher(uint32_t algorithm, uint32_t mode,
                                      size_t key_len)
{
    static const struct {
        uint32_t algorithm;
        uint32_t mode;
        size_t key_len;
        const EVP_CIPHER *(*cipher)(void);
    } table[] = {
#define AES_MODE(m, x)                                                         \
    {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, KMIP_BLOCK_CIPHER_MODE_##m, 16,         \
     EVP_aes_128_##x},                                                         \
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, KMIP_BLOCK_CIPHER_MODE_##m, 24,     \
         EVP_aes_192_##x},                                                     \
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_AES, KMIP_BLOCK_CIPHER_MODE_##m, 32,     \
         EVP_aes_256_##x}
        AES_MODE(ECB, ecb),
        AES_MODE(CBC, cbc),
        AES_MODE(CTR, ctr),
        AES_MODE(GCM, gcm),
#undef AES_MODE
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, KMIP_BLOCK_CIPHER_MODE_ECB,
         24, EVP_des_ede3_ecb},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, KMIP_BLOCK_CIPHER_MODE_CBC,
         24, EVP_des_ede3_cbc},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, KMIP_BLOCK_CIPHER_MODE_ECB,
         16, EVP_des_ede_ecb},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES, KMIP_BLOCK_CIPHER_MODE_CBC,
         16, EVP_des_ede_cbc},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
        if (table[i].algorithm == algorithm && table[i].mode == mode &&
            table[i].key_len == key_len)
            return table[i].cipher();
    }
    return NULL;
}

static bool key_fits(uint32_t algorithm, size_t key_len)
{
    if (algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES)
        return key_len == 16 || key_len == 24;
    return key_len == 16 || key_len == 24 || key_len == 32;
}

static kmip_rc resolve_aes(size_t key_len, const kmipd_crypto_params *p,
                           aes_scheme *scheme, kmip_status *status)
{
    memset(scheme, 0, sizeof(*scheme));
    uint32_t algorithm = p->cryptographic_algorithm != 0
                             ? p->cryptographic_algorithm
                             : KMIP_CRYPTOGRAPHIC_ALGORITHM_AES;
    if (!key_fits(algorithm, key_len))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "a key of %zu bytes for algorithm %u", key_len,
                                 algorithm);
    scheme->mode = p->block_cipher_mode;
    scheme->cipher = block_cipher(algorithm, scheme->mode, key_len);
    if (scheme->cipher == NULL)
        return kmipd_crypto_fail(
            status,
            scheme->mode == 0
                ? KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS
                : KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "Block Cipher Mode %u: AES has ECB, CBC, CTR and GCM, Triple "
            "DES ECB and CBC",
            scheme->mode);
    scheme->block = (size_t)EVP_CIPHER_get_block_size(scheme->cipher);
    bool block_mode = scheme->mode == KMIP_BLOCK_CIPHER_MODE_ECB ||
                      scheme->mode == KMIP_BLOCK_CIPHER_MODE_CBC;
    if (p->padding_method == KMIP_PADDING_METHOD_PKCS5 && block_mode)
        scheme->pad = true;
    else if (p->padding_method != 0 &&
             p->padding_method != KMIP_PADDING_METHOD_NONE)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "Padding Method %u with Block Cipher Mode %u", p->padding_method,
            scheme->mode);
    if (scheme->mode == KMIP_BLOCK_CIPHER_MODE_GCM) {
        scheme->iv_len = GCM_IV_DEFAULT;
        if (p->iv_length != 0) {
            if (p->iv_length < 8 || p->iv_length % 8 != 0 ||
                p->iv_length / 8 > GCM_IV_MAX)
                return kmipd_crypto_fail(
                    status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                    "IV Length of %d bits", (int)p->iv_length);
            scheme->iv_len = (size_t)p->iv_length / 8;
        }
        scheme->tag_given = p->tag_length != 0;
        scheme->tag_len =
            p->tag_length != 0 ? (size_t)p->tag_length : GCM_TAG_DEFAULT;
        if (p->tag_length < 0 || scheme->tag_len < 4 || scheme->tag_len > 16)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                "Tag Length of %d bytes (4 to 16)", (int)p->tag_length);
    } else if (scheme->mode != KMIP_BLOCK_CIPHER_MODE_ECB) {
        scheme->iv_len = (size_t)EVP_CIPHER_get_iv_length(scheme->cipher);
        if (p->iv_length != 0 && (size_t)p->iv_length != 8 * scheme->iv_len)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                "IV Length of %d bits (%zu for this mode)", (int)p->iv_length,
                8 * scheme->iv_len);
    }
    return KMIP_OK;
}

/* Checks the given IV against the scheme; on encryption generates one
 * into *generated when none is given. *iv points at the IV to use. */
static kmip_rc choose_iv(const aes_scheme *scheme, const kmipd_crypto_params *p,
                         const kmipd_cipher_input *input, bool encrypt,
                         kmipd_buf *generated, const uint8_t **iv,
                         kmip_status *status)
{
    *iv = NULL;
    if (scheme->iv_len == 0) {
        if (input->iv != NULL)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                "ECB takes no IV");
        return KMIP_OK;
    }
    if (input->iv != NULL) {
        if (encrypt && p->random_iv_set && p->random_iv)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                "an IV given with Random IV true");
        bool fits =
            scheme->mode == KMIP_BLOCK_CIPHER_MODE_GCM
                ? input->iv_len > 0 && input->iv_len <= GCM_IV_MAX &&
                      (p->iv_length == 0 || input->iv_len == scheme->iv_len)
                : input->iv_len == scheme->iv_len;
        if (!fits)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
                "an IV of %zu bytes for this mode", input->iv_len);
        *iv = input->iv;
        return KMIP_OK;
    }
    if (!encrypt)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_MISSING_INITIALIZATION_VECTOR,
            "decryption in this mode needs the IV/Counter/Nonce");
    if (!kmipd_buf_alloc(generated, scheme->iv_len) ||
        RAND_bytes(generated->data, (int)generated->len) != 1) {
        kmipd_buf_clear(generated);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "cannot generate an IV");
    }
    *iv = generated->data;
    return KMIP_OK;
}

static EVP_CIPHER_CTX *start_cipher(const aes_scheme *scheme,
                                    const uint8_t *key, const uint8_t *iv,
                                    size_t iv_len, bool encrypt)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int enc = encrypt ? 1 : 0;
    bool ok = ctx != NULL && EVP_CipherInit_ex(ctx, scheme->cipher, NULL, NULL,
                                               NULL, enc) == 1;
    if (ok && scheme->mode == KMIP_BLOCK_CIPHER_MODE_GCM)
        ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, (int)iv_len,
                                 NULL) == 1;
    ok = ok && EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc) == 1 &&
         EVP_CIPHER_CTX_set_padding(ctx, scheme->pad ? 1 : 0) == 1;
    if (!ok) {
        EVP_CIPHER_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* A cipher run over one or several requests. */
struct kmipd_cipher_stream {
    EVP_CIPHER_CTX *ctx;
    aes_scheme scheme;
    bool encrypt;
    size_t total; /* input bytes so far */
};

void kmipd_cipher_stream_free(kmipd_cipher_stream *s)
{
    if (s == NULL)
        return;
    EVP_CIPHER_CTX_free(s->ctx);
    OPENSSL_clear_free(s, sizeof(*s));
}

static kmip_rc cipher_failed(const kmipd_cipher_stream *s, kmip_status *status)
{
    return kmipd_crypto_fail(
        status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
        s->encrypt ? "encryption failed"
                   : "decryption failed (wrong key, padding or tag)");
}

kmip_rc kmipd_cipher_stream_start(const uint8_t *key, size_t key_len,
                                  const kmipd_crypto_params *params,
                                  const kmipd_cipher_input *input, bool encrypt,
                                  kmipd_cipher_stream **out,
                                  kmipd_buf *generated_iv, kmip_status *status)
{
    const uint8_t *iv = NULL;
    *out = OPENSSL_zalloc(sizeof(**out));
    if (*out == NULL)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    kmipd_cipher_stream *s = *out;
    s->encrypt = encrypt;
    kmip_rc rc = resolve_aes(key_len, params, &s->scheme, status);
    if (rc == KMIP_OK)
        rc = choose_iv(&s->scheme, params, input, encrypt, generated_iv, &iv,
                       status);
    size_t iv_len = input->iv != NULL ? input->iv_len : s->scheme.iv_len;
    if (rc == KMIP_OK)
        s->ctx = start_cipher(&s->scheme, key, iv, iv_len, encrypt);
    int aad_n;
    if (rc == KMIP_OK &&
        (s->ctx == NULL ||
         (s->scheme.mode == KMIP_BLOCK_CIPHER_MODE_GCM && input->aad != NULL &&
          EVP_CipherUpdate(s->ctx, NULL, &aad_n, input->aad,
                           (int)input->aad_len) != 1)))
        rc = cipher_failed(s, status);
    if (rc != KMIP_OK) {
        kmipd_cipher_stream_free(s);
        *out = NULL;
    }
    return rc;
}

/* Ciphers len bytes of in into out (room for len plus a block). */
static kmip_rc stream_update(kmipd_cipher_stream *s, const uint8_t *in,
                             size_t len, uint8_t *out, size_t *written,
                             kmip_status *status)
{
    int n = 0;
    *written = 0;
    if (len > INT32_MAX - AES_BLOCK)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "%zu bytes in one request", len);
    if (len > 0 && EVP_CipherUpdate(s->ctx, out, &n, in, (int)len) != 1)
        return cipher_failed(s, status);
    s->total += len;
    *written = (size_t)n;
    return KMIP_OK;
}

/* What the end of a run needs: whole blocks without padding, the GCM
 * tag on decryption. */
static kmip_rc check_end(const kmipd_cipher_stream *s, const uint8_t *tag,
                         size_t tag_len, kmip_status *status)
{
    const aes_scheme *scheme = &s->scheme;
    bool gcm = scheme->mode == KMIP_BLOCK_CIPHER_MODE_GCM;
    if (!scheme->pad && scheme->mode != KMIP_BLOCK_CIPHER_MODE_CTR && !gcm &&
        s->total % scheme->block != 0)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "%zu bytes without padding: not whole blocks",
                                 s->total);
    if (gcm && !s->encrypt &&
        (tag == NULL || (scheme->tag_given && tag_len != scheme->tag_len) ||
         tag_len < 4 || tag_len > 16))
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
            "GCM decryption needs the Authenticated Encryption Tag (4 to 16 "
            "bytes, Tag Length when given)");
    return KMIP_OK;
}

/* Ends the run into out (room for a block); the GCM tag set before the
 * final block on decryption, read after it on encryption into tag_out. */
static kmip_rc stream_end(kmipd_cipher_stream *s, const uint8_t *tag,
                          size_t tag_len, uint8_t *out, size_t *written,
                          kmipd_buf *tag_out, kmip_status *status)
{
    int n = 0;
    kmip_rc rc = check_end(s, tag, tag_len, status);
    if (rc != KMIP_OK)
        return rc;
    bool gcm = s->scheme.mode == KMIP_BLOCK_CIPHER_MODE_GCM;
    bool ok = !gcm || s->encrypt ||
              EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_SET_TAG, (int)tag_len,
                                  (void *)tag) == 1;
    ok = ok && EVP_CipherFinal_ex(s->ctx, out, &n) == 1;
    if (ok && gcm && s->encrypt)
        ok = kmipd_buf_alloc(tag_out, s->scheme.tag_len) &&
             EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_GCM_GET_TAG,
                                 (int)s->scheme.tag_len, tag_out->data) == 1;
    *written = (size_t)n;
    return ok ? KMIP_OK : cipher_failed(s, status);
}

kmip_rc kmipd_cipher_stream_update(kmipd_cipher_stream *s, const uint8_t *in,
                                   size_t len, kmipd_buf *out,
                                   kmip_status *status)
{
    size_t n = 0;
    memset(out, 0, sizeof(*out));
    if (!kmipd_buf_alloc(out, len + AES_BLOCK))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    kmip_rc rc = stream_update(s, in, len, out->data, &n, status);
    out->len = n;
    return rc;
}

kmip_rc kmipd_cipher_stream_finish(kmipd_cipher_stream *s, const uint8_t *in,
                                   size_t len, const uint8_t *tag,
                                   size_t tag_len, kmipd_cipher_output *out,
                                   kmip_status *status)
{
    size_t n = 0, last = 0;
    memset(out, 0, sizeof(*out));
    if (len > INT32_MAX - AES_BLOCK ||
        !kmipd_buf_alloc(&out->data, len + AES_BLOCK))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    kmip_rc rc = stream_update(s, in, len, out->data.data, &n, status);
    if (rc == KMIP_OK)
        rc = stream_end(s, tag, tag_len, out->data.data + n, &last, &out->tag,
                        status);
    out->data.len = n + last;
    if (rc != KMIP_OK)
        kmipd_cipher_output_clear(out);
    return rc;
}

static kmip_rc aes_crypt(const uint8_t *key, size_t key_len,
                         const kmipd_crypto_params *params,
                         const kmipd_cipher_input *input, const uint8_t *in,
                         size_t len, bool encrypt, kmipd_cipher_output *out,
                         kmip_status *status)
{
    kmipd_cipher_stream *s = NULL;
    kmipd_buf iv = {0};
    memset(out, 0, sizeof(*out));
    kmip_rc rc = kmipd_cipher_stream_start(key, key_len, params, input, encrypt,
                                           &s, &iv, status);
    if (rc == KMIP_OK)
        rc = kmipd_cipher_stream_finish(s, in, len, input->tag, input->tag_len,
                                        out, status);
    kmipd_cipher_stream_free(s);
    if (rc == KMIP_OK)
        out->iv = iv;
    else
        kmipd_buf_clear(&iv);
    return rc;
}

kmip_rc kmipd_aes_encrypt(const uint8_t *key, size_t key_len,
                          const kmipd_crypto_params *params,
                          const kmipd_cipher_input *input, const uint8_t *in,
                          size_t len, kmipd_cipher_output *out,
                          kmip_status *status)
{
    return aes_crypt(key, key_len, params, input, in, len, true, out, status);
}

kmip_rc kmipd_aes_decrypt(const uint8_t *key, size_t key_len,
                          const kmipd_crypto_params *params,
                          const kmipd_cipher_input *input, const uint8_t *in,
                          size_t len, kmipd_cipher_output *out,
                          kmip_status *status)
{
    return aes_crypt(key, key_len, params, input, in, len, false, out, status);
}
