/* SPDX-License-Identifier: Apache-2.0 */
/* OSSL_STORE loader for pkcs11: URIs. Private keys come back by reference
 * (the key stays on the server), public keys and certificates by value.
 * A URI that matches nothing, or more than one object of a class, is an
 * error naming the URI. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/params.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include "provider.h"

#define STORE_MAX_OBJECTS 64

typedef struct store_entry {
    CK_OBJECT_CLASS object_class;
    p11prov_key *key;   /* private and public keys */
    unsigned char *der; /* certificates and public keys, by value */
    int der_len;
} store_entry;

typedef struct store_ctx {
    p11prov_ctx *ctx;
    char *uri_text;
    int expected; /* OSSL_STORE_INFO_* the caller wants, 0: any */
    bool searched;
    store_entry entries[STORE_MAX_OBJECTS];
    size_t count, next;
} store_ctx;

/* Classes in the order they are returned. */
static const CK_OBJECT_CLASS class_order[] = {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY,
                                              CKO_CERTIFICATE};

static int wanted(const store_ctx *store, CK_OBJECT_CLASS object_class)
{
    switch (store->expected) {
    case OSSL_STORE_INFO_PKEY:
        return object_class == CKO_PRIVATE_KEY;
    case OSSL_STORE_INFO_PUBKEY:
        return object_class == CKO_PUBLIC_KEY;
    case OSSL_STORE_INFO_CERT:
        return object_class == CKO_CERTIFICATE;
    }
    return object_class == CKO_PRIVATE_KEY || object_class == CKO_PUBLIC_KEY ||
           object_class == CKO_CERTIFICATE;
}

static int add_entry(store_ctx *store, p11prov_session *session,
                     CK_OBJECT_HANDLE handle, const char *pin)
{
    store_entry *entry = &store->entries[store->count];
    CK_OBJECT_CLASS object_class;
    CK_ATTRIBUTE attr = {CKA_CLASS, &object_class, sizeof(object_class)};

    if (session->fns->C_GetAttributeValue(session->handle, handle, &attr, 1) !=
            CKR_OK ||
        !wanted(store, object_class))
        return 1;
    entry->object_class = object_class;
    if (object_class == CKO_CERTIFICATE) {
        CK_BYTE *der;
        CK_ULONG len;
        CK_RV rv =
            p11prov_get_attribute(session, handle, CKA_VALUE, &der, &len);

        if (rv != CKR_OK) {
            p11prov_raise_rv(store->ctx, rv, "reading a certificate");
            return 0;
        }
        entry->der = der;
        entry->der_len = (int)len;
    } else {
        entry->key = p11prov_key_from_object(store->ctx, session, handle,
                                             store->uri_text, pin);
        if (entry->key == NULL)
            return 0;
        if (object_class == CKO_PUBLIC_KEY &&
            (entry->der_len =
                 i2d_PUBKEY(entry->key->public_key, &entry->der)) <= 0) {
            p11prov_key_free(entry->key);
            p11prov_raise(store->ctx, P11PROV_R_INTERNAL,
                          "encoding a public key");
            return 0;
        }
    }
    store->count++;
    return 1;
}

static int search_slot(store_ctx *store, const p11prov_uri *uri,
                       CK_SLOT_ID slot)
{
    CK_OBJECT_HANDLE found[STORE_MAX_OBJECTS];
    CK_ATTRIBUTE *template;
    CK_ULONG template_len, n = 0, i;
    p11prov_session *session;
    CK_RV rv;
    int ok = 1;

    session = p11prov_session_get(store->ctx, slot, p11prov_uri_pin(uri));
    if (session == NULL)
        return 0;
    p11prov_uri_template(uri, &template, &template_len);
    rv = session->fns->C_FindObjectsInit(session->handle, template,
                                         template_len);
    if (rv == CKR_OK) {
        rv = session->fns->C_FindObjects(session->handle, found,
                                         STORE_MAX_OBJECTS - store->count, &n);
        session->fns->C_FindObjectsFinal(session->handle);
    }
    if (rv != CKR_OK) {
        p11prov_raise_rv(store->ctx, rv, store->uri_text);
        p11prov_session_discard(session);
        return 0;
    }
    for (i = 0; ok && i < n; i++)
        ok = add_entry(store, session, found[i], p11prov_uri_pin(uri));
    p11prov_session_release(session);
    return ok;
}

static int entry_order(const void *a, const void *b)
{
    const store_entry *x = a, *y = b;
    size_t i, rank_x = 0, rank_y = 0;

    for (i = 0; i < sizeof(class_order) / sizeof(class_order[0]); i++) {
        if (x->object_class == class_order[i])
            rank_x = i;
        if (y->object_class == class_order[i])
            rank_y = i;
    }
    return (rank_x > rank_y) - (rank_x < rank_y);
}

/* Two keys of one class under one URI leave the caller guessing. */
static int check_unambiguous(store_ctx *store)
{
    size_t i;

    for (i = 1; i < store->count; i++) {
        if (store->entries[i].object_class ==
                store->entries[i - 1].object_class &&
            store->entries[i].object_class != CKO_CERTIFICATE) {
            p11prov_raise(store->ctx, P11PROV_R_AMBIGUOUS,
                          "%s matches more than one %s key; add object= "
                          "or id= to the URI",
                          store->uri_text,
                          store->entries[i].object_class == CKO_PRIVATE_KEY
                              ? "private"
                              : "public");
            return 0;
        }
    }
    return 1;
}

static void clear_entries(store_ctx *store)
{
    size_t i;

    for (i = 0; i < store->count; i++) {
        p11prov_key_free(store->entries[i].key);
        if (store->entries[i].object_class == CKO_CERTIFICATE)
            free(store->entries[i].der);
        else
            OPENSSL_free(store->entries[i].der);
    }
    store->count = 0;
}

/* Finds every object the URI names. On failure nothing is kept, so that
 * the store reports end of file instead of handing out a partial set. */
static int search(store_ctx *store)
{
    p11prov_uri *uri = p11prov_uri_parse(store->ctx, store->uri_text);
    CK_FUNCTION_LIST *fns = uri != NULL ? p11prov_functions(store->ctx) : NULL;
    CK_SLOT_ID *slots = NULL;
    CK_ULONG slot_count = 0, i;
    int ok = fns != NULL;
    CK_RV rv;

    store->searched = true;
    if (ok &&
        (rv = p11prov_uri_slots(uri, fns, &slots, &slot_count)) != CKR_OK) {
        p11prov_raise_rv(store->ctx, rv, "listing slots");
        ok = 0;
    }
    for (i = 0; ok && i < slot_count && store->count < STORE_MAX_OBJECTS; i++)
        ok = search_slot(store, uri, slots[i]);
    free(slots);
    p11prov_uri_free(uri);
    if (ok && store->count == 0) {
        p11prov_raise(store->ctx, P11PROV_R_NOT_FOUND, "no %s matches %s",
                      slot_count == 0 ? "token" : "object", store->uri_text);
        ok = 0;
    }
    if (ok) {
        qsort(store->entries, store->count, sizeof(store->entries[0]),
              entry_order);
        ok = check_unambiguous(store);
    }
    if (!ok)
        clear_entries(store);
    return ok;
}

static void *store_open(void *provctx, const char *uri)
{
    store_ctx *store = calloc(1, sizeof(*store));

    if (store == NULL)
        return NULL;
    store->ctx = provctx;
    store->uri_text = strdup(uri);
    if (store->uri_text == NULL) {
        free(store);
        return NULL;
    }
    return store;
}

static const OSSL_PARAM *store_settable_ctx_params(void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_int(OSSL_STORE_PARAM_EXPECT, NULL),
        OSSL_PARAM_END,
    };

    (void)provctx;
    return params;
}

static int store_set_ctx_params(void *loaderctx, const OSSL_PARAM params[])
{
    store_ctx *store = loaderctx;
    const OSSL_PARAM *p =
        OSSL_PARAM_locate_const(params, OSSL_STORE_PARAM_EXPECT);

    return p == NULL || OSSL_PARAM_get_int(p, &store->expected);
}

static int store_load(void *loaderctx, OSSL_CALLBACK *object_cb,
                      void *object_cbarg, OSSL_PASSPHRASE_CALLBACK *pw_cb,
                      void *pw_cbarg)
{
    store_ctx *store = loaderctx;
    store_entry *entry;
    int object_type;
    OSSL_PARAM params[5], *p = params;

    (void)pw_cb;
    (void)pw_cbarg;
    if (!store->searched && !search(store))
        return 0;
    if (store->next >= store->count)
        return 0;
    entry = &store->entries[store->next++];
    object_type = entry->object_class == CKO_CERTIFICATE ? OSSL_OBJECT_CERT
                                                         : OSSL_OBJECT_PKEY;
    *p++ = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &object_type);
    if (entry->object_class == CKO_PRIVATE_KEY) {
        *p++ = OSSL_PARAM_construct_utf8_string(
            OSSL_OBJECT_PARAM_DATA_TYPE,
            (char *)p11prov_key_data_type(entry->key), 0);
        *p++ = OSSL_PARAM_construct_octet_string(
            OSSL_OBJECT_PARAM_REFERENCE, &entry->key, sizeof(entry->key));
    } else {
        *p++ = OSSL_PARAM_construct_octet_string(
            OSSL_OBJECT_PARAM_DATA, entry->der, (size_t)entry->der_len);
    }
    *p = OSSL_PARAM_construct_end();
    return object_cb(params, object_cbarg);
}

static int store_eof(void *loaderctx)
{
    store_ctx *store = loaderctx;

    return store->searched && store->next >= store->count;
}

static int store_close(void *loaderctx)
{
    store_ctx *store = loaderctx;

    clear_entries(store);
    free(store->uri_text);
    free(store);
    return 1;
}

p11prov_key *p11prov_store_find_private(p11prov_ctx *ctx, const char *uri)
{
    store_ctx *store = store_open(ctx, uri);
    p11prov_key *key = NULL;

    if (store == NULL) {
        p11prov_raise(ctx, P11PROV_R_INTERNAL, "out of memory");
        return NULL;
    }
    store->expected = OSSL_STORE_INFO_PKEY;
    if (search(store))
        key = p11prov_key_ref(store->entries[0].key);
    store_close(store);
    return key;
}

const OSSL_DISPATCH p11prov_store_functions[] = {
    {OSSL_FUNC_STORE_OPEN, (void (*)(void))store_open},
    {OSSL_FUNC_STORE_SETTABLE_CTX_PARAMS,
     (void (*)(void))store_settable_ctx_params},
    {OSSL_FUNC_STORE_SET_CTX_PARAMS, (void (*)(void))store_set_ctx_params},
    {OSSL_FUNC_STORE_LOAD, (void (*)(void))store_load},
    {OSSL_FUNC_STORE_EOF, (void (*)(void))store_eof},
    {OSSL_FUNC_STORE_CLOSE, (void (*)(void))store_close},
    {0, NULL},
};
