/* SPDX-License-Identifier: Apache-2.0 */
/* C_GetAttributeValue, C_SetAttributeValue, C_GetObjectSize. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"

/* Stores a copy of value as object's CKA_VALUE unless another thread
 * did first. */
static CK_RV cache_value(p11_object *object, const kmip_bytes *value)
{
    uint8_t *copy = malloc(value->len > 0 ? value->len : 1);

    if (copy == NULL)
        return CKR_HOST_MEMORY;
    if (value->len > 0)
        memcpy(copy, value->data, value->len);
    pthread_mutex_lock(&object->lock);
    if (object->value == NULL) {
        object->value = copy;
        object->value_len = value->len;
        copy = NULL;
    }
    pthread_mutex_unlock(&object->lock);
    if (copy != NULL)
        OPENSSL_cleanse(copy, value->len);
    free(copy);
    return CKR_OK;
}

/* Fills one template entry by the PKCS#11 rules; returns its outcome. */
static CK_RV get_one(const p11_object *object, CK_ATTRIBUTE *attr)
{
    p11_attr_value value;
    CK_RV rv = p11_attr_read(object, attr->type, &value);

    if (rv == CKR_OK && p11_attr_holds_array(object, attr->type)) {
        rv = p11_attr_array_out(value.data, value.len, attr);
        p11_attr_value_clear(&value);
        return rv;
    }
    if (rv == CKR_OK && attr->pValue != NULL) {
        if (attr->ulValueLen >= value.len)
            memcpy(attr->pValue, value.data, value.len);
        else
            rv = CKR_BUFFER_TOO_SMALL;
    }
    attr->ulValueLen = rv == CKR_OK ? value.len : CK_UNAVAILABLE_INFORMATION;
    p11_attr_value_clear(&value);
    return rv;
}

/* The value of an exportable secret key, fetched once with Get when
 * templ asks for it (p11_value_exportable); kept in the cache, wiped with
 * it. */
static CK_RV fetch_value(p11_session *session, p11_object *object,
                         const CK_ATTRIBUTE *templ, CK_ULONG count)
{
    kmip_get_args get = {.uid = object->uid};
    kmip_response *resp = NULL;
    const kmip_item *payload;
    kmip_get_result result;
    kmip_version version;
    bool wanted;
    CK_RV rv;

    pthread_mutex_lock(&object->lock);
    wanted = p11_value_exportable(object) && object->value == NULL &&
             p11_template_find(templ, count, CKA_VALUE) != NULL;
    pthread_mutex_unlock(&object->lock);
    if (!wanted)
        return CKR_OK;
    rv = p11_kmip_version(session, &version);
    if (rv == CKR_OK)
        rv = p11_kmip_call_one(session, KMIP_OPERATION_GET,
                               kmip_get_request(version, &get), true, &resp,
                               &payload)
                 .rv;
    if (rv == CKR_OK && kmip_get_response(payload, &result, NULL) != KMIP_OK)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        rv = cache_value(object, &result.object.value);
    kmip_response_free(resp);
    return rv;
}

/* What an attribute call does to the object it names. */
typedef CK_RV (*attribute_op)(p11_session *session, p11_object *object,
                              CK_ATTRIBUTE_PTR templ, CK_ULONG count);

/* C_GetAttributeValue and C_SetAttributeValue: the session, the template
 * argument and the object (one the session may change, for write), then
 * op. */
static CK_RV attribute_call(CK_SESSION_HANDLE hSession,
                            CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR templ,
                            CK_ULONG count, bool write, attribute_op op)
{
    p11_session *session;
    p11_object *object;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (templ == NULL && count > 0)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK && write)
        rv = p11_object_write_check(session, hObject);
    if (rv == CKR_OK)
        rv = p11_object_get(session, hObject, &object);
    if (rv == CKR_OK)
        rv = op(session, object, templ, count);
    p11_session_release(session);
    return rv;
}

static CK_RV get_attributes(p11_session *session, p11_object *object,
                            CK_ATTRIBUTE_PTR templ, CK_ULONG count)
{
    CK_RV rv = fetch_value(session, object, templ, count);

    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&object->lock);
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV one = get_one(object, &templ[i]);

        /* Every entry is filled; any of their errors is the answer. */
        if (one != CKR_OK)
            rv = one;
    }
    pthread_mutex_unlock(&object->lock);
    return rv;
}

P11_EXPORT CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession,
                                     CK_OBJECT_HANDLE hObject,
                                     CK_ATTRIBUTE_PTR pTemplate,
                                     CK_ULONG ulCount)
{
    return attribute_call(hSession, hObject, pTemplate, ulCount, false,
                          get_attributes);
}

P11_EXPORT CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession,
                                 CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize)
{
    p11_session *session;
    p11_object *object;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (pulSize == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = p11_object_get(session, hObject, &object);
    if (rv == CKR_OK)
        *pulSize = object->value != NULL ? object->value_len
                                         : CK_UNAVAILABLE_INFORMATION;
    p11_session_release(session);
    return rv;
}

/* ---- C_SetAttributeValue: CKA_LABEL (Name) and CKA_ID (x-pkcs11-id),
 * sent in one batch. ---- */

/* One change: canonical sets holding the new value (empty to delete) and
 * the current one (empty when the object has none). */
typedef struct change {
    kmip_item *new_value;
    kmip_item *old_value;
} change;

static CK_RV change_sets(change *out)
{
    out->new_value = kmip_attrs_new();
    out->old_value = kmip_attrs_new();
    return out->new_value != NULL && out->old_value != NULL ? CKR_OK
                                                            : CKR_HOST_MEMORY;
}

static void change_clear(change *ch)
{
    kmip_item_free(ch->new_value);
    kmip_item_free(ch->old_value);
}

static CK_RV label_change(const CK_ATTRIBUTE *attr, const p11_object *object,
                          change *out)
{
    char text[256];
    CK_RV rv;

    if (attr->ulValueLen >= sizeof(text) ||
        (attr->pValue == NULL && attr->ulValueLen > 0) ||
        (attr->ulValueLen > 0 &&
         memchr(attr->pValue, '\0', attr->ulValueLen) != NULL))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    rv = change_sets(out);
    if (rv == CKR_OK && object->label != NULL &&
        kmip_attrs_add_name(out->old_value, object->label) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK && attr->ulValueLen > 0) {
        memcpy(text, attr->pValue, attr->ulValueLen);
        text[attr->ulValueLen] = '\0';
        if (kmip_attrs_add_name(out->new_value, text) == NULL)
            rv = CKR_HOST_MEMORY;
    }
    return rv;
}

static CK_RV id_change(const CK_ATTRIBUTE *attr, const p11_object *object,
                       change *out)
{
    CK_RV rv;

    if (attr->pValue == NULL && attr->ulValueLen > 0)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    rv = change_sets(out);
    if (rv == CKR_OK && object->id_custom &&
        p11_id_attr_add(out->old_value, object->id, object->id_len) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK && attr->ulValueLen > 0 &&
        p11_id_attr_add(out->new_value, attr->pValue, attr->ulValueLen) == NULL)
        rv = CKR_HOST_MEMORY;
    return rv;
}

/* CKA_SENSITIVE to true, CKA_EXTRACTABLE to false: the one-way changes
 * PKCS#11 allows, as KMIP Sensitive / Extractable, on a server that keeps
 * them (export_kept). Giving the current value changes nothing. */
static CK_RV flag_change(const CK_ATTRIBUTE *attr, const p11_object *object,
                         change *out)
{
    bool sensitive = attr->type == CKA_SENSITIVE;
    uint32_t tag = sensitive ? KMIP_TAG_SENSITIVE : KMIP_TAG_EXTRACTABLE;
    bool current = sensitive ? object->sensitive : object->extractable;
    bool wanted;
    CK_RV rv;

    if (attr->pValue == NULL || attr->ulValueLen != sizeof(CK_BBOOL))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    wanted = *(const CK_BBOOL *)attr->pValue != CK_FALSE;
    if (wanted != current && (wanted != sensitive || !object->export_kept))
        return CKR_ATTRIBUTE_READ_ONLY;
    rv = change_sets(out);
    if (rv == CKR_OK && wanted != current &&
        (kmip_add_bool(out->old_value, tag, current) == NULL ||
         kmip_add_bool(out->new_value, tag, wanted) == NULL))
        rv = CKR_HOST_MEMORY;
    return rv;
}

/* How each attribute C_SetAttributeValue changes is sent. */
static const struct {
    uint32_t tag;
    CK_RV(*change)
    (const CK_ATTRIBUTE *attr, const p11_object *object, change *out);
} changers[] = {
    {KMIP_TAG_NAME, label_change},
    {KMIP_TAG_VENDOR_ATTRIBUTE, id_change},
    {KMIP_TAG_SENSITIVE, flag_change},
    {KMIP_TAG_EXTRACTABLE, flag_change},
};

#define CHANGERS (sizeof(changers) / sizeof(changers[0]))

/* The request item that applies ch to uid: Add, Modify (naming the
 * current instance in 2.x) or Delete. *skip when nothing needs sending
 * (deleting an absent attribute). */
static CK_RV change_request(kmip_version version, const char *uid,
                            const change *ch, kmip_request_item *item,
                            bool *skip)
{
    const kmip_item *value = ch->new_value->v.children.first;
    const kmip_item *current = ch->old_value->v.children.first;

    *skip = value == NULL && current == NULL;
    if (*skip)
        return CKR_OK;
    if (value == NULL) {
        item->operation = KMIP_OPERATION_DELETE_ATTRIBUTE;
        item->payload = kmip_delete_attribute_request(version, uid, current);
    } else if (current != NULL) {
        item->operation = KMIP_OPERATION_MODIFY_ATTRIBUTE;
        item->payload =
            kmip_modify_attribute_request(version, uid, current, value);
    } else {
        item->operation = KMIP_OPERATION_ADD_ATTRIBUTE;
        item->payload = kmip_add_attribute_request(version, uid, value);
    }
    return item->payload != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* Stores the new label or id in the cache after the server took it. */
static CK_RV cache_change(p11_object *object, uint32_t tag,
                          const CK_ATTRIBUTE *attr)
{
    uint8_t *copy = NULL;

    if (tag == KMIP_TAG_SENSITIVE || tag == KMIP_TAG_EXTRACTABLE) {
        pthread_mutex_lock(&object->lock);
        if (tag == KMIP_TAG_SENSITIVE)
            object->sensitive = true;
        else
            object->extractable = false;
        pthread_mutex_unlock(&object->lock);
        return CKR_OK;
    }
    if (attr->ulValueLen > 0) {
        copy = malloc(attr->ulValueLen + 1);
        if (copy == NULL)
            return CKR_HOST_MEMORY;
        memcpy(copy, attr->pValue, attr->ulValueLen);
        copy[attr->ulValueLen] = '\0';
    }
    pthread_mutex_lock(&object->lock);
    if (tag == KMIP_TAG_NAME) {
        free(object->label);
        object->label = (char *)copy;
    } else if (copy != NULL) {
        free(object->id);
        object->id = copy;
        object->id_len = attr->ulValueLen;
        object->id_custom = true;
    } else {
        const char *uid = p11_fallback_id_uid(object->object_class, object->uid,
                                              object->linked_uid);

        copy = (uint8_t *)strdup(uid);
        if (copy != NULL) {
            free(object->id);
            object->id = copy;
            object->id_len = strlen(uid);
            object->id_custom = false;
        }
    }
    pthread_mutex_unlock(&object->lock);
    return copy != NULL || attr->ulValueLen == 0 ? CKR_OK : CKR_HOST_MEMORY;
}

#define MAX_CHANGES CHANGERS /* each attribute once */

static CK_RV set_attributes(p11_session *session, p11_object *object,
                            const CK_ATTRIBUTE *templ, CK_ULONG count)
{
    kmip_request_item items[MAX_CHANGES];
    const CK_ATTRIBUTE *sent[MAX_CHANGES];
    uint32_t tags[MAX_CHANGES];
    size_t n = 0;
    kmip_response *resp = NULL;
    kmip_version version;
    CK_RV rv = p11_kmip_version(session, &version);

    for (CK_ULONG i = 0; rv == CKR_OK && i < count; i++) {
        change ch = {NULL, NULL};
        uint32_t tag = 0;
        bool skip = false;

        size_t c = CHANGERS;

        rv = p11_attr_kmip_tag(object->object_class, templ[i].type, &tag);
        while (rv == CKR_OK && c > 0 && changers[c - 1].tag != tag)
            c--;
        if (rv == CKR_OK && c == 0)
            rv = CKR_ATTRIBUTE_READ_ONLY;
        if (rv == CKR_OK && n == MAX_CHANGES)
            rv = CKR_TEMPLATE_INCONSISTENT; /* an attribute given twice */
        pthread_mutex_lock(&object->lock);
        if (rv == CKR_OK)
            rv = changers[c - 1].change(&templ[i], object, &ch);
        pthread_mutex_unlock(&object->lock);
        if (rv == CKR_OK)
            rv = change_request(version, object->uid, &ch, &items[n], &skip);
        change_clear(&ch);
        if (rv == CKR_OK && !skip) {
            sent[n] = &templ[i];
            tags[n++] = tag;
        }
    }
    /* A session object is kept in the process: nothing to send. */
    if (rv != CKR_OK || n == 0 || p11_object_in_process(object)) {
        for (size_t k = 0; k < n; k++)
            kmip_request_item_clear(&items[k]);
        for (size_t k = 0;
             rv == CKR_OK && p11_object_in_process(object) && k < n; k++)
            rv = cache_change(object, tags[k], sent[k]);
        return rv;
    }
    rv = p11_kmip_call(session, items, n, false, &resp).rv;
    for (size_t k = 0; rv == CKR_OK && k < n; k++) {
        rv = p11_kmip_item(session, resp, k, NULL).rv;
        if (rv == CKR_OK)
            rv = cache_change(object, tags[k], sent[k]);
    }
    kmip_response_free(resp);
    return rv;
}

/* CKA_MODIFIABLE false (x-pkcs11-attrs): nothing may change. */
static CK_RV set_if_modifiable(p11_session *session, p11_object *object,
                               CK_ATTRIBUTE_PTR templ, CK_ULONG count)
{
    if (!p11_attr_flag(object, CKA_MODIFIABLE, true))
        return CKR_ACTION_PROHIBITED;
    return set_attributes(session, object, templ, count);
}

P11_EXPORT CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession,
                                     CK_OBJECT_HANDLE hObject,
                                     CK_ATTRIBUTE_PTR pTemplate,
                                     CK_ULONG ulCount)
{
    return attribute_call(hSession, hObject, pTemplate, ulCount, true,
                          set_if_modifiable);
}
