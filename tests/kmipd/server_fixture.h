// SPDX-License-Identifier: Apache-2.0
/* kmipd's server core without the network, for the unit tests that serve
 * messages with kmipd_serve_message: a store in a temporary directory,
 * a default configuration and one session. */
#ifndef TEST_KMIPD_SERVER_FIXTURE_H
#define TEST_KMIPD_SERVER_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmip/message.h"

#include "kmipd/server.h"

typedef struct server_fixture {
    char dir[64];
    kmipd_config config;
    kmipd_server server;
    kmipd_session session; /* owner "tester", version 0 */
} server_fixture;

/* Makes the directory (/tmp/kmipd-NAME-XXXXXX) and the store in it;
 * fails the test on error. */
void server_fixture_open(server_fixture *f, const char *name);

/* Closes the store and removes the directory. */
void server_fixture_close(server_fixture *f);

/* Serves the request message msg (len bytes) and parses the response,
 * which the caller frees; *keep_open as kmipd_serve_message says. Fails
 * the test when the answer does not parse. */
kmip_response *server_fixture_serve(server_fixture *f, const uint8_t *msg,
                                    size_t len, bool *keep_open);

/* Builds a request of the one item in version and serves it. */
kmip_response *server_fixture_serve_item(server_fixture *f,
                                         kmip_version version,
                                         kmip_request_item *item,
                                         bool *keep_open);

#endif
