// SPDX-License-Identifier: Apache-2.0
/* Usage flags as the server holds them: each CKA_ENCRYPT, CKA_SIGN, ... of
 * keys made through p11kmip-pkcs11.so (attrs_fixture.h) equals the usage
 * mask a plain KMIP client of the same certificate reads. argv[1] names the
 * server with_server.py started ("kmipd" or "pykmip"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "attrs_fixture.h"
#include "kmip/attrs.h"
#include "kmip/tags.h"

/* ---- usage: every flag read back equals the server's usage mask ---- */

static const struct {
    CK_ATTRIBUTE_TYPE type;
    uint32_t bits; /* of a secret key */
} usages[] = {
    {CKA_ENCRYPT, KMIP_CRYPTOGRAPHIC_USAGE_MASK_ENCRYPT},
    {CKA_DECRYPT, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DECRYPT},
    {CKA_WRAP, KMIP_CRYPTOGRAPHIC_USAGE_MASK_WRAP_KEY},
    {CKA_UNWRAP, KMIP_CRYPTOGRAPHIC_USAGE_MASK_UNWRAP_KEY},
    {CKA_SIGN, KMIP_CRYPTOGRAPHIC_USAGE_MASK_SIGN |
                   KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_GENERATE},
    {CKA_VERIFY, KMIP_CRYPTOGRAPHIC_USAGE_MASK_VERIFY |
                     KMIP_CRYPTOGRAPHIC_USAGE_MASK_MAC_VERIFY},
    {CKA_DERIVE, KMIP_CRYPTOGRAPHIC_USAGE_MASK_DERIVE_KEY},
};

#define USAGES (sizeof(usages) / sizeof(usages[0]))

static uint32_t server_usage(CK_OBJECT_HANDLE key)
{
    static const uint32_t tag = KMIP_TAG_CRYPTOGRAPHIC_USAGE_MASK;
    kmip_item *attrs = server_attrs(uid_of(key), &tag, 1);
    uint32_t mask = 0;

    assert_int_equal(kmip_attrs_get_usage_mask(attrs, &mask, NULL), KMIP_OK);
    kmip_item_free(attrs);
    return mask;
}

static uint32_t bits_of(CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < USAGES; i++)
        if (usages[i].type == type)
            return usages[i].bits;
    return 0;
}

/* Each of the n usage flags of key reads true for on alone, and the
 * server's mask holds exactly that. */
static void expect_usage(CK_OBJECT_HANDLE key, const CK_ATTRIBUTE_TYPE *flags,
                         size_t n, CK_ATTRIBUTE_TYPE on)
{
    uint32_t mask = server_usage(key);

    for (size_t i = 0; i < n; i++) {
        CK_BBOOL value;
        CK_ATTRIBUTE read = {flags[i], &value, 1};
        bool want = flags[i] == on;

        assert_int_equal(p11->C_GetAttributeValue(session, key, &read, 1),
                         CKR_OK);
        if (value != want || ((mask & bits_of(flags[i])) != 0) != want)
            fail_msg("with 0x%lx alone, 0x%lx reads %d, the server's mask "
                     "is 0x%x",
                     on, flags[i], value, mask);
    }
}

/* Fills templ with flags, on alone true. */
static void usage_template(CK_ATTRIBUTE *templ, const CK_ATTRIBUTE_TYPE *flags,
                           size_t n, CK_ATTRIBUTE_TYPE on)
{
    for (size_t i = 0; i < n; i++)
        templ[i] = (CK_ATTRIBUTE){flags[i], flags[i] == on ? &yes : &no, 1};
}

static void each_secret_key_usage_alone(void **state)
{
    CK_ATTRIBUTE_TYPE flags[USAGES];

    (void)state;
    for (size_t i = 0; i < USAGES; i++)
        flags[i] = usages[i].type;
    for (size_t on = 0; on < USAGES; on++) {
        CK_ATTRIBUTE templ[USAGES];
        CK_OBJECT_HANDLE key;

        usage_template(templ, flags, USAGES, flags[on]);
        key = aes_key(templ, USAGES);
        expect_usage(key, flags, USAGES, flags[on]);
        assert_int_equal(p11->C_DestroyObject(session, key), CKR_OK);
    }
}

/* Key pairs: each public usage with its private counterpart. */
static void each_key_pair_usage_alone(void **state)
{
    static const CK_ATTRIBUTE_TYPE pairs[][2] = {
        {CKA_ENCRYPT, CKA_DECRYPT},
        {CKA_VERIFY, CKA_SIGN},
        {CKA_WRAP, CKA_UNWRAP},
    };
    static const CK_ATTRIBUTE_TYPE flags[2][4] = {
        {CKA_ENCRYPT, CKA_VERIFY, CKA_WRAP, CKA_DERIVE},
        {CKA_DECRYPT, CKA_SIGN, CKA_UNWRAP, CKA_DERIVE},
    };
    CK_ULONG bits = 2048;
    CK_MECHANISM mechanism = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};

    (void)state;
    for (size_t p = 0; p < 3; p++) {
        const char *label = new_label();
        CK_ATTRIBUTE pub[6] = {{CKA_MODULUS_BITS, &bits, sizeof(bits)},
                               {CKA_LABEL, (void *)label, strlen(label)}};
        CK_ATTRIBUTE priv[5] = {{CKA_LABEL, (void *)label, strlen(label)}};
        CK_OBJECT_HANDLE keys[2];

        usage_template(&pub[2], flags[0], 4, pairs[p][0]);
        usage_template(&priv[1], flags[1], 4, pairs[p][1]);
        assert_int_equal(p11->C_GenerateKeyPair(session, &mechanism, pub, 6,
                                                priv, 5, &keys[0], &keys[1]),
                         CKR_OK);
        for (size_t k = 0; k < 2; k++) {
            expect_usage(keys[k], flags[k], 4, pairs[p][k]);
            assert_int_equal(p11->C_DestroyObject(session, keys[k]), CKR_OK);
        }
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest every_server[] = {
        T(each_secret_key_usage_alone),
        T(each_key_pair_usage_alone),
    };

    return attrs_main(argc, argv, TEST_GROUP(every_server), NO_TEST_GROUP,
                      NO_TEST_GROUP);
}
