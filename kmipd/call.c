/* SPDX-License-Identifier: Apache-2.0 */
/* The object a call names: its identifier, loading, locking and saving
 * it in the store. */
#include <stdio.h>
#include <string.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/dispatch.h"
#include "kmipd/lifecycle.h"
#include "kmipd/log.h"
#include "kmipd/undo.h"

/* An identifier kmipd could never have given names no object; "" and one
 * with a NUL inside would also alias other identifiers in C strings. */
static bool uid_acceptable(kmipd_call *call, const char *uid, size_t len)
{
    if (len == 0)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "empty Unique Identifier");
    if (memchr(uid, '\0', len) != NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "Unique Identifier with a NUL byte");
    return true;
}

const char *kmipd_call_uid(kmipd_call *call)
{
    const char *uid = NULL;
    size_t len;
    kmip_status st;
    kmip_rc rc = kmip_get_text(call->request, KMIP_TAG_UNIQUE_IDENTIFIER, &uid,
                               &len, &st);
    if (rc == KMIP_OK)
        return uid_acceptable(call, uid, len) ? uid : NULL;
    if (rc != KMIP_E_NOT_FOUND) {
        kmipd_fail_status(call, &st);
        return NULL;
    }
    if (call->id_placeholder != NULL && call->id_placeholder[0] != '\0')
        return call->id_placeholder;
    kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
               "no Unique Identifier and no ID Placeholder");
    return NULL;
}

/* True when the load of uid succeeded (rc), else fails call. */
static bool load_result(kmipd_call *call, const char *uid, kmipd_store_rc rc,
                        const kmip_status *st)
{
    switch (rc) {
    case KMIPD_STORE_OK:
        return true;
    case KMIPD_STORE_NOT_FOUND:
        return kmipd_fail(call, KMIP_RESULT_REASON_ITEM_NOT_FOUND,
                          "no object %s", uid);
    default:
        kmipd_log(KMIPD_LOG_ERROR, "loading %s: %s", uid, st->message);
        return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                          "the object store failed");
    }
}

/* True unless obj is destroyed; then fails call. */
static bool not_destroyed(kmipd_call *call, const kmipd_object *obj)
{
    if (!kmipd_lifecycle_destroyed(obj->state))
        return true;
    uint32_t reason = kmip_version_is_v2(call->version)
                          ? KMIP_RESULT_REASON_OBJECT_DESTROYED
                          : KMIP_RESULT_REASON_ITEM_NOT_FOUND;
    return kmipd_fail(call, reason, "object %s is destroyed", obj->uid);
}

bool kmipd_call_load_any(kmipd_call *call, kmipd_object **out)
{
    const char *uid = kmipd_call_uid(call);
    if (uid == NULL)
        return false;
    kmip_status st;
    return load_result(
        call, uid, kmipd_store_load(call->store, uid, call->owner, out, &st),
        &st);
}

bool kmipd_call_load(kmipd_call *call, kmipd_object **out)
{
    if (!kmipd_call_load_any(call, out))
        return false;
    if (not_destroyed(call, *out))
        return true;
    kmipd_object_free(*out);
    *out = NULL;
    return false;
}

bool kmipd_call_use(kmipd_call *call, kmipd_object_use **out)
{
    *out = NULL;
    const char *uid = kmipd_call_uid(call);
    if (uid == NULL)
        return false;
    kmip_status st;
    if (!load_result(call, uid,
                     kmipd_store_use(call->store, uid, call->owner, out, &st),
                     &st))
        return false;
    if (not_destroyed(call, kmipd_object_use_get(*out)))
        return true;
    kmipd_object_use_end(*out);
    *out = NULL;
    return false;
}

bool kmipd_call_save(kmipd_call *call, kmipd_object *obj)
{
    kmip_status st;
    if (call->undo != NULL && !kmipd_undo_before_change(call->undo, call->store,
                                                        obj->uid, call->owner))
        return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                          "cannot keep %s for Undo", obj->uid);
    switch (kmipd_store_update(call->store, obj, &st)) {
    case KMIPD_STORE_OK:
        return true;
    case KMIPD_STORE_NOT_FOUND:
        return kmipd_fail(call, KMIP_RESULT_REASON_ITEM_NOT_FOUND,
                          "object %s is gone", obj->uid);
    default:
        kmipd_log(KMIPD_LOG_ERROR, "saving %s: %s", obj->uid, st.message);
        return kmipd_fail(call, KMIP_RESULT_REASON_GENERAL_FAILURE,
                          "the object store failed");
    }
}

bool kmipd_call_answer_uid(kmipd_call *call, const char *uid)
{
    if (kmip_add_text(call->response, KMIP_TAG_UNIQUE_IDENTIFIER, uid))
        return true;
    return kmipd_fail_nomem(call);
}

bool kmipd_call_load_for_update(kmipd_call *call, kmipd_object **out)
{
    const char *uid = kmipd_call_uid(call);
    if (uid == NULL)
        return false;
    if (!call->locked) {
        snprintf(call->locked_uid, sizeof(call->locked_uid), "%s", uid);
        kmipd_store_lock(call->store, call->locked_uid);
        call->locked = true;
    }
    return kmipd_call_load(call, out);
}

void kmipd_call_unlock(kmipd_call *call)
{
    if (!call->locked)
        return;
    kmipd_store_unlock(call->store, call->locked_uid);
    call->locked = false;
}

bool kmipd_call_require_active(kmipd_call *call, const kmipd_object *obj)
{
    if (obj->state == KMIP_STATE_ACTIVE)
        return true;
    const char *state = kmip_enum_name(KMIP_TAG_STATE, obj->state);
    return kmipd_fail(call, KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
                      "object %s is %s, not Active", obj->uid,
                      state != NULL ? state : "in an unknown state");
}

bool kmipd_call_require_usage(kmipd_call *call, const kmipd_object *obj,
                              uint32_t usage)
{
    uint32_t mask;
    if (kmip_attrs_get_usage_mask(obj->attrs, &mask, NULL) != KMIP_OK ||
        (mask & usage) == usage)
        return true;
    uint32_t reason =
        kmip_version_is_v2(call->version)
            ? KMIP_RESULT_REASON_INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK
            : KMIP_RESULT_REASON_PERMISSION_DENIED;
    return kmipd_fail(call, reason,
                      "the Cryptographic Usage Mask of %s does not allow "
                      "this operation",
                      obj->uid);
}
