/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "pin.h"

#define PIN_MAX 256

static int read_pin_file(const p11prov_ctx *ctx, const char *path, char **pin)
{
    char line[PIN_MAX + 2];
    FILE *file = fopen(path, "r");
    size_t len;

    if (file == NULL) {
        p11prov_raise(ctx, P11PROV_R_LOGIN, "PIN file %s: %s", path,
                      strerror(errno));
        return -1;
    }
    if (fgets(line, sizeof(line), file) == NULL)
        line[0] = '\0';
    fclose(file);
    len = strcspn(line, "\r\n");
    if (len == 0 || len > PIN_MAX) {
        OPENSSL_cleanse(line, sizeof(line));
        p11prov_raise(ctx, P11PROV_R_LOGIN,
                      len == 0 ? "PIN file %s: the first line is empty"
                               : "PIN file %s: the PIN is longer than 256 "
                                 "bytes",
                      path);
        return -1;
    }
    line[len] = '\0';
    *pin = OPENSSL_strdup(line);
    OPENSSL_cleanse(line, sizeof(line));
    return *pin == NULL ? -1 : 0;
}

int p11prov_pin_resolve(const p11prov_ctx *ctx, const char *spec, char **pin)
{
    *pin = NULL;
    if (spec == NULL)
        return 0;
    if (strncmp(spec, "file:", 5) == 0)
        return read_pin_file(ctx, spec + 5, pin);
    *pin = OPENSSL_strdup(spec);
    return *pin == NULL ? -1 : 0;
}
