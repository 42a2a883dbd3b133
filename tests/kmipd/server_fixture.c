// SPDX-License-Identifier: Apache-2.0
#include "server_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

void server_fixture_open(server_fixture *f, const char *name)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/kmipd-%s-XXXXXX", name);
    assert_non_null(mkdtemp(f->dir));
    char db[96];
    snprintf(db, sizeof(db), "%s/db.sqlite", f->dir);
    uint8_t key[KMIPD_MASTER_KEY_LEN] = {7};
    kmip_status st;
    f->server.store = kmipd_store_open(db, key, &st);
    assert_non_null(f->server.store);
    f->server.config = &f->config;
    f->session.owner = "tester";
}

void server_fixture_close(server_fixture *f)
{
    kmipd_store_close(f->server.store);
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
}

kmip_response *server_fixture_serve(server_fixture *f, const uint8_t *msg,
                                    size_t len, bool *keep_open)
{
    uint8_t *out = NULL;
    size_t out_len = 0;
    assert_true(kmipd_serve_message(&f->server, &f->session, msg, len, &out,
                                    &out_len, keep_open));
    kmip_item *tree = NULL;
    kmip_status st;
    assert_int_equal(kmip_ttlv_decode(out, out_len, NULL, &tree, &st), KMIP_OK);
    free(out);
    kmip_response *resp = NULL;
    assert_int_equal(kmip_response_parse(tree, &resp, &st), KMIP_OK);
    return resp;
}

kmip_response *server_fixture_serve_item(server_fixture *f,
                                         kmip_version version,
                                         kmip_request_item *item,
                                         bool *keep_open)
{
    kmip_item *tree = NULL;
    kmip_status st;
    assert_int_equal(
        kmip_request_build(version, NULL, NULL, item, 1, true, &tree, &st),
        KMIP_OK);
    uint8_t *msg;
    size_t len;
    assert_int_equal(kmip_ttlv_encode_alloc(tree, &msg, &len, &st), KMIP_OK);
    kmip_item_free(tree);
    kmip_response *resp = server_fixture_serve(f, msg, len, keep_open);
    free(msg);
    return resp;
}
