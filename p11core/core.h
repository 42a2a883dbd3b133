/* SPDX-License-Identifier: Apache-2.0 */
/* Lifecycle functions shared by the core files of p11core (module, slot,
 * session, object tables) and not needed by the operation files. */
#ifndef P11CORE_CORE_H
#define P11CORE_CORE_H

#include "p11core_internal.h"

/* log.c: set the level and the file (NULL: standard error) at
 * C_Initialize; p11_log_close restores standard error at C_Finalize. */
void p11_log_open(p11kmip_log_level level, const char *path);
void p11_log_close(void);

/* slot.c: prepare slot from conf / release its client and PIN. */
CK_RV p11_slot_init(p11_slot *slot, CK_SLOT_ID id,
                    const p11kmip_slot_conf *conf);
void p11_slot_clear(p11_slot *slot);

/* login.c: logs the slot out (no-op when not logged in): drops the PIN
 * and the client built with it. */
void p11_slot_logout(p11_slot *slot);

/* client.c: a new KMIP client for slot's configuration, with the key
 * passphrase and the credential password given (each may be NULL).
 * Called with slot->client_lock held for writing. On failure logs why. */
CK_RV p11_slot_client_new(const p11_slot *slot, const char *key_passphrase,
                          const char *password, kmip_client **out);

/* session.c: frees a session (its operations and search) at C_Finalize
 * or on its last release. NULL is a no-op. */
void p11_session_free(p11_session *session);

/* object.c: frees an object and its cache. NULL is a no-op. */
void p11_object_free(p11_object *object);

/* find.c: ends a search and frees it. NULL is a no-op. */
void p11_find_free(struct p11_find *find);

#endif
