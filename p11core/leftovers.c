// SPDX-License-Identifier: Apache-2.0
/* Leftover session keys (leftovers.h): every object on the token whose
 * owner mark is not this process's, with where its owner is. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "leftovers.h"

/* Every object of session's token (one Locate without filter), in a new
 * array *out of *n. */
static CK_RV locate_all(p11_session *session, p11_object ***out, size_t *n)
{
    kmip_locate_args args = {0};
    kmip_response *resp = NULL;
    const kmip_item *payload;
    kmip_locate_result result;
    kmip_version version;
    CK_RV rv = p11_kmip_version(session, &version);

    *out = NULL;
    *n = 0;
    if (rv == CKR_OK)
        rv = p11_kmip_call_one(session, KMIP_OPERATION_LOCATE,
                               kmip_locate_request(version, &args), true, &resp,
                               &payload)
                 .rv;
    if (rv == CKR_OK && kmip_locate_response(payload, &result, NULL) != KMIP_OK)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK) {
        *out = calloc(result.uids.count + 1, sizeof(**out));
        rv = *out != NULL ? CKR_OK : CKR_HOST_MEMORY;
    }
    for (const kmip_item *it = rv == CKR_OK ? result.uids.first : NULL;
         rv == CKR_OK && it != NULL;
         it = kmip_item_next_with_tag(it, result.uids.tag))
        rv = p11_object_for_uid(session->slot, (const char *)it->v.bytes.data,
                                &(*out)[(*n)++]);
    kmip_response_free(resp);
    return rv;
}

/* Where the owner of a foreign object is; a mark that does not parse
 * cannot be told. */
static p11_owner_state owner_of(const p11_object *object, p11_owner_mark *mark)
{
    if (!p11_mark_parse(object->session_mark, mark))
        return P11_OWNER_ELSEWHERE;
    return p11_mark_owner_state(mark);
}

static CK_RV add_leftover(const p11_object *object, p11_leftover *entry)
{
    entry->uid = strdup(object->uid);
    entry->label = object->label != NULL ? strdup(object->label) : NULL;
    entry->object_class = object->object_class;
    entry->owner = owner_of(object, &entry->mark);
    return entry->uid != NULL && (object->label == NULL || entry->label != NULL)
               ? CKR_OK
               : CKR_HOST_MEMORY;
}

static CK_RV list_foreign(p11_session *session, p11_leftover **out, size_t *n)
{
    p11_object **objects;
    size_t count;
    CK_RV *results = NULL;
    CK_RV rv = locate_all(session, &objects, &count);

    if (rv == CKR_OK) {
        results = calloc(count + 1, sizeof(*results));
        *out = calloc(count + 1, sizeof(**out));
        rv = results != NULL && *out != NULL ? CKR_OK : CKR_HOST_MEMORY;
    }
    if (rv == CKR_OK)
        rv = p11_objects_load(session, objects, count, results);
    for (size_t i = 0; rv == CKR_OK && i < count; i++)
        if (results[i] == CKR_OK && p11_object_foreign(objects[i]))
            rv = add_leftover(objects[i], &(*out)[(*n)++]);
    free(results);
    free(objects);
    return rv;
}

CK_RV p11_leftovers_list(CK_SESSION_HANDLE handle, p11_leftover **out,
                         size_t *n)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(handle, &session);

    *out = NULL;
    *n = 0;
    if (rv != CKR_OK)
        return rv;
    rv = p11_session_check_login(session);
    if (rv == CKR_OK)
        rv = list_foreign(session, out, n);
    p11_session_release(session);
    if (rv != CKR_OK) {
        p11_leftovers_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rv;
}

void p11_leftovers_free(p11_leftover *list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        free(list[i].uid);
        free(list[i].label);
    }
    free(list);
}

static CK_RV remove_one(p11_session *session, const char *uid, bool elsewhere)
{
    p11_owner_mark mark;
    p11_object *object;
    CK_RV result = CKR_OK;
    CK_RV rv = p11_object_for_uid(session->slot, uid, &object);

    if (rv == CKR_OK)
        rv = p11_objects_load(session, &object, 1, &result);
    if (rv == CKR_OK)
        rv = result;
    if (rv == CKR_OK && !p11_object_foreign(object))
        rv = CKR_OBJECT_HANDLE_INVALID; /* a token object, or one of ours */
    if (rv != CKR_OK)
        return rv;
    switch (owner_of(object, &mark)) {
    case P11_OWNER_LIVE:
        return CKR_OBJECT_HANDLE_INVALID;
    case P11_OWNER_ELSEWHERE:
        if (!elsewhere)
            return CKR_ACTION_PROHIBITED;
        break;
    case P11_OWNER_GONE:
        break;
    }
    return p11_object_destroy_on_server(session, object);
}

CK_RV p11_leftover_remove(CK_SESSION_HANDLE handle, const char *uid,
                          bool elsewhere)
{
    p11_session *session;
    CK_RV rv =
        uid != NULL ? p11_session_acquire(handle, &session) : CKR_ARGUMENTS_BAD;

    if (rv != CKR_OK)
        return rv;
    rv = p11_session_check_login(session);
    if (rv == CKR_OK)
        rv = remove_one(session, uid, elsewhere);
    p11_session_release(session);
    return rv;
}
