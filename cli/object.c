/* SPDX-License-Identifier: Apache-2.0 */
/* What the operator sees of an object: class, kind, size, label, id and
 * its pkcs11: URI. */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <p11-kit/uri.h>

#include "cli.h"
#include "objects.h"

void cli_warn_lost_id(const cli_token *token, CK_OBJECT_HANDLE handle,
                      const uint8_t *id, size_t id_len)
{
    uint8_t *kept = NULL;
    size_t len = 0;

    if (cli_attr_get(token, handle, CKA_ID, &kept, &len) != CKR_OK ||
        len != id_len || memcmp(kept, id, len) != 0)
        cli_error(CLI_OK,
                  "warning: the server on token \"%s\" does not keep the "
                  "id; find the object by its label (its id is now its KMIP "
                  "Unique Identifier)",
                  token->label);
    free(kept);
}

CK_RV cli_attr_get(const cli_token *token, CK_OBJECT_HANDLE handle,
                   CK_ATTRIBUTE_TYPE type, uint8_t **value, size_t *len)
{
    CK_ATTRIBUTE attr = {type, NULL, 0};
    CK_RV rv =
        token->fns->C_GetAttributeValue(token->session, handle, &attr, 1);

    if (rv != CKR_OK)
        return rv;
    attr.pValue = malloc(attr.ulValueLen + 1);
    if (attr.pValue == NULL)
        return CKR_HOST_MEMORY;
    rv = token->fns->C_GetAttributeValue(token->session, handle, &attr, 1);
    if (rv != CKR_OK) {
        free(attr.pValue);
        return rv;
    }
    ((uint8_t *)attr.pValue)[attr.ulValueLen] = '\0';
    *value = attr.pValue;
    *len = attr.ulValueLen;
    return CKR_OK;
}

static CK_ULONG attr_ulong(const cli_token *token, CK_OBJECT_HANDLE handle,
                           CK_ATTRIBUTE_TYPE type)
{
    CK_ULONG value = CK_UNAVAILABLE_INFORMATION;
    CK_ATTRIBUTE attr = {type, &value, sizeof(value)};

    if (token->fns->C_GetAttributeValue(token->session, handle, &attr, 1) !=
        CKR_OK)
        return CK_UNAVAILABLE_INFORMATION;
    return value;
}

/* The NIST name of the curve CKA_EC_PARAMS names. */
static const char *curve_name(const uint8_t *der, size_t len)
{
    const unsigned char *p = der;
    ASN1_OBJECT *oid = d2i_ASN1_OBJECT(NULL, &p, (long)len);
    int nid = oid != NULL ? OBJ_obj2nid(oid) : NID_undef;

    ASN1_OBJECT_free(oid);
    return nid != NID_undef ? EC_curve_nid2nist(nid) : NULL;
}

/* Key size in bits: RSA modulus, EC curve, secret key length. */
static void read_size(const cli_token *token, cli_object *object)
{
    uint8_t *value = NULL;
    size_t len = 0;
    CK_ULONG value_len;

    switch (object->subtype) {
    case CKK_RSA:
        if (cli_attr_get(token, object->handle, CKA_MODULUS, &value, &len) ==
            CKR_OK) {
            size_t skip = 0;

            while (skip < len && value[skip] == 0)
                skip++;
            object->bits = (len - skip) * 8;
        } else if ((value_len =
                        attr_ulong(token, object->handle, CKA_MODULUS_BITS)) !=
                   CK_UNAVAILABLE_INFORMATION) {
            object->bits = value_len;
        }
        break;
    case CKK_EC:
        if (cli_attr_get(token, object->handle, CKA_EC_PARAMS, &value, &len) ==
            CKR_OK)
            object->curve = curve_name(value, len);
        if (object->curve != NULL)
            object->bits = strtoul(object->curve + 2, NULL, 10);
        break;
    case CKK_AES:
    case CKK_GENERIC_SECRET:
        value_len = attr_ulong(token, object->handle, CKA_VALUE_LEN);
        if (value_len != CK_UNAVAILABLE_INFORMATION)
            object->bits = value_len * 8;
        break;
    default:
        break;
    }
    free(value);
}

int cli_object_read(const cli_token *token, CK_OBJECT_HANDLE handle,
                    cli_object *out)
{
    size_t len;
    CK_RV rv;

    memset(out, 0, sizeof(*out));
    out->handle = handle;
    out->object_class = attr_ulong(token, handle, CKA_CLASS);
    if (out->object_class == CK_UNAVAILABLE_INFORMATION)
        return cli_error(CLI_EXIT_FAILURE,
                         "object %lu on token \"%s\" vanished while it was "
                         "read; run the command again",
                         (unsigned long)handle, token->label);
    out->subtype =
        attr_ulong(token, handle,
                   out->object_class == CKO_CERTIFICATE ? CKA_CERTIFICATE_TYPE
                                                        : CKA_KEY_TYPE);
    rv = cli_attr_get(token, handle, CKA_LABEL, (uint8_t **)&out->label, &len);
    if (rv == CKR_OK && memchr(out->label, '\0', len) != NULL)
        out->label[0] = '\0'; /* not printable as a label */
    if (rv != CKR_OK && (out->label = strdup("")) == NULL)
        return cli_error(CLI_EXIT_FAILURE, "out of memory");
    if (out->object_class != CKO_DATA &&
        cli_attr_get(token, handle, CKA_ID, &out->id, &out->id_len) != CKR_OK)
        out->id = NULL;
    read_size(token, out);
    return CLI_OK;
}

void cli_object_clear(cli_object *object)
{
    free(object->label);
    free(object->id);
    memset(object, 0, sizeof(*object));
}

const char *cli_object_kind(const cli_object *object)
{
    if (object->object_class == CKO_CERTIFICATE)
        return object->subtype == CKC_X_509 ? "x509" : "-";
    switch (object->subtype) {
    case CKK_RSA:
        return "rsa";
    case CKK_EC:
        return "ec";
    case CKK_AES:
        return "aes";
    case CKK_GENERIC_SECRET:
        return "generic-secret";
    default:
        return "-";
    }
}

char *cli_object_uri(const cli_token *token, const cli_object *object)
{
    P11KitUri *uri = p11_kit_uri_new();
    CK_TOKEN_INFO *info;
    CK_ATTRIBUTE label = {CKA_LABEL, object->label, strlen(object->label)};
    CK_ATTRIBUTE id = {CKA_ID, object->id, object->id_len};
    CK_ATTRIBUTE type = {CKA_CLASS, (void *)&object->object_class,
                         sizeof(object->object_class)};
    char *text = NULL;

    if (uri == NULL)
        return NULL;
    info = p11_kit_uri_get_token_info(uri);
    memset(info->label, ' ', sizeof(info->label));
    memcpy(info->label, token->label, strlen(token->label));
    if ((label.ulValueLen == 0 ||
         p11_kit_uri_set_attribute(uri, &label) == P11_KIT_URI_OK) &&
        (object->id == NULL ||
         p11_kit_uri_set_attribute(uri, &id) == P11_KIT_URI_OK) &&
        p11_kit_uri_set_attribute(uri, &type) == P11_KIT_URI_OK &&
        p11_kit_uri_format(uri, P11_KIT_URI_FOR_OBJECT_ON_TOKEN, &text) !=
            P11_KIT_URI_OK)
        text = NULL;
    p11_kit_uri_free(uri);
    return text;
}

json_object *cli_object_json(const cli_token *token, const cli_object *object)
{
    json_object *obj = json_object_new_object();
    char *id = object->id != NULL ? cli_hex(object->id, object->id_len) : NULL;
    char *uri = cli_object_uri(token, object);

    json_object_object_add(obj, "slot", json_object_new_string(token->label));
    json_object_object_add(
        obj, "type",
        json_object_new_string(cli_class_name(object->object_class)));
    json_object_object_add(obj, "kind",
                           json_object_new_string(cli_object_kind(object)));
    json_object_object_add(obj, "bits",
                           object->bits != 0
                               ? json_object_new_int64((int64_t)object->bits)
                               : NULL);
    if (object->curve != NULL)
        json_object_object_add(obj, "curve",
                               json_object_new_string(object->curve));
    json_object_object_add(obj, "label", json_object_new_string(object->label));
    json_object_object_add(obj, "id",
                           id != NULL ? json_object_new_string(id) : NULL);
    json_object_object_add(obj, "uri",
                           uri != NULL ? json_object_new_string(uri) : NULL);
    free(id);
    free(uri);
    return obj;
}
