/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the key and cryptographic operation handlers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/attributes.h"
#include "kmipd/config.h"
#include "kmipd/kept_attrs.h"
#include "kmipd/log.h"
#include "kmipd/ops_crypto_common.h"
#include "kmipd/undo.h"

bool kmipd_crypto_call_fail(kmipd_call *call, const kmip_status *status)
{
    if (status->rc != KMIP_E_RESULT)
        return kmipd_fail_status(call, status);
    uint32_t reason = kmipd_crypto_reason_for_version(
        status->result_reason, kmip_version_is_v2(call->version));
    return kmipd_fail(call, reason, "%s", status->message);
}

bool kmipd_fail_mapped(kmipd_call *call, uint32_t reason, const char *fmt, ...)
{
    call->reason = kmipd_crypto_reason_for_version(
        reason, kmip_version_is_v2(call->version));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(call->message, sizeof(call->message), fmt, ap);
    va_end(ap);
    return false;
}

bool kmipd_call_answer(kmipd_call *call, kmip_item *payload)
{
    if (payload == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                          "cannot build the response (out of memory?)");
    while (payload->v.children.first != NULL) {
        kmip_item *child = payload->v.children.first;
        kmip_item_remove(payload, child);
        if (kmip_item_add(call->response, child) == NULL) {
            kmip_item_free(payload);
            return kmipd_fail_nomem(call);
        }
    }
    kmip_item_free(payload);
    return true;
}

static void params_from_kmip(const kmip_crypto_params *in,
                             kmipd_crypto_params *out)
{
    memset(out, 0, sizeof(*out));
    out->block_cipher_mode = in->block_cipher_mode;
    out->padding_method = in->padding_method;
    out->hashing_algorithm = in->hashing_algorithm;
    out->digital_signature_algorithm = in->digital_signature_algorithm;
    out->cryptographic_algorithm = in->cryptographic_algorithm;
    out->random_iv_set = in->random_iv.present;
    out->random_iv = in->random_iv.value;
    out->iv_length = in->iv_length.present ? in->iv_length.value : 0;
    out->tag_length = in->tag_length.present ? in->tag_length.value : 0;
    out->salt_length_set = in->salt_length.present;
    out->salt_length = in->salt_length.value;
    out->mask_generator = in->mask_generator;
    out->mask_generator_hashing_algorithm =
        in->mask_generator_hashing_algorithm;
    out->p_source = in->p_source.data;
    out->p_source_len = in->p_source.len;
}

bool kmipd_call_crypto_params(kmipd_call *call, const kmipd_object *obj,
                              const kmip_crypto_params *request,
                              kmipd_crypto_params *out)
{
    if (request->present) {
        params_from_kmip(request, out);
        return true;
    }
    kmip_crypto_params stored = {0};
    const kmip_item *attr =
        kmip_item_find(obj->attrs, KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS);
    kmip_status st;
    if (attr != NULL && kmip_crypto_params_parse(attr, &stored, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    params_from_kmip(&stored, out);
    return true;
}

bool kmipd_holds_secret(uint32_t object_type)
{
    return object_type == KMIP_OBJECT_TYPE_PRIVATE_KEY ||
           object_type == KMIP_OBJECT_TYPE_SYMMETRIC_KEY ||
           object_type == KMIP_OBJECT_TYPE_SECRET_DATA;
}

bool kmipd_export_attrs(kmipd_call *call, uint32_t object_type,
                        kmip_item *attrs, bool by_default, bool generated,
                        bool *exportable)
{
    *exportable = true;
    if (!kmipd_holds_secret(object_type))
        return true;
    if (!kmipd_sensitivity_put(attrs, by_default, generated))
        return kmipd_fail_nomem(call);
    bool sensitive, extractable;
    kmipd_sensitivity(attrs, &sensitive, &extractable);
    *exportable = extractable && !sensitive;
    return true;
}

bool kmipd_export_allowed(const kmipd_object *obj)
{
    bool sensitive, extractable;
    if (!kmipd_holds_secret(obj->object_type))
        return true;
    kmipd_sensitivity(obj->attrs, &sensitive, &extractable);
    return obj->exportable && extractable && !sensitive;
}

bool kmipd_attrs_put_key_info(kmipd_call *call, kmip_item *attrs,
                              const kmipd_key_info *info)
{
    bool ok = kmipd_attrs_put(
        attrs,
        kmip_item_new_integer(KMIP_TAG_CRYPTOGRAPHIC_LENGTH, info->length));
    if (ok && info->algorithm != 0)
        ok = kmipd_attrs_put(
            attrs, kmip_item_new_enum(KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
                                      info->algorithm));
    if (!ok)
        return kmipd_fail_nomem(call);
    return true;
}

uint32_t kmipd_attrs_curve(const kmip_item *attrs)
{
    const kmip_item *domain =
        kmip_item_find(attrs, KMIP_TAG_CRYPTOGRAPHIC_DOMAIN_PARAMETERS);
    uint32_t curve = 0;
    if (kmip_get_enum(domain, KMIP_TAG_RECOMMENDED_CURVE, &curve, NULL) !=
        KMIP_OK)
        return 0;
    return curve;
}

/* Triple DES serves the KMIP profiles that test it; new keys only when
 * the configuration allows them. */
static bool algorithm_allowed(kmipd_call *call, const kmipd_object *obj)
{
    uint32_t algorithm = 0;
    if (call->config->allow_triple_des ||
        kmip_attrs_get_algorithm(obj->attrs, &algorithm, NULL) != KMIP_OK ||
        algorithm != KMIP_CRYPTOGRAPHIC_ALGORITHM_TRIPLE_DES)
        return true;
    return kmipd_fail(call, KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
                      "new Triple DES keys are refused (configuration "
                      "allow_triple_des)");
}

bool kmipd_call_insert(kmipd_call *call, kmipd_object **objs, size_t n)
{
    kmip_status st;
    for (size_t i = 0; i < n; i++) {
        if (!algorithm_allowed(call, objs[i]))
            return false;
        if (!kmipd_kept_attrs_init(objs[i], time(NULL)))
            return kmipd_fail_nomem(call);
    }
    if (kmipd_store_insert(call->store, objs, n, &st) == KMIPD_STORE_OK) {
        for (size_t i = 0; call->undo != NULL && i < n; i++) {
            if (!kmipd_undo_created(call->undo, objs[i]->uid))
                return kmipd_fail_nomem(call);
        }
        return true;
    }
    kmipd_log(KMIPD_LOG_ERROR, "storing a new object: %s", st.message);
    return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                      "the object store failed");
}

kmipd_object *kmipd_object_with_material(kmipd_call *call, uint32_t object_type,
                                         kmip_item *attrs,
                                         const kmipd_buf *material,
                                         uint32_t format, bool exportable)
{
    kmipd_object *obj = kmipd_object_new(object_type, call->owner);
    if (obj == NULL || !kmipd_object_set_material(obj, material->data,
                                                  material->len, format)) {
        kmipd_object_free(obj);
        kmip_item_free(attrs);
        kmipd_fail_nomem(call);
        return NULL;
    }
    kmip_item_free(obj->attrs);
    obj->attrs = attrs;
    obj->exportable = exportable;
    if (!kmipd_kept_attrs_generated(attrs)) {
        kmipd_object_free(obj);
        kmipd_fail_nomem(call);
        return NULL;
    }
    return obj;
}
