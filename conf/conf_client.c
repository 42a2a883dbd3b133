/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "p11kmip/conf_client.h"

void p11kmip_slot_client_config(const p11kmip_slot_conf *slot,
                                kmip_client_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->servers = (const char *const *)slot->servers;
    cfg->server_count = slot->server_count;
    cfg->ca_file = slot->ca;
    cfg->cert_file = slot->cert;
    cfg->key_file = slot->key;
    cfg->p12_file = slot->p12;
    cfg->key_passphrase = slot->key_password;
    cfg->cipher_list = slot->ciphers;
    cfg->verify_name = slot->verify_name;
    cfg->timeout_ms = slot->timeout_ms;
    cfg->pool_size = slot->pool;
    cfg->version = KMIP_VERSION(slot->kmip_major, slot->kmip_minor);
}
