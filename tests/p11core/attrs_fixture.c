// SPDX-License-Identifier: Apache-2.0
#include "attrs_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e.h"
#include "kmip/attrs.h"
#include "kmip/tags.h"
#include "module_load.h"

CK_FUNCTION_LIST_PTR p11;
CK_SESSION_HANDLE session;
kmip_client *plain;
bool pykmip;

CK_BBOOL yes = CK_TRUE;
CK_BBOOL no = CK_FALSE;

int setup(void **state)
{
    (void)state;
    if (p11->C_Initialize(NULL) != CKR_OK ||
        p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
                           &session) != CKR_OK)
        return -1;
    /* PyKMIP's 2.0 is partial: both speak 1.4. */
    plain = e2e_client(KMIP_VERSION(1, 4), false);
    return 0;
}

int teardown(void **state)
{
    (void)state;
    kmip_client_free(plain);
    return p11->C_Finalize(NULL) == CKR_OK ? 0 : -1;
}

const char *new_label(void)
{
    static char label[64];
    static unsigned count;

    snprintf(label, sizeof(label), "attrs-%ld-%u", (long)getpid(), ++count);
    return label;
}

char *uid_of(CK_OBJECT_HANDLE key)
{
    static char uid[128];
    char label[64] = {0};
    CK_OBJECT_CLASS object_class;
    CK_ATTRIBUTE read[] = {{CKA_LABEL, label, sizeof(label) - 1},
                           {CKA_CLASS, &object_class, sizeof(object_class)}};
    char *located;

    assert_int_equal(p11->C_GetAttributeValue(session, key, read, 2), CKR_OK);
    if (label[0] == '\0') { /* a secret key of a plain client: CKA_ID */
        CK_ATTRIBUTE id = {CKA_ID, uid, sizeof(uid) - 1};

        assert_int_equal(p11->C_GetAttributeValue(session, key, &id, 1),
                         CKR_OK);
        uid[id.ulValueLen] = '\0';
        return uid;
    }
    located = e2e_locate_one(
        plain, label,
        object_class == CKO_PUBLIC_KEY    ? KMIP_OBJECT_TYPE_PUBLIC_KEY
        : object_class == CKO_PRIVATE_KEY ? KMIP_OBJECT_TYPE_PRIVATE_KEY
                                          : KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    snprintf(uid, sizeof(uid), "%s", located);
    free(located);
    return uid;
}

kmip_item *server_attrs(const char *uid, const uint32_t *tags, size_t n)
{
    kmip_response *resp = e2e_call(
        plain, KMIP_OPERATION_GET_ATTRIBUTES,
        kmip_get_attributes_request(KMIP_VERSION(1, 4), uid, tags, n, NULL, 0));
    kmip_get_attributes_result result;
    kmip_item *attrs = NULL;

    assert_int_equal(
        kmip_get_attributes_response(resp->items[0].payload, &result, NULL),
        KMIP_OK);
    assert_int_equal(kmip_attrs_decode(result.attributes, &attrs, NULL),
                     KMIP_OK);
    kmip_response_free(resp);
    return attrs;
}

CK_OBJECT_HANDLE find_by_id(CK_OBJECT_CLASS object_class, const char *id)
{
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &object_class, sizeof(object_class)},
                            {CKA_ID, (void *)id, strlen(id)}};
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_ULONG n = 0;

    assert_int_equal(p11->C_FindObjectsInit(session, templ, 2), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, &found, 1, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    return n == 1 ? found : CK_INVALID_HANDLE;
}

CK_OBJECT_HANDLE aes_key(CK_ATTRIBUTE *extra, CK_ULONG n)
{
    CK_ULONG len = 16;
    const char *label = new_label();
    CK_ATTRIBUTE templ[10] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                              {CKA_LABEL, (void *)label, strlen(label)}};
    CK_MECHANISM mechanism = {CKM_AES_KEY_GEN, NULL, 0};
    CK_OBJECT_HANDLE key;

    assert_true(n < 9);
    if (n > 0)
        memcpy(&templ[2], extra, n * sizeof(*extra));
    assert_int_equal(
        p11->C_GenerateKey(session, &mechanism, templ, n + 2, &key), CKR_OK);
    return key;
}

int attrs_main(int argc, char **argv, test_group every, test_group kmipd,
               test_group pykmip_only)
{
    if (argc != 2)
        return 1;
    pykmip = strcmp(argv[1], "pykmip") == 0;
    p11 = module_load_one_slot("attrs");
    if (p11 == NULL)
        return 1;
    return run_by_server(argv[1], every, kmipd, pykmip_only);
}
