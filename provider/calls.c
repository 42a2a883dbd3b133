// SPDX-License-Identifier: Apache-2.0
/* The PKCS#11 call layer: every call the provider makes to its module.
 * A call is traced to stderr when P11KMIP_PROVIDER_DEBUG is set; a call
 * that fails raises an OpenSSL error naming the function, the CKR (name
 * and words), the slot and the call site. The answers listed per function
 * are part of a conversation and raise nothing: the caller decides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kmip/tag_values.h>
#include <kmip/tags.h>
#include <p11-kit/p11-kit.h>

#include "session.h"

#define END CKR_OK /* ends a list of answers */

/* A call's name and the answers that are not failures. */
typedef struct call {
    const char *name;
    const CK_RV *answers; /* NULL: never raises (clean-up calls) */
} call;

static const CK_RV failures_only[] = {END};
static const CK_RV attribute_answers[] = {CKR_ATTRIBUTE_TYPE_INVALID,
                                          CKR_ATTRIBUTE_SENSITIVE, END};
static const CK_RV mechanism_answers[] = {CKR_MECHANISM_INVALID, END};
static const CK_RV decrypt_answers[] = {CKR_ENCRYPTED_DATA_INVALID,
                                        CKR_ENCRYPTED_DATA_LEN_RANGE, END};
/* A template the module refuses (no session objects) or a key that may
 * not derive: the caller retries or names the key. */
static const CK_RV derive_answers[] = {
    CKR_ATTRIBUTE_VALUE_INVALID,    CKR_TEMPLATE_INCONSISTENT,
    CKR_KEY_FUNCTION_NOT_PERMITTED, CKR_KEY_TYPE_INCONSISTENT,
    CKR_MECHANISM_PARAM_INVALID,    END};
static const CK_RV login_answers[] = {CKR_USER_ALREADY_LOGGED_IN, END};
static const CK_RV initialize_answers[] = {CKR_CRYPTOKI_ALREADY_INITIALIZED,
                                           END};

static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash != NULL ? slash + 1 : path;
}

static bool is_answer(const CK_RV *answers, CK_RV rv)
{
    for (; answers != NULL && *answers != END; answers++) {
        if (*answers == rv)
            return true;
    }
    return answers == NULL;
}

/* Traces and reports one call's rv, with detail (what the device said)
 * after the CKR; returns rv. */
static CK_RV checked_with(const p11prov_ctx *ctx, const call *what,
                          CK_SLOT_ID slot, CK_RV rv, const p11prov_site *site,
                          const char *detail)
{
    if (ctx->trace)
        fprintf(stderr, "p11kmip: %s (slot %lu) = %s at %s:%d %s()\n",
                what->name, (unsigned long)slot, p11prov_ckr_name(rv),
                file_name(site->file), site->line, site->func);
    if (rv == CKR_OK || is_answer(what->answers, rv))
        return rv;
    p11prov_raise(ctx, p11prov_ckr_reason(rv),
                  "%s on slot %lu failed: %s (%s)%s, at %s:%d %s()", what->name,
                  (unsigned long)slot, p11prov_ckr_name(rv),
                  p11_kit_strerror(rv), detail, file_name(site->file),
                  site->line, site->func);
    return rv;
}

static CK_RV checked(const p11prov_ctx *ctx, const call *what, CK_SLOT_ID slot,
                     CK_RV rv, const p11prov_site *site)
{
    return checked_with(ctx, what, slot, rv, site, "");
}

/* What the device said of the session's last call (ulDeviceError): for
 * p11core, the KMIP Result Reason, named; "" when nothing. */
static void device_detail(const p11prov_session *session, char *detail,
                          size_t size)
{
    CK_SESSION_INFO info = {0};
    const char *name;

    detail[0] = '\0';
    if (session->fns->C_GetSessionInfo(session->handle, &info) != CKR_OK ||
        info.ulDeviceError == 0)
        return;
    name = session->ctx->module_path == NULL
               ? kmip_enum_name(KMIP_TAG_RESULT_REASON,
                                (uint32_t)info.ulDeviceError)
               : NULL;
    if (name != NULL)
        snprintf(detail, size, "; the KMIP server answered %s", name);
    else
        snprintf(detail, size, "; device error 0x%lx",
                 (unsigned long)info.ulDeviceError);
}

static CK_RV session_checked(const p11prov_session *session, const call *what,
                             CK_RV rv, const p11prov_site *site)
{
    char detail[96] = "";

    if (rv != CKR_OK && !is_answer(what->answers, rv))
        device_detail(session, detail, sizeof(detail));
    return checked_with(session->ctx, what, session->slot, rv, site, detail);
}

#define CALL(name, answers) (&(const call){name, answers})
#define SESSION_CALL(session, name, answers, rv, site)                         \
    session_checked((session), CALL(name, answers), (rv), (site))

/* ---- Module and slots ---- */

/* The module's functions, or NULL with an error raised. */
static CK_FUNCTION_LIST *module_fns(p11prov_ctx *ctx)
{
    struct p11prov_module *module = p11prov_module_current(ctx);

    return module != NULL ? p11prov_module_functions(module) : NULL;
}

CK_RV p11prov_call_initialize(p11prov_ctx *ctx,
                              CK_C_GetFunctionList get_function_list,
                              CK_FUNCTION_LIST **fns_out,
                              const p11prov_site *site)
{
    CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
    CK_FUNCTION_LIST *fns = NULL;
    CK_RV rv = get_function_list == NULL ? CKR_FUNCTION_NOT_SUPPORTED
                                         : get_function_list(&fns);

    if (checked(ctx, CALL("C_GetFunctionList", failures_only), 0, rv, site) !=
        CKR_OK)
        return rv;
    *fns_out = fns;
    rv = fns->C_Initialize(&args);
    if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        /* A child of a process that initialised a module which does not
         * detect fork itself: PKCS#11 wants it initialised again. */
        fns->C_Finalize(NULL);
        rv = fns->C_Initialize(&args);
    }
    return checked(ctx, CALL("C_Initialize", initialize_answers), 0, rv, site);
}

CK_RV p11prov_call_slots(p11prov_ctx *ctx, CK_SLOT_ID **slots, CK_ULONG *count,
                         const p11prov_site *site)
{
    CK_FUNCTION_LIST *fns = module_fns(ctx);
    CK_ULONG n = 0;
    CK_RV rv;

    *slots = NULL;
    *count = 0;
    if (fns == NULL)
        return CKR_GENERAL_ERROR;
    rv = fns->C_GetSlotList(CK_TRUE, NULL, &n);
    if (rv == CKR_OK && (*slots = calloc(n + 1, sizeof(**slots))) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = fns->C_GetSlotList(CK_TRUE, *slots, &n);
    if (rv != CKR_OK) {
        free(*slots);
        *slots = NULL;
    }
    *count = rv == CKR_OK ? n : 0;
    return checked(ctx, CALL("C_GetSlotList", failures_only), 0, rv, site);
}

CK_RV p11prov_call_slot_info(p11prov_ctx *ctx, CK_SLOT_ID slot,
                             CK_SLOT_INFO *info, const p11prov_site *site)
{
    CK_FUNCTION_LIST *fns = module_fns(ctx);
    CK_RV rv = fns != NULL ? fns->C_GetSlotInfo(slot, info) : CKR_GENERAL_ERROR;

    return checked(ctx, CALL("C_GetSlotInfo", failures_only), slot, rv, site);
}

CK_RV p11prov_call_token_info(p11prov_ctx *ctx, CK_SLOT_ID slot,
                              CK_TOKEN_INFO *info, const p11prov_site *site)
{
    CK_FUNCTION_LIST *fns = module_fns(ctx);
    CK_RV rv =
        fns != NULL ? fns->C_GetTokenInfo(slot, info) : CKR_GENERAL_ERROR;

    return checked(ctx, CALL("C_GetTokenInfo", failures_only), slot, rv, site);
}

/* ---- Sessions ---- */

CK_RV p11prov_call_open(p11prov_session *session, const p11prov_site *site)
{
    CK_RV rv = session->fns->C_OpenSession(session->slot,
                                           CKF_SERIAL_SESSION | CKF_RW_SESSION,
                                           NULL, NULL, &session->handle);

    return SESSION_CALL(session, "C_OpenSession", failures_only, rv, site);
}

CK_RV p11prov_call_login(p11prov_session *session, const char *pin,
                         const p11prov_site *site)
{
    CK_RV rv =
        session->fns->C_Login(session->handle, CKU_USER, (CK_UTF8CHAR *)pin,
                              pin != NULL ? strlen(pin) : 0);

    return SESSION_CALL(session, "C_Login", login_answers, rv, site);
}

void p11prov_call_close(p11prov_session *session, const p11prov_site *site)
{
    SESSION_CALL(session, "C_CloseSession", NULL,
                 session->fns->C_CloseSession(session->handle), site);
}

/* ---- Objects ---- */

CK_RV p11prov_call_attributes(p11prov_session *session, CK_OBJECT_HANDLE object,
                              CK_ATTRIBUTE *attrs, CK_ULONG count,
                              const p11prov_site *site)
{
    CK_RV rv = session->fns->C_GetAttributeValue(session->handle, object, attrs,
                                                 count);

    return SESSION_CALL(session, "C_GetAttributeValue", attribute_answers, rv,
                        site);
}

CK_RV p11prov_call_attribute(p11prov_session *session, CK_OBJECT_HANDLE object,
                             CK_ATTRIBUTE_TYPE type, CK_BYTE **value,
                             CK_ULONG *len, const p11prov_site *site)
{
    CK_ATTRIBUTE attr = {type, NULL, 0};
    CK_RV rv = p11prov_call_attributes(session, object, &attr, 1, site);

    *value = NULL;
    *len = 0;
    if (rv == CKR_OK && attr.ulValueLen == CK_UNAVAILABLE_INFORMATION)
        rv = CKR_ATTRIBUTE_TYPE_INVALID;
    if (rv == CKR_OK && (attr.pValue = malloc(attr.ulValueLen + 1)) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = p11prov_call_attributes(session, object, &attr, 1, site);
    if (rv != CKR_OK) {
        free(attr.pValue);
        return rv;
    }
    *value = attr.pValue;
    *len = attr.ulValueLen;
    return CKR_OK;
}

CK_RV p11prov_call_find(p11prov_session *session, CK_ATTRIBUTE *template,
                        CK_ULONG count, CK_OBJECT_HANDLE *found, CK_ULONG max,
                        CK_ULONG *found_count, const p11prov_site *site)
{
    CK_RV rv =
        session->fns->C_FindObjectsInit(session->handle, template, count);

    *found_count = 0;
    if (SESSION_CALL(session, "C_FindObjectsInit", failures_only, rv, site) !=
        CKR_OK)
        return rv;
    rv = session->fns->C_FindObjects(session->handle, found, max, found_count);
    session->fns->C_FindObjectsFinal(session->handle);
    if (rv != CKR_OK)
        *found_count = 0;
    return SESSION_CALL(session, "C_FindObjects", failures_only, rv, site);
}

/* ---- Operations ---- */

CK_RV p11prov_call_sign_init(p11prov_session *session, CK_MECHANISM *mech,
                             CK_OBJECT_HANDLE key, const p11prov_site *site)
{
    CK_RV rv = session->fns->C_SignInit(session->handle, mech, key);

    return SESSION_CALL(session, "C_SignInit", mechanism_answers, rv, site);
}

CK_RV p11prov_call_sign(p11prov_session *session, const CK_BYTE *in,
                        CK_ULONG inlen, CK_BYTE *sig, CK_ULONG *siglen,
                        const p11prov_site *site)
{
    CK_RV rv = session->fns->C_Sign(session->handle, (CK_BYTE *)in, inlen, sig,
                                    siglen);

    return SESSION_CALL(session, "C_Sign", failures_only, rv, site);
}

CK_RV p11prov_call_sign_update(p11prov_session *session, const CK_BYTE *in,
                               CK_ULONG inlen, const p11prov_site *site)
{
    CK_RV rv =
        session->fns->C_SignUpdate(session->handle, (CK_BYTE *)in, inlen);

    return SESSION_CALL(session, "C_SignUpdate", failures_only, rv, site);
}

CK_RV p11prov_call_sign_final(p11prov_session *session, CK_BYTE *sig,
                              CK_ULONG *siglen, const p11prov_site *site)
{
    CK_RV rv = session->fns->C_SignFinal(session->handle, sig, siglen);

    return SESSION_CALL(session, "C_SignFinal", failures_only, rv, site);
}

CK_RV p11prov_call_crypt(p11prov_session *session, bool encrypt,
                         CK_MECHANISM *mech, CK_OBJECT_HANDLE key,
                         const CK_BYTE *in, CK_ULONG inlen, CK_BYTE *out,
                         CK_ULONG *outlen, const p11prov_site *site)
{
    CK_FUNCTION_LIST *fns = session->fns;
    CK_RV rv = encrypt ? fns->C_EncryptInit(session->handle, mech, key)
                       : fns->C_DecryptInit(session->handle, mech, key);

    if (SESSION_CALL(session, encrypt ? "C_EncryptInit" : "C_DecryptInit",
                     failures_only, rv, site) != CKR_OK)
        return rv;
    rv = encrypt ? fns->C_Encrypt(session->handle, (CK_BYTE *)in, inlen, out,
                                  outlen)
                 : fns->C_Decrypt(session->handle, (CK_BYTE *)in, inlen, out,
                                  outlen);
    return SESSION_CALL(session, encrypt ? "C_Encrypt" : "C_Decrypt",
                        encrypt ? failures_only : decrypt_answers, rv, site);
}

CK_RV p11prov_call_generate_pair(p11prov_session *session, CK_MECHANISM *mech,
                                 CK_ATTRIBUTE *public, CK_ULONG public_count,
                                 CK_ATTRIBUTE *private, CK_ULONG private_count,
                                 CK_OBJECT_HANDLE *public_key,
                                 CK_OBJECT_HANDLE *private_key,
                                 const p11prov_site *site)
{
    CK_RV rv = session->fns->C_GenerateKeyPair(
        session->handle, mech, public, public_count, private, private_count,
        public_key, private_key);

    return SESSION_CALL(session, "C_GenerateKeyPair", failures_only, rv, site);
}

CK_RV p11prov_call_derive(p11prov_session *session, CK_MECHANISM *mech,
                          CK_OBJECT_HANDLE base, CK_ATTRIBUTE *template,
                          CK_ULONG count, CK_OBJECT_HANDLE *derived,
                          const p11prov_site *site)
{
    CK_RV rv = session->fns->C_DeriveKey(session->handle, mech, base, template,
                                         count, derived);

    return SESSION_CALL(session, "C_DeriveKey", derive_answers, rv, site);
}

CK_RV p11prov_call_destroy(p11prov_session *session, CK_OBJECT_HANDLE object,
                           const p11prov_site *site)
{
    CK_RV rv = session->fns->C_DestroyObject(session->handle, object);

    return SESSION_CALL(session, "C_DestroyObject", failures_only, rv, site);
}
