/* SPDX-License-Identifier: Apache-2.0 */
/* TTLV <-> the KMIP JSON encoding (KMIP Profiles, JSON profile), for logs,
 * debugging, the CLI's decode command and tests. Each item is an object
 *   {"tag": "UniqueIdentifier", "type": "TextString", "value": "..."}
 * where tag is the spec name or "0x42XXXX", type is omitted for a
 * Structure (whose value is the array of its children), and value is:
 *   Integer, Interval         a number; a mask (Cryptographic Usage Mask,
 *                             ...) as its bit names joined by '|'
 *   Long Integer              a number ("0x" + 16 hex digits past 2^53)
 *   Big Integer               "0x" + the big-endian two's complement bytes
 *   Enumeration               the value's name, or "0x" + 8 hex digits
 *   Boolean                   true or false
 *   Text String               a string
 *   Byte String               lower-case hex, no prefix
 *   Date-Time                 "2012-04-27T08:12:21Z" (UTC)
 *   Date-Time Extended        "2012-04-27T08:12:21.000001Z"
 * An Attribute Value (KMIP 1.x) is named as the tag of its Attribute
 * Name: {"Cryptographic Algorithm", "RSA"}, not 0x00000004; both ways.
 * The reader also accepts "0x" hex for every number and enumeration,
 * mask names separated by ' ' (the XML encoding's form) as well as '|',
 * time zone offsets ("+02:00"), and a missing type when value is an
 * array. */
#ifndef KMIP_JSON_H
#define KMIP_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "kmip/status.h"
#include "kmip/ttlv.h"

/* The JSON form of item and its children; NULL when out of memory or for
 * an item the codec could not have built (an unknown type). The caller
 * releases it with json_object_put. Byte and Text String values are
 * copied into it as they are: do not log a tree that holds secrets. */
json_object *kmip_item_to_json(const kmip_item *item);

/* Reads the JSON form obj into a new tree *out (free with
 * kmip_item_free). Strict: unknown members, wrong JSON types, unknown
 * names, out-of-range numbers and malformed hex or dates all fail with
 * KMIP_E_DECODE and a message naming the path ("value[2].value[0].tag"). */
kmip_rc kmip_item_from_json(json_object *obj, kmip_item **out,
                            kmip_status *status);

/* Decodes the TTLV bytes data (len bytes) and renders them as JSON text,
 * indented when pretty is non-zero. Returns a string the caller frees
 * with free(), or NULL with status set (decode error, out of memory). Key
 * material in data appears in the text as hex: wipe it before freeing. */
char *kmip_ttlv_to_json_text(const uint8_t *data, size_t len, int pretty,
                             kmip_status *status);

#endif
