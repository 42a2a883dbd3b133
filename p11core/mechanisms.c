/* SPDX-License-Identifier: Apache-2.0 */
/* The mechanisms the module offers (C_GetMechanismList / Info), with the
 * key sizes the servers accept and what each mechanism can do. Key sizes
 * are in bits for RSA and EC, in bytes for AES and generic secrets, as
 * PKCS#11 gives them. */
#include "p11core_internal.h"

/* RSA keys are made of 2048 to 4096 bits; keys of 1024 to 8192 bits
 * imported (what kmipd registers) sign and decrypt. */
#define RSA_GEN_BITS 2048, 4096
#define RSA_BITS 1024, 8192
#define EC_BITS 256, 521
#define AES_BYTES 16, 32
#define SECRET_BYTES 1, 512
#define NO_KEY 0, 0

#define EC_FLAGS (CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS)
#define SIGN_VERIFY (CKF_HW | CKF_SIGN | CKF_VERIFY)
#define ENCRYPT_DECRYPT (CKF_HW | CKF_ENCRYPT | CKF_DECRYPT)

const struct p11_mechanism p11_mechanisms[] = {
    {CKM_RSA_PKCS_KEY_PAIR_GEN, RSA_GEN_BITS, CKF_HW | CKF_GENERATE_KEY_PAIR},
    {CKM_EC_KEY_PAIR_GEN, EC_BITS, CKF_HW | CKF_GENERATE_KEY_PAIR | EC_FLAGS},
    {CKM_AES_KEY_GEN, AES_BYTES, CKF_HW | CKF_GENERATE},
    {CKM_GENERIC_SECRET_KEY_GEN, SECRET_BYTES, CKF_HW | CKF_GENERATE},

    {CKM_RSA_PKCS, RSA_BITS, SIGN_VERIFY | ENCRYPT_DECRYPT},
    {CKM_SHA1_RSA_PKCS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA224_RSA_PKCS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA256_RSA_PKCS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA384_RSA_PKCS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA512_RSA_PKCS, RSA_BITS, SIGN_VERIFY},
    {CKM_RSA_PKCS_PSS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA1_RSA_PKCS_PSS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA224_RSA_PKCS_PSS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA256_RSA_PKCS_PSS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA384_RSA_PKCS_PSS, RSA_BITS, SIGN_VERIFY},
    {CKM_SHA512_RSA_PKCS_PSS, RSA_BITS, SIGN_VERIFY},
    {CKM_RSA_PKCS_OAEP, RSA_BITS, ENCRYPT_DECRYPT},
    /* Raw RSA: the private operations, on the server. */
    {CKM_RSA_X_509, RSA_BITS, CKF_HW | CKF_SIGN | CKF_DECRYPT},

    {CKM_ECDSA, EC_BITS, SIGN_VERIFY | EC_FLAGS},
    {CKM_ECDSA_SHA1, EC_BITS, SIGN_VERIFY | EC_FLAGS},
    {CKM_ECDSA_SHA224, EC_BITS, SIGN_VERIFY | EC_FLAGS},
    {CKM_ECDSA_SHA256, EC_BITS, SIGN_VERIFY | EC_FLAGS},
    {CKM_ECDSA_SHA384, EC_BITS, SIGN_VERIFY | EC_FLAGS},
    {CKM_ECDSA_SHA512, EC_BITS, SIGN_VERIFY | EC_FLAGS},
    {CKM_ECDH1_DERIVE, EC_BITS, CKF_HW | CKF_DERIVE | EC_FLAGS},

    {CKM_AES_ECB, AES_BYTES, ENCRYPT_DECRYPT},
    {CKM_AES_CBC, AES_BYTES, ENCRYPT_DECRYPT},
    {CKM_AES_CBC_PAD, AES_BYTES, ENCRYPT_DECRYPT},
    {CKM_AES_CTR, AES_BYTES, ENCRYPT_DECRYPT},
    {CKM_AES_GCM, AES_BYTES, ENCRYPT_DECRYPT},

    {CKM_SHA_1_HMAC, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA_1_HMAC_GENERAL, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA224_HMAC, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA224_HMAC_GENERAL, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA256_HMAC, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA256_HMAC_GENERAL, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA384_HMAC, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA384_HMAC_GENERAL, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA512_HMAC, SECRET_BYTES, SIGN_VERIFY},
    {CKM_SHA512_HMAC_GENERAL, SECRET_BYTES, SIGN_VERIFY},

    /* Digests run locally. */
    {CKM_SHA_1, NO_KEY, CKF_DIGEST},
    {CKM_SHA224, NO_KEY, CKF_DIGEST},
    {CKM_SHA256, NO_KEY, CKF_DIGEST},
    {CKM_SHA384, NO_KEY, CKF_DIGEST},
    {CKM_SHA512, NO_KEY, CKF_DIGEST},
};

_Static_assert(sizeof(p11_mechanisms) / sizeof(p11_mechanisms[0]) <=
                   P11_MECHANISMS_MAX,
               "p11_server keeps refusals for P11_MECHANISMS_MAX mechanisms");

const size_t p11_mechanism_count =
    sizeof(p11_mechanisms) / sizeof(p11_mechanisms[0]);

const struct p11_mechanism *p11_mechanism_find(CK_MECHANISM_TYPE type)
{
    for (size_t i = 0; i < p11_mechanism_count; i++)
        if (p11_mechanisms[i].type == type)
            return &p11_mechanisms[i];
    return NULL;
}
