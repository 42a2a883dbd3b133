/* SPDX-License-Identifier: Apache-2.0 */
/* C_EncryptUpdate and C_DecryptUpdate of AES. The modes the module chains
 * itself across KMIP requests (ECB, CBC, CBC-PAD, CTR; on every server):
 * each update sends the whole blocks it can, in requests of at most
 * STREAM_CHUNK bytes, and answers their output at once; the next
 * request's IV is the last ciphertext block (CBC) or the counter advanced
 * by the blocks done (CTR). Between calls the operation keeps fewer than
 * 16 bytes of input (16 at most for CBC-PAD decryption, whose last block
 * holds the padding), which C_*Final sends, padded, with the chained IV.
 * GCM goes over the server's KMIP stream (Init Indicator, Correlation
 * Value, Final Indicator) where it streams (P11_FACT_STREAMING): each
 * update sends its input (decryption keeps back the last tag-length
 * bytes, the tag) and answers the output, C_*Final ends the stream. Other
 * mechanisms (RSA, GCM on a server that does not stream) gather their
 * input for the final call, and so does CBC and ECB decryption on a
 * server that refuses it unpadded (PyKMIP). */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto_ops.h"
#include "kmip/tags.h"

#define AES_BLOCK 16

static bool is_gcm(const p11_kmip_params *p)
{
    return p->mode == KMIP_BLOCK_CIPHER_MODE_GCM;
}

/* Whether the updates of op stream (else they gather). */
static bool streams(p11_session *session, const p11_operation *op)
{
    const p11_kmip_params *p = op->ctx;
    if (op->gathers || p->mech->key_type != CKK_AES)
        return false;
    return !is_gcm(p) || op->stream.len > 0 ||
           p11_server_knows(&session->slot->server, P11_FACT_STREAMING) !=
               P11_SUPPORT_REFUSED;
}

/* How many of total bytes (kept + new) this update processes. */
static size_t processed_now(const p11_kmip_params *p, bool encrypt,
                            size_t total)
{
    size_t tag = (size_t)p->tag_length;
    if (is_gcm(p))
        return encrypt ? total : total > tag ? total - tag : 0;
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
    return encrypt && (p->mode == KMIP_BLOCK_CIPHER_MODE_CBC ||
                       p->mode == KMIP_BLOCK_CIPHER_MODE_ECB);
}

/* One request of the server's GCM stream over len bytes of in; the
 * output goes to out (room for len bytes). The answer to the first
 * request says whether the server streams. */
static CK_RV server_request(p11_session *session, p11_operation *op,
                            bool encrypt, const uint8_t *in, size_t len,
                            uint8_t *out)
{
    bool first = op->stream.len == 0;
    uint8_t *answer = NULL;
    size_t answer_len = 0;
    p11_reply reply =
        p11_kmip_stream(session, op->key_object, op->ctx, encrypt, &op->stream,
                        false, in, len, &answer, &answer_len);
    if (first && (reply.rv == CKR_OK || reply.answer == P11_ANSWER_UNSUPPORTED))
        p11_server_learn(&session->slot->server, P11_FACT_STREAMING,
                         reply.rv == CKR_OK);
    if (reply.rv == CKR_OK && answer_len != len)
        reply.rv = CKR_DEVICE_ERROR;
    if (reply.rv == CKR_OK)
        memcpy(out, answer, len);
    kmip_buffer_free(answer, answer_len);
    return reply.rv;
}

/* One request over len whole blocks of in; the output goes to out (room
 * for len bytes). */
static CK_RV chain_request(p11_session *session, p11_operation *op,
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

/* Copies n bytes from offset at of kept || part to dst. */
static void concat_copy(const p11_bytes *kept, const uint8_t *part, size_t at,
                        size_t n, uint8_t *dst)
{
    size_t from_kept = at >= kept->len      ? 0
                       : kept->len - at < n ? kept->len - at
                                            : n;
    if (from_kept > 0)
        memcpy(dst, kept->data + at, from_kept);
    if (n > from_kept)
        memcpy(dst + from_kept, part + (at + from_kept - kept->len),
               n - from_kept);
}

/* Makes bytes from offset now of kept || part (len bytes) the kept
 * input; fewer than 2 blocks. */
static CK_RV keep_rest(p11_bytes *kept, const uint8_t *part, size_t len,
                       size_t now)
{
    uint8_t rest[2 * AES_BLOCK];
    size_t n = kept->len + len - now;
    if (n > sizeof(rest))
        return CKR_GENERAL_ERROR;
    concat_copy(kept, part, now, n, rest);
    p11_bytes_clear(kept);
    CK_RV rv = p11_bytes_append(kept, rest, n);
    OPENSSL_cleanse(rest, sizeof(rest));
    return rv;
}

/* Processes the first now bytes of the kept input and part into out,
 * chunk by chunk, the rest becoming the kept input; *done says how much
 * was processed. */
static CK_RV stream_run(p11_session *session, p11_operation *op, bool encrypt,
                        const uint8_t *part, size_t len, size_t now,
                        uint8_t *out, size_t *done)
{
    size_t size = now < STREAM_CHUNK ? now : STREAM_CHUNK;
    uint8_t *chunk = malloc(size);
    if (chunk == NULL)
        return CKR_HOST_MEMORY;
    bool gcm = is_gcm(op->ctx);
    CK_RV rv = CKR_OK;
    while (rv == CKR_OK && *done < now) {
        size_t n = now - *done < STREAM_CHUNK ? now - *done : STREAM_CHUNK;
        concat_copy(&op->input, part, *done, n, chunk);
        rv = (gcm ? server_request : chain_request)(session, op, encrypt, chunk,
                                                    n, out + *done);
        *done += rv == CKR_OK ? n : 0;
    }
    OPENSSL_clear_free(chunk, size);
    return rv == CKR_OK ? keep_rest(&op->input, part, len, now) : rv;
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
    bool first = is_gcm(op->ctx) ? op->stream.len == 0 : !encrypt;
    if (rv == CKR_MECHANISM_INVALID && first && done == 0) {
        /* The server does not stream GCM, or wants the padding: gather. */
        op->gathers = true;
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
    if (streams(session, op)) {
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

CK_RV p11_op_stream_final(p11_session *session, p11_operation *op, bool encrypt,
                          CK_BYTE_PTR out, CK_ULONG_PTR out_len, bool *keep)
{
    const p11_kmip_params *p = op->ctx;
    size_t tag = (size_t)p->tag_length, expected = encrypt ? tag : 0;
    if (!encrypt && op->input.len != tag)
        return CKR_ENCRYPTED_DATA_LEN_RANGE;
    CK_RV rv = p11_output_check(out, out_len, expected, keep);
    if (*keep || rv != CKR_OK)
        return rv;
    uint8_t *answer = NULL;
    size_t answer_len = 0;
    rv = p11_kmip_stream(session, op->key_object, p, encrypt, &op->stream, true,
                         op->input.data, op->input.len, &answer, &answer_len)
             .rv;
    if (rv == CKR_OK && answer_len != expected)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        p11_output_copy(out, out_len, answer, answer_len);
    kmip_buffer_free(answer, answer_len);
    return rv;
}
