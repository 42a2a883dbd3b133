/* SPDX-License-Identifier: Apache-2.0 */
#include "test_cert.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

int test_self_signed_cert(const char *cn, uint8_t **der)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    X509_NAME *name = X509_get_subject_name(cert);
    int len;

    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(cert, name);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_sign(cert, key, EVP_sha256());
    *der = NULL;
    len = i2d_X509(cert, der);
    X509_free(cert);
    EVP_PKEY_free(key);
    return len;
}
