/* SPDX-License-Identifier: Apache-2.0 */
/* Local keys: what the ephemeral EC key manager (P11PROV_EC_EPHEMERAL,
 * the TLS groups' key manager) makes, and a group alone from either EC
 * key manager. libssl asks for its ephemeral ECDHE keys with a group and
 * nothing else; they are OpenSSL's own keys, made in memory by the default
 * provider, and no call about them reaches the module. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "keymgmt.h"

/* OpenSSL's key (a pair, or a group only) for gen, or NULL. */
static EVP_PKEY *generate_in_memory(const keygen_ctx *gen, bool pair)
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(
        gen->ctx->libctx, gen->algorithm, P11PROV_INTERNAL_PROPQ);
    EVP_PKEY *pkey = NULL;

    if (pctx == NULL ||
        (pair ? EVP_PKEY_keygen_init(pctx) : EVP_PKEY_paramgen_init(pctx)) <=
            0 ||
        EVP_PKEY_CTX_set_group_name(pctx, gen->group) <= 0 ||
        EVP_PKEY_generate(pctx, &pkey) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(pctx);
    return pkey;
}

p11prov_key *p11prov_keymgmt_gen_local(const keygen_ctx *gen)
{
    bool pair = (gen->selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != 0;
    EVP_PKEY *pkey = gen->group != NULL ? generate_in_memory(gen, pair) : NULL;
    p11prov_key *key =
        pkey != NULL ? p11prov_key_from_public(gen->ctx, pkey) : NULL;

    if (key == NULL) {
        EVP_PKEY_free(pkey);
        p11prov_raise(gen->ctx, P11PROV_R_BAD_ARGUMENT,
                      "an %s key in memory needs a known group, not %s",
                      gen->algorithm, gen->group != NULL ? gen->group : "none");
        return NULL;
    }
    key->local = true;
    key->object_class = pair ? CKO_PRIVATE_KEY : CKO_DOMAIN_PARAMETERS;
    return key;
}

int p11prov_keymgmt_gen_set_template(void *genctx, void *templ)
{
    keygen_ctx *gen = genctx;
    const p11prov_key *key = templ;
    char group[64];

    if (key == NULL || key->public_key == NULL ||
        !EVP_PKEY_get_utf8_string_param(key->public_key,
                                        OSSL_PKEY_PARAM_GROUP_NAME, group,
                                        sizeof(group), NULL))
        return 0;
    free(gen->group);
    gen->group = strdup(group);
    return gen->group != NULL;
}

/* libssl sets the peer's point (EVP_PKEY_set1_encoded_public_key) on a
 * key it made of the group alone; a key with a private half, on the token
 * or in memory, keeps its point. */
int p11prov_keymgmt_set_params(void *keydata, const OSSL_PARAM params[])
{
    p11prov_key *key = keydata;
    const OSSL_PARAM *p =
        OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY);

    if (p == NULL)
        return 1;
    if (!key->local || key->object_class == CKO_PRIVATE_KEY ||
        key->public_key == NULL) {
        p11prov_raise(key->ctx, P11PROV_R_BAD_ARGUMENT,
                      "%s: only a public key in memory takes a new point",
                      key->uri != NULL ? key->uri : "the key");
        return 0;
    }
    if (EVP_PKEY_set_params(key->public_key, (OSSL_PARAM *)params) <= 0)
        return 0;
    key->object_class = CKO_PUBLIC_KEY;
    key->bits = (CK_ULONG)EVP_PKEY_get_bits(key->public_key);
    return 1;
}

const OSSL_PARAM *p11prov_keymgmt_settable_params(void *provctx)
{
    static const OSSL_PARAM params[] = {
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0),
        OSSL_PARAM_END,
    };

    (void)provctx;
    return params;
}
