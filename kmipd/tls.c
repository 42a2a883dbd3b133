/* SPDX-License-Identifier: Apache-2.0 */
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "kmipd/log.h"
#include "kmipd/server.h"

static SSL_CTX *tls_fail(SSL_CTX *ctx, const char *what, const char *path)
{
    char detail[256];
    ERR_error_string_n(ERR_get_error(), detail, sizeof(detail));
    kmipd_log(KMIPD_LOG_ERROR, "TLS: %s %s: %s", what, path, detail);
    ERR_clear_error();
    SSL_CTX_free(ctx);
    return NULL;
}

SSL_CTX *kmipd_tls_context(const kmipd_config *config)
{
    static const unsigned char session_context[] = "kmipd";
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL)
        return tls_fail(NULL, "creating a context", "");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    if (SSL_CTX_use_certificate_chain_file(ctx, config->cert) != 1)
        return tls_fail(ctx, "loading the certificate", config->cert);
    /* This also refuses a key that is not the certificate's. */
    if (SSL_CTX_use_PrivateKey_file(ctx, config->key, SSL_FILETYPE_PEM) != 1)
        return tls_fail(ctx, "loading the key", config->key);
    if (SSL_CTX_load_verify_locations(ctx, config->ca, NULL) != 1)
        return tls_fail(ctx, "loading the CA", config->ca);
    STACK_OF(X509_NAME) *client_cas = SSL_load_client_CA_file(config->ca);
    if (client_cas != NULL)
        SSL_CTX_set_client_CA_list(ctx, client_cas);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);
    SSL_CTX_set_session_id_context(ctx, session_context,
                                   sizeof(session_context) - 1);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return ctx;
}
