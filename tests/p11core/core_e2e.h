// SPDX-License-Identifier: Apache-2.0
/* The fixture of the core end-to-end tests: p11kmip-pkcs11.so loaded with
 * dlopen, configured by JSON files written here with one slot on the server
 * with_server.py started, in each login mode: none, key-passphrase (the
 * key under $P11KMIP_TEST_KEY_PASS) and credential (username client-a). */
#ifndef TEST_P11CORE_CORE_E2E_H
#define TEST_P11CORE_CORE_E2E_H

#include "by_server.h"

#include <p11-kit/pkcs11.h>

extern CK_FUNCTION_LIST_PTR p11;
extern CK_SESSION_HANDLE session; /* read-write, opened by each setup */
extern CK_BBOOL yes;

/* The environment variable name; exits when with_server.py did not set
 * it. */
const char *test_env(const char *name);

/* cmocka setups: C_Initialize with the slot of one login mode, then the
 * read-write session. */
int setup_plain(void **state);
int setup_passphrase(void **state);
int setup_credential(void **state);

/* A cmocka teardown: C_Finalize. */
int teardown(void **state);

#define PLAIN(test) cmocka_unit_test_setup_teardown(test, setup_plain, teardown)

/* An RSA-2048 key pair labelled label: the public key verifies, the
 * private key signs. */
void rsa_pair(const char *label, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv);

/* Every handle matching templ; returns how many (at most max). */
CK_ULONG find(CK_ATTRIBUTE *templ, CK_ULONG count, CK_OBJECT_HANDLE *found,
              CK_ULONG max);

/* The objects of object_class labelled label (at most 4). */
CK_ULONG find_label(CK_OBJECT_CLASS object_class, const char *label,
                    CK_OBJECT_HANDLE *found);

/* A unique label per run, so that tests sharing a server do not meet; it
 * lasts until the next call. */
const char *label_for(const char *what);

/* Writes the configurations, loads the module and runs the groups for the
 * server argv[1] names ("kmipd" or "pykmip"): the number of failed tests
 * (1 when the module does not load). */
int core_e2e_main(int argc, char **argv, test_group every, test_group kmipd,
                  test_group pykmip);

#endif
