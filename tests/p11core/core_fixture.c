/* SPDX-License-Identifier: Apache-2.0 */
#include "core_fixture.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

static void die(const char *what)
{
    fprintf(stderr, "fixture: %s failed\n", what);
    abort();
}

static void path(char *out, const core_fixture *f, const char *name)
{
    if (snprintf(out, FIXTURE_PATH_MAX, "%s/%s", f->dir, name) >=
        FIXTURE_PATH_MAX)
        die("path");
}

static X509 *self_signed(EVP_PKEY *key)
{
    X509 *cert = X509_new();
    X509_NAME *name = X509_NAME_new();

    if (cert == NULL || name == NULL ||
        !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    (const unsigned char *)"p11core-test", -1,
                                    -1, 0) ||
        !X509_set_version(cert, X509_VERSION_3) ||
        !ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) ||
        !X509_set_subject_name(cert, name) ||
        !X509_set_issuer_name(cert, name) ||
        !X509_gmtime_adj(X509_getm_notBefore(cert), 0) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert), 3600) ||
        !X509_set_pubkey(cert, key) || !X509_sign(cert, key, EVP_sha256()))
        die("certificate");
    X509_NAME_free(name);
    return cert;
}

static FILE *open_file(const char *file)
{
    FILE *out = fopen(file, "w");

    if (out == NULL)
        die(file);
    return out;
}

static void write_p12(const char *file, EVP_PKEY *key, X509 *cert)
{
    PKCS12 *p12 = PKCS12_create(FIXTURE_PIN, "p11core-test", key, cert, NULL, 0,
                                0, 0, 0, 0);
    FILE *out = open_file(file);

    if (p12 == NULL || i2d_PKCS12_fp(out, p12) != 1)
        die("PKCS#12");
    fclose(out);
    PKCS12_free(p12);
}

void fixture_setup(core_fixture *f)
{
    static const char *const env[] = {
        "P11KMIP_CONFIG", "P11KMIP_SERVER",       "P11KMIP_CA",
        "P11KMIP_CERT",   "P11KMIP_KEY",          "P11KMIP_LOG_FILE",
        "P11KMIP_LABEL",  "P11KMIP_KMIP_VERSION", "P11KMIP_TIMEOUT_MS",
    };
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert;
    FILE *out;

    for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++)
        unsetenv(env[i]);
    setenv("P11KMIP_LOG_LEVEL", "error", 1);
    strcpy(f->server, "127.0.0.1:1");
    strcpy(f->dir, "/tmp/p11core-test-XXXXXX");
    if (key == NULL || mkdtemp(f->dir) == NULL)
        die("setup");
    path(f->cert, f, "cert.pem");
    path(f->key, f, "key.pem");
    path(f->key_enc, f, "key-enc.pem");
    path(f->config, f, "p11kmip.json");
    path(f->p12, f, "client.p12");
    cert = self_signed(key);
    out = open_file(f->cert);
    PEM_write_X509(out, cert);
    fclose(out);
    out = open_file(f->key);
    PEM_write_PrivateKey(out, key, NULL, NULL, 0, NULL, NULL);
    fclose(out);
    out = open_file(f->key_enc);
    PEM_write_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), NULL, 0, NULL,
                              (void *)FIXTURE_PIN);
    fclose(out);
    write_p12(f->p12, key, cert);
    X509_free(cert);
    EVP_PKEY_free(key);
}

/* The client credential keys of a slot of login mode login. */
static void write_identity(FILE *out, const core_fixture *f, const char *login)
{
    if (strcmp(login, "p12") == 0)
        fprintf(out, " \"p12\": \"%s\", \"login\": \"key-passphrase\"", f->p12);
    else
        fprintf(
            out,
            " \"ca\": \"%s\", \"cert\": \"%s\", \"key\": \"%s\","
            " \"login\": \"%s\"%s",
            f->cert, f->cert,
            strcmp(login, "key-passphrase") == 0 ? f->key_enc : f->key, login,
            strcmp(login, "credential") == 0 ? ", \"username\": \"u\"" : "");
}

void fixture_config(core_fixture *f, const char *const *login, size_t n)
{
    FILE *out = open_file(f->config);

    fprintf(out, "{\"slots\": [");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s{\"label\": \"slot%zu\", \"servers\": [\"%s\"],",
                i > 0 ? ", " : "", i, f->server);
        write_identity(out, f, login[i]);
        fprintf(out, ", \"kmip_version\": \"1.4\", \"timeout_ms\": 1000}");
    }
    fprintf(out, "]}\n");
    fclose(out);
    setenv("P11KMIP_CONFIG", f->config, 1);
}

void fixture_teardown(core_fixture *f)
{
    const char *files[] = {f->cert, f->key, f->key_enc, f->config, f->p12};

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        unlink(files[i]);
    rmdir(f->dir);
}

int fixture_initialize(core_fixture *f, const char *const *login, size_t n)
{
    fixture_config(f, login, n);
    return C_Initialize(NULL) == CKR_OK ? 0 : -1;
}

int fixture_open_sessions(core_fixture *f, const char *const *login, size_t n,
                          CK_SESSION_HANDLE *rw, CK_SESSION_HANDLE *ro)
{
    if (fixture_initialize(f, login, n) != 0 ||
        C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, rw) !=
            CKR_OK ||
        C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, ro) != CKR_OK)
        return -1;
    return 0;
}

int fixture_finalize(void **state)
{
    (void)state;
    C_Finalize(NULL);
    return 0;
}

int fixture_init_none(void **state)
{
    static const char *const login[] = {"none"};

    return fixture_initialize(*state, login, 1);
}

int fixture_init_two(void **state)
{
    static const char *const login[] = {"none", "key-passphrase"};

    return fixture_initialize(*state, login, 2);
}

int fixture_init_passphrase(void **state)
{
    static const char *const login[] = {"key-passphrase"};

    return fixture_initialize(*state, login, 1);
}

CK_SESSION_HANDLE fixture_session(CK_SLOT_ID slot, CK_FLAGS flags)
{
    CK_SESSION_HANDLE session = CK_INVALID_HANDLE;

    assert_int_equal(
        C_OpenSession(slot, flags | CKF_SERIAL_SESSION, NULL, NULL, &session),
        CKR_OK);
    return session;
}

CK_STATE fixture_session_state(CK_SESSION_HANDLE session)
{
    CK_SESSION_INFO info;

    assert_int_equal(C_GetSessionInfo(session, &info), CKR_OK);
    return info.state;
}

CK_RV fixture_login(CK_SESSION_HANDLE session, const char *pin)
{
    return C_Login(session, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

CK_RV fixture_set_pin(CK_SESSION_HANDLE session, const char *old_pin,
                      const char *new_pin)
{
    return C_SetPIN(session, (CK_UTF8CHAR_PTR)old_pin, strlen(old_pin),
                    (CK_UTF8CHAR_PTR)new_pin, strlen(new_pin));
}

int fixture_run(core_fixture *f, const struct CMUnitTest *tests, size_t count)
{
    fixture_setup(f);
    int failed = _cmocka_run_group_tests("tests", tests, count, NULL, NULL);
    fixture_teardown(f);
    return failed;
}
