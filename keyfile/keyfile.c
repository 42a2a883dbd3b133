/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <openssl/asn1t.h>

#include "keyfile.h"

typedef struct keyfile_st {
    ASN1_VISIBLESTRING *desc;
    ASN1_UTF8STRING *uri;
} KEYFILE;

DECLARE_ASN1_FUNCTIONS(KEYFILE)

int p11prov_keyfile_der(const char *uri, unsigned char **der, int *der_len)
{
    KEYFILE *file = KEYFILE_new();
    int ok = 0;

    *der = NULL;
    if (file != NULL &&
        ASN1_STRING_set(file->desc, P11PROV_KEYFILE_DESC,
                        (int)strlen(P11PROV_KEYFILE_DESC)) &&
        ASN1_STRING_set(file->uri, uri, (int)strlen(uri))) {
        *der_len = i2d_KEYFILE(file, der);
        ok = *der_len > 0;
    }
    KEYFILE_free(file);
    return ok;
}

char *p11prov_keyfile_uri(const unsigned char *der, long der_len)
{
    const unsigned char *p = der;
    KEYFILE *file = d2i_KEYFILE(NULL, &p, der_len);
    char *uri = NULL;

    if (file != NULL && p == der + der_len &&
        ASN1_STRING_length(file->desc) == (int)strlen(P11PROV_KEYFILE_DESC) &&
        memcmp(ASN1_STRING_get0_data(file->desc), P11PROV_KEYFILE_DESC,
               strlen(P11PROV_KEYFILE_DESC)) == 0 &&
        memchr(ASN1_STRING_get0_data(file->uri), '\0',
               (size_t)ASN1_STRING_length(file->uri)) == NULL)
        uri = OPENSSL_strndup((const char *)ASN1_STRING_get0_data(file->uri),
                              (size_t)ASN1_STRING_length(file->uri));
    KEYFILE_free(file);
    return uri;
}

/* The ASN.1 template; clang-format cannot lay out these macros. */
/* clang-format off */
ASN1_SEQUENCE(KEYFILE) = {
    ASN1_SIMPLE(KEYFILE, desc, ASN1_VISIBLESTRING),
    ASN1_SIMPLE(KEYFILE, uri, ASN1_UTF8STRING),
} ASN1_SEQUENCE_END(KEYFILE)

IMPLEMENT_ASN1_FUNCTIONS(KEYFILE)
