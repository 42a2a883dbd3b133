/* SPDX-License-Identifier: Apache-2.0 */
#include <signal.h>
#include <stdio.h>

#include "server_group.h"
#include "sign_stream.h"

/* The key is made on the first server alone, then the first server's
 * database becomes the second's. */
static bool make_shared_key(kmipd_proc *first, kmipd_proc *second,
                            const char *label, unsigned timeout_ms)
{
    const char *servers[] = {first->address};
    module_configure(servers, 1, timeout_ms);
    if (module_initialize() == NULL)
        return false;
    bool made = module_ec_key(module_session(), label) != CK_INVALID_HANDLE;
    module_finalize();
    kmipd_proc_stop(first, SIGTERM);
    return made && kmipd_proc_copy_database(first, second);
}

CK_OBJECT_HANDLE server_group_start(kmipd_proc *first, kmipd_proc *second,
                                    const char *name, const char *label,
                                    unsigned timeout_ms)
{
    char first_name[64], second_name[64];
    snprintf(first_name, sizeof(first_name), "%s-first", name);
    snprintf(second_name, sizeof(second_name), "%s-second", name);
    if (!kmipd_proc_configure(first, first_name, kmipd_free_port(), NULL) ||
        !kmipd_proc_configure(second, second_name, kmipd_free_port(), NULL) ||
        !kmipd_proc_start(first) ||
        !make_shared_key(first, second, label, timeout_ms) ||
        !kmipd_proc_start(first) || !kmipd_proc_start(second))
        return CK_INVALID_HANDLE;
    const char *servers[] = {first->address, second->address};
    module_configure(servers, 2, timeout_ms);
    if (module_initialize() == NULL)
        return CK_INVALID_HANDLE;
    return module_find_key(module_session(), label);
}
