/* SPDX-License-Identifier: Apache-2.0 */
/* Every operation kmipd serves: what Query reports and what the dispatcher
 * calls. Rows are grouped by the file that implements them. */
#include "kmipd/dispatch.h"

#include "kmip/tags.h"

#include "kmipd/ops_crypto.h"
#include "kmipd/ops_objects.h"

#define V(maj, min)                                                            \
    {                                                                          \
        (maj), (min)                                                           \
    }

const kmipd_operation kmipd_operations[] = {
    /* kmipd/ops_objects.h */
    {KMIP_OPERATION_DISCOVER_VERSIONS, V(1, 1), kmipd_op_discover_versions},
    {KMIP_OPERATION_QUERY, V(1, 0), kmipd_op_query},
    {KMIP_OPERATION_LOCATE, V(1, 0), kmipd_op_locate},
    {KMIP_OPERATION_GET_ATTRIBUTES, V(1, 0), kmipd_op_get_attributes},
    {KMIP_OPERATION_GET_ATTRIBUTE_LIST, V(1, 0), kmipd_op_get_attribute_list},
    {KMIP_OPERATION_ADD_ATTRIBUTE, V(1, 0), kmipd_op_add_attribute},
    {KMIP_OPERATION_MODIFY_ATTRIBUTE, V(1, 0), kmipd_op_modify_attribute},
    {KMIP_OPERATION_DELETE_ATTRIBUTE, V(1, 0), kmipd_op_delete_attribute},
    {KMIP_OPERATION_SET_ATTRIBUTE, V(2, 0), kmipd_op_set_attribute},
    {KMIP_OPERATION_ADJUST_ATTRIBUTE, V(2, 0), kmipd_op_adjust_attribute},
    {KMIP_OPERATION_ACTIVATE, V(1, 0), kmipd_op_activate},
    {KMIP_OPERATION_REVOKE, V(1, 0), kmipd_op_revoke},
    {KMIP_OPERATION_DESTROY, V(1, 0), kmipd_op_destroy},
    /* kmipd/ops_crypto.h */
    {KMIP_OPERATION_CREATE, V(1, 0), kmipd_op_create},
    {KMIP_OPERATION_CREATE_KEY_PAIR, V(1, 0), kmipd_op_create_key_pair},
    {KMIP_OPERATION_REGISTER, V(1, 0), kmipd_op_register},
    {KMIP_OPERATION_GET, V(1, 0), kmipd_op_get},
    {KMIP_OPERATION_ENCRYPT, V(1, 2), kmipd_op_encrypt},
    {KMIP_OPERATION_DECRYPT, V(1, 2), kmipd_op_decrypt},
    {KMIP_OPERATION_SIGN, V(1, 2), kmipd_op_sign},
    {KMIP_OPERATION_SIGNATURE_VERIFY, V(1, 2), kmipd_op_signature_verify},
    {KMIP_OPERATION_MAC, V(1, 2), kmipd_op_mac},
    {KMIP_OPERATION_MAC_VERIFY, V(1, 2), kmipd_op_mac_verify},
    {KMIP_OPERATION_RNG_RETRIEVE, V(1, 3), kmipd_op_rng_retrieve},
    {KMIP_OPERATION_HASH, V(1, 3), kmipd_op_hash},
    {KMIP_OPERATION_DERIVE_KEY, V(1, 4), kmipd_op_derive_key},
};

const size_t kmipd_operations_count =
    sizeof(kmipd_operations) / sizeof(kmipd_operations[0]);

const uint32_t kmipd_object_types[] = {
    KMIP_OBJECT_TYPE_CERTIFICATE, KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
    KMIP_OBJECT_TYPE_PUBLIC_KEY,  KMIP_OBJECT_TYPE_PRIVATE_KEY,
    KMIP_OBJECT_TYPE_SECRET_DATA, KMIP_OBJECT_TYPE_OPAQUE_DATA,
};

const size_t kmipd_object_types_count =
    sizeof(kmipd_object_types) / sizeof(kmipd_object_types[0]);

const kmipd_operation *kmipd_operation_find(uint32_t operation)
{
    for (size_t i = 0; i < kmipd_operations_count; i++) {
        if (kmipd_operations[i].operation == operation)
            return &kmipd_operations[i];
    }
    return NULL;
}
