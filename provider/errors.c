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

/* What a CKR is called, and which reason an error for it gets. */
typedef struct ckr_info {
    CK_RV rv;
    const char *name;
    int reason;
} ckr_info;

#define CKR(name, reason)                                                      \
    {                                                                          \
        name, #name, reason                                                    \
    }

static const ckr_info ckr_table[] = {
    CKR(CKR_OK, P11PROV_R_TOKEN),
    CKR(CKR_HOST_MEMORY, P11PROV_R_INTERNAL),
    CKR(CKR_SLOT_ID_INVALID, P11PROV_R_TOKEN),
    CKR(CKR_GENERAL_ERROR, P11PROV_R_TOKEN),
    CKR(CKR_FUNCTION_FAILED, P11PROV_R_TOKEN),
    CKR(CKR_ARGUMENTS_BAD, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_ATTRIBUTE_SENSITIVE, P11PROV_R_KEY_USAGE),
    CKR(CKR_ATTRIBUTE_TYPE_INVALID, P11PROV_R_TOKEN),
    CKR(CKR_ATTRIBUTE_VALUE_INVALID, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_DATA_INVALID, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_DATA_LEN_RANGE, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_DEVICE_ERROR, P11PROV_R_TOKEN),
    CKR(CKR_DEVICE_MEMORY, P11PROV_R_TOKEN),
    CKR(CKR_DEVICE_REMOVED, P11PROV_R_TOKEN),
    CKR(CKR_ENCRYPTED_DATA_INVALID, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_ENCRYPTED_DATA_LEN_RANGE, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_FUNCTION_NOT_SUPPORTED, P11PROV_R_UNSUPPORTED),
    CKR(CKR_KEY_HANDLE_INVALID, P11PROV_R_NOT_FOUND),
    CKR(CKR_KEY_SIZE_RANGE, P11PROV_R_UNSUPPORTED),
    CKR(CKR_KEY_TYPE_INCONSISTENT, P11PROV_R_KEY_USAGE),
    CKR(CKR_KEY_FUNCTION_NOT_PERMITTED, P11PROV_R_KEY_USAGE),
    CKR(CKR_MECHANISM_INVALID, P11PROV_R_UNSUPPORTED),
    CKR(CKR_MECHANISM_PARAM_INVALID, P11PROV_R_UNSUPPORTED),
    CKR(CKR_OBJECT_HANDLE_INVALID, P11PROV_R_NOT_FOUND),
    CKR(CKR_OPERATION_ACTIVE, P11PROV_R_TOKEN),
    CKR(CKR_OPERATION_NOT_INITIALIZED, P11PROV_R_TOKEN),
    CKR(CKR_PIN_INCORRECT, P11PROV_R_LOGIN),
    CKR(CKR_PIN_INVALID, P11PROV_R_LOGIN),
    CKR(CKR_PIN_LEN_RANGE, P11PROV_R_LOGIN),
    CKR(CKR_PIN_EXPIRED, P11PROV_R_LOGIN),
    CKR(CKR_PIN_LOCKED, P11PROV_R_LOGIN),
    CKR(CKR_SESSION_CLOSED, P11PROV_R_TOKEN),
    CKR(CKR_SESSION_COUNT, P11PROV_R_TOKEN),
    CKR(CKR_SESSION_HANDLE_INVALID, P11PROV_R_TOKEN),
    CKR(CKR_SIGNATURE_INVALID, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_SIGNATURE_LEN_RANGE, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_TEMPLATE_INCOMPLETE, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_TEMPLATE_INCONSISTENT, P11PROV_R_BAD_ARGUMENT),
    CKR(CKR_TOKEN_NOT_PRESENT, P11PROV_R_TOKEN),
    CKR(CKR_TOKEN_NOT_RECOGNIZED, P11PROV_R_TOKEN),
    CKR(CKR_TOKEN_WRITE_PROTECTED, P11PROV_R_TOKEN),
    CKR(CKR_USER_ALREADY_LOGGED_IN, P11PROV_R_LOGIN),
    CKR(CKR_USER_NOT_LOGGED_IN, P11PROV_R_LOGIN),
    CKR(CKR_USER_PIN_NOT_INITIALIZED, P11PROV_R_LOGIN),
    CKR(CKR_USER_TYPE_INVALID, P11PROV_R_LOGIN),
    CKR(CKR_BUFFER_TOO_SMALL, P11PROV_R_BUFFER_SMALL),
    CKR(CKR_CRYPTOKI_NOT_INITIALIZED, P11PROV_R_MODULE),
    CKR(CKR_CRYPTOKI_ALREADY_INITIALIZED, P11PROV_R_MODULE),
};

static const ckr_info *ckr_find(CK_RV rv)
{
    for (size_t i = 0; i < sizeof(ckr_table) / sizeof(ckr_table[0]); i++) {
        if (ckr_table[i].rv == rv)
            return &ckr_table[i];
    }
    return NULL;
}

const char *p11prov_ckr_name(CK_RV rv)
{
    const ckr_info *info = ckr_find(rv);

    return info != NULL ? info->name : "CKR_VENDOR_DEFINED or unknown";
}

int p11prov_ckr_reason(CK_RV rv)
{
    const ckr_info *info = ckr_find(rv);

    return info != NULL ? info->reason : P11PROV_R_TOKEN;
}

void p11prov_raise_rv(const p11prov_ctx *ctx, CK_RV rv, const char *what)
{
    p11prov_raise(ctx, p11prov_ckr_reason(rv), "%s: %s (%s)", what,
                  p11_kit_strerror(rv), p11prov_ckr_name(rv));
}
