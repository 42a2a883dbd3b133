/* SPDX-License-Identifier: Apache-2.0 */
/* Handlers of the operations on objects and on the server itself. */
#ifndef KMIPD_OPS_OBJECTS_H
#define KMIPD_OPS_OBJECTS_H

#include <stdbool.h>

#include "kmipd/dispatch.h"

bool kmipd_op_discover_versions(kmipd_call *call);
bool kmipd_op_query(kmipd_call *call);
bool kmipd_op_locate(kmipd_call *call);
bool kmipd_op_get_attributes(kmipd_call *call);
bool kmipd_op_get_attribute_list(kmipd_call *call);
bool kmipd_op_add_attribute(kmipd_call *call);
bool kmipd_op_modify_attribute(kmipd_call *call);
bool kmipd_op_delete_attribute(kmipd_call *call);
bool kmipd_op_set_attribute(kmipd_call *call);
bool kmipd_op_adjust_attribute(kmipd_call *call);
bool kmipd_op_activate(kmipd_call *call);
bool kmipd_op_revoke(kmipd_call *call);
bool kmipd_op_destroy(kmipd_call *call);

#endif
