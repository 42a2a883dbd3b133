/* SPDX-License-Identifier: Apache-2.0 */
/* The entry points' common steps: every C_Encrypt*, C_Decrypt*, C_Sign*,
 * C_Verify* and C_Digest* call acquires its session, finds the active
 * operation and checks its arguments in the same order, then hands over
 * to the operation's own function. */
#include "crypto_ops.h"

CK_RV p11_op_init_call(CK_SESSION_HANDLE handle, CK_MECHANISM_PTR mechanism,
                       CK_OBJECT_HANDLE key, p11_op_init_fn *init)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(handle, &session);
    if (rv != CKR_OK)
        return rv;
    rv = mechanism == NULL ? CKR_ARGUMENTS_BAD : init(session, mechanism, key);
    p11_session_release(session);
    return rv;
}

/* Why a call on the active operation op is refused before it runs, or
 * CKR_OK: bad arguments, or a call that mixes single-part and multi-part
 * forms in one operation, or a key of CKA_ALWAYS_AUTHENTICATE without its
 * context-specific login. */
static CK_RV call_refused(const p11_operation *op, p11_op_step step,
                          bool args_ok)
{
    if (!args_ok)
        return CKR_ARGUMENTS_BAD;
    if (op->needs_context_login)
        return CKR_USER_NOT_LOGGED_IN;
    if (step == P11_STEP_SINGLE ? op->multipart : op->single_part)
        return CKR_OPERATION_ACTIVE;
    return CKR_OK;
}

CK_RV p11_op_enter(CK_SESSION_HANDLE handle, p11_op_kind kind, p11_op_step step,
                   bool args_ok, p11_session **session, p11_operation **op)
{
    CK_RV rv = p11_session_acquire(handle, session);
    if (rv != CKR_OK)
        return rv;
    *op = p11_op_active(*session, kind);
    if (*op == NULL) {
        p11_session_release(*session);
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    rv = call_refused(*op, step, args_ok);
    if (rv != CKR_OK) {
        p11_operation_end(*op);
        p11_session_release(*session);
        return rv;
    }
    if (step == P11_STEP_SINGLE)
        (*op)->single_part = true;
    return CKR_OK;
}

CK_RV p11_op_update_call(CK_SESSION_HANDLE handle, p11_op_kind kind,
                         const uint8_t *part, size_t len,
                         p11_op_update_fn *update)
{
    p11_session *session;
    p11_operation *op;
    CK_RV rv = p11_op_enter(handle, kind, P11_STEP_UPDATE,
                            part != NULL || len == 0, &session, &op);
    if (rv != CKR_OK)
        return rv;
    rv = update(session, op, part, len);
    op->multipart = true;
    if (rv != CKR_OK)
        p11_operation_end(op);
    p11_session_release(session);
    return rv;
}

CK_RV p11_op_output_call(CK_SESSION_HANDLE handle, p11_op_kind kind, bool final,
                         const uint8_t *in, size_t len, CK_BYTE_PTR out,
                         CK_ULONG_PTR out_len, p11_op_finish_fn *finish)
{
    p11_session *session;
    p11_operation *op;
    CK_RV rv = p11_op_enter(
        handle, kind, final ? P11_STEP_FINAL : P11_STEP_SINGLE,
        (in != NULL || len == 0) && out_len != NULL, &session, &op);
    if (rv != CKR_OK)
        return rv;
    if (final)
        op->multipart = true;
    if (op->multipart) {
        in = op->input.data;
        len = op->input.len;
    }
    bool keep = false;
    rv = finish(session, op, in, len, out, out_len, &keep);
    /* At this step only the server refuses a mechanism. */
    if (rv == CKR_MECHANISM_INVALID)
        p11_mechanism_refused(&session->slot->server, op->mechanism, kind);
    /* Only a length query or a short buffer keeps the operation. */
    if (!keep || (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL))
        p11_operation_end(op);
    p11_session_release(session);
    return rv;
}
