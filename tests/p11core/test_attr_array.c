/* SPDX-License-Identifier: Apache-2.0 */
/* p11core on its own: attribute arrays (CKA_WRAP_TEMPLATE and the like,
 * attr_array.c) packed, read back by the rules of arrays, and refused when
 * malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "attr_table.h"
#include "core.h"

/* ---- Attribute arrays (attr_array.c) ---- */

/* An array packs, and reads back by the rules of arrays: its length,
 * the members' types and lengths, then their values. */
static void attribute_array_packs_and_reads_back(void **state)
{
    (void)state;
    CK_BBOOL yes = CK_TRUE;
    CK_ULONG aes = CKK_AES;
    CK_ATTRIBUTE array[] = {{CKA_ENCRYPT, &yes, sizeof(yes)},
                            {CKA_KEY_TYPE, &aes, sizeof(aes)}};
    uint8_t *packed = NULL;
    size_t len = 0;
    assert_int_equal(p11_attr_array_pack(array, sizeof(array), &packed, &len),
                     CKR_OK);
    CK_ATTRIBUTE read = {CKA_WRAP_TEMPLATE, NULL, 0};
    assert_int_equal(p11_attr_array_out(packed, len, &read), CKR_OK);
    assert_int_equal(read.ulValueLen, sizeof(array));
    CK_ATTRIBUTE members[2] = {{0, NULL, 0}, {0, NULL, 0}};
    read.pValue = members;
    read.ulValueLen = sizeof(CK_ATTRIBUTE);
    assert_int_equal(p11_attr_array_out(packed, len, &read),
                     CKR_BUFFER_TOO_SMALL);
    read.ulValueLen = sizeof(members);
    assert_int_equal(p11_attr_array_out(packed, len, &read), CKR_OK);
    assert_int_equal(members[1].type, CKA_KEY_TYPE);
    assert_int_equal(members[1].ulValueLen, sizeof(CK_ULONG));
    CK_BBOOL flag = CK_FALSE;
    CK_ULONG type = 0;
    uint8_t small[1];
    members[0].pValue = &flag;
    members[1].pValue = small;
    members[1].ulValueLen = sizeof(small);
    assert_int_equal(p11_attr_array_out(packed, len, &read),
                     CKR_BUFFER_TOO_SMALL);
    assert_int_equal(flag, CK_TRUE);
    assert_int_equal(members[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    members[1].pValue = &type;
    members[1].ulValueLen = sizeof(type);
    assert_int_equal(p11_attr_array_out(packed, len, &read), CKR_OK);
    assert_int_equal(type, CKK_AES);
    free(packed);
}

/* A length that is no whole array, an array member, a member without
 * its value, and packed bytes cut short are refused or end the walk. */
static void malformed_attribute_arrays_are_refused(void **state)
{
    (void)state;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE nested[] = {{CKA_WRAP_TEMPLATE, NULL, 0}};
    CK_ATTRIBUTE no_value[] = {{CKA_ENCRYPT, NULL, 1}};
    CK_ATTRIBUTE one[] = {{CKA_ENCRYPT, &yes, 1}};
    uint8_t *packed = NULL;
    size_t len = 0;
    assert_int_equal(p11_attr_array_pack(one, 5, &packed, &len),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(p11_attr_array_pack(nested, sizeof(nested), &packed, &len),
                     CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(
        p11_attr_array_pack(no_value, sizeof(no_value), &packed, &len),
        CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(p11_attr_array_pack(one, sizeof(one), &packed, &len),
                     CKR_OK);
    const uint8_t *walk = packed;
    size_t left = len - 1; /* the value's byte missing */
    CK_ATTRIBUTE member;
    assert_false(p11_attr_array_next(&walk, &left, &member));
    free(packed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attribute_array_packs_and_reads_back),
        cmocka_unit_test(malformed_attribute_arrays_are_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
