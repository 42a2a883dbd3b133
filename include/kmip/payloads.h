/* SPDX-License-Identifier: Apache-2.0 */
/* Operation payloads: request builders and response parsers for clients,
 * request parsers and response builders for servers.
 *
 * Conventions:
 * - kmip_<op>_request(version, ...) returns a new Request Payload
 *   structure in version's form (1.x Template-Attribute / Attribute Name,
 *   or 2.x Attributes / Attribute Reference), for kmip_request_item. NULL
 *   when out of memory or given unusable arguments.
 * - kmip_<op>_response(payload, &result, status) reads a Response Payload.
 *   The result's pointers point into payload: it stays valid only while
 *   the payload (the kmip_response) lives, and nothing in it is freed.
 * - kmip_<op>_request_parse(payload, &args, status) reads a Request
 *   Payload the same way (pointers into payload), for servers.
 * - kmip_<op>_response_build(version, ...) returns a new Response Payload.
 * - Parsers fail with KMIP_E_NOT_FOUND for a missing required field and
 *   KMIP_E_DECODE for a field of the wrong type, naming the operation and
 *   the field in status.
 * - Unique Identifier: a request builder given a NULL uid omits it, so
 *   that the server uses the ID Placeholder (the Unique Identifier the
 *   previous batch item returned). A parser leaves uid NULL then.
 * - Attributes given to builders are canonical sets (kmip/attrs.h). A
 *   parser gives the attribute container as received (1.x or 2.x form);
 *   kmip_attrs_decode turns it into a canonical set. */
#ifndef KMIP_PAYLOADS_H
#define KMIP_PAYLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/attrs.h"
#include "kmip/message.h"
#include "kmip/status.h"
#include "kmip/ttlv.h"

/* ---- Value types of payload fields ---- */

/* A byte string; data NULL means absent. */
typedef struct kmip_bytes {
    const uint8_t *data;
    size_t len;
} kmip_bytes;

/* An optional Integer or Boolean (0 and false are values, not absence). */
typedef struct kmip_opt_int {
    bool present;
    int32_t value;
} kmip_opt_int;

typedef struct kmip_opt_bool {
    bool present;
    bool value;
} kmip_opt_bool;

#define KMIP_INT(v) ((kmip_opt_int){true, (v)})
#define KMIP_BOOL(v) ((kmip_opt_bool){true, (v)})

/* Repeated items of a parsed payload, all checked to have the expected
 * type: iterate with
 *   for (const kmip_item *it = list.first; it;
 *        it = kmip_item_next_with_tag(it, list.tag)) */
typedef struct kmip_list {
    const kmip_item *first; /* NULL when count is 0 */
    size_t count;
    uint32_t tag;
} kmip_list;

/* ---- Cryptographic Parameters (every field of KMIP 1.4 / 2.x) ---- */

/* Enumerations are 0 when absent. */
typedef struct kmip_crypto_params {
    bool present; /* false: no Cryptographic Parameters structure */
    uint32_t block_cipher_mode;
    uint32_t padding_method;
    uint32_t hashing_algorithm;
    uint32_t key_role_type;
    uint32_t digital_signature_algorithm;
    uint32_t cryptographic_algorithm;
    kmip_opt_bool random_iv;
    kmip_opt_int iv_length;
    kmip_opt_int tag_length;
    kmip_opt_int fixed_field_length;
    kmip_opt_int invocation_field_length;
    kmip_opt_int counter_length;
    kmip_opt_int initial_counter_value;
    kmip_opt_int salt_length;
    uint32_t mask_generator;
    uint32_t mask_generator_hashing_algorithm;
    kmip_bytes p_source;
    kmip_opt_int trailer_field;
} kmip_crypto_params;

/* A new Cryptographic Parameters structure; NULL when out of memory. */
kmip_item *kmip_crypto_params_build(const kmip_crypto_params *params);
/* Reads a Cryptographic Parameters structure; sets out->present. */
kmip_rc kmip_crypto_params_parse(const kmip_item *item, kmip_crypto_params *out,
                                 kmip_status *status);

/* ---- Managed objects (Get response, Register request) ---- */

typedef struct kmip_object {
    uint32_t object_type; /* KMIP_OBJECT_TYPE_* */
    /* Key Format Type (keys, Secret Data), Certificate Type, or Opaque
     * Data Type; for Secret Data, secret_data_type below. */
    uint32_t format;
    uint32_t secret_data_type;
    /* Key Material when a byte string, Certificate Value or Opaque Data
     * Value; for a wrapped key, the wrapped Key Value bytes. */
    kmip_bytes value;
    /* Key Material when a structure (transparent formats), else NULL. */
    const kmip_item *transparent;
    uint32_t algorithm; /* Key Block Cryptographic Algorithm, 0: none */
    int32_t length;     /* Key Block Cryptographic Length, 0: none */
    /* Key Wrapping Data (copied on build; value is then the wrapped Key
     * Value), or NULL. */
    const kmip_item *wrapping_data;
} kmip_object;

/* The object structure's tag for an object type (KMIP_TAG_SYMMETRIC_KEY
 * ...), 0 when unknown. */
uint32_t kmip_object_tag(uint32_t object_type);
/* A new object structure (Symmetric Key, Public Key, Private Key, Secret
 * Data with a Key Block; Certificate; Opaque Object). transparent, when
 * set, is copied as the Key Material. NULL on bad input or no memory. */
kmip_item *kmip_object_build(const kmip_object *object);
/* Reads an object structure; its tag gives the object type. */
kmip_rc kmip_object_parse(const kmip_item *item, kmip_object *out,
                          kmip_status *status);

/* ---- Payloads made of a Unique Identifier only: Activate, Destroy,
 * Get Attribute List requests; Activate, Destroy, Revoke responses. ---- */

kmip_item *kmip_uid_request(const char *uid);
kmip_item *kmip_uid_response_build(const char *uid);
/* uid is NULL when the request omitted it (ID Placeholder). */
kmip_rc kmip_uid_request_parse(const kmip_item *payload, const char **uid,
                               kmip_status *status);
/* A response's uid is required. */
kmip_rc kmip_uid_response(const kmip_item *payload, const char **uid,
                          kmip_status *status);

kmip_item *kmip_activate_request(kmip_version v, const char *uid);
kmip_item *kmip_destroy_request(kmip_version v, const char *uid);

/* ---- Create, Create Key Pair, Register ---- */

typedef struct kmip_create_args {
    uint32_t object_type;
    /* Builders: canonical set (may be NULL). Parsers: the container as
     * received (Template-Attribute or Attributes), or NULL. */
    const kmip_item *attributes;
    /* 2.x Protection Storage Masks (one mask), 0: none sent. */
    int32_t protection_storage_mask;
} kmip_create_args;

kmip_item *kmip_create_request(kmip_version v, const kmip_create_args *args);
kmip_rc kmip_create_request_parse(const kmip_item *payload,
                                  kmip_create_args *out, kmip_status *status);

typedef struct kmip_create_result {
    uint32_t object_type;
    const char *uid;
    const kmip_item *attributes; /* container as received, or NULL */
} kmip_create_result;

kmip_rc kmip_create_response(const kmip_item *payload, kmip_create_result *out,
                             kmip_status *status);
/* attributes: canonical set of attributes the server set implicitly, or
 * NULL; sent as a Template-Attribute in 1.x only (2.x has none). */
kmip_item *kmip_create_response_build(kmip_version v, uint32_t object_type,
                                      const char *uid,
                                      const kmip_item *attributes);

typedef struct kmip_create_key_pair_args {
    const kmip_item *common;      /* see kmip_create_args.attributes */
    const kmip_item *private_key; /* idem */
    const kmip_item *public_key;  /* idem */
} kmip_create_key_pair_args;

kmip_item *kmip_create_key_pair_request(kmip_version v,
                                        const kmip_create_key_pair_args *args);
kmip_rc kmip_create_key_pair_request_parse(const kmip_item *payload,
                                           kmip_create_key_pair_args *out,
                                           kmip_status *status);

typedef struct kmip_create_key_pair_result {
    const char *private_uid;
    const char *public_uid;
    const kmip_item *private_attributes; /* as received, or NULL */
    const kmip_item *public_attributes;  /* as received, or NULL */
} kmip_create_key_pair_result;

kmip_rc kmip_create_key_pair_response(const kmip_item *payload,
                                      kmip_create_key_pair_result *out,
                                      kmip_status *status);
/* The attribute sets (canonical, may be NULL) are sent in 1.x only. */
kmip_item *kmip_create_key_pair_response_build(
    kmip_version v, const char *private_uid, const char *public_uid,
    const kmip_item *private_attributes, const kmip_item *public_attributes);

typedef struct kmip_register_args {
    uint32_t object_type;
    const kmip_item *attributes; /* see kmip_create_args.attributes */
    /* Builders: the object as kmip_object_build made it (copied).
     * Parsers: the object structure received. */
    const kmip_item *object;
} kmip_register_args;

kmip_item *kmip_register_request(kmip_version v,
                                 const kmip_register_args *args);
kmip_rc kmip_register_request_parse(const kmip_item *payload,
                                    kmip_register_args *out,
                                    kmip_status *status);

/* Register answers with a uid and, in 1.x, optional attributes. */
typedef kmip_create_result kmip_register_result; /* object_type unused */
kmip_rc kmip_register_response(const kmip_item *payload,
                               kmip_register_result *out, kmip_status *status);
kmip_item *kmip_register_response_build(kmip_version v, const char *uid,
                                        const kmip_item *attributes);

/* ---- Derive Key ---- */

/* Derivation Parameters; nested, so it starts with present. */
typedef struct kmip_derivation_params {
    bool present;
    kmip_crypto_params crypto;
    kmip_bytes iv;
    kmip_bytes data; /* Derivation Data */
    kmip_bytes salt;
    kmip_opt_int iteration_count;
} kmip_derivation_params;

typedef struct kmip_derive_key_args {
    uint32_t object_type;
    /* Builders: the one base object (NULL: the ID Placeholder). Parsers:
     * the first of uids, which lists every Unique Identifier sent. */
    const char *uid;
    kmip_list uids;
    uint32_t derivation_method;
    kmip_derivation_params params;
    /* Builders: canonical set of the new object's attributes (may be NULL).
     * Parsers: the container as received, or NULL. */
    const kmip_item *attributes;
} kmip_derive_key_args;

kmip_item *kmip_derive_key_request(kmip_version v,
                                   const kmip_derive_key_args *args);
kmip_rc kmip_derive_key_request_parse(const kmip_item *payload,
                                      kmip_derive_key_args *out,
                                      kmip_status *status);

/* The response is Register's: the new object's Unique Identifier and, in
 * 1.x, the attributes the server set implicitly. */
typedef kmip_create_result kmip_derive_key_result; /* object_type unused */
kmip_rc kmip_derive_key_response(const kmip_item *payload,
                                 kmip_derive_key_result *out,
                                 kmip_status *status);
kmip_item *kmip_derive_key_response_build(kmip_version v, const char *uid,
                                          const kmip_item *attributes);

/* ---- Locate ---- */

typedef struct kmip_locate_args {
    kmip_opt_int maximum_items;
    kmip_opt_int offset_items;
    kmip_opt_int storage_status_mask;
    uint32_t object_group_member; /* 0: none */
    /* Builders: canonical filter set (may be NULL). Parsers: a structure
     * for kmip_attrs_decode (1.x: the payload itself, 2.x: Attributes). */
    const kmip_item *attributes;
} kmip_locate_args;

kmip_item *kmip_locate_request(kmip_version v, const kmip_locate_args *args);
kmip_rc kmip_locate_request_parse(const kmip_item *payload,
                                  kmip_locate_args *out, kmip_status *status);

typedef struct kmip_locate_result {
    kmip_opt_int located_items;
    kmip_list uids; /* Unique Identifier text strings */
} kmip_locate_result;

kmip_rc kmip_locate_response(const kmip_item *payload, kmip_locate_result *out,
                             kmip_status *status);
kmip_item *kmip_locate_response_build(kmip_version v,
                                      kmip_opt_int located_items,
                                      const char *const *uids, size_t n);

/* ---- Get ---- */

typedef struct kmip_get_args {
    const char *uid;
    uint32_t key_format_type;      /* 0: none */
    uint32_t key_compression_type; /* 0: none */
    /* A Key Wrapping Specification structure to send (copied), or the
     * one received; NULL: none. */
    const kmip_item *key_wrapping_specification;
} kmip_get_args;

kmip_item *kmip_get_request(kmip_version v, const kmip_get_args *args);
kmip_rc kmip_get_request_parse(const kmip_item *payload, kmip_get_args *out,
                               kmip_status *status);

typedef struct kmip_get_result {
    uint32_t object_type;
    const char *uid;
    const kmip_item *object_item; /* the object structure */
    kmip_object object;           /* its fields */
} kmip_get_result;

kmip_rc kmip_get_response(const kmip_item *payload, kmip_get_result *out,
                          kmip_status *status);
kmip_item *kmip_get_response_build(kmip_version v, const char *uid,
                                   const kmip_object *object);

/* ---- Attribute references (Get Attributes, Get Attribute List, Delete
 * Attribute): a 1.x Attribute Name text or a 2.x Attribute Reference
 * (an Enumeration holding the tag, or {Vendor Identification, Attribute
 * Name}). ---- */

typedef struct kmip_attr_ref {
    uint32_t tag;       /* KMIP_TAG_VENDOR_ATTRIBUTE for a custom attribute */
    const char *vendor; /* custom only: "x" for 1.x "x-name" */
    size_t vendor_len;
    const char *name; /* custom only: the name after the vendor */
    size_t name_len;
} kmip_attr_ref;

/* Reads one reference item. Unknown standard names fail (KMIP_E_DECODE). */
kmip_rc kmip_attr_ref_read(const kmip_item *ref, kmip_attr_ref *out,
                           kmip_status *status);
/* True when the canonical attribute attr is the one ref names. */
bool kmip_attr_ref_matches(const kmip_attr_ref *ref, const kmip_item *attr);
/* Appends the reference naming canonical attr, in version's form. */
kmip_item *kmip_attr_ref_add(kmip_item *parent, kmip_version v,
                             const kmip_item *attr);

/* ---- Get Attributes, Get Attribute List ---- */

/* tags: standard attributes by tag; custom: 1.x names ("x-purpose"). */
kmip_item *kmip_get_attributes_request(kmip_version v, const char *uid,
                                       const uint32_t *tags, size_t n_tags,
                                       const char *const *custom,
                                       size_t n_custom);

typedef struct kmip_get_attributes_args {
    const char *uid; /* NULL: ID Placeholder */
    kmip_list refs;  /* read each with kmip_attr_ref_read */
} kmip_get_attributes_args;

kmip_rc kmip_get_attributes_request_parse(const kmip_item *payload,
                                          kmip_get_attributes_args *out,
                                          kmip_status *status);

typedef struct kmip_get_attributes_result {
    const char *uid;
    /* For kmip_attrs_decode: the payload (1.x) or its Attributes (2.x). */
    const kmip_item *attributes;
} kmip_get_attributes_result;

kmip_rc kmip_get_attributes_response(const kmip_item *payload,
                                     kmip_get_attributes_result *out,
                                     kmip_status *status);
kmip_item *kmip_get_attributes_response_build(kmip_version v, const char *uid,
                                              const kmip_item *attributes);

kmip_item *kmip_get_attribute_list_request(kmip_version v, const char *uid);

typedef struct kmip_get_attribute_list_result {
    const char *uid;
    kmip_list refs; /* read each with kmip_attr_ref_read */
} kmip_get_attribute_list_result;

kmip_rc kmip_get_attribute_list_response(const kmip_item *payload,
                                         kmip_get_attribute_list_result *out,
                                         kmip_status *status);
/* Names every attribute of the canonical set attributes. */
kmip_item *kmip_get_attribute_list_response_build(kmip_version v,
                                                  const char *uid,
                                                  const kmip_item *attributes);

/* ---- Add, Modify, Delete, Set Attribute ---- */

/* attr is one canonical attribute. 1.x sends Attribute{...}; 2.x sends
 * New Attribute{attr}. */
kmip_item *kmip_add_attribute_request(kmip_version v, const char *uid,
                                      const kmip_item *attr);
/* current (2.x only, may be NULL) selects the instance to change. */
kmip_item *kmip_modify_attribute_request(kmip_version v, const char *uid,
                                         const kmip_item *current,
                                         const kmip_item *attr);
/* Deletes attr: 1.x sends its Attribute Name (the server deletes the
 * first instance); 2.x sends Current Attribute{attr}, which names the
 * exact instance (PyKMIP reads this form, not the enumeration reference). */
kmip_item *kmip_delete_attribute_request(kmip_version v, const char *uid,
                                         const kmip_item *attr);
/* KMIP 2.x only: NULL for a 1.x version. */
kmip_item *kmip_set_attribute_request(kmip_version v, const char *uid,
                                      const kmip_item *attr);

typedef struct kmip_attribute_change {
    const char *uid; /* NULL: ID Placeholder (requests) */
    /* The new value: a 1.x Attribute item or a 2.x typed attribute (the
     * child of New Attribute); NULL when absent. kmip_attr_decode makes
     * it canonical. */
    const kmip_item *attribute;
    const kmip_item *current; /* 2.x Current Attribute's child, or NULL */
    const kmip_item *ref;     /* Attribute Name / Attribute Reference */
} kmip_attribute_change;

/* Reads an Add, Modify, Delete or Set Attribute request, or the response
 * to one (whose attribute is present in 1.x only). */
kmip_rc kmip_attribute_change_parse(const kmip_item *payload,
                                    kmip_attribute_change *out,
                                    kmip_status *status);
/* The response: uid, and in 1.x the attribute (canonical, may be NULL). */
kmip_item *kmip_attribute_change_response_build(kmip_version v, const char *uid,
                                                const kmip_item *attr);

/* KMIP 2.x Adjust Attribute (NULL for a 1.x version): adjusts the
 * attribute attr names by adjustment (KMIP_ADJUSTMENT_TYPE_*), with value
 * (copied and retagged Adjustment Value; NULL: none). */
kmip_item *kmip_adjust_attribute_request(kmip_version v, const char *uid,
                                         const kmip_item *attr,
                                         uint32_t adjustment,
                                         const kmip_item *value);

typedef struct kmip_adjust_attribute_args {
    const char *uid;                   /* NULL: ID Placeholder */
    const kmip_item *ref;              /* the Attribute Reference */
    uint32_t adjustment_type;          /* KMIP_ADJUSTMENT_TYPE_* */
    const kmip_item *adjustment_value; /* NULL when absent */
} kmip_adjust_attribute_args;

kmip_rc kmip_adjust_attribute_request_parse(const kmip_item *payload,
                                            kmip_adjust_attribute_args *out,
                                            kmip_status *status);

/* ---- Revoke ---- */

typedef struct kmip_revoke_args {
    const char *uid;
    uint32_t reason_code;               /* Revocation Reason Code, required */
    const char *reason_message;         /* NULL: none */
    int64_t compromise_occurrence_date; /* 0: none */
} kmip_revoke_args;

kmip_item *kmip_revoke_request(kmip_version v, const kmip_revoke_args *args);
kmip_rc kmip_revoke_request_parse(const kmip_item *payload,
                                  kmip_revoke_args *out, kmip_status *status);

/* ---- Encrypt, Decrypt, Sign, Signature Verify, MAC, RNG Retrieve ---- */

/* Each operation sends the fields its request defines and ignores the
 * others (Encrypt: uid, params, data, iv, correlation, init, final, aad;
 * Decrypt: the same and tag; Sign: uid, params, data or digested_data,
 * correlation, init, final; Signature Verify: the same and
 * signature_data; MAC: uid, params, data, correlation, init, final;
 * RNG Retrieve: data_length). */
typedef struct kmip_crypto_args {
    const char *uid;
    kmip_crypto_params params;
    kmip_bytes data;
    kmip_bytes digested_data; /* KMIP 1.4+ */
    kmip_bytes signature_data;
    kmip_bytes iv; /* IV/Counter/Nonce */
    kmip_bytes correlation_value;
    kmip_opt_bool init_indicator;
    kmip_opt_bool final_indicator;
    kmip_bytes aad;           /* Authenticated Encryption Additional Data */
    kmip_bytes tag;           /* Authenticated Encryption Tag */
    kmip_opt_int data_length; /* RNG Retrieve */
} kmip_crypto_args;

typedef struct kmip_crypto_result {
    const char *uid;
    kmip_bytes data;             /* Encrypt, Decrypt, RNG Retrieve, Verify */
    kmip_bytes signature_data;   /* Sign */
    kmip_bytes mac_data;         /* MAC */
    kmip_bytes iv;               /* Encrypt */
    kmip_bytes tag;              /* Encrypt */
    uint32_t validity_indicator; /* Signature Verify */
    kmip_bytes correlation_value;
} kmip_crypto_result;

/* operation is one of KMIP_OPERATION_ENCRYPT, _DECRYPT, _SIGN,
 * _SIGNATURE_VERIFY, _MAC, _RNG_RETRIEVE; others give NULL or
 * KMIP_E_INVALID_ARG. The named wrappers below call these. */
kmip_item *kmip_crypto_request(uint32_t operation, kmip_version v,
                               const kmip_crypto_args *args);
kmip_rc kmip_crypto_request_parse(uint32_t operation, const kmip_item *payload,
                                  kmip_crypto_args *out, kmip_status *status);
kmip_rc kmip_crypto_response(uint32_t operation, const kmip_item *payload,
                             kmip_crypto_result *out, kmip_status *status);
kmip_item *kmip_crypto_response_build(uint32_t operation, kmip_version v,
                                      const kmip_crypto_result *result);

kmip_item *kmip_encrypt_request(kmip_version v, const kmip_crypto_args *args);
kmip_item *kmip_decrypt_request(kmip_version v, const kmip_crypto_args *args);
kmip_item *kmip_sign_request(kmip_version v, const kmip_crypto_args *args);
kmip_item *kmip_signature_verify_request(kmip_version v,
                                         const kmip_crypto_args *args);
kmip_item *kmip_mac_request(kmip_version v, const kmip_crypto_args *args);
kmip_item *kmip_rng_retrieve_request(kmip_version v, int32_t length);

/* ---- Discover Versions, Query ---- */

kmip_item *kmip_discover_versions_request(kmip_version v,
                                          const kmip_version *versions,
                                          size_t n);
kmip_item *kmip_discover_versions_response_build(kmip_version v,
                                                 const kmip_version *versions,
                                                 size_t n);
/* Reads the Protocol Versions of a Discover Versions request or response
 * payload into versions (capacity max; more fail with KMIP_E_TOO_BIG). */
kmip_rc kmip_discover_versions_parse(const kmip_item *payload,
                                     kmip_version *versions, size_t max,
                                     size_t *n, kmip_status *status);

kmip_item *kmip_query_request(kmip_version v, const uint32_t *functions,
                              size_t n);
/* The Query Function enumerations of a request. */
kmip_rc kmip_query_request_parse(const kmip_item *payload, kmip_list *out,
                                 kmip_status *status);

typedef struct kmip_query_info {
    const uint32_t *operations; /* builders */
    size_t n_operations;
    const uint32_t *object_types;
    size_t n_object_types;
    const char *vendor_identification;   /* NULL: none */
    const kmip_item *server_information; /* copied; NULL: none */
    const char *const *application_namespaces;
    size_t n_application_namespaces;
} kmip_query_info;

kmip_item *kmip_query_response_build(kmip_version v,
                                     const kmip_query_info *info);

typedef struct kmip_query_result {
    kmip_list operations;                /* Operation enumerations */
    kmip_list object_types;              /* Object Type enumerations */
    const char *vendor_identification;   /* NULL when absent */
    const kmip_item *server_information; /* NULL when absent */
    kmip_list application_namespaces;    /* text strings */
} kmip_query_result;

kmip_rc kmip_query_response(const kmip_item *payload, kmip_query_result *out,
                            kmip_status *status);

#endif
