/* SPDX-License-Identifier: Apache-2.0 */
/* C_EncryptUpdate and C_DecryptUpdate for the AES modes the module chains
 * itself across KMIP requests (ECB, CBC, CBC-PAD, CTR): each update sends
 * the whole blocks it can, in requests of at most STREAM_CHUNK bytes, and
 * answers their output at once; the next request's IV is the last
 * ciphertext block (CBC) or the counter advanced by the blocks done (CTR).
 * Between calls the operation keeps fewer than 16 bytes of input (16 at
 * most for CBC-PAD decryption, whose last block holds the padding), which
 * C_*Final sends, padded, with the chained IV. Other mechanisms (GCM, RSA)
 * gather their input for the final call, and so does CBC and ECB
 * decryption on a server that refuses it unpadded (PyKMIP). */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto_ops.h"
#include "kmip/tags.h"

#define AES_BLOCK 16

static bool chains(const p11_kmip_params *p)
{
    return p->mech->key_type == CKK_AES &&
           p->mode != KMIP_BLOCK_CIPHER_MODE_GCM;
}

/* How many of total bytes (kept + new) this update processes. */
static size_t processed_now(const p11_kmip_params *p, bool encrypt,
                            size_t total)
{
    bool hold_last = !encrypt && p->padding == KMIP_PADDING_METHOD_PKCS5;
    if (hold_last)
        return total == 0 ? 0 : (total - 1) / AES_BLOCK * AES_BLOCK;
    return total / AES_BLOCK * AES_BLOCK;
}

/* Adds blocks to the low counter_length bits of the CTR counter block. */
static void advance_counter(p11_kmip_params *p, size_t blocks)
{
    size_t bits = p->counter_length > 0 ? (size_t)p->counter_length : 128;
    uint64_t carry = blocks;
    for (size_t i = p->iv_len; i-- > 0 && bits > 0 && carry != 0;) {
        uint8_t mask = (uint8_t)(bits >= 8 ? 0xffu : (1u << bits) - 1);
        uint64_t sum = (p->iv[i] & mask) + (carry & mask);
        p->iv[i] = (uint8_t)((p->iv[i] & ~mask) | (sum & mask));
        carry = (carry >> (bits >= 8 ? 8 : bits)) + (sum >> 8);
        bits = bits >= 8 ? bits - 8 : 0;
    }
}

/* The IV of the request after one that took in and gave out len bytes. */
static void chain_iv(p11_kmip_params *p, bool encrypt, const uint8_t *in,
                     const uint8_t *out, size_t len)
{
    if (p->mode == KMIP_BLOCK_CIPHER_MODE_CTR)
        advance_counter(p, len / AES_BLOCK);
    else if (p->mode == KMIP_BLOCK_CIPHER_MODE_CBC && p->iv_len == AES_BLOCK)
        memcpy(p->iv, (encrypt ? out : in) + len - AES_BLOCK, AES_BLOCK);
}

/* Whether encryption requests pad: servers that refuse CBC and ECB
 * without padding (PyKMIP) take PKCS5, and the padding block is dropped. */
static bool pads(const p11_kmip_params *p, bool encrypt)
{
    return encrypt && p->mode != KMIP_BLOCK_CIPHER_MODE_CTR;
}

/* One request over len whole blocks of in; the output goes to out (room
 * for len bytes). */
static CK_RV stream_request(p11_session *session, p11_operation *op,
                            bool encrypt, const uint8_t *in, size_t len,
                            uint8_t *out)
{
    p11_kmip_params *p = op->ctx;
    p11_kmip_params request = *p;
    request.padding = pads(p, encrypt) ? KMIP_PADDING_METHOD_PKCS5 : 0;
    size_t expected = len + (pads(p, encrypt) ? AES_BLOCK : 0);
    uint8_t *answer = NULL;
    size_t answer_len = 0;
    CK_RV rv =
        (encrypt ? p11_kmip_encrypt : p11_kmip_decrypt)(
            session, op->key_object, &request, in, len, &answer, &answer_len)
            .rv;
    if (rv == CKR_OK && answer_len != expected)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK) {
        memcpy(out, answer, len);
        chain_iv(p, encrypt, in, out, len);
    }
    kmip_buffer_free(answer, answer_len);
    return rv;
}

/* Processes the kept input and the first now - kept bytes of part into
 * out, chunk by chunk, the rest of part becoming the kept input; *done
 * says how much was processed. */
static CK_RV stream_run(p11_session *session, p11_operation *op, bool encrypt,
                        const uint8_t *part, size_t len, size_t now,
                        uint8_t *out, size_t *done)
{
    size_t size = now < STREAM_CHUNK ? now : STREAM_CHUNK;
    uint8_t *chunk = malloc(size);
    if (chunk == NULL)
        return CKR_HOST_MEMORY;
    p11_bytes *kept = &op->input;
    size_t from_part = now - kept->len;
    if (kept->len > 0)
        memcpy(chunk, kept->data, kept->len);
    size_t filled = kept->len, used = 0;
    CK_RV rv = CKR_OK;
    while (rv == CKR_OK && *done < now) {
        size_t n = now - *done < STREAM_CHUNK ? now - *done : STREAM_CHUNK;
        memcpy(chunk + filled, part + used, n - filled);
        used += n - filled;
        rv = stream_request(session, op, encrypt, chunk, n, out + *done);
        *done += rv == CKR_OK ? n : 0;
        filled = 0;
    }
    OPENSSL_clear_free(chunk, size);
    if (rv != CKR_OK)
        return rv;
    p11_bytes_clear(kept);
    return p11_bytes_append(kept, part + from_part, len - from_part);
}

/* The update of a chaining mechanism: the length query and a short buffer
 * keep the operation and the input untouched. */
static CK_RV stream_update(p11_session *session, p11_operation *op,
                           bool encrypt, const uint8_t *part, size_t len,
                           CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    size_t now = processed_now(op->ctx, encrypt, op->input.len + len);
    bool keep = false;
    CK_RV rv = p11_output_check(out, out_len, now, &keep);
    if (keep || now == 0) {
        if (!keep)
            rv = p11_bytes_append(&op->input, part, len);
        if (rv == CKR_OK && !keep)
            *out_len = 0;
        return rv;
    }
    size_t done = 0;
    rv = stream_run(session, op, encrypt, part, len, now, out, &done);
    if (rv == CKR_MECHANISM_INVALID && !encrypt && done == 0) {
        op->gathers = true; /* the server wants the padding: gather */
        rv = p11_bytes_append(&op->input, part, len);
        now = 0;
    }
    if (rv == CKR_OK)
        *out_len = now;
    return rv;
}

CK_RV p11_op_stream_call(CK_SESSION_HANDLE handle, p11_op_kind kind,
                         const uint8_t *part, size_t len, CK_BYTE_PTR out,
                         CK_ULONG_PTR out_len)
{
    p11_session *session;
    p11_operation *op;
    CK_RV rv = p11_op_enter(handle, kind, P11_STEP_UPDATE,
                            (part != NULL || len == 0) && out_len != NULL,
                            &session, &op);
    if (rv != CKR_OK)
        return rv;
    op->multipart = true;
    bool encrypt = kind == P11_OP_ENCRYPT;
    if (chains(op->ctx) && !op->gathers) {
        rv = stream_update(session, op, encrypt, part, len, out, out_len);
    } else {
        rv = p11_bytes_append(&op->input, part, len);
        if (rv == CKR_OK)
            *out_len = 0;
    }
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL)
        p11_operation_end(op);
    p11_session_release(session);
    return rv;
}
