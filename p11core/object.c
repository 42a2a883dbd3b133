/* SPDX-License-Identifier: Apache-2.0 */
/* The object handle table: KMIP Unique Identifier <-> CK_OBJECT_HANDLE,
 * stable for the life of the process. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kmip/tags.h"

static const struct {
    CK_ATTRIBUTE_TYPE usage;
    uint32_t bit;
} usage_bits[] = {
    {CKA_SIGN, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN},
    {CKA_VERIFY, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY},
    {CKA_ENCRYPT, KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT},
    {CKA_DECRYPT, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT},
    {CKA_WRAP, KMIP_CRYPTOGRAPHIC_USAGE_MASK_WRAP_KEY},
    {CKA_UNWRAP, KMIP_CRYPTOGRAPHIC_USAGE_MASK_UNWRAP_KEY},
    {CKA_DERIVE, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DERIVE_KEY},
};

uint32_t p11_usage_bit(CK_ATTRIBUTE_TYPE usage)
{
    for (size_t i = 0; i < sizeof(usage_bits) / sizeof(usage_bits[0]); i++)
        if (usage_bits[i].usage == usage)
            return usage_bits[i].bit;
    return 0;
}

bool p11_object_allows(const p11_object *object, CK_ATTRIBUTE_TYPE usage)
{
    uint32_t bits = p11_usage_bit(usage);

    /* A secret key signs and verifies as a MAC. */
    if (object->object_class == CKO_SECRET_KEY && usage == CKA_SIGN)
        bits |= KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE;
    if (object->object_class == CKO_SECRET_KEY && usage == CKA_VERIFY)
        bits |= KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY;
    return (object->usage_mask & bits) != 0;
}

const char *p11_fallback_id_uid(CK_OBJECT_CLASS object_class, const char *uid,
                                const char *linked_uid)
{
    /* A key pair shares its private key's uid. */
    if (object_class == CKO_PUBLIC_KEY && linked_uid != NULL)
        return linked_uid;
    return uid;
}

/* Frees the cached attributes of object (not its identity or lock). */
void p11_object_cache_clear(p11_object *object)
{
    free(object->label);
    free(object->id);
    free(object->linked_uid);
    free(object->bag);
    free(object->session_mark);
    EVP_PKEY_free(object->public_key);
    if (object->value != NULL)
        OPENSSL_cleanse(object->value, object->value_len);
    free(object->value);
    object->label = NULL;
    object->id = NULL;
    object->id_len = 0;
    object->id_custom = false;
    object->linked_uid = NULL;
    object->public_key = NULL;
    object->bag = NULL;
    object->session_mark = NULL;
    object->value = NULL;
    object->value_len = 0;
    object->loaded = false;
}

void p11_object_free(p11_object *object)
{
    if (object == NULL)
        return;
    p11_object_cache_clear(object);
    free(object->uid);
    pthread_mutex_destroy(&object->lock);
    free(object);
}

static CK_RV object_new(p11_slot *slot, const char *uid, p11_object **out)
{
    p11_object *object = calloc(1, sizeof(*object));

    if (object == NULL)
        return CKR_HOST_MEMORY;
    object->uid = strdup(uid);
    if (object->uid == NULL) {
        free(object);
        return CKR_HOST_MEMORY;
    }
    object->slot = slot;
    object->subtype = CK_UNAVAILABLE_INFORMATION;
    pthread_mutex_init(&object->lock, NULL);
    *out = object;
    return CKR_OK;
}

/* Appends object to the table, giving it the next handle. Called under
 * module->lock. */
static CK_RV object_table_add(p11_module *module, p11_object *object)
{
    if (module->object_count == module->object_cap) {
        size_t cap = module->object_cap ? 2 * module->object_cap : 64;
        p11_object **grown =
            realloc(module->objects, cap * sizeof(*module->objects));

        if (grown == NULL)
            return CKR_HOST_MEMORY;
        module->objects = grown;
        module->object_cap = cap;
    }
    module->objects[module->object_count++] = object;
    object->handle = module->object_count;
    return CKR_OK;
}

/* A destroyed object keeps its handle (invalid from then on); a new object
 * with the same uid gets a new handle. */
static p11_object *object_find_uid(const p11_module *module,
                                   const p11_slot *slot, const char *uid)
{
    for (size_t i = module->object_count; i-- > 0;) {
        p11_object *object = module->objects[i];

        if (object->slot == slot && !object->destroyed &&
            strcmp(object->uid, uid) == 0)
            return object;
    }
    return NULL;
}

CK_RV p11_object_for_uid(p11_slot *slot, const char *uid, p11_object **out)
{
    p11_module *module;
    p11_object *object;
    CK_RV rv = p11_module_get(&module);

    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&module->lock);
    object = object_find_uid(module, slot, uid);
    if (object == NULL) {
        rv = object_new(slot, uid, &object);
        if (rv == CKR_OK) {
            rv = object_table_add(module, object);
            if (rv != CKR_OK)
                p11_object_free(object);
        }
    }
    pthread_mutex_unlock(&module->lock);
    if (rv == CKR_OK)
        *out = object;
    return rv;
}

/* The object with handle in session's slot, loaded or not. */
CK_RV p11_object_lookup(p11_session *session, CK_OBJECT_HANDLE handle,
                        p11_object **out)
{
    p11_module *module;
    p11_object *object = NULL;
    CK_RV rv = p11_module_get(&module);

    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&module->lock);
    if (handle >= 1 && handle <= module->object_count)
        object = module->objects[handle - 1];
    if (object != NULL && (object->slot != session->slot || object->destroyed))
        object = NULL;
    pthread_mutex_unlock(&module->lock);
    if (object == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    *out = object;
    return CKR_OK;
}

bool p11_object_is_private(const p11_object *object)
{
    return (object->object_class == CKO_PRIVATE_KEY ||
            object->object_class == CKO_SECRET_KEY) &&
           object->slot->conf->login != P11KMIP_LOGIN_NONE;
}

void p11_object_mark_destroyed(p11_object *object)
{
    p11_module *module;

    if (p11_module_get(&module) != CKR_OK)
        return;
    pthread_mutex_lock(&module->lock);
    object->destroyed = true;
    pthread_mutex_unlock(&module->lock);
}

CK_RV p11_object_local_new(p11_session *session, p11_object **out)
{
    CK_RV rv = object_new(session->slot, "", out);

    if (rv == CKR_OK)
        (*out)->owner = session->handle;
    return rv;
}

CK_RV p11_object_local_add(p11_object *object, CK_OBJECT_HANDLE *handle)
{
    p11_module *module;
    CK_RV rv = p11_module_get(&module);

    if (rv == CKR_OK) {
        pthread_mutex_lock(&module->lock);
        rv = object_table_add(module, object);
        pthread_mutex_unlock(&module->lock);
    }
    if (rv == CKR_OK)
        *handle = object->handle;
    else
        p11_object_free(object);
    return rv;
}

bool p11_object_in_process(const p11_object *object)
{
    return object->owner != 0 && object->uid[0] == '\0';
}

bool p11_object_foreign(const p11_object *object)
{
    return object->session_mark != NULL && object->owner == 0;
}

CK_RV p11_object_claim(p11_session *session, const char *uid)
{
    p11_module *module;
    p11_object *object;
    CK_RV rv = p11_object_for_uid(session->slot, uid, &object);

    if (rv == CKR_OK && p11_module_get(&module) == CKR_OK) {
        pthread_mutex_lock(&module->lock);
        object->owner = session->handle;
        pthread_mutex_unlock(&module->lock);
    }
    return rv;
}

CK_RV p11_object_write_check(p11_session *session, CK_OBJECT_HANDLE handle)
{
    p11_object *object;

    if ((session->flags & CKF_RW_SESSION) ||
        (p11_object_lookup(session, handle, &object) == CKR_OK &&
         object->owner != 0))
        return CKR_OK;
    return CKR_SESSION_READ_ONLY;
}

/* Whether object is a live session object of slot made by owner (any
 * session when 0), kept in the process or on the server. */
static bool session_object_of(const p11_object *object, const p11_slot *slot,
                              CK_SESSION_HANDLE owner, bool on_server)
{
    return object->slot == slot && object->owner != 0 && !object->destroyed &&
           (owner == 0 || object->owner == owner) &&
           p11_object_in_process(object) != on_server;
}

/* The session objects of slot session_object_of selects, in a new array;
 * taken: marked destroyed too. */
static CK_RV session_objects(const p11_slot *slot, CK_SESSION_HANDLE owner,
                             bool on_server, bool take, p11_object ***out,
                             size_t *n)
{
    p11_module *module;
    CK_RV rv = p11_module_get(&module);

    *out = NULL;
    *n = 0;
    if (rv != CKR_OK)
        return rv;
    pthread_mutex_lock(&module->lock);
    *out = calloc(module->object_count + 1, sizeof(**out));
    for (size_t i = 0; *out != NULL && i < module->object_count; i++) {
        p11_object *object = module->objects[i];

        if (!session_object_of(object, slot, owner, on_server))
            continue;
        (*out)[(*n)++] = object;
        object->destroyed |= take;
    }
    pthread_mutex_unlock(&module->lock);
    return *out != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

CK_RV p11_local_objects(const p11_slot *slot, p11_object ***out, size_t *n)
{
    return session_objects(slot, 0, false, false, out, n);
}

CK_RV p11_session_keys_take(const p11_slot *slot, CK_SESSION_HANDLE owner,
                            p11_object ***out, size_t *n)
{
    return session_objects(slot, owner, true, true, out, n);
}

void p11_local_objects_drop(const p11_module *module, const p11_slot *slot,
                            CK_SESSION_HANDLE owner)
{
    for (size_t i = 0; i < module->object_count; i++) {
        p11_object *object = module->objects[i];

        if (object->slot == slot && p11_object_in_process(object) &&
            (owner == 0 || object->owner == owner))
            object->destroyed = true;
    }
}
