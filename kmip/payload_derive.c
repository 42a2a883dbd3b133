/* SPDX-License-Identifier: Apache-2.0 */
/* Derive Key payloads. */
#include <string.h>

#include "crypto_params.h"
#include "payload_fields.h"

#define PARAM(member, tag, kind)                                               \
    KMIP_FIELD(kmip_derivation_params, member, tag, kind, false)

static const kmip_field derivation_fields[] = {
    {KMIP_TAG_CRYPTOGRAPHIC_PARAMETERS, KMIP_FIELD_NESTED, false,
     offsetof(kmip_derivation_params, crypto), &kmip_crypto_params_table},
    PARAM(iv, KMIP_TAG_INITIALIZATION_VECTOR, KMIP_FIELD_BYTES),
    PARAM(data, KMIP_TAG_DERIVATION_DATA, KMIP_FIELD_BYTES),
    PARAM(salt, KMIP_TAG_SALT, KMIP_FIELD_BYTES),
    PARAM(iteration_count, KMIP_TAG_ITERATION_COUNT, KMIP_FIELD_INT),
};
static const kmip_field_table derivation_table =
    KMIP_FIELD_TABLE("Derivation Parameters", derivation_fields);

#define ARG(member, tag, kind, required)                                       \
    KMIP_FIELD(kmip_derive_key_args, member, tag, kind, required)

/* The fields after the Unique Identifiers. */
static const kmip_field method_fields[] = {
    ARG(derivation_method, KMIP_TAG_DERIVATION_METHOD, KMIP_FIELD_ENUM, true),
    {KMIP_TAG_DERIVATION_PARAMETERS, KMIP_FIELD_NESTED, true,
     offsetof(kmip_derive_key_args, params), &derivation_table},
};
static const kmip_field_table method_table =
    KMIP_FIELD_TABLE("Derive Key request", method_fields);

kmip_item *kmip_derive_key_request(kmip_version v,
                                   const kmip_derive_key_args *args)
{
    if (args == NULL || args->object_type == 0)
        return NULL;
    kmip_derive_key_args fields = *args;
    fields.params.present = true;
    kmip_item *payload = kmip_item_new_structure(KMIP_TAG_REQUEST_PAYLOAD);
    if (!kmip_add_enum(payload, KMIP_TAG_OBJECT_TYPE, args->object_type) ||
        (args->uid != NULL &&
         !kmip_add_text(payload, KMIP_TAG_UNIQUE_IDENTIFIER, args->uid)) ||
        kmip_fields_build(payload, &method_table, &fields, NULL) != KMIP_OK ||
        kmip_payload_add_attrs(payload, v, args->attributes, KMIP_ATTRS_OBJECT,
                               NULL) != KMIP_OK) {
        kmip_item_free(payload);
        return NULL;
    }
    return payload;
}

kmip_rc kmip_derive_key_request_parse(const kmip_item *payload,
                                      kmip_derive_key_args *out,
                                      kmip_status *status)
{
    static const char what[] = "Derive Key request";
    memset(out, 0, sizeof(*out));
    kmip_rc rc =
        kmip_payload_object_type(payload, what, &out->object_type, status);
    if (rc == KMIP_OK)
        rc = kmip_list_collect(payload, KMIP_TAG_UNIQUE_IDENTIFIER,
                               KMIP_TYPE_TEXT_STRING, what, &out->uids, status);
    if (rc == KMIP_OK && out->uids.count > 0)
        out->uid = (const char *)out->uids.first->v.bytes.data;
    if (rc == KMIP_OK)
        rc = kmip_fields_parse(payload, &method_table, out, status);
    if (rc == KMIP_OK)
        rc = kmip_payload_find_attrs(payload, KMIP_ATTRS_OBJECT, what,
                                     &out->attributes, status);
    return rc;
}

kmip_rc kmip_derive_key_response(const kmip_item *payload,
                                 kmip_derive_key_result *out,
                                 kmip_status *status)
{
    return kmip_register_response(payload, out, status);
}

kmip_item *kmip_derive_key_response_build(kmip_version v, const char *uid,
                                          const kmip_item *attributes)
{
    return kmip_register_response_build(v, uid, attributes);
}
