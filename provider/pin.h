/* SPDX-License-Identifier: Apache-2.0 */
#ifndef P11PROV_PIN_H
#define P11PROV_PIN_H

#include "provider.h"

/* Resolves a configured PIN: NULL stays NULL; "file:/path" is the first
 * line of that file (1 to 256 bytes, without its line end); anything else
 * is the PIN itself. *pin is a new string the caller wipes with
 * OPENSSL_clear_free. Returns 0, or -1 with an error raised naming the
 * file (unreadable, empty first line, PIN too long). */
int p11prov_pin_resolve(const p11prov_ctx *ctx, const char *spec, char **pin);

#endif
