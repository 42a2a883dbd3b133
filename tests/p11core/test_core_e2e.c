// SPDX-License-Identifier: Apache-2.0
/* The core of the module end to end (core_e2e.h) against the server
 * with_server.py started, argv[1] naming it ("kmipd" or "pykmip"): search,
 * attribute rules, label changes, certificates, data objects, imports,
 * destruction; CKA_ID and EC on kmipd, refusals in ulDeviceError on
 * PyKMIP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core_e2e.h"
#include "test_cert.h"

/* ---- search and attributes ---- */

static void search_by_class_and_label_finds_the_key(void **state)
{
    const char *label = label_for("find");
    CK_OBJECT_HANDLE pub, priv, found[4];

    (void)state;
    rsa_pair(label, &pub, &priv);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 1);
    assert_int_equal(found[0], priv);
    assert_int_equal(find_label(CKO_PUBLIC_KEY, label, found), 1);
    assert_int_equal(found[0], pub);
    assert_int_equal(find_label(CKO_SECRET_KEY, label, found), 0);
}

static void attribute_reads_follow_pkcs11(void **state)
{
    const char *label = label_for("attrs");
    CK_OBJECT_HANDLE pub, priv;
    CK_OBJECT_CLASS object_class = 0;
    char small[4];
    uint8_t value[8];
    uint8_t modulus[512];
    CK_ATTRIBUTE probe = {CKA_LABEL, NULL, 0};
    CK_ATTRIBUTE mixed[] = {
        {CKA_CLASS, &object_class, sizeof(object_class)},
        {CKA_VALUE, value, sizeof(value)},
        {CKA_LABEL, small, sizeof(small)},
    };
    CK_ATTRIBUTE public_modulus = {CKA_MODULUS, modulus, sizeof(modulus)};

    (void)state;
    rsa_pair(label, &pub, &priv);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &probe, 1),
                     CKR_OK);
    assert_int_equal(probe.ulValueLen, strlen(label));
    /* Every entry is answered; the call reports an error of them. */
    assert_int_not_equal(p11->C_GetAttributeValue(session, priv, mixed, 3),
                         CKR_OK);
    assert_int_equal(object_class, CKO_PRIVATE_KEY);
    assert_int_equal(mixed[0].ulValueLen, sizeof(object_class));
    assert_int_equal(mixed[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(mixed[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    mixed[2].ulValueLen = sizeof(small);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &mixed[1], 1),
                     CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &mixed[2], 1),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(p11->C_GetAttributeValue(session, pub, &public_modulus, 1),
                     CKR_OK);
    assert_int_equal(public_modulus.ulValueLen, 256);
}

static void handles_stay_the_same_across_searches(void **state)
{
    const char *label = label_for("stable");
    CK_OBJECT_HANDLE pub, priv, first[4], second[4];

    (void)state;
    rsa_pair(label, &pub, &priv);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, first), 1);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, second), 1);
    assert_int_equal(first[0], second[0]);
}

static void new_label_is_stored_and_found(void **state)
{
    const char *label = label_for("relabel");
    char renamed[80];
    CK_OBJECT_HANDLE pub, priv, found[4];
    CK_ATTRIBUTE change;

    (void)state;
    snprintf(renamed, sizeof(renamed), "%s-new", label);
    rsa_pair(label, &pub, &priv);
    change = (CK_ATTRIBUTE){CKA_LABEL, renamed, strlen(renamed)};
    assert_int_equal(p11->C_SetAttributeValue(session, priv, &change, 1),
                     CKR_OK);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, renamed, found), 1);
    assert_int_equal(found[0], priv);
    change = (CK_ATTRIBUTE){CKA_SIGN, &yes, sizeof(yes)};
    assert_int_equal(p11->C_SetAttributeValue(session, priv, &change, 1),
                     CKR_ATTRIBUTE_READ_ONLY);
}

static void destroyed_key_is_gone(void **state)
{
    const char *label = label_for("destroy");
    CK_OBJECT_HANDLE pub, priv, found[4];
    CK_ATTRIBUTE probe = {CKA_CLASS, NULL, 0};

    (void)state;
    rsa_pair(label, &pub, &priv);
    assert_int_equal(p11->C_DestroyObject(session, priv), CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &probe, 1),
                     CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 0);
    assert_int_equal(p11->C_DestroyObject(session, pub), CKR_OK);
    assert_int_equal(find_label(CKO_PUBLIC_KEY, label, found), 0);
}

/* ---- certificates ---- */

static void certificate_is_registered_and_read_back(void **state)
{
    const char *label = label_for("cert");
    CK_OBJECT_CLASS cert_class = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    uint8_t *der;
    int der_len = test_self_signed_cert("core-e2e", &der);
    uint8_t back[2048];
    uint8_t subject[256];
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &cert_class, sizeof(cert_class)},
        {CKA_CERTIFICATE_TYPE, &x509, sizeof(x509)},
        {CKA_VALUE, der, (CK_ULONG)der_len},
        {CKA_LABEL, (void *)label, strlen(label)},
    };
    CK_ATTRIBUTE read[] = {
        {CKA_VALUE, back, sizeof(back)},
        {CKA_SUBJECT, subject, sizeof(subject)},
    };
    CK_OBJECT_HANDLE cert, found[4];
    CK_ULONG size = 0;

    (void)state;
    assert_true(der_len > 0);
    assert_int_equal(p11->C_CreateObject(session, templ, 4, &cert), CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(session, cert, read, 2), CKR_OK);
    assert_int_equal(read[0].ulValueLen, der_len);
    assert_memory_equal(back, der, (size_t)der_len);
    assert_true(read[1].ulValueLen > 0);
    assert_int_equal(p11->C_GetObjectSize(session, cert, &size), CKR_OK);
    assert_int_equal(size, der_len);
    assert_int_equal(find_label(CKO_CERTIFICATE, label, found), 1);
    assert_int_equal(found[0], cert);
    assert_int_equal(p11->C_DestroyObject(session, cert), CKR_OK);
    OPENSSL_free(der);
}

/* ---- imports ---- */

static void data_object_is_registered_and_read_back(void **state)
{
    const char *label = label_for("data");
    CK_OBJECT_CLASS data_class = CKO_DATA;
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &data_class, sizeof(data_class)},
        {CKA_VALUE, "hello", 5},
        {CKA_LABEL, (void *)label, strlen(label)},
    };
    char back[16];
    CK_ATTRIBUTE read = {CKA_VALUE, back, sizeof(back)};
    CK_OBJECT_HANDLE data;
    CK_ULONG size = 0;

    (void)state;
    assert_int_equal(p11->C_CreateObject(session, templ, 3, &data), CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(session, data, &read, 1), CKR_OK);
    assert_int_equal(read.ulValueLen, 5);
    assert_memory_equal(back, "hello", 5);
    assert_int_equal(p11->C_GetObjectSize(session, data, &size), CKR_OK);
    assert_int_equal(size, 5);
}

/* Big-endian bytes of an RSA key parameter into out (sized). */
static CK_ULONG rsa_part(EVP_PKEY *key, const char *name, uint8_t *out,
                         size_t size)
{
    BIGNUM *bn = NULL;
    int len;

    assert_true(EVP_PKEY_get_bn_param(key, name, &bn));
    len = BN_bn2bin(bn, out);
    assert_true(len > 0 && (size_t)len <= size);
    BN_clear_free(bn);
    return (CK_ULONG)len;
}

static void imported_rsa_key_signs_for_its_owner(void **state)
{
    const char *label = label_for("import");
    EVP_PKEY *key = EVP_RSA_gen(2048);
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_KEY_TYPE rsa = CKK_RSA;
    uint8_t parts[8][256];
    static const char *const names[8] = {
        OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
        OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
        OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
    };
    static const CK_ATTRIBUTE_TYPE types[8] = {
        CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
        CKA_PRIME_2, CKA_EXPONENT_1,      CKA_EXPONENT_2,       CKA_COEFFICIENT,
    };
    CK_ATTRIBUTE templ[12] = {
        {CKA_CLASS, &priv_class, sizeof(priv_class)},
        {CKA_KEY_TYPE, &rsa, sizeof(rsa)},
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_LABEL, (void *)label, strlen(label)},
    };
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_OBJECT_HANDLE imported;
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    EVP_MD_CTX *md = EVP_MD_CTX_new();

    (void)state;
    for (int i = 0; i < 8; i++) {
        templ[4 + i].type = types[i];
        templ[4 + i].pValue = parts[i];
        templ[4 + i].ulValueLen =
            rsa_part(key, names[i], parts[i], sizeof(parts[i]));
    }
    assert_int_equal(p11->C_CreateObject(session, templ, 12, &imported),
                     CKR_OK);
    assert_int_equal(p11->C_SignInit(session, &mechanism, imported), CKR_OK);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR) "imported", 8,
                                 signature, &signature_len),
                     CKR_OK);
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key),
                     1);
    assert_int_equal(EVP_DigestVerify(md, signature, signature_len,
                                      (const unsigned char *)"imported", 8),
                     1);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
}

/* ---- kmipd only: custom CKA_ID, EC ---- */

static void id_is_stored_in_the_custom_attribute(void **state)
{
    CK_BYTE id[] = {0xc0, 0xff, 0xee};
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_ULONG bits = 2048;
    CK_ATTRIBUTE pub_templ[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                                {CKA_ID, id, sizeof(id)}};
    CK_ATTRIBUTE priv_templ[] = {{CKA_ID, id, sizeof(id)}};
    CK_ATTRIBUTE by_id[] = {{CKA_CLASS, &priv_class, sizeof(priv_class)},
                            {CKA_ID, id, sizeof(id)}};
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE pub, priv, found[4];

    (void)state;
    assert_int_equal(p11->C_GenerateKeyPair(session, &mechanism, pub_templ, 2,
                                            priv_templ, 1, &pub, &priv),
                     CKR_OK);
    assert_int_equal(find(by_id, 2, found, 4), 1);
    assert_int_equal(found[0], priv);
}

static void ec_key_pair_halves_share_the_point(void **state)
{
    CK_BYTE p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    CK_ATTRIBUTE pub_templ[] = {{CKA_EC_PARAMS, p384, sizeof(p384)}};
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_OBJECT_HANDLE pub, priv;
    uint8_t pub_point[128], priv_point[128];
    CK_ATTRIBUTE a = {CKA_EC_POINT, pub_point, sizeof(pub_point)};
    CK_ATTRIBUTE b = {CKA_EC_POINT, priv_point, sizeof(priv_point)};

    (void)state;
    assert_int_equal(p11->C_GenerateKeyPair(session, &mechanism, pub_templ, 1,
                                            NULL, 0, &pub, &priv),
                     CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(session, pub, &a, 1), CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &b, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, 2 + 97);
    assert_int_equal(a.ulValueLen, b.ulValueLen);
    assert_memory_equal(pub_point, priv_point, a.ulValueLen);
}

/* ---- PyKMIP only: what it refuses shows in ulDeviceError ---- */

static void refused_request_sets_the_device_error(void **state)
{
    const char *label = label_for("deverr");
    CK_BYTE id[] = {1};
    CK_ATTRIBUTE change = {CKA_ID, id, sizeof(id)};
    CK_OBJECT_HANDLE pub, priv;
    CK_SESSION_INFO info;

    (void)state;
    rsa_pair(label, &pub, &priv);
    /* PyKMIP stores no custom attribute. */
    assert_int_not_equal(p11->C_SetAttributeValue(session, priv, &change, 1),
                         CKR_OK);
    assert_int_equal(p11->C_GetSessionInfo(session, &info), CKR_OK);
    assert_int_not_equal(info.ulDeviceError, 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        PLAIN(search_by_class_and_label_finds_the_key),
        PLAIN(attribute_reads_follow_pkcs11),
        PLAIN(handles_stay_the_same_across_searches),
        PLAIN(new_label_is_stored_and_found),
        PLAIN(destroyed_key_is_gone),
        PLAIN(certificate_is_registered_and_read_back),
        PLAIN(data_object_is_registered_and_read_back),
        PLAIN(imported_rsa_key_signs_for_its_owner),
    };
    const struct CMUnitTest kmipd_only[] = {
        PLAIN(id_is_stored_in_the_custom_attribute),
        PLAIN(ec_key_pair_halves_share_the_point),
    };
    const struct CMUnitTest pykmip_only[] = {
        PLAIN(refused_request_sets_the_device_error),
    };

    return core_e2e_main(argc, argv, TEST_GROUP(every_server),
                         TEST_GROUP(kmipd_only), TEST_GROUP(pykmip_only));
}
