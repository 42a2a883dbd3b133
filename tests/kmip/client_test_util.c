/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "client_test_util.h"
#include "kmip/tags.h"

pki test_pki;

static const char *env(const char *name)
{
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0')
        fail_msg("%s is not set: run under integration/with_server.py", name);
    return value;
}

int load_pki(void **state)
{
    (void)state;
    test_pki = (pki){
        .ca = env("P11KMIP_TEST_CA"),
        .cert = env("P11KMIP_TEST_CERT"),
        .key = env("P11KMIP_TEST_KEY"),
        .server_cert = env("P11KMIP_TEST_SERVER_CERT"),
        .server_key = env("P11KMIP_TEST_SERVER_KEY"),
        .key_encrypted = env("P11KMIP_TEST_KEY_ENC"),
        .key_passphrase = env("P11KMIP_TEST_KEY_PASS"),
    };
    return 0;
}

uint64_t now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

fault_server *start(fault_mode mode)
{
    return fault_server_start(test_pki.server_cert, test_pki.server_key,
                              test_pki.ca, mode);
}

kmip_client_config config_for(const char *const *servers, size_t count,
                              uint32_t timeout_ms)
{
    return (kmip_client_config){
        .servers = servers,
        .server_count = count,
        .ca_file = test_pki.ca,
        .cert_file = test_pki.cert,
        .key_file = test_pki.key,
        .timeout_ms = timeout_ms,
        .version = KMIP_VERSION(1, 4),
    };
}

kmip_client *new_client(const kmip_client_config *cfg)
{
    kmip_status status;
    kmip_client *client = kmip_client_new(cfg, &status);
    if (client == NULL)
        fail_msg("kmip_client_new: %s", status.message);
    return client;
}

kmip_client_stats stats_of(kmip_client *client)
{
    kmip_client_stats stats;
    kmip_client_get_stats(client, &stats);
    return stats;
}

kmip_rc query(kmip_client *client, int idempotent, kmip_status *status)
{
    kmip_response *resp = NULL;
    kmip_rc rc = kmip_client_call_one(client, KMIP_OPERATION_QUERY, NULL,
                                      idempotent, &resp, status);
    kmip_response_free(resp);
    return rc;
}
