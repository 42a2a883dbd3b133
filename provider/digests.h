/* SPDX-License-Identifier: Apache-2.0 */
/* The digests the provider's operations name to the token: one table from
 * an OpenSSL digest to its PKCS#11 mechanisms. */
#ifndef P11PROV_DIGESTS_H
#define P11PROV_DIGESTS_H

#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

typedef struct p11prov_digest {
    int nid;                    /* NID_sha256 */
    CK_MECHANISM_TYPE digest;   /* CKM_SHA256 */
    CK_RSA_PKCS_MGF_TYPE mgf1;  /* CKG_MGF1_SHA256 */
    CK_MECHANISM_TYPE rsa_pkcs; /* CKM_SHA256_RSA_PKCS */
    CK_MECHANISM_TYPE rsa_pss;  /* CKM_SHA256_RSA_PKCS_PSS */
    CK_MECHANISM_TYPE ecdsa;    /* CKM_ECDSA_SHA256 */
} p11prov_digest;

/* The table entry of md, or NULL when the token has no mechanism for it. */
const p11prov_digest *p11prov_digest_for(const EVP_MD *md);

#endif
