// SPDX-License-Identifier: Apache-2.0
/* Finding the objects a pkcs11: URI names, on every slot whose token it
 * matches: one search for the store, the key file decoder and the
 * ciphers. */
#include <stdlib.h>

#include "provider.h"

/* Room for the URI's attributes and the ones added to them. */
#define MAX_TEMPLATE 16

/* The URI's template, with each of extra whose type it lacks added. */
static CK_ULONG build_template(const p11prov_uri *uri,
                               const CK_ATTRIBUTE *extra, CK_ULONG extra_count,
                               CK_ATTRIBUTE template[MAX_TEMPLATE])
{
    CK_ATTRIBUTE *uri_attrs;
    CK_ULONG uri_count, count = 0, i, j;

    p11prov_uri_template(uri, &uri_attrs, &uri_count);
    for (i = 0; i < uri_count && count < MAX_TEMPLATE; i++)
        template[count++] = uri_attrs[i];
    for (i = 0; i < extra_count && count < MAX_TEMPLATE; i++) {
        for (j = 0; j < uri_count && uri_attrs[j].type != extra[i].type; j++)
            ;
        if (j == uri_count)
            template[count++] = extra[i];
    }
    return count;
}

/* Searches slot; uri_text is the URI without its PIN. */
static int search_slot(p11prov_ctx *ctx, const p11prov_uri *uri,
                       const char *uri_text, CK_SLOT_ID slot,
                       const p11prov_search *search)
{
    CK_ATTRIBUTE template[MAX_TEMPLATE];
    CK_ULONG count =
        build_template(uri, search->extra, search->extra_count, template);
    CK_OBJECT_HANDLE *found = calloc(search->max + 1, sizeof(*found));
    CK_ULONG found_count = 0;
    p11prov_session *session = NULL;
    CK_RV rv = CKR_HOST_MEMORY;
    bool searched;
    int ok = 0;

    if (found == NULL)
        p11prov_raise(ctx, P11PROV_R_INTERNAL, "out of memory");
    else if ((session = p11prov_session_get(ctx, slot, p11prov_uri_pin(uri),
                                            uri_text)) != NULL)
        rv = p11prov_call_find(session, template, count, found, search->max,
                               &found_count, P11PROV_SITE);
    if (session != NULL && rv == CKR_OK)
        ok = search->visit(session, found, found_count, p11prov_uri_pin(uri),
                           uri_text, search->arg);
    searched = session != NULL;
    p11prov_session_end(session, rv);
    free(found);
    if (searched && rv != CKR_OK)
        p11prov_raise(ctx, p11prov_ckr_reason(rv),
                      "%s: the search on slot %lu failed", uri_text,
                      (unsigned long)slot);
    return ok;
}

int p11prov_search_uri(p11prov_ctx *ctx, const char *uri_text,
                       const p11prov_search *search, CK_ULONG *slot_count)
{
    p11prov_uri *uri = p11prov_uri_parse(ctx, uri_text);
    char *shown = uri != NULL ? p11prov_uri_shown(uri_text) : NULL;
    CK_SLOT_ID *slots = NULL;
    int ok = shown != NULL &&
             p11prov_uri_slots(uri, ctx, &slots, slot_count) == CKR_OK;

    *slot_count = ok ? *slot_count : 0;
    for (CK_ULONG i = 0; ok && i < *slot_count; i++)
        ok = search_slot(ctx, uri, shown, slots[i], search);
    free(slots);
    free(shown);
    p11prov_uri_free(uri);
    return ok;
}
