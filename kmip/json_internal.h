/* SPDX-License-Identifier: Apache-2.0 */
/* Facts shared by the JSON writer and reader; not part of the API. */
#ifndef KMIP_JSON_INTERNAL_H
#define KMIP_JSON_INTERNAL_H

/* Longest "Name|Name|..." text of a mask the writer emits and the reader
 * accepts. */
#define KMIP_JSON_MASK_TEXT_MAX 1024

#endif
