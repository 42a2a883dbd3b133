/* SPDX-License-Identifier: Apache-2.0 */
/* The p11kmip operators' tool: one file per subcommand. */
#ifndef P11KMIP_CLI_H
#define P11KMIP_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

/* Exit codes, listed in p11kmip(1). */
enum {
    CLI_OK = 0,
    CLI_EXIT_FAILURE = 1, /* the operation failed (server, crypto, I/O) */
    CLI_EXIT_USAGE = 2,   /* bad command line */
    CLI_EXIT_CONFIG = 3,  /* no usable configuration */
    CLI_EXIT_SERVER = 4,  /* no server could be reached */
};

typedef struct cli_command {
    const char *name;
    const char *summary;
    const char *usage;
    int (*run)(int argc, char **argv);
} cli_command;

/* Prints "p11kmip: <message>" on standard error and returns code. */
int cli_error(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads a whole file ("-" is standard input), at most max bytes. The
 * caller frees *data. Returns 0, or prints why and returns -1. */
int cli_read_file(const char *path, size_t max, uint8_t **data, size_t *len);
/* Writes data to path ("-" is standard output). 0, or prints and -1. */
int cli_write_file(const char *path, const uint8_t *data, size_t len);

/* Writes what the memory BIO mem holds to path ("-": standard output).
 * 0, or prints why and -1. */
int cli_write_bio(const char *path, BIO *mem);

/* Progress of a slow step on standard error: nothing unless the step
 * outlasts a second ($P11KMIP_PROGRESS_MS overrides the delay). end
 * (NULL is a no-op) stops it and frees it; ok says how the step ended. */
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_start(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void cli_progress_end(cli_progress *progress, int ok);

#endif
