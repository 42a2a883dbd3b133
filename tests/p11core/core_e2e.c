// SPDX-License-Identifier: Apache-2.0
#include "core_e2e.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "module_load.h"

CK_FUNCTION_LIST_PTR p11;
CK_SESSION_HANDLE session;
static char config_plain[512];
static char config_passphrase[512];
static char config_credential[512];

CK_BBOOL yes = CK_TRUE;

const char *test_env(const char *name)
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

int setup_plain(void **state)
{
    (void)state;
    return open_module(config_plain);
}

int setup_passphrase(void **state)
{
    (void)state;
    return open_module(config_passphrase);
}

int setup_credential(void **state)
{
    (void)state;
    return open_module(config_credential);
}

int teardown(void **state)
{
    (void)state;
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : -1;
}

void rsa_pair(const char *label, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
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

CK_ULONG find(CK_ATTRIBUTE *templ, CK_ULONG count, CK_OBJECT_HANDLE *found,
              CK_ULONG max)
{
    CK_ULONG n = 0;

    assert_int_equal(p11->C_FindObjectsInit(session, templ, count), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, found, max, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    return n;
}

CK_ULONG find_label(CK_OBJECT_CLASS object_class, const char *label,
                    CK_OBJECT_HANDLE *found)
{
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &object_class, sizeof(object_class)},
        {CKA_LABEL, (void *)label, strlen(label)},
    };

    return find(templ, 2, found, 4);
}

const char *label_for(const char *what)
{
    static char label[64];

    snprintf(label, sizeof(label), "%s-%ld", what, (long)getpid());
    return label;
}

static void write_configs(const char *dir)
{
    snprintf(config_plain, sizeof(config_plain), "%s/core-plain.json", dir);
    snprintf(config_passphrase, sizeof(config_passphrase),
             "%s/core-passphrase.json", dir);
    write_config(config_plain, test_env("P11KMIP_TEST_KEY"), "none");
    write_config(config_passphrase, test_env("P11KMIP_TEST_KEY_ENC"),
                 "key-passphrase");
    snprintf(config_credential, sizeof(config_credential),
             "%s/core-credential.json", dir);
    write_config(config_credential, test_env("P11KMIP_TEST_KEY"), "credential");
}

int core_e2e_main(int argc, char **argv, test_group every, test_group kmipd,
                  test_group pykmip)
{
    if (argc != 2)
        return 1;
    write_configs(test_env("P11KMIP_TEST_DIR"));
    unsetenv("P11KMIP_SERVER");
    p11 = module_load();
    if (p11 == NULL)
        return 1;
    return run_by_server(argv[1], every, kmipd, pykmip);
}
