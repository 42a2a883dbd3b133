// SPDX-License-Identifier: Apache-2.0
#include "by_server.h"

#include <string.h>

static int run_group(const char *name, test_group group,
                     CMFixtureFunction setup, CMFixtureFunction teardown)
{
    if (group.count == 0)
        return 0;
    return _cmocka_run_group_tests(name, group.tests, group.count, setup,
                                   teardown);
}

int run_by_server_with(const char *server, CMFixtureFunction setup,
                       CMFixtureFunction teardown, test_group every,
                       test_group kmipd, test_group pykmip)
{
    int failed = run_group("every server", every, setup, teardown);

    if (strcmp(server, "pykmip") == 0)
        return failed + run_group("pykmip", pykmip, setup, teardown);
    return failed + run_group("kmipd", kmipd, setup, teardown);
}

int run_by_server(const char *server, test_group every, test_group kmipd,
                  test_group pykmip)
{
    return run_by_server_with(server, NULL, NULL, every, kmipd, pykmip);
}
