/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by C_CreateObject, C_GenerateKey and C_GenerateKeyPair. */
#ifndef P11CORE_NEW_OBJECT_H
#define P11CORE_NEW_OBJECT_H

#include "p11core_internal.h"

/* CKR_SESSION_READ_ONLY for a read-only session (every object is a token
 * object), CKR_USER_NOT_LOGGED_IN when the token needs a login. */
CK_RV p11_new_object_check(p11_session *session);

/* Sends operation (Create, Create Key Pair, Register) with payload
 * (consumed), followed by Activate of the ID Placeholder, as one batch;
 * as two requests where the server refuses that (learned at the first
 * refusal). On DONE *resp (free with kmip_response_free) holds the
 * response and *out_payload the operation's Response Payload. A failed
 * Activate is logged: the object exists and is handed out. */
p11_reply p11_create_and_activate(p11_session *session, kmip_version version,
                                  uint32_t operation, kmip_item *payload,
                                  kmip_response **resp,
                                  const kmip_item **out_payload);

/* Makes one object: with_id says whether to send x-pkcs11-id. */
typedef p11_reply p11_create_fn(p11_session *session, void *args, bool with_id);

/* Makes an object with create: with x-pkcs11-id when wants_id (the
 * template has a CKA_ID) and the server is not known to refuse it, and
 * again without it when the server refuses the request as unsupported
 * (the slot remembers once that works; CKA_ID then falls back to the
 * Unique Identifier). */
p11_reply p11_create_with_id(p11_session *session, bool wants_id,
                             p11_create_fn *create, void *args);

/* The canonical attribute set (*out, freed by the caller) of a new secret
 * key of key_type (CKK_AES, CKK_GENERIC_SECRET) from templ: the template
 * checked, CKA_VALUE_LEN required and within the key type's sizes
 * (keygen.c, for C_GenerateKey and C_DeriveKey). */
CK_RV p11_secret_key_attrs(CK_KEY_TYPE key_type, const CK_ATTRIBUTE *templ,
                           CK_ULONG count, bool with_id, kmip_item **out);

/* A server that cannot make what was asked says so in several ways;
 * PKCS#11 has one word for it (CKR_MECHANISM_INVALID); rv otherwise. */
CK_RV p11_generation_rv(p11_reply reply);

/* C_CreateObject's work, after the session checks (create.c; C_CopyObject
 * registers its copy with it). */
CK_RV p11_create_object(p11_session *session, const CK_ATTRIBUTE *templ,
                        CK_ULONG count, CK_OBJECT_HANDLE *handle);

/* The handle of the new object uid in session's slot. */
CK_RV p11_new_handle(p11_session *session, const char *uid,
                     CK_OBJECT_HANDLE *handle);

#endif
