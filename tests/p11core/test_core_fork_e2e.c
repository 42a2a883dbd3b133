// SPDX-License-Identifier: Apache-2.0
/* One module used at once by many end to end (core_e2e.h) against the
 * server with_server.py started, argv[1] naming it ("kmipd" or "pykmip"):
 * threads searching and reading, forked children that initialize again and
 * sign while the parent's connections keep working. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core_e2e.h"

/* ---- threads ---- */

#define THREADS 8
#define THREAD_SECONDS 3

/* Sessions opened, searched, read and closed in a loop: 0, or the first
 * CK_RV that was not CKR_OK. */
static void *search_loop(void *arg)
{
    const char *label = arg;
    time_t end = time(NULL) + THREAD_SECONDS;
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &priv_class, sizeof(priv_class)},
                            {CKA_LABEL, (void *)label, strlen(label)}};
    CK_RV rv = CKR_OK;

    while (rv == CKR_OK && time(NULL) < end) {
        CK_SESSION_HANDLE own;
        CK_OBJECT_HANDLE key;
        CK_ULONG n = 0;
        CK_ATTRIBUTE read = {CKA_LABEL, NULL, 0};

        rv = p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &own);
        if (rv != CKR_OK)
            break;
        rv = p11->C_FindObjectsInit(own, templ, 2);
        if (rv == CKR_OK)
            rv = p11->C_FindObjects(own, &key, 1, &n);
        if (rv == CKR_OK)
            rv = p11->C_FindObjectsFinal(own);
        if (rv == CKR_OK && n != 1)
            rv = CKR_GENERAL_ERROR;
        if (rv == CKR_OK)
            rv = p11->C_GetAttributeValue(own, key, &read, 1);
        if (rv == CKR_OK && read.ulValueLen != strlen(label))
            rv = CKR_GENERAL_ERROR;
        if (rv == CKR_OK)
            rv = p11->C_CloseSession(own);
    }
    return (void *)(uintptr_t)rv;
}

static void threads_search_and_read_at_once(void **state)
{
    const char *label = label_for("threads");
    CK_OBJECT_HANDLE pub, priv;
    pthread_t threads[THREADS];

    (void)state;
    rsa_pair(label, &pub, &priv);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(
            pthread_create(&threads[i], NULL, search_loop, (void *)label), 0);
    void *results[THREADS];

    /* Every thread ends before anything is checked (and the module is
     * finalized). */
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], &results[i]), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal((uintptr_t)results[i], CKR_OK);
}

/* ---- fork ---- */

/* In a child: initialize again, find the key by label and sign. */
static int child_signs(const char *label)
{
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &priv_class, sizeof(priv_class)},
                            {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE key;
    CK_ULONG n = 0;
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);

    alarm(60); /* a hang fails the test instead of stalling it */
    if (p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session) !=
        CKR_CRYPTOKI_NOT_INITIALIZED)
        return 1;
    if (p11->C_Initialize(NULL) != CKR_OK ||
        p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session) !=
            CKR_OK)
        return 2;
    if (p11->C_FindObjectsInit(session, templ, 2) != CKR_OK ||
        p11->C_FindObjects(session, &key, 1, &n) != CKR_OK || n != 1 ||
        p11->C_FindObjectsFinal(session) != CKR_OK)
        return 3;
    if (p11->C_SignInit(session, &mechanism, key) != CKR_OK ||
        p11->C_Sign(session, (CK_BYTE_PTR) "fork", 4, signature,
                    &signature_len) != CKR_OK)
        return 4;
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : 5;
}

static void children_sign_after_the_parent_signed(void **state)
{
    const char *label = label_for("fork");
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_OBJECT_HANDLE pub, priv;
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    pid_t children[2];

    (void)state;
    rsa_pair(label, &pub, &priv);
    assert_int_equal(p11->C_SignInit(session, &mechanism, priv), CKR_OK);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR) "parent", 6, signature,
                                 &signature_len),
                     CKR_OK);
    for (int i = 0; i < 2; i++) {
        children[i] = fork();
        if (children[i] == 0)
            _exit(child_signs(label));
        assert_true(children[i] > 0);
    }
    for (int i = 0; i < 2; i++) {
        int status;

        assert_int_equal(waitpid(children[i], &status, 0), children[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    /* The parent's connections still work. */
    signature_len = sizeof(signature);
    assert_int_equal(p11->C_SignInit(session, &mechanism, priv), CKR_OK);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR) "again", 5, signature,
                                 &signature_len),
                     CKR_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        PLAIN(children_sign_after_the_parent_signed),
        PLAIN(threads_search_and_read_at_once),
    };

    return core_e2e_main(argc, argv, TEST_GROUP(every_server), NO_TEST_GROUP,
                         NO_TEST_GROUP);
}
