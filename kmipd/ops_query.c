/* SPDX-License-Identifier: Apache-2.0 */
/* Query: what kmipd serves, for each Query Function the request's version
 * has. Functions kmipd has nothing to report for (Application
 * Namespaces, Extension List and Map, Attestation Types, Validations)
 * are answered with nothing, as the specification allows. */
#include "kmip/tags.h"

#include "kmipd/config.h"
#include "kmipd/kept_attrs.h"
#include "kmipd/ops_objects.h"

static bool query_operations(kmipd_call *call)
{
    for (size_t i = 0; i < kmipd_operations_count; i++) {
        const kmipd_operation *op = &kmipd_operations[i];
        if (kmip_version_cmp(call->version, op->min_version) >= 0 &&
            !kmip_add_enum(call->response, KMIP_TAG_OPERATION, op->operation))
            return false;
    }
    return true;
}

static bool query_objects(kmipd_call *call)
{
    for (size_t i = 0; i < kmipd_object_types_count; i++) {
        if (!kmip_add_enum(call->response, KMIP_TAG_OBJECT_TYPE,
                           kmipd_object_types[i]))
            return false;
    }
    return true;
}

static bool query_server_information(kmipd_call *call)
{
    return kmip_add_text(call->response, KMIP_TAG_VENDOR_IDENTIFICATION,
                         "p11kmip kmipd") &&
           kmip_add_structure(call->response, KMIP_TAG_SERVER_INFORMATION);
}

/* The profiles whose mandatory OASIS test cases kmipd passes (see
 * doc/kmipd.md); the Symmetric Key Foundry when Triple DES keys are
 * allowed, as its cases make them. */
static bool query_profiles(kmipd_call *call)
{
    static const uint32_t claimed[] = {
        KMIP_PROFILE_NAME_BASELINE_SERVER_BASIC_KMIPV12,
        KMIP_PROFILE_NAME_BASELINE_SERVER_TLSV12_KMIPV12,
        KMIP_PROFILE_NAME_SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV12,
        KMIP_PROFILE_NAME_ASYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV12,
        KMIP_PROFILE_NAME_ADVANCED_CRYPTOGRAPHIC_SERVER_KMIPV12,
        KMIP_PROFILE_NAME_RNG_CRYPTOGRAPHIC_SERVER_KMIPV12,
        KMIP_PROFILE_NAME_OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV12,
        KMIP_PROFILE_NAME_TAPE_LIBRARY_SERVER_KMIPV12,
        KMIP_PROFILE_NAME_SYMMETRIC_KEY_FOUNDRY_SERVER_KMIPV12,
    };
    size_t count = sizeof(claimed) / sizeof(*claimed);
    if (!call->config->allow_triple_des)
        count--;
    for (size_t i = 0; i < count; i++) {
        kmip_item *info =
            kmip_add_structure(call->response, KMIP_TAG_PROFILE_INFORMATION);
        if (!kmip_add_enum(info, KMIP_TAG_PROFILE_NAME, claimed[i]))
            return false;
    }
    return true;
}

static bool query_capabilities(kmipd_call *call)
{
    kmip_item *caps =
        kmip_add_structure(call->response, KMIP_TAG_CAPABILITY_INFORMATION);
    bool ok = kmip_add_bool(caps, KMIP_TAG_STREAMING_CAPABILITY, true) &&
              kmip_add_bool(caps, KMIP_TAG_ASYNCHRONOUS_CAPABILITY, false) &&
              kmip_add_bool(caps, KMIP_TAG_ATTESTATION_CAPABILITY, false);
    if (ok && kmip_version_cmp(call->version, (kmip_version){1, 4}) >= 0)
        ok = kmip_add_bool(caps, KMIP_TAG_BATCH_UNDO_CAPABILITY, true) &&
             kmip_add_bool(caps, KMIP_TAG_BATCH_CONTINUE_CAPABILITY, true);
    return ok && kmip_add_enum(caps, KMIP_TAG_DESTROY_ACTION,
                               KMIP_DESTROY_ACTION_KEY_MATERIAL_DELETED);
}

static bool query_rngs(kmipd_call *call)
{
    return kmip_item_add(call->response, kmipd_rng_description(
                                             KMIP_TAG_RNG_PARAMETERS)) != NULL;
}

static const struct {
    uint32_t function;
    kmip_version since;
    bool (*answer)(kmipd_call *call); /* false: out of memory */
} functions[] = {
    {KMIP_QUERY_FUNCTION_QUERY_OPERATIONS, {1, 0}, query_operations},
    {KMIP_QUERY_FUNCTION_QUERY_OBJECTS, {1, 0}, query_objects},
    {KMIP_QUERY_FUNCTION_QUERY_SERVER_INFORMATION,
     {1, 0},
     query_server_information},
    {KMIP_QUERY_FUNCTION_QUERY_RNGS, {1, 3}, query_rngs},
    {KMIP_QUERY_FUNCTION_QUERY_PROFILES, {1, 3}, query_profiles},
    {KMIP_QUERY_FUNCTION_QUERY_CAPABILITIES, {1, 3}, query_capabilities},
};

/* Answers in the order of the table, each function once. */
bool kmipd_op_query(kmipd_call *call)
{
    bool asked[sizeof(functions) / sizeof(*functions)] = {false};
    for (const kmip_item *fn =
             kmip_item_find(call->request, KMIP_TAG_QUERY_FUNCTION);
         fn != NULL;
         fn = kmip_item_next_with_tag(fn, KMIP_TAG_QUERY_FUNCTION)) {
        if (fn->type != KMIP_TYPE_ENUMERATION)
            return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                              "Query Function must be an Enumeration");
        for (size_t i = 0; i < sizeof(functions) / sizeof(*functions); i++)
            asked[i] |=
                functions[i].function == fn->v.enumeration &&
                kmip_version_cmp(call->version, functions[i].since) >= 0;
    }
    for (size_t i = 0; i < sizeof(functions) / sizeof(*functions); i++) {
        if (asked[i] && !functions[i].answer(call))
            return kmipd_fail_nomem(call);
    }
    return true;
}
