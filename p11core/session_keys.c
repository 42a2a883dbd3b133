// SPDX-License-Identifier: Apache-2.0
/* Session keys: secret and private keys (and generated public halves)
 * with CKA_TOKEN false. Key material never leaves the server, so they are
 * made there, carrying this process's owner mark (session_mark.h, added
 * by p11_template_kmip_attrs); the objects of the request the mark is in
 * become session objects of the session (p11_create_and_activate), and
 * are destroyed on the server when it closes. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include "kmip/tags.h"

#include "new_object.h"
#include "session_mark.h"

/* The Unique Identifier of the object an attribute container of a
 * request describes; a create-like request of one object: the Unique
 * Identifier. */
static uint32_t uid_tag(uint32_t container)
{
    static const struct {
        uint32_t container;
        uint32_t uid;
    } halves[] = {
        {KMIP_TAG_PRIVATE_KEY_ATTRIBUTES,
         KMIP_TAG_PRIVATE_KEY_UNIQUE_IDENTIFIER},
        {KMIP_TAG_PRIVATE_KEY_TEMPLATE_ATTRIBUTE,
         KMIP_TAG_PRIVATE_KEY_UNIQUE_IDENTIFIER},
        {KMIP_TAG_PUBLIC_KEY_ATTRIBUTES, KMIP_TAG_PUBLIC_KEY_UNIQUE_IDENTIFIER},
        {KMIP_TAG_PUBLIC_KEY_TEMPLATE_ATTRIBUTE,
         KMIP_TAG_PUBLIC_KEY_UNIQUE_IDENTIFIER},
    };

    for (size_t i = 0; i < sizeof(halves) / sizeof(halves[0]); i++)
        if (halves[i].container == container)
            return halves[i].uid;
    return KMIP_TAG_UNIQUE_IDENTIFIER;
}

/* Whether item holds the owner mark attribute: its 1.x name, or its 2.x
 * Vendor Attribute name (after the vendor "x-"). */
static bool holds_mark(const kmip_item *item)
{
    const char *name = P11_SESSION_ATTRIBUTE;

    if (item->tag == KMIP_TAG_ATTRIBUTE_NAME &&
        item->type == KMIP_TYPE_TEXT_STRING)
        return strcmp((const char *)item->v.bytes.data, name) == 0 ||
               strcmp((const char *)item->v.bytes.data, name + 2) == 0;
    if (item->type != KMIP_TYPE_STRUCTURE)
        return false;
    for (const kmip_item *c = item->v.children.first; c != NULL; c = c->next)
        if (holds_mark(c))
            return true;
    return false;
}

void p11_session_claim_scan(const kmip_item *payload, p11_session_claim *claim)
{
    claim->n = 0;
    if (payload == NULL || payload->type != KMIP_TYPE_STRUCTURE)
        return;
    for (const kmip_item *c = payload->v.children.first;
         c != NULL && claim->n < 3; c = c->next) {
        uint32_t tag = uid_tag(c->tag);
        bool seen = false;

        for (size_t i = 0; i < claim->n; i++)
            seen |= claim->uid_tags[i] == tag;
        if (!seen && holds_mark(c))
            claim->uid_tags[claim->n++] = tag;
    }
}

void p11_session_claim_take(p11_session *session, const kmip_item *payload,
                            const p11_session_claim *claim)
{
    for (size_t i = 0; i < claim->n; i++) {
        const char *uid = NULL;
        size_t len;

        if (kmip_get_text(payload, claim->uid_tags[i], &uid, &len, NULL) !=
                KMIP_OK ||
            p11_object_claim(session, uid) != CKR_OK)
            p11_log_warn("a session key (%s) could not be kept as one: "
                         "'p11kmip leftovers' finds it after exit",
                         uid != NULL ? uid : "no identifier");
    }
}

void p11_session_keys_end(p11_slot *slot, CK_SESSION_HANDLE owner)
{
    /* The KMIP calls of the slot, without a session of the application
     * (the one that made the keys may be closed). */
    p11_session via = {.slot = slot};
    p11_object **keys;
    size_t n;

    if (p11_session_keys_take(slot, owner, &keys, &n) != CKR_OK) {
        p11_log_warn("slot %lu: session keys not destroyed (out of memory)",
                     slot->id);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        CK_RV rv = p11_object_destroy_on_server(&via, keys[i]);

        if (rv != CKR_OK)
            p11_log_warn("slot %lu: session key %s not destroyed (0x%lx): "
                         "'p11kmip leftovers' finds it",
                         slot->id, keys[i]->uid, rv);
    }
    free(keys);
}
