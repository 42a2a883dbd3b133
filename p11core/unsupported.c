/* SPDX-License-Identifier: Apache-2.0 */
/* The Cryptoki functions this module does not offer (listed in
 * doc/pkcs11.md): each answers CKR_FUNCTION_NOT_SUPPORTED, and
 * CKR_CRYPTOKI_NOT_INITIALIZED before C_Initialize as every function. */
#include "p11core_internal.h"

/* The parameters are part of the PKCS#11 signatures and unused here. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

static CK_RV not_supported(void)
{
    p11_module *module;
    CK_RV rv = p11_module_get(&module);

    return rv != CKR_OK ? rv : CKR_FUNCTION_NOT_SUPPORTED;
}

#define NOT_SUPPORTED(name, params)                                            \
    P11_EXPORT CK_RV name params                                               \
    {                                                                          \
        return not_supported();                                                \
    }

NOT_SUPPORTED(C_InitPIN, (CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin,
                          CK_ULONG ulPinLen))
NOT_SUPPORTED(C_GetOperationState,
              (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
               CK_ULONG_PTR pulOperationStateLen))
NOT_SUPPORTED(C_SetOperationState,
              (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
               CK_ULONG ulOperationStateLen, CK_OBJECT_HANDLE hEncryptionKey,
               CK_OBJECT_HANDLE hAuthenticationKey))
NOT_SUPPORTED(C_DigestKey, (CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey))
NOT_SUPPORTED(C_SignRecoverInit,
              (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
               CK_OBJECT_HANDLE hKey))
NOT_SUPPORTED(C_SignRecover, (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData,
                              CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                              CK_ULONG_PTR pulSignatureLen))
NOT_SUPPORTED(C_VerifyRecoverInit,
              (CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
               CK_OBJECT_HANDLE hKey))
NOT_SUPPORTED(C_VerifyRecover, (CK_SESSION_HANDLE hSession,
                                CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen,
                                CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen))
NOT_SUPPORTED(C_DigestEncryptUpdate,
              (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
               CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
               CK_ULONG_PTR pulEncryptedPartLen))
NOT_SUPPORTED(C_DecryptDigestUpdate,
              (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
               CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
               CK_ULONG_PTR pulPartLen))
NOT_SUPPORTED(C_SignEncryptUpdate,
              (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
               CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
               CK_ULONG_PTR pulEncryptedPartLen))
NOT_SUPPORTED(C_DecryptVerifyUpdate,
              (CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
               CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
               CK_ULONG_PTR pulPartLen))
NOT_SUPPORTED(C_WaitForSlotEvent,
              (CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved))

/* Legacy functions: PKCS#11 gives them their own answer. */
P11_EXPORT CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);

    if (rv != CKR_OK)
        return rv;
    p11_session_release(session);
    return CKR_FUNCTION_NOT_PARALLEL;
}

P11_EXPORT CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession)
{
    return C_GetFunctionStatus(hSession);
}
