/* SPDX-License-Identifier: Apache-2.0 */
/* Operations that change attributes: Add / Modify / Delete Attribute (1.x
 * forms and 2.x forms) and Set / Adjust Attribute (2.x). Objects hold canonical
 * attributes (kmipd/attributes.h); the 1.x Attribute Index counts the instances
 * of one attribute from 0. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "kmipd/attr_ref.h"
#include "kmipd/attr_request.h"
#include "kmipd/attributes.h"
#include "kmipd/lifecycle.h"
#include "kmipd/ops_crypto_common.h"
#include "kmipd/ops_objects.h"

/* Fixed when the object is made: no client may add, change or remove
 * them afterwards. */
static const uint32_t fixed_tags[] = {
    KMIP_TAG_OBJECT_TYPE,
    KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
    KMIP_TAG_CRYPTOGRAPHIC_LENGTH,
    KMIP_TAG_CRYPTOGRAPHIC_DOMAIN_PARAMETERS,
    KMIP_TAG_CERTIFICATE_TYPE,
    KMIP_TAG_CERTIFICATE_LENGTH,
    KMIP_TAG_X_509_CERTIFICATE_IDENTIFIER,
    KMIP_TAG_X_509_CERTIFICATE_ISSUER,
    KMIP_TAG_X_509_CERTIFICATE_SUBJECT,
};

static const char *attr_label(const kmip_item *attr, char *buf, size_t len)
{
    return kmip_attr_v1_name(attr, buf, len) ? buf : "the attribute";
}

/* Answers Unique Identifier and, in 1.x, the Attribute instance. */
static bool answer_instance(kmipd_call *call, const kmipd_object *obj,
                            const kmip_item *instance, int32_t index)
{
    if (!kmipd_call_answer_uid(call, obj->uid))
        return false;
    if (kmip_version_is_v2(call->version) || instance == NULL)
        return true;
    if (!kmip_item_add(call->response, kmipd_attr_v1(instance, index)))
        return kmipd_fail_nomem(call);
    return true;
}

/* Whether a change of attr (a new value; a value-less probe for Delete
 * and Adjust) would loosen obj's export control: Sensitive only turns on
 * and Extractable only off, as in PKCS#11, so that Always Sensitive and
 * Never Extractable stay true. */
static bool loosens_export(const kmipd_object *obj, const kmip_item *attr)
{
    bool strict = attr->tag == KMIP_TAG_SENSITIVE, current;
    if ((attr->tag != KMIP_TAG_SENSITIVE &&
         attr->tag != KMIP_TAG_EXTRACTABLE) ||
        kmip_get_bool(obj->attrs, attr->tag, &current, NULL) != KMIP_OK ||
        current != strict)
        return false;
    return attr->type != KMIP_TYPE_BOOLEAN || attr->v.boolean != strict;
}

/* Fails call unless the client may change attr of obj now. */
static bool check_changeable(kmipd_call *call, const kmipd_object *obj,
                             const kmip_item *attr)
{
    char name[256];
    for (size_t i = 0; i < sizeof(fixed_tags) / sizeof(fixed_tags[0]); i++) {
        if (attr->tag == fixed_tags[i]) {
            uint32_t reason = kmip_version_is_v2(call->version)
                                  ? KMIP_RESULT_REASON_ATTRIBUTE_READ_ONLY
                                  : KMIP_RESULT_REASON_PERMISSION_DENIED;
            return kmipd_fail(call, reason, "%s cannot change",
                              attr_label(attr, name, sizeof(name)));
        }
    }
    if (!kmipd_attr_check_settable(call, attr))
        return false;
    if (loosens_export(obj, attr))
        return kmipd_fail(call, KMIP_RESULT_REASON_PERMISSION_DENIED,
                          "%s of %s can only become stricter",
                          attr_label(attr, name, sizeof(name)), obj->uid);
    bool dated = attr->tag == KMIP_TAG_ACTIVATION_DATE ||
                 attr->tag == KMIP_TAG_DEACTIVATION_DATE;
    bool open = obj->state == KMIP_STATE_PRE_ACTIVE ||
                (attr->tag == KMIP_TAG_DEACTIVATION_DATE &&
                 obj->state == KMIP_STATE_ACTIVE);
    if (dated && !open) /* 1.x: Permission Denied (OASIS SKLC-M-3) */
        return kmipd_fail_mapped(
            call, KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE,
            "%s of %s cannot change in its state",
            attr_label(attr, name, sizeof(name)), obj->uid);
    return true;
}

/* Decodes the one attribute a request carries: a 1.x Attribute child, or
 * in 2.x the attribute inside the structure tag (New Attribute, Current
 * Attribute). *out is NULL (and true returned) when absent and optional. */
static bool request_attribute(kmipd_call *call, uint32_t tag, bool required,
                              kmip_item **out)
{
    *out = NULL;
    const kmip_item *holder = kmip_item_find(call->request, tag);
    const kmip_item *attr = holder;
    if (holder != NULL && tag != KMIP_TAG_ATTRIBUTE) {
        if (holder->type != KMIP_TYPE_STRUCTURE ||
            holder->v.children.count != 1)
            return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                              "%s must hold exactly one attribute",
                              kmip_tag_name(tag));
        attr = holder->v.children.first;
    }
    if (attr == NULL) {
        if (!required)
            return true;
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA, "no %s",
                          kmip_tag_name(tag));
    }
    kmip_status st;
    if (kmip_attr_decode(attr, out, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    return true;
}

/* The attribute form of this request version: Attribute in 1.x, the
 * given 2.x holder otherwise. */
static uint32_t holder_tag(const kmipd_call *call, uint32_t v2_tag)
{
    return kmip_version_is_v2(call->version) ? v2_tag : KMIP_TAG_ATTRIBUTE;
}

/* The Attribute Index of a 1.x request Attribute (0 when absent). */
static bool request_index(kmipd_call *call, const kmip_item *holder,
                          int32_t *index)
{
    kmip_status st;
    *index = 0;
    kmip_rc rc = kmip_get_integer(holder, KMIP_TAG_ATTRIBUTE_INDEX, index, &st);
    if (rc != KMIP_OK && rc != KMIP_E_NOT_FOUND)
        return kmipd_fail_status(call, &st);
    if (*index < 0)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "Attribute Index must not be negative");
    return true;
}

static bool attribute_missing(kmipd_call *call, const kmipd_object *obj,
                              const kmipd_attr_id *id)
{
    uint32_t reason = kmip_version_is_v2(call->version)
                          ? KMIP_RESULT_REASON_ATTRIBUTE_NOT_FOUND
                          : KMIP_RESULT_REASON_ITEM_NOT_FOUND;
    return kmipd_fail(call, reason, "%s has no such %s", obj->uid,
                      kmipd_attr_id_label(id));
}

/* Saves a changed obj (its state following its dates) and frees it. */
static bool save(kmipd_call *call, kmipd_object *obj, bool ok)
{
    if (ok)
        kmipd_lifecycle_refresh(obj, time(NULL));
    ok = ok && kmipd_call_save(call, obj);
    kmipd_object_free(obj);
    return ok;
}

/* Replaces instance's value by attr's, in place (so that Attribute
 * Indexes hold); frees attr. */
static void replace_in_place(kmip_item *instance, kmip_item *attr)
{
    kmip_item old = *instance;
    *instance = *attr;
    instance->next = old.next;
    old.next = NULL;
    *attr = old;
    kmip_item_free(attr);
}

/* The instance a Modify or Delete request names: by Attribute Index (1.x),
 * by Current Attribute (2.x), or the only instance of a single-valued
 * attribute (2.x without Current Attribute). NULL with call failed when
 * there is none. */
static kmip_item *target_instance(kmipd_call *call, kmipd_object *obj,
                                  const kmipd_attr_id *id,
                                  const kmip_item *current)
{
    kmip_item *instance = NULL;
    if (!kmip_version_is_v2(call->version)) {
        int32_t index;
        if (!request_index(call,
                           kmip_item_find(call->request, KMIP_TAG_ATTRIBUTE),
                           &index))
            return NULL;
        instance = kmipd_attr_find_instance(obj->attrs, id, index);
    } else if (current != NULL) {
        for (int32_t i = 0;
             (instance = kmipd_attr_find_instance(obj->attrs, id, i)) != NULL &&
             !kmipd_item_equal(instance, current);
             i++)
            ;
    } else if (kmipd_attr_multi_valued(id->tag)) {
        kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                   "a multi-valued attribute needs its Current Attribute");
        return NULL;
    } else {
        instance = kmipd_attr_find_instance(obj->attrs, id, 0);
    }
    if (instance == NULL)
        attribute_missing(call, obj, id);
    return instance;
}

bool kmipd_op_add_attribute(kmipd_call *call)
{
    kmip_item *attr;
    if (!request_attribute(call, holder_tag(call, KMIP_TAG_NEW_ATTRIBUTE), true,
                           &attr))
        return false;
    kmipd_attr_id id;
    kmipd_object *obj = NULL;
    bool ok = kmipd_attr_id_of(attr, &id) &&
              kmipd_call_load_for_update(call, &obj) &&
              check_changeable(call, obj, attr);
    if (ok && !kmipd_attr_multi_valued(id.tag) &&
        kmipd_attr_find_instance(obj->attrs, &id, 0) != NULL)
        ok =
            kmipd_fail(call,
                       kmip_version_is_v2(call->version)
                           ? KMIP_RESULT_REASON_ATTRIBUTE_SINGLE_VALUED
                           : KMIP_RESULT_REASON_ILLEGAL_OPERATION,
                       "%s already has %s", obj->uid, kmipd_attr_id_label(&id));
    if (!ok) {
        kmip_item_free(attr);
        kmipd_object_free(obj);
        return false;
    }
    if (!kmip_item_add(obj->attrs, attr))
        ok = kmipd_fail_nomem(call);
    ok = ok && answer_instance(call, obj, attr,
                               kmipd_attr_instance_index(obj->attrs, attr));
    return save(call, obj, ok);
}

bool kmipd_op_modify_attribute(kmipd_call *call)
{
    kmip_item *attr, *current = NULL;
    if (!request_attribute(call, holder_tag(call, KMIP_TAG_NEW_ATTRIBUTE), true,
                           &attr))
        return false;
    kmipd_attr_id id;
    kmipd_object *obj = NULL;
    kmip_item *instance = NULL;
    bool ok = kmipd_attr_id_of(attr, &id) &&
              (!kmip_version_is_v2(call->version) ||
               request_attribute(call, KMIP_TAG_CURRENT_ATTRIBUTE, false,
                                 &current)) &&
              kmipd_call_load_for_update(call, &obj) &&
              check_changeable(call, obj, attr) &&
              (instance = target_instance(call, obj, &id, current)) != NULL;
    kmip_item_free(current);
    if (!ok) {
        kmip_item_free(attr);
        kmipd_object_free(obj);
        return false;
    }
    replace_in_place(instance, attr);
    ok = answer_instance(call, obj, instance,
                         kmipd_attr_instance_index(obj->attrs, instance));
    return save(call, obj, ok);
}

/* The attribute a Delete request names and, in 2.x, the instance it gives
 * (*current, NULL when it gives a reference only). */
static bool delete_target(kmipd_call *call, kmipd_attr_id *id,
                          kmip_item **current)
{
    *current = NULL;
    if (kmip_version_is_v2(call->version)) {
        if (!request_attribute(call, KMIP_TAG_CURRENT_ATTRIBUTE, false,
                               current))
            return false;
        if (*current != NULL)
            return kmipd_attr_id_of(*current, id);
    }
    uint32_t ref_tag = kmip_version_is_v2(call->version)
                           ? KMIP_TAG_ATTRIBUTE_REFERENCE
                           : KMIP_TAG_ATTRIBUTE_NAME;
    const kmip_item *ref = kmip_item_find(call->request, ref_tag);
    if (ref == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA, "no %s",
                          kmip_tag_name(ref_tag));
    bool known;
    if (kmipd_attr_id_of_reference(call, ref, id, &known))
        return true;
    if (!known && ref->type == KMIP_TYPE_TEXT_STRING)
        kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                   "unknown attribute %s", (const char *)ref->v.bytes.data);
    return false;
}

bool kmipd_op_delete_attribute(kmipd_call *call)
{
    kmipd_attr_id id;
    kmip_item *current = NULL;
    kmipd_object *obj = NULL;
    kmip_item *instance = NULL;
    kmip_item probe = {.tag = 0};
    bool ok = delete_target(call, &id, &current) &&
              kmipd_call_load_for_update(call, &obj);
    probe.tag = id.tag;
    ok = ok && check_changeable(call, obj, &probe) &&
         (instance = target_instance(call, obj, &id, current)) != NULL;
    kmip_item_free(current);
    if (!ok) {
        kmipd_object_free(obj);
        return false;
    }
    int32_t index = kmipd_attr_instance_index(obj->attrs, instance);
    ok = answer_instance(call, obj, instance, index);
    kmip_item_remove(obj->attrs, instance);
    kmip_item_free(instance);
    return save(call, obj, ok);
}

bool kmipd_op_set_attribute(kmipd_call *call)
{
    kmip_item *attr;
    if (!request_attribute(call, KMIP_TAG_NEW_ATTRIBUTE, true, &attr))
        return false;
    kmipd_object *obj = NULL;
    bool ok = kmipd_call_load_for_update(call, &obj) &&
              check_changeable(call, obj, attr);
    if (ok && kmipd_attr_multi_valued(attr->tag))
        ok = kmipd_fail(call, KMIP_RESULT_REASON_MULTI_VALUED_ATTRIBUTE,
                        "Set Attribute is for single-valued attributes");
    if (!ok) {
        kmip_item_free(attr);
        kmipd_object_free(obj);
        return false;
    }
    ok = kmipd_attrs_put(obj->attrs, attr)
             ? kmipd_call_answer_uid(call, obj->uid)
             : kmipd_fail_nomem(call);
    return save(call, obj, ok);
}

static bool adjust_overflow(kmipd_call *call)
{
    return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                      "the adjusted value is out of the attribute's range");
}

/* x adjusted by type (with amount); false when the result overflows. */
static bool adjusted(int64_t x, uint32_t type, int64_t amount, int64_t *out)
{
    if (type == KMIP_ADJUSTMENT_TYPE_NEGATE)
        return !__builtin_sub_overflow(0, x, out);
    if (type == KMIP_ADJUSTMENT_TYPE_DECREMENT)
        return !__builtin_sub_overflow(x, amount, out);
    return !__builtin_add_overflow(x, amount, out);
}

/* Applies an Adjustment Type (with its value, 1 when absent) to a numeric,
 * date or boolean instance; a result out of the instance's range is
 * Invalid Field. */
static bool adjust(kmipd_call *call, kmip_item *instance, uint32_t type,
                   int64_t amount)
{
    bool negate = type == KMIP_ADJUSTMENT_TYPE_NEGATE;
    int64_t value;
    switch (instance->type) {
    case KMIP_TYPE_BOOLEAN:
        if (!negate)
            break;
        instance->v.boolean = !instance->v.boolean;
        return true;
    case KMIP_TYPE_INTEGER:
        if (!adjusted(instance->v.integer, type, amount, &value) ||
            value != (int32_t)value)
            return adjust_overflow(call);
        instance->v.integer = (int32_t)value;
        return true;
    case KMIP_TYPE_DATE_TIME:
        if (negate)
            break;
        /* fall through */
    case KMIP_TYPE_LONG_INTEGER:
        if (!adjusted(instance->v.long_integer, type, amount, &value))
            return adjust_overflow(call);
        instance->v.long_integer = value;
        return true;
    default:
        break;
    }
    return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                      "this adjustment does not apply to %s",
                      kmip_type_name(instance->type));
}

/* Adjustment Value: an Integer, Long Integer or Interval; 1 when absent. */
static bool adjustment_amount(kmipd_call *call, int64_t *amount)
{
    const kmip_item *value =
        kmip_item_find(call->request, KMIP_TAG_ADJUSTMENT_VALUE);
    *amount = 1;
    if (value == NULL)
        return true;
    if (value->type == KMIP_TYPE_INTEGER)
        *amount = value->v.integer;
    else if (value->type == KMIP_TYPE_LONG_INTEGER)
        *amount = value->v.long_integer;
    else if (value->type == KMIP_TYPE_INTERVAL)
        *amount = value->v.enumeration;
    else
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "bad Adjustment Value");
    return true;
}

bool kmipd_op_adjust_attribute(kmipd_call *call)
{
    const kmip_item *ref =
        kmip_item_find(call->request, KMIP_TAG_ATTRIBUTE_REFERENCE);
    uint32_t type;
    int64_t amount;
    kmip_status st;
    kmipd_attr_id id;
    bool known;
    if (ref == NULL)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                          "no Attribute Reference");
    if (kmip_get_enum(call->request, KMIP_TAG_ADJUSTMENT_TYPE, &type, &st) !=
        KMIP_OK)
        return kmipd_fail_status(call, &st);
    if (!adjustment_amount(call, &amount) ||
        !kmipd_attr_id_of_reference(call, ref, &id, &known))
        return false;
    kmipd_object *obj = NULL;
    kmip_item *instance = NULL;
    kmip_item probe = {.tag = id.tag};
    bool ok = kmipd_call_load_for_update(call, &obj) &&
              check_changeable(call, obj, &probe) &&
              (instance = target_instance(call, obj, &id, NULL)) != NULL &&
              adjust(call, instance, type, amount) &&
              kmipd_call_answer_uid(call, obj->uid);
    if (obj == NULL)
        return false;
    return save(call, obj, ok);
}
