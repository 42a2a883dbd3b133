/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "cipher_key.h"

typedef struct found_key {
    p11prov_ctx *ctx;
    const char *uri_text;
    p11prov_key *key; /* the first one found */
    CK_ULONG matches; /* on every slot */
} found_key;

static int take_first(p11prov_session *session, const CK_OBJECT_HANDLE *found,
                      CK_ULONG count, const char *pin, const char *uri,
                      void *arg)
{
    found_key *result = arg;

    if (count > 0 && result->matches == 0) {
        result->key =
            p11prov_key_from_object(result->ctx, session, found[0], uri, pin);
        if (result->key == NULL)
            return 0;
    }
    result->matches += count;
    return 1;
}

/* 1 when the search found exactly one secret key of key_type; else
 * raises naming the URI. */
static int check_found(const found_key *result, CK_KEY_TYPE key_type)
{
    if (result->matches != 1) {
        p11prov_raise(result->ctx,
                      result->matches == 0 ? P11PROV_R_NOT_FOUND
                                           : P11PROV_R_AMBIGUOUS,
                      result->matches == 0 ? "no secret key matches %s"
                                           : "several secret keys match %s",
                      result->uri_text);
        return 0;
    }
    if (result->key->object_class != CKO_SECRET_KEY ||
        result->key->key_type != key_type) {
        p11prov_raise(result->ctx, P11PROV_R_KEY_USAGE,
                      "%s is not a secret key of the cipher's type",
                      result->uri_text);
        return 0;
    }
    return 1;
}

p11prov_key *p11prov_cipher_key_find(p11prov_ctx *ctx, const char *uri_text,
                                     CK_KEY_TYPE key_type)
{
    static CK_OBJECT_CLASS secret_key = CKO_SECRET_KEY;
    CK_ATTRIBUTE secret_class = {CKA_CLASS, &secret_key, sizeof(secret_key)};
    char *shown = p11prov_uri_shown(uri_text);
    found_key result = {ctx, shown, NULL, 0};
    p11prov_search search = {&secret_class, 1, 2, take_first, &result};
    CK_ULONG slot_count;
    int ok = shown != NULL &&
             p11prov_search_uri(ctx, uri_text, &search, &slot_count) &&
             check_found(&result, key_type);

    free(shown);
    if (!ok) {
        p11prov_key_free(result.key);
        return NULL;
    }
    return result.key;
}
