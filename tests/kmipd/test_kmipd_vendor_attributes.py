# SPDX-License-Identifier: Apache-2.0
"""KMIP 2.0 vendor attributes on kmipd: Add Attribute stores one, Get
Attribute List names it by an Attribute Reference {Vendor Identification,
Attribute Name}, Get Attributes selects it by that reference, and a
malformed reference is Invalid Field. Runs under integration/with_server.py
--server kmipd."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import E, T, OP, S, Tx, Connection, create_aes, uid_payload

V2 = (2, 0)
ATTRIBUTE_REFERENCE = 0x42013B  # KMIP 2.0 tags PyKMIP does not know
NEW_ATTRIBUTE = 0x42013D


def vendor_attribute(value):
    return S(T.ATTRIBUTE, Tx(T.VENDOR_IDENTIFICATION, "acme"),
             Tx(T.ATTRIBUTE_NAME, "purpose"), Tx(T.ATTRIBUTE_VALUE, value))


REFERENCE = S(ATTRIBUTE_REFERENCE, Tx(T.VENDOR_IDENTIFICATION, "acme"),
              Tx(T.ATTRIBUTE_NAME, "purpose"))


class VendorAttributes(unittest.TestCase):
    def setUp(self):
        self.conn = Connection()
        self.addCleanup(self.conn.close)
        result = self.conn.one(OP.CREATE, create_aes("vendor", version=V2),
                               V2)
        self.assertTrue(result.ok, result)
        self.uid = result.uid()
        result = self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(self.uid) + [
            S(NEW_ATTRIBUTE, vendor_attribute("tls"))], V2)
        self.assertTrue(result.ok, result)

    def test_attribute_list_names_it_by_vendor_and_name(self):
        result = self.conn.one(OP.GET_ATTRIBUTE_LIST,
                               uid_payload(self.uid), V2)
        self.assertTrue(result.ok, result)
        refs = [(r.val(T.VENDOR_IDENTIFICATION), r.val(T.ATTRIBUTE_NAME))
                for r in result.payload.all(ATTRIBUTE_REFERENCE)
                if isinstance(r.value, list)]
        self.assertEqual(refs, [("acme", "purpose")])

    def test_get_attributes_selects_it_by_its_reference(self):
        result = self.conn.one(OP.GET_ATTRIBUTES,
                               uid_payload(self.uid) + [REFERENCE], V2)
        self.assertTrue(result.ok, result)
        attrs = result.payload.get(T.ATTRIBUTES).value
        self.assertEqual([a.val(T.ATTRIBUTE_VALUE) for a in attrs], ["tls"])

    def test_a_reference_without_a_name_is_invalid_field(self):
        bad = S(ATTRIBUTE_REFERENCE, Tx(T.VENDOR_IDENTIFICATION, "acme"))
        result = self.conn.one(OP.GET_ATTRIBUTES,
                               uid_payload(self.uid) + [bad], V2)
        self.assertFalse(result.ok, result)
        self.assertEqual(result.reason, E.ResultReason.INVALID_FIELD.value,
                         result)


if __name__ == "__main__":
    unittest.main(verbosity=2)
