// SPDX-License-Identifier: Apache-2.0
/* The groups of an end-to-end test run against the server with_server.py
 * started: some for every server, some for kmipd or PyKMIP only. */
#ifndef TEST_P11CORE_BY_SERVER_H
#define TEST_P11CORE_BY_SERVER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

typedef struct test_group {
    const struct CMUnitTest *tests;
    size_t count; /* 0: no group */
} test_group;

#define TEST_GROUP(tests) ((test_group){tests, sizeof(tests) / sizeof(*tests)})
#define NO_TEST_GROUP ((test_group){NULL, 0})

/* Runs every, then kmipd or pykmip as server (argv[1] of the test) is
 * "kmipd" or "pykmip"; the number of failed tests. */
int run_by_server(const char *server, test_group every, test_group kmipd,
                  test_group pykmip);

/* run_by_server with a group setup and teardown for each group. */
int run_by_server_with(const char *server, CMFixtureFunction setup,
                       CMFixtureFunction teardown, test_group every,
                       test_group kmipd, test_group pykmip);

#endif
