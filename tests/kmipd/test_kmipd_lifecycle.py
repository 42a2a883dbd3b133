# SPDX-License-Identifier: Apache-2.0
"""kmipd's object lifecycle over the wire: activation (also by date),
deactivation, revocation, destruction, and concurrent activations. Runs
under integration/with_server.py --server kmipd."""

import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import (E, OP, D, Connection, attr_v1, name_value, uid_payload,
                      revoke_payload)
from kmipd_case import ServerCase

R = E.ResultReason
ST = E.State


class Lifecycle(ServerCase):
    def test_created_object_is_pre_active_then_activated(self):
        uid = self.create("life")
        self.assertEqual(self.state(uid), ST.PRE_ACTIVE.value)
        self.ok(self.conn.one(OP.ACTIVATE, uid_payload(uid)))
        found = self.attributes(uid)
        self.assertEqual(found["State"], [ST.ACTIVE.value])
        self.assertIn("Activation Date", found)

    def test_activating_twice_is_wrong_key_lifecycle_state(self):
        uid = self.create("twice")
        self.ok(self.conn.one(OP.ACTIVATE, uid_payload(uid)))
        self.fails(self.conn.one(OP.ACTIVATE, uid_payload(uid)),
                   R.WRONG_KEY_LIFECYCLE_STATE)

    def test_activation_date_in_the_past_makes_it_active(self):
        uid = self.create("dated", extra=[
            attr_v1("Activation Date", D(0, 1000))])
        self.assertEqual(self.state(uid), ST.ACTIVE.value)

    def test_deactivation_date_reached_deactivates(self):
        uid = self.create("expired", extra=[
            attr_v1("Activation Date", D(0, 1000)),
            attr_v1("Deactivation Date", D(0, 2000))])
        self.assertEqual(self.state(uid), ST.DEACTIVATED.value)

    def test_activation_date_cannot_change_once_active(self):
        uid = self.create("fixed-date")
        self.ok(self.conn.one(OP.ACTIVATE, uid_payload(uid)))
        self.fails(self.conn.one(OP.MODIFY_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Activation Date", D(0, 5000))]),
            R.PERMISSION_DENIED)

    def test_setting_a_past_activation_date_activates(self):
        uid = self.create("late-date")
        self.ok(self.conn.one(OP.ADD_ATTRIBUTE, uid_payload(uid) + [
            attr_v1("Activation Date", D(0, 1000))]))
        self.assertEqual(self.state(uid), ST.ACTIVE.value)

    def test_destroying_an_active_object_is_refused(self):
        uid = self.create("active")
        self.ok(self.conn.one(OP.ACTIVATE, uid_payload(uid)))
        self.fails(self.conn.one(OP.DESTROY, uid_payload(uid)),
                   R.PERMISSION_DENIED)

    def test_revoke_then_destroy(self):
        uid = self.create("revoked")
        self.ok(self.conn.one(OP.ACTIVATE, uid_payload(uid)))
        self.ok(self.conn.one(OP.REVOKE, revoke_payload(uid)))
        found = self.attributes(uid)
        self.assertEqual(found["State"], [ST.DEACTIVATED.value])
        self.assertIn("Deactivation Date", found)
        self.ok(self.conn.one(OP.DESTROY, uid_payload(uid)))
        found = self.attributes(uid)
        self.assertEqual(found["State"], [ST.DESTROYED.value])
        self.assertIn("Destroy Date", found)

    def test_destroyed_object_cannot_be_used_or_found(self):
        uid = self.create("gone")
        self.ok(self.conn.one(OP.DESTROY, uid_payload(uid)))
        self.fails(self.conn.one(OP.ACTIVATE, uid_payload(uid)),
                   R.ITEM_NOT_FOUND)
        self.fails(self.conn.one(OP.ACTIVATE, uid_payload(uid), (2, 0)),
                   R.OBJECT_DESTROYED)
        _, uids = self.locate([attr_v1("Name", name_value("gone"))])
        self.assertEqual(uids, [])

    def test_concurrent_activations_succeed_exactly_once(self):
        uids = [self.create("race") for _ in range(15)]
        outcomes = {uid: [] for uid in uids}

        def activate_all():
            with Connection() as conn:
                for uid in uids:
                    outcomes[uid].append(
                        conn.one(OP.ACTIVATE, uid_payload(uid)).ok)

        racers = [threading.Thread(target=activate_all) for _ in range(3)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        for uid in uids:
            self.assertEqual(sorted(outcomes[uid]), [False, False, True])

    def test_revoke_for_compromise_makes_it_compromised(self):
        uid = self.create("compromised")
        self.ok(self.conn.one(OP.ACTIVATE, uid_payload(uid)))
        self.ok(self.conn.one(OP.REVOKE, revoke_payload(
            uid, E.RevocationReasonCode.KEY_COMPROMISE)))
        found = self.attributes(uid)
        self.assertEqual(found["State"], [ST.COMPROMISED.value])
        self.assertIn("Compromise Date", found)
        self.ok(self.conn.one(OP.DESTROY, uid_payload(uid)))
        self.assertEqual(self.state(uid), ST.DESTROYED_COMPROMISED.value)

    def test_revoking_a_deactivated_object_again_is_wrong_state(self):
        uid = self.create("re-revoked")
        self.ok(self.conn.one(OP.REVOKE, revoke_payload(uid)))
        self.fails(self.conn.one(OP.REVOKE, revoke_payload(uid)),
                   R.WRONG_KEY_LIFECYCLE_STATE)


if __name__ == "__main__":
    unittest.main(verbosity=2)
