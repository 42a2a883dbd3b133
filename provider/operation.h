/* SPDX-License-Identifier: Apache-2.0 */
/* What every operation on a key (signature, asymmetric cipher, cipher)
 * does the same way: checking that the key can do it, fetching digests,
 * and borrowing a session for the key. */
#ifndef P11PROV_OPERATION_H
#define P11PROV_OPERATION_H

#include "digests.h"
#include "provider.h"

/* 1 when key is of key_type and, for a private operation, names a private
 * key on the token; for a public one, has a public half. Otherwise raises
 * P11PROV_R_KEY_USAGE naming what (e.g. "signing") and returns 0. */
int p11prov_op_key_check(p11prov_ctx *ctx, const p11prov_key *key,
                         CK_KEY_TYPE key_type, bool private_op,
                         const char *what);

/* Fetches the digest called name for local use, from any provider but
 * this one, and finds its PKCS#11 mechanisms. On success *md (the caller
 * frees it with EVP_MD_free) and *digest are set; otherwise an error
 * naming the digest is raised and 0 returned. */
int p11prov_op_fetch_digest(p11prov_ctx *ctx, const char *name, EVP_MD **md,
                            const p11prov_digest **digest);

/* Borrows a session for an operation on key (raises on failure); give it
 * back with p11prov_session_end. */
p11prov_session *p11prov_op_session(p11prov_key *key);

/* Raises the error for an operation on key that the token answered rv:
 * what, the key's URI and slot, rv in words and by name. */
void p11prov_op_raise(const p11prov_key *key, CK_RV rv, const char *what);

#endif
