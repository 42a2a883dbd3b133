// SPDX-License-Identifier: Apache-2.0
/* The fixture of the attribute end-to-end tests: p11kmip-pkcs11.so
 * (dlopen) with one slot on the server with_server.py started, and a plain
 * KMIP client of the same certificate (tests/kmipd/e2e.c) that sees what
 * the server holds. */
#ifndef TEST_P11CORE_ATTRS_FIXTURE_H
#define TEST_P11CORE_ATTRS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "by_server.h"
#include "kmip/client.h"

extern CK_FUNCTION_LIST_PTR p11;
extern CK_SESSION_HANDLE session; /* read-write, opened by setup */
extern kmip_client *plain;        /* KMIP 1.4, made by setup */
extern bool pykmip;               /* the server is PyKMIP */

extern CK_BBOOL yes;
extern CK_BBOOL no;

/* cmocka setup: C_Initialize, the session and the plain client; teardown:
 * the client freed, C_Finalize. */
int setup(void **state);
int teardown(void **state);

#define T(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

/* A label no other run uses: the plain client finds keys by it. It lasts
 * until the next call. */
const char *new_label(void);

/* The KMIP Unique Identifier of key, located by its label and class;
 * without a label, its CKA_ID (a key made without x-pkcs11-id). It lasts
 * until the next call. */
char *uid_of(CK_OBJECT_HANDLE key);

/* The attributes tags of uid as the plain client gets them (canonical
 * set, free with kmip_item_free). */
kmip_item *server_attrs(const char *uid, const uint32_t *tags, size_t n);

/* The key of class whose CKA_ID is id (a key without x-pkcs11-id: its
 * private key's uid), or CK_INVALID_HANDLE. */
CK_OBJECT_HANDLE find_by_id(CK_OBJECT_CLASS object_class, const char *id);

/* A 16-byte AES key with a new label and the n (< 9) attributes extra. */
CK_OBJECT_HANDLE aes_key(CK_ATTRIBUTE *extra, CK_ULONG n);

/* Loads the module for the server argv[1] names ("kmipd" or "pykmip") and
 * runs the groups for it: the number of failed tests (1 when the module
 * does not load). */
int attrs_main(int argc, char **argv, test_group every, test_group kmipd,
               test_group pykmip_only);

#endif
