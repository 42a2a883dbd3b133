/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by C_CreateObject, C_GenerateKey and C_GenerateKeyPair. */
#ifndef P11CORE_NEW_OBJECT_H
#define P11CORE_NEW_OBJECT_H

#include "p11core_internal.h"

/* CKR_SESSION_READ_ONLY for a read-only session (every object is a token
 * object), CKR_USER_NOT_LOGGED_IN when the token needs a login. */
CK_RV p11_new_object_check(p11_session *session);

/* Sends operation (Create, Create Key Pair, Register) with payload
 * (consumed), followed by Activate of the ID Placeholder, as one batch.
 * On CKR_OK *resp (free with kmip_response_free) holds the response and
 * *out_payload the operation's Response Payload. A failed Activate is
 * logged: the object exists and is handed out. */
CK_RV p11_create_and_activate(p11_session *session, kmip_version version,
                              uint32_t operation, kmip_item *payload,
                              kmip_response **resp,
                              const kmip_item **out_payload);

/* What a new object of session's slot carries besides Name and usage
 * (P11_SEND_* of attrmap.h): custom attributes when with_custom (CKA_ID,
 * a private key's public half), Sensitive and Extractable from KMIP 1.4
 * on; less what the server refused before. */
unsigned p11_new_object_extras(const p11_session *session, kmip_version version,
                               bool with_custom);

/* After a failed creation that sent extras: true when the server refused
 * an attribute (Invalid Message / Invalid Field / attribute errors); the
 * slot then stops sending one of them (custom attributes first, then Sensitive
 * and Extractable) and the caller creates the object again. */
bool p11_retry_with_fewer(p11_session *session, CK_RV rv, unsigned sent);

/* public_half.c: after a new key pair, stores a copy of the public key
 * with the private key (x-pkcs11-public-key), when the slot takes custom
 * attributes: two round trips. Failures are logged only. */
void p11_keep_public_half(p11_session *session, kmip_version version,
                          const char *private_uid, const char *public_uid);

/* The handle of the new object uid in session's slot. */
CK_RV p11_new_handle(p11_session *session, const char *uid,
                     CK_OBJECT_HANDLE *handle);

#endif
