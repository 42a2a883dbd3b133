# SPDX-License-Identifier: Apache-2.0
"""kmipd's attribute operations over the wire: Get Attributes, Get Attribute
List, Add / Modify / Delete Attribute and the 2.0 Set / Adjust / Delete,
read-only attributes and ranges. Runs under integration/with_server.py
--server kmipd."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import (E, T, OP, S, I, L, En, Tx, D, attr_v1, name_value,
                      uid_payload)
from kmipd_case import ServerCase

R = E.ResultReason
ST = E.State


class Attributes(ServerCase):
    def test_get_attributes_1_x_returns_the_named_ones(self):
        uid = self.create("named")
        result = self.ok(self.conn.one(OP.GET_ATTRIBUTES, uid_payload(uid) + [
            Tx(T.ATTRIBUTE_NAME, "Cryptographic Length"),
            Tx(T.ATTRIBUTE_NAME, "State")]))
        names = [a.val(T.ATTRIBUTE_NAME)
                 for a in result.payload.all(T.ATTRIBUTE)]
        self.assertEqual(sorted(names), ["Cryptographic Length", "State"])
        self.assertEqual(result.uid(), uid)

    def test_get_attributes_2_0_returns_an_attributes_structure(self):
        uid = self.create("v2", version=(2, 0))
        found = self.attributes(uid, version=(2, 0))
        self.assertEqual(found[T.CRYPTOGRAPHIC_LENGTH.value], [256])
        self.assertEqual(found[T.STATE.value], [ST.PRE_ACTIVE.value])
        self.assertIn(T.INITIAL_DATE.value, found)

    def test_get_attribute_list_names_each_attribute_once(self):
        uid = self.create("listed", extra=[
            attr_v1("Name", name_value("second-name"))])
        result = self.ok(self.conn.one(OP.GET_ATTRIBUTE_LIST,
                                       uid_payload(uid)))
        names = [n.value for n in result.payload.all(T.ATTRIBUTE_NAME)]
        self.assertEqual(names.count("Name"), 1)
        self.assertIn("Unique Identifier", names)

    def test_get_attribute_list_2_0_gives_references(self):
        uid = self.create("refs", version=(2, 0))
        result = self.ok(self.conn.one(OP.GET_ATTRIBUTE_LIST,
                                       uid_payload(uid), (2, 0)))
        refs = [r.value for r in result.payload.all(T.ATTRIBUTE_REFERENCE)]
        self.assertIn(T.CRYPTOGRAPHIC_ALGORITHM.value, refs)

    def test_add_modify_delete_a_custom_attribute(self):
        uid = self.create("custom-life")
        added = self.ok(self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("x-purpose", Tx(0, "first"))]))
        self.assertEqual(added.payload.get(T.ATTRIBUTE).val(
            T.ATTRIBUTE_VALUE), "first")
        self.ok(self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("x-purpose", Tx(0, "second"))]))
        modified = S(T.ATTRIBUTE, Tx(T.ATTRIBUTE_NAME, "x-purpose"),
                     I(T.ATTRIBUTE_INDEX, 1),
                     Tx(T.ATTRIBUTE_VALUE, "changed"))
        self.ok(self.conn.one(OP.MODIFY_ATTRIBUTE,
                              uid_payload(uid) + [modified]))
        self.assertEqual(self.attributes(uid)["x-purpose"],
                         ["first", "changed"])
        self.ok(self.conn.one(OP.DELETE_ATTRIBUTE, uid_payload(uid) + [
            Tx(T.ATTRIBUTE_NAME, "x-purpose")]))
        self.assertEqual(self.attributes(uid)["x-purpose"], ["changed"])

    def test_modify_of_an_absent_instance_is_item_not_found(self):
        uid = self.create("absent")
        self.fails(self.conn.one(OP.MODIFY_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Contact Information", Tx(0, "nobody"))]),
            R.ITEM_NOT_FOUND)

    def test_add_of_a_second_single_valued_instance_fails(self):
        uid = self.create("single")
        self.ok(self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Contact Information", Tx(0, "a"))]))
        self.fails(self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Contact Information", Tx(0, "b"))]),
            R.ILLEGAL_OPERATION)

    def test_server_kept_attributes_are_read_only(self):
        uid = self.create("read-only")
        self.fails(self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Initial Date", D(0, 1))]), R.PERMISSION_DENIED)
        self.fails(self.conn.one(OP.MODIFY_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Cryptographic Length", I(0, 128))]),
            R.PERMISSION_DENIED)

    def test_set_and_adjust_attribute_in_2_0(self):
        uid = self.create("set-adjust", version=(2, 0))
        self.ok(self.conn.one(OP.SET_ATTRIBUTE, uid_payload(uid) + [
            S(T.NEW_ATTRIBUTE, Tx(T.CONTACT_INFORMATION, "ops"))], (2, 0)))
        self.ok(self.conn.one(OP.SET_ATTRIBUTE, uid_payload(uid) + [
            S(T.NEW_ATTRIBUTE, Tx(T.CONTACT_INFORMATION, "ops2"))], (2, 0)))
        self.assertEqual(self.attributes(uid, (2, 0))[
            T.CONTACT_INFORMATION.value], ["ops2"])
        self.ok(self.conn.one(OP.ADJUST_ATTRIBUTE, uid_payload(uid) + [
            En(T.ATTRIBUTE_REFERENCE, T.CRYPTOGRAPHIC_USAGE_MASK.value),
            En(T.ADJUSTMENT_TYPE, E.AdjustmentType.INCREMENT),
            I(T.ADJUSTMENT_VALUE, 3)], (2, 0)))
        self.assertEqual(self.attributes(uid, (2, 0))[
            T.CRYPTOGRAPHIC_USAGE_MASK.value], [15])

    def adjust(self, uid, tag, adjustment, value=None):
        payload = uid_payload(uid) + [En(T.ATTRIBUTE_REFERENCE, tag.value),
                                      En(T.ADJUSTMENT_TYPE, adjustment)]
        if value is not None:
            payload.append(value)
        return self.conn.one(OP.ADJUST_ATTRIBUTE, payload, (2, 0))

    def set_v2(self, uid, attr):
        return self.ok(self.conn.one(OP.SET_ATTRIBUTE, uid_payload(uid) + [
            S(T.NEW_ATTRIBUTE, attr)], (2, 0)))

    def test_adjust_past_an_integer_range_is_invalid_field(self):
        uid = self.create("adjust-int", version=(2, 0))
        for adjustment, value in ((E.AdjustmentType.INCREMENT, 2**63 - 1),
                                  (E.AdjustmentType.DECREMENT, -2**63)):
            self.fails(self.adjust(uid, T.CRYPTOGRAPHIC_USAGE_MASK,
                                   adjustment, L(T.ADJUSTMENT_VALUE, value)),
                       R.INVALID_FIELD)
        self.set_v2(uid, I(T.CRYPTOGRAPHIC_USAGE_MASK, -2**31))
        self.fails(self.adjust(uid, T.CRYPTOGRAPHIC_USAGE_MASK,
                               E.AdjustmentType.NEGATE), R.INVALID_FIELD)
        self.assertEqual(self.attributes(uid, (2, 0))[
            T.CRYPTOGRAPHIC_USAGE_MASK.value], [-2**31])

    def test_adjust_past_a_date_range_is_invalid_field(self):
        uid = self.create("adjust-date", version=(2, 0))
        self.set_v2(uid, D(T.ACTIVATION_DATE, 2**40))
        self.fails(self.adjust(uid, T.ACTIVATION_DATE,
                               E.AdjustmentType.INCREMENT,
                               L(T.ADJUSTMENT_VALUE, 2**63 - 1)),
                   R.INVALID_FIELD)
        self.ok(self.adjust(uid, T.ACTIVATION_DATE,
                            E.AdjustmentType.INCREMENT,
                            L(T.ADJUSTMENT_VALUE, 60)))
        self.assertEqual(self.attributes(uid, (2, 0))[
            T.ACTIVATION_DATE.value], [2**40 + 60])

    def test_set_attribute_refuses_a_read_only_attribute(self):
        uid = self.create("set-ro", version=(2, 0))
        self.fails(self.conn.one(OP.SET_ATTRIBUTE, uid_payload(uid) + [
            S(T.NEW_ATTRIBUTE, En(T.STATE, ST.ACTIVE))], (2, 0)),
            R.ATTRIBUTE_READ_ONLY)

    def test_delete_attribute_2_0_by_current_attribute(self):
        uid = self.create("del-v2", version=(2, 0))
        self.ok(self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            S(T.NEW_ATTRIBUTE, name_value("extra-name", T.NAME))], (2, 0)))
        self.ok(self.conn.one(OP.DELETE_ATTRIBUTE, uid_payload(uid) + [
            S(T.CURRENT_ATTRIBUTE, name_value("extra-name", T.NAME))],
            (2, 0)))
        names = [n[0].value for n in
                 self.attributes(uid, (2, 0))[T.NAME.value]]
        self.assertEqual(names, ["del-v2"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
