/* SPDX-License-Identifier: Apache-2.0 */
/* What the handlers of ops_crypto.h share. */
#ifndef KMIPD_OPS_CRYPTO_COMMON_H
#define KMIPD_OPS_CRYPTO_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "kmip/payloads.h"

#include "kmipd/crypto.h"
#include "kmipd/dispatch.h"

/* Server-defined custom attributes holding the Secret Data Type and the
 * Opaque Data Type a client registered (decimal text). */
#define KMIPD_ATTR_SECRET_DATA_TYPE "y-secret-data-type"
#define KMIPD_ATTR_OPAQUE_DATA_TYPE "y-opaque-data-type"

/* Fails call with the reason and message of a crypto_*.c status, the
 * reason mapped for the request's protocol version. */
bool kmipd_crypto_call_fail(kmipd_call *call, const kmip_status *status);

/* kmipd_fail with reason mapped for the request's protocol version (a
 * 2.x-only reason becomes its 1.x equivalent). */
bool kmipd_fail_mapped(kmipd_call *call, uint32_t reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Moves the children of payload (a Response Payload a kmip/payloads.h
 * builder made) into call->response and frees payload. NULL payload (the
 * builder failed) fails call with General Failure. */
bool kmipd_call_answer(kmipd_call *call, kmip_item *payload);

/* The parameters for an operation on obj: the request's Cryptographic
 * Parameters when it sent them, else the key's Cryptographic Parameters
 * attribute, else none. Pointers in *out point into the request or into
 * obj's attributes. */
bool kmipd_call_crypto_params(kmipd_call *call, const kmipd_object *obj,
                              const kmip_crypto_params *request,
                              kmipd_crypto_params *out);

/* True for the object types whose material is secret (private and
 * symmetric keys, Secret Data). */
bool kmipd_holds_secret(uint32_t object_type);

/* For a new object of object_type with attrs: whether Get may return its
 * material (*exportable), recorded in attrs as KMIP 1.4 keeps it for
 * secret material. Sensitive as the client set it (else false);
 * Extractable as the client set it and by_default allow (else false);
 * Always Sensitive and Never Extractable their values at creation when
 * the server generated the object, false for a registered one (the
 * server does not know its past). False (call failed) when out of
 * memory. */
bool kmipd_export_attrs(kmipd_call *call, uint32_t object_type,
                        kmip_item *attrs, bool by_default, bool generated,
                        bool *exportable);

/* Whether Get may return obj's material now: always for public objects;
 * for secret material when it was exportable at creation and is neither
 * Sensitive nor not Extractable since. */
bool kmipd_export_allowed(const kmipd_object *obj);

/* Sets Cryptographic Algorithm and Cryptographic Length in attrs from
 * info (the algorithm only when info has one). */
bool kmipd_attrs_put_key_info(kmipd_call *call, kmip_item *attrs,
                              const kmipd_key_info *info);

/* The Recommended Curve of attrs' Cryptographic Domain Parameters, 0 when
 * absent. */
uint32_t kmipd_attrs_curve(const kmip_item *attrs);

/* A new object owned by the caller, holding attrs (taken) and material;
 * NULL (call failed with General Failure, attrs freed) when out of
 * memory. */
kmipd_object *kmipd_object_with_material(kmipd_call *call, uint32_t object_type,
                                         kmip_item *attrs,
                                         const kmipd_buf *material,
                                         uint32_t format, bool exportable);

/* Stores n new objects (with kmipd_store_insert) with the attributes the
 * server keeps (kept_attrs.h); refuses Triple DES keys unless the
 * configuration allows them. On failure fails call. */
bool kmipd_call_insert(kmipd_call *call, kmipd_object **objs, size_t n);

#endif
