/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the end-to-end tests that drive kmipd through the kmip/
 * client, run under integration/with_server.py --server kmipd; e2e_client
 * and the calls serve the PyKMIP ones too (attrs_fixture.c,
 * test_pykmip_client). */
#ifndef TESTS_KMIPD_E2E_H
#define TESTS_KMIPD_E2E_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "kmip/client.h"
#include "kmip/payloads.h"

/* One client and the protocol version it speaks: the state of a test
 * group, which runs once per version. */
typedef struct e2e_session {
    kmip_client *client;
    kmip_version version;
} e2e_session;

/* Group setups for KMIP 2.1 and 1.4 sessions of client-a, and their
 * teardown. */
int e2e_setup_v2_1(void **state);
int e2e_setup_v1_4(void **state);
int e2e_teardown(void **state);

/* The protocol version of the running group's client, set by the two
 * group setups below. */
extern kmip_version e2e_version;

/* Group setups that put a client of client-a in *state: speaking KMIP 1.4,
 * or the version Discover Versions settles on; and their teardown. */
int e2e_setup_client_1_4(void **state);
int e2e_setup_client_negotiated(void **state);
int e2e_teardown_client(void **state);

/* The Result Reason s's client gets: v2 when it speaks 2.x, else v1. */
uint32_t e2e_reason(const e2e_session *s, uint32_t v2, uint32_t v1);

/* A client of the test server as client-a (other false) or client-b,
 * speaking version. Fails the test when it cannot be made. */
kmip_client *e2e_client(kmip_version version, bool other);

/* Runs one operation that must succeed; the caller frees the response
 * with kmip_response_free. */
kmip_response *e2e_call(kmip_client *client, uint32_t operation,
                        kmip_item *payload);

/* Runs one operation that must fail and returns its Result Reason. */
uint32_t e2e_call_fails(kmip_client *client, uint32_t operation,
                        kmip_item *payload);

/* The Unique Identifier of the one object of name and object_type that
 * client locates (KMIP 1.4); fails the test unless there is exactly one.
 * Free with free(). */
char *e2e_locate_one(kmip_client *client, const char *name,
                     uint32_t object_type);

/* A canonical attribute set; 0 / NULL arguments are left out. */
kmip_item *e2e_key_attrs(uint32_t algorithm, int32_t bits, uint32_t usage);

/* Creates (and, when activate, activates) a symmetric key; returns its
 * Unique Identifier (free with free()). */
char *e2e_create_key(kmip_client *client, uint32_t algorithm, int32_t bits,
                     uint32_t usage, bool activate);

/* Creates and activates a key pair; *private_uid and *public_uid are
 * freed with free(). */
void e2e_create_pair(kmip_client *client, uint32_t algorithm, int32_t bits,
                     uint32_t private_usage, uint32_t public_usage,
                     char **private_uid, char **public_uid);

void e2e_activate(kmip_client *client, const char *uid);

/* Registers object with attrs (may be NULL) and returns its uid. */
char *e2e_register(kmip_client *client, const kmip_object *object,
                   const kmip_item *attrs);

/* Gets uid's public key as SubjectPublicKeyInfo and parses it. */
EVP_PKEY *e2e_get_public_key(kmip_client *client, const char *uid);

#endif
