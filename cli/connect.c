/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "cli.h"
#include "p11kmip/conf_client.h"

kmip_client *cli_connect(const char *slot_label, int *exit_code)
{
    char err[512];
    p11kmip_conf *conf = p11kmip_conf_load(err, sizeof(err));
    const p11kmip_slot_conf *slot = NULL;
    kmip_client_config cfg;
    kmip_client *client = NULL;
    kmip_status status;
    size_t i;

    if (conf == NULL) {
        *exit_code = cli_error(CLI_EXIT_CONFIG, "%s", err);
        return NULL;
    }
    for (i = 0; i < conf->slot_count && slot == NULL; i++) {
        if (slot_label == NULL || strcmp(conf->slots[i].label, slot_label) == 0)
            slot = &conf->slots[i];
    }
    if (slot == NULL) {
        *exit_code = cli_error(CLI_EXIT_CONFIG, "%s: no slot labelled \"%s\"",
                               conf->source, slot_label);
    } else {
        p11kmip_slot_client_config(slot, &cfg);
        client = kmip_client_new(&cfg, &status);
        if (client == NULL)
            *exit_code = cli_kmip_error(slot->label, &status);
    }
    p11kmip_conf_free(conf);
    return client;
}
