/* SPDX-License-Identifier: Apache-2.0 */
/* Signing on the token (C_SignInit + C_Sign through p11core), for `sign`
 * and for the self-signed certificates of keygen and cert. */
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "signing.h"

/* An ECDSA signature r || s from PKCS#11 as the DER that OpenSSL reads;
 * replaces *sig. 0, or -1 when it is not one. */
static int ecdsa_der(uint8_t **sig, CK_ULONG *len)
{
    ECDSA_SIG *ecdsa = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(*sig, (int)(*len / 2), NULL);
    BIGNUM *s = BN_bin2bn(*sig + *len / 2, (int)(*len / 2), NULL);
    unsigned char *der = NULL;
    int der_len = -1;

    if (ecdsa != NULL && r != NULL && s != NULL && *len % 2 == 0 &&
        ECDSA_SIG_set0(ecdsa, r, s) == 1) {
        r = s = NULL;
        der_len = i2d_ECDSA_SIG(ecdsa, &der);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(ecdsa);
    if (der_len <= 0)
        return -1;
    free(*sig);
    *sig = malloc((size_t)der_len);
    if (*sig != NULL)
        memcpy(*sig, der, (size_t)der_len);
    OPENSSL_free(der);
    *len = (CK_ULONG)der_len;
    return *sig != NULL ? 0 : -1;
}

/* C_SignInit + C_Sign of data; *sig (free()) holds *sig_len bytes. */
static int sign_data(const cli_token *token, CK_OBJECT_HANDLE key,
                     CK_MECHANISM *mech, const uint8_t *data, size_t len,
                     uint8_t **sig, CK_ULONG *sig_len)
{
    CK_BYTE_PTR in = (CK_BYTE_PTR)(uintptr_t)data; /* C_Sign only reads it */
    CK_RV rv = token->fns->C_SignInit(token->session, mech, key);

    *sig = NULL;
    if (rv == CKR_OK)
        rv = token->fns->C_Sign(token->session, in, len, NULL, sig_len);
    if (rv == CKR_OK && (*sig = malloc(*sig_len + 1)) == NULL)
        rv = CKR_HOST_MEMORY;
    if (rv == CKR_OK)
        rv = token->fns->C_Sign(token->session, in, len, *sig, sig_len);
    if (rv == CKR_OK)
        return CLI_OK;
    free(*sig);
    *sig = NULL;
    return cli_token_error(token, "signing", rv);
}

int cli_token_sign(const cli_token *token, CK_OBJECT_HANDLE key,
                   CK_KEY_TYPE key_type, CK_MECHANISM *mech,
                   const uint8_t *data, size_t len, uint8_t **sig,
                   size_t *sig_len)
{
    CK_ULONG got = 0;
    int code = sign_data(token, key, mech, data, len, sig, &got);

    if (code == CLI_OK && key_type == CKK_EC && ecdsa_der(sig, &got) != 0) {
        free(*sig);
        *sig = NULL;
        code = cli_error(CLI_EXIT_FAILURE,
                         "token \"%s\" gave a malformed ECDSA signature",
                         token->label);
    }
    *sig_len = got;
    return code;
}
