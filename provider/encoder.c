/* SPDX-License-Identifier: Apache-2.0 */
/* Encoders: a private key as a URI-in-PEM key file (keyfile.h); public
 * keys as SubjectPublicKeyInfo DER or PEM; any key as text. */
#include <openssl/bio.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include "keyfile.h"
#include "provider.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_encoder_newctx_fn encoder_newctx;
static OSSL_FUNC_encoder_freectx_fn encoder_freectx;
static OSSL_FUNC_encoder_does_selection_fn keyfile_does_selection;
static OSSL_FUNC_encoder_does_selection_fn public_does_selection;
static OSSL_FUNC_encoder_does_selection_fn text_does_selection;
static OSSL_FUNC_encoder_encode_fn encode_keyfile;
static OSSL_FUNC_encoder_encode_fn encode_spki_der;
static OSSL_FUNC_encoder_encode_fn encode_spki_pem;
static OSSL_FUNC_encoder_encode_fn encode_text;

typedef int (*write_fn)(BIO *out, const p11prov_key *key, int selection);

static void *encoder_newctx(void *provctx)
{
    return provctx;
}

static void encoder_freectx(void *ectx)
{
    (void)ectx;
}

static int encode_with(p11prov_ctx *ctx, OSSL_CORE_BIO *cout,
                       const void *keydata, int selection, write_fn write)
{
    BIO *out = BIO_new_from_core_bio(ctx->libctx, cout);
    int ok = out != NULL && write(out, keydata, selection);

    BIO_free(out);
    return ok;
}

static int write_keyfile(BIO *out, const p11prov_key *key, int selection)
{
    unsigned char *der;
    int der_len, ok;
    char *uri;

    (void)selection;
    if (key->uri == NULL || key->handle == CK_INVALID_HANDLE)
        return 0;
    if (key->ctx->no_keyfiles) {
        p11prov_raise(key->ctx, P11PROV_R_UNSUPPORTED,
                      "%s: key files are not written "
                      "(p11kmip-encode-provider-uri-to-pem = false)",
                      key->uri);
        return 0;
    }
    uri = p11prov_uri_without_pin(key->uri);
    ok = uri != NULL && p11prov_keyfile_der(uri, &der, &der_len);
    free(uri);
    if (!ok)
        return 0;
    ok = PEM_write_bio(out, P11PROV_KEYFILE_PEM_NAME, "", der, der_len) > 0;
    OPENSSL_free(der);
    return ok;
}

static int write_spki_der(BIO *out, const p11prov_key *key, int selection)
{
    (void)selection;
    return key->public_key != NULL && i2d_PUBKEY_bio(out, key->public_key);
}

static int write_spki_pem(BIO *out, const p11prov_key *key, int selection)
{
    (void)selection;
    return key->public_key != NULL &&
           PEM_write_bio_PUBKEY(out, key->public_key);
}

static int write_text(BIO *out, const p11prov_key *key, int selection)
{
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) &&
        key->handle != CK_INVALID_HANDLE &&
        BIO_printf(out, "Private key held by the token: %s\n",
                   key->uri != NULL ? key->uri : "(no URI)") <= 0)
        return 0;
    return key->public_key != NULL &&
           EVP_PKEY_print_public(out, key->public_key, 0, NULL) > 0;
}

static int keyfile_does_selection(void *provctx, int selection)
{
    (void)provctx;
    return (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0;
}

static int public_does_selection(void *provctx, int selection)
{
    (void)provctx;
    return (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0;
}

static int text_does_selection(void *provctx, int selection)
{
    (void)provctx;
    return (selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != 0;
}

#define DEFINE_ENCODE(name, write)                                             \
    static int name(void *ectx, OSSL_CORE_BIO *cout, const void *keydata,      \
                    const OSSL_PARAM key_abstract[], int selection,            \
                    OSSL_PASSPHRASE_CALLBACK *cb, void *cbarg)                 \
    {                                                                          \
        (void)key_abstract;                                                    \
        (void)cb;                                                              \
        (void)cbarg;                                                           \
        return encode_with(ectx, cout, keydata, selection, write);             \
    }

DEFINE_ENCODE(encode_keyfile, write_keyfile)
DEFINE_ENCODE(encode_spki_der, write_spki_der)
DEFINE_ENCODE(encode_spki_pem, write_spki_pem)
DEFINE_ENCODE(encode_text, write_text)

#define ENCODER_TABLE(encode, does_selection)                                  \
    {                                                                          \
        {OSSL_FUNC_ENCODER_NEWCTX, (void (*)(void))encoder_newctx},            \
            {OSSL_FUNC_ENCODER_FREECTX, (void (*)(void))encoder_freectx},      \
            {OSSL_FUNC_ENCODER_DOES_SELECTION,                                 \
             (void (*)(void))does_selection},                                  \
            {OSSL_FUNC_ENCODER_ENCODE, (void (*)(void))encode}, {0, NULL},     \
    }

const OSSL_DISPATCH p11prov_keyfile_encoder_functions[] =
    ENCODER_TABLE(encode_keyfile, keyfile_does_selection);
const OSSL_DISPATCH p11prov_spki_der_encoder_functions[] =
    ENCODER_TABLE(encode_spki_der, public_does_selection);
const OSSL_DISPATCH p11prov_spki_pem_encoder_functions[] =
    ENCODER_TABLE(encode_spki_pem, public_does_selection);
const OSSL_DISPATCH p11prov_text_encoder_functions[] =
    ENCODER_TABLE(encode_text, text_does_selection);
