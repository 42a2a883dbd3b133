# SPDX-License-Identifier: Apache-2.0
"""The test case of kmipd's tests over the wire (run under
integration/with_server.py --server kmipd): a connection of client-a per
test, the checks of a result, and the calls most tests make."""

import os
import unittest

from kmiptest import T, OP, S, Connection, create_aes, uid_payload


def client_b():
    return Connection(cert=os.environ["P11KMIP_TEST_CERT_B"],
                      key=os.environ["P11KMIP_TEST_KEY_B"])


class ServerCase(unittest.TestCase):
    def setUp(self):
        self.conn = Connection()

    def tearDown(self):
        self.conn.close()

    def ok(self, result):
        self.assertTrue(result.ok, result)
        return result

    def fails(self, result, reason):
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, reason.value, result)
        return result

    def create(self, name=None, version=(1, 4), extra=()):
        return self.ok(self.conn.one(
            OP.CREATE, create_aes(name, extra, version), version)).uid()

    def attributes(self, uid, version=(1, 4)):
        """Get Attributes as {name or tag: [values]}."""
        result = self.ok(self.conn.one(OP.GET_ATTRIBUTES, uid_payload(uid),
                                       version))
        found = {}
        if version[0] >= 2:
            for attr in result.payload.get(T.ATTRIBUTES).value:
                found.setdefault(attr.tag, []).append(attr.value)
        else:
            for attr in result.payload.all(T.ATTRIBUTE):
                found.setdefault(attr.val(T.ATTRIBUTE_NAME), []).append(
                    attr.val(T.ATTRIBUTE_VALUE))
        return found

    def state(self, uid):
        return self.attributes(uid)["State"][0]

    def locate(self, filters, version=(1, 4), extra=(), conn=None):
        payload = list(extra)
        if version[0] >= 2:
            payload.append(S(T.ATTRIBUTES, *filters))
        else:
            payload.extend(filters)
        result = self.ok((conn or self.conn).one(OP.LOCATE, payload,
                                                 version))
        return result, [u.value for u in
                        result.payload.all(T.UNIQUE_IDENTIFIER)]
