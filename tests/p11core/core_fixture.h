/* SPDX-License-Identifier: Apache-2.0 */
/* A temporary PKI and configuration for p11core tests that need no
 * server: the slots point at 127.0.0.1:1, where nothing listens. */
#ifndef TEST_CORE_FIXTURE_H
#define TEST_CORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <p11-kit/pkcs11.h>

#define FIXTURE_PIN "right-pin"
#define FIXTURE_PATH_MAX 256

typedef struct core_fixture {
    char dir[FIXTURE_PATH_MAX];
    char cert[FIXTURE_PATH_MAX];    /* self-signed, also the CA */
    char key[FIXTURE_PATH_MAX];     /* plain PEM key */
    char key_enc[FIXTURE_PATH_MAX]; /* the same key under FIXTURE_PIN */
    char p12[FIXTURE_PATH_MAX]; /* PKCS#12: key and cert under FIXTURE_PIN */
    char config[FIXTURE_PATH_MAX];
    char server[64]; /* "127.0.0.1:1" unless a test sets another */
} core_fixture;

/* Makes the directory, key, encrypted key and certificate; clears the
 * P11KMIP_* environment; sets server. Aborts the test program on
 * failure. */
void fixture_setup(core_fixture *f);

/* Writes a configuration of n slots at server, each with login mode login[i]
 * ("none", "key-passphrase", "credential"; "p12": key-passphrase with the
 * PKCS#12 bundle instead of cert, key and ca), and points P11KMIP_CONFIG at
 * it. */
void fixture_config(core_fixture *f, const char *const *login, size_t n);

/* Removes every file and the directory. */
void fixture_teardown(core_fixture *f);

/* fixture_config, then C_Initialize: 0, or -1 when it fails (the answer
 * of a cmocka setup). */
int fixture_initialize(core_fixture *f, const char *const *login, size_t n);

/* fixture_initialize, then a read-write (*rw) and a read-only (*ro)
 * session on slot 0. */
int fixture_open_sessions(core_fixture *f, const char *const *login, size_t n,
                          CK_SESSION_HANDLE *rw, CK_SESSION_HANDLE *ro);

/* A cmocka teardown: C_Finalize. */
int fixture_finalize(void **state);

/* cmocka setups for a test made with FIXTURE_TEST (the core_fixture is
 * in *state): C_Initialize with one "none" slot, with two slots ("none",
 * "key-passphrase"), or with one "key-passphrase" slot. */
int fixture_init_none(void **state);
int fixture_init_two(void **state);
int fixture_init_passphrase(void **state);

/* A cmocka test of f: setup (one of the above), the test, C_Finalize. */
#define FIXTURE_TEST(f, test, setup)                                           \
    cmocka_unit_test_prestate_setup_teardown(test, setup, fixture_finalize, f)

/* A session on slot with flags | CKF_SERIAL_SESSION; fails the test when
 * C_OpenSession does. */
CK_SESSION_HANDLE fixture_session(CK_SLOT_ID slot, CK_FLAGS flags);

/* The session's state (C_GetSessionInfo); fails the test when the call
 * does. */
CK_STATE fixture_session_state(CK_SESSION_HANDLE session);

/* C_Login as CKU_USER with the C string pin. */
CK_RV fixture_login(CK_SESSION_HANDLE session, const char *pin);

/* C_SetPIN from old_pin to new_pin, both C strings. */
CK_RV fixture_set_pin(CK_SESSION_HANDLE session, const char *old_pin,
                      const char *new_pin);

/* Runs the group of count tests in f, made for them (fixture_setup) and
 * removed after (fixture_teardown); the number of failed tests. */
int fixture_run(core_fixture *f, const struct CMUnitTest *tests, size_t count);

#define FIXTURE_RUN(f, tests)                                                  \
    fixture_run(f, tests, sizeof(tests) / sizeof((tests)[0]))

#endif
