/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/store.h>

#include "token_keys.h"

char *uri(const char *label, const char *type)
{
    static __thread char text[256];

    snprintf(text, sizeof(text), "pkcs11:%sobject=%s;type=%s",
             getenv("P11KMIP_TEST_TOKEN_ATTR"), label, type);
    return text;
}

EVP_PKEY *find_key(const char *location)
{
    OSSL_STORE_CTX *store = OSSL_STORE_open(location, NULL, NULL, NULL, NULL);
    EVP_PKEY *pkey = NULL;

    while (store != NULL && pkey == NULL && !OSSL_STORE_eof(store)) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(store);

        if (info == NULL)
            continue;
        if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
            pkey = OSSL_STORE_INFO_get1_PKEY(info);
        else if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PUBKEY)
            pkey = OSSL_STORE_INFO_get1_PUBKEY(info);
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(store);
    return pkey;
}

EVP_PKEY *load_from(const char *location)
{
    EVP_PKEY *pkey = find_key(location);

    assert_non_null(pkey);
    return pkey;
}

EVP_PKEY *load(const char *label, const char *type)
{
    return load_from(uri(label, type));
}

EVP_MD_CTX *digest_sign_begun(EVP_PKEY *key, EVP_PKEY_CTX **pctx,
                              const unsigned char *message, size_t len)
{
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();

    assert_int_equal(
        EVP_DigestSignInit_ex(mdctx, pctx, "SHA256", NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestSignUpdate(mdctx, message, len), 1);
    return mdctx;
}

void finish_and_verify(EVP_MD_CTX *mdctx, EVP_PKEY *key,
                       const unsigned char *message, size_t len)
{
    EVP_MD_CTX *verify = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t siglen = sizeof(sig);

    assert_int_equal(EVP_DigestSignFinal(mdctx, sig, &siglen), 1);
    assert_int_equal(
        EVP_DigestVerifyInit_ex(verify, NULL, "SHA256", NULL, NULL, key, NULL),
        1);
    assert_int_equal(EVP_DigestVerify(verify, sig, siglen, message, len), 1);
    EVP_MD_CTX_free(verify);
}

const char *last_error_text(void)
{
    const char *data = NULL;
    int flags = 0;

    ERR_peek_last_error_data(&data, &flags);
    return data != NULL ? data : "";
}

void expect_last_error(int reason, const char *text)
{
    const char *data = last_error_text();

    assert_int_equal(ERR_GET_REASON(ERR_peek_last_error()), reason);
    if (strstr(data, text) == NULL)
        fail_msg("no \"%s\" in \"%s\"", text, data);
}

void in_child(int (*body)(EVP_PKEY *key), EVP_PKEY *key)
{
    pid_t child = fork();
    int status;

    assert_true(child >= 0);
    if (child == 0)
        _exit(body(key));
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

EVP_PKEY *public_only(const char *label, const char *algorithm)
{
    EVP_PKEY *pub = load(label, "public"), *imported = NULL;
    EVP_PKEY_CTX *import =
        EVP_PKEY_CTX_new_from_name(NULL, algorithm, "provider=p11kmip");
    OSSL_PARAM *params = NULL;

    assert_int_equal(EVP_PKEY_todata(pub, EVP_PKEY_PUBLIC_KEY, &params), 1);
    assert_int_equal(EVP_PKEY_fromdata_init(import), 1);
    assert_int_equal(
        EVP_PKEY_fromdata(import, &imported, EVP_PKEY_PUBLIC_KEY, params), 1);
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(import);
    EVP_PKEY_free(pub);
    return imported;
}

int token_key_signs(EVP_PKEY *key)
{
    static const unsigned char message[] = "signed by a test";
    EVP_MD_CTX *mdctx = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t siglen = sizeof(sig);
    int ok = EVP_DigestSignInit_ex(mdctx, NULL, "SHA256", NULL, NULL, key,
                                   NULL) == 1 &&
             EVP_DigestSign(mdctx, sig, &siglen, message, sizeof(message)) == 1;

    EVP_MD_CTX_free(mdctx);
    return ok;
}
