/* SPDX-License-Identifier: Apache-2.0 */
#include <openssl/obj_mac.h>

#include "digests.h"

static const p11prov_digest digests[] = {
    {NID_sha1, CKM_SHA_1, CKG_MGF1_SHA1, CKM_SHA1_RSA_PKCS,
     CKM_SHA1_RSA_PKCS_PSS, CKM_ECDSA_SHA1},
    {NID_sha224, CKM_SHA224, CKG_MGF1_SHA224, CKM_SHA224_RSA_PKCS,
     CKM_SHA224_RSA_PKCS_PSS, CKM_ECDSA_SHA224},
    {NID_sha256, CKM_SHA256, CKG_MGF1_SHA256, CKM_SHA256_RSA_PKCS,
     CKM_SHA256_RSA_PKCS_PSS, CKM_ECDSA_SHA256},
    {NID_sha384, CKM_SHA384, CKG_MGF1_SHA384, CKM_SHA384_RSA_PKCS,
     CKM_SHA384_RSA_PKCS_PSS, CKM_ECDSA_SHA384},
    {NID_sha512, CKM_SHA512, CKG_MGF1_SHA512, CKM_SHA512_RSA_PKCS,
     CKM_SHA512_RSA_PKCS_PSS, CKM_ECDSA_SHA512},
};

const p11prov_digest *p11prov_digest_for(const EVP_MD *md)
{
    int nid = md != NULL ? EVP_MD_get_type(md) : NID_undef;

    for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++) {
        if (digests[i].nid == nid)
            return &digests[i];
    }
    return NULL;
}
