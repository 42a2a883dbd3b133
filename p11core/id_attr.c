/* SPDX-License-Identifier: Apache-2.0 */
/* Bytes in custom attributes (x-pkcs11-id for CKA_ID, x-pkcs11-public-key
 * for a private key's public half): lowercase hex text, which every
 * server that takes custom attributes stores (PyKMIP reads custom values
 * as text only). A Byte String value is read too. */
#include "attrmap.h"

#include <stdlib.h>
#include <string.h>

char *p11_hex_encode(const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char *hex = malloc(2 * len + 1);

    if (hex == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        hex[2 * i] = digits[data[i] >> 4];
        hex[2 * i + 1] = digits[data[i] & 0x0f];
    }
    hex[2 * len] = '\0';
    return hex;
}

kmip_item *p11_hex_attr_add(kmip_item *attrs, const char *name,
                            const uint8_t *data, size_t len)
{
    char *hex = p11_hex_encode(data, len);
    kmip_item *added =
        hex != NULL ? kmip_attrs_add_custom_text(attrs, name, hex) : NULL;

    free(hex);
    return added;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool p11_hex_decode(const char *hex, size_t len, uint8_t **out, size_t *out_len)
{
    uint8_t *bytes;

    if (len % 2 != 0)
        return false;
    bytes = malloc(len / 2 + 1);
    if (bytes == NULL)
        return false;
    for (size_t i = 0; i < len / 2; i++) {
        int high = hex_value(hex[2 * i]);
        int low = hex_value(hex[2 * i + 1]);

        if (high < 0 || low < 0) {
            free(bytes);
            return false;
        }
        bytes[i] = (uint8_t)(high << 4 | low);
    }
    *out = bytes;
    *out_len = len / 2;
    return true;
}

bool p11_hex_attr_get(const kmip_item *attrs, const char *name, uint8_t **id,
                      size_t *len)
{
    const char *text;
    const uint8_t *bytes;

    if (kmip_attrs_get_custom_text(attrs, name, &text, NULL) == KMIP_OK)
        return p11_hex_decode(text, strlen(text), id, len);
    if (kmip_attrs_get_custom_bytes(attrs, name, &bytes, len, NULL) != KMIP_OK)
        return false;
    *id = malloc(*len > 0 ? *len : 1);
    if (*id != NULL && *len > 0)
        memcpy(*id, bytes, *len);
    return *id != NULL;
}

kmip_item *p11_id_attr_add(kmip_item *attrs, const uint8_t *id, size_t len)
{
    return p11_hex_attr_add(attrs, P11_ID_ATTRIBUTE, id, len);
}

bool p11_id_attr_get(const kmip_item *attrs, uint8_t **id, size_t *len)
{
    return p11_hex_attr_get(attrs, P11_ID_ATTRIBUTE, id, len);
}
