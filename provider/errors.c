/* SPDX-License-Identifier: Apache-2.0 */
/* Errors raised through the core, so that they name this provider. */
#include <stdarg.h>

#include <p11-kit/p11-kit.h>

#include "provider.h"

static const OSSL_ITEM reason_strings[] = {
    {P11PROV_R_MODULE, "PKCS#11 module error"},
    {P11PROV_R_URI, "bad pkcs11 URI"},
    {P11PROV_R_NOT_FOUND, "no object matches the URI"},
    {P11PROV_R_AMBIGUOUS, "several keys match the URI"},
    {P11PROV_R_LOGIN, "login failed"},
    {P11PROV_R_TOKEN, "the token refused the operation"},
    {P11PROV_R_KEY_USAGE, "the key does not allow this operation"},
    {P11PROV_R_UNSUPPORTED, "not supported"},
    {P11PROV_R_BAD_ARGUMENT, "bad argument"},
    {P11PROV_R_BUFFER_SMALL, "output buffer too small"},
    {P11PROV_R_INTERNAL, "internal error"},
    {0, NULL},
};

const OSSL_ITEM *p11prov_reason_strings(void)
{
    return reason_strings;
}

static void raise_va(const p11prov_ctx *ctx, int reason, const char *fmt,
                     va_list ap)
{
    ctx->core_new_error(ctx->handle);
    if (ctx->core_set_error_debug != NULL)
        ctx->core_set_error_debug(ctx->handle, NULL, 0, NULL);
    ctx->core_vset_error(ctx->handle, (uint32_t)reason, fmt, ap);
}

void p11prov_raise(const p11prov_ctx *ctx, int reason, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    raise_va(ctx, reason, fmt, ap);
    va_end(ap);
}

static int reason_for(CK_RV rv)
{
    switch (rv) {
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
    case CKR_PIN_EXPIRED:
    case CKR_PIN_LOCKED:
    case CKR_USER_NOT_LOGGED_IN:
        return P11PROV_R_LOGIN;
    case CKR_KEY_FUNCTION_NOT_PERMITTED:
    case CKR_KEY_TYPE_INCONSISTENT:
        return P11PROV_R_KEY_USAGE;
    case CKR_MECHANISM_INVALID:
    case CKR_MECHANISM_PARAM_INVALID:
    case CKR_FUNCTION_NOT_SUPPORTED:
        return P11PROV_R_UNSUPPORTED;
    case CKR_BUFFER_TOO_SMALL:
        return P11PROV_R_BUFFER_SMALL;
    case CKR_HOST_MEMORY:
        return P11PROV_R_INTERNAL;
    }
    return P11PROV_R_TOKEN;
}

void p11prov_raise_rv(const p11prov_ctx *ctx, CK_RV rv, const char *what)
{
    p11prov_raise(ctx, reason_for(rv), "%s: %s (CKR 0x%lx)", what,
                  p11_kit_strerror(rv), (unsigned long)rv);
}
