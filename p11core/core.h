/* SPDX-License-Identifier: Apache-2.0 */
/* Lifecycle functions shared by the core files of p11core (module, slot,
 * session, object tables) and not needed by the operation files. */
#ifndef P11CORE_CORE_H
#define P11CORE_CORE_H

#include "p11core_internal.h"

/* state.c: the state C_Initialize installed, of this process or of a
 * parent (no pid check), or NULL; C_Initialize and C_Finalize install
 * and remove it under their lock. */
p11_module *p11_module_current(void);
void p11_module_set(p11_module *module);

/* slot.c: prepare slot from conf / release its client and PIN. */
CK_RV p11_slot_init(p11_slot *slot, CK_SLOT_ID id,
                    const p11kmip_slot_conf *conf);
void p11_slot_clear(p11_slot *slot);

/* credentials.c: PINs are 1 to 256 bytes with no NUL byte, as Solaris'
 * pkcs11_kmip specifies: CKR_PIN_LEN_RANGE, CKR_PIN_INVALID or CKR_OK. */
#define P11_MIN_PIN_LEN 1
#define P11_MAX_PIN_LEN 256
CK_RV p11_pin_check(const char *pin, CK_ULONG len);

/* credentials.c: a NUL-terminated copy of the PIN, or NULL; free with
 * p11_pin_free with the same len, which wipes it. */
char *p11_pin_dup(CK_UTF8CHAR_PTR pin, CK_ULONG len);
void p11_pin_free(char *pin, CK_ULONG len);

/* credentials.c: whether passphrase opens the slot's client credential
 * ("p12", else "key"): CKR_OK, CKR_PIN_INCORRECT, or CKR_DEVICE_ERROR
 * when the file cannot be read. */
CK_RV p11_credential_check(const p11kmip_slot_conf *conf,
                           const char *passphrase);

/* credentials.c: re-encrypts the credential under new_passphrase (a
 * bundle keeps its contents), replacing the file atomically, mode 0600. */
CK_RV p11_credential_change(const p11kmip_slot_conf *conf,
                            const char *old_passphrase,
                            const char *new_passphrase);

/* login.c: whether pin is the token's PIN, as C_Login would check it
 * (mode none: any), without logging in. Pin holds pin_len bytes and a
 * NUL after them. */
CK_RV p11_login_check(const p11_slot *slot, const char *pin, CK_ULONG pin_len);

/* session.c: frees a session (its operations and search) at C_Finalize
 * or on its last release. NULL is a no-op. */
void p11_session_free(p11_session *session);

/* object.c: frees an object and its cache. NULL is a no-op. */
void p11_object_free(p11_object *object);

/* object.c: frees the cached attributes and clears loaded. */
void p11_object_cache_clear(p11_object *object);

/* object.c: the object with handle in session's slot, loaded or not:
 * CKR_OBJECT_HANDLE_INVALID when unknown, destroyed or of another slot. */
CK_RV p11_object_lookup(p11_session *session, CK_OBJECT_HANDLE handle,
                        p11_object **out);

/* object.c: the uid whose bytes are CKA_ID when the object has no
 * x-pkcs11-id: a public key's linked private key, else its own. */
const char *p11_fallback_id_uid(CK_OBJECT_CLASS object_class, const char *uid,
                                const char *linked_uid);

/* object.c: the handle stays in the table and becomes invalid. */
void p11_object_mark_destroyed(p11_object *object);

/* object.c: a session object (CKA_TOKEN false) of session, not yet in
 * the handle table: fill it, then add it with p11_object_local_add (which
 * frees it on failure). */
CK_RV p11_object_local_new(p11_session *session, p11_object **out);
CK_RV p11_object_local_add(p11_object *object, CK_OBJECT_HANDLE *handle);

/* object.c: whether session may change or destroy the object of handle:
 * any session a session object, only a read-write session anything else
 * (CKR_SESSION_READ_ONLY, before the handle is checked). */
CK_RV p11_object_write_check(p11_session *session, CK_OBJECT_HANDLE handle);

/* object.c: the live session objects of slot kept in the process, in a
 * new array (free it; not the objects). */
CK_RV p11_local_objects(const p11_slot *slot, p11_object ***out, size_t *n);

/* object.c: the live session keys of slot (session objects on the server)
 * made by owner (by any session when 0), in a new array as above, marked
 * destroyed: the caller destroys them on the server. */
CK_RV p11_session_keys_take(const p11_slot *slot, CK_SESSION_HANDLE owner,
                            p11_object ***out, size_t *n);

/* object.c: a session object kept in the process (no uid), not one made
 * on the server. */
bool p11_object_in_process(const p11_object *object);

/* object.c: the loaded object carries another process's owner mark (or
 * one of an earlier C_Initialize): never shown. */
bool p11_object_foreign(const p11_object *object);

/* object.c: the object uid of session's slot becomes a session object of
 * session, before its handle is handed out. */
CK_RV p11_object_claim(p11_session *session, const char *uid);

/* server_destroy.c: Revoke (when the object may be Active) and Destroy of
 * object on the server; marks it destroyed on success. */
CK_RV p11_object_destroy_on_server(p11_session *session, p11_object *object);

/* session_keys.c: destroys on the server the session keys of slot made
 * by owner (by any session when 0): C_CloseSession, C_CloseAllSessions,
 * C_Finalize and process exit. A failure is logged ('p11kmip leftovers'
 * finds the key later), bounded by the client's timeouts. */
void p11_session_keys_end(p11_slot *slot, CK_SESSION_HANDLE owner);

/* object.c: marks destroyed the session objects of slot kept in the
 * process made by owner (by any session when 0). Called under
 * module->lock. */
void p11_local_objects_drop(const p11_module *module, const p11_slot *slot,
                            CK_SESSION_HANDLE owner);

struct kmip_object;

/* object_load.c: fills a session object from the canonical attribute set
 * attrs (with its Object Type) and its material, as a load would. */
CK_RV p11_object_fill_local(p11_object *object, const kmip_item *attrs,
                            const struct kmip_object *material,
                            CK_ULONG subtype);

/* object_load.c: fetches the attributes (and public key material) of the
 * n objects in batches and caches them. With results (n entries), the
 * per-object outcome is stored there and the call fails only when the
 * request itself fails; without, the first object failure is returned. */
CK_RV p11_objects_load(p11_session *session, p11_object **objects, size_t n,
                       CK_RV *results);

/* object_load.c: as p11_objects_load with results, for one object whose
 * Get Attributes answer is item index of resp (the caller batched that
 * request, by ID Placeholder, behind the one that found the object).
 * *used is false, and nothing is done, when that item failed or is about
 * another object (a server that did not set the placeholder may hold an
 * older one): load the object with p11_objects_load then. */
CK_RV p11_object_load_answered(p11_session *session, p11_object *object,
                               const kmip_response *resp, size_t index,
                               bool *used, CK_RV *result);

/* An active C_FindObjects search: the handles found, handed out from
 * next. */
struct p11_find {
    CK_OBJECT_HANDLE *handles;
    size_t count;
    size_t next;
};

/* session_state.c: ends a search and frees it. NULL is a no-op. */
void p11_find_free(struct p11_find *find);

#endif
