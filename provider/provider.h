/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip OpenSSL 3 provider internals. The provider reaches keys only
 * through a CK_FUNCTION_LIST: p11core's (linked in) by default, or any
 * PKCS#11 module named by p11kmip-module-path. Every PKCS#11 call goes
 * through the call layer (calls.c makes the calls, session.c owns the
 * module and the sessions), the one place for fork checks, login, tracing
 * and error mapping. */
#ifndef P11PROV_PROVIDER_H
#define P11PROV_PROVIDER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#define P11PROV_NAME "p11kmip"
/* Property query for the provider's own fetches (digests, public-key
 * operations): anything but this provider, so it never calls itself. */
#define P11PROV_INTERNAL_PROPQ "provider!=p11kmip"
#define P11PROV_PROPS "provider=p11kmip"

/* Error reasons, with texts in errors.c. */
enum {
    P11PROV_R_MODULE = 1,   /* loading or initialising the module */
    P11PROV_R_URI,          /* a malformed or unusable pkcs11: URI */
    P11PROV_R_NOT_FOUND,    /* no object matches the URI */
    P11PROV_R_AMBIGUOUS,    /* several keys match the URI */
    P11PROV_R_LOGIN,        /* wrong PIN, or no PIN where one is needed */
    P11PROV_R_TOKEN,        /* the token refused an operation */
    P11PROV_R_KEY_USAGE,    /* the key cannot do what was asked */
    P11PROV_R_UNSUPPORTED,  /* a mechanism or parameter not offered */
    P11PROV_R_BAD_ARGUMENT, /* a caller's parameter is wrong */
    P11PROV_R_BUFFER_SMALL, /* the output buffer is too small */
    P11PROV_R_INTERNAL,     /* out of memory or an OpenSSL failure */
};

typedef struct p11prov_ctx p11prov_ctx;

/* p11kmip-login-behavior: when tokens are logged in. */
enum p11prov_login {
    P11PROV_LOGIN_AUTO,  /* "auto": when a session is first needed */
    P11PROV_LOGIN_EARLY, /* "early": at the provider's activation */
    P11PROV_LOGIN_NEVER, /* "never": public objects only */
};
typedef struct p11prov_key p11prov_key;

/* ---- The provider context (provider.c) ---- */

struct p11prov_ctx {
    const OSSL_CORE_HANDLE *handle;
    OSSL_LIB_CTX *libctx; /* child library context, for internal fetches */
    /* From openssl.cnf (settings.c); NULL, 0 or false when not set. */
    char *module_path;         /* p11kmip-module-path: another PKCS#11 module */
    char *pin;                 /* p11kmip-pin: a PIN, or "file:/path" */
    enum p11prov_login login;  /* p11kmip-login-behavior */
    bool cache_pins;           /* p11kmip-cache-pins = cache */
    bool deny_export;          /* p11kmip-allow-export = 1 */
    bool no_keyfiles;          /* p11kmip-encode-provider-uri-to-pem = false */
    CK_SLOT_ID *allowed_slots; /* p11kmip-allowed-slots; NULL: all */
    size_t allowed_slot_count;
    /* With cache_pins, the PIN p11kmip-pin gave the first time it was
     * read (wiped at teardown); set once, under module_lock. */
    char *cached_pin;
    bool trace; /* P11KMIP_PROVIDER_DEBUG: trace every call */
    /* Core error functions. */
    OSSL_FUNC_core_new_error_fn *core_new_error;
    OSSL_FUNC_core_set_error_debug_fn *core_set_error_debug;
    OSSL_FUNC_core_vset_error_fn *core_vset_error;
    /* The PKCS#11 module, loaded and initialised lazily (session.c), and
     * again in a forked child. module_lock is held only while doing so. */
    struct p11prov_module *module;
    pthread_mutex_t module_lock;
};

/* Reads the provider's openssl.cnf section into ctx (settings.c); 0 with
 * an error naming the setting when a value does not parse. */
int p11prov_settings_read(p11prov_ctx *ctx,
                          OSSL_FUNC_core_get_params_fn *core_get_params);
/* Whether p11kmip-allowed-slots lets the provider use slot. */
bool p11prov_slot_allowed(const p11prov_ctx *ctx, CK_SLOT_ID slot);
void p11prov_settings_free(p11prov_ctx *ctx);

/* Raises an OpenSSL error from this provider with a formatted text. */
void p11prov_raise(const p11prov_ctx *ctx, int reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Raises the error for a PKCS#11 failure, with p11-kit's text for rv:
 * "what: The PIN is incorrect (CKR_PIN_INCORRECT)"; the reason follows
 * rv. */
void p11prov_raise_rv(const p11prov_ctx *ctx, CK_RV rv, const char *what);
/* The name of rv ("CKR_PIN_INCORRECT"), and the P11PROV_R_* reason of an
 * error for it (errors.c). */
const char *p11prov_ckr_name(CK_RV rv);
int p11prov_ckr_reason(CK_RV rv);
/* The provider's reason strings, for OSSL_FUNC_PROVIDER_GET_REASON_STRINGS */
const OSSL_ITEM *p11prov_reason_strings(void);

/* ---- The PKCS#11 call layer (calls.c, session.c) ---- */

/* A logged-in session borrowed from the pool of its slot (session.c);
 * opaque outside the call layer. */
typedef struct p11prov_session p11prov_session;

/* Borrows a session on slot, opening it (and logging in with the
 * configured PIN or uri_pin, which may be NULL) when the pool has none.
 * Detects a fork and reinitialises the module in the child first. On
 * failure raises an OpenSSL error naming the slot, its token and uri (what
 * the session is for) and returns NULL. */
p11prov_session *p11prov_session_get(p11prov_ctx *ctx, CK_SLOT_ID slot,
                                     const char *uri_pin, const char *uri);
/* Gives session back after the last call on it answered rv: to the pool,
 * unless rv says the session is gone or an operation may still be active
 * in it (CKR_OPERATION_ACTIVE to say so), then it is closed. The one way a
 * session ends; NULL is a no-op. */
void p11prov_session_end(p11prov_session *session, CK_RV rv);
CK_SLOT_ID p11prov_session_slot(const p11prov_session *session);

/* p11kmip-login-behavior = early: logs in to every initialised token of
 * an allowed slot now; 0 with an error raised when one cannot be. */
int p11prov_login_early(p11prov_ctx *ctx);

/* Frees the module state (provider teardown). */
void p11prov_module_free(struct p11prov_module *module);

/* Where a call is made from, for its error: P11PROV_SITE. */
typedef struct p11prov_site {
    const char *file;
    int line;
    const char *func;
} p11prov_site;
#define P11PROV_SITE (&(const p11prov_site){__FILE__, __LINE__, __func__})

/* Every call to the module, one wrapper each (calls.c). A wrapper makes
 * the call, traces it to stderr when P11KMIP_PROVIDER_DEBUG is set, and
 * when it fails raises an OpenSSL error with the function, the CKR's name
 * and words, the slot and the call site. Answers that are part of a
 * conversation raise nothing, the caller decides: an attribute the object
 * lacks, a mechanism the token lacks (C_SignInit), a ciphertext that does
 * not decrypt. Each returns the module's CK_RV. */
CK_RV p11prov_call_slots(p11prov_ctx *ctx, CK_SLOT_ID **slots, CK_ULONG *count,
                         const p11prov_site *site);
CK_RV p11prov_call_slot_info(p11prov_ctx *ctx, CK_SLOT_ID slot,
                             CK_SLOT_INFO *info, const p11prov_site *site);
CK_RV p11prov_call_token_info(p11prov_ctx *ctx, CK_SLOT_ID slot,
                              CK_TOKEN_INFO *info, const p11prov_site *site);
/* Reads fixed-size attributes (pValue set by the caller). */
CK_RV p11prov_call_attributes(p11prov_session *session, CK_OBJECT_HANDLE object,
                              CK_ATTRIBUTE *attrs, CK_ULONG count,
                              const p11prov_site *site);
/* Reads a variable-length attribute of object; *value is malloc'd (the
 * caller frees it). CKR_ATTRIBUTE_TYPE_INVALID when the object has none. */
CK_RV p11prov_call_attribute(p11prov_session *session, CK_OBJECT_HANDLE object,
                             CK_ATTRIBUTE_TYPE type, CK_BYTE **value,
                             CK_ULONG *len, const p11prov_site *site);
/* C_FindObjectsInit, C_FindObjects for up to max objects, C_FindObjectsFinal.
 */
CK_RV p11prov_call_find(p11prov_session *session, CK_ATTRIBUTE *template,
                        CK_ULONG count, CK_OBJECT_HANDLE *found, CK_ULONG max,
                        CK_ULONG *found_count, const p11prov_site *site);
CK_RV p11prov_call_sign_init(p11prov_session *session, CK_MECHANISM *mech,
                             CK_OBJECT_HANDLE key, const p11prov_site *site);
CK_RV p11prov_call_sign(p11prov_session *session, const CK_BYTE *in,
                        CK_ULONG inlen, CK_BYTE *sig, CK_ULONG *siglen,
                        const p11prov_site *site);
CK_RV p11prov_call_sign_update(p11prov_session *session, const CK_BYTE *in,
                               CK_ULONG inlen, const p11prov_site *site);
CK_RV p11prov_call_sign_final(p11prov_session *session, CK_BYTE *sig,
                              CK_ULONG *siglen, const p11prov_site *site);
/* C_EncryptInit and C_Encrypt, or C_DecryptInit and C_Decrypt. */
CK_RV p11prov_call_crypt(p11prov_session *session, bool encrypt,
                         CK_MECHANISM *mech, CK_OBJECT_HANDLE key,
                         const CK_BYTE *in, CK_ULONG inlen, CK_BYTE *out,
                         CK_ULONG *outlen, const p11prov_site *site);
CK_RV p11prov_call_generate_pair(p11prov_session *session, CK_MECHANISM *mech,
                                 CK_ATTRIBUTE *public, CK_ULONG public_count,
                                 CK_ATTRIBUTE *private, CK_ULONG private_count,
                                 CK_OBJECT_HANDLE *public_key,
                                 CK_OBJECT_HANDLE *private_key,
                                 const p11prov_site *site);
/* C_DeriveKey from base; a refused template, a key that may not derive
 * and a peer the token finds wrong are answers (the caller raises). */
CK_RV p11prov_call_derive(p11prov_session *session, CK_MECHANISM *mech,
                          CK_OBJECT_HANDLE base, CK_ATTRIBUTE *template,
                          CK_ULONG count, CK_OBJECT_HANDLE *derived,
                          const p11prov_site *site);
CK_RV p11prov_call_destroy(p11prov_session *session, CK_OBJECT_HANDLE object,
                           const p11prov_site *site);

/* ---- URIs (uri.c) ---- */

typedef struct p11prov_uri p11prov_uri; /* opaque, wraps p11-kit's */

/* Parses a pkcs11: URI (RFC 7512). NULL with an error naming the URI when
 * it is malformed. pin-source=file:... is read here. */
p11prov_uri *p11prov_uri_parse(const p11prov_ctx *ctx, const char *text);
void p11prov_uri_free(p11prov_uri *uri);
/* The slots whose token matches the URI (slot-id, token, manufacturer,
 * serial, model), in module order (loading the module when needed).
 * *slots is malloc'd; an error is raised on failure. */
CK_RV p11prov_uri_slots(const p11prov_uri *uri, p11prov_ctx *ctx,
                        CK_SLOT_ID **slots, CK_ULONG *count);
/* The object template of the URI (object, id, type), for
 * C_FindObjectsInit; points into uri. */
void p11prov_uri_template(const p11prov_uri *uri, CK_ATTRIBUTE **attrs,
                          CK_ULONG *count);
/* The PIN from pin-value or pin-source, or NULL. */
const char *p11prov_uri_pin(const p11prov_uri *uri);
/* text without its pin-value and pin-source (a key file must not hold a
 * PIN); malloc'd, NULL when text does not parse. */
char *p11prov_uri_without_pin(const char *text);
/* text as errors and key references show it: without its PIN, also when
 * it does not parse; malloc'd, NULL when out of memory. */
char *p11prov_uri_shown(const char *text);
/* The URI of an object, from its token and attributes; malloc'd. */
char *p11prov_uri_format(const CK_TOKEN_INFO *token, const char *label,
                         const CK_BYTE *id, CK_ULONG id_len,
                         CK_OBJECT_CLASS object_class);

/* ---- Searching (search.c) ---- */

/* What to do with the objects a URI names on one slot: found[count],
 * found with session (borrowed: keep nothing of it); pin is the URI's
 * PIN, uri the URI without it (p11prov_uri_shown). Returns 0 to stop the
 * search, with an error raised. */
typedef int p11prov_visit_fn(p11prov_session *session,
                             const CK_OBJECT_HANDLE *found, CK_ULONG count,
                             const char *pin, const char *uri, void *arg);

typedef struct p11prov_search {
    /* Attributes added to the URI's template where it has none of the
     * type (e.g. a class). */
    const CK_ATTRIBUTE *extra;
    CK_ULONG extra_count;
    CK_ULONG max; /* objects per slot */
    p11prov_visit_fn *visit;
    void *arg;
} p11prov_search;

/* Parses uri_text and searches each slot whose token it matches, in
 * module order; *slot_count is their number. 0 with an error raised on
 * failure (a bad URI, a module, login or search failure, or visit). */
int p11prov_search_uri(p11prov_ctx *ctx, const char *uri_text,
                       const p11prov_search *search, CK_ULONG *slot_count);

/* ---- Keys (key.c): a reference to a key held by the token ---- */

struct p11prov_key {
    int refcount; /* atomic */
    p11prov_ctx *ctx;
    CK_SLOT_ID slot;
    /* The private (or secret) key; CK_INVALID_HANDLE if none. Valid in
     * the process handle_pid: after a fork, the module is initialised
     * afresh and p11prov_key_object finds the object again by CKA_CLASS
     * and CKA_ID. */
    CK_OBJECT_HANDLE handle;
    pid_t handle_pid;
    CK_BYTE *id; /* CKA_ID of the object, malloc'd; NULL when it has none */
    CK_ULONG id_len;
    CK_OBJECT_CLASS object_class;
    CK_KEY_TYPE key_type; /* CKK_RSA, CKK_EC, CKK_AES, ... */
    CK_ULONG bits;
    char *uri; /* the URI that names the key (for encoders), malloc'd */
    char *pin; /* the URI's PIN, wiped on free, or NULL */
    /* The public half (public keys, and private keys whose public key or
     * certificate the token has): verify, encrypt, export and match run
     * on it locally. NULL for secret keys. For a local key, the whole key
     * (keymgmt_local.c). */
    EVP_PKEY *public_key;
    /* A key in memory only, never on the token: imported by value, or
     * made by the ephemeral EC key manager (libssl's ephemeral keys). Its
     * object_class says what it holds: CKO_PRIVATE_KEY (a pair),
     * CKO_PUBLIC_KEY or CKO_DOMAIN_PARAMETERS (a group only). */
    bool local;
};

/* Builds a key from an object found on slot with session: reads its class,
 * key type and size, and its public half (from the object itself, a
 * public key or a certificate with the same CKA_ID). NULL with an error
 * raised on failure. */
p11prov_key *p11prov_key_from_object(p11prov_ctx *ctx, p11prov_session *session,
                                     CK_OBJECT_HANDLE handle, const char *uri,
                                     const char *pin);
/* The key's object handle for this process (see handle_pid), searching
 * the token again with session after a fork; CK_INVALID_HANDLE with an
 * error raised when the object is gone. */
CK_OBJECT_HANDLE p11prov_key_object(p11prov_key *key, p11prov_session *session);
p11prov_key *p11prov_key_ref(p11prov_key *key);
void p11prov_key_free(p11prov_key *key);
/* CKK_EC for an EC key, CKK_EC_EDWARDS for Ed25519 / Ed448, else CKK_RSA
 * (RSA and RSA-PSS). */
CK_KEY_TYPE p11prov_key_type_of(const EVP_PKEY *pkey);
/* The OpenSSL key type name of key: "RSA", "RSA-PSS", "EC", "ED25519" or
 * "ED448". */
const char *p11prov_key_data_type(const p11prov_key *key);
/* A key with only a public half (keymgmt import); takes pkey. */
p11prov_key *p11prov_key_from_public(p11prov_ctx *ctx, EVP_PKEY *pkey);

/* The one private key uri names (store.c), or NULL with an error raised
 * when it names none or several. */
p11prov_key *p11prov_store_find_private(p11prov_ctx *ctx, const char *uri);

/* Drops the key the key file decoder keeps for this thread when it is
 * ctx's (provider teardown). */
void p11prov_decoder_forget(const p11prov_ctx *ctx);

/* ---- Operation tables, one per file ---- */

/* The decoder and encoder structure name of a key file's DER. */
#define P11PROV_KEYFILE_STRUCTURE "pk11-uri"

/* The TLS groups libssl may use this provider's key managers for
 * (tls_groups.c): OSSL_FUNC_PROVIDER_GET_CAPABILITIES. Their key manager
 * is the ephemeral EC one, by this name: libssl makes a group's keys
 * through the key manager named by the group, so its ephemeral keys never
 * meet the "EC" key manager, whose key pairs go to the token. */
#define P11PROV_EC_EPHEMERAL "P11KMIP-EC-EPHEMERAL"
int p11prov_get_capabilities(void *provctx, const char *capability,
                             OSSL_CALLBACK *cb, void *arg);

extern const OSSL_DISPATCH p11prov_store_functions[];
extern const OSSL_DISPATCH p11prov_rsa_keymgmt_functions[];
extern const OSSL_DISPATCH p11prov_rsa_pss_keymgmt_functions[];
extern const OSSL_DISPATCH p11prov_ec_keymgmt_functions[];
extern const OSSL_DISPATCH p11prov_ec_ephemeral_keymgmt_functions[];
extern const OSSL_DISPATCH p11prov_rsa_signature_functions[];
extern const OSSL_DISPATCH p11prov_ecdsa_signature_functions[];
extern const OSSL_DISPATCH p11prov_ed25519_keymgmt_functions[];
extern const OSSL_DISPATCH p11prov_ed448_keymgmt_functions[];
extern const OSSL_DISPATCH p11prov_eddsa_signature_functions[];
extern const OSSL_DISPATCH p11prov_keyfile_ed25519_decoder_functions[];
extern const OSSL_DISPATCH p11prov_keyfile_ed448_decoder_functions[];
extern const OSSL_DISPATCH p11prov_rsa_asym_cipher_functions[];
extern const OSSL_DISPATCH p11prov_ecdh_exchange_functions[];
extern const OSSL_DISPATCH p11prov_aes_256_gcm_functions[];
extern const OSSL_DISPATCH p11prov_aes_128_gcm_functions[];
extern const OSSL_DISPATCH p11prov_aes_256_cbc_functions[];
extern const OSSL_DISPATCH p11prov_aes_128_cbc_functions[];
extern const OSSL_DISPATCH p11prov_aes_256_ctr_functions[];
extern const OSSL_DISPATCH p11prov_aes_128_ctr_functions[];
extern const OSSL_DISPATCH p11prov_keyfile_pem_decoder_functions[];
extern const OSSL_DISPATCH p11prov_keyfile_rsa_decoder_functions[];
extern const OSSL_DISPATCH p11prov_keyfile_rsa_pss_decoder_functions[];
extern const OSSL_DISPATCH p11prov_keyfile_ec_decoder_functions[];
extern const OSSL_DISPATCH p11prov_keyfile_encoder_functions[];
extern const OSSL_DISPATCH p11prov_spki_der_encoder_functions[];
extern const OSSL_DISPATCH p11prov_spki_pem_encoder_functions[];
extern const OSSL_DISPATCH p11prov_text_encoder_functions[];

#endif
