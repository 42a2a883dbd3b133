/* SPDX-License-Identifier: Apache-2.0 */
/* The slot's KMIP client, built from its configuration, or in a forked
 * child derived from the parent's (its TLS context already loaded). */
#include "core.h"

#include "p11kmip/conf_client.h"

CK_RV p11_slot_client_new(const p11_slot *slot, const char *key_passphrase,
                          const char *password, kmip_client **out)
{
    kmip_credential credential = {slot->conf->username, password};
    kmip_client_config cfg;
    kmip_status status;

    p11kmip_slot_client_config(slot->conf, &cfg);
    cfg.key_passphrase = key_passphrase;
    cfg.credential = password != NULL ? &credential : NULL;
    *out = slot->inherited != NULL
               ? kmip_client_derive(slot->inherited, cfg.credential, &status)
               : kmip_client_new(&cfg, &status);
    if (*out != NULL)
        return CKR_OK;
    p11_log_error("slot %lu (%s): KMIP client: %s: %s", slot->id,
                  slot->conf->label, kmip_rc_name(status.rc), status.message);
    return p11_rv_from_status(status.rc, &status);
}
