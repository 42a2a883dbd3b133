/* SPDX-License-Identifier: Apache-2.0 */
#include "kmip/tags.h"

#include "kmipd/lifecycle.h"

/* True when attrs holds date tag and it is not after now. */
static bool date_reached(const kmip_item *attrs, uint32_t tag, int64_t now)
{
    int64_t date;
    return kmip_get_datetime(attrs, tag, &date, NULL) == KMIP_OK && date <= now;
}

uint32_t kmipd_lifecycle_state_at(const kmipd_object *obj, int64_t now)
{
    uint32_t state = obj->state;
    if (state == KMIP_STATE_PRE_ACTIVE &&
        date_reached(obj->attrs, KMIP_TAG_ACTIVATION_DATE, now))
        state = KMIP_STATE_ACTIVE;
    if ((state == KMIP_STATE_PRE_ACTIVE || state == KMIP_STATE_ACTIVE) &&
        date_reached(obj->attrs, KMIP_TAG_DEACTIVATION_DATE, now))
        state = KMIP_STATE_DEACTIVATED;
    return state;
}

void kmipd_lifecycle_refresh(kmipd_object *obj, int64_t now)
{
    obj->state = kmipd_lifecycle_state_at(obj, now);
}

bool kmipd_lifecycle_destroyed(uint32_t state)
{
    return state == KMIP_STATE_DESTROYED ||
           state == KMIP_STATE_DESTROYED_COMPROMISED;
}
