/* SPDX-License-Identifier: Apache-2.0 */
#ifndef P11KMIP_CLI_PRINT_H
#define P11KMIP_CLI_PRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "token.h"

/* Prints the n objects as a table (TYPE KIND BITS LABEL ID) or, with
 * json, as a JSON array of objects (slot, type, kind, bits, curve,
 * label, id, uri). CLI_OK or an exit code (printed). */
int cli_print_objects(const cli_token *token, const CK_OBJECT_HANDLE *handles,
                      size_t n, bool json);

#endif
