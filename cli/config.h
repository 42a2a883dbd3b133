/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip config: its subcommands (cmd_config.c) and the server check
 * (config_check.c). */
#ifndef P11KMIP_CLI_CONFIG_H
#define P11KMIP_CLI_CONFIG_H

#include <stdbool.h>

#include "p11kmip/conf.h"

/* Connects to every server of every slot of conf (or of the slot
 * labelled only), negotiates the version, times a Query round trip and
 * prints what each server supports, as text or JSON. CLI_OK when every
 * server answered, CLI_EXIT_SERVER otherwise. */
int cli_config_check(const p11kmip_conf *conf, const char *only, bool json);

#endif
