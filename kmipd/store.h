/* SPDX-License-Identifier: Apache-2.0 */
/* Managed objects and their durable store (SQLite, WAL, synchronous=FULL:
 * an object is on disk before the call that stored it returns). Key
 * material is wrapped at rest with AES-256 key wrap under the master key.
 * All functions are thread safe. */
#ifndef KMIPD_STORE_H
#define KMIPD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/status.h"
#include "kmip/ttlv.h"

#define KMIPD_UID_MAX 64    /* with the terminator */
#define KMIPD_OWNER_MAX 256 /* with the terminator */
#define KMIPD_MASTER_KEY_LEN 32

typedef struct kmipd_object {
    char uid[KMIPD_UID_MAX];
    uint32_t object_type; /* KMIP_OBJECT_TYPE_* */
    char owner[KMIPD_OWNER_MAX];
    /* KMIP_STATE_*: authoritative; the store writes it into the State
     * attribute of attrs on insert and update. */
    uint32_t state;
    /* Canonical KMIP_TAG_ATTRIBUTES structure holding 2.x typed attributes
     * (see kmipd/attributes.h). Owned. */
    kmip_item *attrs;
    /* Plaintext material, owned, wiped on free: DER (PKCS#8 private key,
     * SubjectPublicKeyInfo public key, X.509 certificate) or raw bytes
     * (symmetric key, secret data, opaque data). NULL when none. */
    uint8_t *material;
    size_t material_len;
    uint32_t material_format; /* KMIP_KEY_FORMAT_TYPE_* of material */
    bool exportable;          /* Get may return the material */
} kmipd_object;

/* A new object of object_type owned by owner, state Pre-Active, with an
 * empty attribute structure and no material. NULL when out of memory or
 * owner is too long. Free with kmipd_object_free. */
kmipd_object *kmipd_object_new(uint32_t object_type, const char *owner);

/* Copies material into obj (wiping what was there). */
bool kmipd_object_set_material(kmipd_object *obj, const uint8_t *material,
                               size_t len, uint32_t format);

/* A deep copy of obj (attributes and material); NULL when out of
 * memory. */
kmipd_object *kmipd_object_dup(const kmipd_object *obj);

/* Wipes the material and frees obj. NULL is a no-op. */
void kmipd_object_free(kmipd_object *obj);

typedef struct kmipd_store kmipd_store;

typedef enum kmipd_store_rc {
    KMIPD_STORE_OK = 0,
    KMIPD_STORE_NOT_FOUND, /* no such object for this owner */
    KMIPD_STORE_FAILED,    /* I/O, database or wrapping error (in status) */
} kmipd_store_rc;

/* Opens (creating when absent) the database at path. master_key is copied
 * and wiped on close. Fails when master_key is not the key the database
 * was made with (a check value kept in it), or when SQLite cannot give
 * the database WAL with synchronous=FULL. Free with kmipd_store_close. */
kmipd_store *kmipd_store_open(const char *path,
                              const uint8_t master_key[KMIPD_MASTER_KEY_LEN],
                              kmip_status *status);
void kmipd_store_close(kmipd_store *store);

/* The durability settings the store's connections run with, as SQLite
 * reports them. */
typedef struct kmipd_store_durability {
    int synchronous;       /* PRAGMA synchronous: 2 is FULL */
    char journal_mode[16]; /* PRAGMA journal_mode: "wal" */
} kmipd_store_durability;
kmipd_store_rc kmipd_store_get_durability(kmipd_store *store,
                                          kmipd_store_durability *out,
                                          kmip_status *status);

/* Writes a fresh unique identifier into uid. */
void kmipd_store_new_uid(char uid[KMIPD_UID_MAX]);

/* Stores n new objects in one transaction (all or none; a key pair is
 * stored with n = 2). An object with an empty uid gets one assigned. The
 * store completes each object's attributes: Unique Identifier, Object
 * Type, State, Initial Date and Last Change Date; when the client gave an
 * Activation Date not in the future, the state is Active. Returns once
 * the objects are durable. */
kmipd_store_rc kmipd_store_insert(kmipd_store *store, kmipd_object **objs,
                                  size_t n, kmip_status *status);

/* Loads the object uid owned by owner, its state brought up to date with
 * its dates (kmipd/lifecycle.h). Another owner's object is
 * KMIPD_STORE_NOT_FOUND. Free *out with kmipd_object_free. */
kmipd_store_rc kmipd_store_load(kmipd_store *store, const char *uid,
                                const char *owner, kmipd_object **out,
                                kmip_status *status);

/* An object loaded for reading only, shared with the store's cache of
 * loaded objects (a Use operation's way to its key: no copy, and no
 * database read when cached). */
typedef struct kmipd_object_use kmipd_object_use;
const kmipd_object *kmipd_object_use_get(const kmipd_object_use *use);
/* Ends a use. NULL is a no-op. */
void kmipd_object_use_end(kmipd_object_use *use);

/* kmipd_store_load's object as a use; end it with kmipd_object_use_end. */
kmipd_store_rc kmipd_store_use(kmipd_store *store, const char *uid,
                               const char *owner, kmipd_object_use **out,
                               kmip_status *status);

/* Writes obj's state, attributes (Last Change Date set to now), material
 * and exportability over the stored object of the same uid and owner. */
kmipd_store_rc kmipd_store_update(kmipd_store *store, kmipd_object *obj,
                                  kmip_status *status);

/* Removes the object uid owned by owner. */
kmipd_store_rc kmipd_store_delete(kmipd_store *store, const char *uid,
                                  const char *owner, kmip_status *status);

/* Serialise the changes to one object within this process: whoever loads
 * an object to change it holds its lock until the update is written.
 * Locks are striped by uid; hold at most one at a time. */
void kmipd_store_lock(kmipd_store *store, const char *uid);
void kmipd_store_unlock(kmipd_store *store, const char *uid);

/* Decides whether a stored object matches a Locate; obj has no material
 * loaded. */
typedef bool (*kmipd_store_match_fn)(const kmipd_object *obj, void *arg);

/* The identifiers of owner's objects, oldest first, for which match
 * returns true (match may be NULL: all), skipping the first offset
 * matches and keeping at most max_items (0: no limit). *total receives
 * the number of matches before offset and limit. The caller frees *uids
 * (an array of *n strings) with kmipd_store_uids_free. */
kmipd_store_rc kmipd_store_locate(kmipd_store *store, const char *owner,
                                  kmipd_store_match_fn match, void *arg,
                                  size_t offset, size_t max_items, char ***uids,
                                  size_t *n, size_t *total,
                                  kmip_status *status);
void kmipd_store_uids_free(char **uids, size_t n);

#endif
