/* SPDX-License-Identifier: Apache-2.0 */
#ifndef P11KMIP_CLI_COMMANDS_H
#define P11KMIP_CLI_COMMANDS_H

#include "cli.h"

extern const cli_command cli_cmd_config;
extern const cli_command cli_cmd_keygen;
extern const cli_command cli_cmd_import;
extern const cli_command cli_cmd_cert;
extern const cli_command cli_cmd_list;
extern const cli_command cli_cmd_show;
extern const cli_command cli_cmd_uri;
extern const cli_command cli_cmd_keyfile;
extern const cli_command cli_cmd_destroy;
extern const cli_command cli_cmd_sign;
extern const cli_command cli_cmd_pubkey;
extern const cli_command cli_cmd_decode;
extern const cli_command cli_cmd_leftovers;

#endif
