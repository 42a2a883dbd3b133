// SPDX-License-Identifier: Apache-2.0
#include "by_server.h"

#include <string.h>

static int run_group(const char *name, test_group group)
{
    if (group.count == 0)
        return 0;
    return _cmocka_run_group_tests(name, group.tests, group.count, NULL, NULL);
}

int run_by_server(const char *server, test_group every, test_group kmipd,
                  test_group pykmip)
{
    int failed = run_group("every server", every);

    if (strcmp(server, "pykmip") == 0)
        return failed + run_group("pykmip", pykmip);
    return failed + run_group("kmipd", kmipd);
}
