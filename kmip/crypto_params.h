/* SPDX-License-Identifier: Apache-2.0 */
/* The Cryptographic Parameters field table, for payload tables that nest
 * it. Internal to kmip/. */
#ifndef KMIP_CRYPTO_PARAMS_H
#define KMIP_CRYPTO_PARAMS_H

#include "payload_fields.h"

extern const kmip_field_table kmip_crypto_params_table;

#endif
