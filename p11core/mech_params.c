/* SPDX-License-Identifier: Apache-2.0 */
#include "mech_params.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kmip/tags.h"

#define ALG(name) KMIP_CRYPTOGRAPHIC_ALGORITHM_##name
#define MODE(name) KMIP_BLOCK_CIPHER_MODE_##name
#define PAD(name) KMIP_PADDING_METHOD_##name
#define HASH(name) KMIP_HASHING_ALGORITHM_##name

/* Rows of the families: hashing mechanisms take the message, the others
 * a hash or DigestInfo. */
#define RSA(mechanism, pad, hash, param, input)                                \
    {                                                                          \
        mechanism, CKK_RSA, ALG(RSA), 0, PAD(pad), hash, param, input          \
    }
#define RSA_HASHING(mechanism, pad, hash, param)                               \
    RSA(mechanism, pad, HASH(hash), param, P11_INPUT_MESSAGE)
#define ECDSA(mechanism, hash, input)                                          \
    {                                                                          \
        mechanism, CKK_EC, ALG(ECDSA), 0, 0, hash, P11_PARAM_NONE, input       \
    }
#define AES(mechanism, mode, pad, param)                                       \
    {                                                                          \
        mechanism, CKK_AES, ALG(AES), MODE(mode), PAD(pad), 0, param,          \
            P11_INPUT_MESSAGE                                                  \
    }
#define HMAC_ROW(mechanism, algorithm, hash, param)                            \
    {                                                                          \
        mechanism, CKK_GENERIC_SECRET, ALG(algorithm), 0, 0, HASH(hash),       \
            param, P11_INPUT_MESSAGE                                           \
    }
#define HMAC(mechanism, algorithm, hash)                                       \
    HMAC_ROW(mechanism, algorithm, hash, P11_PARAM_NONE),                      \
        HMAC_ROW(mechanism##_GENERAL, algorithm, hash, P11_PARAM_MAC_LENGTH)

static const p11_mech_kmip mechs[] = {
    RSA(CKM_RSA_PKCS, PKCS1V15, 0, P11_PARAM_NONE, P11_INPUT_DIGEST_INFO),
    RSA_HASHING(CKM_SHA1_RSA_PKCS, PKCS1V15, SHA_1, P11_PARAM_NONE),
    RSA_HASHING(CKM_SHA224_RSA_PKCS, PKCS1V15, SHA_224, P11_PARAM_NONE),
    RSA_HASHING(CKM_SHA256_RSA_PKCS, PKCS1V15, SHA_256, P11_PARAM_NONE),
    RSA_HASHING(CKM_SHA384_RSA_PKCS, PKCS1V15, SHA_384, P11_PARAM_NONE),
    RSA_HASHING(CKM_SHA512_RSA_PKCS, PKCS1V15, SHA_512, P11_PARAM_NONE),
    RSA(CKM_RSA_PKCS_PSS, PSS, 0, P11_PARAM_PSS, P11_INPUT_HASH),
    RSA_HASHING(CKM_SHA1_RSA_PKCS_PSS, PSS, SHA_1, P11_PARAM_PSS),
    RSA_HASHING(CKM_SHA224_RSA_PKCS_PSS, PSS, SHA_224, P11_PARAM_PSS),
    RSA_HASHING(CKM_SHA256_RSA_PKCS_PSS, PSS, SHA_256, P11_PARAM_PSS),
    RSA_HASHING(CKM_SHA384_RSA_PKCS_PSS, PSS, SHA_384, P11_PARAM_PSS),
    RSA_HASHING(CKM_SHA512_RSA_PKCS_PSS, PSS, SHA_512, P11_PARAM_PSS),
    RSA(CKM_RSA_PKCS_OAEP, OAEP, 0, P11_PARAM_OAEP, P11_INPUT_MESSAGE),
    RSA(CKM_RSA_X_509, NONE, 0, P11_PARAM_NONE, P11_INPUT_RAW),
    ECDSA(CKM_ECDSA, 0, P11_INPUT_HASH),
    ECDSA(CKM_ECDSA_SHA1, HASH(SHA_1), P11_INPUT_MESSAGE),
    ECDSA(CKM_ECDSA_SHA224, HASH(SHA_224), P11_INPUT_MESSAGE),
    ECDSA(CKM_ECDSA_SHA256, HASH(SHA_256), P11_INPUT_MESSAGE),
    ECDSA(CKM_ECDSA_SHA384, HASH(SHA_384), P11_INPUT_MESSAGE),
    ECDSA(CKM_ECDSA_SHA512, HASH(SHA_512), P11_INPUT_MESSAGE),
    /* Pure EdDSA: the key says Ed25519 or Ed448; no parameters. */
    {CKM_EDDSA, CKK_EC_EDWARDS, 0, 0, 0, 0, P11_PARAM_NONE, P11_INPUT_MESSAGE},
    AES(CKM_AES_ECB, ECB, NONE, P11_PARAM_NONE),
    AES(CKM_AES_CBC, CBC, NONE, P11_PARAM_IV),
    AES(CKM_AES_CBC_PAD, CBC, PKCS5, P11_PARAM_IV),
    AES(CKM_AES_CTR, CTR, NONE, P11_PARAM_CTR),
    AES(CKM_AES_GCM, GCM, NONE, P11_PARAM_GCM),
    /* Key wrapping (wrap_mech.c): the default IV only. */
    AES(CKM_AES_KEY_WRAP, NIST_KEY_WRAP, NONE, P11_PARAM_KW_IV),
    AES(CKM_AES_KEY_WRAP_PAD, AES_KEY_WRAP_PADDING, NONE, P11_PARAM_KW_IV),
    HMAC(CKM_SHA_1_HMAC, HMAC_SHA1, SHA_1),
    HMAC(CKM_SHA224_HMAC, HMAC_SHA224, SHA_224),
    HMAC(CKM_SHA256_HMAC, HMAC_SHA256, SHA_256),
    HMAC(CKM_SHA384_HMAC, HMAC_SHA384, SHA_384),
    HMAC(CKM_SHA512_HMAC, HMAC_SHA512, SHA_512),
};

#define AES_BLOCK 16
/* Bounds this module puts on what PKCS#11 leaves open. */
#define GCM_IV_MAX 128
#define LABEL_MAX 4096
#define AAD_MAX (1u << 20)

const p11_mech_kmip *p11_mech_kmip_find(CK_MECHANISM_TYPE mechanism)
{
    for (size_t i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++)
        if (mechs[i].mechanism == mechanism)
            return &mechs[i];
    return NULL;
}

/* Copies len bytes (none when len is 0) into *out; false when memory runs
 * out. */
static int copy_bytes(const void *src, size_t len, uint8_t **out,
                      size_t *out_len)
{
    *out_len = len;
    if (len == 0)
        return 1;
    *out = malloc(len);
    if (*out == NULL)
        return 0;
    memcpy(*out, src, len);
    return 1;
}

#define PARAM_AS(mechanism, type)                                              \
    ((mechanism)->ulParameterLen == sizeof(type) &&                            \
             (mechanism)->pParameter != NULL                                   \
         ? (const type *)(mechanism)->pParameter                               \
         : NULL)

static CK_RV pss_params(const CK_MECHANISM *mechanism, p11_kmip_params *out)
{
    const CK_RSA_PKCS_PSS_PARAMS *pss =
        PARAM_AS(mechanism, CK_RSA_PKCS_PSS_PARAMS);
    if (pss == NULL)
        return CKR_MECHANISM_PARAM_INVALID;
    const p11_hash *hash = p11_hash_by_mechanism(pss->hashAlg);
    const p11_hash *mgf_hash = p11_hash_by_mgf1(pss->mgf);
    /* A hashing mechanism's own hash and the parameters' must agree. */
    if (hash == NULL || mgf_hash == NULL || pss->sLen > INT32_MAX ||
        (out->hash != 0 && out->hash != hash->kmip))
        return CKR_MECHANISM_PARAM_INVALID;
    out->hash = hash->kmip;
    out->mask_generator = KMIP_MASK_GENERATOR_MGF1;
    out->mask_generator_hash = mgf_hash->kmip;
    out->salt_length = (int32_t)pss->sLen;
    return CKR_OK;
}

static CK_RV oaep_params(const CK_MECHANISM *mechanism, p11_kmip_params *out)
{
    const CK_RSA_PKCS_OAEP_PARAMS *oaep =
        PARAM_AS(mechanism, CK_RSA_PKCS_OAEP_PARAMS);
    if (oaep == NULL)
        return CKR_MECHANISM_PARAM_INVALID;
    const p11_hash *hash = p11_hash_by_mechanism(oaep->hashAlg);
    const p11_hash *mgf_hash = p11_hash_by_mgf1(oaep->mgf);
    int label_ok =
        oaep->ulSourceDataLen == 0 ||
        (oaep->source == CKZ_DATA_SPECIFIED && oaep->pSourceData != NULL &&
         oaep->ulSourceDataLen <= LABEL_MAX);
    int source_ok = oaep->source == CKZ_DATA_SPECIFIED || oaep->source == 0;
    if (hash == NULL || mgf_hash == NULL || !label_ok || !source_ok)
        return CKR_MECHANISM_PARAM_INVALID;
    out->hash = hash->kmip;
    out->mask_generator = KMIP_MASK_GENERATOR_MGF1;
    out->mask_generator_hash = mgf_hash->kmip;
    if (!copy_bytes(oaep->pSourceData, oaep->ulSourceDataLen, &out->p_source,
                    &out->p_source_len))
        return CKR_HOST_MEMORY;
    return CKR_OK;
}

static CK_RV iv_params(const CK_MECHANISM *mechanism, p11_kmip_params *out)
{
    if (mechanism->pParameter == NULL || mechanism->ulParameterLen != AES_BLOCK)
        return CKR_MECHANISM_PARAM_INVALID;
    if (!copy_bytes(mechanism->pParameter, AES_BLOCK, &out->iv, &out->iv_len))
        return CKR_HOST_MEMORY;
    return CKR_OK;
}

static CK_RV ctr_params(const CK_MECHANISM *mechanism, p11_kmip_params *out)
{
    const CK_AES_CTR_PARAMS *ctr = PARAM_AS(mechanism, CK_AES_CTR_PARAMS);
    if (ctr == NULL || ctr->ulCounterBits == 0 ||
        ctr->ulCounterBits > AES_BLOCK * 8)
        return CKR_MECHANISM_PARAM_INVALID;
    out->counter_length = (int32_t)ctr->ulCounterBits;
    if (!copy_bytes(ctr->cb, AES_BLOCK, &out->iv, &out->iv_len))
        return CKR_HOST_MEMORY;
    return CKR_OK;
}

static int gcm_tag_bits_valid(CK_ULONG bits)
{
    /* NIST SP 800-38D: 128, 120, 112, 104, 96, and 64 or 32 for some
     * uses; KMIP counts the tag in bytes. */
    return bits == 32 || bits == 64 ||
           (bits >= 96 && bits <= 128 && bits % 8 == 0);
}

/* CK_GCM_PARAMS as some headers had it before PKCS#11 v2.40 errata 01
 * added ulIvBits (NSS passes this layout as CK_NSS_GCM_PARAMS). */
typedef struct gcm_params_without_iv_bits {
    CK_BYTE_PTR pIv;
    CK_ULONG ulIvLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG ulAADLen;
    CK_ULONG ulTagBits;
} gcm_params_without_iv_bits;

/* The GCM parameters in either layout; false when neither fits. */
static bool read_gcm(const CK_MECHANISM *mechanism, CK_GCM_PARAMS *gcm)
{
    const CK_GCM_PARAMS *current = PARAM_AS(mechanism, CK_GCM_PARAMS);
    const gcm_params_without_iv_bits *older =
        PARAM_AS(mechanism, gcm_params_without_iv_bits);
    if (current != NULL)
        *gcm = *current;
    else if (older != NULL)
        *gcm = (CK_GCM_PARAMS){older->pIv,  older->ulIvLen,  0,
                               older->pAAD, older->ulAADLen, older->ulTagBits};
    return current != NULL || older != NULL;
}

static CK_RV gcm_params(const CK_MECHANISM *mechanism, p11_kmip_params *out)
{
    CK_GCM_PARAMS gcm;
    if (!read_gcm(mechanism, &gcm) || gcm.pIv == NULL || gcm.ulIvLen == 0 ||
        gcm.ulIvLen > GCM_IV_MAX || (gcm.ulAADLen > 0 && gcm.pAAD == NULL) ||
        gcm.ulAADLen > AAD_MAX || !gcm_tag_bits_valid(gcm.ulTagBits))
        return CKR_MECHANISM_PARAM_INVALID;
    out->tag_length = (int32_t)(gcm.ulTagBits / 8);
    if (!copy_bytes(gcm.pIv, gcm.ulIvLen, &out->iv, &out->iv_len) ||
        !copy_bytes(gcm.pAAD, gcm.ulAADLen, &out->aad, &out->aad_len))
        return CKR_HOST_MEMORY;
    return CKR_OK;
}

/* CK_MAC_GENERAL_PARAMS: 1 to the hash's length bytes of the HMAC. */
static CK_RV mac_length_params(const CK_MECHANISM *mechanism,
                               p11_kmip_params *out)
{
    const CK_ULONG *length = PARAM_AS(mechanism, CK_ULONG);
    if (length == NULL || *length == 0 ||
        *length > p11_hash_by_kmip(out->hash)->length)
        return CKR_MECHANISM_PARAM_INVALID;
    out->mac_length = *length;
    return CKR_OK;
}

/* The default IVs of RFC 3394 (2.2.3.1) and RFC 5649 (3, its first
 * half). */
static const uint8_t kw_iv[] = {0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6};
static const uint8_t kwp_iv[] = {0xa6, 0x59, 0x59, 0xa6};

static CK_RV kw_iv_params(const CK_MECHANISM *mechanism, p11_kmip_params *out)
{
    bool pad = out->mode == KMIP_BLOCK_CIPHER_MODE_AES_KEY_WRAP_PADDING;
    const uint8_t *iv = pad ? kwp_iv : kw_iv;
    size_t len = pad ? sizeof(kwp_iv) : sizeof(kw_iv);
    if (mechanism->pParameter == NULL && mechanism->ulParameterLen == 0)
        return CKR_OK;
    return mechanism->pParameter != NULL && mechanism->ulParameterLen == len &&
                   memcmp(mechanism->pParameter, iv, len) == 0
               ? CKR_OK
               : CKR_MECHANISM_PARAM_INVALID;
}

static CK_RV no_params(const CK_MECHANISM *mechanism, p11_kmip_params *out)
{
    (void)out;
    if (mechanism->pParameter != NULL || mechanism->ulParameterLen != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    return CKR_OK;
}

/* The reader of each parameter kind. */
typedef CK_RV param_reader(const CK_MECHANISM *mechanism, p11_kmip_params *out);
static param_reader *const param_readers[] = {
    [P11_PARAM_NONE] = no_params,
    [P11_PARAM_PSS] = pss_params,
    [P11_PARAM_OAEP] = oaep_params,
    [P11_PARAM_IV] = iv_params,
    [P11_PARAM_CTR] = ctr_params,
    [P11_PARAM_GCM] = gcm_params,
    [P11_PARAM_MAC_LENGTH] = mac_length_params,
    [P11_PARAM_KW_IV] = kw_iv_params,
};

CK_RV p11_kmip_params_from_mechanism(const CK_MECHANISM *mechanism,
                                     p11_kmip_params *params)
{
    memset(params, 0, sizeof(*params));
    params->salt_length = -1;
    if (mechanism == NULL)
        return CKR_ARGUMENTS_BAD;
    const p11_mech_kmip *mech = p11_mech_kmip_find(mechanism->mechanism);
    if (mech == NULL)
        return CKR_MECHANISM_INVALID;
    params->mech = mech;
    params->algorithm = mech->algorithm;
    params->mode = mech->mode;
    params->padding = mech->padding;
    params->hash = mech->hash;

    CK_RV rv = param_readers[mech->param](mechanism, params);
    if (rv == CKR_OK && params->hash != 0)
        p11_kmip_params_set_hash(params, p11_hash_by_kmip(params->hash));
    if (rv == CKR_OK && mech->key_type == CKK_GENERIC_SECRET &&
        params->mac_length == 0)
        params->mac_length = p11_hash_by_kmip(params->hash)->length;
    return rv;
}

size_t p11_hmac_mechanisms(uint32_t algorithm, CK_MECHANISM_TYPE out[2])
{
    size_t count = 0;
    for (size_t i = 0; i < sizeof(mechs) / sizeof(mechs[0]) && count < 2; i++)
        if (mechs[i].key_type == CKK_GENERIC_SECRET &&
            mechs[i].algorithm == algorithm)
            out[count++] = mechs[i].mechanism;
    return count;
}

bool p11_hmac_algorithm_fixed(uint32_t algorithm)
{
    CK_MECHANISM_TYPE found[2];
    return p11_hmac_mechanisms(algorithm, found) > 0;
}

void p11_kmip_params_set_hash(p11_kmip_params *params, const p11_hash *hash)
{
    params->hash = hash->kmip;
    params->signature = 0;
    /* PSS has a Digital Signature Algorithm too (RSASSA-PSS), but servers
     * such as PyKMIP take it as naming the hash; padding + hash say it. */
    if (params->algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA &&
        params->padding == KMIP_PADDING_METHOD_PKCS1V15)
        params->signature = hash->rsa_pkcs1_signature;
    else if (params->algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA)
        params->signature = hash->ecdsa_signature;
}

void p11_kmip_params_clear(p11_kmip_params *params)
{
    if (params == NULL)
        return;
    free(params->iv);
    free(params->aad);
    free(params->p_source);
    memset(params, 0, sizeof(*params));
    params->salt_length = -1;
}
