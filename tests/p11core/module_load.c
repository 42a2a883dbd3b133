// SPDX-License-Identifier: Apache-2.0
#include "module_load.h"

#include <stdbool.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

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

static bool write_config(const char *path, const char *label)
{
    FILE *out = fopen(path, "w");
    if (out == NULL)
        return false;
    fprintf(out,
            "{\"slots\": [{\"label\": \"%s\", \"servers\": [\"%s\"],"
            " \"ca\": \"%s\", \"cert\": \"%s\", \"key\": \"%s\"}],"
            " \"log\": {\"level\": \"error\"}}\n",
            label, getenv("P11KMIP_TEST_SERVER"), getenv("P11KMIP_TEST_CA"),
            getenv("P11KMIP_TEST_CERT"), getenv("P11KMIP_TEST_KEY"));
    return fclose(out) == 0;
}

CK_FUNCTION_LIST_PTR module_load_one_slot(const char *label)
{
    const char *dir = getenv("P11KMIP_TEST_DIR");
    const char *needed[] = {"P11KMIP_TEST_SERVER", "P11KMIP_TEST_CA",
                            "P11KMIP_TEST_CERT", "P11KMIP_TEST_KEY"};
    char config[512];
    for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
        if (getenv(needed[i]) == NULL)
            return NULL;
    if (dir == NULL ||
        snprintf(config, sizeof(config), "%s/%s.json", dir, label) >=
            (int)sizeof(config) ||
        !write_config(config, label))
        return NULL;
    setenv("P11KMIP_CONFIG", config, 1);
    unsetenv("P11KMIP_SERVER");
    return module_load();
}
