/* SPDX-License-Identifier: Apache-2.0 */
/* MAC, MAC Verify (HMAC) and RNG Retrieve. */
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

/* The hash of the HMAC to compute: the key's HMAC algorithm, which the
 * parameters may repeat but not contradict; for a key of no HMAC
 * algorithm, the parameters' HMAC algorithm or Hashing Algorithm. */
static kmip_rc hmac_md(uint32_t algorithm, const kmipd_crypto_params *p,
                       const EVP_MD **md, kmip_status *status)
{
    uint32_t hash = kmipd_hmac_hash(algorithm);
    uint32_t asked = kmipd_hmac_hash(p->cryptographic_algorithm);
    if (p->cryptographic_algorithm != 0 && asked == 0)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
            "MAC with Cryptographic Algorithm %u (HMAC only)",
            p->cryptographic_algorithm);
    if (asked == 0)
        asked = p->hashing_algorithm;
    if (hash == 0)
        hash = asked;
    if (hash == 0 || (asked != 0 && asked != hash))
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
            "the HMAC hash is missing or contradicts the key's algorithm");
    *md = kmipd_hash_md(hash);
    if (*md == NULL)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "HMAC with hash %u", hash);
    return KMIP_OK;
}

kmip_rc kmipd_mac(const uint8_t *key, size_t key_len, uint32_t algorithm,
                  const kmipd_crypto_params *params, const uint8_t *data,
                  size_t len, kmipd_buf *mac, kmip_status *status)
{
    const EVP_MD *md = NULL;
    kmip_rc rc = hmac_md(algorithm, params, &md, status);
    if (rc != KMIP_OK)
        return rc;
    if (key_len == 0)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "an empty HMAC key");
    if (!kmipd_buf_alloc(mac, EVP_MAX_MD_SIZE) ||
        EVP_Q_mac(NULL, "HMAC", NULL, EVP_MD_get0_name(md), NULL, key, key_len,
                  data, len, mac->data, mac->len, &mac->len) == NULL) {
        kmipd_buf_clear(mac);
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE, "HMAC failed");
    }
    return KMIP_OK;
}

kmip_rc kmipd_mac_verify(const uint8_t *key, size_t key_len, uint32_t algorithm,
                         const kmipd_crypto_params *params, const uint8_t *data,
                         size_t len, const uint8_t *mac, size_t mac_len,
                         bool *valid, kmip_status *status)
{
    kmipd_buf expected = {0};
    *valid = false;
    kmip_rc rc = kmipd_mac(key, key_len, algorithm, params, data, len,
                           &expected, status);
    if (rc != KMIP_OK)
        return rc;
    *valid = mac_len == expected.len &&
             CRYPTO_memcmp(mac, expected.data, mac_len) == 0;
    kmipd_buf_clear(&expected);
    return KMIP_OK;
}

kmip_rc kmipd_random(int32_t len, kmipd_buf *out, kmip_status *status)
{
    if (len < 1 || len > KMIPD_RNG_MAX)
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_INVALID_FIELD,
                                 "Data Length %d (1 to %d)", (int)len,
                                 KMIPD_RNG_MAX);
    if (!kmipd_buf_alloc(out, (size_t)len) || RAND_bytes(out->data, len) != 1) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(status,
                                 KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE,
                                 "the random generator failed");
    }
    return KMIP_OK;
}
