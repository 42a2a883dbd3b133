/* SPDX-License-Identifier: Apache-2.0 */
/* The core of the module end to end: p11kmip-pkcs11.so loaded with dlopen,
 * configured by a JSON file this test writes, against the server that
 * with_server.py started. argv[1] names it ("kmipd" or "pykmip"). Covers
 * search, attribute rules, label changes, certificates, destruction,
 * the key-passphrase login, and fork. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <p11-kit/pkcs11.h>

#include "test_cert.h"
#include "module_load.h"

static CK_FUNCTION_LIST_PTR p11;
static CK_SESSION_HANDLE session;
static bool pykmip;
static char config_plain[512];
static char config_passphrase[512];
static char config_credential[512];

static CK_BBOOL yes = CK_TRUE;

/* ---- configuration ---- */

static const char *test_env(const char *name)
{
    const char *value = getenv(name);

    if (value == NULL) {
        fprintf(stderr, "%s is not set: run under with_server.py\n", name);
        exit(1);
    }
    return value;
}

/* Writes a one-slot configuration for the test server to path. */
static void write_config(const char *path, const char *key, const char *login)
{
    FILE *out = fopen(path, "w");

    if (out == NULL)
        exit(1);
    fprintf(out,
            "{\"slots\": [{\"label\": \"e2e\", \"servers\": [\"%s\"],"
            " \"ca\": \"%s\", \"cert\": \"%s\", \"key\": \"%s\","
            " \"login\": \"%s\", \"username\": \"client-a\","
            " \"timeout_ms\": 5000}],"
            " \"log\": {\"level\": \"error\"}}\n",
            test_env("P11KMIP_TEST_SERVER"), test_env("P11KMIP_TEST_CA"),
            test_env("P11KMIP_TEST_CERT"), key, login);
    fclose(out);
}

static int open_module(const char *config)
{
    setenv("P11KMIP_CONFIG", config, 1);
    if (p11->C_Initialize(NULL) != CKR_OK)
        return -1;
    return p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                              NULL, &session) == CKR_OK
               ? 0
               : -1;
}

static int setup_plain(void **state)
{
    (void)state;
    return open_module(config_plain);
}

static int setup_passphrase(void **state)
{
    (void)state;
    return open_module(config_passphrase);
}

static int setup_credential(void **state)
{
    (void)state;
    return open_module(config_credential);
}

static int teardown(void **state)
{
    (void)state;
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : -1;
}

/* ---- helpers ---- */

static void rsa_pair(const char *label, CK_OBJECT_HANDLE *pub,
                     CK_OBJECT_HANDLE *priv)
{
    CK_ULONG bits = 2048;
    CK_ATTRIBUTE pub_templ[] = {
        {CKA_MODULUS_BITS, &bits, sizeof(bits)},
        {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_LABEL, (void *)label, strlen(label)},
    };
    CK_ATTRIBUTE priv_templ[] = {
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_LABEL, (void *)label, strlen(label)},
    };
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};

    assert_int_equal(p11->C_GenerateKeyPair(session, &mechanism, pub_templ, 3,
                                            priv_templ, 2, pub, priv),
                     CKR_OK);
}

/* Every handle matching templ; returns how many (at most max). */
static CK_ULONG find(CK_ATTRIBUTE *templ, CK_ULONG count,
                     CK_OBJECT_HANDLE *found, CK_ULONG max)
{
    CK_ULONG n = 0;

    assert_int_equal(p11->C_FindObjectsInit(session, templ, count), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, found, max, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    return n;
}

static CK_ULONG find_label(CK_OBJECT_CLASS object_class, const char *label,
                           CK_OBJECT_HANDLE *found)
{
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &object_class, sizeof(object_class)},
        {CKA_LABEL, (void *)label, strlen(label)},
    };

    return find(templ, 2, found, 4);
}

/* A unique label per run, so that tests sharing a server do not meet. */
static const char *label_for(const char *what)
{
    static char label[64];

    snprintf(label, sizeof(label), "%s-%ld", what, (long)getpid());
    return label;
}

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

/* ---- key-passphrase login ---- */

static CK_RV login(const char *pin)
{
    return p11->C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

static void passphrase_token_works_after_login_only(void **state)
{
    const char *label = label_for("locked");
    CK_OBJECT_HANDLE pub, priv, found[4];
    CK_TOKEN_INFO token;

    (void)state;
    assert_int_equal(p11->C_GetTokenInfo(0, &token), CKR_OK);
    assert_true(token.flags & CKF_LOGIN_REQUIRED);
    assert_int_equal(find(NULL, 0, found, 4), 0);
    assert_int_equal(login("not-the-pin"), CKR_PIN_INCORRECT);
    assert_int_equal(login(test_env("P11KMIP_TEST_KEY_PASS")), CKR_OK);
    rsa_pair(label, &pub, &priv);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 1);
    assert_int_equal(p11->C_Logout(session), CKR_OK);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 0);
}

static void credential_login_is_sent_with_each_request(void **state)
{
    const char *label = label_for("credential");
    CK_OBJECT_HANDLE pub, priv, found[4];
    CK_ATTRIBUTE probe = {CKA_CLASS, NULL, 0};

    (void)state;
    assert_int_equal(p11->C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR) "pw", 2),
                     CKR_OK);
    rsa_pair(label, &pub, &priv);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 1);
    assert_int_equal(found[0], priv);
    /* After logout the keys are private objects again. */
    assert_int_equal(p11->C_Logout(session), CKR_OK);
    assert_int_equal(find_label(CKO_PRIVATE_KEY, label, found), 0);
    assert_int_equal(find_label(CKO_PUBLIC_KEY, label, found), 1);
    assert_int_equal(p11->C_GetAttributeValue(session, priv, &probe, 1),
                     CKR_USER_NOT_LOGGED_IN);
}

/* ---- threads ---- */

#define THREADS 8
#define THREAD_SECONDS 3

/* Sessions opened, searched, read and closed in a loop: 0, or the first
 * CK_RV that was not CKR_OK. */
static void *search_loop(void *arg)
{
    const char *label = arg;
    time_t end = time(NULL) + THREAD_SECONDS;
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &priv_class, sizeof(priv_class)},
                            {CKA_LABEL, (void *)label, strlen(label)}};
    CK_RV rv = CKR_OK;

    while (rv == CKR_OK && time(NULL) < end) {
        CK_SESSION_HANDLE own;
        CK_OBJECT_HANDLE key;
        CK_ULONG n = 0;
        CK_ATTRIBUTE read = {CKA_LABEL, NULL, 0};

        rv = p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &own);
        if (rv != CKR_OK)
            break;
        rv = p11->C_FindObjectsInit(own, templ, 2);
        if (rv == CKR_OK)
            rv = p11->C_FindObjects(own, &key, 1, &n);
        if (rv == CKR_OK)
            rv = p11->C_FindObjectsFinal(own);
        if (rv == CKR_OK && n != 1)
            rv = CKR_GENERAL_ERROR;
        if (rv == CKR_OK)
            rv = p11->C_GetAttributeValue(own, key, &read, 1);
        if (rv == CKR_OK && read.ulValueLen != strlen(label))
            rv = CKR_GENERAL_ERROR;
        if (rv == CKR_OK)
            rv = p11->C_CloseSession(own);
    }
    return (void *)(uintptr_t)rv;
}

static void threads_search_and_read_at_once(void **state)
{
    const char *label = label_for("threads");
    CK_OBJECT_HANDLE pub, priv;
    pthread_t threads[THREADS];

    (void)state;
    rsa_pair(label, &pub, &priv);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(
            pthread_create(&threads[i], NULL, search_loop, (void *)label), 0);
    void *results[THREADS];

    /* Every thread ends before anything is checked (and the module is
     * finalized). */
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], &results[i]), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal((uintptr_t)results[i], CKR_OK);
}

/* ---- fork ---- */

/* In a child: initialize again, find the key by label and sign. */
static int child_signs(const char *label)
{
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &priv_class, sizeof(priv_class)},
                            {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE key;
    CK_ULONG n = 0;
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);

    alarm(60); /* a hang fails the test instead of stalling it */
    if (p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session) !=
        CKR_CRYPTOKI_NOT_INITIALIZED)
        return 1;
    if (p11->C_Initialize(NULL) != CKR_OK ||
        p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session) !=
            CKR_OK)
        return 2;
    if (p11->C_FindObjectsInit(session, templ, 2) != CKR_OK ||
        p11->C_FindObjects(session, &key, 1, &n) != CKR_OK || n != 1 ||
        p11->C_FindObjectsFinal(session) != CKR_OK)
        return 3;
    if (p11->C_SignInit(session, &mechanism, key) != CKR_OK ||
        p11->C_Sign(session, (CK_BYTE_PTR) "fork", 4, signature,
                    &signature_len) != CKR_OK)
        return 4;
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : 5;
}

static void children_sign_after_the_parent_signed(void **state)
{
    const char *label = label_for("fork");
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_OBJECT_HANDLE pub, priv;
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    pid_t children[2];

    (void)state;
    rsa_pair(label, &pub, &priv);
    assert_int_equal(p11->C_SignInit(session, &mechanism, priv), CKR_OK);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR) "parent", 6, signature,
                                 &signature_len),
                     CKR_OK);
    for (int i = 0; i < 2; i++) {
        children[i] = fork();
        if (children[i] == 0)
            _exit(child_signs(label));
        assert_true(children[i] > 0);
    }
    for (int i = 0; i < 2; i++) {
        int status;

        assert_int_equal(waitpid(children[i], &status, 0), children[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    /* The parent's connections still work. */
    signature_len = sizeof(signature);
    assert_int_equal(p11->C_SignInit(session, &mechanism, priv), CKR_OK);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR) "again", 5, signature,
                                 &signature_len),
                     CKR_OK);
}

#define PLAIN(test) cmocka_unit_test_setup_teardown(test, setup_plain, teardown)
#define LOCKED(test)                                                           \
    cmocka_unit_test_setup_teardown(test, setup_passphrase, teardown)

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
        LOCKED(passphrase_token_works_after_login_only),
        cmocka_unit_test_setup_teardown(
            credential_login_is_sent_with_each_request, setup_credential,
            teardown),
        PLAIN(children_sign_after_the_parent_signed),
        PLAIN(threads_search_and_read_at_once),
    };
    const struct CMUnitTest kmipd_only[] = {
        PLAIN(id_is_stored_in_the_custom_attribute),
        PLAIN(ec_key_pair_halves_share_the_point),
    };
    const struct CMUnitTest pykmip_only[] = {
        PLAIN(refused_request_sets_the_device_error),
    };
    const char *dir = test_env("P11KMIP_TEST_DIR");
    int failed;

    if (argc != 2)
        return 1;
    pykmip = strcmp(argv[1], "pykmip") == 0;
    snprintf(config_plain, sizeof(config_plain), "%s/core-plain.json", dir);
    snprintf(config_passphrase, sizeof(config_passphrase),
             "%s/core-passphrase.json", dir);
    write_config(config_plain, test_env("P11KMIP_TEST_KEY"), "none");
    write_config(config_passphrase, test_env("P11KMIP_TEST_KEY_ENC"),
                 "key-passphrase");
    snprintf(config_credential, sizeof(config_credential),
             "%s/core-credential.json", dir);
    write_config(config_credential, test_env("P11KMIP_TEST_KEY"), "credential");
    unsetenv("P11KMIP_SERVER");
    p11 = module_load();
    if (p11 == NULL)
        return 1;
    failed =
        cmocka_run_group_tests_name("every server", every_server, NULL, NULL);
    if (pykmip)
        failed +=
            cmocka_run_group_tests_name("pykmip", pykmip_only, NULL, NULL);
    else
        failed += cmocka_run_group_tests_name("kmipd", kmipd_only, NULL, NULL);
    return failed;
}
