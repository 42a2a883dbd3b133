/* SPDX-License-Identifier: Apache-2.0 */
/* C_CreateObject (Register + Activate in one batch); C_CopyObject's way
 * to register too. */
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
        if (rv == CKR_OK && *subtype != CKK_RSA && *subtype != CKK_EC &&
            *subtype != CKK_EC_EDWARDS && *subtype != CKK_EC_MONTGOMERY)
            rv = CKR_ATTRIBUTE_VALUE_INVALID;
        return rv;
    case CKO_SECRET_KEY:
        rv = p11_template_ulong(templ, count, CKA_KEY_TYPE, subtype);
        if (rv == CKR_OK && *subtype != CKK_AES && !p11_mac_key_type(*subtype))
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

typedef struct register_request {
    const CK_ATTRIBUTE *templ;
    CK_ULONG count;
    CK_OBJECT_CLASS object_class;
    CK_ULONG subtype;
    const p11_import *import;
    CK_OBJECT_HANDLE *handle;
} register_request;

/* p11_create_fn for an object given whole (args: a register_request). */
static p11_reply register_object(p11_session *session, void *args,
                                 unsigned extras)
{
    const register_request *request = args;
    const CK_ATTRIBUTE *templ = request->templ;
    CK_ULONG count = request->count;
    const p11_import *import = request->import;
    kmip_item *attrs = kmip_attrs_new();
    kmip_item *object = kmip_object_build(&import->object);
    CK_RV rv = attrs != NULL && object != NULL ? CKR_OK : CKR_HOST_MEMORY;

    if (rv == CKR_OK)
        rv = p11_template_kmip_attrs(templ, count, request->object_class,
                                     request->subtype, extras, attrs);
    if (rv == CKR_OK && (extras & P11_SEND_CUSTOM) &&
        import->public_der != NULL &&
        p11_hex_attr_add(attrs, P11_PUBLIC_KEY_ATTRIBUTE, import->public_der,
                         import->public_der_len) == NULL)
        rv = CKR_HOST_MEMORY;
    p11_reply reply = p11_reply_local(rv);
    if (rv == CKR_OK)
        reply = p11_register_new(session, import->object.object_type, attrs,
                                 object, false, request->handle);
    kmip_item_free(object);
    kmip_item_free(attrs);
    return reply;
}

p11_reply p11_register_new(p11_session *session, uint32_t object_type,
                           const kmip_item *attrs, const kmip_item *object,
                           bool keep_public_half, CK_OBJECT_HANDLE *handle)
{
    kmip_version version;
    CK_RV rv = p11_kmip_version(session, &version);

    if (rv != CKR_OK)
        return p11_reply_local(rv);
    kmip_register_args reg = {object_type, attrs, object};
    return p11_make_key(session, version, KMIP_OPERATION_REGISTER,
                        kmip_register_request(version, &reg), keep_public_half,
                        handle);
}

/* A session object of a class that holds no secret: kept in the
 * process, filled as a load would from the attributes Register would
 * send. */
static CK_RV create_local(p11_session *session, const register_request *request)
{
    kmip_item *attrs = kmip_attrs_new();
    p11_object *object = NULL;
    CK_RV rv =
        attrs != NULL && kmip_attrs_add_object_type(
                             attrs, request->import->object.object_type) != NULL
            ? CKR_OK
            : CKR_HOST_MEMORY;

    if (rv == CKR_OK)
        rv = p11_template_kmip_attrs(request->templ, request->count,
                                     request->object_class, request->subtype,
                                     P11_SEND_CUSTOM, attrs);
    if (rv == CKR_OK)
        rv = p11_object_local_new(session, &object);
    if (rv == CKR_OK)
        rv = p11_object_fill_local(object, attrs, &request->import->object,
                                   request->subtype);
    if (rv == CKR_OK)
        rv = p11_object_local_add(object, request->handle);
    else
        p11_object_free(object);
    kmip_item_free(attrs);
    return rv;
}

CK_RV p11_create_object(p11_session *session, const CK_ATTRIBUTE *templ,
                        CK_ULONG count, CK_OBJECT_HANDLE *handle)
{
    CK_OBJECT_CLASS object_class;
    CK_ULONG subtype;
    p11_import import;
    CK_RV rv = template_kind(templ, count, &object_class, &subtype);

    if (rv == CKR_OK)
        rv = p11_template_validate(templ, count, object_class, subtype,
                                   P11_TEMPLATE_CREATE);
    if (rv != CKR_OK)
        return rv;
    rv = p11_import_build(templ, count, object_class, subtype, &import);
    register_request request = {templ,   count,   object_class,
                                subtype, &import, handle};
    if (rv == CKR_OK && p11_template_session_object(templ, count, object_class))
        rv = create_local(session, &request);
    else if (rv == CKR_OK)
        rv = p11_create_with_extras(session,
                                    p11_template_wants_custom(
                                        templ, count, object_class, subtype) ||
                                        import.public_der != NULL,
                                    register_object, &request)
                 .rv;
    p11_import_clear(&import);
    return rv;
}

CK_RV p11_create_check(p11_session *session, const CK_ATTRIBUTE *templ,
                       CK_ULONG count)
{
    if (p11_template_token_false(templ, count))
        return p11_session_check_login(session);
    return p11_new_object_check(session);
}

P11_EXPORT CK_RV C_CreateObject(CK_SESSION_HANDLE hSession,
                                CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                CK_OBJECT_HANDLE_PTR phObject)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    /* An object needs at least its class: no template is a bad argument,
     * as SoftHSM2 answers. */
    if (pTemplate == NULL || phObject == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = p11_create_check(session, pTemplate, ulCount);
    if (rv == CKR_OK)
        rv = p11_create_object(session, pTemplate, ulCount, phObject);
    p11_session_release(session);
    return rv;
}
