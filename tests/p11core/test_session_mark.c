// SPDX-License-Identifier: Apache-2.0
/* The owner mark of session keys (p11core/session_mark.c): this
 * process's mark parses and names a live owner; another start time, pid
 * or boot does not; a forked child has a mark of its own; malformed marks
 * are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "session_mark.h"

static void own_mark_names_a_live_owner(void **state)
{
    char text[P11_MARK_MAX], again[P11_MARK_MAX];
    p11_owner_mark mark;

    (void)state;
    assert_true(p11_mark_self(text));
    assert_true(p11_mark_self(again));
    assert_string_equal(text, again); /* once per process */
    assert_true(p11_mark_parse(text, &mark));
    assert_int_equal(mark.pid, (long)getpid());
    assert_int_equal(strlen(mark.token), 32);
    assert_int_equal(p11_mark_owner_state(&mark), P11_OWNER_LIVE);
}

static void other_start_pid_or_boot_is_not_this_process(void **state)
{
    char text[P11_MARK_MAX];
    p11_owner_mark mark;

    (void)state;
    assert_true(p11_mark_self(text));
    assert_true(p11_mark_parse(text, &mark));
    mark.start++; /* the pid reused by another process */
    assert_int_equal(p11_mark_owner_state(&mark), P11_OWNER_GONE);
    assert_true(p11_mark_parse(text, &mark));
    mark.pid = 0x7ffffffe; /* no such process */
    assert_int_equal(p11_mark_owner_state(&mark), P11_OWNER_GONE);
    assert_true(p11_mark_parse(text, &mark));
    mark.boot[0] = mark.boot[0] == 'x' ? 'y' : 'x';
    assert_int_equal(p11_mark_owner_state(&mark), P11_OWNER_ELSEWHERE);
    assert_true(p11_mark_parse(text, &mark));
    strcpy(mark.host, "elsewhere.invalid");
    assert_int_equal(p11_mark_owner_state(&mark), P11_OWNER_ELSEWHERE);
}

/* The child writes its mark: another pid and token than the parent's. */
static void forked_child_has_its_own_mark(void **state)
{
    char parent[P11_MARK_MAX], child[P11_MARK_MAX] = {0};
    p11_owner_mark a, b;
    int fds[2];
    pid_t pid;

    (void)state;
    assert_true(p11_mark_self(parent));
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        char text[P11_MARK_MAX];

        _exit(p11_mark_self(text) &&
                      write(fds[1], text, sizeof(text)) == (ssize_t)sizeof(text)
                  ? 0
                  : 1);
    }
    assert_int_equal(read(fds[0], child, sizeof(child)), sizeof(child));
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    assert_true(p11_mark_parse(parent, &a));
    assert_true(p11_mark_parse(child, &b));
    assert_int_equal(b.pid, (long)pid);
    assert_string_not_equal(a.token, b.token);
    assert_int_equal(p11_mark_owner_state(&b), P11_OWNER_GONE);
}

static void malformed_marks_are_refused(void **state)
{
    static const char *const bad[] = {
        "",
        "v2;host=h;boot=b;pid=1;start=2;token=00",
        "v1;host=h;boot=b;pid=0;start=2;token=00",
        "v1;host=h;boot=b;pid=1;start=2;token=00;more",
        "v1;host=h;boot=b;pid=1;start=2",
        "v1;host=h;boot=b;pid=1;start=2;token=XYZ",
    };
    p11_owner_mark mark;

    (void)state;
    assert_false(p11_mark_parse(NULL, &mark));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (p11_mark_parse(bad[i], &mark))
            fail_msg("accepted \"%s\"", bad[i]);
    assert_true(
        p11_mark_parse("v1;host=h;boot=b;pid=1;start=2;token=0a", &mark));
    assert_string_equal(mark.host, "h");
    assert_int_equal(mark.start, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(own_mark_names_a_live_owner),
        cmocka_unit_test(other_start_pid_or_boot_is_not_this_process),
        cmocka_unit_test(forked_child_has_its_own_mark),
        cmocka_unit_test(malformed_marks_are_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
