/* SPDX-License-Identifier: Apache-2.0 */
/* Digests: the Hash operation, and the Digest attribute the server keeps
 * for an object with key material (SHA-256 of the material in its default
 * Key Format Type: PKCS#1 for RSA keys, as stored for the others). */
#include <openssl/evp.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/attributes.h"
#include "kmipd/crypto.h"
#include "kmipd/crypto_internal.h"

kmip_rc kmipd_hash(uint32_t hashing_algorithm, const uint8_t *data, size_t len,
                   kmipd_buf *out, kmip_status *status)
{
    const EVP_MD *md = kmipd_hash_md(hashing_algorithm);
    unsigned int n = 0;
    if (md == NULL)
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
            "Hashing Algorithm %u", hashing_algorithm);
    if (!kmipd_buf_alloc(out, (size_t)EVP_MD_get_size(md)))
        return kmipd_crypto_fail(status, KMIP_RESULT_REASON_GENERAL_FAILURE,
                                 "out of memory");
    if (EVP_Digest(data, len, out->data, &n, md, NULL) != 1) {
        kmipd_buf_clear(out);
        return kmipd_crypto_fail(
            status, KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE, "hashing failed");
    }
    return KMIP_OK;
}

static bool is_rsa_key(const kmip_item *attrs, uint32_t object_type)
{
    uint32_t algorithm = 0;
    return (object_type == KMIP_OBJECT_TYPE_PUBLIC_KEY ||
            object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY) &&
           kmip_attrs_get_algorithm(attrs, &algorithm, NULL) == KMIP_OK &&
           algorithm == KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA;
}

static kmip_item *digest_of(const uint8_t *material, size_t len,
                            uint32_t format)
{
    uint8_t digest[32];
    if (EVP_Digest(material, len, digest, NULL, EVP_sha256(), NULL) != 1)
        return NULL;
    kmip_item *attr = kmip_item_new_structure(KMIP_TAG_DIGEST);
    bool ok =
        kmip_item_add(
            attr, kmip_item_new_enum(KMIP_TAG_HASHING_ALGORITHM,
                                     KMIP_HASHING_ALGORITHM_SHA_256)) != NULL &&
        kmip_item_add(attr, kmip_item_new_bytes(KMIP_TAG_DIGEST_VALUE, digest,
                                                sizeof(digest))) != NULL;
    if (ok && format != 0)
        ok = kmip_item_add(attr, kmip_item_new_enum(KMIP_TAG_KEY_FORMAT_TYPE,
                                                    format)) != NULL;
    if (!ok) {
        kmip_item_free(attr);
        return NULL;
    }
    return attr;
}

bool kmipd_digest_attribute(kmip_item *attrs, uint32_t object_type,
                            const uint8_t *material, size_t len,
                            uint32_t format)
{
    kmipd_buf pkcs1 = {0};
    kmip_status status;
    if (material == NULL || len == 0)
        return true;
    if (is_rsa_key(attrs, object_type) &&
        kmipd_key_export(object_type, material, len,
                         KMIP_KEY_FORMAT_TYPE_PKCS_1, &pkcs1,
                         &status) == KMIP_OK) {
        material = pkcs1.data;
        len = pkcs1.len;
        format = KMIP_KEY_FORMAT_TYPE_PKCS_1;
    }
    kmip_item *attr = digest_of(material, len, format);
    kmipd_buf_clear(&pkcs1);
    if (attr == NULL)
        return false;
    kmipd_attrs_remove(attrs, KMIP_TAG_DIGEST);
    return kmipd_attrs_put(attrs, attr);
}
