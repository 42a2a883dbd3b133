// SPDX-License-Identifier: Apache-2.0
/* A forking server's pattern: the process (root) loads p11kmip-pkcs11.so
 * and a key, forks, and the child drops to nobody before it signs. The
 * client key is 0600 root and the configuration sits in the test's 0700
 * root directory, so the child can read none of them: it signs with what
 * its parent loaded. Needs root (as here and in CI). */
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmipd_proc.h"
#include "sign_stream.h"

#define NOBODY 65534
#define LABEL "fork-privileges"

/* What the child reports by its exit status. */
enum child_result {
    CHILD_SIGNED = 0,
    CHILD_CAN_READ_KEY, /* the test would prove nothing */
    CHILD_NO_PRIVILEGE_DROP,
    CHILD_NO_INITIALIZE,
    CHILD_NO_SESSION,
    CHILD_NO_KEY,
    CHILD_NO_SIGNATURE,
};

static kmipd_proc server;

static int start(void **state)
{
    (void)state;
    if (!kmipd_proc_configure(&server, "kmipd-fork", kmipd_free_port(), NULL) ||
        !kmipd_proc_start(&server))
        return -1;
    const char *servers[] = {server.address};
    module_configure(servers, 1, 5000);
    return 0;
}

static int stop(void **state)
{
    (void)state;
    kmipd_proc_stop(&server, SIGTERM);
    return 0;
}

static enum child_result sign_as_nobody(const char *key_file)
{
    if (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
        return CHILD_NO_PRIVILEGE_DROP;
    if (access(key_file, R_OK) == 0)
        return CHILD_CAN_READ_KEY;
    if (module_initialize() == NULL)
        return CHILD_NO_INITIALIZE;
    CK_SESSION_HANDLE session = module_session();
    if (session == CK_INVALID_HANDLE)
        return CHILD_NO_SESSION;
    CK_OBJECT_HANDLE key = module_find_key(session, LABEL);
    if (key == CK_INVALID_HANDLE)
        return CHILD_NO_KEY;
    return module_sign(session, key) == CKR_OK ? CHILD_SIGNED
                                               : CHILD_NO_SIGNATURE;
}

static void child_without_privileges_signs_with_root_only_key(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip(); /* cannot drop privileges: run as root */
    const char *key_file = getenv("P11KMIP_TEST_KEY");
    assert_non_null(key_file);
    assert_int_equal(chmod(key_file, 0600), 0);
    assert_non_null(module_initialize());
    CK_SESSION_HANDLE session = module_session();
    CK_OBJECT_HANDLE key = module_ec_key(session, LABEL);
    assert_int_not_equal(key, CK_INVALID_HANDLE);
    assert_int_equal(module_sign(session, key), CKR_OK);

    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(sign_as_nobody(key_file));
    int child_status = 0;
    assert_int_equal(waitpid(child, &child_status, 0), child);
    assert_true(WIFEXITED(child_status));
    assert_int_equal(WEXITSTATUS(child_status), CHILD_SIGNED);
    /* The parent's state is untouched by the child. */
    assert_int_equal(module_sign(session, key), CKR_OK);
    module_finalize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(child_without_privileges_signs_with_root_only_key),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
