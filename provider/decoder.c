/* SPDX-License-Identifier: Apache-2.0 */
/* Decoders of URI-in-PEM key files (keyfile.h), in the two steps OpenSSL's
 * decoder chains take, so that a key file works wherever a key file does:
 * OpenSSL's file: store (openssl pkey -in, s_server -key, req -key, dgst
 * -sign) and PEM_read_bio_PrivateKey (nginx, curl):
 *
 *  1. "DER" from PEM: the block named P11PROV_KEYFILE_PEM_NAME becomes its
 *     DER, of structure P11PROV_KEYFILE_STRUCTURE. Other blocks are left
 *     to the other decoders (OpenSSL 3.0's own PEM decoder drops blocks
 *     with names it does not know). The URI is resolved on the token here
 *     already: OpenSSL's file: store drops the errors of step 2, and a key
 *     file naming no usable key must say why.
 *  2. RSA, RSA-PSS and EC from that DER: the key the URI names (the one
 *     step 1 found, else found now) is handed on by reference when it is
 *     of the decoder's type. OpenSSL then loads the reference with this
 *     provider's key manager, the decoder's own. */
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "kmip/process.h"
#include "keyfile.h"
#include "provider.h"

/* A key file's DER is a few hundred bytes; anything longer is not one. */
#define KEYFILE_DER_MAX 8192

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_decoder_newctx_fn decoder_newctx;
static OSSL_FUNC_decoder_freectx_fn decoder_freectx;
static OSSL_FUNC_decoder_does_selection_fn decoder_does_selection;
static OSSL_FUNC_decoder_decode_fn pem_decode;
static OSSL_FUNC_decoder_decode_fn rsa_decode;
static OSSL_FUNC_decoder_decode_fn rsa_pss_decode;
static OSSL_FUNC_decoder_decode_fn ec_decode;

/* The key step 1 found, kept for the steps 2 that follow it in this
 * thread: one token lookup per key file, whichever decoder's type the key
 * is. Step 1 replaces it; the step 2 that hands the key on drops it. */
static __thread struct {
    const p11prov_ctx *ctx;
    pid_t pid;
    char *uri;
    p11prov_key *key;
} last_found;

static void found_drop(void)
{
    p11prov_key_free(last_found.key);
    OPENSSL_free(last_found.uri);
    last_found.key = NULL;
    last_found.uri = NULL;
}

void p11prov_decoder_forget(const p11prov_ctx *ctx)
{
    if (last_found.ctx == ctx)
        found_drop();
}

/* The key uri names: the one step 1 found, else looked up. A new
 * reference, or NULL with an error raised. */
static p11prov_key *found_key(p11prov_ctx *ctx, const char *uri)
{
    if (last_found.key != NULL && last_found.ctx == ctx &&
        last_found.pid == kmip_process_id() && strcmp(last_found.uri, uri) == 0)
        return p11prov_key_ref(last_found.key);
    return p11prov_store_find_private(ctx, uri);
}

/* Looks uri up for the steps 2 to come; 0 with an error raised when it
 * names no usable key. */
static int found_remember(p11prov_ctx *ctx, const char *uri)
{
    found_drop();
    last_found.key = p11prov_store_find_private(ctx, uri);
    if (last_found.key == NULL)
        return 0;
    last_found.uri = OPENSSL_strdup(uri);
    if (last_found.uri == NULL) {
        found_drop();
        return 0;
    }
    last_found.ctx = ctx;
    last_found.pid = kmip_process_id();
    return 1;
}

static void *decoder_newctx(void *provctx)
{
    return provctx;
}

static void decoder_freectx(void *dctx)
{
    (void)dctx;
}

static int decoder_does_selection(void *provctx, int selection)
{
    (void)provctx;
    return selection == 0 || (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY);
}

/* Looks up the key the key file der names; 0 with an error raised when
 * it names none (a malformed key file, no usable key). */
static int remember_keyfile(p11prov_ctx *ctx, const unsigned char *der,
                            long der_len)
{
    char *uri = p11prov_keyfile_uri(der, der_len);
    int ok = uri != NULL && found_remember(ctx, uri);

    if (uri == NULL)
        p11prov_raise(ctx, P11PROV_R_URI,
                      "a \"%s\" PEM block that holds no key file",
                      P11PROV_KEYFILE_PEM_NAME);
    OPENSSL_free(uri);
    return ok;
}

/* Step 1: the key file's PEM block to DER. Returns 1 (decoding carries
 * on) for any other input. */
static int pem_decode(void *dctx, OSSL_CORE_BIO *cin, int selection,
                      OSSL_CALLBACK *data_cb, void *data_cbarg,
                      OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)
{
    p11prov_ctx *ctx = dctx;
    BIO *in = BIO_new_from_core_bio(ctx->libctx, cin);
    char *name = NULL, *header = NULL;
    unsigned char *der = NULL;
    long der_len = 0;
    OSSL_PARAM params[3];
    int ok = 1;

    (void)selection;
    (void)pw_cb;
    (void)pw_cbarg;
    if (in != NULL && PEM_read_bio(in, &name, &header, &der, &der_len) > 0 &&
        strcmp(name, P11PROV_KEYFILE_PEM_NAME) == 0 &&
        (ok = remember_keyfile(ctx, der, der_len))) {
        params[0] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA,
                                                      der, (size_t)der_len);
        params[1] = OSSL_PARAM_construct_utf8_string(
            OSSL_OBJECT_PARAM_DATA_STRUCTURE, P11PROV_KEYFILE_STRUCTURE, 0);
        params[2] = OSSL_PARAM_construct_end();
        ok = data_cb(params, data_cbarg);
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    BIO_free(in);
    return ok;
}

/* The URI of the key file whose DER cin holds, or NULL. */
static char *read_keyfile_uri(p11prov_ctx *ctx, OSSL_CORE_BIO *cin)
{
    BIO *in = BIO_new_from_core_bio(ctx->libctx, cin);
    unsigned char der[KEYFILE_DER_MAX];
    size_t der_len = 0;
    int got;
    char *uri = NULL;

    while (in != NULL && der_len < sizeof(der) &&
           (got = BIO_read(in, der + der_len, (int)(sizeof(der) - der_len))) >
               0)
        der_len += (size_t)got;
    if (der_len > 0 && der_len < sizeof(der))
        uri = p11prov_keyfile_uri(der, (long)der_len);
    BIO_free(in);
    return uri;
}

/* Step 2: the key a key file names, when it is of data_type. Returns 1
 * (decoding carries on) for other input and keys of other types; 0 with
 * an error raised when the key file names no usable key. */
static int decode_key(p11prov_ctx *ctx, const char *data_type,
                      OSSL_CORE_BIO *cin, OSSL_CALLBACK *data_cb,
                      void *data_cbarg)
{
    int object_type = OSSL_OBJECT_PKEY;
    char *uri = read_keyfile_uri(ctx, cin);
    p11prov_key *key = uri != NULL ? found_key(ctx, uri) : NULL;
    OSSL_PARAM params[4];
    int ok = uri == NULL ? 1 : key != NULL;

    if (key != NULL && strcmp(p11prov_key_data_type(key), data_type) == 0) {
        params[0] =
            OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &object_type);
        params[1] = OSSL_PARAM_construct_utf8_string(
            OSSL_OBJECT_PARAM_DATA_TYPE, (char *)data_type, 0);
        params[2] = OSSL_PARAM_construct_octet_string(
            OSSL_OBJECT_PARAM_REFERENCE, &key, sizeof(key));
        params[3] = OSSL_PARAM_construct_end();
        ok = data_cb(params, data_cbarg);
        found_drop();
    }
    p11prov_key_free(key);
    OPENSSL_free(uri);
    return ok;
}

#define DEFINE_KEY_DECODE(name, data_type)                                     \
    static int name(void *dctx, OSSL_CORE_BIO *cin, int selection,             \
                    OSSL_CALLBACK *data_cb, void *data_cbarg,                  \
                    OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)           \
    {                                                                          \
        (void)selection;                                                       \
        (void)pw_cb;                                                           \
        (void)pw_cbarg;                                                        \
        return decode_key(dctx, data_type, cin, data_cb, data_cbarg);          \
    }

DEFINE_KEY_DECODE(rsa_decode, "RSA")
DEFINE_KEY_DECODE(rsa_pss_decode, "RSA-PSS")
DEFINE_KEY_DECODE(ec_decode, "EC")
DEFINE_KEY_DECODE(ed25519_decode, "ED25519")
DEFINE_KEY_DECODE(ed448_decode, "ED448")

#define DECODER_TABLE(decode)                                                  \
    {                                                                          \
        {OSSL_FUNC_DECODER_NEWCTX, (void (*)(void))decoder_newctx},            \
            {OSSL_FUNC_DECODER_FREECTX, (void (*)(void))decoder_freectx},      \
            {OSSL_FUNC_DECODER_DOES_SELECTION,                                 \
             (void (*)(void))decoder_does_selection},                          \
            {OSSL_FUNC_DECODER_DECODE, (void (*)(void))decode}, {0, NULL},     \
    }

const OSSL_DISPATCH p11prov_keyfile_pem_decoder_functions[] =
    DECODER_TABLE(pem_decode);
const OSSL_DISPATCH p11prov_keyfile_rsa_decoder_functions[] =
    DECODER_TABLE(rsa_decode);
const OSSL_DISPATCH p11prov_keyfile_rsa_pss_decoder_functions[] =
    DECODER_TABLE(rsa_pss_decode);
const OSSL_DISPATCH p11prov_keyfile_ec_decoder_functions[] =
    DECODER_TABLE(ec_decode);
const OSSL_DISPATCH p11prov_keyfile_ed25519_decoder_functions[] =
    DECODER_TABLE(ed25519_decode);
const OSSL_DISPATCH p11prov_keyfile_ed448_decoder_functions[] =
    DECODER_TABLE(ed448_decode);
