/* SPDX-License-Identifier: Apache-2.0 */
/* C_GenerateRandom and C_SeedRandom. Random bytes come from OpenSSL's
 * DRBG in this process (no KMIP request); its own seeding makes an
 * application's seed meaningless, so C_SeedRandom answers
 * CKR_RANDOM_SEED_NOT_SUPPORTED. */
#include <limits.h>

#include <openssl/rand.h>

#include "p11core_internal.h"

P11_EXPORT CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed,
                              CK_ULONG ulSeedLen)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);
    if (rv != CKR_OK)
        return rv;
    rv = pSeed == NULL && ulSeedLen > 0 ? CKR_ARGUMENTS_BAD
                                        : CKR_RANDOM_SEED_NOT_SUPPORTED;
    p11_session_release(session);
    return rv;
}

P11_EXPORT CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession,
                                  CK_BYTE_PTR pRandomData, CK_ULONG ulRandomLen)
{
    p11_session *session;
    CK_RV rv = p11_session_acquire(hSession, &session);
    if (rv != CKR_OK)
        return rv;
    if (pRandomData == NULL && ulRandomLen > 0)
        rv = CKR_ARGUMENTS_BAD;
    else if (ulRandomLen > INT_MAX)
        rv = CKR_DATA_LEN_RANGE;
    else if (ulRandomLen > 0 && RAND_bytes(pRandomData, (int)ulRandomLen) != 1)
        rv = CKR_FUNCTION_FAILED;
    p11_session_release(session);
    return rv;
}
