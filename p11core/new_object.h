/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by C_CreateObject, C_GenerateKey and C_GenerateKeyPair. */
#ifndef P11CORE_NEW_OBJECT_H
#define P11CORE_NEW_OBJECT_H

#include "attrmap.h"
#include "p11core_internal.h"

/* CKR_SESSION_READ_ONLY for a read-only session (every object is a token
 * object), CKR_USER_NOT_LOGGED_IN when the token needs a login. */
CK_RV p11_new_object_check(p11_session *session);

/* Sends operation (Create, Create Key Pair, Register) with payload
 * (consumed), followed by Activate of the ID Placeholder, as one batch;
 * as two requests where the server refuses that (learned at the first
 * refusal). On DONE *resp (free with kmip_response_free) holds the
 * response and *out_payload the operation's Response Payload. A failed
 * Activate is logged: the object exists and is handed out. Each new object
 * whose attributes in payload carry the owner mark (p11_template_kmip_attrs
 * adds it for CKA_TOKEN false) becomes a session object of session
 * (session_keys.c): C_CloseSession destroys it. */
p11_reply p11_create_and_activate(p11_session *session, kmip_version version,
                                  uint32_t operation, kmip_item *payload,
                                  kmip_response **resp,
                                  const kmip_item **out_payload);

/* p11_create_and_activate, then the handle (*handle) of the object whose
 * Unique Identifier the response names: C_CreateObject, C_GenerateKey,
 * C_DeriveKey. */
p11_reply p11_make_object(p11_session *session, kmip_version version,
                          uint32_t operation, kmip_item *payload,
                          CK_OBJECT_HANDLE *handle);

/* p11_make_object, and when keep_public_half (a private key whose value
 * the module never saw: C_UnwrapKey) the key first keeps its public half
 * as the server gives it (p11_keep_public_half, Key Format Type X.509). */
p11_reply p11_make_key(p11_session *session, kmip_version version,
                       uint32_t operation, kmip_item *payload,
                       bool keep_public_half, CK_OBJECT_HANDLE *handle);

/* Makes one object, sending extras (P11_SEND_* of attrmap.h) besides
 * Name and usage. */
typedef p11_reply p11_create_fn(p11_session *session, void *args,
                                unsigned extras);

/* Makes an object with create, sending custom attributes when
 * wants_custom (a CKA_ID, a private key's public half, attributes KMIP has
 * no place for) and Sensitive / Extractable from KMIP 1.4 on, each unless
 * the server is known to refuse it; when the server refuses the request
 * as unsupported, again with fewer (custom attributes first): the slot
 * learns what works. */
p11_reply p11_create_with_extras(p11_session *session, bool wants_custom,
                                 p11_create_fn *create, void *args);

/* The canonical attribute set (*out, freed by the caller) of a new secret
 * key of key_type (CKK_AES, CKK_GENERIC_SECRET) from templ, with extras:
 * the template checked, CKA_VALUE_LEN required and within the key type's
 * sizes (keygen.c, for C_GenerateKey and C_DeriveKey, the phase). */
CK_RV p11_secret_key_attrs(CK_KEY_TYPE key_type, const CK_ATTRIBUTE *templ,
                           CK_ULONG count, p11_template_phase phase,
                           unsigned extras, kmip_item **out);

/* Whether session may make the object of templ: a read-only session
 * makes session objects (CKA_TOKEN false), not token objects
 * (CKR_SESSION_READ_ONLY); both need the login the slot asks. */
CK_RV p11_create_check(p11_session *session, const CK_ATTRIBUTE *templ,
                       CK_ULONG count);

/* C_CreateObject's work, after the session checks (create.c; C_CopyObject
 * registers its copy with it). */
CK_RV p11_create_object(p11_session *session, const CK_ATTRIBUTE *templ,
                        CK_ULONG count, CK_OBJECT_HANDLE *handle);

/* public_half.c: after a new key pair, stores a copy of the public key
 * with the private key (x-pkcs11-public-key), when the slot takes custom
 * attributes: two round trips. public_uid's key is got in format (a Key
 * Format Type; 0: as stored): a private key's own public half is its X.509
 * form (kmipd gives it). Failures are logged only. */
void p11_keep_public_half(p11_session *session, kmip_version version,
                          const char *private_uid, const char *public_uid,
                          uint32_t format);

/* Registers object (as kmip_object_build made it) of object_type with
 * attrs, and activates it (keeping its public half as p11_make_key); the
 * new object's handle into *handle. */
p11_reply p11_register_new(p11_session *session, uint32_t object_type,
                           const kmip_item *attrs, const kmip_item *object,
                           bool keep_public_half, CK_OBJECT_HANDLE *handle);

/* The handle of the new object uid in session's slot. */
CK_RV p11_new_handle(p11_session *session, const char *uid,
                     CK_OBJECT_HANDLE *handle);

/* ---- Session keys (session_keys.c): secret and private keys with
 * CKA_TOKEN false, made on the server with this process's owner mark. */

/* The Unique Identifier tags of a create-like response that name objects
 * whose attributes in the request carry the owner mark. */
typedef struct p11_session_claim {
    uint32_t uid_tags[3];
    size_t n;
} p11_session_claim;

/* Which new objects of the request payload are session objects. */
void p11_session_claim_scan(const kmip_item *payload, p11_session_claim *claim);

/* Makes the objects claim names in the response payload session objects
 * of session (owner), before any handle is handed out. */
void p11_session_claim_take(p11_session *session, const kmip_item *payload,
                            const p11_session_claim *claim);

#endif
