/* SPDX-License-Identifier: Apache-2.0 */
#include <p11-kit/p11-kit.h>

#include "operation.h"

int p11prov_op_key_check(p11prov_ctx *ctx, const p11prov_key *key,
                         CK_KEY_TYPE key_type, bool private_op,
                         const char *what)
{
    if (key == NULL) {
        p11prov_raise(ctx, P11PROV_R_KEY_USAGE, "%s: no key", what);
        return 0;
    }
    if (key->key_type != key_type) {
        p11prov_raise(ctx, P11PROV_R_KEY_USAGE,
                      "%s: %s is not a key of this algorithm", what,
                      key->uri != NULL ? key->uri : "the key");
        return 0;
    }
    if (private_op && (key->handle == CK_INVALID_HANDLE ||
                       key->object_class == CKO_PUBLIC_KEY)) {
        p11prov_raise(ctx, P11PROV_R_KEY_USAGE,
                      "%s needs a private key; %s is a public key", what,
                      key->uri != NULL ? key->uri : "this key");
        return 0;
    }
    if (!private_op && key->public_key == NULL) {
        p11prov_raise(ctx, P11PROV_R_KEY_USAGE,
                      "%s needs the public key of %s, which the token "
                      "does not have",
                      what, key->uri != NULL ? key->uri : "this key");
        return 0;
    }
    return 1;
}

int p11prov_op_fetch_digest(p11prov_ctx *ctx, const char *name, EVP_MD **md,
                            const p11prov_digest **digest)
{
    EVP_MD *fetched = EVP_MD_fetch(ctx->libctx, name, P11PROV_INTERNAL_PROPQ);
    const p11prov_digest *found = p11prov_digest_for(fetched);

    if (found == NULL) {
        EVP_MD_free(fetched);
        p11prov_raise(ctx, P11PROV_R_UNSUPPORTED,
                      "digest \"%s\" is not one the token can use", name);
        return 0;
    }
    *md = fetched;
    *digest = found;
    return 1;
}

p11prov_session *p11prov_op_session(p11prov_key *key)
{
    p11prov_session *session =
        p11prov_session_get(key->ctx, key->slot, key->pin, key->uri);

    /* After a fork the key's handle is found again (key.c). */
    if (session != NULL && key->handle != CK_INVALID_HANDLE &&
        p11prov_key_object(key, session) == CK_INVALID_HANDLE) {
        p11prov_session_end(session, CKR_OK);
        return NULL;
    }
    return session;
}

void p11prov_op_raise(const p11prov_key *key, CK_RV rv, const char *what)
{
    p11prov_raise(key->ctx, p11prov_ckr_reason(rv),
                  "%s with %s on slot %lu failed: %s (%s)", what,
                  key->uri != NULL ? key->uri : "the key",
                  (unsigned long)key->slot, p11_kit_strerror(rv),
                  p11prov_ckr_name(rv));
}
