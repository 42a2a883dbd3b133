/* SPDX-License-Identifier: Apache-2.0 */
/* AES modes on the token, one C_Encrypt or C_Decrypt per update: CBC
 * chains its IV across calls and pads at final (CKM_AES_CBC_PAD); CTR
 * carries the counter and the part of a keystream block left over; GCM
 * runs its data through CTR from J0 + 1 and gets (or checks) the tag by
 * one CKM_AES_GCM over the whole message at final. */
#include <string.h>

#include "cipher_aes.h"
#include "operation.h"

/* One C_Encrypt or C_Decrypt (as ctx is encrypting) with mech over in;
 * *out_len is the room in out, then the length written. */
static int token_crypt(p11prov_aes_ctx *ctx, CK_MECHANISM *mech,
                       const unsigned char *in, size_t inlen,
                       unsigned char *out, CK_ULONG *out_len, const char *what)
{
    p11prov_session *session = p11prov_op_session(ctx->key);
    CK_RV rv;

    if (session == NULL)
        return 0;
    rv = p11prov_call_crypt(session, ctx->encrypting, mech, ctx->key->handle,
                            in, inlen, out, out_len, P11PROV_SITE);
    p11prov_session_end(session, rv);
    if (rv != CKR_OK) {
        p11prov_op_raise(ctx->key, rv, what);
        return 0;
    }
    return 1;
}

/* 1 when the token gave the want bytes it had to; else raises. */
static int expect_length(p11prov_aes_ctx *ctx, CK_ULONG got, size_t want,
                         const char *what)
{
    if (got == want)
        return 1;
    p11prov_raise(ctx->provctx, P11PROV_R_TOKEN,
                  "%s: the token gave %lu bytes where %zu were due", what,
                  (unsigned long)got, want);
    return 0;
}

static void counter_add(unsigned char counter[AES_BLOCK], size_t counter_bits,
                        size_t blocks)
{
    size_t carry = blocks;

    for (size_t i = AES_BLOCK; i > AES_BLOCK - counter_bits / 8 && carry; i--) {
        carry += counter[i - 1];
        counter[i - 1] = (unsigned char)carry;
        carry >>= 8;
    }
}

/* CTR over in from ctx->counter, continuing a keystream block the data
 * before used part of: the token encrypts the used part again as zeros
 * and that part of its output is dropped. */
static int ctr_stream(p11prov_aes_ctx *ctx, size_t counter_bits,
                      const unsigned char *in, size_t inlen, unsigned char *out)
{
    size_t used = ctx->counter_used, total = used + inlen;
    unsigned char *input = OPENSSL_zalloc(total);
    unsigned char *output = OPENSSL_malloc(total);
    CK_AES_CTR_PARAMS params = {.ulCounterBits = counter_bits};
    CK_MECHANISM mech = {CKM_AES_CTR, &params, sizeof(params)};
    CK_ULONG output_len = total;
    int ok = input != NULL && output != NULL;

    if (!ok)
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL, "out of memory");
    if (ok) {
        memcpy(input + used, in, inlen);
        memcpy(params.cb, ctx->counter, AES_BLOCK);
        ok = token_crypt(ctx, &mech, input, total, output, &output_len,
                         "AES-CTR on the token") &&
             expect_length(ctx, output_len, total, "AES-CTR");
    }
    if (ok) {
        memcpy(out, output + used, inlen);
        counter_add(ctx->counter, counter_bits, total / AES_BLOCK);
        ctx->counter_used = total % AES_BLOCK;
    }
    OPENSSL_clear_free(input, total);
    OPENSSL_clear_free(output, total);
    return ok;
}

/* ---- CBC ---- */

/* Processes the whole blocks of the held input and in, keeping back the
 * rest (and, decrypting with padding, the last block for final). */
int p11prov_aes_cbc_update(p11prov_aes_ctx *ctx, unsigned char *out,
                           size_t *outl, const unsigned char *in, size_t inl)
{
    size_t total = ctx->held_len + inl;
    size_t keep = total % AES_BLOCK;
    size_t process, from_in;
    unsigned char *input;
    CK_MECHANISM mech = {CKM_AES_CBC, ctx->iv, AES_BLOCK};
    CK_ULONG out_len;
    int ok;

    if (!ctx->encrypting && ctx->padding && keep == 0 && total > 0)
        keep = AES_BLOCK;
    process = total - keep;
    *outl = 0;
    if (process == 0) {
        memcpy(ctx->held + ctx->held_len, in, inl);
        ctx->held_len += inl;
        return 1;
    }
    from_in = process - ctx->held_len;
    input = OPENSSL_malloc(process);
    if (input == NULL) {
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL, "out of memory");
        return 0;
    }
    memcpy(input, ctx->held, ctx->held_len);
    memcpy(input + ctx->held_len, in, from_in);
    out_len = process;
    ok = token_crypt(ctx, &mech, input, process, out, &out_len,
                     "AES-CBC on the token") &&
         expect_length(ctx, out_len, process, "AES-CBC");
    if (ok) {
        /* The next IV is the last ciphertext block. */
        memcpy(ctx->iv, (ctx->encrypting ? out : input) + process - AES_BLOCK,
               AES_BLOCK);
        memcpy(ctx->held, in + from_in, inl - from_in);
        ctx->held_len = inl - from_in;
        *outl = process;
    }
    OPENSSL_clear_free(input, process);
    return ok;
}

int p11prov_aes_cbc_final(p11prov_aes_ctx *ctx, unsigned char *out,
                          size_t *outl, size_t outsize)
{
    CK_MECHANISM mech = {CKM_AES_CBC_PAD, ctx->iv, AES_BLOCK};
    CK_ULONG out_len = AES_BLOCK;

    *outl = 0;
    if (!ctx->padding || (!ctx->encrypting && ctx->held_len != AES_BLOCK)) {
        if (ctx->held_len == 0)
            return 1;
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "the data is not a whole number of AES blocks");
        return 0;
    }
    if (outsize < AES_BLOCK) {
        p11prov_raise(ctx->provctx, P11PROV_R_BUFFER_SMALL,
                      "the last block needs %d bytes", AES_BLOCK);
        return 0;
    }
    if (!token_crypt(ctx, &mech, ctx->held, ctx->held_len, out, &out_len,
                     "AES-CBC with padding on the token"))
        return 0;
    ctx->held_len = 0;
    *outl = out_len;
    return 1;
}

/* ---- GCM ---- */

static int buf_append(p11prov_aes_ctx *ctx, BUF_MEM *buf,
                      const unsigned char *in, size_t inl)
{
    size_t old = buf->length;

    if (inl == 0)
        return 1;
    if (BUF_MEM_grow_clean(buf, old + inl) == 0) {
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL, "out of memory");
        return 0;
    }
    memcpy(buf->data + old, in, inl);
    return 1;
}

/* AAD (out == NULL) is collected; data goes through CTR from J0 + 1 and
 * is kept for the tag at final. */
int p11prov_aes_gcm_update(p11prov_aes_ctx *ctx, unsigned char *out,
                           size_t *outl, const unsigned char *in, size_t inl)
{
    *outl = 0;
    if (out == NULL) {
        if (ctx->started) {
            p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                          "GCM additional data after the data");
            return 0;
        }
        return buf_append(ctx, ctx->aad, in, inl);
    }
    if (!ctx->started) {
        memcpy(ctx->counter, ctx->iv, GCM_IV_LEN);
        memset(ctx->counter + GCM_IV_LEN, 0, AES_BLOCK - GCM_IV_LEN);
        ctx->counter[AES_BLOCK - 1] = 2;
        ctx->counter_used = 0;
    }
    if (!buf_append(ctx, ctx->message, in, inl) ||
        (inl > 0 && !ctr_stream(ctx, 32, in, inl, out)))
        return 0;
    *outl = inl;
    return 1;
}

int p11prov_aes_gcm_final(p11prov_aes_ctx *ctx)
{
    size_t message_len = ctx->message->length;
    CK_GCM_PARAMS params = {
        .pIv = ctx->iv,
        .ulIvLen = GCM_IV_LEN,
        .ulIvBits = GCM_IV_LEN * 8,
        .pAAD = (CK_BYTE *)ctx->aad->data,
        .ulAADLen = ctx->aad->length,
        .ulTagBits = ctx->tag_len * 8,
    };
    CK_MECHANISM mech = {CKM_AES_GCM, &params, sizeof(params)};
    size_t total = message_len + ctx->tag_len;
    unsigned char *output = OPENSSL_malloc(total);
    CK_ULONG output_len = total;
    int ok = output != NULL;

    if (!ok) {
        p11prov_raise(ctx->provctx, P11PROV_R_INTERNAL, "out of memory");
    } else if (!ctx->encrypting && !ctx->tag_ready) {
        p11prov_raise(ctx->provctx, P11PROV_R_BAD_ARGUMENT,
                      "GCM decryption needs the tag before final");
        ok = 0;
    } else if (ctx->encrypting) {
        ok = token_crypt(ctx, &mech, (unsigned char *)ctx->message->data,
                         message_len, output, &output_len,
                         "AES-GCM on the token") &&
             expect_length(ctx, output_len, total, "AES-GCM");
        if (ok)
            memcpy(ctx->tag, output + message_len, ctx->tag_len);
        ctx->tag_ready = ok;
    } else {
        ok = buf_append(ctx, ctx->message, ctx->tag, ctx->tag_len) &&
             token_crypt(ctx, &mech, (unsigned char *)ctx->message->data, total,
                         output, &output_len,
                         "checking the AES-GCM tag on the token");
        ctx->message->length = message_len; /* the tag off again */
    }
    OPENSSL_clear_free(output, total);
    return ok;
}

int p11prov_aes_ctr_update(p11prov_aes_ctx *ctx, unsigned char *out,
                           size_t *outl, const unsigned char *in, size_t inl)
{
    *outl = 0;
    if (!ctx->started)
        memcpy(ctx->counter, ctx->iv, AES_BLOCK);
    if (inl > 0 && !ctr_stream(ctx, 128, in, inl, out))
        return 0;
    *outl = inl;
    return 1;
}
