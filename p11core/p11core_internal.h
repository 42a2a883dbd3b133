/* SPDX-License-Identifier: Apache-2.0 */
/* p11core internals: the module state, slots, sessions, objects, the KMIP
 * calls of a session (through its slot's server, server.h, whose answers
 * errors.c classifies) and locking. Every p11core file (core and
 * cryptographic operations) codes against this header.
 *
 * Locking: every lock is a pthread lock (C_Initialize accepts
 * CKF_OS_LOCKING_OK or no locking arguments; application mutex callbacks
 * alone give CKR_CANT_LOCK). Order, outermost first:
 *   session->lock -> slot->server.client_lock -> object->lock ->
 *   module->lock.
 * Only session->lock and the client_lock (for reading) are held across a
 * KMIP call; login and logout take the client_lock for writing.
 *
 * Fork: the state records the pid of C_Initialize. In a child, every entry
 * point answers CKR_CRYPTOKI_NOT_INITIALIZED without touching a lock, and
 * C_Initialize abandons the parent's state (never using its connections
 * or locks) and builds a fresh one from the parent's configuration, each
 * slot's client derived from the parent's (module.c: inherit). */
#ifndef P11CORE_INTERNAL_H
#define P11CORE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <p11-kit/pkcs11.h>

/* PKCS#11 3.0 values p11-kit's pkcs11.h (0.24) lacks. */
#ifndef CKK_EC_MONTGOMERY
#define CKK_EC_MONTGOMERY (0x41UL)
#endif
#ifndef CKM_EC_MONTGOMERY_KEY_PAIR_GEN
#define CKM_EC_MONTGOMERY_KEY_PAIR_GEN (0x1056UL)
#endif

#include <openssl/evp.h>

#include "kmip/client.h"
#include "kmip/message.h"
#include "kmip/status.h"
#include "kmip/ttlv.h"
#include "log.h"
#include "p11kmip/conf.h"
#include "server.h"

#define P11_MANUFACTURER "p11kmip"
#define P11_LIBRARY_DESCRIPTION "p11kmip PKCS#11 over KMIP"
#define P11_VERSION_MAJOR 0
#define P11_VERSION_MINOR 1

/* Marks the definition of each C_* entry point: the project builds with
 * -fvisibility=hidden and the module exports exactly these. */
#define P11_EXPORT __attribute__((visibility("default")))

/* ---- Slots: one per configured server group. ---- */

typedef struct p11_slot {
    CK_SLOT_ID id;                 /* index in module->slots */
    const p11kmip_slot_conf *conf; /* owned by module->conf */
    /* The token label: conf's until C_InitToken renames the token. Under
     * module->lock. */
    char label[33];
    /* The server group: client, version, login, learned facts. */
    p11_server server;
    /* Counts of open sessions, under module->lock. */
    CK_ULONG session_count;
    CK_ULONG rw_session_count;
} p11_slot;

/* ---- Objects: handles stable for the life of the process. ---- */

typedef struct p11_object {
    CK_OBJECT_HANDLE handle; /* never reused before C_Finalize */
    p11_slot *slot;
    char *uid; /* KMIP Unique Identifier, immutable */
    /* Guards every field below. Fields marked "fixed" never change once
     * loaded is true, so they may be read without the lock after a
     * successful p11_object_get. */
    pthread_mutex_t lock;
    bool loaded; /* attributes fetched from the server */
    /* C_DestroyObject succeeded; the handle is invalid. Under
     * module->lock, not this one. */
    bool destroyed;
    /* fixed: the session that made this session object (CKA_TOKEN
     * false); 0 for a token object. A session object without uid ("")
     * lives in the process only; one with a uid is a session key on the
     * server (session_keys.c). Under module->lock. */
    CK_SESSION_HANDLE owner;
    uint32_t kmip_object_type;    /* fixed: KMIP_OBJECT_TYPE_* */
    uint32_t kmip_algorithm;      /* fixed: KMIP Cryptographic Algorithm, 0 */
    CK_OBJECT_CLASS object_class; /* fixed */
    /* fixed: CKK_* for keys, CKC_X_509 for certificates, else
     * CK_UNAVAILABLE_INFORMATION */
    CK_ULONG subtype;
    CK_ULONG key_bits;   /* fixed: modulus, curve or secret key length */
    uint32_t usage_mask; /* fixed: KMIP Cryptographic Usage Mask */
    uint32_t state;      /* KMIP State */
    /* fixed: KMIP Sensitive, Extractable, Always Sensitive and Never
     * Extractable as the server keeps them (object_load.c). */
    bool sensitive;
    bool extractable;
    bool always_sensitive;
    bool never_extractable;
    /* fixed: the server keeps Extractable (and so the other three) */
    bool export_kept;
    char *label; /* KMIP Name, NULL when none */
    uint8_t *id; /* CKA_ID: the custom attribute, else a uid's bytes */
    size_t id_len;
    bool id_custom;   /* id comes from the custom attribute x-pkcs11-id */
    char *linked_uid; /* fixed: the other half of a key pair, or NULL */
    /* fixed: the public key (of a public key, a private key's linked
     * public key, or a certificate's subject key) for local operations
     * and public attributes; NULL when none. */
    EVP_PKEY *public_key;
    /* fixed: x-pkcs11-attrs, the attributes KMIP has no place for
     * (attr_bag.c), or NULL. */
    char *bag;
    /* fixed: the owner mark (x-pkcs11-session, session_mark.h) of a
     * session key, or NULL. */
    char *session_mark;
    /* fixed: DER of a certificate, or the value of a data object; NULL
     * for keys. */
    uint8_t *value;
    size_t value_len;
} p11_object;

/* The KMIP usage-mask bit behind a CKA_SIGN/VERIFY/ENCRYPT/DECRYPT/
 * WRAP/UNWRAP/DERIVE attribute; 0 for any other attribute. */
uint32_t p11_usage_bit(CK_ATTRIBUTE_TYPE usage);

/* True for private objects (CKA_PRIVATE): private and secret keys of a
 * token whose slot has a login. */
bool p11_object_is_private(const p11_object *object);

/* True when the loaded object allows usage (CKA_SIGN, CKA_DECRYPT, ...)
 * by its Cryptographic Usage Mask. */
bool p11_object_allows(const p11_object *object, CK_ATTRIBUTE_TYPE usage);

/* ---- Sessions ---- */

/* The operations a session can have active at once, one of each kind. */
typedef enum p11_op_kind {
    P11_OP_ENCRYPT,
    P11_OP_DECRYPT,
    P11_OP_DIGEST,
    P11_OP_SIGN,
    P11_OP_VERIFY,
    P11_OP_KINDS
} p11_op_kind;

/* Bytes gathered by *Update calls. Wiped when cleared (input to a sign or
 * decrypt may be secret). */
typedef struct p11_bytes {
    uint8_t *data;
    size_t len;
    size_t cap;
} p11_bytes;

/* Largest multi-part input kept: a KMIP request must carry it. */
#define P11_BYTES_MAX (KMIP_DEFAULT_MAX_MESSAGE - 4096)

/* CKR_OK, CKR_DATA_LEN_RANGE past P11_BYTES_MAX, or CKR_HOST_MEMORY. */
CK_RV p11_bytes_append(p11_bytes *bytes, const uint8_t *data, size_t len);
void p11_bytes_clear(p11_bytes *bytes);

/* One active operation, filled by its *Init function. */
typedef struct p11_operation {
    bool active;
    CK_MECHANISM_TYPE mechanism;
    CK_OBJECT_HANDLE key;   /* CK_INVALID_HANDLE for a digest */
    p11_object *key_object; /* NULL for a digest; valid until C_Finalize */
    void *ctx;              /* owned; freed by free_ctx when the op ends */
    void (*free_ctx)(void *ctx);
    /* Set by the first *Update or *Final call: the single-part call
     * (C_Sign ...) is then refused. */
    bool multipart;
    /* Set by a single-part call that kept the operation (a length query,
     * a short buffer): *Update and *Final are then refused. */
    bool single_part;
    /* Set when the server refused a streamed decryption (cipher_stream.c):
     * the input is then gathered for the final call. */
    bool gathers;
    p11_bytes input; /* multi-part input kept for the final call */
    /* The Correlation Value of the server's KMIP stream (cipher_stream.c),
     * empty when none is open. */
    p11_bytes stream;
    /* The key is CKA_ALWAYS_AUTHENTICATE and no C_Login of
     * CKU_CONTEXT_SPECIFIC came since the *Init. */
    bool needs_context_login;
} p11_operation;

/* Frees op->ctx with op->free_ctx, wipes op->input and clears op.
 * Inactive: a no-op. */
void p11_operation_end(p11_operation *op);

struct p11_find; /* find.c: an active C_FindObjects search */

typedef struct p11_session {
    CK_SESSION_HANDLE handle;
    p11_slot *slot;
    CK_FLAGS flags; /* CKF_SERIAL_SESSION, CKF_RW_SESSION */
    /* Held between p11_session_acquire and p11_session_release: one
     * thread at a time in a session. */
    pthread_mutex_t lock;
    unsigned refs; /* under module->lock; the table holds one */
    bool closed;   /* removed from the table, freed with the last ref */
    p11_operation ops[P11_OP_KINDS];
    struct p11_find *find; /* NULL when no search is active */
    /* The Result Reason of the session's last KMIP request
     * (ulDeviceError): 0 when it succeeded or failed without one. */
    CK_ULONG device_error;
} p11_session;

/* Looks up handle, takes a reference and locks the session. Returns
 * CKR_CRYPTOKI_NOT_INITIALIZED (also in a forked child that did not call
 * C_Initialize) or CKR_SESSION_HANDLE_INVALID. Pair with
 * p11_session_release. */
CK_RV p11_session_acquire(CK_SESSION_HANDLE handle, p11_session **out);

/* Unlocks session and drops the reference taken by p11_session_acquire;
 * frees it when it was closed meanwhile. NULL is a no-op. */
void p11_session_release(p11_session *session);

/* CKS_RO_PUBLIC_SESSION ... CKS_RW_USER_FUNCTIONS from the flags and the
 * slot's login state. */
CK_STATE p11_session_state(const p11_session *session);

/* CKR_USER_NOT_LOGGED_IN when the slot needs a login that has not
 * happened (login modes other than none), else CKR_OK. */
CK_RV p11_session_check_login(const p11_session *session);

/* ---- Objects through a session ---- */

/* The object behind handle, with its attributes loaded (one batched
 * request when not cached yet). CKR_OBJECT_HANDLE_INVALID for an unknown
 * or destroyed handle or one of another slot; CKR_USER_NOT_LOGGED_IN for a
 * private object (a key of a token with a login) before login. The object
 * stays valid until C_Finalize; the caller does not free it. */
CK_RV p11_object_get(p11_session *session, CK_OBJECT_HANDLE handle,
                     p11_object **out);

/* The object for uid in slot, added to the handle table (not loaded) when
 * new. CKR_HOST_MEMORY on allocation failure. */
CK_RV p11_object_for_uid(p11_slot *slot, const char *uid, p11_object **out);

/* ---- KMIP calls (kmip_call.c): through the session's slot server,
 * recording the Result Reason of a failure in session->device_error
 * (ulDeviceError). ---- */

/* Sends items as one batch (p11_server_call; the payloads consumed). On
 * DONE *resp (free with kmip_response_free) holds every item's result:
 * check each with p11_kmip_item. */
p11_reply p11_kmip_call(p11_session *session, kmip_request_item *items,
                        size_t n, bool idempotent, kmip_response **resp);

/* The result of request item index of resp: DONE with *payload (may be
 * NULL; pass NULL when not wanted) pointing into resp, or what its
 * Result Reason means; logs the server's message. */
p11_reply p11_kmip_item(p11_session *session, const kmip_response *resp,
                        size_t index, const kmip_item **payload);

/* One operation: p11_kmip_call then p11_kmip_item on its item. On DONE
 * *resp holds the response and *payload its Response Payload; otherwise
 * *resp is NULL. */
p11_reply p11_kmip_call_one(p11_session *session, uint32_t operation,
                            kmip_item *payload, bool idempotent,
                            kmip_response **resp,
                            const kmip_item **out_payload);

/* The protocol version the slot's server speaks: chooses the 1.x or 2.x
 * attribute forms. */
CK_RV p11_kmip_version(p11_session *session, kmip_version *out);

/* ---- Mechanisms (mechanisms.c, owned by the cryptographic operations) */

struct p11_mechanism {
    CK_MECHANISM_TYPE type;
    CK_ULONG min_key_size; /* in the unit PKCS#11 gives the mechanism */
    CK_ULONG max_key_size;
    CK_FLAGS flags; /* CKF_SIGN, CKF_GENERATE_KEY_PAIR, CKF_EC_*, ... */
};

extern const struct p11_mechanism p11_mechanisms[];
extern const size_t p11_mechanism_count;

/* The table entry for type, or NULL. */
const struct p11_mechanism *p11_mechanism_find(CK_MECHANISM_TYPE type);

/* The flags of mechanism on the slot's server: the table's, less what the
 * server refused (mech_support.c); no operation flag: not offered. */
CK_FLAGS p11_mechanism_flags(p11_server *server,
                             const struct p11_mechanism *mechanism);

/* Records that the server refused the mechanism for operation kind. */
void p11_mechanism_refused(p11_server *server, CK_MECHANISM_TYPE type,
                           p11_op_kind kind);

/* Records that the server refused the mechanism for flags (CKF_WRAP ...). */
void p11_mechanism_flags_refused(p11_server *server, CK_MECHANISM_TYPE type,
                                 CK_FLAGS flags);

/* Whether the slot's server still offers mechanism type for flag. */
bool p11_mechanism_offered(p11_server *server, CK_MECHANISM_TYPE type,
                           CK_FLAGS flag);

/* The CK_RV of a server's answer to a key generation or derivation with
 * mechanism type (flag: CKF_GENERATE, CKF_GENERATE_KEY_PAIR, CKF_DERIVE).
 * A server that cannot do it says so in several ways (p11_classify);
 * PKCS#11 has one word for it, and the slot no longer offers the
 * mechanism for flag. */
CK_RV p11_mechanism_answer(p11_server *server, CK_MECHANISM_TYPE type,
                           CK_FLAGS flag, p11_reply reply);

/* ---- Templates ---- */

/* The first attribute of type in templ, or NULL. */
const CK_ATTRIBUTE *p11_template_find(const CK_ATTRIBUTE *templ, CK_ULONG count,
                                      CK_ATTRIBUTE_TYPE type);

/* Reads a CK_BBOOL / CK_ULONG attribute of templ into *out. CKR_OK when
 * present and well formed, CKR_ATTRIBUTE_VALUE_INVALID when of the wrong
 * size, CKR_TEMPLATE_INCOMPLETE when absent (*out untouched). */
CK_RV p11_template_bool(const CK_ATTRIBUTE *templ, CK_ULONG count,
                        CK_ATTRIBUTE_TYPE type, CK_BBOOL *out);
CK_RV p11_template_ulong(const CK_ATTRIBUTE *templ, CK_ULONG count,
                         CK_ATTRIBUTE_TYPE type, CK_ULONG *out);

/* ---- Module state ---- */

typedef struct p11_module {
    pid_t pid; /* of the process that ran C_Initialize */
    p11kmip_conf *conf;
    p11_slot *slots;
    size_t slot_count;
    /* Guards the tables below and the slots' session counts. */
    pthread_mutex_t lock;
    p11_session **sessions; /* open sessions, unordered */
    size_t session_count;
    size_t session_cap;
    CK_SESSION_HANDLE next_session_handle;
    p11_object **objects; /* objects[h - 1] has handle h */
    size_t object_count;
    size_t object_cap;
    /* A parent's state that this forked child abandoned (its connections
     * and locks belong to the parent), kept reachable; or NULL. */
    struct p11_module *abandoned;
} p11_module;

/* The state of this process's C_Initialize: CKR_OK with *out, or
 * CKR_CRYPTOKI_NOT_INITIALIZED (never initialized, finalized, or a forked
 * child that has not called C_Initialize). Takes no lock. */
CK_RV p11_module_get(p11_module **out);

/* The slot with id: CKR_SLOT_ID_INVALID or CKR_CRYPTOKI_NOT_INITIALIZED. */
CK_RV p11_slot_get(CK_SLOT_ID id, p11_slot **out);

/* ---- Small helpers (util.c) ---- */

/* Copies src into a blank-padded fixed field of len bytes (CK_INFO,
 * CK_TOKEN_INFO strings), truncating when longer. */
void p11_pad_copy(CK_UTF8CHAR *field, size_t len, const char *src);

/* The output convention (PKCS#11 v2.40 base, 5.2) of byte strings and
 * lists: whether needed bytes or items can be written to out. Sets *done
 * and returns what the call answers now, an operation staying active,
 * when out is NULL (a length query: CKR_OK with *out_len = needed) or too
 * small (CKR_BUFFER_TOO_SMALL with *out_len = needed). Otherwise *done is
 * false and the result CKR_OK; CKR_ARGUMENTS_BAD when out_len is NULL. */
CK_RV p11_output_check(const void *out, CK_ULONG_PTR out_len, size_t needed,
                       bool *done);

#endif
