/* SPDX-License-Identifier: Apache-2.0 */
#include "ttlv_internal.h"

static const struct {
    const char *label;
    uint32_t fixed_length;
} type_facts[] = {
    [KMIP_TYPE_STRUCTURE] = {"Structure", 0},
    [KMIP_TYPE_INTEGER] = {"Integer", 4},
    [KMIP_TYPE_LONG_INTEGER] = {"Long Integer", 8},
    [KMIP_TYPE_BIG_INTEGER] = {"Big Integer", 0},
    [KMIP_TYPE_ENUMERATION] = {"Enumeration", 4},
    [KMIP_TYPE_BOOLEAN] = {"Boolean", 8},
    [KMIP_TYPE_TEXT_STRING] = {"Text String", 0},
    [KMIP_TYPE_BYTE_STRING] = {"Byte String", 0},
    [KMIP_TYPE_DATE_TIME] = {"Date-Time", 8},
    [KMIP_TYPE_INTERVAL] = {"Interval", 4},
    [KMIP_TYPE_DATE_TIME_EXTENDED] = {"Date-Time Extended", 8},
};

bool ttlv_tag_is_valid(uint32_t tag)
{
    uint32_t prefix = tag >> 16;
    return prefix == 0x42 || prefix == 0x54;
}

bool ttlv_type_is_known(uint32_t type)
{
    return type >= KMIP_TYPE_STRUCTURE && type <= KMIP_TYPE_DATE_TIME_EXTENDED;
}

const char *ttlv_type_label(uint32_t type)
{
    return ttlv_type_is_known(type) ? type_facts[type].label : "unknown type";
}

uint32_t ttlv_fixed_length(kmip_type type)
{
    return ttlv_type_is_known(type) ? type_facts[type].fixed_length : 0;
}
