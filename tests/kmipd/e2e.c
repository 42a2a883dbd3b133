/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/x509.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "e2e.h"

static const char *env(const char *name)
{
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0')
        fail_msg("%s is not set: run under integration/with_server.py", name);
    return value;
}

kmip_client *e2e_client(kmip_version version, bool other)
{
    static const char *servers[1];
    servers[0] = env("P11KMIP_TEST_SERVER");
    kmip_client_config cfg = {
        .servers = servers,
        .server_count = 1,
        .ca_file = env("P11KMIP_TEST_CA"),
        .cert_file = env(other ? "P11KMIP_TEST_CERT_B" : "P11KMIP_TEST_CERT"),
        .key_file = env(other ? "P11KMIP_TEST_KEY_B" : "P11KMIP_TEST_KEY"),
        .timeout_ms = 20000,
        .version = version,
    };
    kmip_status status;
    kmip_client *client = kmip_client_new(&cfg, &status);
    if (client == NULL)
        fail_msg("kmip_client_new: %s", status.message);
    return client;
}

static int setup(void **state, kmip_version version)
{
    e2e_session *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return -1;
    s->version = version;
    s->client = e2e_client(version, false);
    *state = s;
    return 0;
}

int e2e_setup_v2_1(void **state)
{
    return setup(state, KMIP_VERSION(2, 1));
}

int e2e_setup_v1_4(void **state)
{
    return setup(state, KMIP_VERSION(1, 4));
}

int e2e_teardown(void **state)
{
    e2e_session *s = *state;
    kmip_client_free(s->client);
    free(s);
    return 0;
}

kmip_version e2e_version;

int e2e_setup_client_1_4(void **state)
{
    e2e_version = KMIP_VERSION(1, 4);
    *state = e2e_client(e2e_version, false);
    return 0;
}

int e2e_setup_client_negotiated(void **state)
{
    kmip_client *client = e2e_client(KMIP_VERSION(0, 0), false);
    kmip_status status;

    if (kmip_client_version(client, &e2e_version, &status) != KMIP_OK)
        fail_msg("negotiation: %s", status.message);
    *state = client;
    return 0;
}

int e2e_teardown_client(void **state)
{
    kmip_client_free(*state);
    return 0;
}

uint32_t e2e_reason(const e2e_session *s, uint32_t v2, uint32_t v1)
{
    return kmip_version_is_v2(s->version) ? v2 : v1;
}

kmip_response *e2e_call(kmip_client *client, uint32_t operation,
                        kmip_item *payload)
{
    assert_non_null(payload);
    kmip_response *resp = NULL;
    kmip_status status;
    if (kmip_client_call_one(client, operation, payload, 0, &resp, &status) !=
        KMIP_OK)
        fail_msg("operation 0x%x: %s", (unsigned)operation, status.message);
    assert_non_null(resp->items[0].payload);
    return resp;
}

uint32_t e2e_call_fails(kmip_client *client, uint32_t operation,
                        kmip_item *payload)
{
    assert_non_null(payload);
    kmip_response *resp = NULL;
    kmip_status status;
    kmip_rc rc =
        kmip_client_call_one(client, operation, payload, 0, &resp, &status);
    kmip_response_free(resp);
    if (rc != KMIP_E_RESULT)
        fail_msg("operation 0x%x did not fail with a result (rc %d)",
                 (unsigned)operation, (int)rc);
    return status.result_reason;
}

char *e2e_locate_one(kmip_client *client, const char *name,
                     uint32_t object_type)
{
    kmip_item *filter = kmip_attrs_new();
    kmip_locate_args args = {.attributes = filter};
    kmip_locate_result result;
    kmip_response *resp;
    char *uid;

    kmip_attrs_add_name(filter, name);
    kmip_attrs_add_object_type(filter, object_type);
    resp = e2e_call(client, KMIP_OPERATION_LOCATE,
                    kmip_locate_request(KMIP_VERSION(1, 4), &args));
    kmip_item_free(filter);
    assert_int_equal(
        kmip_locate_response(resp->items[0].payload, &result, NULL), KMIP_OK);
    assert_int_equal(result.uids.count, 1);
    uid = strdup((const char *)result.uids.first->v.bytes.data);
    kmip_response_free(resp);
    return uid;
}

kmip_item *e2e_key_attrs(uint32_t algorithm, int32_t bits, uint32_t usage)
{
    kmip_item *attrs = kmip_attrs_new();
    assert_non_null(attrs);
    if (algorithm != 0)
        assert_non_null(kmip_attrs_add_algorithm(attrs, algorithm));
    if (bits != 0)
        assert_non_null(kmip_attrs_add_length(attrs, bits));
    if (usage != 0)
        assert_non_null(kmip_attrs_add_usage_mask(attrs, usage));
    return attrs;
}

static kmip_version client_version(kmip_client *client)
{
    kmip_version version;
    assert_int_equal(kmip_client_version(client, &version, NULL), KMIP_OK);
    return version;
}

void e2e_activate(kmip_client *client, const char *uid)
{
    kmip_response_free(
        e2e_call(client, KMIP_OPERATION_ACTIVATE,
                 kmip_activate_request(client_version(client), uid)));
}

char *e2e_create_key(kmip_client *client, uint32_t algorithm, int32_t bits,
                     uint32_t usage, bool activate)
{
    kmip_item *attrs = e2e_key_attrs(algorithm, bits, usage);
    kmip_create_args args = {.object_type = KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                             .attributes = attrs};
    kmip_response *resp =
        e2e_call(client, KMIP_OPERATION_CREATE,
                 kmip_create_request(client_version(client), &args));
    kmip_item_free(attrs);
    kmip_create_result result;
    assert_int_equal(
        kmip_create_response(resp->items[0].payload, &result, NULL), KMIP_OK);
    char *uid = strdup(result.uid);
    kmip_response_free(resp);
    if (activate)
        e2e_activate(client, uid);
    return uid;
}

void e2e_create_pair(kmip_client *client, uint32_t algorithm, int32_t bits,
                     uint32_t private_usage, uint32_t public_usage,
                     char **private_uid, char **public_uid)
{
    kmip_item *common = e2e_key_attrs(algorithm, bits, 0);
    kmip_item *priv = e2e_key_attrs(0, 0, private_usage);
    kmip_item *pub = e2e_key_attrs(0, 0, public_usage);
    kmip_create_key_pair_args args = {common, priv, pub};
    kmip_response *resp =
        e2e_call(client, KMIP_OPERATION_CREATE_KEY_PAIR,
                 kmip_create_key_pair_request(client_version(client), &args));
    kmip_item_free(common);
    kmip_item_free(priv);
    kmip_item_free(pub);
    kmip_create_key_pair_result result;
    assert_int_equal(
        kmip_create_key_pair_response(resp->items[0].payload, &result, NULL),
        KMIP_OK);
    *private_uid = strdup(result.private_uid);
    *public_uid = strdup(result.public_uid);
    kmip_response_free(resp);
    e2e_activate(client, *private_uid);
    e2e_activate(client, *public_uid);
}

char *e2e_register(kmip_client *client, const kmip_object *object,
                   const kmip_item *attrs)
{
    kmip_item *object_item = kmip_object_build(object);
    assert_non_null(object_item);
    kmip_register_args args = {.object_type = object->object_type,
                               .attributes = attrs,
                               .object = object_item};
    kmip_response *resp =
        e2e_call(client, KMIP_OPERATION_REGISTER,
                 kmip_register_request(client_version(client), &args));
    kmip_item_free(object_item);
    kmip_register_result result;
    assert_int_equal(
        kmip_register_response(resp->items[0].payload, &result, NULL), KMIP_OK);
    char *uid = strdup(result.uid);
    kmip_response_free(resp);
    return uid;
}

EVP_PKEY *e2e_get_public_key(kmip_client *client, const char *uid)
{
    kmip_get_args args = {.uid = uid,
                          .key_format_type = KMIP_KEY_FORMAT_TYPE_X_509};
    kmip_response *resp =
        e2e_call(client, KMIP_OPERATION_GET,
                 kmip_get_request(client_version(client), &args));
    kmip_get_result result;
    assert_int_equal(kmip_get_response(resp->items[0].payload, &result, NULL),
                     KMIP_OK);
    assert_int_equal(result.object.format, KMIP_KEY_FORMAT_TYPE_X_509);
    const unsigned char *der = result.object.value.data;
    EVP_PKEY *pkey = d2i_PUBKEY(NULL, &der, (long)result.object.value.len);
    assert_non_null(pkey);
    kmip_response_free(resp);
    return pkey;
}
