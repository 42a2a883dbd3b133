/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "cipher_key.h"
#include "operation.h"

/* Room for the URI's attributes and the class added to them. */
#define MAX_TEMPLATE 16

/* Finds the secret keys uri names on slot: adds the one found to *key,
 * counting every match in *matches. */
static int search_slot(p11prov_ctx *ctx, const p11prov_uri *uri,
                       const char *uri_text, CK_SLOT_ID slot, p11prov_key **key,
                       CK_ULONG *matches)
{
    static CK_OBJECT_CLASS secret_key = CKO_SECRET_KEY;
    CK_ATTRIBUTE template[MAX_TEMPLATE], *uri_attrs;
    CK_ULONG uri_count, count = 0, found_count = 0;
    CK_OBJECT_HANDLE found[2];
    bool has_class = false;
    p11prov_session *session;
    CK_RV rv;

    p11prov_uri_template(uri, &uri_attrs, &uri_count);
    for (CK_ULONG i = 0; i < uri_count && count < MAX_TEMPLATE - 1; i++) {
        has_class |= uri_attrs[i].type == CKA_CLASS;
        template[count++] = uri_attrs[i];
    }
    if (!has_class)
        template[count++] =
            (CK_ATTRIBUTE){CKA_CLASS, &secret_key, sizeof(secret_key)};
    session = p11prov_session_get(ctx, slot, p11prov_uri_pin(uri));
    if (session == NULL)
        return 0;
    rv = session->fns->C_FindObjectsInit(session->handle, template, count);
    if (rv == CKR_OK) {
        rv = session->fns->C_FindObjects(session->handle, found, 2,
                                         &found_count);
        session->fns->C_FindObjectsFinal(session->handle);
    }
    if (rv == CKR_OK && found_count > 0 && *matches == 0)
        *key = p11prov_key_from_object(ctx, session, found[0], uri_text,
                                       p11prov_uri_pin(uri));
    p11prov_op_session_end(session, rv);
    if (rv != CKR_OK) {
        p11prov_raise_rv(ctx, rv, uri_text);
        return 0;
    }
    *matches += found_count;
    return found_count == 0 || *key != NULL;
}

p11prov_key *p11prov_cipher_key_find(p11prov_ctx *ctx, const char *uri_text,
                                     CK_KEY_TYPE key_type)
{
    p11prov_uri *uri = p11prov_uri_parse(ctx, uri_text);
    CK_FUNCTION_LIST *fns = uri != NULL ? p11prov_functions(ctx) : NULL;
    CK_SLOT_ID *slots = NULL;
    CK_ULONG slot_count = 0, matches = 0;
    p11prov_key *key = NULL;
    CK_RV rv;
    int ok = fns != NULL;

    if (ok &&
        (rv = p11prov_uri_slots(uri, fns, &slots, &slot_count)) != CKR_OK) {
        p11prov_raise_rv(ctx, rv, "listing slots");
        ok = 0;
    }
    for (CK_ULONG i = 0; ok && i < slot_count; i++)
        ok = search_slot(ctx, uri, uri_text, slots[i], &key, &matches);
    free(slots);
    p11prov_uri_free(uri);
    if (ok && matches != 1) {
        p11prov_raise(ctx,
                      matches == 0 ? P11PROV_R_NOT_FOUND : P11PROV_R_AMBIGUOUS,
                      matches == 0 ? "no secret key matches %s"
                                   : "several secret keys match %s",
                      uri_text);
        ok = 0;
    }
    if (ok &&
        (key->object_class != CKO_SECRET_KEY || key->key_type != key_type)) {
        p11prov_raise(ctx, P11PROV_R_KEY_USAGE,
                      "%s is not a secret key of the cipher's type", uri_text);
        ok = 0;
    }
    if (!ok) {
        p11prov_key_free(key);
        return NULL;
    }
    return key;
}
