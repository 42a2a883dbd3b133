/* SPDX-License-Identifier: Apache-2.0 */
/* kmipd processes a test starts, kills and restarts itself, on 127.0.0.1,
 * with the PKI that with_server.py made (P11KMIP_TEST_* variables) and a
 * master key shared by every instance of the test. */
#ifndef RELIABILITY_KMIPD_PROC_H
#define RELIABILITY_KMIPD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct kmipd_proc {
    char conf[512]; /* its configuration file */
    char database[512];
    char address[32]; /* "127.0.0.1:PORT" */
    int port;
    pid_t pid; /* 0 when not running */
} kmipd_proc;

/* A TCP port free on 127.0.0.1 right now. */
int kmipd_free_port(void);

/* path under $P11KMIP_TEST_DIR; returns out. */
char *kmipd_test_path(char *out, size_t size, const char *name);

/* Writes NAME.json: kmipd on port with database NAME.sqlite, and
 * faults_json (a JSON object's text) as its "faults" or none when NULL.
 * False when the file cannot be written. */
bool kmipd_proc_configure(kmipd_proc *proc, const char *name, int port,
                          const char *faults_json);

/* Starts kmipd and waits until it accepts TCP connections (10 s at
 * most); false when it does not. */
bool kmipd_proc_start(kmipd_proc *proc);

/* Sends signum (SIGKILL: a crash; SIGTERM: a clean stop) and reaps the
 * process. A no-op when it is not running. */
void kmipd_proc_stop(kmipd_proc *proc, int signum);

/* Copies the database of from (stopped) to that of to, so that both serve
 * the same objects. */
bool kmipd_proc_copy_database(const kmipd_proc *from, const kmipd_proc *to);

#endif
