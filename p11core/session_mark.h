/* SPDX-License-Identifier: Apache-2.0 */
/* The owner mark of a session key (a secret or private key with
 * CKA_TOKEN false, kept on the server): which process made it, so that
 * other processes never list it and leftovers of a process that is gone
 * can be told from keys of a live one. */
#ifndef P11CORE_SESSION_MARK_H
#define P11CORE_SESSION_MARK_H

#include <stdbool.h>
#include <stddef.h>

/* The custom attribute holding the mark, as text:
 * "v1;host=H;boot=B;pid=P;start=S;token=T". */
#define P11_SESSION_ATTRIBUTE "x-pkcs11-session"

/* Room for a mark's text and its NUL. */
#define P11_MARK_MAX 256

typedef struct p11_owner_mark {
    char host[65];            /* gethostname */
    char boot[40];            /* /proc/sys/kernel/random/boot_id */
    long pid;                 /* the owner's pid */
    unsigned long long start; /* its start time (clock ticks since boot) */
    char token[33];           /* random, per process */
} p11_owner_mark;

/* Where a mark's owner is. */
typedef enum p11_owner_state {
    P11_OWNER_LIVE,      /* this host and boot, the process runs */
    P11_OWNER_GONE,      /* this host and boot, the process is gone */
    P11_OWNER_ELSEWHERE, /* another host or boot: cannot be told */
} p11_owner_state;

/* This process's mark as text into out (P11_MARK_MAX bytes); made once
 * per process (again in a forked child). False when the process cannot
 * be described (no /proc, no randomness). */
bool p11_mark_self(char *out);

/* Parses a mark's text; false when it is not one. */
bool p11_mark_parse(const char *text, p11_owner_mark *out);

/* Whether the owner of mark is alive, gone, or cannot be told. */
p11_owner_state p11_mark_owner_state(const p11_owner_mark *mark);

#endif
