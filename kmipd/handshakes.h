/* SPDX-License-Identifier: Apache-2.0 */
/* The budget of connections not yet authenticated: at most max of them,
 * at most per_peer from one address. A silent client holds a handshake
 * slot, never a connection slot, and a new connection over either bound
 * takes the place of the oldest handshake (of its own address first), so
 * silent sockets cannot lock real clients out. Thread safe. */
#ifndef KMIPD_HANDSHAKES_H
#define KMIPD_HANDSHAKES_H

#include <stdint.h>

typedef struct kmipd_handshakes kmipd_handshakes;

/* NULL when out of memory. Free with kmipd_handshakes_free. With max 0,
 * nothing is ever registered or cut. */
kmipd_handshakes *kmipd_handshakes_new(unsigned max, unsigned per_peer);
void kmipd_handshakes_free(kmipd_handshakes *handshakes);

/* Registers fd, a connection from the address peer (no port) whose
 * handshake starts, and returns its ticket for kmipd_handshakes_leave.
 * When a bound is reached, the oldest handshake of peer (or, when peer is
 * within its bound, the oldest of all) is cut with shutdown(2): its
 * thread fails its handshake at once. */
uint64_t kmipd_handshakes_enter(kmipd_handshakes *handshakes, int fd,
                                const char *peer);

/* Ends what kmipd_handshakes_enter began, before fd is closed (a cut
 * handshake has already ended). */
void kmipd_handshakes_leave(kmipd_handshakes *handshakes, uint64_t ticket);

#endif
