/* SPDX-License-Identifier: Apache-2.0 */
/* PKCS#11 attributes KMIP has no place for, kept as a template gave them
 * in the custom attribute x-pkcs11-attrs: "type=value;" entries, the type
 * in hex, a boolean as 0 or 1, a CK_ULONG in decimal, bytes in hex, an
 * attribute array packed (attr_array.c) in hex. */
#include "attr_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* A type in hex, "=" and NUL. */
#define BAG_KEY_MAX (2 * sizeof(CK_ATTRIBUTE_TYPE) + 2)

/* The value of attr as bag text (free with free()), or NULL. */
static char *encode_value(const p11_attr_entry *entry, const CK_ATTRIBUTE *attr)
{
    char number[24];
    CK_ULONG value;

    if (entry->form == FORM_BYTES)
        return p11_hex_encode(attr->pValue, attr->ulValueLen);
    if (entry->form == FORM_ATTRS) {
        uint8_t *packed = NULL;
        size_t len = 0;
        char *hex = p11_attr_array_pack(attr->pValue, attr->ulValueLen, &packed,
                                        &len) == CKR_OK
                        ? p11_hex_encode(packed, len)
                        : NULL;
        free(packed);
        return hex;
    }
    if (entry->form == FORM_BOOL)
        value = *(const CK_BBOOL *)attr->pValue != CK_FALSE;
    else
        memcpy(&value, attr->pValue, sizeof(value));
    snprintf(number, sizeof(number), "%lu", value);
    return strdup(number);
}

/* The start of type's entry: the type in lowercase hex and "=". Written
 * by hand: a Sign reads the bag, and this is its only formatting. */
static size_t bag_key(CK_ATTRIBUTE_TYPE type, char key[BAG_KEY_MAX])
{
    static const char digits[] = "0123456789abcdef";
    char reversed[2 * sizeof(type)];
    size_t len = 0;

    do
        reversed[len++] = digits[type & 0xf];
    while ((type >>= 4) != 0);
    for (size_t i = 0; i < len; i++)
        key[i] = reversed[len - 1 - i];
    key[len] = '=';
    key[len + 1] = '\0';
    return len + 1;
}

CK_RV p11_bag_add(char **bag, const p11_attr_entry *entry,
                  const CK_ATTRIBUTE *attr)
{
    char *value = encode_value(entry, attr);
    char key[BAG_KEY_MAX];
    size_t key_len = bag_key(entry->type, key);
    size_t used = *bag != NULL ? strlen(*bag) : 0;
    size_t room = value != NULL ? key_len + strlen(value) + 2 : 0;
    char *grown = value != NULL ? realloc(*bag, used + room) : NULL;

    if (grown != NULL) {
        snprintf(grown + used, room, "%s%s;", key, value);
        *bag = grown;
    }
    free(value);
    return grown != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* The value text of type in bag and its length, or NULL. */
static const char *bag_find(const char *bag, CK_ATTRIBUTE_TYPE type,
                            size_t *len)
{
    char key[BAG_KEY_MAX];
    size_t key_len = bag_key(type, key);

    for (const char *entry = bag; entry != NULL && *entry != '\0';) {
        const char *end = strchr(entry, ';');

        if (end == NULL)
            return NULL;
        if (strncmp(entry, key, key_len) == 0) {
            *len = (size_t)(end - entry) - key_len;
            return entry + key_len;
        }
        entry = end + 1;
    }
    return NULL;
}

static bool read_bytes(const char *hex, size_t len, p11_attr_value *out)
{
    uint8_t *bytes;
    size_t bytes_len;

    if (!p11_hex_decode(hex, len, &bytes, &bytes_len))
        return false;
    out->owned = OPENSSL_memdup(bytes, bytes_len > 0 ? bytes_len : 1);
    free(bytes);
    out->data = out->owned;
    out->len = bytes_len;
    return out->owned != NULL;
}

bool p11_bag_read(const char *bag, const p11_attr_entry *entry,
                  p11_attr_value *out)
{
    size_t len = 0;
    const char *value = bag != NULL ? bag_find(bag, entry->type, &len) : NULL;

    if (value == NULL)
        return false;
    switch (entry->form) {
    case FORM_BOOL:
        out->value_bool = value[0] == '1' ? CK_TRUE : CK_FALSE;
        out->data = &out->value_bool;
        out->len = sizeof(CK_BBOOL);
        return true;
    case FORM_ULONG:
        out->value_ulong = strtoul(value, NULL, 10);
        out->data = &out->value_ulong;
        out->len = sizeof(CK_ULONG);
        return true;
    default:
        return read_bytes(value, len, out);
    }
}
