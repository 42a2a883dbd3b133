/* SPDX-License-Identifier: Apache-2.0 */
/* OSSL_STORE loader for pkcs11: URIs. Private keys come back by reference
 * (the key stays on the server), public keys and certificates by value.
 * Every object the URI matches is listed (openssl storeutl), in a fixed
 * order: private keys, public keys, certificates, each by CKA_ID. So a
 * command that takes the first key of a URI matching several takes the
 * same one every time; where the provider itself needs one private key
 * (key files), a URI matching several is an error naming the URI. A URI
 * that matches nothing is an error naming it. */
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
    size_t seq; /* the order the token found it in */
} store_entry;

typedef struct store_ctx {
    p11prov_ctx *ctx;
    char *uri_text;
    char *shown;  /* uri_text without its PIN, for errors and keys */
    int expected; /* OSSL_STORE_INFO_* the caller wants, 0: any */
    /* OSSL_STORE_PARAM_SUBJECT: certificates of this DER name only. */
    unsigned char *subject;
    size_t subject_len;
    bool searched;
    store_entry entries[STORE_MAX_OBJECTS];
    size_t count, next;
} store_ctx;

static CK_OBJECT_CLASS certificate_class = CKO_CERTIFICATE;

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

/* Adds the object handle to the store's entries when the caller wants
 * its class: keys by reference, certificates by value. */
static int add_entry(store_ctx *store, p11prov_session *session,
                     CK_OBJECT_HANDLE handle, const char *pin, const char *uri)
{
    store_entry *entry = &store->entries[store->count];
    CK_OBJECT_CLASS object_class;
    CK_ATTRIBUTE attr = {CKA_CLASS, &object_class, sizeof(object_class)};
    CK_ULONG len;
    CK_RV rv;

    if (p11prov_call_attributes(session, handle, &attr, 1, P11PROV_SITE) !=
            CKR_OK ||
        !wanted(store, object_class))
        return 1;
    entry->object_class = object_class;
    if (object_class == CKO_CERTIFICATE) {
        rv = p11prov_call_attribute(session, handle, CKA_VALUE, &entry->der,
                                    &len, P11PROV_SITE);
        if (rv != CKR_OK) {
            p11prov_raise_rv(store->ctx, rv, "reading a certificate");
            return 0;
        }
        entry->der_len = (int)len;
    } else {
        entry->key =
            p11prov_key_from_object(store->ctx, session, handle, uri, pin);
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
    entry->seq = store->count++;
    return 1;
}

static int add_found(p11prov_session *session, const CK_OBJECT_HANDLE *found,
                     CK_ULONG count, const char *pin, const char *uri,
                     void *arg)
{
    store_ctx *store = arg;
    int ok = 1;

    for (CK_ULONG i = 0; ok && i < count && store->count < STORE_MAX_OBJECTS;
         i++)
        ok = add_entry(store, session, found[i], pin, uri);
    return ok;
}

static size_t class_rank(CK_OBJECT_CLASS object_class)
{
    size_t i = 0;

    while (i < sizeof(class_order) / sizeof(class_order[0]) &&
           class_order[i] != object_class)
        i++;
    return i;
}

/* A fixed order whatever order the token finds objects in: by class, then
 * by CKA_ID (shorter first), then as found. */
static int entry_order(const void *a, const void *b)
{
    const store_entry *x = a, *y = b;
    size_t rank_x = class_rank(x->object_class),
           rank_y = class_rank(y->object_class);
    CK_ULONG len_x = x->key != NULL ? x->key->id_len : 0,
             len_y = y->key != NULL ? y->key->id_len : 0;
    int by_id = 0;

    if (rank_x != rank_y)
        return rank_x < rank_y ? -1 : 1;
    if (len_x != len_y)
        return len_x < len_y ? -1 : 1;
    if (len_x > 0)
        by_id = memcmp(x->key->id, y->key->id, len_x);
    if (by_id != 0)
        return by_id;
    return (x->seq > y->seq) - (x->seq < y->seq);
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

/* Finds every object the URI names, in entry_order. On failure nothing is
 * kept, so that the store reports end of file instead of handing out a
 * partial set. */
static int search(store_ctx *store)
{
    CK_ATTRIBUTE subject[] = {
        {CKA_CLASS, &certificate_class, sizeof(certificate_class)},
        {CKA_SUBJECT, store->subject, store->subject_len},
    };
    p11prov_search search = {
        .extra = store->subject != NULL ? subject : NULL,
        .extra_count = store->subject != NULL ? 2 : 0,
        .max = STORE_MAX_OBJECTS,
        .visit = add_found,
        .arg = store,
    };
    CK_ULONG slot_count = 0;
    int ok;

    store->searched = true;
    ok = p11prov_search_uri(store->ctx, store->uri_text, &search, &slot_count);
    if (ok && store->count == 0) {
        p11prov_raise(store->ctx, P11PROV_R_NOT_FOUND, "no %s matches %s",
                      slot_count == 0 ? "token" : "object", store->shown);
        ok = 0;
    }
    if (ok)
        qsort(store->entries, store->count, sizeof(store->entries[0]),
              entry_order);
    else
        clear_entries(store);
    return ok;
}

static OSSL_FUNC_store_open_fn store_open;
static OSSL_FUNC_store_settable_ctx_params_fn store_settable_ctx_params;
static OSSL_FUNC_store_set_ctx_params_fn store_set_ctx_params;
static OSSL_FUNC_store_load_fn store_load;
static OSSL_FUNC_store_eof_fn store_eof;
static OSSL_FUNC_store_close_fn store_close;

static void *store_open(void *provctx, const char *uri)
{
    store_ctx *store = calloc(1, sizeof(*store));

    if (store == NULL)
        return NULL;
    store->ctx = provctx;
    store->uri_text = strdup(uri);
    store->shown = p11prov_uri_shown(uri);
    if (store->uri_text == NULL || store->shown == NULL) {
        store_close(store);
        return NULL;
    }
    return store;
}

static const OSSL_PARAM *store_settable_ctx_params(void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_int(OSSL_STORE_PARAM_EXPECT, NULL),
        OSSL_PARAM_octet_string(OSSL_STORE_PARAM_SUBJECT, NULL, 0),
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

    if (p != NULL && !OSSL_PARAM_get_int(p, &store->expected))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_STORE_PARAM_SUBJECT);
    if (p == NULL)
        return 1;
    OPENSSL_free(store->subject);
    store->subject = NULL;
    return OSSL_PARAM_get_octet_string(p, (void **)&store->subject, 0,
                                       &store->subject_len);
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
    OPENSSL_free(store->subject);
    free(store->uri_text);
    free(store->shown);
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
    if (search(store) && store->count > 1)
        p11prov_raise(ctx, P11PROV_R_AMBIGUOUS,
                      "%s matches %zu private keys where one is needed: add "
                      "object= or id= to the URI (openssl storeutl lists "
                      "them)",
                      store->shown, store->count);
    else if (store->count == 1)
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
