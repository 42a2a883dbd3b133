/* SPDX-License-Identifier: Apache-2.0 */
/* p11kmip keygen SPEC --label LABEL [--id HEX] [--self-signed SUBJECT]: a
 * key (pair) generated on the server through p11core (C_GenerateKeyPair /
 * C_GenerateKey create and activate in one batch, so nothing is left half
 * made), and a self-signed certificate next to it when asked. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "cli.h"
#include "commands.h"
#include "keyspec.h"
#include "objects.h"
#include "print.h"
#include "signing.h"

typedef struct keygen_args {
    cli_keyspec spec;
    const char *spec_name;
    cli_selector sel; /* slot, label and id of the new key */
    bool json;
    const char *subject, *days, *out; /* --self-signed, --days, --out */
    cli_cert_request cert;
} keygen_args;

static CK_BBOOL yes = CK_TRUE;
static CK_BBOOL no = CK_FALSE;

/* The CKA_EC_PARAMS of a curve (a named-curve OID), OPENSSL_malloc'd. */
static int ec_params(int nid, unsigned char **der)
{
    ASN1_OBJECT *oid = OBJ_nid2obj(nid);

    *der = NULL;
    return oid != NULL ? i2d_ASN1_OBJECT(oid, der) : -1;
}

/* Label and id go on every object of the key. */
static CK_ULONG naming(const keygen_args *args, CK_ATTRIBUTE *templ)
{
    CK_ULONG n = 0;

    templ[n++] = (CK_ATTRIBUTE){CKA_TOKEN, &yes, sizeof(yes)};
    templ[n++] =
        (CK_ATTRIBUTE){CKA_LABEL, args->sel.label, strlen(args->sel.label)};
    if (args->sel.has_id)
        templ[n++] = (CK_ATTRIBUTE){CKA_ID, args->sel.id, args->sel.id_len};
    return n;
}

static CK_RV generate(const cli_token *token, const keygen_args *args,
                      CK_OBJECT_HANDLE *handles, size_t *n)
{
    CK_MECHANISM mechanism = {args->spec.mechanism, NULL, 0};
    CK_ATTRIBUTE pub[10], priv[10];
    CK_ULONG pub_n = naming(args, pub), priv_n = naming(args, priv);
    CK_ULONG size = args->spec.size;
    unsigned char *params = NULL;
    int params_len;
    CK_RV rv;

    /* Each usage said, as the token's defaults would add others. */
    if (mechanism.mechanism == CKM_AES_KEY_GEN) {
        priv[priv_n++] = (CK_ATTRIBUTE){CKA_VALUE_LEN, &size, sizeof(size)};
        priv[priv_n++] = (CK_ATTRIBUTE){CKA_ENCRYPT, &yes, sizeof(yes)};
        priv[priv_n++] = (CK_ATTRIBUTE){CKA_DECRYPT, &yes, sizeof(yes)};
        priv[priv_n++] = (CK_ATTRIBUTE){CKA_WRAP, &no, sizeof(no)};
        priv[priv_n++] = (CK_ATTRIBUTE){CKA_UNWRAP, &no, sizeof(no)};
        priv[priv_n++] = (CK_ATTRIBUTE){CKA_SIGN, &no, sizeof(no)};
        priv[priv_n++] = (CK_ATTRIBUTE){CKA_VERIFY, &no, sizeof(no)};
        *n = 1;
        return token->fns->C_GenerateKey(token->session, &mechanism, priv,
                                         priv_n, &handles[0]);
    }
    CK_BBOOL *rsa =
        mechanism.mechanism == CKM_RSA_PKCS_KEY_PAIR_GEN ? &yes : &no;
    pub[pub_n++] = (CK_ATTRIBUTE){CKA_VERIFY, &yes, sizeof(yes)};
    pub[pub_n++] = (CK_ATTRIBUTE){CKA_ENCRYPT, rsa, sizeof(*rsa)};
    pub[pub_n++] = (CK_ATTRIBUTE){CKA_WRAP, &no, sizeof(no)};
    priv[priv_n++] = (CK_ATTRIBUTE){CKA_SIGN, &yes, sizeof(yes)};
    priv[priv_n++] = (CK_ATTRIBUTE){CKA_DECRYPT, rsa, sizeof(*rsa)};
    priv[priv_n++] = (CK_ATTRIBUTE){CKA_UNWRAP, &no, sizeof(no)};
    if (mechanism.mechanism == CKM_RSA_PKCS_KEY_PAIR_GEN) {
        pub[pub_n++] = (CK_ATTRIBUTE){CKA_MODULUS_BITS, &size, sizeof(size)};
    } else {
        params_len = ec_params(args->spec.curve_nid, &params);
        if (params_len <= 0)
            return CKR_HOST_MEMORY;
        pub[pub_n++] =
            (CK_ATTRIBUTE){CKA_EC_PARAMS, params, (CK_ULONG)params_len};
    }
    *n = 2;
    rv = token->fns->C_GenerateKeyPair(token->session, &mechanism, pub, pub_n,
                                       priv, priv_n, &handles[1], &handles[0]);
    OPENSSL_free(params);
    return rv;
}

/* The certificate of --self-signed, third after the key pair. */
static int self_sign(const cli_token *token, const keygen_args *args,
                     CK_OBJECT_HANDLE *handles, size_t *n)
{
    int code;

    if (args->subject == NULL)
        return CLI_OK;
    code = cli_self_signed(token, handles[0], handles[1], &args->cert,
                           &handles[2]);
    if (code != CLI_OK)
        return cli_error(code,
                         "keygen: the key pair \"%s\" was kept; 'p11kmip "
                         "cert --label \"%s\" --self-signed ...' tries the "
                         "certificate again",
                         args->sel.label, args->sel.label);
    *n = 3;
    return CLI_OK;
}

static int keygen(const keygen_args *args)
{
    CK_OBJECT_HANDLE handles[3];
    cli_token token;
    cli_progress *progress;
    size_t n = 0;
    CK_RV rv;
    int code = cli_token_open(args->sel.slot, &token);

    if (code == CLI_OK) {
        progress =
            cli_progress_start("generating %s \"%s\" on token \"%s\"",
                               args->spec_name, args->sel.label, token.label);
        rv = generate(&token, args, handles, &n);
        cli_progress_end(progress, rv == CKR_OK);
        if (rv != CKR_OK)
            code = cli_token_error(&token, "generating the key", rv);
    }
    if (code == CLI_OK) {
        if (args->sel.has_id)
            cli_warn_lost_id(&token, handles[0], args->sel.id,
                             args->sel.id_len);
        code = self_sign(&token, args, handles, &n);
    }
    if (code == CLI_OK)
        code = cli_print_objects(&token, handles, n, args->json);
    cli_token_close(&token);
    return code;
}

/* --self-signed and what goes with it. */
static int check_certificate(keygen_args *args)
{
    if (args->subject == NULL)
        return args->days != NULL || args->out != NULL
                   ? cli_error(CLI_EXIT_USAGE,
                               "keygen: --days and --out go with "
                               "--self-signed")
                   : CLI_OK;
    if (args->spec.mechanism == CKM_AES_KEY_GEN)
        return cli_error(CLI_EXIT_USAGE,
                         "keygen: --self-signed needs an RSA or EC key pair");
    args->cert.out = args->out;
    return cli_cert_request_parse(args->subject, args->days, &args->cert);
}

static int run(int argc, char **argv)
{
    keygen_args args = {0};
    const cli_extra_option extra[] = {{"json", &args.json, NULL},
                                      {"self-signed", NULL, &args.subject},
                                      {"days", NULL, &args.days},
                                      {"out", NULL, &args.out}};
    int code = cli_creation_options_parse(argc, argv, &cli_cmd_keygen, extra, 4,
                                          &args.sel);

    if (code == CLI_OK && (optind != argc - 1 || args.sel.label == NULL))
        code = cli_error(CLI_EXIT_USAGE, "usage: p11kmip keygen %s",
                         cli_cmd_keygen.usage);
    if (code == CLI_OK && cli_keyspec_parse(argv[optind], &args.spec) != 0)
        code = cli_error(CLI_EXIT_USAGE, "keygen: unknown key \"%s\" (%s)",
                         argv[optind], CLI_KEYSPEC_NAMES);
    if (code == CLI_OK)
        code = check_certificate(&args);
    if (code == CLI_OK) {
        args.spec_name = argv[optind];
        code = keygen(&args);
    }
    cli_cert_request_clear(&args.cert);
    cli_selector_clear(&args.sel);
    return code;
}

const cli_command cli_cmd_keygen = {
    "keygen",
    "generate a key or key pair on the server, activated",
    "SPEC --label LABEL [--id HEX] [--slot SLOT] [--json]\n"
    "  [--self-signed SUBJECT [--days N] [--out CERT]]\n"
    "  SPEC: " CLI_KEYSPEC_NAMES,
    run,
};
