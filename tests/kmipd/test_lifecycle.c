/* SPDX-License-Identifier: Apache-2.0 */
/* The state an object's dates give it: a date is reached at its own
 * second, not one later. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kmip/tags.h"
#include "kmip/ttlv.h"
#include "kmipd/lifecycle.h"

#define T0 1700000000

/* A Pre-Active key whose tag date is T0, refreshed at now. */
static uint32_t state_at(uint32_t tag, int64_t now)
{
    kmipd_object *obj =
        kmipd_object_new(KMIP_OBJECT_TYPE_SYMMETRIC_KEY, "owner");
    assert_non_null(obj);
    assert_non_null(kmip_add_datetime(obj->attrs, tag, T0));
    kmipd_lifecycle_refresh(obj, now);
    uint32_t state = obj->state;
    kmipd_object_free(obj);
    return state;
}

static void activation_date_is_reached_at_its_second(void **state)
{
    (void)state;
    assert_int_equal(state_at(KMIP_TAG_ACTIVATION_DATE, T0 - 1),
                     KMIP_STATE_PRE_ACTIVE);
    assert_int_equal(state_at(KMIP_TAG_ACTIVATION_DATE, T0), KMIP_STATE_ACTIVE);
}

static void deactivation_date_is_reached_at_its_second(void **state)
{
    (void)state;
    assert_int_equal(state_at(KMIP_TAG_DEACTIVATION_DATE, T0 - 1),
                     KMIP_STATE_PRE_ACTIVE);
    assert_int_equal(state_at(KMIP_TAG_DEACTIVATION_DATE, T0),
                     KMIP_STATE_DEACTIVATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(activation_date_is_reached_at_its_second),
        cmocka_unit_test(deactivation_date_is_reached_at_its_second),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
