/* SPDX-License-Identifier: Apache-2.0 */
/* The "TLS-GROUP" capability: the groups libssl may negotiate with this
 * provider's key managers. libssl keeps a group only when the provider
 * that declares it also wins the fetch of the group's key manager
 * (P11PROV_EC_EPHEMERAL), so these count only when a server prefers this
 * provider (-propquery '?provider=p11kmip'); libssl then makes its
 * ephemeral keys with that key manager, in memory (keymgmt_local.c). Ids
 * and security bits as RFC 8446 and OpenSSL's default provider give
 * them. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/prov_ssl.h>

#include "provider.h"

static const struct tls_group {
    const char *name;     /* the TLS name (-groups) */
    const char *internal; /* OpenSSL's curve name */
    unsigned int id;      /* the TLS NamedGroup */
    unsigned int bits;    /* security bits */
} groups[] = {
    {"secp256r1", "prime256v1", 23, 128}, {"P-256", "prime256v1", 23, 128},
    {"secp384r1", "secp384r1", 24, 192},  {"P-384", "secp384r1", 24, 192},
    {"secp521r1", "secp521r1", 25, 256},  {"P-521", "secp521r1", 25, 256},
};

/* Hands one group to libssl's callback: every version from TLS 1.0 and
 * DTLS 1.0 on, no maximum. */
static int declare(const struct tls_group *group, OSSL_CALLBACK *cb, void *arg)
{
    unsigned int id = group->id, bits = group->bits;
    int min_tls = TLS1_VERSION, min_dtls = DTLS1_VERSION, max = 0;
    OSSL_PARAM params[] = {
        OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_NAME,
                               (char *)group->name, strlen(group->name) + 1),
        OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_NAME_INTERNAL,
                               (char *)group->internal,
                               strlen(group->internal) + 1),
        OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_ALG,
                               (char *)P11PROV_EC_EPHEMERAL,
                               sizeof(P11PROV_EC_EPHEMERAL)),
        OSSL_PARAM_uint(OSSL_CAPABILITY_TLS_GROUP_ID, &id),
        OSSL_PARAM_uint(OSSL_CAPABILITY_TLS_GROUP_SECURITY_BITS, &bits),
        OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MIN_TLS, &min_tls),
        OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MAX_TLS, &max),
        OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MIN_DTLS, &min_dtls),
        OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MAX_DTLS, &max),
        OSSL_PARAM_END,
    };

    return cb(params, arg);
}

int p11prov_get_capabilities(void *provctx, const char *capability,
                             OSSL_CALLBACK *cb, void *arg)
{
    (void)provctx;
    if (OPENSSL_strcasecmp(capability, "TLS-GROUP") != 0)
        return 0;
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        if (!declare(&groups[i], cb, arg))
            return 0;
    }
    return 1;
}
