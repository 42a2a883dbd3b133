/* SPDX-License-Identifier: Apache-2.0 */
/* p11core on its own: CKA_ID kept in the custom attribute x-pkcs11-id
 * (hex text, bytes read too) and a public key's fallback to its private
 * key's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "attrmap.h"
#include "kmip/tags.h"
#include "core.h"

static void id_round_trips_as_hex_text(void **state)
{
    const uint8_t id[] = {0x00, 0xab, 0x7f};
    kmip_item *attrs = kmip_attrs_new();
    const char *text;
    uint8_t *back = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(p11_id_attr_add(attrs, id, sizeof(id)));
    assert_int_equal(
        kmip_attrs_get_custom_text(attrs, P11_ID_ATTRIBUTE, &text, NULL),
        KMIP_OK);
    assert_string_equal(text, "00ab7f");
    assert_true(p11_id_attr_get(attrs, &back, &len));
    assert_int_equal(len, sizeof(id));
    assert_memory_equal(back, id, sizeof(id));
    free(back);
    kmip_item_free(attrs);
}

static void id_written_as_bytes_is_read_too(void **state)
{
    kmip_item *attrs = kmip_attrs_new();
    uint8_t *back = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(kmip_attrs_add_custom_bytes(
        attrs, P11_ID_ATTRIBUTE, (const uint8_t *)"\x01\x02", 2));
    assert_true(p11_id_attr_get(attrs, &back, &len));
    assert_int_equal(len, 2);
    assert_memory_equal(back, "\x01\x02", 2);
    free(back);
    kmip_item_free(attrs);
}

static void malformed_hex_id_is_absent(void **state)
{
    kmip_item *attrs = kmip_attrs_new();
    uint8_t *back = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(kmip_attrs_add_custom_text(attrs, P11_ID_ATTRIBUTE, "0g"));
    assert_false(p11_id_attr_get(attrs, &back, &len));
    assert_null(back);
    kmip_item_free(attrs);
}

static void public_key_id_falls_back_to_its_private_key(void **state)
{
    (void)state;
    assert_string_equal(p11_fallback_id_uid(CKO_PUBLIC_KEY, "pub", "priv"),
                        "priv");
    assert_string_equal(p11_fallback_id_uid(CKO_PUBLIC_KEY, "pub", NULL),
                        "pub");
    assert_string_equal(p11_fallback_id_uid(CKO_PRIVATE_KEY, "priv", "pub"),
                        "priv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_round_trips_as_hex_text),
        cmocka_unit_test(id_written_as_bytes_is_read_too),
        cmocka_unit_test(malformed_hex_id_is_absent),
        cmocka_unit_test(public_key_id_falls_back_to_its_private_key),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
