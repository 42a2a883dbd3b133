/* SPDX-License-Identifier: Apache-2.0 */
/* p11core as the CLI uses it: one module, one slot, one session. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <p11-kit/p11-kit.h>

#include "cli.h"
#include "kmip/tags.h"
#include "token.h"

/* p11core's entry point, linked in statically. */
CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list);

static const struct {
    CK_RV rv;
    int code;
    const char *hint;
} hints[] = {
    {CKR_PIN_INCORRECT, CLI_EXIT_CONFIG, "check the PIN in P11KMIP_PIN"},
    {CKR_USER_NOT_LOGGED_IN, CLI_EXIT_CONFIG,
     "set the token's PIN in P11KMIP_PIN"},
    {CKR_ACTION_PROHIBITED, CLI_EXIT_FAILURE,
     "the server's policy refuses this client certificate"},
    {CKR_MECHANISM_INVALID, CLI_EXIT_FAILURE,
     "the server cannot make or use this kind of key"},
    {CKR_FUNCTION_NOT_SUPPORTED, CLI_EXIT_FAILURE,
     "the server does not support this operation"},
    {CKR_TOKEN_NOT_PRESENT, CLI_EXIT_CONFIG,
     "check the slot with 'p11kmip config show'"},
};

int cli_token_error(const cli_token *token, const char *what, CK_RV rv)
{
    CK_SESSION_INFO info;
    const char *reason = NULL, *hint = "see the server's log";
    unsigned long device_error = 0;
    int code = CLI_EXIT_FAILURE;

    if (token->session != CK_INVALID_HANDLE &&
        token->fns->C_GetSessionInfo(token->session, &info) == CKR_OK)
        device_error = info.ulDeviceError;
    if (device_error != 0)
        reason = kmip_enum_name(KMIP_TAG_RESULT_REASON, (uint32_t)device_error);
    for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
        if (hints[i].rv == rv) {
            code = hints[i].code;
            hint = hints[i].hint;
        }
    }
    if (rv == CKR_DEVICE_ERROR && device_error == 0)
        return cli_error(CLI_EXIT_SERVER,
                         "%s on token \"%s\": no server of the slot answered "
                         "(the line above names the server and the error); "
                         "'p11kmip config check --slot \"%s\"' tests each one",
                         what, token->label, token->label);
    if (reason != NULL)
        return cli_error(code,
                         "%s on token \"%s\": the server refused: %s (Result "
                         "Reason 0x%lx, %s); %s",
                         what, token->label, reason, device_error,
                         p11_kit_strerror(rv), hint);
    return cli_error(code, "%s on token \"%s\": %s (CKR 0x%lx); %s", what,
                     token->label, p11_kit_strerror(rv), (unsigned long)rv,
                     hint);
}

/* The token label of slot, trimmed, into label; false when unreadable. */
static bool token_label(CK_FUNCTION_LIST *fns, CK_SLOT_ID slot, char label[33])
{
    CK_TOKEN_INFO info;
    size_t len;

    if (fns->C_GetTokenInfo(slot, &info) != CKR_OK)
        return false;
    len = p11_kit_space_strlen(info.label, sizeof(info.label));
    memcpy(label, info.label, len);
    label[len] = '\0';
    return true;
}

/* The slot whose token is labelled label (NULL: the first). */
static int find_slot(cli_token *token, const char *label)
{
    CK_SLOT_ID slots[64];
    CK_ULONG n = sizeof(slots) / sizeof(slots[0]);
    char found[33];
    CK_RV rv = token->fns->C_GetSlotList(CK_TRUE, slots, &n);

    if (rv != CKR_OK)
        return cli_token_error(token, "listing the slots", rv);
    if (n == 0)
        return cli_error(CLI_EXIT_CONFIG,
                         "no slot is configured: run 'p11kmip config init' "
                         "or set P11KMIP_CONFIG");
    for (CK_ULONG i = 0; i < n; i++) {
        if (!token_label(token->fns, slots[i], found) ||
            (label != NULL && strcmp(label, found) != 0))
            continue;
        token->slot = slots[i];
        memcpy(token->label, found, sizeof(found));
        return CLI_OK;
    }
    return cli_error(CLI_EXIT_CONFIG,
                     "no slot labelled \"%s\" in the configuration (see "
                     "'p11kmip config show')",
                     label);
}

/* The PIN from $P11KMIP_PIN, else read from the terminal; NULL when
 * neither gives one. Free with OPENSSL_clear_free. */
static char *read_pin(const char *label)
{
    const char *env = getenv("P11KMIP_PIN");
    char prompt[80], *typed, *pin;

    if (env != NULL)
        return OPENSSL_strdup(env);
    if (!isatty(STDIN_FILENO))
        return NULL;
    snprintf(prompt, sizeof(prompt), "PIN for token \"%s\": ", label);
    typed = getpass(prompt);
    if (typed == NULL)
        return NULL;
    pin = OPENSSL_strdup(typed);
    /* getpass returns a static buffer that keeps the PIN otherwise. */
    OPENSSL_cleanse(typed, strlen(typed));
    return pin;
}

static int login(cli_token *token)
{
    CK_TOKEN_INFO info;
    char *pin;
    CK_RV rv = token->fns->C_GetTokenInfo(token->slot, &info);

    if (rv != CKR_OK)
        return cli_token_error(token, "reading the token", rv);
    if (!(info.flags & CKF_LOGIN_REQUIRED))
        return CLI_OK;
    pin = read_pin(token->label);
    if (pin == NULL)
        return cli_error(CLI_EXIT_CONFIG,
                         "token \"%s\" needs a PIN: set P11KMIP_PIN or run "
                         "on a terminal",
                         token->label);
    rv = token->fns->C_Login(token->session, CKU_USER, (CK_UTF8CHAR *)pin,
                             strlen(pin));
    OPENSSL_clear_free(pin, strlen(pin));
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
        return cli_token_error(token, "logging in", rv);
    return CLI_OK;
}

/* Starts p11core for token, with no session yet. */
static int initialize(cli_token *token, const char *slot_label)
{
    CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
    CK_RV rv;

    memset(token, 0, sizeof(*token));
    token->session = CK_INVALID_HANDLE;
    snprintf(token->label, sizeof(token->label), "%s",
             slot_label != NULL ? slot_label : "?");
    if (C_GetFunctionList(&token->fns) != CKR_OK)
        return cli_error(CLI_EXIT_FAILURE, "the PKCS#11 core is unusable");
    rv = token->fns->C_Initialize(&args);
    if (rv != CKR_OK) {
        token->fns = NULL;
        return cli_error(CLI_EXIT_CONFIG,
                         "the PKCS#11 core did not start (%s): 'p11kmip "
                         "config show' tells what is wrong with the "
                         "configuration, 'p11kmip config init' writes one",
                         p11_kit_strerror(rv));
    }
    return CLI_OK;
}

int cli_token_open(const char *slot_label, cli_token *token)
{
    CK_RV rv;
    int code = initialize(token, slot_label);

    if (code == CLI_OK)
        code = find_slot(token, slot_label);
    if (code != CLI_OK)
        return code;
    rv = token->fns->C_OpenSession(token->slot,
                                   CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
                                   NULL, &token->session);
    if (rv != CKR_OK) {
        token->session = CK_INVALID_HANDLE;
        return cli_token_error(token, "opening a session", rv);
    }
    return login(token);
}

void cli_token_close(cli_token *token)
{
    if (token->fns == NULL)
        return;
    if (token->session != CK_INVALID_HANDLE)
        token->fns->C_CloseSession(token->session);
    token->fns->C_Finalize(NULL);
    token->fns = NULL;
}

int cli_token_labels(char (**labels)[33], size_t *n)
{
    cli_token token;
    CK_SLOT_ID slots[64];
    CK_ULONG count = sizeof(slots) / sizeof(slots[0]);
    int code = initialize(&token, NULL);

    *labels = NULL;
    if (code != CLI_OK)
        return code;
    if (token.fns->C_GetSlotList(CK_TRUE, slots, &count) != CKR_OK ||
        (*labels = calloc(count + 1, sizeof(**labels))) == NULL)
        code = cli_error(CLI_EXIT_FAILURE, "listing the slots failed");
    for (*n = 0; code == CLI_OK && *n < count; (*n)++)
        if (!token_label(token.fns, slots[*n], (*labels)[*n]))
            (*labels)[*n][0] = '\0';
    cli_token_close(&token);
    return code;
}
