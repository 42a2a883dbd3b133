/* SPDX-License-Identifier: Apache-2.0 */
/* Filling the object cache in steps, each one batch: Get Attributes (or
 * an answer the caller already holds); Locate of the public key of the
 * same Name for a private key with neither its own copy of its public
 * half nor a Link (PyKMIP); Get for public material (public keys, a
 * private key's linked public key, certificates, data). Private and
 * secret key material is never fetched. Requests run without object
 * locks; the results are committed under each object's lock, first
 * writer wins. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "object_stage.h"

/* Items per request message. */
#define LOAD_BATCH 64

/* One object being loaded: a staging copy of its cache. */
typedef struct staged_object {
    p11_object *object;
    p11_object cache; /* fields only; no lock */
    CK_RV rv;
    bool answered; /* the current step's answer arrived */
} staged_object;

static CK_RV stage_attributes_response(p11_session *session,
                                       const kmip_response *resp, size_t index,
                                       staged_object *staged)
{
    const kmip_item *payload;
    kmip_get_attributes_result result;
    kmip_item *attrs = NULL;
    CK_RV rv = p11_kmip_item(session, resp, index, &payload).rv;

    if (rv == CKR_OK &&
        kmip_get_attributes_response(payload, &result, NULL) != KMIP_OK)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        rv = p11_decode_attributes(result.attributes, &attrs);
    if (rv == CKR_OK)
        rv = p11_stage_attributes(&staged->cache, staged->object->uid, attrs);
    kmip_item_free(attrs);
    return rv;
}

/* The uid whose Get brings the public material of a staged object, or
 * NULL when it has none to fetch. */
static const char *material_uid(const staged_object *staged)
{
    /* Another process's session key is not loaded further. */
    if (staged->rv != CKR_OK ||
        (staged->cache.session_mark != NULL && staged->object->owner == 0))
        return NULL;
    switch (staged->cache.object_class) {
    case CKO_PUBLIC_KEY:
    case CKO_CERTIFICATE:
    case CKO_DATA:
        return staged->object->uid;
    case CKO_PRIVATE_KEY:
        return staged->cache.public_key == NULL ? staged->cache.linked_uid
                                                : NULL;
    default:
        return NULL;
    }
}

static CK_RV stage_material_response(p11_session *session,
                                     const kmip_response *resp, size_t index,
                                     staged_object *staged)
{
    const kmip_item *payload;
    kmip_get_result result;
    CK_RV rv = p11_kmip_item(session, resp, index, &payload).rv;

    if (rv == CKR_OK && kmip_get_response(payload, &result, NULL) != KMIP_OK)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        rv = p11_stage_material(&staged->cache, &result.object);
    /* A private key without its public half still works (no public
     * attributes, no local operation). */
    if (rv != CKR_OK && staged->cache.object_class == CKO_PRIVATE_KEY) {
        p11_log_info("object %s: linked public key %s unavailable",
                     staged->object->uid, staged->cache.linked_uid);
        rv = CKR_OK;
    }
    return rv;
}

/* Pairing by Name, for a private key whose server keeps neither Link
 * nor its public half (PyKMIP): the only public key with its label. */
static const char *pair_name(const staged_object *staged)
{
    const p11_object *cache = &staged->cache;

    return cache->object_class == CKO_PRIVATE_KEY &&
                   cache->public_key == NULL && cache->linked_uid == NULL
               ? cache->label
               : NULL;
}

static kmip_item *pair_request(kmip_version version, const char *label)
{
    kmip_item *filter = kmip_attrs_new();
    kmip_locate_args args = {.attributes = filter};
    kmip_item *payload = NULL;

    if (filter != NULL && kmip_attrs_add_name(filter, label) != NULL &&
        kmip_attrs_add_object_type(filter, KMIP_OBJECT_TYPE_PUBLIC_KEY) != NULL)
        payload = kmip_locate_request(version, &args);
    kmip_item_free(filter);
    return payload;
}

static CK_RV stage_pair_response(p11_session *session,
                                 const kmip_response *resp, size_t index,
                                 staged_object *staged)
{
    const kmip_item *payload;
    kmip_locate_result result;

    if (p11_kmip_item(session, resp, index, &payload).rv == CKR_OK &&
        kmip_locate_response(payload, &result, NULL) == KMIP_OK &&
        result.uids.count == 1)
        return p11_dup_text((const char *)result.uids.first->v.bytes.data,
                            &staged->cache.linked_uid);
    return CKR_OK; /* no public key, or several: none is paired */
}

static const char *attributes_uid(const staged_object *staged)
{
    return staged->object->uid;
}

static kmip_item *attributes_request(kmip_version version, const char *uid)
{
    return kmip_get_attributes_request(version, uid, NULL, 0, NULL, 0);
}

static kmip_item *material_request(kmip_version version, const char *uid)
{
    kmip_get_args get = {.uid = uid};

    return kmip_get_request(version, &get);
}

/* One step of loading: what it asks each object (NULL: nothing), with
 * which operation, and what it does with the answer. */
typedef struct load_step {
    uint32_t operation;
    const char *(*subject)(const staged_object *staged);
    kmip_item *(*request)(kmip_version version, const char *subject);
    CK_RV(*stage)
    (p11_session *session, const kmip_response *resp, size_t index,
     staged_object *staged);
} load_step;

static const load_step step_attributes = {KMIP_OPERATION_GET_ATTRIBUTES,
                                          attributes_uid, attributes_request,
                                          stage_attributes_response};
static const load_step step_pair = {KMIP_OPERATION_LOCATE, pair_name,
                                    pair_request, stage_pair_response};
static const load_step step_material = {KMIP_OPERATION_GET, material_uid,
                                        material_request,
                                        stage_material_response};

/* What step asks about a staged object, or NULL when it asks nothing
 * (already answered, failed, or nothing to ask). */
static const char *step_subject(const load_step *step,
                                const staged_object *staged)
{
    if (staged->answered || staged->rv != CKR_OK)
        return NULL;
    return step->subject(staged);
}

/* One batch of a step: its request items and the objects they ask
 * about. */
typedef struct load_batch {
    kmip_request_item items[LOAD_BATCH];
    staged_object *members[LOAD_BATCH];
    size_t count;
} load_batch;

/* Fills batch with up to LOAD_BATCH objects that still need step. */
static CK_RV fill_batch(const load_step *step, kmip_version version,
                        staged_object *staged, size_t n, load_batch *batch)
{
    CK_RV rv = CKR_OK;

    batch->count = 0;
    for (size_t i = 0; i < n && batch->count < LOAD_BATCH; i++) {
        const char *subject = step_subject(step, &staged[i]);
        kmip_request_item *item = &batch->items[batch->count];

        if (subject == NULL)
            continue;
        item->operation = step->operation;
        item->payload = step->request(version, subject);
        if (item->payload == NULL)
            rv = CKR_HOST_MEMORY;
        batch->members[batch->count++] = &staged[i];
    }
    if (rv != CKR_OK)
        for (size_t k = 0; k < batch->count; k++)
            kmip_request_item_clear(&batch->items[k]);
    return rv;
}

/* Stages the answers resp holds; a server that stops at a failed item
 * (no Batch Error Continuation) leaves later ones unanswered, for the
 * next batch. A batch with no answer at all fails its objects. */
static void stage_batch(p11_session *session, const load_step *step,
                        const kmip_response *resp, load_batch *batch)
{
    size_t answered = 0;

    for (size_t k = 0; k < batch->count; k++) {
        staged_object *member = batch->members[k];

        if (kmip_response_item_for(resp, k) == NULL)
            continue;
        member->rv = step->stage(session, resp, k, member);
        member->answered = true;
        answered++;
    }
    for (size_t k = 0; answered == 0 && k < batch->count; k++) {
        p11_log_warn("object %s: the server answered none of a batch",
                     batch->members[k]->object->uid);
        batch->members[k]->rv = CKR_DEVICE_ERROR;
    }
}

/* Sends one batch of step and stages its answers; *sent is false when
 * nothing was left to ask. */
static CK_RV run_batch(p11_session *session, kmip_version version,
                       const load_step *step, staged_object *staged, size_t n,
                       bool *sent)
{
    load_batch batch;
    kmip_response *resp = NULL;
    CK_RV rv = fill_batch(step, version, staged, n, &batch);

    *sent = batch.count > 0;
    if (rv != CKR_OK || batch.count == 0)
        return rv;
    rv = p11_kmip_call(session, batch.items, batch.count, true, &resp).rv;
    if (rv == CKR_OK)
        stage_batch(session, step, resp, &batch);
    kmip_response_free(resp);
    return rv;
}

/* Sends step's request for every staged object that needs one, in
 * batches, and stages the answers. */
static CK_RV run_step(p11_session *session, kmip_version version,
                      const load_step *step, staged_object *staged, size_t n)
{
    bool sent = true;
    CK_RV rv = CKR_OK;

    for (size_t i = 0; i < n; i++)
        staged[i].answered = false;
    while (rv == CKR_OK && sent)
        rv = run_batch(session, version, step, staged, n, &sent);
    return rv;
}

#define SWAP(a, b)                                                             \
    do {                                                                       \
        __typeof__(a) swapped = (a);                                           \
        (a) = (b);                                                             \
        (b) = swapped;                                                         \
    } while (0)

/* A loaded object takes the attributes read again (the slot keeps no
 * attribute cache, or another thread loaded it meanwhile); its material
 * stays, a KMIP object's value never changes. The old values go to
 * cache, to be freed. */
static void refresh(p11_object *object, p11_object *cache)
{
    SWAP(object->label, cache->label);
    SWAP(object->id, cache->id);
    SWAP(object->id_len, cache->id_len);
    SWAP(object->id_custom, cache->id_custom);
    SWAP(object->linked_uid, cache->linked_uid);
    SWAP(object->bag, cache->bag);
    object->usage_mask = cache->usage_mask;
    object->state = cache->state;
    object->sensitive = cache->sensitive;
    object->extractable = cache->extractable;
}

/* Moves the staged cache into its object, or refreshes the attributes of
 * one already loaded; frees what is not moved. */
static void commit(staged_object *staged)
{
    p11_object *object = staged->object;
    p11_object *cache = &staged->cache;

    pthread_mutex_lock(&object->lock);
    if (staged->rv == CKR_OK && object->loaded)
        refresh(object, cache);
    else if (staged->rv == CKR_OK) {
        object->kmip_object_type = cache->kmip_object_type;
        object->kmip_algorithm = cache->kmip_algorithm;
        object->object_class = cache->object_class;
        object->subtype = p11_key_subtype(cache->object_class, cache->subtype,
                                          cache->public_key);
        object->key_bits = cache->key_bits;
        object->usage_mask = cache->usage_mask;
        object->state = cache->state;
        object->sensitive = cache->sensitive;
        object->extractable = cache->extractable;
        object->always_sensitive = cache->always_sensitive;
        object->never_extractable = cache->never_extractable;
        object->export_kept = cache->export_kept;
        object->label = cache->label;
        object->id = cache->id;
        object->id_len = cache->id_len;
        object->id_custom = cache->id_custom;
        object->linked_uid = cache->linked_uid;
        object->public_key = cache->public_key;
        object->bag = cache->bag;
        object->session_mark = cache->session_mark;
        object->value = cache->value;
        object->value_len = cache->value_len;
        object->loaded = true;
        memset(cache, 0, sizeof(*cache));
    }
    pthread_mutex_unlock(&object->lock);
    p11_object_cache_clear(cache);
}

/* Fetches the public material of the staged objects (after a failure rv,
 * none), then commits each; results as in p11_objects_load. */
static CK_RV finish_load(p11_session *session, kmip_version version, CK_RV rv,
                         staged_object *staged, size_t n, CK_RV *results)
{
    if (rv == CKR_OK)
        rv = run_step(session, version, &step_pair, staged, n);
    if (rv == CKR_OK)
        rv = run_step(session, version, &step_material, staged, n);
    for (size_t i = 0; i < n; i++) {
        if (rv != CKR_OK)
            staged[i].rv = rv;
        commit(&staged[i]);
        if (results != NULL)
            results[i] = staged[i].rv;
        else if (rv == CKR_OK && staged[i].rv != CKR_OK)
            rv = staged[i].rv;
    }
    return rv;
}

CK_RV p11_objects_load(p11_session *session, p11_object **objects, size_t n,
                       CK_RV *results)
{
    staged_object *staged = calloc(n > 0 ? n : 1, sizeof(*staged));
    kmip_version version;
    CK_RV rv;

    if (staged == NULL)
        return CKR_HOST_MEMORY;
    for (size_t i = 0; i < n; i++)
        staged[i].object = objects[i];
    rv = p11_kmip_version(session, &version);
    if (rv == CKR_OK)
        rv = run_step(session, version, &step_attributes, staged, n);
    rv = finish_load(session, version, rv, staged, n, results);
    free(staged);
    return rv;
}

/* True when item index of resp is a successful Get Attributes answer
 * about uid. Quiet: a failure there only means the answer cannot be
 * used. */
static bool answers_about(const kmip_response *resp, size_t index,
                          const char *uid)
{
    const kmip_response_item *item = kmip_response_item_for(resp, index);
    kmip_get_attributes_result result;
    kmip_status status;

    return item != NULL && kmip_response_item_check(item, &status) == KMIP_OK &&
           kmip_get_attributes_response(item->payload, &result, NULL) ==
               KMIP_OK &&
           result.uid != NULL && strcmp(result.uid, uid) == 0;
}

CK_RV p11_object_load_answered(p11_session *session, p11_object *object,
                               const kmip_response *resp, size_t index,
                               bool *used, CK_RV *result)
{
    staged_object staged = {.object = object};
    kmip_version version = {0};
    CK_RV rv;

    *used = answers_about(resp, index, object->uid);
    if (!*used)
        return CKR_OK;
    rv = p11_kmip_version(session, &version);
    if (rv == CKR_OK)
        staged.rv = stage_attributes_response(session, resp, index, &staged);
    return finish_load(session, version, rv, &staged, 1, result);
}

CK_RV p11_object_get(p11_session *session, CK_OBJECT_HANDLE handle,
                     p11_object **out)
{
    p11_object *object;
    bool loaded;
    CK_RV rv = p11_object_lookup(session, handle, &object);

    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&object->lock);
    loaded = object->loaded && session->slot->conf->attribute_cache;
    pthread_mutex_unlock(&object->lock);
    if (!loaded && !p11_object_in_process(object)) {
        rv = p11_objects_load(session, &object, 1, NULL);
        if (rv != CKR_OK)
            return rv;
    }
    /* Another process's session key: never shown. */
    if (p11_object_foreign(object))
        return CKR_OBJECT_HANDLE_INVALID;
    /* Keys of a token with a login are private objects. */
    if (p11_object_is_private(object))
        rv = p11_session_check_login(session);
    if (rv == CKR_OK)
        *out = object;
    return rv;
}

CK_RV p11_object_fill_local(p11_object *object, const kmip_item *attrs,
                            const kmip_object *material, CK_ULONG subtype)
{
    staged_object staged = {.object = object};

    staged.rv = p11_stage_attributes(&staged.cache, object->uid, attrs);
    staged.cache.subtype = subtype;
    staged.cache.kmip_algorithm = p11_kmip_algorithm(subtype);
    staged.cache.state = KMIP_STATE_ACTIVE;
    if (staged.rv == CKR_OK)
        staged.rv = p11_stage_material(&staged.cache, material);
    commit(&staged);
    return staged.rv;
}
