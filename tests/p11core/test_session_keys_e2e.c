// SPDX-License-Identifier: Apache-2.0
/* Session keys (secret and private keys with CKA_TOKEN false) through
 * p11kmip-pkcs11.so (dlopen) against the server with_server.py started
 * (argv[1]: "kmipd", or "pykmip", which keeps no custom attributes and so
 * no owner mark): made by C_GenerateKey, C_GenerateKeyPair, C_CreateObject
 * and C_DeriveKey in read-only and read-write sessions, used, never seen
 * by another process, destroyed on the server (checked with a plain KMIP
 * client, tests/kmipd/e2e.c) when their session closes, at
 * C_CloseAllSessions and C_Finalize, never by a forked child; a killed
 * process's key is listed and removed by `p11kmip leftovers` (argv[2]). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <p11-kit/pkcs11.h>

#include "e2e.h"
#include "kmip/attrs.h"
#include "module_load.h"
#include "p256.h"
#include "kmip/tags.h"

static CK_FUNCTION_LIST_PTR p11;
static kmip_client *plain;
static const char *cli;

static CK_BBOOL yes = CK_TRUE;
static CK_BBOOL no = CK_FALSE;
static CK_OBJECT_CLASS secret_class = CKO_SECRET_KEY;
static CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
static CK_KEY_TYPE aes = CKK_AES;
static CK_KEY_TYPE ec = CKK_EC;
static CK_ULONG sixteen = 16;
/* The DER OID of P-256 (CKA_EC_PARAMS). */

#define RW (CKF_SERIAL_SESSION | CKF_RW_SESSION)
#define RO CKF_SERIAL_SESSION

static int setup(void **state)
{
    (void)state;
    if (p11->C_Initialize(NULL) != CKR_OK)
        return -1;
    plain = e2e_client(KMIP_VERSION(1, 4), false);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kmip_client_free(plain);
    p11->C_Finalize(NULL);
    return 0;
}

static CK_SESSION_HANDLE open_session(CK_FLAGS flags)
{
    CK_SESSION_HANDLE session;

    assert_int_equal(p11->C_OpenSession(0, flags, NULL, NULL, &session),
                     CKR_OK);
    return session;
}

/* A label no other run uses. */
static const char *new_label(const char *what)
{
    static char labels[8][64];
    static unsigned count;
    char *label = labels[count % 8];

    snprintf(label, 64, "sk-%s-%ld-%u", what, (long)getpid(), ++count);
    return label;
}

static CK_RV make_aes(CK_SESSION_HANDLE session, const char *label,
                      CK_BBOOL *token, CK_OBJECT_HANDLE *key)
{
    CK_MECHANISM mechanism = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ATTRIBUTE templ[] = {{CKA_VALUE_LEN, &sixteen, sizeof(sixteen)},
                            {CKA_TOKEN, token, sizeof(*token)},
                            {CKA_LABEL, (void *)label, strlen(label)},
                            {CKA_ENCRYPT, &yes, sizeof(yes)},
                            {CKA_DECRYPT, &yes, sizeof(yes)}};

    return p11->C_GenerateKey(session, &mechanism, templ, 5, key);
}

static CK_RV make_pair(CK_SESSION_HANDLE session, const char *label,
                       CK_BBOOL *pub_token, CK_BBOOL *priv_token,
                       CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pub_templ[] = {{CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
                                {CKA_TOKEN, pub_token, sizeof(*pub_token)},
                                {CKA_LABEL, (void *)label, strlen(label)},
                                {CKA_VERIFY, &yes, sizeof(yes)}};
    CK_ATTRIBUTE priv_templ[] = {{CKA_TOKEN, priv_token, sizeof(*priv_token)},
                                 {CKA_LABEL, (void *)label, strlen(label)},
                                 {CKA_SIGN, &yes, sizeof(yes)},
                                 {CKA_DERIVE, &yes, sizeof(yes)}};

    return p11->C_GenerateKeyPair(session, &mechanism, pub_templ, 4, priv_templ,
                                  4, pub, priv);
}

static CK_BBOOL token_of(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object)
{
    CK_BBOOL token = CK_TRUE;
    CK_ATTRIBUTE attr = {CKA_TOKEN, &token, sizeof(token)};

    assert_int_equal(p11->C_GetAttributeValue(session, object, &attr, 1),
                     CKR_OK);
    return token;
}

/* Encrypts and decrypts a block with key. */
static void aes_round_trip(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key)
{
    uint8_t iv[16] = {1}, plain_text[16] = "session key data", out[32],
            back[32];
    CK_MECHANISM mechanism = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    CK_ULONG len = sizeof(out), back_len = sizeof(back);

    assert_int_equal(p11->C_EncryptInit(session, &mechanism, key), CKR_OK);
    assert_int_equal(
        p11->C_Encrypt(session, plain_text, sizeof(plain_text), out, &len),
        CKR_OK);
    assert_int_equal(p11->C_DecryptInit(session, &mechanism, key), CKR_OK);
    assert_int_equal(p11->C_Decrypt(session, out, len, back, &back_len),
                     CKR_OK);
    assert_int_equal(back_len, sizeof(plain_text));
    assert_memory_equal(back, plain_text, sizeof(plain_text));
}

/* Signs with priv; verifies with pub when given. */
static void ec_sign(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE priv,
                    CK_OBJECT_HANDLE pub)
{
    uint8_t digest[32] = {7}, sig[128];
    CK_MECHANISM mechanism = {CKM_ECDSA, NULL, 0};
    CK_ULONG len = sizeof(sig);

    assert_int_equal(p11->C_SignInit(session, &mechanism, priv), CKR_OK);
    assert_int_equal(p11->C_Sign(session, digest, sizeof(digest), sig, &len),
                     CKR_OK);
    assert_int_equal(len, 64);
    if (pub == CK_INVALID_HANDLE)
        return;
    assert_int_equal(p11->C_VerifyInit(session, &mechanism, pub), CKR_OK);
    assert_int_equal(p11->C_Verify(session, digest, sizeof(digest), sig, len),
                     CKR_OK);
}

static CK_ULONG count_found(CK_SESSION_HANDLE session, const char *label)
{
    CK_ATTRIBUTE templ = {CKA_LABEL, (void *)label, strlen(label)};
    CK_OBJECT_HANDLE found[8];
    CK_ULONG n = 0;

    assert_int_equal(p11->C_FindObjectsInit(session, &templ, 1), CKR_OK);
    assert_int_equal(p11->C_FindObjects(session, found, 8, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(session), CKR_OK);
    return n;
}

/* ---- the server, through a plain KMIP client ---- */

/* The uid of the object labelled label of object_type (free()). */
/* The canonical attribute set of uid (kmip_item_free). */
static kmip_item *server_attrs(const char *uid)
{
    kmip_response *resp = e2e_call(
        plain, KMIP_OPERATION_GET_ATTRIBUTES,
        kmip_get_attributes_request(KMIP_VERSION(1, 4), uid, NULL, 0, NULL, 0));
    kmip_get_attributes_result result;
    kmip_item *attrs = kmip_attrs_new();

    assert_int_equal(
        kmip_get_attributes_response(resp->items[0].payload, &result, NULL),
        KMIP_OK);
    for (const kmip_item *it =
             kmip_item_find(result.attributes, KMIP_TAG_ATTRIBUTE);
         it != NULL; it = kmip_item_next_with_tag(it, KMIP_TAG_ATTRIBUTE)) {
        kmip_item *attr;

        if (kmip_attr_from_v1(it, &attr, NULL) == KMIP_OK)
            kmip_item_add(attrs, attr);
    }
    kmip_response_free(resp);
    return attrs;
}

static uint32_t server_state(const char *uid)
{
    kmip_item *attrs = server_attrs(uid);
    uint32_t state = 0;

    assert_int_equal(kmip_attrs_get_state(attrs, &state, NULL), KMIP_OK);
    kmip_item_free(attrs);
    return state;
}

/* The owner mark the server keeps for uid, or false. */
static bool server_marked(const char *uid)
{
    kmip_item *attrs = server_attrs(uid);
    const char *mark;
    bool marked = kmip_attrs_get_custom_text(attrs, "x-pkcs11-session", &mark,
                                             NULL) == KMIP_OK &&
                  strstr(mark, "v1;host=") == mark;

    kmip_item_free(attrs);
    return marked;
}

/* ---- kmipd ---- */

/* Generated keys in both kinds of session: used, CKA_TOKEN false, marked
 * on the server, seen by every session of the process. */
static void generated_session_keys_work_in_both_sessions(void **state)
{
    static const CK_FLAGS kinds[] = {RO, RW};

    (void)state;
    for (size_t k = 0; k < 2; k++) {
        CK_SESSION_HANDLE s = open_session(kinds[k]), other = open_session(RO);
        const char *key_label = new_label("gen"),
                   *pair_label = new_label("pair");
        CK_OBJECT_HANDLE key, pub, priv;
        char *uid;

        assert_int_equal(make_aes(s, key_label, &no, &key), CKR_OK);
        assert_int_equal(token_of(s, key), CK_FALSE);
        aes_round_trip(s, key);
        assert_int_equal(make_pair(s, pair_label, &no, &no, &pub, &priv),
                         CKR_OK);
        assert_int_equal(token_of(s, pub), CK_FALSE);
        assert_int_equal(token_of(s, priv), CK_FALSE);
        ec_sign(s, priv, pub);
        assert_int_equal(count_found(other, key_label), 1);
        assert_int_equal(count_found(other, pair_label), 2);
        uid = e2e_locate_one(plain, key_label, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
        assert_true(server_marked(uid));
        assert_int_equal(server_state(uid), KMIP_STATE_ACTIVE);
        free(uid);
        uid = e2e_locate_one(plain, pair_label, KMIP_OBJECT_TYPE_PRIVATE_KEY);
        assert_true(server_marked(uid));
        free(uid);
    }
}

/* A read-only session makes no token key, nor a pair with a token half. */
static void read_only_session_makes_no_token_key(void **state)
{
    CK_SESSION_HANDLE s = open_session(RO);
    CK_OBJECT_HANDLE key, pub, priv;

    (void)state;
    assert_int_equal(make_aes(s, new_label("ro"), &yes, &key),
                     CKR_SESSION_READ_ONLY);
    assert_int_equal(make_pair(s, new_label("ro"), &no, &yes, &pub, &priv),
                     CKR_SESSION_READ_ONLY);
    assert_int_equal(make_pair(s, new_label("ro"), &yes, &no, &pub, &priv),
                     CKR_SESSION_READ_ONLY);
}

/* The private scalar of a new P-256 key, 32 bytes. */
static void new_ec_scalar(uint8_t *d)
{
    EVP_PKEY *pkey = EVP_EC_gen("P-256");
    BIGNUM *bn = NULL;

    assert_non_null(pkey);
    assert_true(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn));
    assert_int_equal(BN_bn2binpad(bn, d, 32), 32);
    BN_clear_free(bn);
    EVP_PKEY_free(pkey);
}

/* C_CreateObject and C_DeriveKey make session keys too, in a read-only
 * session. */
static void imported_and_derived_session_keys(void **state)
{
    CK_SESSION_HANDLE s = open_session(RO);
    uint8_t d[32], point[80];
    const char *label = new_label("derived");
    CK_ATTRIBUTE secret[] = {{CKA_CLASS, &secret_class, sizeof(secret_class)},
                             {CKA_KEY_TYPE, &aes, sizeof(aes)},
                             {CKA_TOKEN, &no, sizeof(no)},
                             {CKA_ENCRYPT, &yes, sizeof(yes)},
                             {CKA_DECRYPT, &yes, sizeof(yes)},
                             {CKA_VALUE, "0123456789abcdef", 16}};
    CK_ATTRIBUTE private[] = {
        {CKA_CLASS, &private_class, sizeof(private_class)},
        {CKA_KEY_TYPE, &ec, sizeof(ec)},
        {CKA_TOKEN, &no, sizeof(no)},
        {CKA_SIGN, &yes, sizeof(yes)},
        {CKA_EC_PARAMS, (void *)p256, sizeof(p256)},
        {CKA_VALUE, d, sizeof(d)}};
    CK_ATTRIBUTE derived[] = {{CKA_CLASS, &secret_class, sizeof(secret_class)},
                              {CKA_KEY_TYPE, &aes, sizeof(aes)},
                              {CKA_VALUE_LEN, &sixteen, sizeof(sixteen)},
                              {CKA_TOKEN, &no, sizeof(no)},
                              {CKA_LABEL, (void *)label, strlen(label)},
                              {CKA_ENCRYPT, &yes, sizeof(yes)},
                              {CKA_DECRYPT, &yes, sizeof(yes)}};
    CK_ATTRIBUTE ec_point = {CKA_EC_POINT, point, sizeof(point)};
    CK_ECDH1_DERIVE_PARAMS params = {CKD_NULL, 0, NULL, 0, point};
    CK_MECHANISM ecdh = {CKM_ECDH1_DERIVE, &params, sizeof(params)};
    CK_OBJECT_HANDLE key, pub, priv;
    char *uid;

    (void)state;
    new_ec_scalar(d);
    assert_int_equal(p11->C_CreateObject(s, secret, 6, &key), CKR_OK);
    assert_int_equal(token_of(s, key), CK_FALSE);
    aes_round_trip(s, key);
    assert_int_equal(p11->C_CreateObject(s, private, 6, &key), CKR_OK);
    assert_int_equal(token_of(s, key), CK_FALSE);
    ec_sign(s, key, CK_INVALID_HANDLE);
    assert_int_equal(make_pair(s, new_label("base"), &no, &no, &pub, &priv),
                     CKR_OK);
    assert_int_equal(p11->C_GetAttributeValue(s, pub, &ec_point, 1), CKR_OK);
    params.public_data_len = ec_point.ulValueLen;
    assert_int_equal(p11->C_DeriveKey(s, &ecdh, priv, derived, 7, &key),
                     CKR_OK);
    assert_int_equal(token_of(s, key), CK_FALSE);
    aes_round_trip(s, key);
    uid = e2e_locate_one(plain, label, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_true(server_marked(uid));
    free(uid);
}

/* Runs body in a child that opens the module anew and returns its exit
 * status. */
static int in_child(int (*body)(const char *label), const char *label)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        int code = p11->C_Initialize(NULL) == CKR_OK ? body(label) : 10;

        p11->C_Finalize(NULL);
        exit(code); /* the exit handlers run */
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* In the child: the parent's session key is not found, its token key
 * is. */
static int finds_no_session_key(const char *label)
{
    CK_SESSION_HANDLE s;
    char token_label[80];

    snprintf(token_label, sizeof(token_label), "%s-token", label);
    if (p11->C_OpenSession(0, RW, NULL, NULL, &s) != CKR_OK)
        return 11;
    return (count_found(s, label) == 0 ? 0 : 12) +
           (count_found(s, token_label) == 1 ? 0 : 13);
}

/* Another process never lists a session key; a forked child, whether it
 * opens the module or just exits, never destroys its parent's keys. */
static void other_processes_neither_see_nor_destroy(void **state)
{
    CK_SESSION_HANDLE s = open_session(RW);
    const char *label = new_label("hidden");
    char token_label[80];
    CK_OBJECT_HANDLE key, token_key;
    char *uid;
    int status;
    pid_t pid;

    (void)state;
    snprintf(token_label, sizeof(token_label), "%s-token", label);
    assert_int_equal(make_aes(s, label, &no, &key), CKR_OK);
    assert_int_equal(make_aes(s, token_label, &yes, &token_key), CKR_OK);
    uid = e2e_locate_one(plain, label, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(in_child(finds_no_session_key, label), 0);
    pid = fork();
    if (pid == 0)
        exit(0); /* without C_Initialize: the exit handler finds no state */
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(server_state(uid), KMIP_STATE_ACTIVE);
    aes_round_trip(s, key);
    assert_int_equal(p11->C_DestroyObject(s, token_key), CKR_OK);
    free(uid);
}

/* A process that exits without C_Finalize destroys its session keys (the
 * exit handler); the uid comes back through a pipe as the key's CKA_ID
 * (a key made without one shows its uid). */
static void exit_destroys_session_keys(void **state)
{
    char uid[128] = {0};
    int fds[2], status;
    ssize_t len;
    pid_t pid;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        CK_SESSION_HANDLE s;
        CK_OBJECT_HANDLE key;
        CK_ATTRIBUTE id = {CKA_ID, uid, sizeof(uid) - 1};

        if (p11->C_Initialize(NULL) == CKR_OK &&
            p11->C_OpenSession(0, RW, NULL, NULL, &s) == CKR_OK &&
            make_aes(s, new_label("exit"), &no, &key) == CKR_OK &&
            p11->C_GetAttributeValue(s, key, &id, 1) == CKR_OK)
            (void)!write(fds[1], uid, id.ulValueLen);
        exit(0);
    }
    close(fds[1]);
    len = read(fds[0], uid, sizeof(uid) - 1);
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(len > 0);
    assert_int_equal(server_state(uid), KMIP_STATE_DESTROYED);
}

/* Closing a session destroys its keys on the server, not another's. */
static void closing_a_session_destroys_its_keys(void **state)
{
    CK_SESSION_HANDLE s1 = open_session(RO), s2 = open_session(RW);
    const char *l1 = new_label("close1"), *l2 = new_label("close2"),
               *lp = new_label("closepair");
    CK_OBJECT_HANDLE k1, k2, pub, priv;
    CK_BBOOL token;
    CK_ATTRIBUTE attr = {CKA_TOKEN, &token, sizeof(token)};
    char *u1, *u2, *upriv, *upub;

    (void)state;
    assert_int_equal(make_aes(s1, l1, &no, &k1), CKR_OK);
    assert_int_equal(make_pair(s1, lp, &no, &no, &pub, &priv), CKR_OK);
    assert_int_equal(make_aes(s2, l2, &no, &k2), CKR_OK);
    u1 = e2e_locate_one(plain, l1, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    u2 = e2e_locate_one(plain, l2, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    upriv = e2e_locate_one(plain, lp, KMIP_OBJECT_TYPE_PRIVATE_KEY);
    upub = e2e_locate_one(plain, lp, KMIP_OBJECT_TYPE_PUBLIC_KEY);
    assert_int_equal(p11->C_CloseSession(s1), CKR_OK);
    assert_int_equal(server_state(u1), KMIP_STATE_DESTROYED);
    assert_int_equal(server_state(upriv), KMIP_STATE_DESTROYED);
    assert_int_equal(server_state(upub), KMIP_STATE_DESTROYED);
    assert_int_equal(server_state(u2), KMIP_STATE_ACTIVE);
    assert_int_equal(p11->C_GetAttributeValue(s2, k1, &attr, 1),
                     CKR_OBJECT_HANDLE_INVALID);
    aes_round_trip(s2, k2);
    free(u1);
    free(u2);
    free(upriv);
    free(upub);
}

/* Each half of a pair is what its template says: closing the session
 * destroys the session half only. */
static void mixed_pair_keeps_its_token_half(void **state)
{
    CK_SESSION_HANDLE s = open_session(RW), other = open_session(RW);
    const char *label = new_label("mixed");
    CK_OBJECT_HANDLE pub, priv;
    char *upub, *upriv;

    (void)state;
    assert_int_equal(make_pair(s, label, &no, &yes, &pub, &priv), CKR_OK);
    assert_int_equal(token_of(s, pub), CK_FALSE);
    assert_int_equal(token_of(s, priv), CK_TRUE);
    upub = e2e_locate_one(plain, label, KMIP_OBJECT_TYPE_PUBLIC_KEY);
    upriv = e2e_locate_one(plain, label, KMIP_OBJECT_TYPE_PRIVATE_KEY);
    assert_true(server_marked(upub));
    assert_false(server_marked(upriv));
    assert_int_equal(p11->C_CloseSession(s), CKR_OK);
    assert_int_equal(server_state(upub), KMIP_STATE_DESTROYED);
    assert_int_equal(server_state(upriv), KMIP_STATE_ACTIVE);
    ec_sign(other, priv, CK_INVALID_HANDLE);
    assert_int_equal(p11->C_DestroyObject(other, priv), CKR_OK);
    free(upub);
    free(upriv);
}

/* C_CloseAllSessions and C_Finalize destroy the session keys too. */
static void close_all_and_finalize_destroy_keys(void **state)
{
    const char *l1 = new_label("all"), *l2 = new_label("final");
    CK_OBJECT_HANDLE key;
    char *u1, *u2;

    (void)state;
    assert_int_equal(make_aes(open_session(RW), l1, &no, &key), CKR_OK);
    u1 = e2e_locate_one(plain, l1, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(p11->C_CloseAllSessions(0), CKR_OK);
    assert_int_equal(server_state(u1), KMIP_STATE_DESTROYED);
    assert_int_equal(make_aes(open_session(RO), l2, &no, &key), CKR_OK);
    u2 = e2e_locate_one(plain, l2, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(p11->C_Finalize(NULL), CKR_OK);
    assert_int_equal(server_state(u2), KMIP_STATE_DESTROYED);
    assert_int_equal(p11->C_Initialize(NULL), CKR_OK);
    free(u1);
    free(u2);
}

/* Runs the CLI with args; its standard output into out, its exit code
 * returned. */
static int run_cli(const char *args, char *out, size_t size)
{
    char command[1024];
    FILE *pipe;
    size_t len;
    int status;

    snprintf(command, sizeof(command), "%s leftovers %s 2>/dev/null", cli,
             args);
    pipe = popen(command, "r");
    assert_non_null(pipe);
    len = fread(out, 1, size - 1, pipe);
    out[len] = '\0';
    status = pclose(pipe);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* A child that makes a session key labelled label, says so, and waits to
 * be killed. */
static pid_t killed_owner(const char *label)
{
    int fds[2];
    char done;
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        CK_SESSION_HANDLE s;
        CK_OBJECT_HANDLE key;

        if (p11->C_Initialize(NULL) == CKR_OK &&
            p11->C_OpenSession(0, RW, NULL, NULL, &s) == CKR_OK &&
            make_aes(s, label, &no, &key) == CKR_OK)
            (void)!write(fds[1], "k", 1);
        for (;;)
            pause();
    }
    assert_int_equal(read(fds[0], &done, 1), 1);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    return pid;
}

/* What a killed process left is listed as gone and removed; a live
 * process's key is listed as live and stays, token keys are neither. */
static void killed_process_leftover_is_removed(void **state)
{
    CK_SESSION_HANDLE s = open_session(RW);
    const char *gone = new_label("gone"), *live = new_label("live"),
               *kept = new_label("kept");
    CK_OBJECT_HANDLE live_key, token_key;
    char out[8192], line[256];
    char *gone_uid, *live_uid, *token_uid;

    (void)state;
    assert_int_equal(make_aes(s, live, &no, &live_key), CKR_OK);
    assert_int_equal(make_aes(s, kept, &yes, &token_key), CKR_OK);
    killed_owner(gone);
    gone_uid = e2e_locate_one(plain, gone, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    live_uid = e2e_locate_one(plain, live, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    token_uid = e2e_locate_one(plain, kept, KMIP_OBJECT_TYPE_SYMMETRIC_KEY);
    assert_int_equal(server_state(gone_uid), KMIP_STATE_ACTIVE);

    assert_int_equal(run_cli("", out, sizeof(out)), 0);
    snprintf(line, sizeof(line), "gone      secret-key %s \"%s\" pid ",
             gone_uid, gone);
    assert_non_null(strstr(out, line));
    snprintf(line, sizeof(line), "live      secret-key %s \"%s\" pid %ld ",
             live_uid, live, (long)getpid());
    assert_non_null(strstr(out, line));
    assert_null(strstr(out, token_uid));
    assert_int_equal(run_cli("--remove", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "removed 1 leftover session key\n"));
    assert_int_equal(server_state(gone_uid), KMIP_STATE_DESTROYED);
    assert_int_equal(server_state(live_uid), KMIP_STATE_ACTIVE);
    assert_int_equal(server_state(token_uid), KMIP_STATE_ACTIVE);
    assert_int_equal(run_cli("--remove", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "removed 0 leftover session keys\n"));
    assert_int_equal(run_cli("--any-host", out, sizeof(out)), 2);
    assert_int_equal(run_cli("--label x", out, sizeof(out)), 2);
    aes_round_trip(s, live_key);
    assert_int_equal(p11->C_DestroyObject(s, token_key), CKR_OK);
    free(gone_uid);
    free(live_uid);
    free(token_uid);
}

/* ---- PyKMIP: no custom attributes, no owner mark ---- */

static void session_key_refused_without_custom_attributes(void **state)
{
    CK_SESSION_HANDLE s = open_session(RW);
    CK_OBJECT_HANDLE key;

    (void)state;
    assert_int_equal(make_aes(s, new_label("pykmip"), &no, &key),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(make_aes(s, new_label("pykmip"), &no, &key),
                     CKR_ATTRIBUTE_VALUE_INVALID);
}

/* ---- the module ---- */

#define T(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int main(int argc, char **argv)
{
    const struct CMUnitTest kmipd[] = {
        T(generated_session_keys_work_in_both_sessions),
        T(read_only_session_makes_no_token_key),
        T(imported_and_derived_session_keys),
        T(other_processes_neither_see_nor_destroy),
        T(exit_destroys_session_keys),
        T(closing_a_session_destroys_its_keys),
        T(mixed_pair_keeps_its_token_half),
        T(close_all_and_finalize_destroy_keys),
        T(killed_process_leftover_is_removed),
    };
    const struct CMUnitTest pykmip[] = {
        T(session_key_refused_without_custom_attributes),
    };
    if (argc != 3)
        return 1;
    cli = argv[2];
    p11 = module_load_one_slot("session-keys");
    if (p11 == NULL)
        return 1;
    if (strcmp(argv[1], "pykmip") == 0)
        return cmocka_run_group_tests_name("pykmip", pykmip, NULL, NULL);
    return cmocka_run_group_tests_name("kmipd", kmipd, NULL, NULL);
}
