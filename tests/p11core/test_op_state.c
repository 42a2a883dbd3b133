// SPDX-License-Identifier: Apache-2.0
/* The state of an operation after each kind of failure, for every
 * operation family (encrypt, decrypt, sign, verify, digest), through
 * p11kmip-pkcs11.so against kmipd (PKCS#11 v2.40 base, 5.2 and 5.8-5.13):
 * any failure other than CKR_BUFFER_TOO_SMALL or a length query ends the
 * operation, a failed C_*Init leaves none, and single-part and multi-part
 * calls do not mix in one operation (AES-GCM too, whose multi-part calls
 * go over kmipd's KMIP stream). Also the return codes of C_Sign for
 * an input of the wrong length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <p11-kit/pkcs11.h>

#include "crypto_fixture.h"

/* Past the largest multi-part input the module keeps (16 MiB less the
 * room of a KMIP request). */
#define TOO_MUCH (16u * 1024u * 1024u)

static uint8_t iv[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

/* A DigestInfo of SHA-256 (for CKM_RSA_PKCS) with a zero hash. */
static uint8_t digest_info[51] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                  0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                  0x01, 0x05, 0x00, 0x04, 0x20};

/* AES-GCM streams over kmipd's KMIP stream; its ciphertext (with tag) of
 * the first 16 bytes of digest_info is made by make_keys. */
static CK_GCM_PARAMS gcm = {iv, 12, 96, NULL, 0, 128};
static uint8_t gcm_ciphertext[32];

static CK_OBJECT_HANDLE aes_key, rsa_public, rsa_private;
static uint8_t rsa_signature[256]; /* of digest_info */

/* The module's calls of one operation family, from its function list
 * (set_calls). C_Encrypt, C_Decrypt, C_Sign and C_Digest have one shape,
 * their C_*Final another; a NULL member is a call the family makes its
 * own way (C_DigestInit takes no key, C_Verify and C_VerifyFinal take the
 * signature to check). */
typedef struct calls {
    CK_C_EncryptInit init;
    CK_C_Encrypt single;
    CK_C_EncryptUpdate update_out; /* C_EncryptUpdate, C_DecryptUpdate */
    CK_C_SignUpdate update;        /* the updates without output */
    CK_C_EncryptFinal final;
} calls;

/* One operation family, seen through the same five calls. The "out" of
 * C_Verify and C_VerifyFinal is the signature to check. */
typedef struct family {
    const char *name;
    CK_MECHANISM mechanism;
    CK_OBJECT_HANDLE *key;
    const uint8_t *input; /* one whole input the operation takes */
    size_t input_len;
    size_t bad_len; /* a length of input the mechanism refuses, or 0 */
    CK_RV bad_rv;   /* what the single-part call answers to it */
    calls calls;
} family;

static family families[] = {
    {"encrypt",
     {CKM_AES_CBC, iv, sizeof(iv)},
     &aes_key,
     iv,
     16,
     15,
     CKR_DATA_LEN_RANGE,
     {0}},
    {"decrypt",
     {CKM_AES_CBC, iv, sizeof(iv)},
     &aes_key,
     iv,
     16,
     15,
     CKR_ENCRYPTED_DATA_LEN_RANGE,
     {0}},
    {"sign",
     {CKM_RSA_PKCS, NULL, 0},
     &rsa_private,
     digest_info,
     sizeof(digest_info),
     250,
     CKR_DATA_LEN_RANGE,
     {0}},
    {"verify",
     {CKM_RSA_PKCS, NULL, 0},
     &rsa_public,
     digest_info,
     sizeof(digest_info),
     250,
     CKR_DATA_LEN_RANGE,
     {0}},
    {"digest",
     {CKM_SHA256, NULL, 0},
     NULL,
     digest_info,
     sizeof(digest_info),
     0,
     CKR_OK,
     {0}},
    {"encrypt-gcm",
     {CKM_AES_GCM, &gcm, sizeof(gcm)},
     &aes_key,
     digest_info,
     32,
     0,
     CKR_OK,
     {0}},
    {"decrypt-gcm",
     {CKM_AES_GCM, &gcm, sizeof(gcm)},
     &aes_key,
     gcm_ciphertext,
     sizeof(gcm_ciphertext),
     15,
     CKR_ENCRYPTED_DATA_LEN_RANGE,
     {0}},
};

static void set_calls(void)
{
    families[0].calls =
        (calls){p11->C_EncryptInit, p11->C_Encrypt, p11->C_EncryptUpdate, NULL,
                p11->C_EncryptFinal};
    families[1].calls =
        (calls){p11->C_DecryptInit, p11->C_Decrypt, p11->C_DecryptUpdate, NULL,
                p11->C_DecryptFinal};
    families[2].calls = (calls){p11->C_SignInit, p11->C_Sign, NULL,
                                p11->C_SignUpdate, p11->C_SignFinal};
    families[3].calls =
        (calls){p11->C_VerifyInit, NULL, NULL, p11->C_VerifyUpdate, NULL};
    families[4].calls = (calls){NULL, p11->C_Digest, NULL, p11->C_DigestUpdate,
                                p11->C_DigestFinal};
    families[5].calls = families[0].calls;
    families[6].calls = families[1].calls;
}

static CK_RV op_init(const family *f, CK_MECHANISM_PTR mechanism)
{
    if (f->calls.init == NULL)
        return p11->C_DigestInit(session, mechanism);
    return f->calls.init(session, mechanism, *f->key);
}

static CK_RV op_single(const family *f, const uint8_t *in, CK_ULONG len,
                       uint8_t *out, CK_ULONG_PTR out_len)
{
    if (f->calls.single == NULL)
        return p11->C_Verify(session, (CK_BYTE_PTR)in, len, out,
                             out_len != NULL ? *out_len : 0);
    return f->calls.single(session, (CK_BYTE_PTR)in, len, out, out_len);
}

static CK_RV op_update(const family *f, const uint8_t *in, CK_ULONG len)
{
    if (f->calls.update != NULL)
        return f->calls.update(session, (CK_BYTE_PTR)in, len);
    uint8_t out[32];
    CK_ULONG out_len = sizeof(out);
    return f->calls.update_out(session, (CK_BYTE_PTR)in, len, out, &out_len);
}

static CK_RV op_final(const family *f, uint8_t *out, CK_ULONG_PTR out_len)
{
    if (f->calls.final == NULL)
        return p11->C_VerifyFinal(session, out, out_len != NULL ? *out_len : 0);
    return f->calls.final(session, out, out_len);
}

#define FAMILY_COUNT (sizeof(families) / sizeof(families[0]))

static void start(const family *f)
{
    CK_MECHANISM mechanism = f->mechanism;
    print_message("%s\n", f->name);
    assert_int_equal(op_init(f, &mechanism), CKR_OK);
}

/* The output buffer of a final or single-part call: room for any
 * result, and for verify the valid signature. */
static uint8_t *output(const family *f, uint8_t buf[256], CK_ULONG *len)
{
    memcpy(buf, rsa_signature, 256);
    (void)f;
    *len = 256;
    return buf;
}

/* No operation of f's family is active: its final call says so. */
static void assert_no_operation(const family *f)
{
    uint8_t buf[256];
    CK_ULONG len;
    assert_int_equal(op_final(f, output(f, buf, &len), &len),
                     CKR_OPERATION_NOT_INITIALIZED);
}

static void failed_init_leaves_no_operation(void **state)
{
    (void)state;
    CK_MECHANISM unknown = {CKM_VENDOR_DEFINED | 0x4711, NULL, 0};
    for (size_t i = 0; i < FAMILY_COUNT; i++) {
        const family *f = &families[i];
        print_message("%s\n", f->name);
        assert_int_equal(op_init(f, &unknown), CKR_MECHANISM_INVALID);
        assert_no_operation(f);
        assert_int_equal(op_init(f, NULL), CKR_ARGUMENTS_BAD);
        assert_no_operation(f);
    }
}

static void failed_init_with_a_wrong_key_leaves_no_operation(void **state)
{
    (void)state;
    for (size_t i = 0; i < FAMILY_COUNT; i++) {
        family f = families[i];
        CK_OBJECT_HANDLE wrong = f.key == &aes_key ? rsa_private : aes_key;
        if (f.key == NULL)
            continue; /* a digest takes no key */
        f.key = &wrong;
        CK_MECHANISM mechanism = f.mechanism;
        print_message("%s\n", f.name);
        assert_int_equal(op_init(&f, &mechanism), CKR_KEY_TYPE_INCONSISTENT);
        assert_no_operation(&f);
    }
}

/* A step on a started operation, after which none must be left. */
typedef void step_fn(const family *f);

/* For each family that takes (every one when NULL): starts an
 * operation, runs step and checks that it ended the operation. */
static void each_ends_after(bool (*takes)(const family *f), step_fn *step)
{
    for (size_t i = 0; i < FAMILY_COUNT; i++) {
        const family *f = &families[i];
        if (takes != NULL && !takes(f))
            continue;
        start(f);
        step(f);
        assert_no_operation(f);
    }
}

/* C_Verify and C_VerifyFinal have no output length (nor a length query). */
static bool has_output_length(const family *f)
{
    return strcmp(f->name, "verify") != 0;
}

static bool has_a_bad_length(const family *f)
{
    return f->bad_len != 0;
}

static uint8_t bad[256]; /* an input of f->bad_len bytes */

static void single_with_bad_arguments(const family *f)
{
    uint8_t buf[256];
    CK_ULONG len;
    assert_int_equal(op_single(f, NULL, 5, output(f, buf, &len), &len),
                     CKR_ARGUMENTS_BAD);
}

static void single_part_call_with_bad_arguments_ends_the_operation(void **state)
{
    (void)state;
    each_ends_after(NULL, single_with_bad_arguments);
}

static void single_without_output_length(const family *f)
{
    uint8_t buf[256];
    assert_int_equal(op_single(f, f->input, f->input_len, buf, NULL),
                     CKR_ARGUMENTS_BAD);
}

static void
single_part_call_without_output_length_ends_the_operation(void **state)
{
    (void)state;
    each_ends_after(has_output_length, single_without_output_length);
}

static void single_of_a_bad_length(const family *f)
{
    uint8_t buf[256];
    CK_ULONG len;
    assert_int_equal(op_single(f, bad, f->bad_len, output(f, buf, &len), &len),
                     f->bad_rv);
}

static void single_part_input_of_a_wrong_length_ends_the_operation(void **state)
{
    (void)state;
    each_ends_after(has_a_bad_length, single_of_a_bad_length);
}

static void update_with_bad_arguments(const family *f)
{
    assert_int_equal(op_update(f, NULL, 5), CKR_ARGUMENTS_BAD);
}

static void update_with_bad_arguments_ends_the_operation(void **state)
{
    (void)state;
    each_ends_after(NULL, update_with_bad_arguments);
}

/* A digest hashes any length; AES CBC streams (its failed update is in
 * test_cipher_stream). */
static bool keeps_the_parts(const family *f)
{
    return f->key != NULL && f->key != &aes_key;
}

static uint8_t *huge; /* TOO_MUCH bytes */

static void update_of_too_much(const family *f)
{
    assert_int_equal(op_update(f, huge, TOO_MUCH), CKR_DATA_LEN_RANGE);
}

/* The operation itself refuses the part (more than the module keeps). */
static void update_refused_by_the_operation_ends_it(void **state)
{
    (void)state;
    huge = calloc(1, TOO_MUCH);
    assert_non_null(huge);
    each_ends_after(keeps_the_parts, update_of_too_much);
    free(huge);
    huge = NULL;
}

static void final_after_a_bad_length(const family *f)
{
    uint8_t buf[256];
    CK_ULONG len;
    assert_int_equal(op_update(f, bad, f->bad_len), CKR_OK);
    assert_int_equal(op_final(f, output(f, buf, &len), &len), f->bad_rv);
}

static void final_call_that_fails_ends_the_operation(void **state)
{
    (void)state;
    each_ends_after(has_a_bad_length, final_after_a_bad_length);
}

static void final_without_output_length(const family *f)
{
    uint8_t buf[256];
    assert_int_equal(op_update(f, f->input, f->input_len), CKR_OK);
    assert_int_equal(op_final(f, buf, NULL), CKR_ARGUMENTS_BAD);
}

static void final_call_without_output_length_ends_the_operation(void **state)
{
    (void)state;
    each_ends_after(has_output_length, final_without_output_length);
}

static void single_after_update(const family *f)
{
    uint8_t buf[256];
    CK_ULONG len;
    assert_int_equal(op_update(f, f->input, f->input_len), CKR_OK);
    assert_int_equal(
        op_single(f, f->input, f->input_len, output(f, buf, &len), &len),
        CKR_OPERATION_ACTIVE);
}

static void single_part_call_after_update_is_refused_and_ends_it(void **state)
{
    (void)state;
    each_ends_after(NULL, single_after_update);
}

static void update_after_a_length_query(const family *f)
{
    CK_ULONG len = 0;
    assert_int_equal(op_single(f, f->input, f->input_len, NULL, &len), CKR_OK);
    assert_true(len > 0);
    assert_int_equal(op_update(f, f->input, f->input_len),
                     CKR_OPERATION_ACTIVE);
}

static void
update_after_a_single_part_length_query_is_refused_and_ends_it(void **state)
{
    (void)state;
    each_ends_after(has_output_length, update_after_a_length_query);
}

/* A length query and a short buffer keep the operation; the call that
 * then succeeds ends it. */
static void query_short_buffer_then_result(const family *f)
{
    uint8_t buf[256];
    CK_ULONG len = 0;
    assert_int_equal(op_single(f, f->input, f->input_len, NULL, &len), CKR_OK);
    CK_ULONG needed = len;
    len = needed - 1;
    assert_int_equal(op_single(f, f->input, f->input_len, buf, &len),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, needed);
    assert_int_equal(op_single(f, f->input, f->input_len, buf, &len), CKR_OK);
}

static void length_query_and_short_buffer_keep_the_operation(void **state)
{
    (void)state;
    each_ends_after(has_output_length, query_short_buffer_then_result);
}

static void failed_verification_ends_the_operation(void **state)
{
    (void)state;
    const family *f = &families[3]; /* verify */
    uint8_t wrong[256];
    memcpy(wrong, rsa_signature, sizeof(wrong));
    wrong[100] ^= 1;
    start(f);
    assert_int_equal(p11->C_Verify(session, digest_info, sizeof(digest_info),
                                   wrong, sizeof(wrong)),
                     CKR_SIGNATURE_INVALID);
    assert_no_operation(f);
    start(f);
    assert_int_equal(
        p11->C_Verify(session, digest_info, sizeof(digest_info), wrong, 255),
        CKR_SIGNATURE_LEN_RANGE);
    assert_no_operation(f);
}

/* ---- C_Sign of a hash of the wrong length ---- */

static void
rsa_pss_over_a_hash_of_the_wrong_length_is_data_len_range(void **state)
{
    (void)state;
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_PSS, &pss, sizeof(pss)};
    uint8_t hash[33] = {0};
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(
        sign(&mechanism, rsa_private, hash, 31, signature, &signature_len),
        CKR_DATA_LEN_RANGE);
    signature_len = sizeof(signature);
    assert_int_equal(
        sign(&mechanism, rsa_private, hash, 33, signature, &signature_len),
        CKR_DATA_LEN_RANGE);
    signature_len = sizeof(signature);
    assert_int_equal(
        sign(&mechanism, rsa_private, hash, 32, signature, &signature_len),
        CKR_OK);
}

static void rsa_pkcs_over_too_long_an_input_is_data_len_range(void **state)
{
    (void)state;
    CK_MECHANISM mechanism = {CKM_RSA_PKCS, NULL, 0};
    uint8_t input[246] = {0};
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(sign(&mechanism, rsa_private, input, sizeof(input),
                          signature, &signature_len),
                     CKR_DATA_LEN_RANGE);
}

static void ecdsa_over_an_empty_hash_is_data_len_range(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA, NULL, 0};
    uint8_t signature[64];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(sign(&mechanism, private_key, (const uint8_t *)"", 0,
                          signature, &signature_len),
                     CKR_DATA_LEN_RANGE);
}

static int make_keys(void **state)
{
    if (open_session(state) != 0)
        return -1;
    set_calls();
    aes_key = secret_key(CKM_AES_KEY_GEN, CKK_AES, 32);
    rsa_key_pair(&rsa_public, &rsa_private);
    CK_MECHANISM aes_gcm = {CKM_AES_GCM, &gcm, sizeof(gcm)};
    CK_ULONG gcm_len = sizeof(gcm_ciphertext);
    if (p11->C_EncryptInit(session, &aes_gcm, aes_key) != CKR_OK ||
        p11->C_Encrypt(session, digest_info, 16, gcm_ciphertext, &gcm_len) !=
            CKR_OK)
        return -1;
    CK_MECHANISM mechanism = {CKM_RSA_PKCS, NULL, 0};
    CK_ULONG len = sizeof(rsa_signature);
    return sign(&mechanism, rsa_private, digest_info, sizeof(digest_info),
                rsa_signature, &len) == CKR_OK
               ? 0
               : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failed_init_leaves_no_operation),
        cmocka_unit_test(failed_init_with_a_wrong_key_leaves_no_operation),
        cmocka_unit_test(
            single_part_call_with_bad_arguments_ends_the_operation),
        cmocka_unit_test(
            single_part_call_without_output_length_ends_the_operation),
        cmocka_unit_test(
            single_part_input_of_a_wrong_length_ends_the_operation),
        cmocka_unit_test(update_with_bad_arguments_ends_the_operation),
        cmocka_unit_test(update_refused_by_the_operation_ends_it),
        cmocka_unit_test(final_call_that_fails_ends_the_operation),
        cmocka_unit_test(final_call_without_output_length_ends_the_operation),
        cmocka_unit_test(single_part_call_after_update_is_refused_and_ends_it),
        cmocka_unit_test(
            update_after_a_single_part_length_query_is_refused_and_ends_it),
        cmocka_unit_test(length_query_and_short_buffer_keep_the_operation),
        cmocka_unit_test(failed_verification_ends_the_operation),
        cmocka_unit_test(
            rsa_pss_over_a_hash_of_the_wrong_length_is_data_len_range),
        cmocka_unit_test(rsa_pkcs_over_too_long_an_input_is_data_len_range),
        cmocka_unit_test(ecdsa_over_an_empty_hash_is_data_len_range),
    };
    if (!load_module())
        return 1;
    return cmocka_run_group_tests_name("operation state", tests, make_keys,
                                       close_session);
}
