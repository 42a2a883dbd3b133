# SPDX-License-Identifier: Apache-2.0
"""kmipd's server core over the wire: protocol versions, Query, message
handling and batches, and ownership (another client touches nothing). Runs
under integration/with_server.py --server kmipd."""

import os
import random
import ssl
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import (E, T, OP, S, I, En, B, Tx, Connection, attr_v1,
                      name_value, create_aes, uid_payload, revoke_payload,
                      encode, request)
from kmipd_case import ServerCase, client_b

R = E.ResultReason
ST = E.State


class Versions(ServerCase):
    def test_discover_versions_lists_all_newest_first(self):
        result = self.ok(self.conn.one(OP.DISCOVER_VERSIONS, [], (1, 1)))
        versions = [(v.val(T.PROTOCOL_VERSION_MAJOR),
                     v.val(T.PROTOCOL_VERSION_MINOR))
                    for v in result.payload.all(T.PROTOCOL_VERSION)]
        self.assertEqual(versions, [(2, 1), (2, 0), (1, 4), (1, 3), (1, 2),
                                    (1, 1), (1, 0)])

    def test_discover_versions_keeps_only_what_the_client_offers(self):
        offer = [S(T.PROTOCOL_VERSION, I(T.PROTOCOL_VERSION_MAJOR, m),
                   I(T.PROTOCOL_VERSION_MINOR, n))
                 for m, n in ((3, 0), (1, 2), (2, 0))]
        result = self.ok(self.conn.one(OP.DISCOVER_VERSIONS, offer, (1, 2)))
        versions = [(v.val(T.PROTOCOL_VERSION_MAJOR),
                     v.val(T.PROTOCOL_VERSION_MINOR))
                    for v in result.payload.all(T.PROTOCOL_VERSION)]
        self.assertEqual(versions, [(2, 0), (1, 2)])

    def test_response_uses_the_request_version(self):
        for version in ((1, 0), (1, 2), (1, 4), (2, 0), (2, 1)):
            response = self.conn.call(
                [(OP.QUERY, [En(T.QUERY_FUNCTION,
                                E.QueryFunction.QUERY_OBJECTS)], None)],
                version=version)
            self.assertEqual(response.version, version)
            self.assertTrue(response.results[0].ok)

    def test_unsupported_version_is_refused_with_an_error_response(self):
        response = self.conn.call([(OP.QUERY, [], None)], version=(3, 0))
        self.assertEqual(response.version, (2, 1))
        self.fails(response.results[0], R.UNSUPPORTED_PROTOCOL_VERSION)

    def test_tls_1_2_and_1_3_are_both_served(self):
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            with Connection(tls_version=version) as conn:
                self.assertEqual(conn.sock.version(),
                                 "TLSv1.2" if version ==
                                 ssl.TLSVersion.TLSv1_2 else "TLSv1.3")
                self.ok(conn.one(OP.DISCOVER_VERSIONS, []))


class Query(ServerCase):
    def query(self, *functions, version=(1, 4)):
        return self.ok(self.conn.one(
            OP.QUERY, [En(T.QUERY_FUNCTION, f) for f in functions], version))

    def test_query_operations_lists_served_operations_only(self):
        result = self.query(E.QueryFunction.QUERY_OPERATIONS)
        ops = {o.value for o in result.payload.all(T.OPERATION)}
        for op in (OP.QUERY, OP.LOCATE, OP.GET_ATTRIBUTES, OP.ACTIVATE,
                   OP.REVOKE, OP.DESTROY, OP.DISCOVER_VERSIONS):
            self.assertIn(op.value, ops)
        for op in (OP.REKEY, OP.CHECK, OP.ARCHIVE, OP.SET_ATTRIBUTE):
            self.assertNotIn(op.value, ops)

    def test_query_operations_in_2_0_includes_set_attribute(self):
        result = self.query(E.QueryFunction.QUERY_OPERATIONS, version=(2, 0))
        ops = {o.value for o in result.payload.all(T.OPERATION)}
        self.assertIn(OP.SET_ATTRIBUTE.value, ops)
        self.assertIn(OP.ADJUST_ATTRIBUTE.value, ops)

    def test_query_objects_lists_stored_object_types(self):
        result = self.query(E.QueryFunction.QUERY_OBJECTS)
        types = {o.value for o in result.payload.all(T.OBJECT_TYPE)}
        self.assertEqual(types, {t.value for t in (
            E.ObjectType.CERTIFICATE, E.ObjectType.SYMMETRIC_KEY,
            E.ObjectType.PUBLIC_KEY, E.ObjectType.PRIVATE_KEY,
            E.ObjectType.SECRET_DATA, E.ObjectType.OPAQUE_DATA)})

    def test_query_server_information_names_the_vendor(self):
        result = self.query(E.QueryFunction.QUERY_SERVER_INFORMATION)
        self.assertIn("kmipd", result.payload.val(T.VENDOR_IDENTIFICATION))


class Messages(ServerCase):
    def test_unknown_operation_is_operation_not_supported(self):
        self.fails(self.conn.one(OP.REKEY, []), R.OPERATION_NOT_SUPPORTED)

    def test_operation_newer_than_the_request_version_is_not_supported(self):
        self.fails(self.conn.one(OP.SET_ATTRIBUTE, [], (1, 4)),
                   R.OPERATION_NOT_SUPPORTED)

    def test_unique_batch_item_ids_are_echoed(self):
        response = self.conn.call(
            [(OP.DISCOVER_VERSIONS, [], b"\x01"),
             (OP.REKEY, [], b"second"),
             (OP.QUERY, [], b"\x00\x00\x00\x03")],
            header_extra=[En(T.BATCH_ERROR_CONTINUATION_OPTION,
                             E.BatchErrorContinuationOption.CONTINUE)])
        self.assertEqual(response.batch_count, 3)
        self.assertEqual([r.batch_id for r in response.results],
                         [b"\x01", b"second", b"\x00\x00\x00\x03"])
        self.assertEqual([r.ok for r in response.results],
                         [True, False, True])

    def test_several_items_each_need_a_unique_batch_item_id(self):
        response = self.conn.call(
            [(OP.QUERY, [], b"a"), (OP.QUERY, [], None)],
            header_extra=[En(T.BATCH_ERROR_CONTINUATION_OPTION,
                             E.BatchErrorContinuationOption.CONTINUE)])
        self.ok(response.results[0])
        self.fails(response.results[1], R.INVALID_MESSAGE)

    def test_batch_stops_at_the_first_failure_by_default(self):
        response = self.conn.call([(OP.QUERY, [], b"a"), (OP.REKEY, [], b"b"),
                                   (OP.QUERY, [], b"c")])
        self.assertEqual([r.batch_id for r in response.results], [b"a", b"b"])
        self.assertEqual(response.batch_count, 2)

    def test_id_placeholder_carries_the_uid_to_the_next_item(self):
        response = self.conn.call(
            [(OP.CREATE, create_aes("placeholder"), b"1"),
             (OP.ACTIVATE, [], b"2"),
             (OP.GET_ATTRIBUTES,
              [Tx(T.ATTRIBUTE_NAME, "State")], b"3")])
        self.assertTrue(all(r.ok for r in response.results), response.results)
        uid = response.results[0].uid()
        self.assertEqual(response.results[1].uid(), uid)
        state = response.results[2].payload.get(T.ATTRIBUTE)
        self.assertEqual(state.val(T.ATTRIBUTE_VALUE), ST.ACTIVE.value)

    def test_a_critical_message_extension_is_not_supported(self):
        msg = request([(OP.QUERY, [], b"1")])
        msg.get(T.BATCH_ITEM).value.append(S(
            T.MESSAGE_EXTENSION, Tx(T.VENDOR_IDENTIFICATION, "acme"),
            B(T.CRITICALITY_INDICATOR, True), S(T.VENDOR_EXTENSION)))
        self.fails(self.conn.call_raw(encode(msg)).results[0],
                   R.FEATURE_NOT_SUPPORTED)
        msg.get(T.BATCH_ITEM).get(T.MESSAGE_EXTENSION).get(
            T.CRITICALITY_INDICATOR).value = False
        self.ok(self.conn.call_raw(encode(msg)).results[0])

    def test_item_without_uid_or_placeholder_is_missing_data(self):
        self.fails(self.conn.one(OP.ACTIVATE, []), R.MISSING_DATA)

    def assert_usable(self):
        self.ok(self.conn.one(OP.DISCOVER_VERSIONS, []))

    def assert_invalid_message(self, data):
        response = self.conn.call_raw(data)
        self.assertEqual(len(response.results), 1)
        self.fails(response.results[0], R.INVALID_MESSAGE)
        self.assert_usable()

    def test_undecodable_ttlv_is_answered_and_the_connection_stays(self):
        # A structure whose child claims more bytes than there are.
        body = bytes.fromhex("42007702000000ff") + bytes(8)
        self.assert_invalid_message(
            bytes.fromhex("42007801") + struct.pack(">I", len(body)) + body)

    def test_bad_padding_is_answered_and_the_connection_stays(self):
        child = bytes.fromhex("42000d0200000004") + b"\0\0\0\1" + b"\0\0\0\1"
        self.assert_invalid_message(
            bytes.fromhex("42007801") + struct.pack(">I", len(child)) + child)

    def test_a_message_that_is_not_a_request_is_invalid(self):
        self.assert_invalid_message(encode(S(T.RESPONSE_MESSAGE)))

    def test_batch_count_must_match_the_batch_items(self):
        self.assert_invalid_message(encode(
            request([(OP.QUERY, [], None)], batch_count=2)))

    def test_header_without_protocol_version_is_invalid(self):
        msg = S(T.REQUEST_MESSAGE,
                S(T.REQUEST_HEADER, I(T.BATCH_COUNT, 1)),
                S(T.BATCH_ITEM, En(T.OPERATION, OP.QUERY),
                  S(T.REQUEST_PAYLOAD)))
        self.assert_invalid_message(encode(msg))

    def test_batch_item_without_payload_fails_alone(self):
        msg = request([(OP.QUERY, [], b"1")])
        msg.get(T.BATCH_ITEM).value.pop()  # drop the Request Payload
        response = self.conn.call_raw(encode(msg))
        self.fails(response.results[0], R.INVALID_MESSAGE)
        self.assertEqual(response.results[0].batch_id, b"1")
        self.assert_usable()

    def test_wrongly_typed_field_is_invalid_message(self):
        msg = request([(OP.QUERY, [], None)])
        msg.get(T.REQUEST_HEADER).get(T.BATCH_COUNT).kind = 3  # Long
        self.assert_invalid_message(encode(msg))

    def test_oversized_frame_is_answered_then_closed(self):
        self.conn.send_raw(bytes.fromhex("42007801") +
                           struct.pack(">I", 0x7ffffff0))
        response = self.conn.receive()
        self.fails(response.results[0], R.INVALID_MESSAGE)
        self.assertTrue(self.conn.is_closed())

    def test_mutated_requests_are_each_answered(self):
        """Seeded random byte flips in the body of valid requests: every one
        gets a response, on the same connection."""
        rng = random.Random(1234)
        templates = [encode(request(items)) for items in (
            [(OP.CREATE, create_aes("fuzz"), b"1"),
             (OP.GET_ATTRIBUTES, [], b"2")],
            [(OP.LOCATE, [attr_v1("Name", name_value("fuzz"))], None)],
            [(OP.ADD_ATTRIBUTE, uid_payload("no-such") +
              [attr_v1("x-a", Tx(0, "v"))], None)])]
        for _ in range(300):
            data = bytearray(rng.choice(templates))
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(8, len(data))] = rng.randrange(256)
            response = self.conn.call_raw(bytes(data))
            self.assertGreaterEqual(len(response.results), 1)
        self.assert_usable()

    def test_maximum_response_size_is_honoured(self):
        response = self.conn.call(
            [(OP.QUERY, [En(T.QUERY_FUNCTION,
                            E.QueryFunction.QUERY_OPERATIONS)], None)],
            header_extra=[I(T.MAXIMUM_RESPONSE_SIZE, 64)])
        self.fails(response.results[0], R.RESPONSE_TOO_LARGE)


class Ownership(ServerCase):
    def test_another_owner_cannot_touch_the_object(self):
        uid = self.create("mine")
        with client_b() as conn:
            for op, payload in ((OP.GET_ATTRIBUTES, uid_payload(uid)),
                                (OP.GET_ATTRIBUTE_LIST, uid_payload(uid)),
                                (OP.ACTIVATE, uid_payload(uid)),
                                (OP.REVOKE, revoke_payload(uid)),
                                (OP.DESTROY, uid_payload(uid)),
                                (OP.ADD_ATTRIBUTE, uid_payload(uid) + [
                                    attr_v1("x-evil", Tx(0, "x"))])):
                self.fails(conn.one(op, payload), R.ITEM_NOT_FOUND)
        self.assertEqual(self.state(uid), ST.PRE_ACTIVE.value)


if __name__ == "__main__":
    unittest.main(verbosity=2)
