/* SPDX-License-Identifier: Apache-2.0 */
/* pkcs11: URIs (RFC 7512), parsed and formatted by p11-kit. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <p11-kit/uri.h>

#include "pin.h"
#include "provider.h"

struct p11prov_uri {
    P11KitUri *uri;
    char *pin; /* from pin-value or pin-source, wiped on free */
};

/* RFC 7512 pin-source is a URI; a file: URI or a plain path names a file
 * whose first line is the PIN. */
static int read_pin_source(const p11prov_ctx *ctx, const char *source,
                           char **pin)
{
    char *spec;
    int rc;

    if (strncmp(source, "file:", 5) == 0)
        return p11prov_pin_resolve(ctx, source, pin);
    spec = malloc(strlen(source) + 6);
    if (spec == NULL)
        return -1;
    strcpy(spec, "file:");
    strcat(spec, source);
    rc = p11prov_pin_resolve(ctx, spec, pin);
    free(spec);
    return rc;
}

p11prov_uri *p11prov_uri_parse(const p11prov_ctx *ctx, const char *text)
{
    p11prov_uri *uri = calloc(1, sizeof(*uri));
    const char *value;
    char *shown;
    int rc;

    if (uri == NULL || (uri->uri = p11_kit_uri_new()) == NULL) {
        free(uri);
        p11prov_raise(ctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    rc = p11_kit_uri_parse(text, P11_KIT_URI_FOR_ANY, uri->uri);
    if (rc != P11_KIT_URI_OK) {
        shown = p11prov_uri_shown(text);
        p11prov_raise(ctx, P11PROV_R_URI, "%s: %s",
                      shown != NULL ? shown : "a pkcs11: URI",
                      p11_kit_uri_message(rc));
        free(shown);
        p11prov_uri_free(uri);
        return NULL;
    }
    if ((value = p11_kit_uri_get_pin_value(uri->uri)) != NULL)
        uri->pin = OPENSSL_strdup(value);
    else if ((value = p11_kit_uri_get_pin_source(uri->uri)) != NULL &&
             read_pin_source(ctx, value, &uri->pin) != 0) {
        p11prov_uri_free(uri);
        return NULL;
    }
    return uri;
}

void p11prov_uri_free(p11prov_uri *uri)
{
    if (uri == NULL)
        return;
    if (uri->pin != NULL)
        OPENSSL_clear_free(uri->pin, strlen(uri->pin));
    p11_kit_uri_free(uri->uri);
    free(uri);
}

/* 1 when slot is allowed (p11kmip-allowed-slots) and its token is
 * initialised and matches the URI. */
static bool slot_matches(const p11prov_uri *uri, p11prov_ctx *ctx,
                         CK_SLOT_ID slot)
{
    CK_SLOT_ID wanted = p11_kit_uri_get_slot_id(uri->uri);
    CK_SLOT_INFO slot_info;
    CK_TOKEN_INFO token;

    return (wanted == (CK_SLOT_ID)-1 || slot == wanted) &&
           p11prov_slot_allowed(ctx, slot) &&
           p11prov_call_slot_info(ctx, slot, &slot_info, P11PROV_SITE) ==
               CKR_OK &&
           p11_kit_uri_match_slot_info(uri->uri, &slot_info) &&
           p11prov_call_token_info(ctx, slot, &token, P11PROV_SITE) == CKR_OK &&
           (token.flags & CKF_TOKEN_INITIALIZED) &&
           p11_kit_uri_match_token_info(uri->uri, &token);
}

CK_RV p11prov_uri_slots(const p11prov_uri *uri, p11prov_ctx *ctx,
                        CK_SLOT_ID **slots, CK_ULONG *count)
{
    CK_ULONG n, i, kept = 0;
    CK_RV rv = p11prov_call_slots(ctx, slots, &n, P11PROV_SITE);

    for (i = 0; rv == CKR_OK && i < n; i++) {
        if (slot_matches(uri, ctx, (*slots)[i]))
            (*slots)[kept++] = (*slots)[i];
    }
    *count = kept;
    return rv;
}

void p11prov_uri_template(const p11prov_uri *uri, CK_ATTRIBUTE **attrs,
                          CK_ULONG *count)
{
    *attrs = p11_kit_uri_get_attributes(uri->uri, count);
}

const char *p11prov_uri_pin(const p11prov_uri *uri)
{
    return uri->pin;
}

char *p11prov_uri_format(const CK_TOKEN_INFO *token, const char *label,
                         const CK_BYTE *id, CK_ULONG id_len,
                         CK_OBJECT_CLASS object_class)
{
    P11KitUri *uri = p11_kit_uri_new();
    CK_ATTRIBUTE attrs[3];
    CK_ULONG n = 0;
    char *text = NULL;

    if (uri == NULL)
        return NULL;
    memcpy(p11_kit_uri_get_token_info(uri), token, sizeof(*token));
    attrs[n++] = (CK_ATTRIBUTE){CKA_CLASS, &object_class, sizeof(object_class)};
    if (label != NULL)
        attrs[n++] = (CK_ATTRIBUTE){CKA_LABEL, (void *)label, strlen(label)};
    if (id != NULL && id_len > 0)
        attrs[n++] = (CK_ATTRIBUTE){CKA_ID, (void *)id, id_len};
    if (p11_kit_uri_set_attributes(uri, attrs, n) != P11_KIT_URI_OK ||
        p11_kit_uri_format(uri, P11_KIT_URI_FOR_OBJECT_ON_TOKEN, &text) !=
            P11_KIT_URI_OK)
        text = NULL;
    p11_kit_uri_free(uri);
    return text;
}

char *p11prov_uri_without_pin(const char *text)
{
    P11KitUri *uri = p11_kit_uri_new();
    char *formatted = NULL;

    if (uri != NULL &&
        p11_kit_uri_parse(text, P11_KIT_URI_FOR_ANY, uri) == P11_KIT_URI_OK) {
        p11_kit_uri_set_pin_value(uri, NULL);
        p11_kit_uri_set_pin_source(uri, NULL);
        if (p11_kit_uri_format(uri, P11_KIT_URI_FOR_ANY, &formatted) !=
            P11_KIT_URI_OK)
            formatted = NULL;
    }
    p11_kit_uri_free(uri);
    return formatted;
}

char *p11prov_uri_shown(const char *text)
{
    char *shown = p11prov_uri_without_pin(text);
    char *pin;

    if (shown != NULL || (shown = strdup(text)) == NULL)
        return shown;
    /* Does not parse: cut at the first PIN attribute. */
    if ((pin = strstr(shown, "pin-")) != NULL)
        *pin = '\0';
    return shown;
}
