// SPDX-License-Identifier: Apache-2.0
/* C_CopyObject: a copy of an object whose value the module holds
 * (certificates, public keys, data objects; CKA_COPYABLE says which) is a
 * new object registered as C_CreateObject registers one, from the
 * source's attributes with the template's in their place. A private or
 * secret key stays on the server, which has no copy operation:
 * CKR_ACTION_PROHIBITED. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "attrmap.h"
#include "new_object.h"

/* What C_CreateObject needs to make the source again; each object has
 * some of them. */
static const CK_ATTRIBUTE_TYPE copied[] = {
    CKA_CLASS,
    CKA_TOKEN,
    CKA_LABEL,
    CKA_ID,
    CKA_CERTIFICATE_TYPE,
    CKA_KEY_TYPE,
    CKA_VALUE,
    CKA_APPLICATION,
    CKA_OBJECT_ID,
    CKA_MODULUS,
    CKA_PUBLIC_EXPONENT,
    CKA_EC_PARAMS,
    CKA_EC_POINT,
    CKA_VERIFY,
    CKA_ENCRYPT,
    CKA_WRAP,
    CKA_DERIVE,
};

#define COPIED_COUNT (sizeof(copied) / sizeof(copied[0]))

/* A template: the caller's entries, then the source's values (owned)
 * of the types the caller did not give. */
typedef struct merged {
    CK_ATTRIBUTE *attrs; /* given + COPIED_COUNT entries */
    CK_ULONG count;
    CK_ULONG given; /* the first entries, the caller's */
} merged;

static void merged_clear(merged *m)
{
    for (CK_ULONG i = m->given; i < m->count; i++)
        OPENSSL_clear_free(m->attrs[i].pValue, m->attrs[i].ulValueLen);
    free(m->attrs);
}

static bool given(const merged *m, CK_ATTRIBUTE_TYPE type)
{
    for (CK_ULONG i = 0; i < m->given; i++)
        if (m->attrs[i].type == type)
            return true;
    return false;
}

/* Appends the source's value of type, unless the caller gave one or the
 * source has none (or an empty one). Under object->lock. */
static CK_RV add_source_value(merged *m, const p11_object *object,
                              CK_ATTRIBUTE_TYPE type)
{
    p11_attr_value value;
    CK_RV rv = given(m, type) ? CKR_ATTRIBUTE_TYPE_INVALID
                              : p11_attr_read(object, type, &value);

    if (rv != CKR_OK)
        return rv == CKR_HOST_MEMORY ? rv : CKR_OK;
    if (value.len > 0) {
        void *copy = OPENSSL_memdup(value.data, value.len);

        if (copy == NULL)
            rv = CKR_HOST_MEMORY;
        else
            m->attrs[m->count++] =
                (CK_ATTRIBUTE){type, copy, (CK_ULONG)value.len};
    }
    p11_attr_value_clear(&value);
    return rv;
}

/* The template of the copy into m: templ over the source's values. */
static CK_RV merge(merged *m, const p11_object *object,
                   const CK_ATTRIBUTE *templ, CK_ULONG count)
{
    CK_RV rv = CKR_OK;

    m->attrs = calloc(count + COPIED_COUNT, sizeof(*m->attrs));
    if (m->attrs == NULL)
        return CKR_HOST_MEMORY;
    if (count > 0)
        memcpy(m->attrs, templ, count * sizeof(*templ));
    m->count = m->given = count;
    for (size_t i = 0; rv == CKR_OK && i < COPIED_COUNT; i++)
        rv = add_source_value(m, object, copied[i]);
    return rv;
}

/* The copy's template from the loaded source, or CKR_ACTION_PROHIBITED. */
static CK_RV copy_template(p11_object *object, const CK_ATTRIBUTE *templ,
                           CK_ULONG count, merged *m)
{
    p11_attr_value copyable;
    CK_RV rv;

    pthread_mutex_lock(&object->lock);
    rv = p11_attr_read(object, CKA_COPYABLE, &copyable);
    if (rv == CKR_OK && copyable.value_bool != CK_TRUE)
        rv = CKR_ACTION_PROHIBITED;
    if (rv == CKR_OK)
        rv = merge(m, object, templ, count);
    pthread_mutex_unlock(&object->lock);
    p11_attr_value_clear(&copyable);
    return rv;
}

P11_EXPORT CK_RV C_CopyObject(CK_SESSION_HANDLE hSession,
                              CK_OBJECT_HANDLE hObject,
                              CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                              CK_OBJECT_HANDLE_PTR phNewObject)
{
    merged m = {.attrs = NULL};
    p11_session *session;
    p11_object *object;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    if ((pTemplate == NULL && ulCount > 0) || phNewObject == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK)
        rv = p11_object_get(session, hObject, &object);
    if (rv == CKR_OK)
        rv = copy_template(object, pTemplate, ulCount, &m);
    if (rv == CKR_OK)
        rv = p11_create_check(session, m.attrs, m.count);
    if (rv == CKR_OK)
        rv = p11_create_object(session, m.attrs, m.count, phNewObject);
    merged_clear(&m);
    p11_session_release(session);
    return rv;
}
