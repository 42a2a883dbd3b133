/* SPDX-License-Identifier: Apache-2.0 */
/* C_DestroyObject: a session object kept in the process goes from the
 * handle table; any other is destroyed on the server (server_destroy.c). */
#include "core.h"

P11_EXPORT CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession,
                                 CK_OBJECT_HANDLE hObject)
{
    p11_session *session;
    p11_object *object;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    rv = p11_object_write_check(session, hObject);
    if (rv == CKR_OK)
        rv = p11_session_check_login(session);
    if (rv == CKR_OK)
        rv = p11_object_get(session, hObject, &object);
    if (rv == CKR_OK && p11_object_in_process(object))
        p11_object_mark_destroyed(object); /* kept in the process */
    else if (rv == CKR_OK)
        rv = p11_object_destroy_on_server(session, object);
    p11_session_release(session);
    return rv;
}
