/* SPDX-License-Identifier: Apache-2.0 */
/* The budget of connections not yet authenticated: at most max of them,
 * at most per_peer from one address. A silent client holds a handshake
 * slot, never a connection slot, and a new connection over either bound
 * takes the place of a handshake of its own address (or, within its
 * bound, of any address): one whose client has said nothing yet, else the
 * oldest. Silent sockets thus cannot lock real clients out, nor cut their
 * handshakes. Thread safe. */
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
 * When a bound is reached, a handshake of peer (or, when peer is within
 * its bound, of any address) is cut with shutdown(2), as the file comment
 * says: its thread fails its handshake at once. */
uint64_t kmipd_handshakes_enter(kmipd_handshakes *handshakes, int fd,
                                const char *peer);

/* Notes that the client of ticket has sent its first byte. */
void kmipd_handshakes_spoke(kmipd_handshakes *handshakes, uint64_t ticket);

/* Ends what kmipd_handshakes_enter began, before fd is closed (a cut
 * handshake has already ended). */
void kmipd_handshakes_leave(kmipd_handshakes *handshakes, uint64_t ticket);

#endif
