/* SPDX-License-Identifier: Apache-2.0 */
/* C_CreateObject templates of keys and certificates, in the attributes
 * PKCS#11 defines for them (p11core turns them into KMIP objects). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/sha.h>

#include "import.h"

static const CK_BBOOL yes = CK_TRUE;

int cli_template_add(cli_template *t, CK_ATTRIBUTE_TYPE type, const void *value,
                     size_t len)
{
    void *copy;

    if (t->count == CLI_TEMPLATE_MAX)
        return -1;
    copy = OPENSSL_malloc(len > 0 ? len : 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, value, len);
    t->attrs[t->count++] = (CK_ATTRIBUTE){type, copy, len};
    return 0;
}

void cli_template_clear(cli_template *t)
{
    for (CK_ULONG i = 0; i < t->count; i++)
        OPENSSL_clear_free(t->attrs[i].pValue, t->attrs[i].ulValueLen);
    t->count = 0;
}

int cli_template_name(cli_template *t, const char *label, const uint8_t *id,
                      size_t id_len)
{
    return cli_template_add(t, CKA_LABEL, label, strlen(label)) != 0 ||
                   cli_template_add(t, CKA_ID, id, id_len) != 0
               ? -1
               : 0;
}

static int add_ulong(cli_template *t, CK_ATTRIBUTE_TYPE type, CK_ULONG value)
{
    return cli_template_add(t, type, &value, sizeof(value));
}

static int add_bool(cli_template *t, CK_ATTRIBUTE_TYPE type)
{
    return cli_template_add(t, type, &yes, sizeof(yes));
}

/* An integer parameter of key, big-endian, padded to pad bytes (0: as
 * short as it goes). */
static int add_bn(cli_template *t, CK_ATTRIBUTE_TYPE type, const EVP_PKEY *key,
                  const char *param, int pad)
{
    BIGNUM *bn = NULL;
    unsigned char *bytes;
    int len, rc = -1;

    if (!EVP_PKEY_get_bn_param(key, param, &bn))
        return -1;
    len = pad > 0 ? pad : BN_num_bytes(bn);
    bytes = OPENSSL_malloc(len > 0 ? (size_t)len : 1);
    if (bytes != NULL && BN_bn2binpad(bn, bytes, len) == len)
        rc = cli_template_add(t, type, bytes, (size_t)len);
    OPENSSL_clear_free(bytes, len > 0 ? (size_t)len : 1);
    BN_clear_free(bn);
    return rc;
}

static int key_header(cli_template *t, CK_OBJECT_CLASS object_class,
                      CK_KEY_TYPE key_type)
{
    return add_ulong(t, CKA_CLASS, object_class) != 0 ||
                   add_ulong(t, CKA_KEY_TYPE, key_type) != 0 ||
                   add_bool(t, CKA_TOKEN) != 0
               ? -1
               : 0;
}

/* CKA_EC_PARAMS: the DER OID of the key's named curve. */
static int add_ec_params(cli_template *t, const EVP_PKEY *key)
{
    char group[64];
    unsigned char *der = NULL;
    ASN1_OBJECT *oid;
    int len, rc = -1;

    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                        sizeof(group), NULL))
        return -1;
    oid = OBJ_nid2obj(OBJ_txt2nid(group));
    len = oid != NULL ? i2d_ASN1_OBJECT(oid, &der) : -1;
    if (len > 0)
        rc = cli_template_add(t, CKA_EC_PARAMS, der, (size_t)len);
    OPENSSL_free(der);
    return rc;
}

/* CKA_EC_POINT: the uncompressed point as a DER OCTET STRING. */
static int add_ec_point(cli_template *t, const EVP_PKEY *key)
{
    unsigned char point[160], *der = NULL;
    size_t point_len;
    ASN1_OCTET_STRING *octets = ASN1_OCTET_STRING_new();
    int len = -1, rc = -1;

    if (octets != NULL &&
        EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point,
                                        sizeof(point), &point_len) &&
        ASN1_OCTET_STRING_set(octets, point, (int)point_len))
        len = i2d_ASN1_OCTET_STRING(octets, &der);
    if (len > 0)
        rc = cli_template_add(t, CKA_EC_POINT, der, (size_t)len);
    OPENSSL_free(der);
    ASN1_OCTET_STRING_free(octets);
    return rc;
}

static const struct {
    CK_ATTRIBUTE_TYPE type;
    const char *param;
} rsa_private_parts[] = {
    {CKA_MODULUS, OSSL_PKEY_PARAM_RSA_N},
    {CKA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E},
    {CKA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D},
    {CKA_PRIME_1, OSSL_PKEY_PARAM_RSA_FACTOR1},
    {CKA_PRIME_2, OSSL_PKEY_PARAM_RSA_FACTOR2},
    {CKA_EXPONENT_1, OSSL_PKEY_PARAM_RSA_EXPONENT1},
    {CKA_EXPONENT_2, OSSL_PKEY_PARAM_RSA_EXPONENT2},
    {CKA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
};

int cli_template_private_key(EVP_PKEY *key, cli_template *t)
{
    int rc = -1;

    if (EVP_PKEY_is_a(key, "RSA")) {
        rc = key_header(t, CKO_PRIVATE_KEY, CKK_RSA);
        for (size_t i = 0; rc == 0 && i < sizeof(rsa_private_parts) /
                                              sizeof(rsa_private_parts[0]);
             i++)
            rc = add_bn(t, rsa_private_parts[i].type, key,
                        rsa_private_parts[i].param, 0);
        if (rc == 0)
            rc = add_bool(t, CKA_DECRYPT);
    } else if (EVP_PKEY_is_a(key, "EC")) {
        rc = key_header(t, CKO_PRIVATE_KEY, CKK_EC);
        if (rc == 0)
            rc = add_ec_params(t, key);
        if (rc == 0)
            rc = add_bn(t, CKA_VALUE, key, OSSL_PKEY_PARAM_PRIV_KEY,
                        (EVP_PKEY_get_bits(key) + 7) / 8);
    }
    if (rc == 0)
        rc = add_bool(t, CKA_SIGN);
    ERR_clear_error();
    return rc;
}

int cli_template_public_key(EVP_PKEY *key, cli_template *t)
{
    int rc = -1;

    if (EVP_PKEY_is_a(key, "RSA")) {
        rc = key_header(t, CKO_PUBLIC_KEY, CKK_RSA);
        for (size_t i = 0; rc == 0 && i < 2; i++)
            rc = add_bn(t, rsa_private_parts[i].type, key,
                        rsa_private_parts[i].param, 0);
        if (rc == 0)
            rc = add_bool(t, CKA_ENCRYPT);
    } else if (EVP_PKEY_is_a(key, "EC")) {
        rc = key_header(t, CKO_PUBLIC_KEY, CKK_EC);
        if (rc == 0)
            rc = add_ec_params(t, key);
        if (rc == 0)
            rc = add_ec_point(t, key);
    }
    if (rc == 0)
        rc = add_bool(t, CKA_VERIFY);
    ERR_clear_error();
    return rc;
}

/* Appends the DER of a certificate part made by i2d. */
#define ADD_DER(t, type, i2d, part)                                            \
    do {                                                                       \
        unsigned char *der_ = NULL;                                            \
        int len_ = i2d(part, &der_);                                           \
        rc = len_ > 0 ? cli_template_add(t, type, der_, (size_t)len_) : -1;    \
        OPENSSL_free(der_);                                                    \
    } while (0)

int cli_template_certificate(X509 *cert, cli_template *t)
{
    int rc = add_ulong(t, CKA_CLASS, CKO_CERTIFICATE) != 0 ||
                     add_ulong(t, CKA_CERTIFICATE_TYPE, CKC_X_509) != 0 ||
                     add_bool(t, CKA_TOKEN) != 0
                 ? -1
                 : 0;

    if (rc == 0)
        ADD_DER(t, CKA_VALUE, i2d_X509, cert);
    if (rc == 0)
        ADD_DER(t, CKA_SUBJECT, i2d_X509_NAME, X509_get_subject_name(cert));
    if (rc == 0)
        ADD_DER(t, CKA_ISSUER, i2d_X509_NAME, X509_get_issuer_name(cert));
    if (rc == 0)
        ADD_DER(t, CKA_SERIAL_NUMBER, i2d_ASN1_INTEGER,
                X509_get0_serialNumber(cert));
    return rc;
}

int cli_key_id(EVP_PKEY *key, unsigned char id[20])
{
    unsigned char *der = NULL;
    int len = i2d_PUBKEY(key, &der);

    if (len <= 0)
        return -1;
    SHA1(der, (size_t)len, id);
    OPENSSL_free(der);
    return 0;
}
