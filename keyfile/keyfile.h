/* SPDX-License-Identifier: Apache-2.0 */
/* URI-in-PEM key files: a PEM block "PKCS#11 PROVIDER URI" holding the DER
 * SEQUENCE { desc VisibleString, uri UTF8String }. This is the format of
 * the pkcs11-provider project, so key files work with either provider;
 * p11kmip writes it and reads it. */
#ifndef P11PROV_KEYFILE_H
#define P11PROV_KEYFILE_H

#include <stddef.h>

#define P11PROV_KEYFILE_PEM_NAME "PKCS#11 PROVIDER URI"
#define P11PROV_KEYFILE_DESC "PKCS#11 Provider URI v1.0"

/* The DER of a key file for uri; *der is OPENSSL_malloc'd. 0 on failure. */
int p11prov_keyfile_der(const char *uri, unsigned char **der, int *der_len);

/* The URI in a key file's DER, as a new string (OPENSSL_free), or NULL
 * when der is not a key file. */
char *p11prov_keyfile_uri(const unsigned char *der, long der_len);

#endif
