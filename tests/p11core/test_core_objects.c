/* SPDX-License-Identifier: Apache-2.0 */
/* Objects, search and key generation without a server: every check that
 * PKCS#11 asks for before a request, and the errors of an unreachable
 * server (slots at 127.0.0.1:1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "attrmap.h"
#include "core_fixture.h"
#include "p256.h"
#include "p11core_internal.h"

static core_fixture fixture;
/* slot 0: no login, slot 1: key passphrase */
static const char *const slots[] = {"none", "key-passphrase"};
static CK_SESSION_HANDLE rw;
static CK_SESSION_HANDLE ro;

static CK_BBOOL yes = CK_TRUE;
static CK_BBOOL no = CK_FALSE;
static CK_OBJECT_CLASS secret_class = CKO_SECRET_KEY;
static CK_KEY_TYPE aes = CKK_AES;

static int setup(void **state)
{
    (void)state;
    return fixture_open_sessions(&fixture, slots, 2, &rw, &ro);
}

static CK_RV generate_aes(CK_SESSION_HANDLE session, CK_ATTRIBUTE *templ,
                          CK_ULONG count)
{
    CK_MECHANISM mechanism = {CKM_AES_KEY_GEN, NULL, 0};
    CK_OBJECT_HANDLE key;

    return C_GenerateKey(session, &mechanism, templ, count, &key);
}

static CK_RV generate_pair(CK_MECHANISM_TYPE type, CK_ATTRIBUTE *pub,
                           CK_ULONG pub_count)
{
    CK_MECHANISM mechanism = {type, NULL, 0};
    CK_ATTRIBUTE priv[] = {{CKA_SIGN, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE public_key;
    CK_OBJECT_HANDLE private_key;

    return C_GenerateKeyPair(rw, &mechanism, pub, pub_count, priv, 1,
                             &public_key, &private_key);
}

/* ---- an unreachable server ---- */

static void search_without_server_is_device_error(void **state)
{
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(C_FindObjectsInit(rw, NULL, 0), CKR_DEVICE_ERROR);
    /* A transport failure carries no KMIP Result Reason. */
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.ulDeviceError, 0);
    /* The failed search left nothing active. */
    assert_int_equal(C_FindObjectsFinal(rw), CKR_OPERATION_NOT_INITIALIZED);
}

static void key_generation_without_server_is_device_error(void **state)
{
    CK_ULONG len = 32;
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &len, sizeof(len)}};

    (void)state;
    assert_int_equal(generate_aes(rw, templ, 1), CKR_DEVICE_ERROR);
}

/* A server that takes the connection and never answers: the request
 * fails as a device error within the configured timeout (1 s), and the
 * module keeps working. */
static void stalled_server_is_device_error_within_the_timeout(void **state)
{
    struct sockaddr_in address = {.sin_family = AF_INET,
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(address);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    CK_SESSION_HANDLE session;
    struct timespec start, end;
    double seconds;

    (void)state;
    assert_true(listener >= 0);
    assert_int_equal(bind(listener, (struct sockaddr *)&address, len), 0);
    assert_int_equal(listen(listener, 4), 0);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&address, &len),
                     0);
    C_Finalize(NULL);
    snprintf(fixture.server, sizeof(fixture.server), "127.0.0.1:%u",
             ntohs(address.sin_port));
    fixture_config(&fixture, slots, 1);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &session),
                     CKR_OK);
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(C_FindObjectsInit(session, NULL, 0), CKR_DEVICE_ERROR);
    clock_gettime(CLOCK_MONOTONIC, &end);
    seconds = (double)(end.tv_sec - start.tv_sec) +
              (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    /* Handshake timeout, and perhaps the idempotent retry's. */
    assert_true(seconds < 4.0);
    assert_int_equal(C_GetSessionInfo(session, &(CK_SESSION_INFO){0}), CKR_OK);
    close(listener);
    strcpy(fixture.server, "127.0.0.1:1");
}

/* ---- search ---- */

static void passphrase_token_shows_nothing_before_login(void **state)
{
    CK_SESSION_HANDLE session;
    CK_OBJECT_HANDLE found[4];
    CK_ULONG count = 99;

    (void)state;
    assert_int_equal(C_OpenSession(1, CKF_SERIAL_SESSION, NULL, NULL, &session),
                     CKR_OK);
    assert_int_equal(C_FindObjectsInit(session, NULL, 0), CKR_OK);
    assert_int_equal(C_FindObjectsInit(session, NULL, 0), CKR_OPERATION_ACTIVE);
    assert_int_equal(C_FindObjects(session, found, 4, &count), CKR_OK);
    assert_int_equal(count, 0);
    assert_int_equal(C_FindObjects(session, NULL, 4, &count),
                     CKR_ARGUMENTS_BAD);
    assert_int_equal(C_FindObjectsFinal(session), CKR_OK);
}

static void search_for_a_class_never_shown_sends_nothing(void **state)
{
    CK_OBJECT_CLASS mechanism_class = CKO_MECHANISM;
    CK_ATTRIBUTE templ[] = {
        {CKA_CLASS, &mechanism_class, sizeof(mechanism_class)}};
    CK_OBJECT_HANDLE found;
    CK_ULONG count = 99;

    (void)state;
    /* No server answers at 127.0.0.1:1: success means no request. */
    assert_int_equal(C_FindObjectsInit(rw, templ, 1), CKR_OK);
    assert_int_equal(C_FindObjects(rw, &found, 1, &count), CKR_OK);
    assert_int_equal(count, 0);
    assert_int_equal(C_FindObjectsFinal(rw), CKR_OK);
}

static void find_objects_needs_an_active_search(void **state)
{
    CK_OBJECT_HANDLE found;
    CK_ULONG count;

    (void)state;
    assert_int_equal(C_FindObjects(rw, &found, 1, &count),
                     CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_FindObjectsInit(rw, NULL, 1), CKR_ARGUMENTS_BAD);
}

/* ---- handles ---- */

static void unknown_handles_are_object_handle_invalid(void **state)
{
    CK_ATTRIBUTE attr = {CKA_CLASS, NULL, 0};
    CK_OBJECT_HANDLE copy;
    CK_ULONG size;

    (void)state;
    assert_int_equal(C_GetAttributeValue(rw, 42, &attr, 1),
                     CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(C_SetAttributeValue(rw, 42, &attr, 1),
                     CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(C_GetObjectSize(rw, 42, &size), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(C_DestroyObject(rw, 42), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(C_CopyObject(rw, 42, NULL, 0, &copy),
                     CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(C_GetAttributeValue(42, 1, &attr, 1),
                     CKR_SESSION_HANDLE_INVALID);
}

static void changing_attributes_needs_a_read_write_session(void **state)
{
    CK_ATTRIBUTE label = {CKA_LABEL, "x", 1};

    (void)state;
    assert_int_equal(C_SetAttributeValue(ro, 1, &label, 1),
                     CKR_SESSION_READ_ONLY);
    assert_int_equal(C_SetAttributeValue(rw, 1, NULL, 1), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetAttributeValue(rw, 1, NULL, 1), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetObjectSize(rw, 1, NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_CreateObject(rw, NULL, 0, NULL), CKR_ARGUMENTS_BAD);
}

/* ---- templates of new keys ---- */

static void new_objects_need_a_read_write_session(void **state)
{
    CK_ULONG len = 16;
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &len, sizeof(len)}};

    (void)state;
    assert_int_equal(generate_aes(ro, templ, 1), CKR_SESSION_READ_ONLY);
    assert_int_equal(C_DestroyObject(ro, 1), CKR_SESSION_READ_ONLY);
}

static void aes_key_without_length_is_template_incomplete(void **state)
{
    CK_ATTRIBUTE templ[] = {{CKA_ENCRYPT, &yes, sizeof(yes)}};

    (void)state;
    assert_int_equal(generate_aes(rw, templ, 1), CKR_TEMPLATE_INCOMPLETE);
}

static void aes_key_of_17_bytes_is_attribute_value_invalid(void **state)
{
    CK_ULONG len = 17;
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &len, sizeof(len)}};

    (void)state;
    assert_int_equal(generate_aes(rw, templ, 1), CKR_ATTRIBUTE_VALUE_INVALID);
}

/* A session key is made on the server (none here), in a read-only
 * session too. */
static void session_key_goes_to_the_server(void **state)
{
    CK_ULONG len = 16;
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                            {CKA_TOKEN, &no, sizeof(no)}};

    (void)state;
    assert_int_equal(generate_aes(rw, templ, 2), CKR_DEVICE_ERROR);
    assert_int_equal(generate_aes(ro, templ, 2), CKR_DEVICE_ERROR);
    templ[1].pValue = &yes;
    assert_int_equal(generate_aes(ro, templ, 2), CKR_SESSION_READ_ONLY);
}

/* An extractable key leaves the server only wrapped (C_WrapKey): the
 * template may ask for it; a non-sensitive one stays refused. */
static void extractable_key_is_taken_not_sensitive_refused(void **state)
{
    CK_ULONG len = 16;
    CK_ATTRIBUTE extractable[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                                  {CKA_EXTRACTABLE, &yes, sizeof(yes)}};
    CK_ATTRIBUTE readable[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                               {CKA_SENSITIVE, &no, sizeof(no)}};

    (void)state;
    assert_int_equal(p11_template_validate(extractable, 2, CKO_SECRET_KEY,
                                           CKK_AES, P11_TEMPLATE_GENERATE),
                     CKR_OK);
    assert_int_equal(generate_aes(rw, readable, 2),
                     CKR_ATTRIBUTE_VALUE_INVALID);
}

static void other_class_in_template_is_template_inconsistent(void **state)
{
    CK_ULONG len = 16;
    CK_OBJECT_CLASS public_class = CKO_PUBLIC_KEY;
    CK_KEY_TYPE rsa = CKK_RSA;
    CK_ATTRIBUTE wrong_class[] = {
        {CKA_VALUE_LEN, &len, sizeof(len)},
        {CKA_CLASS, &public_class, sizeof(public_class)}};
    CK_ATTRIBUTE wrong_type[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                                 {CKA_KEY_TYPE, &rsa, sizeof(rsa)}};
    CK_ATTRIBUTE right[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                            {CKA_CLASS, &secret_class, sizeof(secret_class)},
                            {CKA_KEY_TYPE, &aes, sizeof(aes)}};

    (void)state;
    assert_int_equal(generate_aes(rw, wrong_class, 2),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(generate_aes(rw, wrong_type, 2),
                     CKR_TEMPLATE_INCONSISTENT);
    /* Consistent: it gets as far as the (absent) server. */
    assert_int_equal(generate_aes(rw, right, 3), CKR_DEVICE_ERROR);
}

static void token_set_attribute_is_read_only(void **state)
{
    CK_ULONG len = 16;
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                            {CKA_LOCAL, &yes, sizeof(yes)}};

    (void)state;
    assert_int_equal(generate_aes(rw, templ, 2), CKR_ATTRIBUTE_READ_ONLY);
}

static void unknown_attribute_is_attribute_type_invalid(void **state)
{
    CK_ULONG len = 16;
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                            {CKA_VENDOR_DEFINED | 7, &yes, sizeof(yes)}};

    (void)state;
    assert_int_equal(generate_aes(rw, templ, 2), CKR_ATTRIBUTE_TYPE_INVALID);
}

static void boolean_of_wrong_size_is_attribute_value_invalid(void **state)
{
    CK_ULONG len = 16;
    CK_ULONG big = 1;
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &len, sizeof(len)},
                            {CKA_ENCRYPT, &big, sizeof(big)}};

    (void)state;
    assert_int_equal(generate_aes(rw, templ, 2), CKR_ATTRIBUTE_VALUE_INVALID);
}

static void key_pair_mechanism_for_a_key_is_mechanism_invalid(void **state)
{
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_MECHANISM with_param = {CKM_AES_KEY_GEN, &yes, sizeof(yes)};
    CK_OBJECT_HANDLE key;

    (void)state;
    assert_int_equal(C_GenerateKey(rw, &mechanism, NULL, 0, &key),
                     CKR_MECHANISM_INVALID);
    assert_int_equal(C_GenerateKey(rw, &with_param, NULL, 0, &key),
                     CKR_MECHANISM_PARAM_INVALID);
}

static void rsa_pair_without_modulus_bits_is_template_incomplete(void **state)
{
    CK_ATTRIBUTE pub[] = {{CKA_VERIFY, &yes, sizeof(yes)}};

    (void)state;
    assert_int_equal(generate_pair(CKM_RSA_PKCS_KEY_PAIR_GEN, pub, 1),
                     CKR_TEMPLATE_INCOMPLETE);
}

static void rsa_pair_with_exponent_3_is_attribute_value_invalid(void **state)
{
    CK_ULONG bits = 2048;
    CK_BYTE three[] = {3};
    CK_BYTE f4[] = {0, 1, 0, 1};
    CK_ATTRIBUTE pub[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                          {CKA_PUBLIC_EXPONENT, three, sizeof(three)}};

    (void)state;
    assert_int_equal(generate_pair(CKM_RSA_PKCS_KEY_PAIR_GEN, pub, 2),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    pub[1].pValue = f4;
    pub[1].ulValueLen = sizeof(f4);
    assert_int_equal(generate_pair(CKM_RSA_PKCS_KEY_PAIR_GEN, pub, 2),
                     CKR_DEVICE_ERROR);
}

static void rsa_pair_of_512_bits_is_key_size_range(void **state)
{
    CK_ULONG bits = 512;
    CK_ATTRIBUTE pub[] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)}};

    (void)state;
    assert_int_equal(generate_pair(CKM_RSA_PKCS_KEY_PAIR_GEN, pub, 1),
                     CKR_KEY_SIZE_RANGE);
}

static void ec_pair_on_an_unknown_curve_is_attribute_value_invalid(void **state)
{
    /* secp256k1 */
    CK_BYTE k1[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a};
    CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, k1, sizeof(k1)}};

    (void)state;
    assert_int_equal(generate_pair(CKM_EC_KEY_PAIR_GEN, pub, 1),
                     CKR_ATTRIBUTE_VALUE_INVALID);
}

static void ec_pair_with_modulus_bits_is_template_inconsistent(void **state)
{
    CK_ULONG bits = 2048;
    CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
                          {CKA_MODULUS_BITS, &bits, sizeof(bits)}};

    (void)state;
    assert_int_equal(generate_pair(CKM_EC_KEY_PAIR_GEN, pub, 2),
                     CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(generate_pair(CKM_EC_KEY_PAIR_GEN, pub, 1),
                     CKR_DEVICE_ERROR);
}

/* ---- C_CreateObject ---- */

static CK_RV create(CK_ATTRIBUTE *templ, CK_ULONG count)
{
    CK_OBJECT_HANDLE object;

    return C_CreateObject(rw, templ, count, &object);
}

static void object_without_class_is_template_incomplete(void **state)
{
    CK_BYTE value[16] = {0};
    CK_ATTRIBUTE templ[] = {{CKA_VALUE, value, sizeof(value)}};

    (void)state;
    assert_int_equal(create(templ, 1), CKR_TEMPLATE_INCOMPLETE);
}

static void created_secret_with_value_len_is_template_inconsistent(void **state)
{
    CK_BYTE value[16] = {0};
    CK_ULONG len = 16;
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &secret_class, sizeof(secret_class)},
                            {CKA_KEY_TYPE, &aes, sizeof(aes)},
                            {CKA_VALUE, value, sizeof(value)},
                            {CKA_VALUE_LEN, &len, sizeof(len)}};

    (void)state;
    assert_int_equal(create(templ, 4), CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(create(templ, 3), CKR_DEVICE_ERROR);
    assert_int_equal(create(templ, 2), CKR_TEMPLATE_INCOMPLETE);
}

static void
certificate_that_does_not_parse_is_attribute_value_invalid(void **state)
{
    CK_OBJECT_CLASS cert_class = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_BYTE garbage[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &cert_class, sizeof(cert_class)},
                            {CKA_CERTIFICATE_TYPE, &x509, sizeof(x509)},
                            {CKA_VALUE, garbage, sizeof(garbage)}};

    (void)state;
    assert_int_equal(create(templ, 3), CKR_ATTRIBUTE_VALUE_INVALID);
}

static void rsa_public_key_without_modulus_is_template_incomplete(void **state)
{
    CK_OBJECT_CLASS public_class = CKO_PUBLIC_KEY;
    CK_KEY_TYPE rsa = CKK_RSA;
    CK_BYTE f4[] = {1, 0, 1};
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &public_class, sizeof(public_class)},
                            {CKA_KEY_TYPE, &rsa, sizeof(rsa)},
                            {CKA_PUBLIC_EXPONENT, f4, sizeof(f4)}};

    (void)state;
    assert_int_equal(create(templ, 3), CKR_TEMPLATE_INCOMPLETE);
}

static void unsupported_key_type_is_attribute_value_invalid(void **state)
{
    CK_KEY_TYPE des = CKK_DES3;
    CK_BYTE value[24] = {0};
    CK_ATTRIBUTE templ[] = {{CKA_CLASS, &secret_class, sizeof(secret_class)},
                            {CKA_KEY_TYPE, &des, sizeof(des)},
                            {CKA_VALUE, value, sizeof(value)}};

    (void)state;
    assert_int_equal(create(templ, 3), CKR_ATTRIBUTE_VALUE_INVALID);
}

#define T(test) cmocka_unit_test_setup_teardown(test, setup, fixture_finalize)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(search_without_server_is_device_error),
        T(key_generation_without_server_is_device_error),
        T(stalled_server_is_device_error_within_the_timeout),
        T(passphrase_token_shows_nothing_before_login),
        T(search_for_a_class_never_shown_sends_nothing),
        T(find_objects_needs_an_active_search),
        T(unknown_handles_are_object_handle_invalid),
        T(changing_attributes_needs_a_read_write_session),
        T(new_objects_need_a_read_write_session),
        T(aes_key_without_length_is_template_incomplete),
        T(aes_key_of_17_bytes_is_attribute_value_invalid),
        T(session_key_goes_to_the_server),
        T(extractable_key_is_taken_not_sensitive_refused),
        T(other_class_in_template_is_template_inconsistent),
        T(token_set_attribute_is_read_only),
        T(unknown_attribute_is_attribute_type_invalid),
        T(boolean_of_wrong_size_is_attribute_value_invalid),
        T(key_pair_mechanism_for_a_key_is_mechanism_invalid),
        T(rsa_pair_without_modulus_bits_is_template_incomplete),
        T(rsa_pair_with_exponent_3_is_attribute_value_invalid),
        T(rsa_pair_of_512_bits_is_key_size_range),
        T(ec_pair_on_an_unknown_curve_is_attribute_value_invalid),
        T(ec_pair_with_modulus_bits_is_template_inconsistent),
        T(object_without_class_is_template_incomplete),
        T(created_secret_with_value_len_is_template_inconsistent),
        T(certificate_that_does_not_parse_is_attribute_value_invalid),
        T(rsa_public_key_without_modulus_is_template_incomplete),
        T(unsupported_key_type_is_attribute_value_invalid),
    };
    return FIXTURE_RUN(&fixture, tests);
}
