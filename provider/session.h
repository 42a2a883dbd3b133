/* SPDX-License-Identifier: Apache-2.0 */
/* Inside the call layer only (calls.c, session.c): the module and the
 * sessions, which no other file reaches into. */
#ifndef P11PROV_SESSION_H
#define P11PROV_SESSION_H

#include "provider.h"

struct p11prov_session {
    p11prov_ctx *ctx;
    struct p11prov_module *module;
    CK_FUNCTION_LIST *fns;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE handle;
};

/* The module for this process, loaded on first use and again after a
 * fork; NULL with an error raised when it cannot be loaded. */
struct p11prov_module *p11prov_module_current(p11prov_ctx *ctx);
CK_FUNCTION_LIST *p11prov_module_functions(const struct p11prov_module *module);

/* The calls session.c makes while it loads the module and opens, logs in
 * (pin NULL: the protected authentication path) and closes sessions
 * (calls.c). A failure to close is traced, never raised. */
/* C_GetFunctionList through get_function_list (NULL: the module has
 * none) into *fns, then C_Initialize. */
CK_RV p11prov_call_initialize(p11prov_ctx *ctx,
                              CK_C_GetFunctionList get_function_list,
                              CK_FUNCTION_LIST **fns, const p11prov_site *site);
CK_RV p11prov_call_open(p11prov_session *session, const p11prov_site *site);
CK_RV p11prov_call_login(p11prov_session *session, const char *pin,
                         const p11prov_site *site);
void p11prov_call_close(p11prov_session *session, const p11prov_site *site);

#endif
