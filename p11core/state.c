// SPDX-License-Identifier: Apache-2.0
/* The state of this process's C_Initialize, as every entry point finds
 * it: the floor of p11core's core files (it calls nothing of them). */
#include "core.h"
#include "kmip/process.h"

#include <stdatomic.h>

static _Atomic(p11_module *) current;

p11_module *p11_module_current(void)
{
    return atomic_load(&current);
}

void p11_module_set(p11_module *module)
{
    atomic_store(&current, module);
}

CK_RV p11_module_get(p11_module **out)
{
    p11_module *module = p11_module_current();

    if (module == NULL || module->pid != kmip_process_id())
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    *out = module;
    return CKR_OK;
}

CK_RV p11_slot_get(CK_SLOT_ID id, p11_slot **out)
{
    p11_module *module;
    CK_RV rv = p11_module_get(&module);

    if (rv != CKR_OK)
        return rv;
    if (id >= module->slot_count)
        return CKR_SLOT_ID_INVALID;
    *out = &module->slots[id];
    return CKR_OK;
}
