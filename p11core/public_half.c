/* SPDX-License-Identifier: Apache-2.0 */
/* A new key pair's private key keeps a copy of its public half
 * (P11_PUBLIC_KEY_ATTRIBUTE), so that its public attributes outlive the
 * public key object: a Get of the public key, then Add Attribute. An
 * unwrapped private key keeps its own, got as X.509. */
#include "core.h"

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "attrmap.h"
#include "new_object.h"

/* The SubjectPublicKeyInfo DER of public_uid's key got in format into
 * *der (free with OPENSSL_free); its length, or -1. */
static int public_der(p11_session *session, kmip_version version,
                      const char *public_uid, uint32_t format, uint8_t **der)
{
    kmip_get_args get = {.uid = public_uid, .key_format_type = format};
    kmip_response *resp = NULL;
    const kmip_item *payload;
    kmip_get_result result;
    EVP_PKEY *key = NULL;
    int len = -1;

    if (p11_kmip_call_one(session, KMIP_OPERATION_GET,
                          kmip_get_request(version, &get), true, &resp,
                          &payload)
                .rv == CKR_OK &&
        kmip_get_response(payload, &result, NULL) == KMIP_OK)
        key = p11_public_key_from_kmip(&result.object);
    if (key != NULL)
        len = i2d_PUBKEY(key, der);
    EVP_PKEY_free(key);
    kmip_response_free(resp);
    return len;
}

static p11_reply add_public_half(p11_session *session, kmip_version version,
                                 const char *private_uid, const uint8_t *der,
                                 size_t len)
{
    kmip_item *attrs = kmip_attrs_new();
    kmip_response *resp = NULL;
    p11_reply reply = p11_reply_local(CKR_HOST_MEMORY);

    if (attrs != NULL &&
        p11_hex_attr_add(attrs, P11_PUBLIC_KEY_ATTRIBUTE, der, len) != NULL)
        reply = p11_kmip_call_one(
            session, KMIP_OPERATION_ADD_ATTRIBUTE,
            kmip_add_attribute_request(version, private_uid,
                                       attrs->v.children.first),
            false, &resp, NULL);
    kmip_response_free(resp);
    kmip_item_free(attrs);
    return reply;
}

void p11_keep_public_half(p11_session *session, kmip_version version,
                          const char *private_uid, const char *public_uid,
                          uint32_t format)
{
    p11_server *server = &session->slot->server;
    uint8_t *der = NULL;
    int len;
    p11_reply reply;

    if (p11_server_knows(server, P11_FACT_CUSTOM_ID) == P11_SUPPORT_REFUSED)
        return;
    len = public_der(session, version, public_uid, format, &der);
    reply = len > 0 ? add_public_half(session, version, private_uid, der,
                                      (size_t)len)
                    : p11_reply_local(CKR_DEVICE_ERROR);
    OPENSSL_free(der);
    if (reply.rv != CKR_OK) {
        /* A server without custom attributes is remembered. */
        if (reply.answer == P11_ANSWER_UNSUPPORTED)
            p11_server_learn(server, P11_FACT_CUSTOM_ID, false);
        p11_log_info("private key %s keeps no copy of its public half",
                     private_uid);
    }
}
