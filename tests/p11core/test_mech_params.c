/* SPDX-License-Identifier: Apache-2.0 */
/* Mechanism -> KMIP Cryptographic Parameters, and parameter validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kmip/tags.h"
#include "mech_params.h"

static CK_RV params_for(CK_MECHANISM_TYPE type, void *param, CK_ULONG len,
                        p11_kmip_params *out)
{
    CK_MECHANISM mechanism = {type, param, len};
    return p11_kmip_params_from_mechanism(&mechanism, out);
}

static void hmac_general_takes_a_length_up_to_the_hash(void **state)
{
    (void)state;
    p11_kmip_params p;
    CK_ULONG length = 16;
    assert_int_equal(
        params_for(CKM_SHA256_HMAC_GENERAL, &length, sizeof(length), &p),
        CKR_OK);
    assert_int_equal(p.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA256);
    assert_int_equal(p.mac_length, 16);
    p11_kmip_params_clear(&p);
    assert_int_equal(params_for(CKM_SHA384_HMAC, NULL, 0, &p), CKR_OK);
    assert_int_equal(p.mac_length, 48);
    p11_kmip_params_clear(&p);
    const CK_ULONG refused[] = {0, 33};
    for (size_t i = 0; i < 2; i++) {
        length = refused[i];
        assert_int_equal(
            params_for(CKM_SHA256_HMAC_GENERAL, &length, sizeof(length), &p),
            CKR_MECHANISM_PARAM_INVALID);
        p11_kmip_params_clear(&p);
    }
    uint32_t short_length = 16;
    assert_int_equal(params_for(CKM_SHA256_HMAC_GENERAL, &short_length,
                                sizeof(short_length), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void rsa_x_509_is_rsa_without_padding(void **state)
{
    (void)state;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_X_509, NULL, 0, &p), CKR_OK);
    assert_int_equal(p.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA);
    assert_int_equal(p.padding, KMIP_PADDING_METHOD_NONE);
    assert_int_equal(p.hash, 0);
    assert_int_equal(p.mech->input, P11_INPUT_RAW);
    p11_kmip_params_clear(&p);
}

static void sha256_rsa_pkcs_is_pkcs1v15_with_sha256(void **state)
{
    (void)state;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_SHA256_RSA_PKCS, NULL, 0, &p), CKR_OK);
    assert_int_equal(p.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_RSA);
    assert_int_equal(p.padding, KMIP_PADDING_METHOD_PKCS1V15);
    assert_int_equal(p.hash, KMIP_HASHING_ALGORITHM_SHA_256);
    assert_int_equal(
        p.signature,
        KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA256_WITH_RSA_ENCRYPTION);
    assert_int_equal(p.salt_length, -1);
    p11_kmip_params_clear(&p);
}

static void rsa_pkcs_takes_its_hash_from_the_digest_info(void **state)
{
    (void)state;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS, NULL, 0, &p), CKR_OK);
    assert_int_equal(p.mech->input, P11_INPUT_DIGEST_INFO);
    assert_int_equal(p.hash, 0);
    assert_int_equal(p.signature, 0);
    p11_kmip_params_set_hash(&p, p11_hash_by_mechanism(CKM_SHA384));
    assert_int_equal(p.hash, KMIP_HASHING_ALGORITHM_SHA_384);
    assert_int_equal(
        p.signature,
        KMIP_DIGITAL_SIGNATURE_ALGORITHM_SHA384_WITH_RSA_ENCRYPTION);
    p11_kmip_params_clear(&p);
}

static void ecdsa_takes_its_hash_from_the_data_length(void **state)
{
    (void)state;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_ECDSA, NULL, 0, &p), CKR_OK);
    assert_int_equal(p.mech->input, P11_INPUT_HASH);
    p11_kmip_params_set_hash(&p, p11_hash_by_length(48));
    assert_int_equal(p.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_ECDSA);
    assert_int_equal(p.signature,
                     KMIP_DIGITAL_SIGNATURE_ALGORITHM_ECDSA_WITH_SHA384);
    p11_kmip_params_clear(&p);
}

static void pss_params_give_salt_and_mgf1_hash(void **state)
{
    (void)state;
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA384, 32};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss), &p),
                     CKR_OK);
    assert_int_equal(p.padding, KMIP_PADDING_METHOD_PSS);
    assert_int_equal(p.hash, KMIP_HASHING_ALGORITHM_SHA_256);
    assert_int_equal(p.mask_generator, KMIP_MASK_GENERATOR_MGF1);
    assert_int_equal(p.mask_generator_hash, KMIP_HASHING_ALGORITHM_SHA_384);
    assert_int_equal(p.salt_length, 32);
    /* PSS is said by padding + hash, no Digital Signature Algorithm. */
    assert_int_equal(p.signature, 0);
    p11_kmip_params_clear(&p);
}

static void pss_hash_comes_from_params_for_rsa_pkcs_pss(void **state)
{
    (void)state;
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA512, CKG_MGF1_SHA512, 64};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS_PSS, &pss, sizeof(pss), &p),
                     CKR_OK);
    assert_int_equal(p.hash, KMIP_HASHING_ALGORITHM_SHA_512);
    assert_int_equal(p.mech->input, P11_INPUT_HASH);
    p11_kmip_params_clear(&p);
}

static void pss_hash_other_than_the_mechanisms_is_invalid(void **state)
{
    (void)state;
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA384, CKG_MGF1_SHA384, 48};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void pss_unknown_mgf_is_invalid(void **state)
{
    (void)state;
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, 0x99, 32};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS_PSS, &pss, sizeof(pss), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void pss_without_params_is_invalid(void **state)
{
    (void)state;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS_PSS, NULL, 0, &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void pss_params_of_wrong_size_are_invalid(void **state)
{
    (void)state;
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS_PSS, &pss, sizeof(pss) - 1, &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void oaep_label_is_copied_as_p_source(void **state)
{
    (void)state;
    char label[] = "label";
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256,
                                    CKZ_DATA_SPECIFIED, label, 5};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep), &p),
                     CKR_OK);
    memset(label, 'x', sizeof(label));
    assert_int_equal(p.padding, KMIP_PADDING_METHOD_OAEP);
    assert_int_equal(p.hash, KMIP_HASHING_ALGORITHM_SHA_256);
    assert_int_equal(p.mask_generator_hash, KMIP_HASHING_ALGORITHM_SHA_256);
    assert_int_equal(p.p_source_len, 5);
    assert_memory_equal(p.p_source, "label", 5);
    p11_kmip_params_clear(&p);
}

static void oaep_without_label_sends_no_p_source(void **state)
{
    (void)state;
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA_1, CKG_MGF1_SHA1, 0, NULL, 0};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep), &p),
                     CKR_OK);
    assert_null(p.p_source);
    assert_int_equal(p.p_source_len, 0);
    p11_kmip_params_clear(&p);
}

static void oaep_label_length_without_data_is_invalid(void **state)
{
    (void)state;
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA256, CKG_MGF1_SHA256,
                                    CKZ_DATA_SPECIFIED, NULL, 4};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void cbc_iv_is_copied(void **state)
{
    (void)state;
    uint8_t iv[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_CBC_PAD, iv, sizeof(iv), &p), CKR_OK);
    assert_int_equal(p.mode, KMIP_BLOCK_CIPHER_MODE_CBC);
    assert_int_equal(p.padding, KMIP_PADDING_METHOD_PKCS5);
    assert_int_equal(p.iv_len, 16);
    assert_memory_equal(p.iv, iv, 16);
    p11_kmip_params_clear(&p);
}

static void cbc_iv_of_8_bytes_is_invalid(void **state)
{
    (void)state;
    uint8_t iv[8] = {0};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_CBC, iv, sizeof(iv), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

/* AES key wrap takes no IV, or the RFCs' default; KMIP has no other. */
static void key_wrap_takes_only_the_default_iv(void **state)
{
    (void)state;
    uint8_t kw_iv[8] = {0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6};
    uint8_t kwp_iv[4] = {0xa6, 0x59, 0x59, 0xa6};
    uint8_t other[8] = {0};
    struct {
        CK_MECHANISM mechanism;
        CK_RV rv;
    } cases[] = {
        {{CKM_AES_KEY_WRAP, NULL, 0}, CKR_OK},
        {{CKM_AES_KEY_WRAP, kw_iv, 8}, CKR_OK},
        {{CKM_AES_KEY_WRAP, other, 8}, CKR_MECHANISM_PARAM_INVALID},
        {{CKM_AES_KEY_WRAP, kwp_iv, 4}, CKR_MECHANISM_PARAM_INVALID},
        {{CKM_AES_KEY_WRAP_PAD, kwp_iv, 4}, CKR_OK},
        {{CKM_AES_KEY_WRAP_PAD, kw_iv, 8}, CKR_MECHANISM_PARAM_INVALID},
        {{CKM_AES_KEY_WRAP_PAD, NULL, 4}, CKR_MECHANISM_PARAM_INVALID},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        p11_kmip_params params;
        assert_int_equal(
            p11_kmip_params_from_mechanism(&cases[i].mechanism, &params),
            cases[i].rv);
        p11_kmip_params_clear(&params);
    }
}

static void ecb_with_a_parameter_is_invalid(void **state)
{
    (void)state;
    uint8_t iv[16] = {0};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_ECB, iv, sizeof(iv), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
    /* A length without a pointer is a parameter too. */
    assert_int_equal(params_for(CKM_AES_ECB, NULL, sizeof(iv), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void ctr_gives_counter_length_and_block(void **state)
{
    (void)state;
    CK_AES_CTR_PARAMS ctr = {32, {0}};
    ctr.cb[15] = 7;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_CTR, &ctr, sizeof(ctr), &p), CKR_OK);
    assert_int_equal(p.mode, KMIP_BLOCK_CIPHER_MODE_CTR);
    assert_int_equal(p.counter_length, 32);
    assert_int_equal(p.iv_len, 16);
    assert_int_equal(p.iv[15], 7);
    p11_kmip_params_clear(&p);
}

static void ctr_counter_of_zero_or_129_bits_is_invalid(void **state)
{
    (void)state;
    CK_AES_CTR_PARAMS ctr = {0, {0}};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_CTR, &ctr, sizeof(ctr), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
    ctr.ulCounterBits = 129;
    assert_int_equal(params_for(CKM_AES_CTR, &ctr, sizeof(ctr), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void gcm_gives_iv_aad_and_tag_bytes(void **state)
{
    (void)state;
    uint8_t iv[12] = {9};
    uint8_t aad[3] = {'a', 'a', 'd'};
    CK_GCM_PARAMS gcm = {iv, sizeof(iv), 96, aad, sizeof(aad), 128};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_GCM, &gcm, sizeof(gcm), &p), CKR_OK);
    assert_int_equal(p.mode, KMIP_BLOCK_CIPHER_MODE_GCM);
    assert_int_equal(p.tag_length, 16);
    assert_int_equal(p.iv_len, 12);
    assert_int_equal(p.iv[0], 9);
    assert_int_equal(p.aad_len, 3);
    assert_memory_equal(p.aad, "aad", 3);
    p11_kmip_params_clear(&p);
}

static void gcm_params_without_iv_bits_are_read(void **state)
{
    (void)state;
    uint8_t iv[12] = {5};
    struct {
        CK_BYTE_PTR iv;
        CK_ULONG iv_len;
        CK_BYTE_PTR aad;
        CK_ULONG aad_len;
        CK_ULONG tag_bits;
    } older = {iv, sizeof(iv), NULL, 0, 96};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_GCM, &older, sizeof(older), &p),
                     CKR_OK);
    assert_int_equal(p.tag_length, 12);
    assert_int_equal(p.iv_len, 12);
    assert_int_equal(p.iv[0], 5);
    p11_kmip_params_clear(&p);
}

static void gcm_tag_of_100_bits_is_invalid(void **state)
{
    (void)state;
    uint8_t iv[12] = {0};
    CK_GCM_PARAMS gcm = {iv, sizeof(iv), 96, NULL, 0, 100};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_GCM, &gcm, sizeof(gcm), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void gcm_without_iv_is_invalid(void **state)
{
    (void)state;
    CK_GCM_PARAMS gcm = {NULL, 0, 0, NULL, 0, 128};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_GCM, &gcm, sizeof(gcm), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void gcm_aad_length_without_data_is_invalid(void **state)
{
    (void)state;
    uint8_t iv[12] = {0};
    CK_GCM_PARAMS gcm = {iv, sizeof(iv), 96, NULL, 5, 128};
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_AES_GCM, &gcm, sizeof(gcm), &p),
                     CKR_MECHANISM_PARAM_INVALID);
    p11_kmip_params_clear(&p);
}

static void hmac_is_the_hmac_algorithm(void **state)
{
    (void)state;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_SHA384_HMAC, NULL, 0, &p), CKR_OK);
    assert_int_equal(p.algorithm, KMIP_CRYPTOGRAPHIC_ALGORITHM_HMAC_SHA384);
    assert_int_equal(p.mech->key_type, CKK_GENERIC_SECRET);
    assert_int_equal(p.signature, 0);
    p11_kmip_params_clear(&p);
}

static void digest_mechanism_has_no_kmip_parameters(void **state)
{
    (void)state;
    p11_kmip_params p;
    assert_int_equal(params_for(CKM_SHA256, NULL, 0, &p),
                     CKR_MECHANISM_INVALID);
    p11_kmip_params_clear(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_rsa_pkcs_is_pkcs1v15_with_sha256),
        cmocka_unit_test(rsa_pkcs_takes_its_hash_from_the_digest_info),
        cmocka_unit_test(ecdsa_takes_its_hash_from_the_data_length),
        cmocka_unit_test(pss_params_give_salt_and_mgf1_hash),
        cmocka_unit_test(pss_hash_comes_from_params_for_rsa_pkcs_pss),
        cmocka_unit_test(pss_hash_other_than_the_mechanisms_is_invalid),
        cmocka_unit_test(pss_unknown_mgf_is_invalid),
        cmocka_unit_test(pss_without_params_is_invalid),
        cmocka_unit_test(pss_params_of_wrong_size_are_invalid),
        cmocka_unit_test(oaep_label_is_copied_as_p_source),
        cmocka_unit_test(oaep_without_label_sends_no_p_source),
        cmocka_unit_test(oaep_label_length_without_data_is_invalid),
        cmocka_unit_test(cbc_iv_is_copied),
        cmocka_unit_test(cbc_iv_of_8_bytes_is_invalid),
        cmocka_unit_test(ecb_with_a_parameter_is_invalid),
        cmocka_unit_test(key_wrap_takes_only_the_default_iv),
        cmocka_unit_test(ctr_gives_counter_length_and_block),
        cmocka_unit_test(ctr_counter_of_zero_or_129_bits_is_invalid),
        cmocka_unit_test(gcm_gives_iv_aad_and_tag_bytes),
        cmocka_unit_test(gcm_params_without_iv_bits_are_read),
        cmocka_unit_test(gcm_tag_of_100_bits_is_invalid),
        cmocka_unit_test(gcm_without_iv_is_invalid),
        cmocka_unit_test(gcm_aad_length_without_data_is_invalid),
        cmocka_unit_test(hmac_is_the_hmac_algorithm),
        cmocka_unit_test(hmac_general_takes_a_length_up_to_the_hash),
        cmocka_unit_test(rsa_x_509_is_rsa_without_padding),
        cmocka_unit_test(digest_mechanism_has_no_kmip_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
