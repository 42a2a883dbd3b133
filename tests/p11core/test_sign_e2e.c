/* SPDX-License-Identifier: Apache-2.0 */
/* Signatures and MACs end to end: p11kmip-pkcs11.so (crypto_fixture.h)
 * against the server with_server.py started, argv[1] naming it ("kmipd" or
 * "pykmip"): RSA PKCS#1 v1.5 single and multi-part on both; ECDSA, RSA-PSS,
 * DigestInfo, HMAC and eight signing threads on kmipd; PyKMIP's refusal
 * of raw RSA over a DigestInfo. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

#include "by_server.h"
#include "crypto_fixture.h"

static void sign_in_two_parts(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE key,
                              size_t split, uint8_t *signature,
                              CK_ULONG *signature_len)
{
    assert_int_equal(p11->C_SignInit(session, mechanism, key), CKR_OK);
    assert_int_equal(p11->C_SignUpdate(session, (CK_BYTE_PTR)message, split),
                     CKR_OK);
    assert_int_equal(p11->C_SignUpdate(session, (CK_BYTE_PTR)message + split,
                                       MESSAGE_LEN - split),
                     CKR_OK);
    assert_int_equal(p11->C_SignFinal(session, signature, signature_len),
                     CKR_OK);
}

/* Signs message with signer into signature (size bytes) and checks that
 * verifier verifies it; the signature's length. */
static CK_ULONG sign_verified(CK_MECHANISM *mechanism, CK_OBJECT_HANDLE signer,
                              CK_OBJECT_HANDLE verifier, uint8_t *signature,
                              CK_ULONG size)
{
    assert_int_equal(
        sign(mechanism, signer, message, MESSAGE_LEN, signature, &size),
        CKR_OK);
    assert_int_equal(
        verify(mechanism, verifier, message, MESSAGE_LEN, signature, size),
        CKR_OK);
    return size;
}

static void sha256_rsa_pkcs_signature_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t signature[256];
    CK_ULONG signature_len = sign_verified(&mechanism, private_key, public_key,
                                           signature, sizeof(signature));
    assert_int_equal(signature_len, 256);
    signature[10] ^= 1;
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_SIGNATURE_INVALID);
}

static void signature_length_query_keeps_the_operation(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key), CKR_OK);
    CK_ULONG signature_len = 0;
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 NULL, &signature_len),
                     CKR_OK);
    assert_int_equal(signature_len, 256);
    uint8_t signature[256];
    signature_len = 100;
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(signature_len, 256);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_OK);
    /* The operation ended with the signature. */
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_OPERATION_NOT_INITIALIZED);
}

static void multi_part_signature_equals_single_part(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t single[256], multi[256];
    CK_ULONG single_len = sizeof(single), multi_len = sizeof(multi);
    assert_int_equal(sign(&mechanism, private_key, message, MESSAGE_LEN, single,
                          &single_len),
                     CKR_OK);
    sign_in_two_parts(&mechanism, private_key, 10, multi, &multi_len);
    /* PKCS#1 v1.5 is deterministic. */
    assert_int_equal(multi_len, single_len);
    assert_memory_equal(multi, single, single_len);
}

static void ecdsa_sha256_signature_is_raw_and_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    uint8_t signature[64];
    CK_ULONG signature_len = sign_verified(&mechanism, private_key, public_key,
                                           signature, sizeof(signature));
    assert_int_equal(signature_len, 64);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len - 1),
                     CKR_SIGNATURE_LEN_RANGE);
}

static void p521_signature_is_two_66_byte_halves(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair_on(p521, sizeof(p521), &public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA512, NULL, 0};
    uint8_t signature[132];
    CK_ULONG signature_len = 0;
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key), CKR_OK);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 NULL, &signature_len),
                     CKR_OK);
    assert_int_equal(signature_len, 132);
    assert_int_equal(p11->C_Sign(session, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                 signature, &signature_len),
                     CKR_OK);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
}

static void ecdsa_over_a_hash_verifies_as_ecdsa_sha256(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    uint8_t hash[32];
    sha256(message, MESSAGE_LEN, hash);
    CK_MECHANISM ecdsa = {CKM_ECDSA, NULL, 0};
    uint8_t signature[64];
    CK_ULONG signature_len = sizeof(signature);
    assert_int_equal(
        sign(&ecdsa, private_key, hash, 32, signature, &signature_len), CKR_OK);
    CK_MECHANISM ecdsa_sha256 = {CKM_ECDSA_SHA256, NULL, 0};
    assert_int_equal(verify(&ecdsa_sha256, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
}

static void ecdsa_multi_part_sends_digested_data(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    uint8_t signature[64];
    CK_ULONG signature_len = sizeof(signature);
    sign_in_two_parts(&mechanism, private_key, 5, signature, &signature_len);
    assert_int_equal(verify(&mechanism, public_key, message, MESSAGE_LEN,
                            signature, signature_len),
                     CKR_OK);
}

static void ecdsa_mechanism_with_rsa_key_is_type_inconsistent(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key),
                     CKR_KEY_TYPE_INCONSISTENT);
}

static void signing_with_a_public_key_is_not_permitted(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    assert_int_equal(p11->C_SignInit(session, &mechanism, public_key),
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
}

static void rsa_pss_signature_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
    uint8_t signature[256];
    CK_ULONG signature_len = sign_verified(&mechanism, private_key, public_key,
                                           signature, sizeof(signature));
    /* The same signature, verified as PSS over the hash. */
    uint8_t hash[32];
    sha256(message, MESSAGE_LEN, hash);
    CK_MECHANISM over_hash = {CKM_RSA_PKCS_PSS, &pss, sizeof(pss)};
    assert_int_equal(
        verify(&over_hash, public_key, hash, 32, signature, signature_len),
        CKR_OK);
    assert_int_equal(
        verify(&over_hash, public_key, hash, 31, signature, signature_len),
        CKR_DATA_LEN_RANGE);
}

static void rsa_pss_with_other_hash_in_params_is_param_invalid(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA384, CKG_MGF1_SHA384, 48};
    CK_MECHANISM mechanism = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
    assert_int_equal(p11->C_SignInit(session, &mechanism, private_key),
                     CKR_MECHANISM_PARAM_INVALID);
}

static void rsa_pkcs_over_digest_info_equals_sha256_rsa_pkcs(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    static const uint8_t prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                     0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                     0x01, 0x05, 0x00, 0x04, 0x20};
    uint8_t digest_info[sizeof(prefix) + 32];
    memcpy(digest_info, prefix, sizeof(prefix));
    sha256(message, MESSAGE_LEN, digest_info + sizeof(prefix));

    CK_MECHANISM raw = {CKM_RSA_PKCS, NULL, 0};
    CK_MECHANISM hashing = {CKM_SHA256_RSA_PKCS, NULL, 0};
    uint8_t from_digest_info[256], from_message[256];
    CK_ULONG len1 = sizeof(from_digest_info), len2 = sizeof(from_message);
    assert_int_equal(sign(&raw, private_key, digest_info, sizeof(digest_info),
                          from_digest_info, &len1),
                     CKR_OK);
    assert_int_equal(
        sign(&hashing, private_key, message, MESSAGE_LEN, from_message, &len2),
        CKR_OK);
    assert_int_equal(len1, len2);
    assert_memory_equal(from_digest_info, from_message, len1);
    assert_int_equal(verify(&raw, public_key, digest_info, sizeof(digest_info),
                            from_digest_info, len1),
                     CKR_OK);
}

static void hmac_sha256_signs_on_the_server_and_verifies(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key =
        secret_key(CKM_GENERIC_SECRET_KEY_GEN, CKK_GENERIC_SECRET, 32);
    CK_MECHANISM mechanism = {CKM_SHA256_HMAC, NULL, 0};
    uint8_t mac[32];
    CK_ULONG mac_len = sign_verified(&mechanism, key, key, mac, sizeof(mac));
    assert_int_equal(mac_len, 32);
    mac[0] ^= 1;
    assert_int_equal(
        verify(&mechanism, key, message, MESSAGE_LEN, mac, mac_len),
        CKR_SIGNATURE_INVALID);
}

#define SIGN_THREADS 8
#define SIGN_SECONDS 10

typedef struct signer {
    pthread_t thread;
    CK_SLOT_ID slot;
    CK_OBJECT_HANDLE private_key;
    CK_OBJECT_HANDLE public_key;
    time_t deadline;
    unsigned long signatures;
    CK_RV failure; /* the first error, CKR_OK when none */
} signer;

/* Signs and verifies in its own session until the deadline. */
static void *sign_until_deadline(void *opaque)
{
    signer *self = opaque;
    CK_SESSION_HANDLE own;
    CK_MECHANISM mechanism = {CKM_ECDSA_SHA256, NULL, 0};
    self->failure =
        p11->C_OpenSession(self->slot, CKF_SERIAL_SESSION, NULL, NULL, &own);
    while (self->failure == CKR_OK && time(NULL) < self->deadline) {
        uint8_t signature[64];
        CK_ULONG signature_len = sizeof(signature);
        self->failure = p11->C_SignInit(own, &mechanism, self->private_key);
        if (self->failure == CKR_OK)
            self->failure = p11->C_Sign(own, (CK_BYTE_PTR)message, MESSAGE_LEN,
                                        signature, &signature_len);
        if (self->failure == CKR_OK)
            self->failure =
                p11->C_VerifyInit(own, &mechanism, self->public_key);
        if (self->failure == CKR_OK)
            self->failure =
                p11->C_Verify(own, (CK_BYTE_PTR)message, MESSAGE_LEN, signature,
                              signature_len);
        if (self->failure == CKR_OK)
            self->signatures++;
    }
    p11->C_CloseSession(own);
    return NULL;
}

static void eight_threads_sign_with_one_key_for_ten_seconds(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    ec_key_pair(&public_key, &private_key);
    CK_SESSION_INFO info;
    assert_int_equal(p11->C_GetSessionInfo(session, &info), CKR_OK);
    signer signers[SIGN_THREADS];
    time_t deadline = time(NULL) + SIGN_SECONDS;
    for (int i = 0; i < SIGN_THREADS; i++) {
        signers[i] = (signer){.slot = info.slotID,
                              .private_key = private_key,
                              .public_key = public_key,
                              .deadline = deadline};
        assert_int_equal(pthread_create(&signers[i].thread, NULL,
                                        sign_until_deadline, &signers[i]),
                         0);
    }
    unsigned long total = 0;
    for (int i = 0; i < SIGN_THREADS; i++) {
        assert_int_equal(pthread_join(signers[i].thread, NULL), 0);
        assert_int_equal(signers[i].failure, CKR_OK);
        assert_true(signers[i].signatures > 0);
        total += signers[i].signatures;
    }
    print_message("%lu signatures and verifications in %d s\n", total,
                  SIGN_SECONDS);
}

static void rsa_pkcs_over_digest_info_is_mechanism_invalid_then_refused_at_init(
    void **state)
{
    (void)state;
    CK_OBJECT_HANDLE public_key, private_key;
    rsa_key_pair(&public_key, &private_key);
    uint8_t digest_info[51] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                               0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                               0x01, 0x05, 0x00, 0x04, 0x20};
    CK_MECHANISM raw = {CKM_RSA_PKCS, NULL, 0};
    uint8_t signature[256];
    CK_ULONG signature_len = sizeof(signature);
    /* PyKMIP hashes whatever it signs: it cannot take Digested Data. */
    assert_int_equal(sign(&raw, private_key, digest_info, sizeof(digest_info),
                          signature, &signature_len),
                     CKR_MECHANISM_INVALID);
    /* Known from then on: refused at C_SignInit, no request sent. */
    assert_int_equal(p11->C_SignInit(session, &raw, private_key),
                     CKR_MECHANISM_INVALID);
    /* The message mechanisms still sign, sending Data. */
    CK_MECHANISM hashing = {CKM_SHA256_RSA_PKCS, NULL, 0};
    assert_int_equal(sign(&hashing, private_key, message, MESSAGE_LEN,
                          signature, &signature_len),
                     CKR_OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every[] = {
        cmocka_unit_test(sha256_rsa_pkcs_signature_verifies),
        cmocka_unit_test(signature_length_query_keeps_the_operation),
        cmocka_unit_test(multi_part_signature_equals_single_part),
    };
    const struct CMUnitTest kmipd_only[] = {
        cmocka_unit_test(ecdsa_sha256_signature_is_raw_and_verifies),
        cmocka_unit_test(p521_signature_is_two_66_byte_halves),
        cmocka_unit_test(ecdsa_over_a_hash_verifies_as_ecdsa_sha256),
        cmocka_unit_test(ecdsa_multi_part_sends_digested_data),
        cmocka_unit_test(ecdsa_mechanism_with_rsa_key_is_type_inconsistent),
        cmocka_unit_test(signing_with_a_public_key_is_not_permitted),
        cmocka_unit_test(rsa_pss_signature_verifies),
        cmocka_unit_test(rsa_pss_with_other_hash_in_params_is_param_invalid),
        cmocka_unit_test(rsa_pkcs_over_digest_info_equals_sha256_rsa_pkcs),
        cmocka_unit_test(hmac_sha256_signs_on_the_server_and_verifies),
        cmocka_unit_test(eight_threads_sign_with_one_key_for_ten_seconds),
    };
    const struct CMUnitTest pykmip_only[] = {
        cmocka_unit_test(
            rsa_pkcs_over_digest_info_is_mechanism_invalid_then_refused_at_init),
    };

    if (load_module_for(argc, argv) == TEST_SERVER_NONE)
        return 1;
    return run_by_server_with(argv[1], open_session, close_session,
                              TEST_GROUP(every), TEST_GROUP(kmipd_only),
                              TEST_GROUP(pykmip_only));
}
