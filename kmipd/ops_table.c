/* SPDX-License-Identifier: Apache-2.0 */
/* Every operation kmipd serves: what Query reports and what the dispatcher
 * calls. Rows are grouped by the file that implements them. */
#include "kmipd/dispatch.h"

#include "kmip/tags.h"

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
    /* kmipd/ops_crypto.h: add the cryptographic operations here. */
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
