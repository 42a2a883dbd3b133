// SPDX-License-Identifier: Apache-2.0
#include "module_load.h"

#include <dlfcn.h>
#include <stdio.h>

CK_FUNCTION_LIST_PTR module_load(void)
{
    void *module = dlopen(P11KMIP_MODULE, RTLD_NOW | RTLD_LOCAL);
    if (module == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return NULL;
    }
    CK_C_GetFunctionList get_function_list =
        (CK_C_GetFunctionList)dlsym(module, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR list = NULL;
    if (get_function_list == NULL || get_function_list(&list) != CKR_OK) {
        fprintf(stderr, "%s: no function list\n", P11KMIP_MODULE);
        return NULL;
    }
    return list;
}
