/* SPDX-License-Identifier: Apache-2.0 */
/* Decoder of URI-in-PEM key files (keyfile.h): the URI is resolved on the
 * token and the key handed on by reference, so an application that reads
 * a key file with PEM_read_bio_PrivateKey (nginx, curl) loads the remote
 * key. It reads the PEM itself: OpenSSL 3.0's PEM to DER step does not
 * pass on blocks with names it does not know. */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "keyfile.h"
#include "provider.h"

/* The dispatch entries, checked against OpenSSL's types. */
static OSSL_FUNC_decoder_newctx_fn decoder_newctx;
static OSSL_FUNC_decoder_freectx_fn decoder_freectx;
static OSSL_FUNC_decoder_does_selection_fn decoder_does_selection;
static OSSL_FUNC_decoder_decode_fn decoder_decode;

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

/* The key file's URI, or NULL when the input is not a key file. */
static char *read_keyfile_uri(p11prov_ctx *ctx, OSSL_CORE_BIO *cin)
{
    BIO *in = BIO_new_from_core_bio(ctx->libctx, cin);
    char *name = NULL, *header = NULL, *uri = NULL;
    unsigned char *der = NULL;
    long der_len = 0;

    if (in != NULL && PEM_read_bio(in, &name, &header, &der, &der_len) > 0 &&
        strcmp(name, P11PROV_KEYFILE_PEM_NAME) == 0)
        uri = p11prov_keyfile_uri(der, der_len);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    BIO_free(in);
    return uri;
}

static int decoder_decode(void *dctx, OSSL_CORE_BIO *cin, int selection,
                          OSSL_CALLBACK *data_cb, void *data_cbarg,
                          OSSL_PASSPHRASE_CALLBACK *pw_cb, void *pw_cbarg)
{
    p11prov_ctx *ctx = dctx;
    int object_type = OSSL_OBJECT_PKEY;
    OSSL_PARAM params[4];
    p11prov_key *key;
    char *uri;
    int ok;

    (void)selection;
    (void)pw_cb;
    (void)pw_cbarg;
    uri = read_keyfile_uri(ctx, cin);
    if (uri == NULL)
        return 1; /* not a key file: let the other decoders try */
    key = p11prov_store_find_private(ctx, uri);
    OPENSSL_free(uri);
    if (key == NULL)
        return 0;
    params[0] = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &object_type);
    params[1] = OSSL_PARAM_construct_utf8_string(
        OSSL_OBJECT_PARAM_DATA_TYPE, (char *)p11prov_key_data_type(key), 0);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE,
                                                  &key, sizeof(key));
    params[3] = OSSL_PARAM_construct_end();
    ok = data_cb(params, data_cbarg);
    p11prov_key_free(key);
    return ok;
}

const OSSL_DISPATCH p11prov_keyfile_decoder_functions[] = {
    {OSSL_FUNC_DECODER_NEWCTX, (void (*)(void))decoder_newctx},
    {OSSL_FUNC_DECODER_FREECTX, (void (*)(void))decoder_freectx},
    {OSSL_FUNC_DECODER_DOES_SELECTION, (void (*)(void))decoder_does_selection},
    {OSSL_FUNC_DECODER_DECODE, (void (*)(void))decoder_decode},
    {0, NULL},
};
