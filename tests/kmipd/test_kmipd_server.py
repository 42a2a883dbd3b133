# SPDX-License-Identifier: Apache-2.0
"""kmipd's server core over the wire: message handling, batches, the
object operations, lifecycle and ownership. Runs under
integration/with_server.py --server kmipd."""

import os
import random
import ssl
import struct
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmiptest import (E, T, OP, S, I, L, En, B, Tx, By, D, Connection, attr_v1,
                      name_value, create_aes, uid_payload, revoke_payload,
                      encode, request)

R = E.ResultReason
ST = E.State


def client_b():
    return Connection(cert=os.environ["P11KMIP_TEST_CERT_B"],
                      key=os.environ["P11KMIP_TEST_KEY_B"])


class Base(unittest.TestCase):
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


class Versions(Base):
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


class Query(Base):
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


class Messages(Base):
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


class Locate(Base):
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


class Attributes(Base):
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


class Lifecycle(Base):
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


class Ownership(Base):
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
