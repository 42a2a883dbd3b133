// SPDX-License-Identifier: Apache-2.0
/* The provider's settings in its openssl.cnf section, one table row each:
 * the name (pkcs11-provider's, with p11kmip- for pkcs11-module-, where the
 * idea is the same) and how its value is read into the context. A value
 * that does not parse fails the provider's activation, naming the
 * setting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/params.h>

#include "provider.h"

#define MAX_ALLOWED_SLOTS 64

typedef struct setting {
    const char *name;
    /* Reads value into ctx; 0 when it is not a value of the setting. */
    int (*read)(p11prov_ctx *ctx, const char *value);
} setting;

static int read_module_path(p11prov_ctx *ctx, const char *value)
{
    return (ctx->module_path = strdup(value)) != NULL;
}

static int read_pin(p11prov_ctx *ctx, const char *value)
{
    return (ctx->pin = OPENSSL_strdup(value)) != NULL;
}

/* A value out of words (NULL-terminated); its index in *choice. */
static int read_choice(const char *value, const char *const words[],
                       int *choice)
{
    for (int i = 0; words[i] != NULL; i++) {
        if (strcmp(value, words[i]) == 0) {
            *choice = i;
            return 1;
        }
    }
    return 0;
}

static int read_login(p11prov_ctx *ctx, const char *value)
{
    /* In the order of enum p11prov_login. */
    static const char *const words[] = {"auto", "early", "never", NULL};
    int choice;

    if (!read_choice(value, words, &choice))
        return 0;
    ctx->login = (enum p11prov_login)choice;
    return 1;
}

static int read_cache_pins(p11prov_ctx *ctx, const char *value)
{
    ctx->cache_pins = strcmp(value, "cache") == 0;
    return ctx->cache_pins;
}

/* A value of two words: *second is whether it is the second. */
static int read_either(const char *value, const char *first,
                       const char *second_word, bool *second)
{
    const char *const words[] = {first, second_word, NULL};
    int choice;

    if (!read_choice(value, words, &choice))
        return 0;
    *second = choice == 1;
    return 1;
}

/* pkcs11-provider's convention: 0 allows export, 1 denies it. */
static int read_allow_export(p11prov_ctx *ctx, const char *value)
{
    return read_either(value, "0", "1", &ctx->deny_export);
}

static int read_write_keyfiles(p11prov_ctx *ctx, const char *value)
{
    return read_either(value, "true", "false", &ctx->no_keyfiles);
}

/* Slot ids separated by spaces or commas. */
static int read_allowed_slots(p11prov_ctx *ctx, const char *value)
{
    const char *p = value;
    char *end;
    unsigned long id;

    ctx->allowed_slots = calloc(MAX_ALLOWED_SLOTS, sizeof(CK_SLOT_ID));
    if (ctx->allowed_slots == NULL)
        return 0;
    while (*(p += strspn(p, " ,")) != '\0') {
        errno = 0;
        id = strtoul(p, &end, 10);
        if (end == p || errno != 0 || (*end != '\0' && !strchr(" ,", *end)) ||
            ctx->allowed_slot_count == MAX_ALLOWED_SLOTS)
            return 0;
        ctx->allowed_slots[ctx->allowed_slot_count++] = id;
        p = end;
    }
    return ctx->allowed_slot_count > 0;
}

static const setting settings[] = {
    {"p11kmip-module-path", read_module_path},
    {"p11kmip-pin", read_pin},
    {"p11kmip-login-behavior", read_login},
    {"p11kmip-cache-pins", read_cache_pins},
    {"p11kmip-allow-export", read_allow_export},
    {"p11kmip-encode-provider-uri-to-pem", read_write_keyfiles},
    {"p11kmip-allowed-slots", read_allowed_slots},
};

#define SETTING_COUNT (sizeof(settings) / sizeof(settings[0]))

int p11prov_settings_read(p11prov_ctx *ctx,
                          OSSL_FUNC_core_get_params_fn *core_get_params)
{
    const char *values[SETTING_COUNT] = {NULL};
    OSSL_PARAM params[SETTING_COUNT + 1];
    size_t i;

    for (i = 0; i < SETTING_COUNT; i++)
        params[i] = OSSL_PARAM_construct_utf8_ptr(settings[i].name,
                                                  (char **)&values[i], 0);
    params[i] = OSSL_PARAM_construct_end();
    if (!core_get_params(ctx->handle, params))
        return 0;
    for (i = 0; i < SETTING_COUNT; i++) {
        if (values[i] == NULL || values[i][0] == '\0' ||
            settings[i].read(ctx, values[i]))
            continue;
        p11prov_raise(ctx, P11PROV_R_BAD_ARGUMENT,
                      "openssl.cnf: %s = %s is not a value it takes",
                      settings[i].name, values[i]);
        return 0;
    }
    return 1;
}

bool p11prov_slot_allowed(const p11prov_ctx *ctx, CK_SLOT_ID slot)
{
    for (size_t i = 0; i < ctx->allowed_slot_count; i++) {
        if (ctx->allowed_slots[i] == slot)
            return true;
    }
    return ctx->allowed_slots == NULL;
}

void p11prov_settings_free(p11prov_ctx *ctx)
{
    free(ctx->module_path);
    if (ctx->pin != NULL)
        OPENSSL_clear_free(ctx->pin, strlen(ctx->pin));
    if (ctx->cached_pin != NULL)
        OPENSSL_clear_free(ctx->cached_pin, strlen(ctx->cached_pin));
    free(ctx->allowed_slots);
}
