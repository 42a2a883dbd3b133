/* SPDX-License-Identifier: Apache-2.0 */
#include "ecdsa_sig.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/crypto.h>

CK_RV p11_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t order_len,
                           uint8_t *raw, size_t raw_len)
{
    const unsigned char *cursor = der;
    const BIGNUM *r;
    const BIGNUM *s;
    CK_RV rv = CKR_DEVICE_ERROR;

    if (raw_len < 2 * order_len)
        return CKR_BUFFER_TOO_SMALL;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &cursor, (long)der_len);
    if (sig == NULL)
        return CKR_DEVICE_ERROR;
    ECDSA_SIG_get0(sig, &r, &s);
    if (cursor == der + der_len &&
        BN_bn2binpad(r, raw, (int)order_len) == (int)order_len &&
        BN_bn2binpad(s, raw + order_len, (int)order_len) == (int)order_len)
        rv = CKR_OK;
    ECDSA_SIG_free(sig);
    return rv;
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

/* Written by hand: ECDSA_SIG and its BIGNUMs cost a tenth of a Sign's
 * client-side instructions. */
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
