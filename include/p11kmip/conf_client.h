/* SPDX-License-Identifier: Apache-2.0 */
/* A configured slot as the kmip/ client's configuration. */
#ifndef P11KMIP_CONF_CLIENT_H
#define P11KMIP_CONF_CLIENT_H

#include "kmip/client.h"
#include "p11kmip/conf.h"

/* Fills cfg from slot. cfg points into slot (which must outlive it); the
 * key passphrase and credential are left NULL for the caller to set. */
void p11kmip_slot_client_config(const p11kmip_slot_conf *slot,
                                kmip_client_config *cfg);

#endif
