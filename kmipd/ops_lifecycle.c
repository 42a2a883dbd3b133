/* SPDX-License-Identifier: Apache-2.0 */
/* Lifecycle operations: Activate, Revoke, Destroy. */
#include <time.h>

#include "kmip/tags.h"

#include "kmipd/attributes.h"
#include "kmipd/crypto.h"
#include "kmipd/lifecycle.h"
#include "kmipd/ops_crypto_common.h"
#include "kmipd/ops_objects.h"

static bool wrong_state(kmipd_call *call, const kmipd_object *obj,
                        const char *what)
{
    const char *state = kmip_enum_name(KMIP_TAG_STATE, obj->state);
    return kmipd_fail(call, KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
                      "%s cannot %s: it is %s", obj->uid, what,
                      state != NULL ? state : "in an unknown state");
}

static bool put_date(kmipd_call *call, kmipd_object *obj, uint32_t tag,
                     int64_t when)
{
    if (kmipd_attrs_put(obj->attrs, kmip_item_new_datetime(tag, when)))
        return true;
    return kmipd_fail_nomem(call);
}

/* Saves obj and answers with its identifier; frees obj. */
static bool save_and_answer(kmipd_call *call, kmipd_object *obj, bool ok)
{
    ok = ok && kmipd_call_save(call, obj) &&
         kmipd_call_answer_uid(call, obj->uid);
    kmipd_object_free(obj);
    return ok;
}

bool kmipd_op_activate(kmipd_call *call)
{
    kmipd_object *obj;
    if (!kmipd_call_load_for_update(call, &obj))
        return false;
    if (obj->state != KMIP_STATE_PRE_ACTIVE) {
        wrong_state(call, obj, "be activated");
        kmipd_object_free(obj);
        return false;
    }
    obj->state = KMIP_STATE_ACTIVE;
    return save_and_answer(
        call, obj, put_date(call, obj, KMIP_TAG_ACTIVATION_DATE, time(NULL)));
}

typedef struct revocation {
    uint32_t code; /* KMIP_REVOCATION_REASON_CODE_* */
    const kmip_item *reason;
    int64_t occurrence; /* Compromise Occurrence Date, 0: none given */
} revocation;

static bool parse_revocation(kmipd_call *call, revocation *rev)
{
    kmip_status st;
    if (kmip_get_structure(call->request, KMIP_TAG_REVOCATION_REASON,
                           &rev->reason, &st) != KMIP_OK ||
        kmip_get_enum(rev->reason, KMIP_TAG_REVOCATION_REASON_CODE, &rev->code,
                      &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    kmip_rc rc =
        kmip_get_datetime(call->request, KMIP_TAG_COMPROMISE_OCCURRENCE_DATE,
                          &rev->occurrence, &st);
    if (rc == KMIP_E_NOT_FOUND)
        rev->occurrence = 0;
    else if (rc != KMIP_OK)
        return kmipd_fail_status(call, &st);
    return true;
}

static bool is_compromise(uint32_t code)
{
    return code == KMIP_REVOCATION_REASON_CODE_KEY_COMPROMISE ||
           code == KMIP_REVOCATION_REASON_CODE_CA_COMPROMISE;
}

/* Compromised: from any state but Destroyed; Compromise Occurrence Date
 * defaults to the Initial Date. */
static bool compromise(kmipd_call *call, kmipd_object *obj,
                       const revocation *rev, int64_t now)
{
    if (obj->state == KMIP_STATE_COMPROMISED)
        return wrong_state(call, obj, "be compromised again");
    int64_t occurrence = rev->occurrence;
    if (occurrence == 0 && kmip_get_datetime(obj->attrs, KMIP_TAG_INITIAL_DATE,
                                             &occurrence, NULL) != KMIP_OK)
        occurrence = now;
    obj->state = KMIP_STATE_COMPROMISED;
    return put_date(call, obj, KMIP_TAG_COMPROMISE_DATE, now) &&
           put_date(call, obj, KMIP_TAG_COMPROMISE_OCCURRENCE_DATE, occurrence);
}

/* Deactivated: from Pre-Active or Active. */
static bool deactivate(kmipd_call *call, kmipd_object *obj, int64_t now)
{
    if (obj->state != KMIP_STATE_PRE_ACTIVE && obj->state != KMIP_STATE_ACTIVE)
        return wrong_state(call, obj, "be revoked");
    obj->state = KMIP_STATE_DEACTIVATED;
    return put_date(call, obj, KMIP_TAG_DEACTIVATION_DATE, now);
}

bool kmipd_op_revoke(kmipd_call *call)
{
    revocation rev;
    kmipd_object *obj;
    if (!parse_revocation(call, &rev) ||
        !kmipd_call_load_for_update(call, &obj))
        return false;
    int64_t now = time(NULL);
    bool ok = is_compromise(rev.code) ? compromise(call, obj, &rev, now)
                                      : deactivate(call, obj, now);
    kmip_item *reason = ok ? kmip_item_dup(rev.reason) : NULL;
    if (ok && !kmipd_attrs_put(obj->attrs, reason))
        ok = kmipd_fail_nomem(call);
    return save_and_answer(call, obj, ok);
}

/* The material goes; the attributes stay, with the Destroyed state. */
bool kmipd_op_destroy(kmipd_call *call)
{
    kmipd_object *obj;
    if (!kmipd_call_load_for_update(call, &obj))
        return false;
    if (obj->state == KMIP_STATE_ACTIVE) {
        /* 1.x answers Permission Denied (OASIS SKLC-M-2, AKLC-M-2). */
        kmipd_fail_mapped(call, KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
                          "%s cannot be destroyed while Active (revoke it "
                          "first)",
                          obj->uid);
        kmipd_object_free(obj);
        return false;
    }
    obj->state = obj->state == KMIP_STATE_COMPROMISED
                     ? KMIP_STATE_DESTROYED_COMPROMISED
                     : KMIP_STATE_DESTROYED;
    if (obj->material != NULL)
        kmipd_key_forget(obj->material, obj->material_len);
    bool ok = kmipd_object_set_material(obj, NULL, 0, obj->material_format) &&
              put_date(call, obj, KMIP_TAG_DESTROY_DATE, time(NULL));
    return save_and_answer(call, obj, ok);
}
