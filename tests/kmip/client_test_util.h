/* SPDX-License-Identifier: Apache-2.0 */
/* What the client tests share: the PKI that integration/with_server.py
 * made, fault servers in a mode, clients of them, a clock. */
#ifndef TEST_CLIENT_TEST_UTIL_H
#define TEST_CLIENT_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "fault_server.h"
#include "kmip/client.h"

typedef struct pki {
    const char *ca;
    const char *cert;
    const char *key;
    const char *server_cert;
    const char *server_key;
    const char *key_encrypted;
    const char *key_passphrase;
} pki;

extern pki test_pki;

/* Group setup: reads the P11KMIP_TEST_* variables into test_pki. */
int load_pki(void **state);

/* Milliseconds of the monotonic clock. */
uint64_t now_ms(void);

/* A fault server in mode with the test PKI. */
fault_server *start(fault_mode mode);

/* A KMIP 1.4 client (no negotiation) of the given servers, timeout_ms. */
kmip_client_config config_for(const char *const *servers, size_t count,
                              uint32_t timeout_ms);

/* kmip_client_new, failing the test when it fails. */
kmip_client *new_client(const kmip_client_config *cfg);

kmip_client_stats stats_of(kmip_client *client);

/* One Query through client. */
kmip_rc query(kmip_client *client, int idempotent, kmip_status *status);

#endif
