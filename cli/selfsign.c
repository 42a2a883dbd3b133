/* SPDX-License-Identifier: Apache-2.0 */
/* A self-signed certificate for a private key on the token: the
 * TBSCertificate is built with OpenSSL's X509 API, signed by C_Sign on
 * the token, and the Certificate assembled here (OpenSSL 3.0 has no way
 * to attach a signature made elsewhere), checked, and stored next to the
 * key with its CKA_ID and label, where NSS, Java and OpenVPN look. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "cli.h"
#include "import.h"
#include "objects.h"
#include "signing.h"

/* The SHA-256 signature of each key type. */
static const struct {
    CK_KEY_TYPE key_type;
    CK_MECHANISM_TYPE mechanism;
    int nid;           /* of the AlgorithmIdentifier */
    int param_type;    /* its parameters: NULL for RSA, absent for ECDSA */
    const char *usage; /* the keyUsage extension */
} algorithms[] = {
    {CKK_RSA, CKM_SHA256_RSA_PKCS, NID_sha256WithRSAEncryption, V_ASN1_NULL,
     "critical,digitalSignature,keyEncipherment"},
    {CKK_EC, CKM_ECDSA_SHA256, NID_ecdsa_with_SHA256, V_ASN1_UNDEF,
     "critical,digitalSignature"},
};

#define N_ALGORITHMS (sizeof(algorithms) / sizeof(algorithms[0]))

/* A certificate in the making. */
typedef struct self_signed {
    const cli_token *token;
    cli_object key;   /* the private key: type, label, id */
    size_t algorithm; /* index into algorithms */
    EVP_PKEY *public_key;
    X509 *tbs;    /* everything but the signature */
    uint8_t *der; /* the signed certificate */
    size_t der_len;
} self_signed;

static int find_algorithm(self_signed *cert)
{
    for (size_t i = 0; i < N_ALGORITHMS; i++) {
        if (algorithms[i].key_type == cert->key.subtype) {
            cert->algorithm = i;
            return CLI_OK;
        }
    }
    return cli_error(CLI_EXIT_FAILURE,
                     "self-signed: \"%s\" is not an RSA or EC key",
                     cert->key.label);
}

/* The pair's public key: public_key, else the one public key with the
 * private key's id (CK_INVALID_HANDLE when there is none). */
static CK_OBJECT_HANDLE pair_public_key(const self_signed *cert,
                                        CK_OBJECT_HANDLE public_key)
{
    cli_selector sel = {.id = cert->key.id,
                        .id_len = cert->key.id_len,
                        .has_id = true,
                        .object_class = CKO_PUBLIC_KEY,
                        .has_class = true};
    CK_OBJECT_HANDLE *handles = NULL;
    size_t n = 0;

    if (public_key == CK_INVALID_HANDLE &&
        cli_find(cert->token, &sel, &handles, &n) == CLI_OK && n == 1)
        public_key = handles[0];
    free(handles);
    return public_key;
}

/* The key's CKA_PUBLIC_KEY_INFO: the private key's when it shows it (a
 * server may keep no link to the public half), else the pair's public
 * key's. */
static CK_RV public_key_info(const self_signed *cert,
                             CK_OBJECT_HANDLE public_key, uint8_t **der,
                             size_t *len)
{
    CK_RV rv = cli_attr_get(cert->token, cert->key.handle, CKA_PUBLIC_KEY_INFO,
                            der, len);

    if (rv == CKR_OK)
        return rv;
    public_key = pair_public_key(cert, public_key);
    return public_key != CK_INVALID_HANDLE
               ? cli_attr_get(cert->token, public_key, CKA_PUBLIC_KEY_INFO, der,
                              len)
               : rv;
}

static int read_public_key(self_signed *cert, CK_OBJECT_HANDLE public_key)
{
    uint8_t *der = NULL;
    size_t len = 0;
    const unsigned char *p;
    CK_RV rv = public_key_info(cert, public_key, &der, &len);

    if (rv != CKR_OK)
        return cli_token_error(cert->token, "reading the key's public key", rv);
    p = der;
    cert->public_key = d2i_PUBKEY(NULL, &p, (long)len);
    free(der);
    if (cert->public_key == NULL)
        return cli_error(CLI_EXIT_FAILURE,
                         "self-signed: token \"%s\" gave an unreadable "
                         "public key",
                         cert->token->label);
    return CLI_OK;
}

/* A random positive 127-bit serial number. */
static int set_serial(X509 *x)
{
    unsigned char bytes[16];
    BIGNUM *bn = NULL;
    int ok = RAND_bytes(bytes, sizeof(bytes)) == 1;

    bytes[0] &= 0x7f;
    bytes[0] |= 0x40;
    if (ok)
        bn = BN_bin2bn(bytes, sizeof(bytes), NULL);
    ok = bn != NULL && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok ? 0 : -1;
}

static int add_extension(X509 *x, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *ext;
    int ok;

    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    ok = ext != NULL && X509_add_ext(x, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

/* The TBSCertificate's signature field: X509_get0_tbs_sigalg() is the
 * certificate's own algorithm, which only X509_sign() would otherwise
 * fill. */
static int set_tbs_algorithm(X509 *x, size_t algorithm)
{
    X509_ALGOR *alg = (X509_ALGOR *)(uintptr_t)X509_get0_tbs_sigalg(x);

    return X509_ALGOR_set0(alg, OBJ_nid2obj(algorithms[algorithm].nid),
                           algorithms[algorithm].param_type, NULL) == 1
               ? 0
               : -1;
}

/* Version, serial number, subject = issuer, validity. */
static int set_identity(X509 *x, const cli_cert_request *req)
{
    return X509_set_version(x, X509_VERSION_3) == 1 && set_serial(x) == 0 &&
                   X509_set_subject_name(x, req->subject) == 1 &&
                   X509_set_issuer_name(x, req->subject) == 1 &&
                   X509_gmtime_adj(X509_getm_notBefore(x), 0) != NULL &&
                   X509_time_adj_ex(X509_getm_notAfter(x), (int)req->days, 0,
                                    NULL) != NULL
               ? 0
               : -1;
}

/* An end entity's: not a CA, the key's usage, its key identifier. */
static int add_extensions(X509 *x, const char *usage)
{
    const struct {
        int nid;
        const char *value;
    } extensions[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, usage},
        {NID_subject_key_identifier, "hash"},
    };

    for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
        if (add_extension(x, extensions[i].nid, extensions[i].value) != 0)
            return -1;
    return 0;
}

static int build_tbs(self_signed *cert, const cli_cert_request *req)
{
    X509 *x = cert->tbs = X509_new();

    if (x != NULL && set_identity(x, req) == 0 &&
        X509_set_pubkey(x, cert->public_key) == 1 &&
        add_extensions(x, algorithms[cert->algorithm].usage) == 0 &&
        set_tbs_algorithm(x, cert->algorithm) == 0)
        return CLI_OK;
    return cli_error(CLI_EXIT_FAILURE,
                     "self-signed: cannot build the certificate");
}

/* Certificate ::= SEQUENCE { tbs, algorithm, BIT STRING signature }. */
static int assemble(self_signed *cert, const uint8_t *tbs, int tbs_len,
                    const uint8_t *sig, size_t sig_len)
{
    unsigned char *alg = NULL, *p;
    int alg_len = i2d_X509_ALGOR(X509_get0_tbs_sigalg(cert->tbs), &alg);
    int bits_len = ASN1_object_size(0, (int)sig_len + 1, V_ASN1_BIT_STRING);
    int content_len = tbs_len + alg_len + bits_len;

    if (alg_len <= 0 || bits_len <= 0 ||
        (cert->der = malloc((size_t)ASN1_object_size(
             1, content_len, V_ASN1_SEQUENCE))) == NULL) {
        OPENSSL_free(alg);
        return -1;
    }
    p = cert->der;
    ASN1_put_object(&p, 1, content_len, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    memcpy(p, tbs, (size_t)tbs_len);
    memcpy(p += tbs_len, alg, (size_t)alg_len);
    p += alg_len;
    ASN1_put_object(&p, 0, (int)sig_len + 1, V_ASN1_BIT_STRING,
                    V_ASN1_UNIVERSAL);
    *p++ = 0; /* no unused bits */
    memcpy(p, sig, sig_len);
    cert->der_len = (size_t)(p + sig_len - cert->der);
    OPENSSL_free(alg);
    return 0;
}

static int sign_tbs(self_signed *cert)
{
    CK_MECHANISM mech = {algorithms[cert->algorithm].mechanism, NULL, 0};
    unsigned char *tbs = NULL;
    uint8_t *sig = NULL;
    size_t sig_len = 0;
    int tbs_len = i2d_re_X509_tbs(cert->tbs, &tbs);
    int code = tbs_len > 0 ? CLI_OK
                           : cli_error(CLI_EXIT_FAILURE,
                                       "self-signed: cannot encode the "
                                       "certificate");

    if (code == CLI_OK)
        code = cli_token_sign(cert->token, cert->key.handle, cert->key.subtype,
                              &mech, tbs, (size_t)tbs_len, &sig, &sig_len);
    if (code == CLI_OK && assemble(cert, tbs, tbs_len, sig, sig_len) != 0)
        code = cli_error(CLI_EXIT_FAILURE, "self-signed: out of memory");
    OPENSSL_free(tbs);
    free(sig);
    return code;
}

/* The signed certificate, parsed back and checked against the key. */
static int check(const self_signed *cert, X509 **x)
{
    const unsigned char *p = cert->der;

    *x = d2i_X509(NULL, &p, (long)cert->der_len);
    if (*x != NULL && p == cert->der + cert->der_len &&
        X509_verify(*x, cert->public_key) == 1)
        return CLI_OK;
    ERR_clear_error();
    return cli_error(CLI_EXIT_FAILURE,
                     "self-signed: the signature token \"%s\" made does not "
                     "verify with the key's public key",
                     cert->token->label);
}

static int store(const self_signed *cert, X509 *x, CK_OBJECT_HANDLE *handle)
{
    cli_template t = {0};
    CK_RV rv = CKR_HOST_MEMORY;

    if (cli_template_certificate(x, &t) == 0 &&
        cli_template_name(&t, cert->key.label, cert->key.id,
                          cert->key.id_len) == 0)
        rv = cert->token->fns->C_CreateObject(cert->token->session, t.attrs,
                                              t.count, handle);
    cli_template_clear(&t);
    return rv == CKR_OK
               ? CLI_OK
               : cli_token_error(cert->token, "storing the certificate", rv);
}

static int write_pem(X509 *x, const char *path)
{
    BIO *mem = BIO_new(BIO_s_mem());
    int rc = mem != NULL && PEM_write_bio_X509(mem, x) == 1
                 ? cli_write_bio(path, mem)
                 : -1;

    BIO_free(mem);
    return rc;
}

int cli_self_signed(const cli_token *token, CK_OBJECT_HANDLE private_key,
                    CK_OBJECT_HANDLE public_key, const cli_cert_request *req,
                    CK_OBJECT_HANDLE *handle)
{
    self_signed cert = {.token = token};
    X509 *x = NULL;
    int code = cli_object_read(token, private_key, &cert.key);

    if (code == CLI_OK)
        code = find_algorithm(&cert);
    if (code == CLI_OK)
        code = read_public_key(&cert, public_key);
    if (code == CLI_OK)
        code = build_tbs(&cert, req);
    if (code == CLI_OK)
        code = sign_tbs(&cert);
    if (code == CLI_OK)
        code = check(&cert, &x);
    if (code == CLI_OK)
        code = store(&cert, x, handle);
    if (code == CLI_OK)
        cli_warn_lost_id(token, *handle, cert.key.id, cert.key.id_len);
    if (code == CLI_OK && req->out != NULL && write_pem(x, req->out) != 0)
        code = CLI_EXIT_FAILURE;
    X509_free(x);
    X509_free(cert.tbs);
    EVP_PKEY_free(cert.public_key);
    free(cert.der);
    cli_object_clear(&cert.key);
    return code;
}
