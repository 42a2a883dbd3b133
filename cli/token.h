/* SPDX-License-Identifier: Apache-2.0 */
/* The subcommands that create, find and destroy objects go through
 * p11core's CK_FUNCTION_LIST, so the CKA <-> KMIP mapping lives in one
 * place. */
#ifndef P11KMIP_CLI_TOKEN_H
#define P11KMIP_CLI_TOKEN_H

#include <stddef.h>

#include <p11-kit/pkcs11.h>

typedef struct cli_token {
    CK_FUNCTION_LIST *fns;
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE session;
    char label[33]; /* the token (slot) label, trimmed */
} cli_token;

/* Initialises p11core and opens a read-write session on the token
 * labelled slot_label (NULL: the first configured slot), logging in when
 * the token asks for a PIN (from $P11KMIP_PIN, else asked on the
 * terminal). Returns CLI_OK, or prints why and returns an exit code;
 * either way close with cli_token_close. */
int cli_token_open(const char *slot_label, cli_token *token);

/* The labels of the configured tokens, in slot order: *labels (free())
 * holds *n. CLI_OK, or an exit code with the reason printed. */
int cli_token_labels(char (**labels)[33], size_t *n);
void cli_token_close(cli_token *token);

/* Prints what failed on the token, the PKCS#11 error, the KMIP Result
 * Reason the server gave (if any) and what to do; returns the exit
 * code. */
int cli_token_error(const cli_token *token, const char *what, CK_RV rv);

#endif
