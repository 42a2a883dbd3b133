/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip show --label L [--type T] [--json]: one object in detail: what
 * list shows, its URI, what it may be used for and, for a certificate,
 * subject, issuer and validity. */
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "objects.h"

static const struct {
    CK_ATTRIBUTE_TYPE type;
    const char *name;
} usages[] = {
    {CKA_SIGN, "sign"},       {CKA_VERIFY, "verify"}, {CKA_ENCRYPT, "encrypt"},
    {CKA_DECRYPT, "decrypt"}, {CKA_WRAP, "wrap"},     {CKA_UNWRAP, "unwrap"},
    {CKA_DERIVE, "derive"},
};

static json_object *usage_json(const cli_token *token, CK_OBJECT_HANDLE handle)
{
    json_object *array = json_object_new_array();

    for (size_t i = 0; i < sizeof(usages) / sizeof(usages[0]); i++) {
        CK_BBOOL value = CK_FALSE;
        CK_ATTRIBUTE attr = {usages[i].type, &value, sizeof(value)};

        if (token->fns->C_GetAttributeValue(token->session, handle, &attr, 1) ==
                CKR_OK &&
            value)
            json_object_array_add(array,
                                  json_object_new_string(usages[i].name));
    }
    return array;
}

static json_object *name_json(const X509_NAME *name)
{
    BIO *mem = BIO_new(BIO_s_mem());
    json_object *text = NULL;
    char *data;
    long len;

    if (mem != NULL &&
        X509_NAME_print_ex(mem, name, 0,
                           XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        len = BIO_get_mem_data(mem, &data);
        text = json_object_new_string_len(data, (int)len);
    }
    BIO_free(mem);
    return text;
}

static json_object *time_json(const ASN1_TIME *time)
{
    struct tm tm;
    char text[32];

    if (!ASN1_TIME_to_tm(time, &tm))
        return NULL;
    strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_object_new_string(text);
}

/* Subject, issuer, serial and validity of a certificate object. */
static void add_certificate(const cli_token *token, CK_OBJECT_HANDLE handle,
                            json_object *obj)
{
    uint8_t *der = NULL;
    size_t len = 0;
    const unsigned char *p;
    X509 *cert = NULL;
    char *serial;

    if (cli_attr_get(token, handle, CKA_VALUE, &der, &len) != CKR_OK)
        return;
    p = der;
    cert = d2i_X509(NULL, &p, (long)len);
    if (cert != NULL) {
        BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);

        serial = bn != NULL ? BN_bn2hex(bn) : NULL;
        json_object_object_add(obj, "subject",
                               name_json(X509_get_subject_name(cert)));
        json_object_object_add(obj, "issuer",
                               name_json(X509_get_issuer_name(cert)));
        json_object_object_add(obj, "serial",
                               serial != NULL ? json_object_new_string(serial)
                                              : NULL);
        json_object_object_add(obj, "not_before",
                               time_json(X509_get0_notBefore(cert)));
        json_object_object_add(obj, "not_after",
                               time_json(X509_get0_notAfter(cert)));
        OPENSSL_free(serial);
        BN_free(bn);
    }
    X509_free(cert);
    free(der);
}

static void print_text(json_object *obj)
{
    json_object_object_foreach(obj, key, value)
    {
        if (json_object_is_type(value, json_type_array)) {
            printf("%-11s", key);
            for (size_t i = 0; i < json_object_array_length(value); i++)
                printf(" %s", json_object_get_string(
                                  json_object_array_get_idx(value, i)));
            printf("\n");
        } else {
            printf("%-11s %s\n", key,
                   value != NULL ? json_object_get_string(value) : "-");
        }
    }
}

/* Prints object, as JSON when *json (a bool). */
static int show_object(const cli_token *token, const cli_object *object,
                       void *json)
{
    json_object *obj = cli_object_json(token, object);

    if (object->object_class == CKO_CERTIFICATE)
        add_certificate(token, object->handle, obj);
    else if (object->object_class != CKO_DATA)
        json_object_object_add(obj, "usage", usage_json(token, object->handle));
    if (*(const bool *)json)
        printf("%s\n", json_object_to_json_string_ext(
                           obj, JSON_C_TO_STRING_PRETTY |
                                    JSON_C_TO_STRING_NOSLASHESCAPE));
    else
        print_text(obj);
    json_object_put(obj);
    return CLI_OK;
}

static int show(const cli_selector *sel, bool json)
{
    return cli_run_on_object(sel, "show", show_object, &json);
}

static int run(int argc, char **argv)
{
    return cli_run_with_flag(argc, argv, &cli_cmd_show, "json", show);
}

const cli_command cli_cmd_show = {
    "show",
    "show one object in detail",
    "[--label LABEL] [--id HEX] [--type TYPE] [--slot SLOT] [--json] [URI]",
    run,
};
