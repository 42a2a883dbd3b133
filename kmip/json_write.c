/* SPDX-License-Identifier: Apache-2.0 */
/* TTLV item tree -> the KMIP JSON encoding (see kmip/json.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_internal.h"
#include "kmip/json.h"
#include "kmip/tags.h"
#include "tags_table.h"

/* Integers beyond +-2^53 lose precision in most JSON readers. */
#define JSON_SAFE_INTEGER (INT64_C(1) << 53)

static json_object *hex_number(uint64_t value, int digits)
{
    char text[2 + 16 + 1];
    snprintf(text, sizeof(text), "0x%0*" PRIX64, digits, value);
    return json_object_new_string(text);
}

/* Byte Strings are lower-case hex; "0x" numbers are upper-case. */
static json_object *hex_bytes(const uint8_t *data, size_t len, bool prefix)
{
    const char *digits = prefix ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t start = prefix ? 2 : 0;
    char *text = malloc(start + 2 * len + 1);
    if (text == NULL)
        return NULL;
    memcpy(text, "0x", start);
    for (size_t i = 0; i < len; i++) {
        text[start + 2 * i] = digits[data[i] >> 4];
        text[start + 2 * i + 1] = digits[data[i] & 0x0F];
    }
    text[start + 2 * len] = '\0';
    json_object *out = json_object_new_string_len(text, (int)(start + 2 * len));
    free(text);
    return out;
}

/* "Sign|Verify" when every set bit of mask has a name in table. */
static json_object *mask_names(const kmip_enum_table *table, uint32_t mask)
{
    char text[KMIP_JSON_MASK_TEXT_MAX];
    size_t used = 0;
    uint32_t named = 0;
    text[0] = '\0';
    for (size_t i = 0; i < table->count; i++) {
        uint32_t bit = table->values[i].value;
        if ((mask & bit) != bit)
            continue;
        int n = snprintf(text + used, sizeof(text) - used, "%s%s",
                         used > 0 ? "|" : "", table->values[i].name);
        if (n < 0 || (size_t)n >= sizeof(text) - used)
            return NULL;
        used += (size_t)n;
        named |= bit;
    }
    if (mask == 0 || named != mask)
        return NULL;
    return json_object_new_string(text);
}

static json_object *integer_value(const kmip_item *item, uint32_t names)
{
    const kmip_enum_table *table = kmip_tag_enum_table(names);
    if (table != NULL && table->is_mask) {
        json_object *text = mask_names(table, (uint32_t)item->v.integer);
        if (text != NULL)
            return text;
    }
    return json_object_new_int(item->v.integer);
}

static json_object *long_value(int64_t value)
{
    if (value < -JSON_SAFE_INTEGER || value > JSON_SAFE_INTEGER)
        return hex_number((uint64_t)value, 16);
    return json_object_new_int64(value);
}

static json_object *enum_value(const kmip_item *item, uint32_t names)
{
    const char *name = kmip_enum_name(names, item->v.enumeration);
    if (name != NULL)
        return json_object_new_string(name);
    return hex_number(item->v.enumeration, 8);
}

/* ISO 8601 UTC, with microseconds when micros >= 0; hex when the year
 * does not fit four digits. */
static json_object *time_value(int64_t seconds, long micros, int64_t raw)
{
    struct tm tm;
    time_t t = (time_t)seconds;
    if ((int64_t)t != seconds || gmtime_r(&t, &tm) == NULL ||
        tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
        return hex_number((uint64_t)raw, 16);
    char text[40];
    size_t n = strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
    if (micros >= 0)
        snprintf(text + n, sizeof(text) - n, ".%06ldZ", micros);
    else
        snprintf(text + n, sizeof(text) - n, "Z");
    return json_object_new_string(text);
}

static json_object *datetime_ext_value(int64_t micros)
{
    int64_t seconds = micros / 1000000;
    int64_t rest = micros % 1000000;
    if (rest < 0) {
        seconds -= 1;
        rest += 1000000;
    }
    return time_value(seconds, (long)rest, micros);
}

static json_object *item_to_json(const kmip_item *item, uint32_t names);

/* The tag whose names an Attribute's Attribute Value takes: that of its
 * Attribute Name ("Cryptographic Usage Mask"), or its own. */
static uint32_t attribute_value_names(const kmip_item *attribute)
{
    uint32_t tag;
    for (const kmip_item *c = attribute->v.children.first; c != NULL;
         c = c->next) {
        if (c->tag == KMIP_TAG_ATTRIBUTE_NAME &&
            c->type == KMIP_TYPE_TEXT_STRING &&
            kmip_attribute_tag((const char *)c->v.bytes.data, &tag))
            return tag;
    }
    return KMIP_TAG_ATTRIBUTE_VALUE;
}

static json_object *structure_value(const kmip_item *item)
{
    json_object *children = json_object_new_array();
    if (children == NULL)
        return NULL;
    uint32_t value_names = item->tag == KMIP_TAG_ATTRIBUTE
                               ? attribute_value_names(item)
                               : KMIP_TAG_ATTRIBUTE_VALUE;
    for (const kmip_item *c = item->v.children.first; c != NULL; c = c->next) {
        json_object *child = item_to_json(
            c, c->tag == KMIP_TAG_ATTRIBUTE_VALUE ? value_names : c->tag);
        if (child == NULL || json_object_array_add(children, child) != 0) {
            json_object_put(child);
            json_object_put(children);
            return NULL;
        }
    }
    return children;
}

static json_object *item_value(const kmip_item *item, uint32_t names)
{
    switch (item->type) {
    case KMIP_TYPE_STRUCTURE:
        return structure_value(item);
    case KMIP_TYPE_INTEGER:
        return integer_value(item, names);
    case KMIP_TYPE_LONG_INTEGER:
        return long_value(item->v.long_integer);
    case KMIP_TYPE_BIG_INTEGER:
        return hex_bytes(item->v.bytes.data, item->v.bytes.len, true);
    case KMIP_TYPE_ENUMERATION:
        return enum_value(item, names);
    case KMIP_TYPE_BOOLEAN:
        return json_object_new_boolean(item->v.boolean);
    case KMIP_TYPE_TEXT_STRING:
        return json_object_new_string_len((const char *)item->v.bytes.data,
                                          (int)item->v.bytes.len);
    case KMIP_TYPE_BYTE_STRING:
        return hex_bytes(item->v.bytes.data, item->v.bytes.len, false);
    case KMIP_TYPE_DATE_TIME:
        return time_value(item->v.long_integer, -1, item->v.long_integer);
    case KMIP_TYPE_INTERVAL:
        return json_object_new_int64(item->v.enumeration);
    case KMIP_TYPE_DATE_TIME_EXTENDED:
        return datetime_ext_value(item->v.long_integer);
    }
    return NULL;
}

static json_object *tag_value(uint32_t tag)
{
    const char *name = kmip_tag_name(tag);
    return name != NULL ? json_object_new_string(name) : hex_number(tag, 6);
}

/* item as JSON, its enumeration or mask values named as those of the
 * tag names. */
static json_object *item_to_json(const kmip_item *item, uint32_t names)
{
    if (item == NULL || kmip_type_name(item->type) == NULL)
        return NULL;
    json_object *obj = json_object_new_object();
    json_object *tag = tag_value(item->tag);
    json_object *type =
        item->type == KMIP_TYPE_STRUCTURE
            ? NULL
            : json_object_new_string(kmip_type_name(item->type));
    json_object *value = item_value(item, names);
    bool ok = obj != NULL && tag != NULL && value != NULL &&
              (type != NULL || item->type == KMIP_TYPE_STRUCTURE);
    if (!ok) {
        json_object_put(obj);
        json_object_put(tag);
        json_object_put(type);
        json_object_put(value);
        return NULL;
    }
    json_object_object_add(obj, "tag", tag);
    if (type != NULL)
        json_object_object_add(obj, "type", type);
    json_object_object_add(obj, "value", value);
    return obj;
}

json_object *kmip_item_to_json(const kmip_item *item)
{
    return item == NULL ? NULL : item_to_json(item, item->tag);
}

char *kmip_ttlv_to_json_text(const uint8_t *data, size_t len, int pretty,
                             kmip_status *status)
{
    kmip_item *item = NULL;
    if (kmip_ttlv_decode(data, len, NULL, &item, status) != KMIP_OK)
        return NULL;
    json_object *obj = kmip_item_to_json(item);
    kmip_item_free(item);
    if (obj == NULL) {
        kmip_fail(status, KMIP_E_NOMEM, "JSON rendering: out of memory");
        return NULL;
    }
    int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
                (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
                        : JSON_C_TO_STRING_PLAIN);
    const char *text = json_object_to_json_string_ext(obj, flags);
    char *copy = text != NULL ? strdup(text) : NULL;
    json_object_put(obj);
    if (copy == NULL)
        kmip_fail(status, KMIP_E_NOMEM, "JSON rendering: out of memory");
    return copy;
}
