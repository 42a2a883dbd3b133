/* SPDX-License-Identifier: Apache-2.0 */
/* Export: canonical key material converted to the format Get asks for,
 * and the parts of the transparent public key formats. */
#include <openssl/bn.h>
#include <openssl/core_names.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

/* ---- Export. ---- */

static kmip_rc ec_point(const EVP_PKEY *pkey, kmipd_buf *out,
                        kmip_status *status)
{
    size_t len = 0;
    if (!EVP_PKEY_get_octet_string_param(
            pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0, &len) ||
        !kmipd_buf_alloc(out, len) ||
        !EVP_PKEY_get_octet_string_param(pkey,
                                         OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                         out->data, len, &out->len)) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "cannot read the EC point");
    }
    return KMIP_OK;
}

static kmip_rc raw_public(const EVP_PKEY *pkey, kmipd_buf *out,
                          kmip_status *status)
{
    size_t len = 0;
    if (!EVP_PKEY_get_raw_public_key(pkey, NULL, &len) ||
        !kmipd_buf_alloc(out, len) ||
        !EVP_PKEY_get_raw_public_key(pkey, out->data, &out->len)) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "cannot read the public key");
    }
    return KMIP_OK;
}

static kmip_rc export_asymmetric(uint32_t object_type, const EVP_PKEY *pkey,
                                 uint32_t format, kmipd_buf *out,
                                 kmip_status *status)
{
    bool rsa = EVP_PKEY_is_a(pkey, "RSA");
    bool ec = EVP_PKEY_is_a(pkey, "EC");
    bool private_key = object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY;
    int selection = private_key ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    if (format == KMIP_KEY_FORMAT_TYPE_PKCS_8 && private_key)
        return kmipd_encode_private(pkey, out, status);
    /* A private key's X.509 form is its public half. */
    if (format == KMIP_KEY_FORMAT_TYPE_X_509)
        return kmipd_encode_public(pkey, out, status);
    if ((format == KMIP_KEY_FORMAT_TYPE_PKCS_1 && rsa) ||
        (format == KMIP_KEY_FORMAT_TYPE_EC_PRIVATE_KEY && ec && private_key))
        return kmipd_encode_der(pkey, selection, "type-specific", out, status);
    if (format == KMIP_KEY_FORMAT_TYPE_RAW && ec && !private_key)
        return ec_point(pkey, out, status);
    if (format == KMIP_KEY_FORMAT_TYPE_RAW && !private_key &&
        kmipd_raw_curve_of_key(pkey) != NULL)
        return raw_public(pkey, out, status);
    return kmipd_crypto_fail(status,
                             KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                             "key format %u is not available for this %s key",
                             format, EVP_PKEY_get0_type_name(pkey));
}

kmip_rc kmipd_key_export(uint32_t object_type, const uint8_t *canonical,
                         size_t len, uint32_t format, kmipd_buf *out,
                         kmip_status *status)
{
    if (object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY) {
        if (format != KMIP_KEY_FORMAT_TYPE_RAW)
            return kmipd_crypto_fail(
                status, KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                "symmetric keys are exported as Raw, not format %u", format);
        if (!kmipd_buf_set(out, canonical, len))
            return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                     "out of memory");
        return KMIP_OK;
    }
    EVP_PKEY *pkey = NULL;
    kmip_rc rc = kmipd_key_load(object_type, canonical, len, &pkey, status);
    if (rc == KMIP_OK)
        rc = export_asymmetric(object_type, pkey, format, out, status);
    EVP_PKEY_free(pkey);
    return rc;
}

static kmip_rc bn_param(const EVP_PKEY *pkey, const char *name, kmipd_buf *out,
                        kmip_status *status)
{
    BIGNUM *bn = NULL;
    bool ok = EVP_PKEY_get_bn_param(pkey, name, &bn) &&
              kmipd_buf_alloc(out, (size_t)BN_num_bytes(bn));
    if (ok)
        out->len = (size_t)BN_bn2bin(bn, out->data);
    BN_clear_free(bn);
    if (!ok)
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "cannot read the key's %s", name);
    return KMIP_OK;
}

kmip_rc kmipd_key_rsa_public_parts(const uint8_t *canonical, size_t len,
                                   kmipd_buf *n, kmipd_buf *e,
                                   kmip_status *status)
{
    EVP_PKEY *pkey = NULL;
    kmip_rc rc = kmipd_key_load(KMIP_OBJECT_TYPE_PUBLIC_KEY, canonical, len,
                                &pkey, status);
    if (rc == KMIP_OK && !EVP_PKEY_is_a(pkey, "RSA"))
        rc = kmipd_crypto_fail(status,
                               KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                               "Transparent RSA Public Key asked for a %s key",
                               EVP_PKEY_get0_type_name(pkey));
    if (rc == KMIP_OK)
        rc = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, n, status);
    if (rc == KMIP_OK) {
        rc = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, e, status);
        if (rc != KMIP_OK)
            kmipd_buf_clear(n);
    }
    EVP_PKEY_free(pkey);
    return rc;
}

kmip_rc kmipd_key_ec_public_parts(const uint8_t *canonical, size_t len,
                                  uint32_t *curve_id, kmipd_buf *point,
                                  kmip_status *status)
{
    EVP_PKEY *pkey = NULL;
    kmip_rc rc = kmipd_key_load(KMIP_OBJECT_TYPE_PUBLIC_KEY, canonical, len,
                                &pkey, status);
    const kmipd_curve *curve = rc == KMIP_OK && EVP_PKEY_is_a(pkey, "EC")
                                   ? kmipd_curve_of_key(pkey)
                                   : NULL;
    if (curve != NULL) {
        *curve_id = curve->kmip;
        rc = ec_point(pkey, point, status);
    } else if (rc == KMIP_OK) {
        rc = kmipd_crypto_fail(status,
                               KMIP_RESULT_REASON_KEY_FORMAT_TYPE_NOT_SUPPORTED,
                               "Transparent EC Public Key asked for a %s key",
                               EVP_PKEY_get0_type_name(pkey));
    }
    EVP_PKEY_free(pkey);
    return rc;
}
