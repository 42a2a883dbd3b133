/* SPDX-License-Identifier: Apache-2.0 */
/* What the cryptographic operation files (sign.c, verify.c, encrypt.c,
 * decrypt.c, digest.c) share: starting an operation on a key, the steps of
 * their entry points (op_calls.c), the PKCS#11 output-buffer convention,
 * and the KMIP requests of the private operations (kmip_crypto.c). */
#ifndef P11CORE_CRYPTO_OPS_H
#define P11CORE_CRYPTO_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mech_params.h"
#include "p11core_internal.h"

/* ---- Starting an operation (crypto_ops.c) ---- */

/* Checks that session has no active operation of kind
 * (CKR_OPERATION_ACTIVE), that the module offers mechanism for flag
 * (CKF_SIGN ...; CKR_MECHANISM_INVALID), and loads key: a key of the
 * mechanism's key type (CKR_KEY_TYPE_INCONSISTENT), of class
 * CKO_SECRET_KEY for AES and HMAC mechanisms and asymmetric_class
 * (CKO_PRIVATE_KEY or CKO_PUBLIC_KEY) for RSA and EC ones, that allows
 * usage (CKA_SIGN ...); CKR_KEY_FUNCTION_NOT_PERMITTED otherwise. An
 * unknown handle gives CKR_KEY_HANDLE_INVALID. On CKR_OK *out is the
 * loaded key. */
CK_RV p11_op_key(p11_session *session, p11_op_kind kind,
                 const CK_MECHANISM *mechanism, CK_FLAGS flag,
                 CK_OBJECT_HANDLE key, CK_OBJECT_CLASS asymmetric_class,
                 CK_ATTRIBUTE_TYPE usage, p11_object **out);

/* Makes session->ops[kind] active with ctx (freed by free_ctx). */
void p11_op_start(p11_session *session, p11_op_kind kind,
                  CK_MECHANISM_TYPE mechanism, p11_object *key, void *ctx,
                  void (*free_ctx)(void *ctx));

/* The active operation of kind, or NULL (the caller then answers
 * CKR_OPERATION_NOT_INITIALIZED). */
p11_operation *p11_op_active(p11_session *session, p11_op_kind kind);

/* The byte length of a key's signature or block: RSA modulus, EC order
 * (rounded up to bytes). */
size_t p11_key_bytes(const p11_object *key);

/* ---- Entry points: C_Sign, C_SignUpdate ... ---- */

/* The *Init functions: runs init on the acquired session; a NULL
 * mechanism is CKR_ARGUMENTS_BAD. */
typedef CK_RV p11_op_init_fn(p11_session *session, CK_MECHANISM_PTR mechanism,
                             CK_OBJECT_HANDLE key);
CK_RV p11_op_init_call(CK_SESSION_HANDLE handle, CK_MECHANISM_PTR mechanism,
                       CK_OBJECT_HANDLE key, p11_op_init_fn *init);

/* The three forms of call on an operation: single-part (C_Sign ...),
 * *Update, and *Final. One operation takes either the first form or the
 * other two. */
typedef enum p11_op_step {
    P11_STEP_SINGLE,
    P11_STEP_UPDATE,
    P11_STEP_FINAL,
} p11_op_step;

/* Begins a call of step on the active operation of kind: acquires the
 * session and finds the operation. Answers, with the session released,
 * CKR_OPERATION_NOT_INITIALIZED when there is none; CKR_ARGUMENTS_BAD
 * when !args_ok and CKR_OPERATION_ACTIVE for a step that mixes single-part
 * and multi-part calls, both ending the operation. On CKR_OK the caller
 * ends with p11_session_release, and ends the operation unless the call
 * was a length query or met a short buffer (PKCS#11 v2.40 base, 5.2). */
CK_RV p11_op_enter(CK_SESSION_HANDLE handle, p11_op_kind kind, p11_op_step step,
                   bool args_ok, p11_session **session, p11_operation **op);

/* C_SignUpdate, C_VerifyUpdate, C_DigestUpdate: update takes the part
 * (op->multipart is still false at the first one). A failure ends the
 * operation. */
typedef CK_RV p11_op_update_fn(p11_session *session, p11_operation *op,
                               const uint8_t *part, size_t len);
CK_RV p11_op_update_call(CK_SESSION_HANDLE handle, p11_op_kind kind,
                         const uint8_t *part, size_t len,
                         p11_op_update_fn *update);

/* C_EncryptUpdate, C_DecryptUpdate (cipher_stream.c). AES ECB, CBC,
 * CBC-PAD and CTR stream: the whole blocks of the kept input and part are
 * processed now, in KMIP requests of at most STREAM_CHUNK bytes chained
 * by IV / counter, and answered in out (PKCS#11's output convention); the
 * rest (under a block, or CBC-PAD decryption's last block) stays in
 * op->input for the final call. AES-GCM streams over the server's KMIP
 * stream where it has one (decryption keeps the last tag-length bytes).
 * Other mechanisms gather the part into op->input and answer no output. op->ctx
 * must begin with the operation's p11_kmip_params. A failure other than a short
 * buffer ends the operation. */
#define STREAM_CHUNK (64u * 1024u)
CK_RV p11_op_stream_call(CK_SESSION_HANDLE handle, p11_op_kind kind,
                         const uint8_t *part, size_t len, CK_BYTE_PTR out,
                         CK_ULONG_PTR out_len);

/* C_EncryptFinal, C_DecryptFinal of an operation whose updates opened a
 * KMIP stream (op->stream not empty; cipher_stream.c): ends it, sending
 * the kept input (the GCM tag) on decryption and answering the rest of
 * the output (the tag on encryption) by PKCS#11's output convention
 * (*keep as p11_op_finish_fn). */
CK_RV p11_op_stream_final(p11_session *session, p11_operation *op, bool encrypt,
                          CK_BYTE_PTR out, CK_ULONG_PTR out_len, bool *keep);

/* C_Encrypt, C_Sign ... (final false, in the input) and C_EncryptFinal,
 * C_SignFinal ... (final true, in NULL): finish is given the whole input,
 * in or what the *Update calls kept in op->input, and writes the output.
 * It sets *keep when the operation stays active (a length query, a short
 * buffer); otherwise, and on any other failure, the operation ends. A
 * NULL out_len is CKR_ARGUMENTS_BAD. */
typedef CK_RV p11_op_finish_fn(p11_session *session, p11_operation *op,
                               const uint8_t *in, size_t len, CK_BYTE_PTR out,
                               CK_ULONG_PTR out_len, bool *keep);
CK_RV p11_op_output_call(CK_SESSION_HANDLE handle, p11_op_kind kind, bool final,
                         const uint8_t *in, size_t len, CK_BYTE_PTR out,
                         CK_ULONG_PTR out_len, p11_op_finish_fn *finish);

/* ---- The output convention (PKCS#11 v2.40 base, 5.2) ---- */

/* p11_output_check (p11core_internal.h) says whether the output fits. */

/* Copies len bytes to out (checked with p11_output_check for at least len
 * bytes) and sets *out_len. */
void p11_output_copy(CK_BYTE_PTR out, CK_ULONG_PTR out_len, const uint8_t *src,
                     size_t len);

/* ---- KMIP requests (kmip_crypto.c): one round trip each ---- */

/* Each returns its reply (p11_reply, server.h); a request the server
 * refuses as unsupported is CKR_MECHANISM_INVALID. */

/* The KMIP Cryptographic Parameters of p (pointing into p). */
struct kmip_crypto_params;
void p11_kmip_crypto_params(const p11_kmip_params *p,
                            struct kmip_crypto_params *kp);

/* Signs with the private key: data is the message (digested false) or the
 * hash to sign (digested true, sent as Digested Data). *signature is
 * malloc'd, freed by the caller. */
p11_reply p11_kmip_sign(p11_session *session, const p11_object *key,
                        const p11_kmip_params *params, const uint8_t *data,
                        size_t len, bool digested, uint8_t **signature,
                        size_t *signature_len);

/* MAC of data with the secret key; *mac is malloc'd, caller frees. */
p11_reply p11_kmip_mac(p11_session *session, const p11_object *key,
                       const p11_kmip_params *params, const uint8_t *data,
                       size_t len, uint8_t **mac, size_t *mac_len);

/* Encrypts or decrypts with the key. An AEAD tag (params->tag_length) is
 * appended to the ciphertext on encryption and taken from its end on
 * decryption, as PKCS#11 does. *out is malloc'd; the caller wipes (on
 * decryption) and frees it. CKR_ENCRYPTED_DATA_INVALID when the server
 * says the ciphertext does not decrypt. */
p11_reply p11_kmip_encrypt(p11_session *session, const p11_object *key,
                           const p11_kmip_params *params, const uint8_t *in,
                           size_t len, uint8_t **out, size_t *out_len);
p11_reply p11_kmip_decrypt(p11_session *session, const p11_object *key,
                           const p11_kmip_params *params, const uint8_t *in,
                           size_t len, uint8_t **out, size_t *out_len);

/* One request of a KMIP stream (KMIP 1.3 Encrypt or Decrypt with Init
 * Indicator, Correlation Value, Final Indicator). The first (correlation
 * empty) sends params with the IV and AAD and keeps in *correlation the
 * Correlation Value the server answers; the next ones send it. A request
 * that is not final sends in as Data; the final one sends no Data, in
 * being the GCM tag on decryption, and appends the tag to the output on
 * encryption. *out (the Data answered; none is empty) is malloc'd, the
 * caller wipes and frees it. A first request answered without a
 * Correlation Value (a server that does not stream) is
 * CKR_MECHANISM_INVALID with P11_ANSWER_UNSUPPORTED; a tag that does not
 * match is CKR_ENCRYPTED_DATA_INVALID. */
p11_reply p11_kmip_stream(p11_session *session, const p11_object *key,
                          const p11_kmip_params *p, bool encrypt,
                          p11_bytes *correlation, bool final, const uint8_t *in,
                          size_t len, uint8_t **out, size_t *out_len);

#endif
