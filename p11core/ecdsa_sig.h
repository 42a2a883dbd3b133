/* SPDX-License-Identifier: Apache-2.0 */
/* ECDSA signature forms: KMIP servers and OpenSSL speak DER
 * (SEQUENCE { r INTEGER, s INTEGER }); PKCS#11 speaks r || s, each padded
 * to the byte length of the curve order. */
#ifndef P11CORE_ECDSA_SIG_H
#define P11CORE_ECDSA_SIG_H

#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

/* Writes r || s (2 * order_len bytes) from a DER signature into raw,
 * which holds raw_len bytes. CKR_OK; CKR_BUFFER_TOO_SMALL when raw_len is
 * short; CKR_DEVICE_ERROR when der is not a valid signature for an order of
 * order_len bytes (the server sent garbage). */
CK_RV p11_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t order_len,
                           uint8_t *raw, size_t raw_len);

/* The largest order length (bytes) the encoders take: P-521's 66 and
 * room to spare, with every length of the DER in one byte. */
#define P11_ECDSA_ORDER_MAX 120

/* Encodes r || s (raw_len bytes, even, at most 2 * P11_ECDSA_ORDER_MAX)
 * as DER into der (der_size bytes; NULL: only *der_len is set). CKR_OK;
 * CKR_SIGNATURE_LEN_RANGE for a raw_len it does not take;
 * CKR_BUFFER_TOO_SMALL when der_size is short. */
CK_RV p11_ecdsa_raw_to_der_into(const uint8_t *raw, size_t raw_len,
                                uint8_t *der, size_t der_size, size_t *der_len);

/* Encodes r || s (raw_len bytes, even) as DER into *der, which the caller
 * frees with OPENSSL_free. CKR_OK; CKR_SIGNATURE_LEN_RANGE when raw_len is
 * not 2 * order_len; CKR_HOST_MEMORY. */
CK_RV p11_ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, size_t order_len,
                           uint8_t **der, size_t *der_len);

#endif
