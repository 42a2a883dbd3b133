/* SPDX-License-Identifier: Apache-2.0 */
#include "ecdsa_sig.h"

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

CK_RV p11_ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, size_t order_len,
                           uint8_t **der, size_t *der_len)
{
    if (order_len == 0 || raw_len != 2 * order_len)
        return CKR_SIGNATURE_LEN_RANGE;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)order_len, NULL);
    BIGNUM *s = BN_bin2bn(raw + order_len, (int)order_len, NULL);
    if (sig == NULL || r == NULL || s == NULL ||
        ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return CKR_HOST_MEMORY;
    }
    unsigned char *encoded = NULL;
    int encoded_len = i2d_ECDSA_SIG(sig, &encoded);
    ECDSA_SIG_free(sig);
    if (encoded_len <= 0)
        return CKR_HOST_MEMORY;
    *der = encoded;
    *der_len = (size_t)encoded_len;
    return CKR_OK;
}
