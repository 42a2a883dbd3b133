/* SPDX-License-Identifier: Apache-2.0 */
/* The signature operation shared by RSA and ECDSA (signature.c): the
 * context, digests, signing on the token through a borrowed session, and
 * local verification on the key's public half. What differs between the
 * families is in a p11prov_sig_family (signature_rsa.c,
 * signature_ecdsa.c). */
#ifndef P11PROV_SIGNATURE_H
#define P11PROV_SIGNATURE_H

#include <openssl/core_dispatch.h>
#include <openssl/x509.h>

#include "operation.h"

typedef struct p11prov_sig_ctx p11prov_sig_ctx;

typedef struct p11prov_sig_family {
    CK_KEY_TYPE key_type;
    /* The mechanism that signs the message itself (the token hashes it)
     * when message, else the pre-hashed input. Its parameter, if any,
     * points into ctx. */
    int (*mechanism)(p11prov_sig_ctx *ctx, bool message, CK_MECHANISM *mech);
    /* What the token signs for a pre-hashed input tbs: *encoded is tbs
     * itself or a buffer (*owned, freed by the caller with OPENSSL_free)
     * built from it. NULL: tbs as it is. */
    int (*encode_input)(p11prov_sig_ctx *ctx, const unsigned char *tbs,
                        size_t tbslen, const unsigned char **encoded,
                        size_t *encoded_len, unsigned char **owned);
    /* Turns the token's signature into OpenSSL's form in sig; NULL when
     * it is the same. */
    int (*encode_signature)(p11prov_sig_ctx *ctx, const CK_BYTE *raw,
                            CK_ULONG raw_len, unsigned char *sig,
                            size_t *siglen, size_t sigsize);
    /* The length of the token's signature, and of OpenSSL's form. */
    size_t (*raw_size)(const p11prov_sig_ctx *ctx);
    size_t (*max_size)(const p11prov_sig_ctx *ctx);
    /* Sets the family's parameters on the local verifier, or NULL. */
    int (*verify_params)(p11prov_sig_ctx *ctx, EVP_PKEY_CTX *verifier);
    /* Prepares ctx for an operation on its key (defaults the key implies)
     * and takes the caller's parameters; NULL params is no parameter. */
    int (*init)(p11prov_sig_ctx *ctx, const OSSL_PARAM params[]);
} p11prov_sig_family;

struct p11prov_sig_ctx {
    p11prov_ctx *provctx;
    const p11prov_sig_family *family;
    p11prov_key *key;
    int operation; /* EVP_PKEY_OP_SIGN or EVP_PKEY_OP_VERIFY */
    EVP_MD *md;    /* NULL: none set */
    const p11prov_digest *digest;
    /* RSA */
    int pad_mode;
    int saltlen;
    EVP_MD *mgf1_md; /* NULL: the signature digest */
    const p11prov_digest *mgf1;
    CK_RSA_PKCS_PSS_PARAMS pss;
    /* A digest-sign whose message the token is hashing (C_SignUpdate). */
    p11prov_session *session;
    pid_t session_pid; /* the process that borrowed it */
    /* The digest-sign was finished by a copy of this context (dupctx gave
     * the copy the token's operation): this one can go no further. */
    bool spent;
    /* The message hashed locally: a digest-verify, or a digest-sign on a
     * token without the mechanism that hashes (then signed as a digest). */
    EVP_MD_CTX *local_md;
};

/* Sets the digest of the operation (name NULL or "" clears it). */
int p11prov_sig_set_digest(p11prov_sig_ctx *ctx, const char *name);
/* Handles OSSL_SIGNATURE_PARAM_DIGEST in params (set and get). */
int p11prov_sig_set_digest_param(p11prov_sig_ctx *ctx,
                                 const OSSL_PARAM params[]);
int p11prov_sig_get_digest_param(p11prov_sig_ctx *ctx, OSSL_PARAM params[]);
/* Answers OSSL_SIGNATURE_PARAM_ALGORITHM_ID with the DER of algorithm. */
int p11prov_sig_get_algorithm_id(OSSL_PARAM params[], X509_ALGOR *algorithm);

void *p11prov_sig_newctx(void *provctx, const p11prov_sig_family *family);

/* The entries of both families' dispatch tables. */
OSSL_FUNC_signature_freectx_fn p11prov_sig_freectx;
OSSL_FUNC_signature_dupctx_fn p11prov_sig_dupctx;
OSSL_FUNC_signature_sign_init_fn p11prov_sig_sign_init;
OSSL_FUNC_signature_sign_fn p11prov_sig_sign;
OSSL_FUNC_signature_verify_init_fn p11prov_sig_verify_init;
OSSL_FUNC_signature_verify_fn p11prov_sig_verify;
OSSL_FUNC_signature_digest_sign_init_fn p11prov_sig_digest_sign_init;
OSSL_FUNC_signature_digest_sign_update_fn p11prov_sig_digest_sign_update;
OSSL_FUNC_signature_digest_sign_final_fn p11prov_sig_digest_sign_final;
OSSL_FUNC_signature_digest_sign_fn p11prov_sig_digest_sign;
OSSL_FUNC_signature_digest_verify_init_fn p11prov_sig_digest_verify_init;
OSSL_FUNC_signature_digest_verify_update_fn p11prov_sig_digest_verify_update;
OSSL_FUNC_signature_digest_verify_final_fn p11prov_sig_digest_verify_final;

/* The dispatch entries both families share; each family's table lists
 * these, then its own newctx and parameter functions. */
#define P11PROV_SIG_COMMON_FUNCTIONS                                           \
    {OSSL_FUNC_SIGNATURE_FREECTX, (void (*)(void))p11prov_sig_freectx},        \
        {OSSL_FUNC_SIGNATURE_DUPCTX, (void (*)(void))p11prov_sig_dupctx},      \
        {OSSL_FUNC_SIGNATURE_SIGN_INIT,                                        \
         (void (*)(void))p11prov_sig_sign_init},                               \
        {OSSL_FUNC_SIGNATURE_SIGN, (void (*)(void))p11prov_sig_sign},          \
        {OSSL_FUNC_SIGNATURE_VERIFY_INIT,                                      \
         (void (*)(void))p11prov_sig_verify_init},                             \
        {OSSL_FUNC_SIGNATURE_VERIFY, (void (*)(void))p11prov_sig_verify},      \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT,                                 \
         (void (*)(void))p11prov_sig_digest_sign_init},                        \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE,                               \
         (void (*)(void))p11prov_sig_digest_sign_update},                      \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL,                                \
         (void (*)(void))p11prov_sig_digest_sign_final},                       \
        {OSSL_FUNC_SIGNATURE_DIGEST_SIGN,                                      \
         (void (*)(void))p11prov_sig_digest_sign},                             \
        {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT,                               \
         (void (*)(void))p11prov_sig_digest_verify_init},                      \
        {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_UPDATE,                             \
         (void (*)(void))p11prov_sig_digest_verify_update},                    \
    {                                                                          \
        OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_FINAL,                               \
            (void (*)(void))p11prov_sig_digest_verify_final                    \
    }

#endif
