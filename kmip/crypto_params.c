/* SPDX-License-Identifier: Apache-2.0 */
/* Cryptographic Parameters, every field in the specification's order. */
#include "crypto_params.h"

#include <string.h>

#define CP(member, tag, kind)                                                  \
    KMIP_FIELD(kmip_crypto_params, member, tag, kind, false)

static const kmip_field crypto_params_fields[] = {
    CP(block_cipher_mode, KMIP_TAG_BLOCK_CIPHER_MODE, KMIP_FIELD_ENUM),
    CP(padding_method, KMIP_TAG_PADDING_METHOD, KMIP_FIELD_ENUM),
    CP(hashing_algorithm, KMIP_TAG_HASHING_ALGORITHM, KMIP_FIELD_ENUM),
    CP(key_role_type, KMIP_TAG_KEY_ROLE_TYPE, KMIP_FIELD_ENUM),
    CP(digital_signature_algorithm, KMIP_TAG_DIGITAL_SIGNATURE_ALGORITHM,
       KMIP_FIELD_ENUM),
    CP(cryptographic_algorithm, KMIP_TAG_CRYPTOGRAPHIC_ALGORITHM,
       KMIP_FIELD_ENUM),
    CP(random_iv, KMIP_TAG_RANDOM_IV, KMIP_FIELD_BOOL),
    CP(iv_length, KMIP_TAG_IV_LENGTH, KMIP_FIELD_INT),
    CP(tag_length, KMIP_TAG_TAG_LENGTH, KMIP_FIELD_INT),
    CP(fixed_field_length, KMIP_TAG_FIXED_FIELD_LENGTH, KMIP_FIELD_INT),
    CP(invocation_field_length, KMIP_TAG_INVOCATION_FIELD_LENGTH,
       KMIP_FIELD_INT),
    CP(counter_length, KMIP_TAG_COUNTER_LENGTH, KMIP_FIELD_INT),
    CP(initial_counter_value, KMIP_TAG_INITIAL_COUNTER_VALUE, KMIP_FIELD_INT),
    CP(salt_length, KMIP_TAG_SALT_LENGTH, KMIP_FIELD_INT),
    CP(mask_generator, KMIP_TAG_MASK_GENERATOR, KMIP_FIELD_ENUM),
    CP(mask_generator_hashing_algorithm,
       KMIP_TAG_MASK_GENERATOR_HASHING_ALGORITHM, KMIP_FIELD_ENUM),
    CP(p_source, KMIP_TAG_P_SOURCE, KMIP_FIELD_BYTES),
    CP(trailer_field, KMIP_TAG_TRAILER_FIELD, KMIP_FIELD_INT),
};

const kmip_field_table kmip_crypto_params_table =
    KMIP_FIELD_TABLE("Cryptographic Parameters", crypto_params_fields);

kmip_item *kmip_crypto_params_build(const kmip_crypto_params *params)
{
    if (params == NULL)
        return NULL;
    return kmip_fields_build_new(KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS,
                                 &kmip_crypto_params_table, params);
}

kmip_rc kmip_crypto_params_parse(const kmip_item *item, kmip_crypto_params *out,
                                 kmip_status *status)
{
    if (out == NULL)
        return kmip_fail(status, KMIP_E_INVALID_ARG,
                         "Cryptographic Parameters: no output");
    memset(out, 0, sizeof(*out));
    if (item == NULL || item->type != KMIP_TYPE_STRUCTURE)
        return kmip_fail(status, KMIP_E_DECODE,
                         "Cryptographic Parameters: not a structure");
    kmip_rc rc =
        kmip_fields_parse(item, &kmip_crypto_params_table, out, status);
    out->present = rc == KMIP_OK;
    return rc;
}
