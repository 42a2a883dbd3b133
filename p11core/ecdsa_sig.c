/* SPDX-License-Identifier: Apache-2.0 */
#include "ecdsa_sig.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>

/* Moves *p past the DER header of tag, and sets *len to its content's
 * length, which fits before end. The lengths an ECDSA signature has: the
 * short form, or the long form of one byte (see P11_ECDSA_ORDER_MAX). */
static bool der_header(const uint8_t **p, const uint8_t *end, uint8_t tag,
                       size_t *len)
{
    const uint8_t *q = *p;

    if (end - q < 2 || q[0] != tag)
        return false;
    *len = q[1];
    q += 2;
    if (*len == 0x81 && q < end)
        *len = *q++;
    else if (*len >= 0x80)
        return false;
    if ((size_t)(end - q) < *len)
        return false;
    *p = q;
    return true;
}

/* Reads the DER INTEGER at *p (moving past it), a non-negative number of
 * at most order_len bytes, into out as order_len big-endian bytes. Like
 * d2i_ECDSA_SIG, refuses a 0x00 that is not needed before a high bit. */
static bool der_unsigned(const uint8_t **p, const uint8_t *end, uint8_t *out,
                         size_t order_len)
{
    size_t len;

    if (!der_header(p, end, 0x02, &len) || len == 0 || ((*p)[0] & 0x80) != 0)
        return false;
    const uint8_t *n = *p;
    *p += len;
    if (len > 1 && n[0] == 0) {
        if ((n[1] & 0x80) == 0)
            return false;
        n++;
        len--;
    }
    if (len > order_len)
        return false;
    memset(out, 0, order_len - len);
    memcpy(out + order_len - len, n, len);
    return true;
}

/* Read by hand, as the encoder below writes: d2i_ECDSA_SIG and its
 * BIGNUMs cost a tenth of a Sign's client-side instructions. */
CK_RV p11_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t order_len,
                           uint8_t *raw, size_t raw_len)
{
    const uint8_t *p = der;
    const uint8_t *end = der + der_len;
    size_t len;

    if (raw_len < 2 * order_len)
        return CKR_BUFFER_TOO_SMALL;
    if (!der_header(&p, end, 0x30, &len) || (size_t)(end - p) != len ||
        !der_unsigned(&p, end, raw, order_len) ||
        !der_unsigned(&p, end, raw + order_len, order_len) || p != end)
        return CKR_DEVICE_ERROR;
    return CKR_OK;
}

/* Writes the DER INTEGER of the unsigned big-endian n (len bytes, len >
 * 0) at out unless out is NULL; returns its length. */
static size_t der_integer(const uint8_t *n, size_t len, uint8_t *out)
{
    while (len > 1 && n[0] == 0) {
        n++;
        len--;
    }
    size_t pad = (n[0] & 0x80) != 0; /* a positive number */
    if (out != NULL) {
        out[0] = 0x02;
        out[1] = (uint8_t)(len + pad);
        out[2] = 0;
        memcpy(out + 2 + pad, n, len);
    }
    return 2 + pad + len;
}

/* Written by hand, as the decoder above reads. */
CK_RV p11_ecdsa_raw_to_der_into(const uint8_t *raw, size_t raw_len,
                                uint8_t *der, size_t der_size, size_t *der_len)
{
    size_t half = raw_len / 2;
    if (half == 0 || raw_len % 2 != 0 || half > P11_ECDSA_ORDER_MAX)
        return CKR_SIGNATURE_LEN_RANGE;
    size_t content =
        der_integer(raw, half, NULL) + der_integer(raw + half, half, NULL);
    size_t header = content < 0x80 ? 2 : 3;
    *der_len = header + content;
    if (der == NULL)
        return CKR_OK;
    if (der_size < *der_len)
        return CKR_BUFFER_TOO_SMALL;
    der[0] = 0x30;
    if (header == 3)
        der[1] = 0x81;
    der[header - 1] = (uint8_t)content;
    size_t r_len = der_integer(raw, half, der + header);
    der_integer(raw + half, half, der + header + r_len);
    return CKR_OK;
}

CK_RV p11_ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, size_t order_len,
                           uint8_t **der, size_t *der_len)
{
    if (order_len == 0 || raw_len != 2 * order_len)
        return CKR_SIGNATURE_LEN_RANGE;
    size_t len;
    CK_RV rv = p11_ecdsa_raw_to_der_into(raw, raw_len, NULL, 0, &len);
    if (rv != CKR_OK)
        return rv;
    uint8_t *encoded = OPENSSL_malloc(len);
    if (encoded == NULL)
        return CKR_HOST_MEMORY;
    p11_ecdsa_raw_to_der_into(raw, raw_len, encoded, len, der_len);
    *der = encoded;
    return CKR_OK;
}
