/* SPDX-License-Identifier: Apache-2.0 */
/* Create (symmetric keys) and Create Key Pair (RSA, EC). */
#include <stdio.h>

#include "kmip/attrs.h"
#include "kmip/payloads.h"
#include "kmip/tags.h"

#include "kmipd/attr_request.h"
#include "kmipd/attributes.h"
#include "kmipd/config.h"
#include "kmipd/kept_attrs.h"
#include "kmipd/ops_crypto.h"
#include "kmipd/ops_crypto_common.h"

static bool required_algorithm(kmipd_call *call, const kmip_item *attrs,
                               uint32_t *algorithm)
{
    kmip_status st;
    kmip_rc rc = kmip_attrs_get_algorithm(attrs, algorithm, &st);
    if (rc == KMIP_E_NOT_FOUND)
        return kmipd_fail(call, KMIP_RESULT_REASON_MISSING_DATA,
                          "no Cryptographic Algorithm attribute");
    if (rc != KMIP_OK)
        return kmipd_fail_status(call, &st);
    return true;
}

/* The Cryptographic Length attribute, 0 when absent. */
static bool optional_length(kmipd_call *call, const kmip_item *attrs,
                            int32_t *length)
{
    kmip_status st;
    kmip_rc rc = kmip_attrs_get_length(attrs, length, &st);
    if (rc == KMIP_E_NOT_FOUND)
        *length = 0;
    else if (rc != KMIP_OK)
        return kmipd_fail_status(call, &st);
    return true;
}

bool kmipd_op_create(kmipd_call *call)
{
    kmip_create_args args;
    kmip_status st;
    if (kmip_create_request_parse(call->request, &args, &st) != KMIP_OK)
        return kmipd_fail_status(call, &st);
    if (args.object_type != KMIP_OBJECT_TYPE_SYMMETRIC_KEY)
        return kmipd_fail_mapped(call, KMIP_RESULT_REASON_INVALID_OBJECT_TYPE,
                                 "Create makes symmetric keys; use Register "
                                 "for other objects");
    kmip_item *attrs = kmipd_attrs_from_request(call, args.attributes);
    if (attrs == NULL)
        return false;
    uint32_t algorithm;
    int32_t length;
    kmipd_buf key = {0};
    kmipd_key_info info;
    bool exportable;
    if (!required_algorithm(call, attrs, &algorithm) ||
        !optional_length(call, attrs, &length) ||
        (kmipd_generate_symmetric(algorithm, length, &key, &info, &st) !=
             KMIP_OK &&
         !kmipd_crypto_call_fail(call, &st)) ||
        !kmipd_attrs_put_key_info(call, attrs, &info) ||
        !kmipd_export_attrs(call, KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs, true,
                            true, &exportable)) {
        kmip_item_free(attrs);
        kmipd_buf_clear(&key);
        return false;
    }
    kmipd_object *obj =
        kmipd_object_with_material(call, KMIP_OBJECT_TYPE_SYMMETRIC_KEY, attrs,
                                   &key, KMIP_KEY_FORMAT_TYPE_RAW, exportable);
    kmipd_buf_clear(&key);
    bool ok = obj != NULL && kmipd_call_insert(call, &obj, 1) &&
              kmipd_call_answer(call, kmip_create_response_build(
                                          call->version,
                                          KMIP_OBJECT_TYPE_SYMMETRIC_KEY,
                                          obj->uid, NULL));
    kmipd_object_free(obj);
    return ok;
}

/* ---- Create Key Pair. ---- */

/* The attribute sets of the two new keys: the common set, then each
 * key's own set over it. */
typedef struct pair_attrs {
    kmip_item *private_key;
    kmip_item *public_key;
} pair_attrs;

static void pair_attrs_free(pair_attrs *pair)
{
    kmip_item_free(pair->private_key);
    kmip_item_free(pair->public_key);
}

static bool read_pair_attrs(kmipd_call *call, pair_attrs *pair)
{
    kmip_create_key_pair_args args;
    kmip_status st;
    pair->private_key = pair->public_key = NULL;
    if (kmip_create_key_pair_request_parse(call->request, &args, &st) !=
        KMIP_OK)
        return kmipd_fail_status(call, &st);
    kmip_item *common = kmipd_attrs_from_request(call, args.common);
    kmip_item *priv = common != NULL
                          ? kmipd_attrs_from_request(call, args.private_key)
                          : NULL;
    kmip_item *pub =
        priv != NULL ? kmipd_attrs_from_request(call, args.public_key) : NULL;
    bool ok = pub != NULL;
    if (ok) {
        pair->private_key = kmip_item_dup(common);
        pair->public_key = kmip_item_dup(common);
        ok = pair->private_key != NULL && pair->public_key != NULL &&
             kmipd_attrs_merge(pair->private_key, priv) &&
             kmipd_attrs_merge(pair->public_key, pub);
        if (!ok)
            kmipd_fail_nomem(call);
    }
    kmip_item_free(common);
    kmip_item_free(priv);
    kmip_item_free(pub);
    if (!ok)
        pair_attrs_free(pair);
    return ok;
}

/* The algorithm, length and curve asked for: the private key's set
 * decides; the public key's must not contradict it. */
static bool pair_request(kmipd_call *call, const pair_attrs *pair,
                         uint32_t *algorithm, int32_t *length, uint32_t *curve)
{
    uint32_t public_algorithm = 0;
    if (!required_algorithm(call, pair->private_key, algorithm) ||
        !optional_length(call, pair->private_key, length))
        return false;
    *curve = kmipd_attrs_curve(pair->private_key);
    if (kmip_attrs_get_algorithm(pair->public_key, &public_algorithm, NULL) ==
            KMIP_OK &&
        public_algorithm != *algorithm)
        return kmipd_fail(call, KMIP_RESULT_REASON_INVALID_FIELD,
                          "the private and public keys' Cryptographic "
                          "Algorithms differ");
    return true;
}

/* Links each key of the pair to the other and records what it is. */
static bool describe_pair(kmipd_call *call, const pair_attrs *pair,
                          const kmipd_key_info *info, const char *private_uid,
                          const char *public_uid)
{
    if (!kmipd_attrs_put_key_info(call, pair->private_key, info) ||
        !kmipd_attrs_put_key_info(call, pair->public_key, info))
        return false;
    if (kmip_attrs_add_link(pair->private_key, KMIP_LINK_TYPE_PUBLIC_KEY_LINK,
                            public_uid) == NULL ||
        kmip_attrs_add_link(pair->public_key, KMIP_LINK_TYPE_PRIVATE_KEY_LINK,
                            private_uid) == NULL)
        return kmipd_fail_nomem(call);
    return true;
}

bool kmipd_op_create_key_pair(kmipd_call *call)
{
    pair_attrs pair;
    uint32_t algorithm, curve;
    int32_t length;
    if (!read_pair_attrs(call, &pair))
        return false;
    kmipd_buf private_der = {0}, public_der = {0};
    kmipd_key_info info;
    kmip_status st;
    bool private_exportable;
    char private_uid[KMIPD_UID_MAX], public_uid[KMIPD_UID_MAX];
    kmipd_store_new_uid(private_uid);
    kmipd_store_new_uid(public_uid);
    if (!pair_request(call, &pair, &algorithm, &length, &curve) ||
        (kmipd_generate_key_pair(algorithm, length, curve, &private_der,
                                 &public_der, &info, &st) != KMIP_OK &&
         !kmipd_crypto_call_fail(call, &st)) ||
        !describe_pair(call, &pair, &info, private_uid, public_uid) ||
        !kmipd_export_attrs(call, KMIP_OBJECT_TYPE_PRIVATE_KEY,
                            pair.private_key, call->config->export_private_keys,
                            true, &private_exportable)) {
        pair_attrs_free(&pair);
        kmipd_buf_clear(&private_der);
        kmipd_buf_clear(&public_der);
        return false;
    }
    kmipd_object *objs[2];
    objs[0] = kmipd_object_with_material(
        call, KMIP_OBJECT_TYPE_PRIVATE_KEY, pair.private_key, &private_der,
        KMIP_KEY_FORMAT_TYPE_PKCS_8, private_exportable);
    objs[1] = objs[0] == NULL
                  ? NULL
                  : kmipd_object_with_material(
                        call, KMIP_OBJECT_TYPE_PUBLIC_KEY, pair.public_key,
                        &public_der, KMIP_KEY_FORMAT_TYPE_X_509, true);
    if (objs[0] == NULL)
        kmip_item_free(pair.public_key);
    kmipd_buf_clear(&private_der);
    kmipd_buf_clear(&public_der);
    bool ok = objs[0] != NULL && objs[1] != NULL;
    if (ok) {
        snprintf(objs[0]->uid, sizeof(objs[0]->uid), "%s", private_uid);
        snprintf(objs[1]->uid, sizeof(objs[1]->uid), "%s", public_uid);
        ok = kmipd_call_insert(call, objs, 2) &&
             kmipd_call_answer(
                 call, kmip_create_key_pair_response_build(
                           call->version, private_uid, public_uid, NULL, NULL));
    }
    kmipd_object_free(objs[0]);
    kmipd_object_free(objs[1]);
    return ok;
}
