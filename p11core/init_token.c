// SPDX-License-Identifier: Apache-2.0
/* C_InitToken renames the token in the caller's configuration file, as
 * Solaris' pkcs11_kmip renames a server group. The server's objects are
 * never touched: a KMIP token is the server's, not the module's to wipe.
 * There is no security officer: the SO PIN is the token's PIN, checked as
 * C_Login checks it (none with a protected authentication path). */
#include "core.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The 32 blank-padded bytes of label without the padding into out (33
 * bytes); a NUL byte ends it early (PyKCS11 passes a C string).
 * CKR_ARGUMENTS_BAD when blank. */
static CK_RV label_text(const CK_UTF8CHAR *label, char *out)
{
    size_t len = strnlen((const char *)label, 32);

    while (len > 0 && label[len - 1] == ' ')
        len--;
    memcpy(out, label, len);
    out[len] = '\0';
    return len > 0 ? CKR_OK : CKR_ARGUMENTS_BAD;
}

/* Whether the caller may rewrite the slot's file: not a configuration
 * from the environment; the file and its directory writable. */
static CK_RV check_writable(const p11_slot *slot)
{
    const char *source = slot->conf->source;
    char dir[4096];

    if (source == NULL || strcmp(source, "environment") == 0)
        return CKR_FUNCTION_NOT_SUPPORTED;
    snprintf(dir, sizeof(dir), "%s", source);
    if (access(source, W_OK) == 0 && access(dirname(dir), W_OK) == 0)
        return CKR_OK;
    p11_log_warn("slot %lu: C_InitToken: %s is not the caller's to write: %s",
                 slot->id, source, strerror(errno));
    return CKR_TOKEN_WRITE_PROTECTED;
}

/* Renames the token in its file and in the module, with no session open
 * on the slot (module->lock held throughout). */
static CK_RV rename_token(p11_slot *slot, const char *label)
{
    char err[512];
    p11_module *module;
    CK_RV rv = CKR_OK;

    p11_module_get(&module);
    pthread_mutex_lock(&module->lock);
    if (slot->session_count > 0)
        rv = CKR_SESSION_EXISTS;
    else if (p11kmip_conf_relabel(slot->conf->source, slot->label, label, err,
                                  sizeof(err)) != 0) {
        p11_log_error("slot %lu: C_InitToken: %s", slot->id, err);
        rv = CKR_DEVICE_ERROR;
    } else {
        snprintf(slot->label, sizeof(slot->label), "%s", label);
        p11_log_info("slot %lu: token renamed \"%s\"", slot->id, label);
    }
    pthread_mutex_unlock(&module->lock);
    return rv;
}

P11_EXPORT CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin,
                             CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel)
{
    char label[33];
    char *pin;
    p11_slot *slot;
    CK_RV rv = p11_slot_get(slotID, &slot);

    if (rv != CKR_OK)
        return rv;
    if (pLabel == NULL || (pPin == NULL && ulPinLen > 0))
        return CKR_ARGUMENTS_BAD;
    if ((rv = label_text(pLabel, label)) != CKR_OK ||
        (rv = check_writable(slot)) != CKR_OK)
        return rv;
    pin = p11_pin_dup(pPin, ulPinLen);
    if (pin == NULL)
        return CKR_HOST_MEMORY;
    rv = p11_login_check(slot, pin, ulPinLen);
    p11_pin_free(pin, ulPinLen);
    return rv == CKR_OK ? rename_token(slot, label) : rv;
}
