/* SPDX-License-Identifier: Apache-2.0 */
/* Local EC keys: what the provider's ephemeral EC key manager (the key
 * manager its TLS groups name, EPHEMERAL) makes for libssl's ephemeral
 * ECDHE keys. They are made and used in memory: the token has no new
 * object, no call about them reaches the module (P11KMIP_PROVIDER_DEBUG
 * traces every call to stderr, here a file), and their ECDH secrets are
 * OpenSSL's. The steps are the ones libssl takes as a server preferring
 * the provider. An "EC" key pair asked for with a group alone goes to the
 * token. Runs under test_evp_ops.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/store.h>

#include "token_keys.h"

#define PROVIDER "provider=p11kmip"
#define TRACE "local-keys-trace.txt"
/* The algorithm of the provider's TLS groups (P11PROV_EC_EPHEMERAL). */
#define EPHEMERAL "P11KMIP-EC-EPHEMERAL"

/* The number of objects the store lists on the test token. */
static size_t token_objects(void)
{
    char location[256];
    OSSL_STORE_CTX *store;
    size_t count = 0;

    snprintf(location, sizeof(location), "pkcs11:%s",
             getenv("P11KMIP_TEST_TOKEN_ATTR"));
    store = OSSL_STORE_open(location, NULL, NULL, NULL, NULL);
    assert_non_null(store);
    while (!OSSL_STORE_eof(store)) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(store);

        count += info != NULL;
        OSSL_STORE_INFO_free(info);
    }
    OSSL_STORE_close(store);
    return count;
}

/* The size of the trace so far. */
static long trace_size(void)
{
    fflush(stderr);
    return ftell(stderr);
}

/* Whether the trace holds a line with call after offset. */
static int called_since(long offset, const char *call)
{
    FILE *trace = fopen(TRACE, "r");
    char line[512];
    int found = 0;

    fflush(stderr);
    assert_non_null(trace);
    assert_int_equal(fseek(trace, offset, SEEK_SET), 0);
    while (!found && fgets(line, sizeof(line), trace) != NULL)
        found = strstr(line, call) != NULL;
    fclose(trace);
    return found;
}

/* Fails unless the trace holds no module call after offset. */
static void no_call_since(long offset)
{
    if (called_since(offset, " C_"))
        fail_msg("a local key reached the module");
}

/* Expects the last error's text to hold text. */
static void expect_error(const char *text)
{
    const char *data = NULL;
    int flags = 0;

    ERR_peek_last_error_data(&data, &flags);
    assert_non_null(data);
    if (strstr(data, text) == NULL)
        fail_msg("no \"%s\" in \"%s\"", text, data);
    ERR_clear_error();
}

/* A key of algorithm and curve made by the provider: a pair, or a group
 * alone. */
static EVP_PKEY *generate(const char *algorithm, const char *curve, int pair)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, algorithm, PROVIDER);
    EVP_PKEY *key = NULL;

    assert_non_null(ctx);
    assert_int_equal(
        pair ? EVP_PKEY_keygen_init(ctx) : EVP_PKEY_paramgen_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_group_name(ctx, curve), 1);
    assert_int_equal(EVP_PKEY_generate(ctx, &key), 1);
    assert_string_equal(OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(key)),
                        "p11kmip");
    EVP_PKEY_CTX_free(ctx);
    return key;
}

/* key's ECDH secret with peer, fetched with propq, into secret (66 bytes
 * at most); its length. */
static size_t derive(EVP_PKEY *key, EVP_PKEY *peer, const char *propq,
                     unsigned char *secret)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, propq);
    size_t len = 66;

    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_derive_init(ctx), 1);
    assert_int_equal(EVP_PKEY_derive_set_peer(ctx, peer), 1);
    assert_int_equal(EVP_PKEY_derive(ctx, secret, &len), 1);
    EVP_PKEY_CTX_free(ctx);
    return len;
}

/* The public key of key, as OpenSSL's default provider holds it. */
static EVP_PKEY *default_public(EVP_PKEY *key)
{
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx =
        EVP_PKEY_CTX_new_from_name(NULL, "EC", "provider=default");
    EVP_PKEY *pub = NULL;

    assert_int_equal(EVP_PKEY_todata(key, EVP_PKEY_PUBLIC_KEY, &params), 1);
    assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(ctx, &pub, EVP_PKEY_PUBLIC_KEY, params),
                     1);
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(ctx);
    return pub;
}

/* Checks that ours (a local pair) derives with the default provider's
 * peer the secret the peer derives with ours' public key. */
static void check_secret(EVP_PKEY *ours, EVP_PKEY *peer_pub, EVP_PKEY *peer)
{
    unsigned char secret[66], expected[66];
    EVP_PKEY *ours_pub = default_public(ours);
    size_t len = derive(ours, peer_pub, PROVIDER, secret);

    assert_int_equal(derive(peer, ours_pub, "provider=default", expected), len);
    assert_memory_equal(secret, expected, len);
    EVP_PKEY_free(ours_pub);
}

static void test_an_ephemeral_key_is_made_in_memory(void **state)
{
    size_t before = token_objects();
    long offset = trace_size();
    EVP_PKEY *key = generate(EPHEMERAL, "P-256", 1);
    unsigned char point[133];
    size_t point_len = 0;

    (void)state;
    assert_int_equal(
        EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                        point, sizeof(point), &point_len),
        1);
    assert_int_equal(point_len, 65);
    no_call_since(offset);
    assert_int_equal(token_objects(), before);
    EVP_PKEY_free(key);
}

/* genpkey's "EC" pair with a group alone: on the token, private and
 * public key. */
static void test_an_ec_pair_with_only_a_group_goes_to_the_token(void **state)
{
    size_t before = token_objects();
    long offset = trace_size();
    EVP_PKEY *key = generate("EC", "P-256", 1);

    (void)state;
    assert_true(called_since(offset, "C_GenerateKeyPair"));
    assert_int_equal(token_objects(), before + 2);
    EVP_PKEY_free(key);
}

/* TLS 1.2: the client's point on a copy of the server key's group
 * (EVP_PKEY_copy_parameters, EVP_PKEY_set1_encoded_public_key). */
static void test_tls12_steps_derive_openssls_secret(void **state)
{
    const char *curves[] = {"P-256", "P-384", "P-521"};

    (void)state;
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
        EVP_PKEY *peer =
            EVP_PKEY_Q_keygen(NULL, "provider=default", "EC", curves[i]);
        long offset = trace_size();
        EVP_PKEY *server = generate(EPHEMERAL, curves[i], 1);
        EVP_PKEY *client = EVP_PKEY_new();
        unsigned char *point = NULL;
        size_t point_len = EVP_PKEY_get1_encoded_public_key(peer, &point);

        assert_int_equal(EVP_PKEY_copy_parameters(client, server), 1);
        assert_int_equal(
            EVP_PKEY_set1_encoded_public_key(client, point, point_len), 1);
        check_secret(server, client, peer);
        no_call_since(offset);
        OPENSSL_free(point);
        EVP_PKEY_free(peer);
        EVP_PKEY_free(server);
        EVP_PKEY_free(client);
    }
}

/* TLS 1.3: the client's key share on a group made alone, the server's key
 * made with it as template. */
static void test_tls13_steps_derive_openssls_secret(void **state)
{
    EVP_PKEY *peer = EVP_PKEY_Q_keygen(NULL, "provider=default", "EC", "P-384");
    long offset = trace_size();
    EVP_PKEY *client = generate(EPHEMERAL, "P-384", 0), *server = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, client, PROVIDER);
    unsigned char *point = NULL;
    size_t point_len = EVP_PKEY_get1_encoded_public_key(peer, &point);

    (void)state;
    assert_int_equal(EVP_PKEY_set1_encoded_public_key(client, point, point_len),
                     1);
    assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
    assert_int_equal(EVP_PKEY_keygen(ctx, &server), 1);
    assert_int_equal(EVP_PKEY_get_bits(server), 384);
    check_secret(server, client, peer);
    no_call_since(offset);
    OPENSSL_free(point);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
    EVP_PKEY_free(client);
    EVP_PKEY_free(server);
}

/* A point not on the curve is refused, as OpenSSL refuses it. */
static void test_a_point_off_the_curve_is_refused(void **state)
{
    EVP_PKEY *server = generate(EPHEMERAL, "P-256", 1);
    EVP_PKEY *client = EVP_PKEY_new();
    unsigned char point[65] = {0x04, 1, 2, 3};

    (void)state;
    assert_int_equal(EVP_PKEY_copy_parameters(client, server), 1);
    assert_int_not_equal(
        EVP_PKEY_set1_encoded_public_key(client, point, sizeof(point)), 1);
    ERR_clear_error();
    EVP_PKEY_free(server);
    EVP_PKEY_free(client);
}

/* A token key keeps its point; an ephemeral key signs nothing: its key
 * manager names no signature. */
static void test_token_keys_keep_their_point(void **state)
{
    EVP_PKEY *token = load("p256", "private");
    EVP_PKEY *local = generate(EPHEMERAL, "P-256", 1);
    unsigned char point[65] = {0x04};
    EVP_MD_CTX *md = EVP_MD_CTX_new();

    (void)state;
    assert_int_not_equal(
        EVP_PKEY_set1_encoded_public_key(token, point, sizeof(point)), 1);
    expect_error("only a public key in memory takes a new point");
    assert_int_not_equal(
        EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, PROVIDER, local, NULL),
        1);
    ERR_clear_error();
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(token);
    EVP_PKEY_free(local);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_ephemeral_key_is_made_in_memory),
        cmocka_unit_test(test_an_ec_pair_with_only_a_group_goes_to_the_token),
        cmocka_unit_test(test_tls12_steps_derive_openssls_secret),
        cmocka_unit_test(test_tls13_steps_derive_openssls_secret),
        cmocka_unit_test(test_a_point_off_the_curve_is_refused),
        cmocka_unit_test(test_token_keys_keep_their_point),
    };

    /* The provider reads P11KMIP_PROVIDER_DEBUG when it is loaded, on
     * the first OpenSSL call; cmocka reports on stdout. */
    setenv("P11KMIP_PROVIDER_DEBUG", "1", 1);
    if (freopen(TRACE, "w", stderr) == NULL)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
