/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "kmip/ttlv.h"

#include "vectors.h"

#ifndef TEST_VECTORS_DIR
#error "TEST_VECTORS_DIR must name the tests/vectors directory"
#endif

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex-decodes file into out (room for all its digits), skipping lines
 * that start with '#'; returns false on any other non-hex character. */
static bool decode_hex_file(FILE *file, uint8_t *out, size_t *out_len)
{
    bool at_line_start = true;
    bool in_comment = false;
    int pending_nibble = -1;
    int c;
    while ((c = getc(file)) != EOF) {
        if (at_line_start && c == '#')
            in_comment = true;
        at_line_start = c == '\n';
        if (in_comment) {
            in_comment = c != '\n';
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        int digit = hex_digit(c);
        if (digit < 0)
            return false;
        if (pending_nibble < 0) {
            pending_nibble = digit;
        } else {
            out[(*out_len)++] = (uint8_t)(pending_nibble << 4 | digit);
            pending_nibble = -1;
        }
    }
    return pending_nibble < 0;
}

uint8_t *test_vector_load(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", TEST_VECTORS_DIR, name);
    FILE *file = fopen(path, "r");
    if (file == NULL)
        fail_msg("test vector %s cannot be opened", path);
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    uint8_t *bytes = malloc(size > 0 ? (size_t)size / 2 + 1 : 1);
    assert_non_null(bytes);
    size_t count = 0;
    bool valid = decode_hex_file(file, bytes, &count);
    fclose(file);
    if (!valid || count == 0) {
        free(bytes);
        fail_msg("test vector %s is not valid hex", path);
    }
    *len = count;
    return bytes;
}

size_t test_vector_each(void (*check)(const char *name))
{
    DIR *dir = opendir(TEST_VECTORS_DIR);
    assert_non_null(dir);
    size_t count = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".hex") != 0)
            continue;
        check(e->d_name);
        count++;
    }
    closedir(dir);
    return count;
}

kmip_item *decode_vector(const char *name)
{
    size_t len = 0;
    uint8_t *bytes = test_vector_load(name, &len);
    kmip_item *item = NULL;
    kmip_status status;
    kmip_status_clear(&status);
    kmip_rc rc = kmip_ttlv_decode(bytes, len, NULL, &item, &status);
    free(bytes);
    if (rc != KMIP_OK)
        fail_msg("%s does not decode: %s", name, status.message);
    return item;
}
