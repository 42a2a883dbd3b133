/* SPDX-License-Identifier: Apache-2.0 */
/* Session keys left on the server by processes that ended without
 * destroying them (killed, crashed): found by their owner mark
 * (session_mark.h) for `p11kmip leftovers`. Not part of PKCS#11: the
 * module hides these keys from every other process. */
#ifndef P11CORE_LEFTOVERS_H
#define P11CORE_LEFTOVERS_H

#include <p11-kit/pkcs11.h>

#include "session_mark.h"

typedef struct p11_leftover {
    char *uid;
    char *label; /* NULL when none */
    CK_OBJECT_CLASS object_class;
    p11_owner_mark mark;
    p11_owner_state owner; /* P11_OWNER_LIVE: a running process's key */
} p11_leftover;

/* Every session key of other processes (or of an earlier C_Initialize
 * of this one) on the token of session: one Locate, then the attributes
 * of the objects not cached yet. *out (free with p11_leftovers_free)
 * holds *n. */
CK_RV p11_leftovers_list(CK_SESSION_HANDLE session, p11_leftover **out,
                         size_t *n);
void p11_leftovers_free(p11_leftover *list, size_t n);

/* Revokes and destroys the session key uid: only one whose owner is gone
 * from this host and boot, or (elsewhere true) of another host or boot.
 * CKR_OBJECT_HANDLE_INVALID for a token object, a live process's key or
 * one of this process; CKR_ACTION_PROHIBITED for another host's without
 * elsewhere. */
CK_RV p11_leftover_remove(CK_SESSION_HANDLE session, const char *uid,
                          bool elsewhere);

#endif
