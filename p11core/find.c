/* SPDX-License-Identifier: Apache-2.0 */
/* C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal: one Locate
 * (filtered by class and label where KMIP can), batched with a Get
 * Attributes of the ID Placeholder that describes the object when it is
 * the only one found; else one batch of Get Attributes for the objects not
 * cached yet. Then the whole template is matched locally through the
 * attribute table. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"

/* The KMIP Object Type of a class that has exactly one, else 0. */
static uint32_t class_object_type(CK_OBJECT_CLASS object_class)
{
    switch (object_class) {
    case CKO_PUBLIC_KEY:
        return KMIP_OBJECT_TYPE_PUBLIC_KEY;
    case CKO_PRIVATE_KEY:
        return KMIP_OBJECT_TYPE_PRIVATE_KEY;
    case CKO_SECRET_KEY:
        return KMIP_OBJECT_TYPE_SYMMETRIC_KEY;
    case CKO_CERTIFICATE:
        return KMIP_OBJECT_TYPE_CERTIFICATE;
    default:
        return 0;
    }
}

/* The Locate filter for templ into the canonical set filter. *none is
 * set when no object can match (a class the module never shows). */
static CK_RV locate_filter(const CK_ATTRIBUTE *templ, CK_ULONG count,
                           kmip_item *filter, bool *none)
{
    const CK_ATTRIBUTE *label = p11_template_find(templ, count, CKA_LABEL);
    CK_ULONG object_class;

    *none = false;
    if (p11_template_ulong(templ, count, CKA_CLASS, &object_class) == CKR_OK) {
        uint32_t type = class_object_type(object_class);

        if (type != 0 && kmip_attrs_add_object_type(filter, type) == NULL)
            return CKR_HOST_MEMORY;
        *none = type == 0 && object_class != CKO_DATA;
    }
    if (label != NULL && label->pValue != NULL && label->ulValueLen > 0 &&
        label->ulValueLen < 256 &&
        memchr(label->pValue, '\0', label->ulValueLen) == NULL) {
        char text[256];

        memcpy(text, label->pValue, label->ulValueLen);
        text[label->ulValueLen] = '\0';
        if (kmip_attrs_add_name(filter, text) == NULL)
            return CKR_HOST_MEMORY;
    }
    return CKR_OK;
}

/* Sends the Locate, followed in the same batch by a Get Attributes of
 * the ID Placeholder when describe is true. */
static p11_reply send_locate(p11_session *session, kmip_version version,
                             const kmip_item *filter, bool describe,
                             kmip_response **resp)
{
    kmip_locate_args args = {.attributes = filter};
    kmip_request_item items[2] = {
        {KMIP_OPERATION_LOCATE, kmip_locate_request(version, &args)},
        {KMIP_OPERATION_GET_ATTRIBUTES,
         describe ? kmip_get_attributes_request(version, NULL, NULL, 0, NULL, 0)
                  : NULL},
    };
    size_t n = describe ? 2 : 1;

    for (size_t i = 0; i < n; i++) {
        if (items[i].payload == NULL) {
            for (size_t k = 0; k < n; k++)
                kmip_request_item_clear(&items[k]);
            return p11_reply_local(CKR_HOST_MEMORY);
        }
    }
    return p11_kmip_call(session, items, n, true, resp);
}

/* Copies the identifiers of result into *uids_out (free with free(),
 * entries too; set even on failure). */
static CK_RV copy_uids(const kmip_locate_result *result, char ***uids_out,
                       size_t *n_out)
{
    char **uids = calloc(result->uids.count + 1, sizeof(*uids));
    size_t n = 0;
    CK_RV rv = uids != NULL ? CKR_OK : CKR_HOST_MEMORY;

    for (const kmip_item *it = result->uids.first; uids != NULL && it != NULL;
         it = kmip_item_next_with_tag(it, result->uids.tag)) {
        uids[n] = strdup((const char *)it->v.bytes.data);
        if (uids[n++] == NULL)
            rv = CKR_HOST_MEMORY;
    }
    *uids_out = uids;
    *n_out = n;
    return rv;
}

/* Sends the Locate with the Get Attributes of send_locate where the
 * server takes that batch (learned at the first refusal), else alone. */
static CK_RV send_locate_batch(p11_session *session, kmip_version version,
                               const kmip_item *filter, kmip_response **resp)
{
    p11_server *server = &session->slot->server;
    bool batch =
        p11_server_knows(server, P11_FACT_LOCATE_BATCH) != P11_SUPPORT_REFUSED;
    p11_reply reply = send_locate(session, version, filter, batch, resp);

    if (batch && reply.rv == CKR_OK)
        p11_server_learn(server, P11_FACT_LOCATE_BATCH, true);
    if (batch && reply.answer == P11_ANSWER_UNSUPPORTED) {
        reply = send_locate(session, version, filter, false, resp);
        if (reply.rv == CKR_OK)
            p11_server_learn(server, P11_FACT_LOCATE_BATCH, false);
    }
    return reply.rv;
}

/* Sends the Locate (send_locate_batch); *uids_out as in copy_uids.
 * *resp_out (free with kmip_response_free) is the response, whose item 1
 * may describe a single object found; NULL on failure. */
static CK_RV locate(p11_session *session, const kmip_item *filter,
                    char ***uids_out, size_t *n_out, kmip_response **resp_out)
{
    kmip_response *resp = NULL;
    const kmip_item *payload;
    kmip_locate_result result;
    kmip_version version;
    CK_RV rv = p11_kmip_version(session, &version);

    *resp_out = NULL;
    if (rv != CKR_OK)
        return rv;
    rv = send_locate_batch(session, version, filter, &resp);
    if (rv == CKR_OK)
        rv = p11_kmip_item(session, resp, 0, &payload).rv;
    if (rv == CKR_OK && kmip_locate_response(payload, &result, NULL) != KMIP_OK)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        rv = copy_uids(&result, uids_out, n_out);
    if (rv != CKR_OK) {
        kmip_response_free(resp);
        return rv;
    }
    *resp_out = resp;
    return CKR_OK;
}

static void free_uids(char **uids, size_t n)
{
    for (size_t i = 0; uids != NULL && i < n; i++)
        free(uids[i]);
    free(uids);
}

/* True when the loaded object has every attribute of templ, equal. */
static bool matches(p11_object *object, const CK_ATTRIBUTE *templ,
                    CK_ULONG count)
{
    bool match = true;

    pthread_mutex_lock(&object->lock);
    for (CK_ULONG i = 0; match && i < count; i++) {
        p11_attr_value value;

        match = p11_attr_read(object, templ[i].type, &value) == CKR_OK &&
                value.len == templ[i].ulValueLen &&
                (value.len == 0 ||
                 memcmp(value.data, templ[i].pValue, value.len) == 0);
        p11_attr_value_clear(&value);
    }
    pthread_mutex_unlock(&object->lock);
    return match;
}

/* Objects for uids, loaded (from the answer in item 1 of located when
 * it describes the single object found, else in one batch for those not
 * cached). Those that cannot be loaded or shown are left NULL. */
static CK_RV load_found(p11_session *session, char **uids, size_t n,
                        const kmip_response *located, p11_object **objects)
{
    p11_object **unloaded = calloc(n + 1, sizeof(*unloaded));
    CK_RV *results = calloc(n + 1, sizeof(*results));
    size_t n_unloaded = 0;
    CK_RV rv = unloaded != NULL && results != NULL ? CKR_OK : CKR_HOST_MEMORY;

    for (size_t i = 0; rv == CKR_OK && i < n; i++) {
        rv = p11_object_for_uid(session->slot, uids[i], &objects[i]);
        if (rv != CKR_OK)
            break;
        pthread_mutex_lock(&objects[i]->lock);
        if (!objects[i]->loaded || !session->slot->conf->attribute_cache)
            unloaded[n_unloaded++] = objects[i];
        pthread_mutex_unlock(&objects[i]->lock);
    }
    if (rv == CKR_OK && n == 1 && n_unloaded == 1) {
        bool used;

        rv = p11_object_load_answered(session, unloaded[0], located, 1, &used,
                                      results);
        if (used)
            n_unloaded = 0;
    }
    if (rv == CKR_OK && n_unloaded > 0)
        rv = p11_objects_load(session, unloaded, n_unloaded, results);
    for (size_t i = 0; rv == CKR_OK && i < n; i++) {
        bool loaded;

        pthread_mutex_lock(&objects[i]->lock);
        loaded = objects[i]->loaded;
        pthread_mutex_unlock(&objects[i]->lock);
        if (!loaded)
            objects[i] = NULL;
    }
    free(unloaded);
    free(results);
    return rv;
}

static CK_RV find_init(p11_session *session, const CK_ATTRIBUTE *templ,
                       CK_ULONG count, struct p11_find *find)
{
    kmip_item *filter = kmip_attrs_new();
    char **uids = NULL;
    size_t n = 0;
    kmip_response *located = NULL;
    p11_object **objects = NULL;
    p11_object **local = NULL;
    size_t n_local = 0;
    bool none = false;
    bool logged_in;
    CK_RV rv = filter != NULL ? locate_filter(templ, count, filter, &none)
                              : CKR_HOST_MEMORY;

    if (rv == CKR_OK && !none)
        rv = locate(session, filter, &uids, &n, &located);
    kmip_item_free(filter);
    /* Before login a key-passphrase token shows nothing. */
    if (rv == CKR_USER_NOT_LOGGED_IN)
        rv = CKR_OK;
    if (rv == CKR_OK && n > 0) {
        objects = calloc(n, sizeof(*objects));
        rv = objects != NULL ? load_found(session, uids, n, located, objects)
                             : CKR_HOST_MEMORY;
    }
    if (rv == CKR_OK)
        rv = p11_local_objects(session->slot, &local, &n_local);
    if (rv == CKR_OK) {
        find->handles = calloc(n + n_local + 1, sizeof(*find->handles));
        rv = find->handles != NULL ? CKR_OK : CKR_HOST_MEMORY;
    }
    /* Private objects stay hidden until login. */
    logged_in = p11_session_check_login(session) == CKR_OK;
    for (size_t i = 0; rv == CKR_OK && i < n; i++)
        if (objects[i] != NULL && !p11_object_foreign(objects[i]) &&
            (logged_in || !p11_object_is_private(objects[i])) &&
            matches(objects[i], templ, count))
            find->handles[find->count++] = objects[i]->handle;
    for (size_t i = 0; rv == CKR_OK && i < n_local; i++)
        if (matches(local[i], templ, count))
            find->handles[find->count++] = local[i]->handle;
    free(local);
    free(objects);
    free_uids(uids, n);
    kmip_response_free(located);
    return rv;
}

P11_EXPORT CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession,
                                   CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    p11_session *session;
    struct p11_find *find;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (pTemplate == NULL && ulCount > 0)
        rv = CKR_ARGUMENTS_BAD;
    else if (session->find != NULL)
        rv = CKR_OPERATION_ACTIVE;
    if (rv == CKR_OK) {
        find = calloc(1, sizeof(*find));
        rv = find != NULL ? find_init(session, pTemplate, ulCount, find)
                          : CKR_HOST_MEMORY;
        if (rv == CKR_OK)
            session->find = find;
        else
            p11_find_free(find);
    }
    p11_session_release(session);
    return rv;
}

P11_EXPORT CK_RV C_FindObjects(CK_SESSION_HANDLE hSession,
                               CK_OBJECT_HANDLE_PTR phObject,
                               CK_ULONG ulMaxObjectCount,
                               CK_ULONG_PTR pulObjectCount)
{
    p11_session *session;
    struct p11_find *find;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    find = session->find;
    if (phObject == NULL || pulObjectCount == NULL)
        rv = CKR_ARGUMENTS_BAD;
    else if (find == NULL)
        rv = CKR_OPERATION_NOT_INITIALIZED;
    if (rv == CKR_OK) {
        size_t n = find->count - find->next;

        if (n > ulMaxObjectCount)
            n = ulMaxObjectCount;
        if (n > 0)
            memcpy(phObject, find->handles + find->next, n * sizeof(*phObject));
        find->next += n;
        *pulObjectCount = n;
    }
    p11_session_release(session);
    return rv;
}

P11_EXPORT CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if (session->find == NULL)
        rv = CKR_OPERATION_NOT_INITIALIZED;
    p11_find_free(session->find);
    session->find = NULL;
    p11_session_release(session);
    return rv;
}
