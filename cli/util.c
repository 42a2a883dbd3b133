/* SPDX-License-Identifier: Apache-2.0 */
/* Messages, exit codes and file I/O shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>

#include "cli.h"

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;

    fputs("p11kmip: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int cli_read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
    FILE *file = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t used = 0, cap = 0, n;

    if (file == NULL) {
        cli_error(CLI_EXIT_FAILURE, "%s: %s", path, strerror(errno));
        return -1;
    }
    do {
        if (used == cap) {
            uint8_t *grown;

            cap = cap == 0 ? 4096 : cap * 2;
            if (cap > max + 1)
                cap = max + 1;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                buf = NULL;
                cli_error(CLI_EXIT_FAILURE, "%s: out of memory", path);
                break;
            }
            buf = grown;
        }
        n = fread(buf + used, 1, cap - used, file);
        used += n;
    } while (n > 0 && used <= max);
    if (buf != NULL && (ferror(file) || used > max)) {
        cli_error(CLI_EXIT_FAILURE, "%s: %s", path,
                  used > max ? "file too large" : "read error");
        free(buf);
        buf = NULL;
    }
    if (file != stdin)
        fclose(file);
    if (buf == NULL)
        return -1;
    *data = buf;
    *len = used;
    return 0;
}

int cli_write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *file = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    int rc = 0;

    if (file == NULL) {
        cli_error(CLI_EXIT_FAILURE, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fwrite(data, 1, len, file) != len || fflush(file) != 0) {
        cli_error(CLI_EXIT_FAILURE, "%s: write error", path);
        rc = -1;
    }
    if (file != stdout && fclose(file) != 0 && rc == 0) {
        cli_error(CLI_EXIT_FAILURE, "%s: write error", path);
        rc = -1;
    }
    return rc;
}

int cli_write_bio(const char *path, BIO *mem)
{
    char *data;
    long len = BIO_get_mem_data(mem, &data);

    return len >= 0 ? cli_write_file(path, (const uint8_t *)data, (size_t)len)
                    : -1;
}
