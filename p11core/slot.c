/* SPDX-License-Identifier: Apache-2.0 */
/* Slots and tokens: one per configured server group. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define P11_TOKEN_MODEL "KMIP"

static const CK_VERSION module_version = {P11_VERSION_MAJOR, P11_VERSION_MINOR};

CK_RV p11_slot_init(p11_slot *slot, CK_SLOT_ID id,
                    const p11kmip_slot_conf *conf)
{
    memset(slot, 0, sizeof(*slot));
    slot->id = id;
    slot->conf = conf;
    snprintf(slot->label, sizeof(slot->label), "%s", conf->label);
    return p11_server_init(&slot->server, id, conf);
}

void p11_slot_clear(p11_slot *slot)
{
    p11_server_clear(&slot->server);
}

P11_EXPORT CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList,
                               CK_ULONG_PTR pulCount)
{
    p11_module *module;
    CK_RV rv = p11_module_get(&module);

    (void)tokenPresent; /* every slot holds its token */
    if (rv != CKR_OK)
        return rv;
    bool done;
    rv = p11_output_check(pSlotList, pulCount, module->slot_count, &done);
    if (done)
        return rv;
    for (size_t i = 0; i < module->slot_count; i++)
        pSlotList[i] = module->slots[i].id;
    *pulCount = module->slot_count;
    return CKR_OK;
}

/* The slot's current label into out (33 bytes). */
static void slot_label(p11_slot *slot, char *out)
{
    p11_module *module;

    p11_module_get(&module);
    pthread_mutex_lock(&module->lock);
    memcpy(out, slot->label, sizeof(slot->label));
    pthread_mutex_unlock(&module->lock);
}

P11_EXPORT CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
    char description[128], label[sizeof(((p11_slot *)0)->label)];
    p11_slot *slot;
    CK_RV rv = p11_slot_get(slotID, &slot);

    if (rv != CKR_OK)
        return rv;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    memset(pInfo, 0, sizeof(*pInfo));
    slot_label(slot, label);
    snprintf(description, sizeof(description), "p11kmip %s (%s)", label,
             slot->conf->server_count > 0 ? slot->conf->servers[0] : "");
    p11_pad_copy(pInfo->slotDescription, sizeof(pInfo->slotDescription),
                 description);
    p11_pad_copy(pInfo->manufacturerID, sizeof(pInfo->manufacturerID),
                 P11_MANUFACTURER);
    pInfo->flags = CKF_TOKEN_PRESENT;
    if (slot->conf->hardware_slot)
        pInfo->flags |= CKF_HW_SLOT;
    pInfo->hardwareVersion = module_version;
    pInfo->firmwareVersion = module_version;
    return CKR_OK;
}

/* A serial number stable across processes: the first bytes of SHA-256
 * over the label and the server list, in hex (blank when hashing fails). */
static void token_serial(const p11kmip_slot_conf *conf, const char *label,
                         char *out, size_t out_len)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    bool ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(md, label, strlen(label) + 1);

    for (size_t i = 0; ok && i < conf->server_count; i++)
        ok = EVP_DigestUpdate(md, conf->servers[i],
                              strlen(conf->servers[i]) + 1);
    ok = ok && EVP_DigestFinal_ex(md, digest, &digest_len);
    EVP_MD_CTX_free(md);
    out[0] = '\0';
    for (unsigned int i = 0; ok && i < digest_len && 2 * i + 2 < out_len; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

P11_EXPORT CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
    char serial[sizeof(pInfo->serialNumber) + 1];
    char label[sizeof(((p11_slot *)0)->label)];
    p11_module *module;
    p11_slot *slot;
    CK_RV rv = p11_slot_get(slotID, &slot);

    if (rv != CKR_OK)
        return rv;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    p11_module_get(&module);
    memset(pInfo, 0, sizeof(*pInfo));
    slot_label(slot, label);
    p11_pad_copy(pInfo->label, sizeof(pInfo->label), label);
    p11_pad_copy(pInfo->manufacturerID, sizeof(pInfo->manufacturerID),
                 P11_MANUFACTURER);
    p11_pad_copy(pInfo->model, sizeof(pInfo->model), P11_TOKEN_MODEL);
    token_serial(slot->conf, label, serial, sizeof(serial));
    p11_pad_copy(pInfo->serialNumber, sizeof(pInfo->serialNumber), serial);
    pInfo->flags = CKF_TOKEN_INITIALIZED | CKF_RNG;
    if (slot->conf->login == P11KMIP_LOGIN_NONE)
        pInfo->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
    else
        pInfo->flags |= CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED;
    pInfo->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    pInfo->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    pthread_mutex_lock(&module->lock);
    pInfo->ulSessionCount = slot->session_count;
    pInfo->ulRwSessionCount = slot->rw_session_count;
    pthread_mutex_unlock(&module->lock);
    pInfo->ulMaxPinLen = P11_MAX_PIN_LEN;
    pInfo->ulMinPinLen =
        slot->conf->login == P11KMIP_LOGIN_NONE ? 0 : P11_MIN_PIN_LEN;
    pInfo->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    pInfo->hardwareVersion = module_version;
    pInfo->firmwareVersion = module_version;
    return CKR_OK;
}

P11_EXPORT CK_RV C_GetMechanismList(CK_SLOT_ID slotID,
                                    CK_MECHANISM_TYPE_PTR pMechanismList,
                                    CK_ULONG_PTR pulCount)
{
    p11_slot *slot;
    CK_RV rv = p11_slot_get(slotID, &slot);

    if (rv != CKR_OK)
        return rv;
    CK_MECHANISM_TYPE offered[P11_MECHANISMS_MAX];
    size_t count = 0;
    for (size_t i = 0; i < p11_mechanism_count; i++)
        if (p11_mechanism_flags(&slot->server, &p11_mechanisms[i]) != 0)
            offered[count++] = p11_mechanisms[i].type;
    bool done;
    rv = p11_output_check(pMechanismList, pulCount, count, &done);
    if (done)
        return rv;
    memcpy(pMechanismList, offered, count * sizeof(offered[0]));
    *pulCount = count;
    return CKR_OK;
}

P11_EXPORT CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type,
                                    CK_MECHANISM_INFO_PTR pInfo)
{
    const struct p11_mechanism *mechanism;
    p11_slot *slot;
    CK_RV rv = p11_slot_get(slotID, &slot);

    if (rv != CKR_OK)
        return rv;
    if (pInfo == NULL)
        return CKR_ARGUMENTS_BAD;
    mechanism = p11_mechanism_find(type);
    CK_FLAGS flags =
        mechanism != NULL ? p11_mechanism_flags(&slot->server, mechanism) : 0;
    if (flags == 0)
        return CKR_MECHANISM_INVALID;
    pInfo->ulMinKeySize = mechanism->min_key_size;
    pInfo->ulMaxKeySize = mechanism->max_key_size;
    pInfo->flags = flags;
    return CKR_OK;
}
