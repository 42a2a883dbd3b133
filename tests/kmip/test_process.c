/* SPDX-License-Identifier: Apache-2.0 */
/* kmip_process_id: the pid it keeps in memory is the caller's, in the
 * parent and in forked children and grandchildren. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmip/process.h"

/* In a child: 0 when kmip_process_id is its own pid, not its parent's. */
static int child_check(pid_t parent)
{
    pid_t pid = kmip_process_id();
    return pid == getpid() && pid != parent && kmip_process_id() == pid ? 0 : 1;
}

/* Forks; the child runs child_check (and forks again when deeper),
 * exiting with its result. The child's exit status. */
static int in_child(int depth)
{
    pid_t parent = kmip_process_id();
    pid_t child = fork();

    if (child == 0) {
        int rc = child_check(parent);
        _exit(rc == 0 && depth > 1 ? in_child(depth - 1) : rc);
    }
    int status = -1;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void test_parent_pid(void **state)
{
    (void)state;
    assert_int_equal(kmip_process_id(), getpid());
    assert_int_equal(kmip_process_id(), getpid());
}

static void test_child_and_grandchild_find_their_own_pid(void **state)
{
    (void)state;
    assert_int_equal(kmip_process_id(), getpid());
    assert_int_equal(in_child(2), 0);
    assert_int_equal(kmip_process_id(), getpid());
}

/* Set in a child that exits: the destructor below then asks for the pid
 * after kmip/'s own destructor has forgotten its page, as an exit handler
 * of an application may. */
static volatile int ask_after_forget;

/* Priority 101 runs after the destructors of default priority. */
__attribute__((destructor(101))) static void ask_at_exit(void)
{
    if (ask_after_forget && kmip_process_id() != getpid())
        abort();
}

static void test_the_pid_is_known_after_the_page_is_forgotten(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t child = fork();
    if (child == 0) {
        ask_after_forget = 1;
        exit(0);
    }
    int status = -1;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parent_pid),
        cmocka_unit_test(test_child_and_grandchild_find_their_own_pid),
        cmocka_unit_test(test_the_pid_is_known_after_the_page_is_forgotten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
