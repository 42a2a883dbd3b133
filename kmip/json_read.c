/* SPDX-License-Identifier: Apache-2.0 */
/* The KMIP JSON encoding -> TTLV item tree (see kmip/json.h). Every error
 * names the JSON path of the offending member. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "json_internal.h"
#include "kmip/json.h"
#include "kmip/tags.h"
#include "tags_table.h"

#define PATH_MAX_LEN 200

typedef struct json_reader {
    kmip_status *status;
    char path[PATH_MAX_LEN]; /* "$.value[2]" */
    size_t depth;
    uint32_t value_names; /* tag naming the values of an Attribute Value */
} json_reader;

static kmip_rc reader_fail(json_reader *r, const char *member, const char *fmt,
                           ...) __attribute__((format(printf, 3, 4)));

static kmip_rc reader_fail(json_reader *r, const char *member, const char *fmt,
                           ...)
{
    char detail[KMIP_STATUS_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return kmip_fail(r->status, KMIP_E_DECODE, "JSON %s%s%s: %s", r->path,
                     member != NULL ? "." : "", member != NULL ? member : "",
                     detail);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "0x" followed by 1 to max_digits hex digits. */
static bool parse_hex_number(const char *text, int max_digits, uint64_t *out)
{
    if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        return false;
    const char *digits = text + 2;
    size_t n = strlen(digits);
    if (n == 0 || n > (size_t)max_digits)
        return false;
    uint64_t value = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(digits[i]);
        if (d < 0)
            return false;
        value = value << 4 | (uint64_t)d;
    }
    *out = value;
    return true;
}

/* Hex digits (an odd count gets a leading zero nibble) into a new buffer
 * the caller frees; NULL on a non-hex character or no memory. */
static uint8_t *parse_hex_bytes(const char *digits, size_t *len, bool *bad)
{
    size_t n = strlen(digits);
    size_t odd = n % 2;
    *len = (n + odd) / 2;
    *bad = false;
    uint8_t *out = malloc(*len > 0 ? *len : 1);
    if (out == NULL)
        return NULL;
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(digits[i]);
        if (d < 0) {
            *bad = true;
            free(out);
            return NULL;
        }
        size_t pos = i + odd;
        if (pos % 2 == 0)
            out[pos / 2] = (uint8_t)(d << 4);
        else
            out[pos / 2] = (uint8_t)(out[pos / 2] | d);
    }
    return out;
}

/* A JSON integer within [min, max]. */
static bool json_integer_in(json_object *value, int64_t min, int64_t max,
                            int64_t *out)
{
    if (!json_object_is_type(value, json_type_int))
        return false;
    int64_t v = json_object_get_int64(value);
    char printed[24];
    snprintf(printed, sizeof(printed), "%" PRId64, v);
    if (strcmp(printed, json_object_to_json_string(value)) != 0)
        return false; /* clamped by json-c */
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

static const char *json_text(json_object *value)
{
    return json_object_is_type(value, json_type_string)
               ? json_object_get_string(value)
               : NULL;
}

/* A mask as bit names of tag (or "0x" hex parts) separated by '|' (the
 * JSON form) or ' ' (the XML form), with no empty part. */
static bool parse_mask(uint32_t tag, const char *text, uint32_t *out)
{
    char part[KMIP_JSON_MASK_TEXT_MAX];
    uint32_t mask = 0;
    for (const char *p = text;; p++) {
        size_t n = strcspn(p, "| ");
        if (n == 0 || n >= sizeof(part))
            return false;
        memcpy(part, p, n);
        part[n] = '\0';
        uint32_t bit;
        uint64_t hex;
        if (kmip_enum_from_name(tag, part, &bit))
            mask |= bit;
        else if (parse_hex_number(part, 8, &hex))
            mask |= (uint32_t)hex;
        else
            return false;
        p += n;
        if (*p == '\0')
            break;
    }
    *out = mask;
    return true;
}

/* The number written by the count digits at text; false when one of
 * them is not a digit. */
static bool fixed_digits(const char *text, int count, int *out)
{
    *out = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char)text[i]))
            return false;
        *out = *out * 10 + (text[i] - '0');
    }
    return true;
}

/* ISO 8601 "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM|-HH:MM)" into seconds
 * and microseconds since the epoch. */
static bool parse_time(const char *text, int64_t *seconds, long *micros)
{
    int year, mon, day, hour, min, sec;
    if (strlen(text) < 20 || !fixed_digits(text, 4, &year) || text[4] != '-' ||
        !fixed_digits(text + 5, 2, &mon) || text[7] != '-' ||
        !fixed_digits(text + 8, 2, &day) || text[10] != 'T' ||
        !fixed_digits(text + 11, 2, &hour) || text[13] != ':' ||
        !fixed_digits(text + 14, 2, &min) || text[16] != ':' ||
        !fixed_digits(text + 17, 2, &sec))
        return false;
    int used = 19;
    const char *p = text + used;
    long fraction = 0;
    if (*p == '.') {
        int digits = 0;
        for (p++; isdigit((unsigned char)*p); p++, digits++) {
            if (digits == 6)
                return false;
            fraction = fraction * 10 + (*p - '0');
        }
        if (digits == 0)
            return false;
        for (; digits < 6; digits++)
            fraction *= 10;
    }
    long offset = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!fixed_digits(p + 1, 2, &oh) || p[3] != ':' ||
            !fixed_digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        offset = (*p == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0')
        return false;
    struct tm tm = {.tm_year = year - 1900,
                    .tm_mon = mon - 1,
                    .tm_mday = day,
                    .tm_hour = hour,
                    .tm_min = min,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    /* timegm normalizes: a changed field means a date that does not
     * exist (February 30th, hour 25). */
    if (tm.tm_year != year - 1900 || tm.tm_mon != mon - 1 ||
        tm.tm_mday != day || tm.tm_hour != hour || tm.tm_min != min ||
        tm.tm_sec != sec)
        return false;
    *seconds = (int64_t)t - offset;
    *micros = fraction;
    return true;
}

static kmip_item *read_item(json_reader *r, json_object *obj, kmip_rc *rc);

/* The tag whose names the Attribute Value among an Attribute's children
 * takes: that of its Attribute Name, or 0. */
static uint32_t attribute_value_names(json_object *children)
{
    uint32_t tag;
    size_t count = json_object_array_length(children);
    for (size_t i = 0; i < count; i++) {
        json_object *child = json_object_array_get_idx(children, i), *member;
        const char *name = NULL;
        if (json_object_object_get_ex(child, "tag", &member) &&
            json_text(member) != NULL &&
            strcmp(json_text(member), "AttributeName") == 0 &&
            json_object_object_get_ex(child, "value", &member))
            name = json_text(member);
        if (name != NULL && kmip_attribute_tag(name, &tag))
            return tag;
    }
    return 0;
}

static kmip_item *read_structure(json_reader *r, uint32_t tag,
                                 json_object *value, kmip_rc *rc)
{
    if (!json_object_is_type(value, json_type_array)) {
        *rc = reader_fail(r, "value", "a Structure needs an array");
        return NULL;
    }
    if (r->depth >= KMIP_DEFAULT_MAX_DEPTH) {
        *rc = reader_fail(r, NULL, "nested deeper than %d structures",
                          KMIP_DEFAULT_MAX_DEPTH);
        return NULL;
    }
    kmip_item *structure = kmip_item_new_structure(tag);
    if (structure == NULL) {
        *rc = kmip_fail(r->status, KMIP_E_NOMEM, "JSON: out of memory");
        return NULL;
    }
    size_t path_len = strlen(r->path);
    uint32_t outer_names = r->value_names;
    r->value_names =
        tag == KMIP_TAG_ATTRIBUTE ? attribute_value_names(value) : 0;
    r->depth++;
    size_t count = json_object_array_length(value);
    for (size_t i = 0; i < count && *rc == KMIP_OK; i++) {
        snprintf(r->path + path_len, sizeof(r->path) - path_len, ".value[%zu]",
                 i);
        kmip_item *child =
            read_item(r, json_object_array_get_idx(value, i), rc);
        if (child != NULL)
            kmip_item_add(structure, child);
    }
    r->depth--;
    r->value_names = outer_names;
    r->path[path_len] = '\0';
    if (*rc != KMIP_OK) {
        kmip_item_free(structure);
        return NULL;
    }
    return structure;
}

static kmip_item *read_integer(json_reader *r, uint32_t tag, uint32_t names,
                               json_object *value, kmip_rc *rc)
{
    int64_t number;
    uint64_t hex;
    uint32_t mask;
    const char *text = json_text(value);
    const kmip_enum_table *table = kmip_tag_enum_table(names);
    if (json_integer_in(value, INT32_MIN, INT32_MAX, &number))
        return kmip_item_new_integer(tag, (int32_t)number);
    if (text != NULL && parse_hex_number(text, 8, &hex))
        return kmip_item_new_integer(tag, (int32_t)(uint32_t)hex);
    if (text != NULL && table != NULL && table->is_mask &&
        parse_mask(names, text, &mask))
        return kmip_item_new_integer(tag, (int32_t)mask);
    *rc = reader_fail(
        r, "value",
        "an Integer needs a 32-bit number, \"0x\" and up to 8 "
        "hex digits%s",
        table != NULL && table->is_mask ? " or mask names joined by '|'" : "");
    return NULL;
}

static kmip_item *read_long(json_reader *r, uint32_t tag, json_object *value,
                            kmip_rc *rc)
{
    int64_t number;
    uint64_t hex;
    const char *text = json_text(value);
    if (json_integer_in(value, INT64_MIN, INT64_MAX, &number))
        return kmip_item_new_long(tag, number);
    if (text != NULL && parse_hex_number(text, 16, &hex))
        return kmip_item_new_long(tag, (int64_t)hex);
    *rc = reader_fail(r, "value",
                      "a LongInteger needs a 64-bit number or "
                      "\"0x\" and up to 16 hex digits");
    return NULL;
}

static kmip_item *read_bigint(json_reader *r, uint32_t tag, json_object *value,
                              kmip_rc *rc)
{
    const char *text = json_text(value);
    if (text == NULL || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') ||
        text[2] == '\0') {
        *rc =
            reader_fail(r, "value", "a BigInteger needs \"0x\" and hex digits");
        return NULL;
    }
    size_t len;
    bool bad;
    uint8_t *bytes = parse_hex_bytes(text + 2, &len, &bad);
    if (bytes == NULL) {
        *rc = bad ? reader_fail(r, "value", "'%s' is not hex", text)
                  : kmip_fail(r->status, KMIP_E_NOMEM, "JSON: out of memory");
        return NULL;
    }
    kmip_item *item = kmip_item_new_bigint(tag, bytes, len);
    OPENSSL_cleanse(bytes, len);
    free(bytes);
    return item;
}

static kmip_item *read_enum(json_reader *r, uint32_t tag, uint32_t names,
                            json_object *value, kmip_rc *rc)
{
    const char *text = json_text(value);
    uint32_t number;
    uint64_t hex;
    if (text != NULL && kmip_enum_from_name(names, text, &number))
        return kmip_item_new_enum(tag, number);
    if (text != NULL && parse_hex_number(text, 8, &hex))
        return kmip_item_new_enum(tag, (uint32_t)hex);
    if (text != NULL)
        *rc = reader_fail(r, "value", "'%s' is not a value of %s", text,
                          kmip_tag_name(names) != NULL ? kmip_tag_name(names)
                                                       : "this tag");
    else
        *rc = reader_fail(r, "value",
                          "an Enumeration needs a name or \"0x\" "
                          "and up to 8 hex digits");
    return NULL;
}

static kmip_item *read_bytes(json_reader *r, uint32_t tag, json_object *value,
                             kmip_rc *rc)
{
    const char *text = json_text(value);
    if (text == NULL || strlen(text) % 2 != 0) {
        *rc = reader_fail(r, "value",
                          "a ByteString needs an even number of "
                          "hex digits");
        return NULL;
    }
    size_t len;
    bool bad;
    uint8_t *bytes = parse_hex_bytes(text, &len, &bad);
    if (bytes == NULL) {
        *rc = bad ? reader_fail(r, "value", "a ByteString needs hex digits")
                  : kmip_fail(r->status, KMIP_E_NOMEM, "JSON: out of memory");
        return NULL;
    }
    kmip_item *item = kmip_item_new_bytes(tag, bytes, len);
    OPENSSL_cleanse(bytes, len);
    free(bytes);
    return item;
}

static kmip_item *read_time(json_reader *r, uint32_t tag, json_object *value,
                            kmip_type type, kmip_rc *rc)
{
    const char *text = json_text(value);
    int64_t seconds;
    long micros;
    uint64_t hex;
    bool extended = type == KMIP_TYPE_DATE_TIME_EXTENDED;
    if (text != NULL && parse_hex_number(text, 16, &hex))
        return extended ? kmip_item_new_datetime_ext(tag, (int64_t)hex)
                        : kmip_item_new_datetime(tag, (int64_t)hex);
    if (text != NULL && parse_time(text, &seconds, &micros) &&
        (extended || micros == 0))
        return extended
                   ? kmip_item_new_datetime_ext(tag, seconds * 1000000 + micros)
                   : kmip_item_new_datetime(tag, seconds);
    *rc = reader_fail(r, "value",
                      "a %s needs an ISO 8601 time such as "
                      "\"2012-04-27T08:12:21%sZ\" or \"0x\" and hex digits",
                      kmip_type_name(type), extended ? ".000001" : "");
    return NULL;
}

static kmip_item *read_value(json_reader *r, uint32_t tag, kmip_type type,
                             json_object *value, kmip_rc *rc)
{
    int64_t number;
    const char *text = json_text(value);
    uint64_t hex;
    uint32_t names = tag == KMIP_TAG_ATTRIBUTE_VALUE && r->value_names != 0
                         ? r->value_names
                         : tag;
    switch (type) {
    case KMIP_TYPE_STRUCTURE:
        return read_structure(r, tag, value, rc);
    case KMIP_TYPE_INTEGER:
        return read_integer(r, tag, names, value, rc);
    case KMIP_TYPE_LONG_INTEGER:
        return read_long(r, tag, value, rc);
    case KMIP_TYPE_BIG_INTEGER:
        return read_bigint(r, tag, value, rc);
    case KMIP_TYPE_ENUMERATION:
        return read_enum(r, tag, names, value, rc);
    case KMIP_TYPE_BOOLEAN:
        if (json_object_is_type(value, json_type_boolean))
            return kmip_item_new_bool(tag, json_object_get_boolean(value));
        *rc = reader_fail(r, "value", "a Boolean needs true or false");
        return NULL;
    case KMIP_TYPE_TEXT_STRING:
        if (text != NULL)
            return kmip_item_new_text_len(
                tag, text, (size_t)json_object_get_string_len(value));
        *rc = reader_fail(r, "value", "a TextString needs a string");
        return NULL;
    case KMIP_TYPE_BYTE_STRING:
        return read_bytes(r, tag, value, rc);
    case KMIP_TYPE_DATE_TIME:
    case KMIP_TYPE_DATE_TIME_EXTENDED:
        return read_time(r, tag, value, type, rc);
    case KMIP_TYPE_INTERVAL:
        if (json_integer_in(value, 0, UINT32_MAX, &number))
            return kmip_item_new_interval(tag, (uint32_t)number);
        if (text != NULL && parse_hex_number(text, 8, &hex))
            return kmip_item_new_interval(tag, (uint32_t)hex);
        *rc = reader_fail(r, "value",
                          "an Interval needs a number of seconds "
                          "from 0 to 4294967295");
        return NULL;
    }
    *rc = reader_fail(r, "type", "unknown type");
    return NULL;
}

static bool read_tag(json_reader *r, json_object *obj, uint32_t *tag,
                     kmip_rc *rc)
{
    json_object *member;
    if (!json_object_object_get_ex(obj, "tag", &member)) {
        *rc = reader_fail(r, NULL, "missing \"tag\"");
        return false;
    }
    const char *text = json_text(member);
    uint64_t hex;
    if (text != NULL && kmip_tag_from_name(text, tag))
        return true;
    if (text != NULL && strlen(text) == 8 && parse_hex_number(text, 6, &hex)) {
        *tag = (uint32_t)hex;
        return true;
    }
    *rc = text != NULL ? reader_fail(r, "tag",
                                     "'%s' is neither a tag name nor \"0x\" "
                                     "and 6 hex digits",
                                     text)
                       : reader_fail(r, "tag", "needs a string");
    return false;
}

static bool read_type(json_reader *r, json_object *obj, kmip_type *type,
                      kmip_rc *rc)
{
    json_object *member, *value;
    if (!json_object_object_get_ex(obj, "type", &member)) {
        /* The profile lets a Structure omit its type. */
        if (json_object_object_get_ex(obj, "value", &value) &&
            json_object_is_type(value, json_type_array)) {
            *type = KMIP_TYPE_STRUCTURE;
            return true;
        }
        *rc = reader_fail(r, NULL, "missing \"type\"");
        return false;
    }
    const char *text = json_text(member);
    if (text != NULL && kmip_type_from_name(text, type))
        return true;
    *rc = reader_fail(r, "type", "'%s' is not a KMIP item type",
                      text != NULL ? text : json_object_to_json_string(member));
    return false;
}

static kmip_item *read_item(json_reader *r, json_object *obj, kmip_rc *rc)
{
    if (!json_object_is_type(obj, json_type_object)) {
        *rc = reader_fail(r, NULL, "an item needs an object");
        return NULL;
    }
    json_object_object_foreach(obj, key, member)
    {
        (void)member;
        if (strcmp(key, "tag") != 0 && strcmp(key, "type") != 0 &&
            strcmp(key, "value") != 0) {
            *rc = reader_fail(r, NULL, "unknown member \"%s\"", key);
            return NULL;
        }
    }
    uint32_t tag;
    kmip_type type;
    json_object *value;
    if (!read_tag(r, obj, &tag, rc) || !read_type(r, obj, &type, rc))
        return NULL;
    if (!json_object_object_get_ex(obj, "value", &value)) {
        *rc = reader_fail(r, NULL, "missing \"value\"");
        return NULL;
    }
    kmip_item *item = read_value(r, tag, type, value, rc);
    if (item == NULL && *rc == KMIP_OK)
        *rc = kmip_fail(r->status, KMIP_E_NOMEM, "JSON: out of memory");
    return item;
}

kmip_rc kmip_item_from_json(json_object *obj, kmip_item **out,
                            kmip_status *status)
{
    if (out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG, "JSON: no output");
    *out = NULL;
    json_reader r = {.status = status, .path = "$", .depth = 0};
    kmip_rc rc = KMIP_OK;
    *out = read_item(&r, obj, &rc);
    return rc;
}
