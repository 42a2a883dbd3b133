/* SPDX-License-Identifier: Apache-2.0 */
/* C_CreateObject (Register + Activate in one batch) and C_CopyObject. */
#include "core.h"

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "key_import.h"
#include "new_object.h"

/* The class and subtype a creation template asks for. */
static CK_RV template_kind(const CK_ATTRIBUTE *templ, CK_ULONG count,
                           CK_OBJECT_CLASS *object_class, CK_ULONG *subtype)
{
    CK_RV rv = p11_template_ulong(templ, count, CKA_CLASS, object_class);

    if (rv != CKR_OK)
        return rv;
    *subtype = CK_UNAVAILABLE_INFORMATION;
    switch (*object_class) {
    case CKO_PUBLIC_KEY:
    case CKO_PRIVATE_KEY:
        rv = p11_template_ulong(templ, count, CKA_KEY_TYPE, subtype);
        if (rv == CKR_OK && *subtype != CKK_RSA && *subtype != CKK_EC)
            rv = CKR_ATTRIBUTE_VALUE_INVALID;
        return rv;
    case CKO_SECRET_KEY:
        rv = p11_template_ulong(templ, count, CKA_KEY_TYPE, subtype);
        if (rv == CKR_OK && *subtype != CKK_AES &&
            *subtype != CKK_GENERIC_SECRET)
            rv = CKR_ATTRIBUTE_VALUE_INVALID;
        return rv;
    case CKO_CERTIFICATE:
        rv = p11_template_ulong(templ, count, CKA_CERTIFICATE_TYPE, subtype);
        if (rv == CKR_OK && *subtype != CKC_X_509)
            rv = CKR_ATTRIBUTE_VALUE_INVALID;
        return rv;
    case CKO_DATA:
        return CKR_OK;
    default:
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
}

static CK_RV register_object(p11_session *session, const CK_ATTRIBUTE *templ,
                             CK_ULONG count, CK_OBJECT_CLASS object_class,
                             CK_ULONG subtype, const p11_import *import,
                             unsigned *sent, CK_OBJECT_HANDLE *handle)
{
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *object = kmip_object_build(&import->object);
    kmip_response *resp = NULL;
    const kmip_item *payload;
    kmip_register_result result;
    kmip_version version;
    CK_RV rv = attrs != NULL && object != NULL ? CKR_OK : CKR_HOST_MEMORY;

    if (rv == CKR_OK)
        rv = p11_kmip_version(session, &version);
    if (rv == CKR_OK) {
        *sent = p11_new_object_extras(
            session, version,
            p11_template_wants_custom(templ, count, object_class, subtype) ||
                import->public_der != NULL);
        rv = p11_template_kmip_attrs(templ, count, object_class, subtype, *sent,
                                     attrs);
    }
    if (rv == CKR_OK && (*sent & P11_SEND_CUSTOM) &&
        import->public_der != NULL &&
        p11_hex_attr_add(attrs, P11_PUBLIC_KEY_ATTRIBUTE, import->public_der,
                         import->public_der_len) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK) {
        kmip_register_args args = {import->object.object_type, attrs, object};

        rv = p11_create_and_activate(session, version, KMIP_OPERATION_REGISTER,
                                     kmip_register_request(version, &args),
                                     &resp, &payload);
    }
    if (rv == CKR_OK &&
        kmip_register_response(payload, &result, NULL) != KMIP_OK)
        rv = CKR_DEVICE_ERROR;
    if (rv == CKR_OK)
        rv = p11_new_handle(session, result.uid, handle);
    kmip_response_free(resp);
    kmip_item_free(object);
    kmip_item_free(attrs);
    return rv;
}

static CK_RV create_object(p11_session *session, const CK_ATTRIBUTE *templ,
                           CK_ULONG count, CK_OBJECT_HANDLE *handle)
{
    CK_OBJECT_CLASS object_class;
    CK_ULONG subtype;
    p11_import import;
    unsigned sent = 0;
    CK_RV rv = template_kind(templ, count, &object_class, &subtype);

    if (rv == CKR_OK)
        rv = p11_template_validate(templ, count, object_class, subtype,
                                   P11_TEMPLATE_CREATE);
    if (rv != CKR_OK)
        return rv;
    rv = p11_import_build(templ, count, object_class, subtype, &import);
    if (rv == CKR_OK)
        do
            rv = register_object(session, templ, count, object_class, subtype,
                                 &import, &sent, handle);
        while (p11_retry_with_fewer(session, rv, sent));
    p11_import_clear(&import);
    return rv;
}

P11_EXPORT CK_RV C_CreateObject(CK_SESSION_HANDLE hSession,
                                CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                CK_OBJECT_HANDLE_PTR phObject)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if ((pTemplate == NULL && ulCount > 0) || phObject == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = p11_new_object_check(session);
    if (rv == CKR_OK)
        rv = create_object(session, pTemplate, ulCount, phObject);
    p11_session_release(session);
    return rv;
}

/* Every object answers CKA_COPYABLE false: a KMIP server has no copy of a
 * key that stays on it. */
P11_EXPORT CK_RV C_CopyObject(CK_SESSION_HANDLE hSession,
                              CK_OBJECT_HANDLE hObject,
                              CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                              CK_OBJECT_HANDLE_PTR phNewObject)
{
    p11_session *session;
    p11_object *object;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if ((pTemplate == NULL && ulCount > 0) || phNewObject == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = p11_object_lookup(session, hObject, &object);
    if (rv == CKR_OK)
        rv = CKR_ACTION_PROHIBITED;
    p11_session_release(session);
    return rv;
}
