/* SPDX-License-Identifier: Apache-2.0 */
/* p11core on its own: what an answer means (errors.c: the Result Reason
 * table, transport failures, refusals, the text of a failure) and the
 * facts a server learns (server.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmip/tags.h"
#include "core.h"

static p11_reply reply_to(uint32_t reason)
{
    kmip_status status = {.rc = KMIP_E_RESULT, .result_reason = reason};

    return p11_reply_of(KMIP_E_RESULT, &status);
}

static void reasons_map_through_the_table(void **state)
{
    (void)state;
    assert_int_equal(reply_to(KMIP_RESULT_REASON_ITEM_NOT_FOUND).rv,
                     CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(
        reply_to(KMIP_RESULT_REASON_AUTHENTICATION_NOT_SUCCESSFUL).rv,
        CKR_PIN_INCORRECT);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_PERMISSION_DENIED).rv,
                     CKR_ACTION_PROHIBITED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE).rv,
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_INVALID_FIELD).reason,
                     KMIP_RESULT_REASON_INVALID_FIELD);
}

static void unknown_reason_is_a_server_failure(void **state)
{
    (void)state;
    p11_reply reply = reply_to(0x7777);

    assert_int_equal(reply.rv, CKR_DEVICE_ERROR);
    assert_int_equal(reply.answer, P11_ANSWER_SERVER_FAILURE);
    assert_int_equal(reply.reason, 0x7777);
}

static void transport_failures_are_device_errors(void **state)
{
    kmip_status status = {.rc = KMIP_E_TIMEOUT};

    (void)state;
    assert_int_equal(p11_reply_of(KMIP_E_TIMEOUT, &status).rv,
                     CKR_DEVICE_ERROR);
    assert_int_equal(p11_classify(KMIP_E_TIMEOUT, &status),
                     P11_ANSWER_TRANSPORT);
    assert_int_equal(p11_classify(KMIP_E_TLS, &status), P11_ANSWER_TRANSPORT);
    assert_int_equal(p11_reply_of(KMIP_E_TRANSPORT, &status).reason, 0);
    assert_int_equal(p11_reply_of(KMIP_E_NOMEM, &status).rv, CKR_HOST_MEMORY);
    assert_int_equal(p11_classify(KMIP_E_DECODE, &status),
                     P11_ANSWER_SERVER_FAILURE);
    assert_int_equal(p11_classify(KMIP_OK, NULL), P11_ANSWER_DONE);
}

/* Every way a server says it does not do what was asked. */
static void refusals_of_what_is_asked_are_unsupported(void **state)
{
    static const uint32_t reasons[] = {
        KMIP_RESULT_REASON_OPERATION_NOT_SUPPORTED,
        KMIP_RESULT_REASON_FEATURE_NOT_SUPPORTED,
        KMIP_RESULT_REASON_INVALID_FIELD,
        KMIP_RESULT_REASON_INVALID_MESSAGE,
        KMIP_RESULT_REASON_BAD_CRYPTOGRAPHIC_PARAMETERS,
        KMIP_RESULT_REASON_UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS,
        KMIP_RESULT_REASON_INVALID_ATTRIBUTE,
        KMIP_RESULT_REASON_UNSUPPORTED_ATTRIBUTE,
    };

    (void)state;
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        assert_int_equal(reply_to(reasons[i]).answer, P11_ANSWER_UNSUPPORTED);
}

static void answers_say_what_failed(void **state)
{
    (void)state;
    assert_int_equal(reply_to(KMIP_RESULT_REASON_OBJECT_NOT_FOUND).answer,
                     P11_ANSWER_NOT_FOUND);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_PERMISSION_DENIED).answer,
                     P11_ANSWER_PERMISSION);
    assert_int_equal(
        reply_to(KMIP_RESULT_REASON_WRONG_KEY_LIFECYCLE_STATE).answer,
        P11_ANSWER_PERMISSION);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_BAD_PASSWORD).answer,
                     P11_ANSWER_AUTHENTICATION);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_CRYPTOGRAPHIC_FAILURE).answer,
                     P11_ANSWER_CRYPTO_FAILED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_NUMERIC_RANGE).answer,
                     P11_ANSWER_REFUSED);
    assert_int_equal(reply_to(KMIP_RESULT_REASON_GENERAL_FAILURE).answer,
                     P11_ANSWER_SERVER_FAILURE);
    assert_int_equal(p11_reply_local(CKR_OK).answer, P11_ANSWER_DONE);
    assert_int_equal(p11_reply_local(CKR_HOST_MEMORY).answer, P11_ANSWER_NONE);
}

static void a_server_learns_each_fact_on_its_own(void **state)
{
    p11kmip_slot_conf conf = {.label = "facts"};
    p11_server server;

    (void)state;
    assert_int_equal(p11_server_init(&server, 0, &conf), CKR_OK);
    for (int fact = 0; fact < P11_FACTS; fact++)
        assert_int_equal(p11_server_knows(&server, (p11_fact)fact),
                         P11_SUPPORT_UNKNOWN);
    p11_server_learn(&server, P11_FACT_CUSTOM_ID, false);
    p11_server_learn(&server, P11_FACT_DIGESTED_SIGN, true);
    assert_int_equal(p11_server_knows(&server, P11_FACT_CUSTOM_ID),
                     P11_SUPPORT_REFUSED);
    assert_int_equal(p11_server_knows(&server, P11_FACT_DIGESTED_SIGN),
                     P11_SUPPORT_SERVED);
    assert_int_equal(p11_server_knows(&server, P11_FACT_ID_PLACEHOLDER),
                     P11_SUPPORT_UNKNOWN);
    p11_server_clear(&server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reasons_map_through_the_table),
        cmocka_unit_test(unknown_reason_is_a_server_failure),
        cmocka_unit_test(transport_failures_are_device_errors),
        cmocka_unit_test(refusals_of_what_is_asked_are_unsupported),
        cmocka_unit_test(answers_say_what_failed),
        cmocka_unit_test(a_server_learns_each_fact_on_its_own),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
