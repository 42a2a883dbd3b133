# SPDX-License-Identifier: Apache-2.0
"""kmipd's Locate over the wire: by name, custom attribute, type, algorithm,
state and date ranges, paging, and the owner's objects only. Runs under
integration/with_server.py --server kmipd."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import (E, T, OP, I, En, By, D, attr_v1, name_value, uid_payload)
from kmipd_case import ServerCase, client_b

R = E.ResultReason
ST = E.State


class Locate(ServerCase):
    def test_locate_by_name(self):
        uid = self.create("locate-by-name")
        self.create("locate-by-name-other")
        _, uids = self.locate([attr_v1("Name", name_value("locate-by-name"))])
        self.assertEqual(uids, [uid])

    def test_locate_by_name_in_2_0_form(self):
        uid = self.create("locate-v2", version=(2, 0))
        _, uids = self.locate([name_value("locate-v2", T.NAME)],
                              version=(2, 0))
        self.assertEqual(uids, [uid])

    def test_locate_by_custom_attribute(self):
        uid = self.create("custom", extra=[
            attr_v1("x-pkcs11-id", By(0, b"\x01\x02\x03"))])
        self.create("custom", extra=[
            attr_v1("x-pkcs11-id", By(0, b"\x09"))])
        _, uids = self.locate([attr_v1("x-pkcs11-id", By(0, b"\x01\x02\x03"))])
        self.assertEqual(uids, [uid])

    def test_locate_by_object_type_algorithm_and_state(self):
        pre = self.create("typed")
        active = self.create("typed")
        self.ok(self.conn.one(OP.ACTIVATE, uid_payload(active)))
        filters = [attr_v1("Object Type", En(0, E.ObjectType.SYMMETRIC_KEY)),
                   attr_v1("Cryptographic Algorithm",
                           En(0, E.CryptographicAlgorithm.AES)),
                   attr_v1("Name", name_value("typed"))]
        _, uids = self.locate(filters)
        self.assertEqual(uids, [pre, active])
        _, uids = self.locate(filters + [attr_v1("State",
                                                 En(0, ST.ACTIVE))])
        self.assertEqual(uids, [active])

    def test_two_dates_are_a_range_given_in_either_order(self):
        uid = self.create("ranged")
        made = self.attributes(uid)["Initial Date"][0]
        name = [attr_v1("Name", name_value("ranged"))]
        for first, second in ((made - 60, made + 60), (made + 60, made - 60)):
            _, uids = self.locate(name + [attr_v1("Initial Date", D(0, first)),
                                          attr_v1("Initial Date", D(0, second))])
            self.assertEqual(uids, [uid], (first, second))
        _, uids = self.locate(name + [attr_v1("Initial Date", D(0, made + 1)),
                                      attr_v1("Initial Date", D(0, made + 60))])
        self.assertEqual(uids, [])

    def test_maximum_and_offset_items_page_the_results(self):
        made = [self.create("paged") for _ in range(5)]
        name = [attr_v1("Name", name_value("paged"))]
        result, uids = self.locate(name, extra=[I(T.MAXIMUM_ITEMS, 2),
                                                I(T.OFFSET_ITEMS, 1)])
        self.assertEqual(uids, made[1:3])
        self.assertEqual(result.payload.val(T.LOCATED_ITEMS), 5)

    def test_maximum_items_zero_counts_without_listing(self):
        for _ in range(3):
            self.create("counted")
        result, uids = self.locate([attr_v1("Name", name_value("counted"))],
                                   extra=[I(T.MAXIMUM_ITEMS, 0)])
        self.assertEqual(uids, [])
        self.assertEqual(result.payload.val(T.LOCATED_ITEMS), 3)

    def test_negative_maximum_items_is_invalid(self):
        self.fails(self.conn.one(OP.LOCATE, [I(T.MAXIMUM_ITEMS, -1)]),
                   R.INVALID_FIELD)

    def test_located_items_is_absent_before_1_3(self):
        self.create("old-locate")
        result, uids = self.locate([attr_v1("Name", name_value("old-locate"))],
                                   version=(1, 2))
        self.assertEqual(len(uids), 1)
        self.assertIsNone(result.payload.get(T.LOCATED_ITEMS))

    def test_another_owner_locates_nothing(self):
        self.create("owned-by-a")
        with client_b() as conn:
            _, uids = self.locate([attr_v1("Name", name_value("owned-by-a"))],
                                  conn=conn)
        self.assertEqual(uids, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
