/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "client_internal.h"

/* What the PEM password callback was given and whether it was asked. */
typedef struct passphrase_request {
    const char *passphrase;
    bool asked;
} passphrase_request;

/* Copies the passphrase into OpenSSL's buffer, which OpenSSL wipes. Never
 * prompts: without a passphrase an encrypted key fails to load. */
static int passphrase_cb(char *buf, int size, int rwflag, void *userdata)
{
    (void)rwflag;
    passphrase_request *request = userdata;
    request->asked = true;
    if (request->passphrase == NULL)
        return -1;
    size_t len = strlen(request->passphrase);
    if (size < 0 || len > (size_t)size)
        return -1;
    memcpy(buf, request->passphrase, len);
    return (int)len;
}

static void first_error_reason(char *buf, size_t len)
{
    unsigned long err = ERR_peek_error();
    const char *reason = err != 0 ? ERR_reason_error_string(err) : NULL;
    if (reason != NULL)
        snprintf(buf, len, "%s", reason);
    else if (err != 0)
        ERR_error_string_n(err, buf, len);
    else
        snprintf(buf, len, "unknown error");
    ERR_clear_error();
}

static kmip_rc tls_config_fail(kmip_status *status, const char *what,
                               const char *path)
{
    char reason[160];
    first_error_reason(reason, sizeof(reason));
    return kmip_fail(status, KMIP_E_CONFIG, "%s %s: %s", what, path, reason);
}

static kmip_rc load_private_key(SSL_CTX *ctx, const char *key_file,
                                const char *passphrase, kmip_status *status)
{
    BIO *in = BIO_new_file(key_file, "r");
    if (in == NULL)
        return tls_config_fail(status, "client key", key_file);
    passphrase_request request = {.passphrase = passphrase};
    EVP_PKEY *key = PEM_read_bio_PrivateKey(in, NULL, passphrase_cb, &request);
    BIO_free(in);
    if (key == NULL) {
        ERR_clear_error();
        if (request.asked && passphrase == NULL)
            return kmip_fail(status, KMIP_E_CONFIG,
                             "client key %s is encrypted and no passphrase "
                             "was given",
                             key_file);
        if (request.asked)
            return kmip_fail(status, KMIP_E_CONFIG,
                             "client key %s: wrong passphrase", key_file);
        return kmip_fail(status, KMIP_E_CONFIG,
                         "client key %s: not a PEM private key", key_file);
    }
    int used = SSL_CTX_use_PrivateKey(ctx, key);
    EVP_PKEY_free(key);
    if (!used)
        return tls_config_fail(status, "client key", key_file);
    if (!SSL_CTX_check_private_key(ctx))
        return tls_config_fail(status, "client key does not match", key_file);
    return KMIP_OK;
}

/* The bundle's certificate, key and chain into ctx; the chain is trusted
 * too when no CA file was given. */
static kmip_rc use_p12(SSL_CTX *ctx, const kmip_client_config *cfg,
                       EVP_PKEY *key, X509 *cert, STACK_OF(X509) * chain)
{
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    int ok = SSL_CTX_use_cert_and_key(ctx, cert, key, chain, 1) == 1;

    for (int i = 0; ok && cfg->ca_file == NULL && i < sk_X509_num(chain); i++)
        ok = X509_STORE_add_cert(store, sk_X509_value(chain, i)) == 1;
    return ok ? KMIP_OK : KMIP_E_CONFIG;
}

static kmip_rc load_p12(SSL_CTX *ctx, const kmip_client_config *cfg,
                        kmip_status *status)
{
    BIO *in = BIO_new_file(cfg->p12_file, "rb");
    PKCS12 *p12 = in != NULL ? d2i_PKCS12_bio(in, NULL) : NULL;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    kmip_rc rc = KMIP_E_CONFIG;

    BIO_free(in);
    if (p12 == NULL)
        return tls_config_fail(status, "PKCS#12 bundle", cfg->p12_file);
    bool parsed =
        PKCS12_parse(p12, cfg->key_passphrase, &key, &cert, &chain) == 1;
    if (!parsed &&
        ERR_GET_REASON(ERR_peek_last_error()) == PKCS12_R_MAC_VERIFY_FAILURE)
        kmip_fail(status, KMIP_E_CONFIG, "PKCS#12 bundle %s: %s", cfg->p12_file,
                  cfg->key_passphrase == NULL ? "no passphrase was given"
                                              : "wrong passphrase");
    else if (!parsed) /* e.g. a legacy cipher OpenSSL 3 does not load */
        tls_config_fail(status, "PKCS#12 bundle", cfg->p12_file);
    else if (key == NULL || cert == NULL)
        kmip_fail(status, KMIP_E_CONFIG,
                  "PKCS#12 bundle %s lacks a certificate or its key",
                  cfg->p12_file);
    else if ((rc = use_p12(ctx, cfg, key, cert, chain)) != KMIP_OK)
        tls_config_fail(status, "PKCS#12 bundle", cfg->p12_file);
    ERR_clear_error();
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    PKCS12_free(p12);
    return rc;
}

static kmip_rc load_identity(SSL_CTX *ctx, const kmip_client_config *cfg,
                             kmip_status *status)
{
    if (cfg->p12_file != NULL)
        return load_p12(ctx, cfg, status);
    if (cfg->cert_file == NULL && cfg->key_file == NULL)
        return KMIP_OK;
    if (cfg->cert_file == NULL || cfg->key_file == NULL)
        return kmip_fail(status, KMIP_E_CONFIG,
                         "a client certificate needs its key and a key its "
                         "certificate");
    if (SSL_CTX_use_certificate_chain_file(ctx, cfg->cert_file) != 1)
        return tls_config_fail(status, "client certificate", cfg->cert_file);
    return load_private_key(ctx, cfg->key_file, cfg->key_passphrase, status);
}

static kmip_rc load_trust(SSL_CTX *ctx, const char *ca_file,
                          kmip_status *status)
{
    int loaded = ca_file != NULL
                     ? SSL_CTX_load_verify_locations(ctx, ca_file, NULL)
                     : SSL_CTX_set_default_verify_paths(ctx);
    if (loaded != 1)
        return tls_config_fail(status, "CA file",
                               ca_file != NULL ? ca_file : "(default)");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return KMIP_OK;
}

static kmip_rc set_protocol(SSL_CTX *ctx, const kmip_client_config *cfg,
                            kmip_status *status)
{
    int min_version =
        cfg->tls_min_version != 0 ? cfg->tls_min_version : TLS1_2_VERSION;
    if (min_version < TLS1_2_VERSION ||
        !SSL_CTX_set_min_proto_version(ctx, min_version))
        return kmip_fail(status, KMIP_E_CONFIG,
                         "TLS minimum version 0x%x refused (TLS 1.2 is the "
                         "oldest allowed)",
                         (unsigned)min_version);
    if (cfg->cipher_list != NULL &&
        SSL_CTX_set_cipher_list(ctx, cfg->cipher_list) != 1)
        return tls_config_fail(status, "cipher list", cfg->cipher_list);
    return KMIP_OK;
}

/* The session slot is a lock-free exchange: a connection takes the
 * session out while it offers it, so no other thread can free it then. */
static int keep_session(SSL *ssl, SSL_SESSION *session)
{
    kmip_endpoint *endpoint = SSL_get_app_data(ssl);
    if (endpoint == NULL)
        return 0;
    SSL_SESSION_free(atomic_exchange(&endpoint->session, session));
    return 1; /* the reference is now the endpoint's */
}

void kmip_tls_resume_with(SSL *ssl, kmip_endpoint *endpoint)
{
    SSL_set_app_data(ssl, endpoint);
    SSL_SESSION *session = atomic_exchange(&endpoint->session, NULL);
    if (session == NULL)
        return;
    SSL_set_session(ssl, session); /* takes its own reference */
    SSL_SESSION *empty = NULL;
    if (!atomic_compare_exchange_strong(&endpoint->session, &empty, session))
        SSL_SESSION_free(session); /* a newer one arrived meanwhile */
}

void kmip_tls_session_share(kmip_endpoint *to, kmip_endpoint *from)
{
    SSL_SESSION *session = atomic_exchange(&from->session, NULL);
    if (session == NULL)
        return;
    if (SSL_SESSION_up_ref(session))
        SSL_SESSION_free(atomic_exchange(&to->session, session));
    SSL_SESSION *empty = NULL;
    if (!atomic_compare_exchange_strong(&from->session, &empty, session))
        SSL_SESSION_free(session); /* a newer one arrived meanwhile */
}

kmip_rc kmip_tls_ctx_new(const kmip_client_config *cfg, SSL_CTX **out,
                         kmip_status *status)
{
    *out = NULL;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL)
        return kmip_fail(status, KMIP_E_NOMEM, "SSL_CTX_new failed");
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    /* Sessions are kept per server (kmip_tls_resume_with), not in the
     * context's cache. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
                                            SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, keep_session);
    kmip_rc rc = set_protocol(ctx, cfg, status);
    if (rc == KMIP_OK)
        rc = load_trust(ctx, cfg->ca_file, status);
    if (rc == KMIP_OK)
        rc = load_identity(ctx, cfg, status);
    if (rc != KMIP_OK) {
        SSL_CTX_free(ctx);
        return rc;
    }
    *out = ctx;
    return KMIP_OK;
}

static bool is_ip_address(const char *name)
{
    unsigned char addr[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, name, addr) == 1 ||
           inet_pton(AF_INET6, name, addr) == 1;
}

kmip_rc kmip_tls_expect_peer(SSL *ssl, const char *name, kmip_status *status)
{
    X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
    int ok;
    if (is_ip_address(name)) {
        ok = X509_VERIFY_PARAM_set1_ip_asc(param, name);
    } else {
        X509_VERIFY_PARAM_set_hostflags(param,
                                        X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = X509_VERIFY_PARAM_set1_host(param, name, 0) &&
             SSL_set_tlsext_host_name(ssl, name);
    }
    if (!ok) {
        ERR_clear_error();
        return kmip_fail(status, KMIP_E_CONFIG,
                         "cannot verify the server as \"%s\"", name);
    }
    return KMIP_OK;
}

void kmip_tls_describe_error(SSL *ssl, char *buf, size_t len)
{
    long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
        snprintf(buf, len, "certificate verify failed: %s",
                 X509_verify_cert_error_string(verify));
        ERR_clear_error();
        return;
    }
    first_error_reason(buf, len);
}
