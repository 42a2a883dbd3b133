/* SPDX-License-Identifier: Apache-2.0 */
/* What every crypto_*.c file needs: buffers, failures, the hash table and
 * the mapping of 2.x Result Reasons for 1.x clients. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "kmip/tags.h"

#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

void kmipd_buf_clear(kmipd_buf *buf)
{
    if (buf == NULL)
        return;
    if (buf->data != NULL)
        OPENSSL_clear_free(buf->data, buf->len);
    buf->data = NULL;
    buf->len = 0;
}

bool kmipd_buf_alloc(kmipd_buf *buf, size_t len)
{
    buf->data = OPENSSL_zalloc(len > 0 ? len : 1);
    buf->len = buf->data != NULL ? len : 0;
    return buf->data != NULL;
}

bool kmipd_buf_set(kmipd_buf *buf, const uint8_t *data, size_t len)
{
    if (!kmipd_buf_alloc(buf, len))
        return false;
    if (len > 0)
        memcpy(buf->data, data, len);
    return true;
}

kmip_rc kmipd_crypto_fail(kmip_status *status, uint32_t reason, const char *fmt,
                          ...)
{
    ERR_clear_error();
    if (status == NULL)
        return KMIP_E_RESULT;
    status->rc = KMIP_E_RESULT;
    status->result_status = KMIP_STATUS_OPERATION_FAILED;
    status->result_reason = reason;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(status->message, sizeof(status->message), fmt, ap);
    va_end(ap);
    return KMIP_E_RESULT;
}

/* 2.x reasons and what a 1.x client is told instead. */
static const struct {
    uint32_t v2;
    uint32_t v1;
} reason_for_v1[] = {
    {KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
     KMIP_RESULT_REASON_INVALID_FIELD},
    {KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
     KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED},
    /* As the OASIS test cases answer (CS-BC-M-11..13). */
    {KMIP_RESULT_REASON_MISSING_INITIALIZATION_VECTOR,
     KMIP_RESULT_REASON_INVALID_MESSAGE},
    {KMIP_RESULT_REASON_INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK,
     KMIP_RESULT_REASON_PERMISSION_DENIED},
    {KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
     KMIP_RESULT_REASON_ILLEGAL_OPERATION},
    {KMIP_RESULT_REASON_ILLEGAL_OBJECT_TYPE,
     KMIP_RESULT_REASON_ILLEGAL_OPERATION},
    {KMIP_RESULT_REASON_INVALID_ATTRIBUTE_VALUE,
     KMIP_RESULT_REASON_INVALID_FIELD},
    {KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
     KMIP_RESULT_REASON_PERMISSION_DENIED},
    {KMIP_RESULT_REASON_INTERNAL_SERVER_ERROR,
     KMIP_RESULT_REASON_GENERAL_FAILURE},
    {KMIP_RESULT_REASON_INVALID_CORRELATION_VALUE,
     KMIP_RESULT_REASON_INVALID_FIELD},
    {KMIP_RESULT_REASON_SERVER_LIMIT_EXCEEDED,
     KMIP_RESULT_REASON_GENERAL_FAILURE},
};

uint32_t kmipd_crypto_reason_for_version(uint32_t reason, bool v2)
{
    if (v2)
        return reason;
    for (size_t i = 0; i < sizeof(reason_for_v1) / sizeof(*reason_for_v1);
         i++) {
        if (reason_for_v1[i].v2 == reason)
            return reason_for_v1[i].v1;
    }
    return reason;
}

static struct {
    uint32_t kmip;
    const char *name;
    EVP_MD *md;
} hashes[] = {
    {KMIP_HASHING_ALGORITHM_SHA_1, "SHA1", NULL},
    {KMIP_HASHING_ALGORITHM_SHA_224, "SHA2-224", NULL},
    {KMIP_HASHING_ALGORITHM_SHA_256, "SHA2-256", NULL},
    {KMIP_HASHING_ALGORITHM_SHA_384, "SHA2-384", NULL},
    {KMIP_HASHING_ALGORITHM_SHA_512, "SHA2-512", NULL},
    {KMIP_HASHING_ALGORITHM_SHA_512_224, "SHA2-512/224", NULL},
    {KMIP_HASHING_ALGORITHM_SHA_512_256, "SHA2-512/256", NULL},
    {KMIP_HASHING_ALGORITHM_SHA3_224, "SHA3-224", NULL},
    {KMIP_HASHING_ALGORITHM_SHA3_256, "SHA3-256", NULL},
    {KMIP_HASHING_ALGORITHM_SHA3_384, "SHA3-384", NULL},
    {KMIP_HASHING_ALGORITHM_SHA3_512, "SHA3-512", NULL},
};

#define HASH_COUNT (sizeof(hashes) / sizeof(*hashes))

static pthread_once_t hashes_once = PTHREAD_ONCE_INIT;

static void fetch_hashes(void)
{
    for (size_t i = 0; i < HASH_COUNT; i++)
        hashes[i].md = EVP_MD_fetch(NULL, hashes[i].name, NULL);
}

const EVP_MD *kmipd_hash_md(uint32_t hashing_algorithm)
{
    pthread_once(&hashes_once, fetch_hashes);
    for (size_t i = 0; i < HASH_COUNT; i++) {
        if (hashes[i].kmip == hashing_algorithm)
            return hashes[i].md;
    }
    return NULL;
}

uint32_t kmipd_hmac_hash(uint32_t algorithm)
{
    static const struct {
        uint32_t hmac;
        uint32_t hash;
    } hmacs[] = {
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA1, KMIP_HASHING_ALGORITHM_SHA_1},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA224,
         KMIP_HASHING_ALGORITHM_SHA_224},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256,
         KMIP_HASHING_ALGORITHM_SHA_256},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA384,
         KMIP_HASHING_ALGORITHM_SHA_384},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA512,
         KMIP_HASHING_ALGORITHM_SHA_512},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA3_224,
         KMIP_HASHING_ALGORITHM_SHA3_224},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA3_256,
         KMIP_HASHING_ALGORITHM_SHA3_256},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA3_384,
         KMIP_HASHING_ALGORITHM_SHA3_384},
        {KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA3_512,
         KMIP_HASHING_ALGORITHM_SHA3_512},
    };
    for (size_t i = 0; i < sizeof(hmacs) / sizeof(*hmacs); i++) {
        if (hmacs[i].hmac == algorithm)
            return hmacs[i].hash;
    }
    return 0;
}
