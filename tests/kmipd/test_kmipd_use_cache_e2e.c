// SPDX-License-Identifier: Apache-2.0
/* kmipd keeps the objects a Sign loads in memory (kmipd/object_cache.h):
 * with the cache warm, every change of the key and every date it passes
 * is seen by the next Sign. Run under integration/with_server.py --server
 * kmipd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmip/attrs.h"
#include "kmip/tags.h"

#include "e2e.h"

static const uint8_t message[] = "signed from a warm cache";

static kmip_item *sign_request(const e2e_session *s, const char *uid)
{
    kmip_crypto_args args = {
        .uid = uid,
        .params = {.present = true,
                   .digital_signature_algorithm =
                       KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA256},
        .data = {message, sizeof(message)}};
    return kmip_sign_request(s->version, &args);
}

/* Signs twice, so that the key is in kmipd's cache. */
static void sign_warm(const e2e_session *s, const char *uid)
{
    for (int i = 0; i < 2; i++)
        kmip_response_free(
            e2e_call(s->client, KMIP_OPERATION_SIGN, sign_request(s, uid)));
}

static uint32_t sign_fails(const e2e_session *s, const char *uid)
{
    return e2e_call_fails(s->client, KMIP_OPERATION_SIGN, sign_request(s, uid));
}

static void pair(const e2e_session *s, char **priv, char **pub)
{
    e2e_create_pair(s->client, KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN,
                    KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY, priv, pub);
}

static void a_revoked_then_destroyed_key_no_longer_signs(void **state)
{
    e2e_session *s = *state;
    char *priv, *pub;
    pair(s, &priv, &pub);
    sign_warm(s, priv);
    kmip_revoke_args revoke = {
        .uid = priv,
        .reason_code = KMIP_REVOCATION_REASON_CODE_CESSATION_OF_OPERATION};
    kmip_response_free(e2e_call(s->client, KMIP_OPERATION_REVOKE,
                                kmip_revoke_request(s->version, &revoke)));
    assert_int_equal(sign_fails(s, priv),
                     KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE);
    kmip_response_free(e2e_call(s->client, KMIP_OPERATION_DESTROY,
                                kmip_destroy_request(s->version, priv)));
    assert_int_equal(sign_fails(s, priv),
                     e2e_reason(s, KMIP_RESULT_REASON_OBJECT_DESTROYED,
                                KMIP_RESULT_REASON_ITEM_NOT_FOUND));
    free(priv);
    free(pub);
}

static void a_key_whose_deactivation_date_passes_stops_signing(void **state)
{
    e2e_session *s = *state;
    int64_t deactivation = time(NULL) + 2;
    kmip_item *common = e2e_key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256,
                                      KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
    assert_non_null(
        kmip_add_datetime(common, KMIP_TAG_DEACTIVATION_DATE, deactivation));
    kmip_create_key_pair_args args = {common, NULL, NULL};
    kmip_response *resp =
        e2e_call(s->client, KMIP_OPERATION_CREATE_KEY_PAIR,
                 kmip_create_key_pair_request(s->version, &args));
    kmip_item_free(common);
    kmip_create_key_pair_result created;
    assert_int_equal(
        kmip_create_key_pair_response(resp->items[0].payload, &created, NULL),
        KMIP_OK);
    e2e_activate(s->client, created.private_uid);
    sign_warm(s, created.private_uid);
    while (time(NULL) <= deactivation)
        usleep(100000);
    assert_int_equal(sign_fails(s, created.private_uid),
                     KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE);
    kmip_response_free(resp);
}

static void a_usage_mask_without_sign_stops_signing(void **state)
{
    e2e_session *s = *state;
    char *priv, *pub;
    pair(s, &priv, &pub);
    sign_warm(s, priv);
    kmip_item *attrs = kmip_attrs_new();
    const kmip_item *usage =
        kmip_attrs_add_usage_mask(attrs, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT);
    kmip_response_free(
        e2e_call(s->client, KMIP_OPERATION_MODIFY_ATTRIBUTE,
                 kmip_modify_attribute_request(s->version, priv, NULL, usage)));
    kmip_item_free(attrs);
    assert_int_equal(
        sign_fails(s, priv),
        e2e_reason(s, KMIP_RESULT_REASON_INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK,
                   KMIP_RESULT_REASON_PERMISSION_DENIED));
    free(priv);
    free(pub);
}

static void a_pre_active_key_signs_once_activated(void **state)
{
    e2e_session *s = *state;
    kmip_item *common = e2e_key_attrs(KMIP_CRYPTOGRAPHIC_ALGORITHM_EC, 256,
                                      KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN);
    kmip_create_key_pair_args args = {common, NULL, NULL};
    kmip_response *resp =
        e2e_call(s->client, KMIP_OPERATION_CREATE_KEY_PAIR,
                 kmip_create_key_pair_request(s->version, &args));
    kmip_item_free(common);
    kmip_create_key_pair_result created;
    assert_int_equal(
        kmip_create_key_pair_response(resp->items[0].payload, &created, NULL),
        KMIP_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(sign_fails(s, created.private_uid),
                         KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE);
    e2e_activate(s->client, created.private_uid);
    sign_warm(s, created.private_uid);
    kmip_response_free(resp);
}

static void another_owner_cannot_sign_with_a_cached_key(void **state)
{
    e2e_session *s = *state;
    char *priv, *pub;
    pair(s, &priv, &pub);
    sign_warm(s, priv);
    kmip_client *other = e2e_client(s->version, true);
    assert_int_equal(
        e2e_call_fails(other, KMIP_OPERATION_SIGN, sign_request(s, priv)),
        KMIP_RESULT_REASON_ITEM_NOT_FOUND);
    kmip_client_free(other);
    free(priv);
    free(pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_revoked_then_destroyed_key_no_longer_signs),
        cmocka_unit_test(a_key_whose_deactivation_date_passes_stops_signing),
        cmocka_unit_test(a_usage_mask_without_sign_stops_signing),
        cmocka_unit_test(a_pre_active_key_signs_once_activated),
        cmocka_unit_test(another_owner_cannot_sign_with_a_cached_key),
    };
    return cmocka_run_group_tests_name("KMIP 2.1", tests, e2e_setup_v2_1,
                                       e2e_teardown) +
           cmocka_run_group_tests_name("KMIP 1.4", tests, e2e_setup_v1_4,
                                       e2e_teardown);
}
