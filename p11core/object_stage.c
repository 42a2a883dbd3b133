// SPDX-License-Identifier: Apache-2.0
/* Staging an object's cache from what the server answered: its
 * attributes (a Get Attributes answer in either form) and its public
 * material (a Get). object_load.c asks; this file reads. */
#include "object_stage.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "kmip/tags.h"

#include "attr_table.h"
#include "attrmap.h"
#include "session_mark.h"

CK_RV p11_dup_text(const char *text, char **out)
{
    *out = strdup(text);
    return *out != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

static CK_RV dup_bytes(const uint8_t *data, size_t len, uint8_t **out,
                       size_t *out_len)
{
    *out = malloc(len > 0 ? len : 1);
    if (*out == NULL)
        return CKR_HOST_MEMORY;
    if (len > 0)
        memcpy(*out, data, len);
    *out_len = len;
    return CKR_OK;
}

/* The link that pairs a key with the other half, by object type. */
static uint32_t pairing_link(uint32_t object_type)
{
    switch (object_type) {
    case KMIP_OBJECT_TYPE_PRIVATE_KEY:
    case KMIP_OBJECT_TYPE_CERTIFICATE:
        return KMIP_LINK_TYPE_PUBLIC_KEY_LINK;
    case KMIP_OBJECT_TYPE_PUBLIC_KEY:
        return KMIP_LINK_TYPE_PRIVATE_KEY_LINK;
    default:
        return 0;
    }
}

/* Sensitive, Extractable, Always Sensitive and Never Extractable as the
 * server keeps them. A server that keeps Extractable enforces the pair
 * (kmipd: Get refuses the material); one that does not (PyKMIP, KMIP
 * before 1.4) exports a key to its owner: KMIP's defaults, Sensitive
 * false and Extractable true, are then the truth. */
static void stage_export(p11_object *cache, const kmip_item *attrs)
{
    cache->sensitive = false;
    cache->extractable = true;
    cache->always_sensitive = false;
    cache->never_extractable = false;
    cache->export_kept = kmip_get_bool(attrs, KMIP_TAG_EXTRACTABLE,
                                       &cache->extractable, NULL) == KMIP_OK;
    if (!cache->export_kept)
        return;
    kmip_get_bool(attrs, KMIP_TAG_SENSITIVE, &cache->sensitive, NULL);
    kmip_get_bool(attrs, KMIP_TAG_ALWAYS_SENSITIVE, &cache->always_sensitive,
                  NULL);
    kmip_get_bool(attrs, KMIP_TAG_NEVER_EXTRACTABLE, &cache->never_extractable,
                  NULL);
}

/* A private key's own copy of its public half, when it has one: then
 * the linked public key is not needed (and may be gone). */
static void stage_public_half(p11_object *cache, const kmip_item *attrs)
{
    const unsigned char *p;
    uint8_t *der;
    size_t len;

    if (cache->object_class != CKO_PRIVATE_KEY ||
        !p11_hex_attr_get(attrs, P11_PUBLIC_KEY_ATTRIBUTE, &der, &len))
        return;
    p = der;
    cache->public_key = d2i_PUBKEY(NULL, &p, (long)len);
    free(der);
    if (cache->public_key == NULL)
        p11_log_warn("%s does not hold a public key", P11_PUBLIC_KEY_ATTRIBUTE);
}

/* Fills cache from the canonical attribute set attrs. */
CK_RV p11_stage_attributes(p11_object *cache, const char *uid,
                           const kmip_item *attrs)
{
    const char *text;
    int32_t bits;
    CK_RV rv = CKR_OK;

    if (kmip_attrs_get_object_type(attrs, &cache->kmip_object_type, NULL) !=
            KMIP_OK ||
        !p11_class_from_kmip(cache->kmip_object_type, &cache->object_class))
        return CKR_OBJECT_HANDLE_INVALID; /* nothing PKCS#11 can show */
    kmip_attrs_get_algorithm(attrs, &cache->kmip_algorithm, NULL);
    cache->subtype =
        p11_subtype_from_kmip(cache->object_class, cache->kmip_algorithm);
    if (kmip_attrs_get_length(attrs, &bits, NULL) == KMIP_OK && bits > 0)
        cache->key_bits = (CK_ULONG)bits;
    kmip_attrs_get_usage_mask(attrs, &cache->usage_mask, NULL);
    kmip_attrs_get_state(attrs, &cache->state, NULL);
    stage_export(cache, attrs);
    stage_public_half(cache, attrs);
    if (kmip_attrs_get_custom_text(attrs, P11_BAG_ATTRIBUTE, &text, NULL) ==
        KMIP_OK)
        rv = p11_dup_text(text, &cache->bag);
    if (rv == CKR_OK && kmip_attrs_get_name(attrs, &text, NULL) == KMIP_OK)
        rv = p11_dup_text(text, &cache->label);
    if (rv == CKR_OK && kmip_attrs_get_custom_text(attrs, P11_SESSION_ATTRIBUTE,
                                                   &text, NULL) == KMIP_OK)
        rv = p11_dup_text(text, &cache->session_mark);
    if (rv == CKR_OK && pairing_link(cache->kmip_object_type) != 0 &&
        kmip_attrs_get_link(attrs, pairing_link(cache->kmip_object_type), &text,
                            NULL) == KMIP_OK)
        rv = p11_dup_text(text, &cache->linked_uid);
    if (rv == CKR_OK)
        cache->id_custom = p11_id_attr_get(attrs, &cache->id, &cache->id_len);
    if (rv == CKR_OK && !cache->id_custom) {
        const char *id_uid =
            p11_fallback_id_uid(cache->object_class, uid, cache->linked_uid);

        rv = dup_bytes((const uint8_t *)id_uid, strlen(id_uid), &cache->id,
                       &cache->id_len);
    }
    return rv;
}

/* Decodes a Get Attributes answer in either form into a canonical set,
 * skipping 1.x attributes this client does not know. */
CK_RV p11_decode_attributes(const kmip_item *container, kmip_item **out)
{
    kmip_item *attrs;

    if (container != NULL && container->tag == KMIP_TAG_ATTRIBUTES)
        return kmip_attrs_decode(container, out, NULL) == KMIP_OK
                   ? CKR_OK
                   : CKR_DEVICE_ERROR;
    attrs = kmip_attrs_new();
    if (attrs == NULL)
        return CKR_HOST_MEMORY;
    for (const kmip_item *it = kmip_item_find(container, KMIP_TAG_ATTRIBUTE);
         it != NULL; it = kmip_item_next_with_tag(it, KMIP_TAG_ATTRIBUTE)) {
        kmip_item *attr;

        if (kmip_attr_from_v1(it, &attr, NULL) == KMIP_OK)
            kmip_item_add(attrs, attr);
    }
    *out = attrs;
    return CKR_OK;
}

CK_RV p11_stage_material(p11_object *cache, const kmip_object *material)
{
    const uint8_t *der = material->value.data;
    X509 *cert;

    switch (cache->object_class) {
    case CKO_PUBLIC_KEY:
    case CKO_PRIVATE_KEY:
        cache->public_key = p11_public_key_from_kmip(material);
        if (cache->public_key == NULL)
            return CKR_DEVICE_ERROR;
        break;
    case CKO_CERTIFICATE:
        if (der == NULL)
            return CKR_DEVICE_ERROR;
        cert = d2i_X509(NULL, &der, (long)material->value.len);
        if (cert == NULL)
            return CKR_DEVICE_ERROR;
        cache->public_key = X509_get_pubkey(cert);
        X509_free(cert);
        break;
    default:
        break;
    }
    if (cache->object_class == CKO_CERTIFICATE ||
        cache->object_class == CKO_DATA)
        return dup_bytes(material->value.data, material->value.len,
                         &cache->value, &cache->value_len);
    if (cache->key_bits == 0 && cache->public_key != NULL)
        cache->key_bits = (CK_ULONG)EVP_PKEY_get_bits(cache->public_key);
    return CKR_OK;
}
